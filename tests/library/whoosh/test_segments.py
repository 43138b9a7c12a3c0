"""Index generations and the segment builder: what it writes is what whoosh's writer writes."""

from __future__ import annotations

import dataclasses
import gc
import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.query import Every, Phrase, Term

from library import generations, index
from library.models import Document
from library.vocab import Vocabulary, load_vocabulary
from library.whoosh import postings, segments
from library.whoosh.schema import build_schema, to_fields
from library.whoosh.segments import INLINE_LIMIT, SegmentBuilder

CORPUS = Path(__file__).resolve().parents[3] / "corpus"
COMMON = ("missing", "child", "runaway", "amber", "alert", "family", "police", "report", "search")
SPANISH = ("niño", "desaparecido", "familia", "policía", "búsqueda", "alerta", "ayuda")


def documents(count: int = 300) -> list[Document]:
    """Documents whose terms range from one posting to every document (several blocks)."""
    rng = random.Random(7)
    docs = []
    for number in range(count):
        lang = "es" if number % 7 == 0 else "en"
        pool = SPANISH if lang == "es" else COMMON
        words = [rng.choice(pool) for _ in range(rng.randint(5, 60))]
        words += [f"rare{number % 40}x", f"unique{number}q"]  # short lists: inlined
        rng.shuffle(words)
        docs.append(
            Document(
                id=f"doc-{number:03d}",
                title=f"Guide {number}: {' '.join(words[:4])}",
                path=f"guides/doc-{number:03d}.txt",
                format="txt",
                body=" ".join(words) + f". Call 1-800-THE-LOST. File r{number}a r{number}b.",
                summary=" ".join(words[-6:]) if number % 3 else "",
                date=f"{2008 + number % 19}-0{1 + number % 9}-15",
                type="guide" if number % 2 else "report",
                topics=("amber-alert", "runaway")[: 1 + number % 2],
                audiences=("families",),
                language=lang,
            )
        )
    return docs


def postings_of(reader: Any, field: str, term: bytes) -> list[tuple[int, float, bytes]]:
    """Every posting of a term: document number, weight and encoded value."""
    matcher = reader.postings(field, term)
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found


def term_stats(reader: Any, field: str, term: bytes) -> tuple[Any, ...]:
    """What the term dictionary records for a term (used by scoring and block skipping)."""
    info = reader.term_info(field, term)
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
            info.max_weight(), info.min_id(), info.max_id())  # fmt: skip


def upserted(tmp_path: Path, docs: list[Document]) -> index.LibraryIndex:
    """A one-update index of docs, written through Update.upsert, opened for search."""
    update = index.begin_update(tmp_path, rebuild=True)
    for doc in docs:
        update.upsert(doc)
    update.publish({}, vocabulary(), CORPUS)
    return index.open_index(tmp_path)


def test_builder_writes_what_whoosh_writes(tmp_path: Path) -> None:
    """Terms, term statistics, postings, positions, stored fields and lengths are identical."""
    docs = documents()
    mine = index.begin_update(tmp_path / "mine", rebuild=True)
    for doc in docs:
        mine.upsert(doc)
    mine.publish({}, vocabulary(), CORPUS)

    theirs = tmp_path / "theirs"
    theirs.mkdir()
    ix = whoosh_index.create_in(str(theirs), build_schema())
    writer = ix.writer(codec=segments._Codec())  # whoosh analyses the text itself here
    for doc in docs:
        writer.add_document(**to_fields(doc))
    writer.commit()

    with index.open_index(tmp_path / "mine").engine.ix.reader() as a, ix.reader() as b:
        assert a.doc_count() == b.doc_count() == len(docs)
        assert [a.stored_fields(n) for n in range(len(docs))] == [
            b.stored_fields(n) for n in range(len(docs))
        ]
        checked_blocks = checked_inline = 0
        fields = set(a.indexed_field_names())
        assert fields == set(b.indexed_field_names())
        for field in sorted(fields):
            terms = list(a.lexicon(field))
            assert terms == list(b.lexicon(field)), field
            if field.startswith("spell_"):
                continue  # spelling fields only list words
            for term in terms:
                assert term_stats(a, field, term) == term_stats(b, field, term), (field, term)
                assert postings_of(a, field, term) == postings_of(b, field, term), (field, term)
                frequency = a.doc_frequency(field, term)
                checked_inline += frequency < INLINE_LIMIT
                checked_blocks += frequency > 128  # more than one block of postings
            if field in ("title", "summary", "body", "body_es"):
                for n in range(len(docs)):
                    assert a.doc_field_length(n, field) == b.doc_field_length(n, field)
        assert checked_inline > 300
        assert checked_blocks > 5


def test_short_posting_lists_are_inlined_and_searchable(tmp_path: Path) -> None:
    """A term in one document lives in the term table and still answers terms and phrases."""
    lib = upserted(tmp_path, documents(50))
    searcher = lib.engine.searcher()
    assert searcher.reader().term_info("body", b"unique8q").is_inlined()
    assert not searcher.reader().term_info("body", b"child").is_inlined()
    hits = searcher.search(Term("body", "unique8q"))
    assert [hit["id"] for hit in hits] == ["doc-008"]
    english = sum(doc.language == "en" for doc in documents(50))
    assert len(searcher.search(Phrase("body", ["800", "lost"]), limit=None)) == english
    assert searcher.reader().term_info("body", b"r8a").is_inlined()
    inlined = searcher.search(Phrase("body", ["r8a", "r8b"]))
    assert [hit["id"] for hit in inlined] == ["doc-008"]
    assert not searcher.search(Phrase("body", ["r8b", "r8a"]))


def test_an_id_added_twice_in_one_update_is_kept_once(tmp_path: Path) -> None:
    """The later version wins, in a builder's own segment and across segments."""
    first, second = documents(2)
    again = _retitled(first, "Second version")
    lib = upserted(tmp_path, [first, second, again])
    searcher = lib.engine.searcher()
    stored = {hit["id"]: hit["meta"]["title"] for hit in searcher.search(Every(), limit=None)}
    assert stored == {"doc-000": "Second version", "doc-001": second.title}


def test_segments_from_several_builders_make_one_generation(tmp_path: Path) -> None:
    """Worker-built segments are listed with the update's own, and replace older versions."""
    docs = documents(30)
    update = index.begin_update(tmp_path, rebuild=True)
    for doc in docs[:10]:
        update.upsert(doc)
    update.publish({}, vocabulary(), CORPUS)

    update = index.begin_update(tmp_path, rebuild=False)
    for chunk in (docs[5:15], docs[15:30]):  # doc-005..009 replace their first versions
        builder = SegmentBuilder(update.path)
        for doc in chunk:
            builder.add_fields(to_fields(_retitled(doc, "v2 " + doc.title), analysed=True))
        update.add_segment(builder.finish(), builder.doc_ids)
    update.remove("doc-000")
    update.publish({}, vocabulary(), CORPUS)

    lib = index.open_index(tmp_path)
    searcher = lib.engine.searcher()
    titles = {hit["id"]: hit["meta"]["title"] for hit in searcher.search(Every(), limit=None)}
    assert sorted(titles) == [doc.id for doc in docs[1:]]
    assert all(titles[doc.id].startswith("v2 ") for doc in docs[5:])
    assert not any(titles[doc.id].startswith("v2 ") for doc in docs[1:5])
    assert len(lib.engine.ix._segments()) == 3  # the first update's segment and the two built here


def test_an_abandoned_builder_leaves_no_files_in_the_generation(tmp_path: Path) -> None:
    """A builder whose worker died never reaches the table of contents; its files go at commit."""
    update = index.begin_update(tmp_path, rebuild=True)
    lost = SegmentBuilder(update.path)
    lost.add_fields(to_fields(documents(1)[0], analysed=True))
    lost.discard()  # its files stay on disk, as when a worker process is killed
    stray = {p.name for p in update.path.iterdir()}
    assert any(name.endswith(".trm") for name in stray)
    update.upsert(documents(2)[1])
    update.publish({}, vocabulary(), CORPUS)
    live = {p.name for p in generations.current_generation(tmp_path).iterdir()}  # type: ignore[union-attr]
    assert not (stray & live) - {"_MAIN_0.toc", "MAIN_WRITELOCK"} - _side_files()


def _side_files() -> set[str]:
    """Files a generation holds besides whoosh's."""
    return {generations.META, generations.MANIFEST, generations.VOCABULARY}


def _retitled(doc: Document, title: str) -> Document:
    """A copy of doc with another title."""
    return dataclasses.replace(doc, title=title)


def vocabulary() -> Vocabulary:
    """The bundled vocabulary (the index keeps a copy beside each generation)."""
    return load_vocabulary(CORPUS / "vocabulary.toml")


def test_a_generation_no_longer_used_closes_its_files(tmp_path: Path) -> None:
    """Searchers read files (not memory maps); they are closed once nothing uses the index."""
    lib = upserted(tmp_path, documents(5))
    reader = lib.engine.searcher().reader()
    assert not reader.is_closed
    del lib
    gc.collect()
    assert reader.is_closed

    lib = index.open_index(tmp_path)
    reader = lib.engine.searcher().reader()
    lib.close()
    assert reader.is_closed


def two_segment_index(tmp_path: Path, deleted: bool = False) -> index.LibraryIndex:
    """documents() in two worker-built segments: inlined, single-block and multi-block lists;
    with deleted, every third document is then removed, as a later ingest removes them."""
    docs = documents()
    update = index.begin_update(tmp_path, rebuild=True)
    for chunk in (docs[:120], docs[120:]):
        builder = SegmentBuilder(update.path)
        for doc in chunk:
            builder.add_fields(to_fields(doc, analysed=True))
        update.add_segment(builder.finish(), builder.doc_ids)
    update.publish({}, vocabulary(), CORPUS)
    if deleted:
        update = index.begin_update(tmp_path, rebuild=False)
        for doc in docs[::3]:
            update.remove(doc.id)
        update.publish({}, vocabulary(), CORPUS)
    lib = index.open_index(tmp_path)
    assert len(lib.engine.searcher().reader().leaf_readers()) == 2
    return lib


@pytest.mark.parametrize("deleted", [False, True])
def test_postings_read_a_block_at_a_time_equal_whoosh_matchers(
    tmp_path: Path, deleted: bool
) -> None:
    """Across segments, inlined and multi-block lists, with documents deleted or not: the same
    live documents and weights, and the document frequency whoosh's idf counts."""
    lib = two_segment_index(tmp_path, deleted)
    reader = lib.engine.searcher().reader()
    assert reader.has_deletions() is deleted
    for field, term in [("body", b"child"), ("body", b"unique8q"), ("body_es", b"famili"),
                        ("topic", b"runaway"), ("body", b"absent")]:  # fmt: skip
        frequency = reader.doc_frequency(field, term)
        expected = postings_of(reader, field, term) if frequency else []
        ids, weights, found_frequency = postings.read_postings(reader, field, term.decode())
        assert list(zip(ids, weights, strict=True)) == [(d, w) for d, w, _ in expected]
        assert found_frequency == frequency


@pytest.mark.parametrize("deleted", [False, True])
def test_positions_read_for_some_documents_equal_whoosh_matchers(
    tmp_path: Path, deleted: bool
) -> None:
    """Only the asked live documents, with whoosh's positions, whether their blocks are read or
    skipped; deleted documents asked for are left out."""
    lib = two_segment_index(tmp_path, deleted)
    reader = lib.engine.searcher().reader()
    assert reader.has_deletions() is deleted
    gone = {d for d in range(reader.doc_count_all()) if reader.is_deleted(d)}
    last = len(documents()) - 1
    for field, term in [("body", "child"), ("body", "r8a"), ("body_es", "famili")]:
        matcher = reader.postings(field, term)
        every = {}
        while matcher.is_active():
            every[matcher.id()] = matcher.value_as("positions")
            matcher.next()
        for wanted in (set(every), set(list(every)[::37]), {max(every)}, {-1, 10_000}):
            found = postings.read_positions(reader, field, term, wanted | {last} | gone)
            assert found == {d: p for d, p in every.items() if d in wanted | {last}}
    assert postings.read_positions(reader, "body", "absent", {1, 2}) == {}
