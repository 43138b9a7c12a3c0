"""The whoosh index inside a generation: opening it, the segment writers, the posting readers.

Generations, CURRENT, the lock and the manifest are library.generations' (any engine's); this
module writes and reads the whoosh files of one generation. May import: generations, schema,
models, vocab, errors, analysis, whoosh.
"""

from __future__ import annotations

import bisect
import contextlib
import pickle
import shutil
import struct
import threading
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from pathlib import Path
from typing import Any, NamedTuple

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PerDocReader, W3PostingsWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Positions
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import CLEAR, SegmentWriter

from library import generations
from library.analysis import Postings
from library.caches import GenerationCaches
from library.errors import IndexUnavailable
from library.generations import current_generation, read_manifest
from library.models import Document
from library.schema import ID_FIELD, SCHEMA_VERSION, build_schema, to_fields
from library.vocab import Vocabulary, parse_vocabulary

BM25_B, BM25_K1 = (
    0.75,
    1.2,
)  # the ranking's BM25F parameters  # a request still reading the previous generation may finish


@dataclass(slots=True)
class LibraryIndex:
    """An open, read-only generation of the index with what search needs beside it.

    Its searchers hold open files; they are closed when the LibraryIndex is garbage collected
    (after the last request using it is done), or by close().
    """

    root: Path
    path: Path
    ix: Any  # whoosh.index.FileIndex
    vocabulary: Vocabulary
    corpus_dir: Path
    built_at: str
    caches: GenerationCaches = field(default_factory=GenerationCaches)
    _local: threading.local = field(default_factory=threading.local)
    _searchers: list[Any] = field(default_factory=list)
    _damage: list[str] | None = None

    def __del__(self) -> None:
        """Close this generation's searchers when it is collected."""
        _close_all(self._searchers)

    def close(self) -> None:
        """Close every searcher now (no thread may use this LibraryIndex afterwards)."""
        _close_all(self._searchers)

    def searcher(self) -> Any:
        """This thread's searcher, opened once: a generation never changes once published.

        Opening a whoosh searcher costs tens of milliseconds (measured); searchers are not safe
        to share between threads, so each thread keeps its own.
        """
        found = getattr(self._local, "searcher", None)
        if found is None:
            weighting = scoring.BM25F(B=BM25_B, K1=BM25_K1)
            found = self._local.searcher = self.ix.searcher(weighting=weighting)
            found.mecp_generation = self  # a searcher in use keeps its generation open
            self._searchers.append(found)
        return found

    def is_current(self) -> bool:
        """False once an ingest has published a newer generation."""
        return current_generation(self.root) == self.path

    def manifest(self) -> dict[str, Any]:
        """What the documents were built from (written by ingest.pipeline)."""
        return read_manifest(self.path)

    def damage(self) -> list[str]:
        """What is wrong with this generation's files (checked once, checksums included)."""
        found: list[str] | None = self._damage
        if found is None:
            found = self._damage = generations.damage(self.path)
        return found


def _close_all(searchers: list[Any]) -> None:
    """Close searchers, each once."""
    while searchers:
        with contextlib.suppress(Exception):
            searchers.pop().close()


def open_index(root: Path) -> LibraryIndex:
    """Open the live generation read-only; refuse one built with another schema version."""
    path = current_generation(root)
    if path is None or not path.is_dir():
        raise IndexUnavailable(f"no index at {root}: run `mecp ingest` first")
    meta = generations.read_meta(path)
    version = meta.get("schema_version")
    if version != SCHEMA_VERSION:
        raise IndexUnavailable(
            f"the index at {root} has schema version {version}, this version of the library "
            f"needs {SCHEMA_VERSION}: run `mecp ingest --rebuild`"
        )
    problems = generations.damage(path, checksums=False)
    if problems:
        raise IndexUnavailable(
            f"the index at {root} is damaged ({'; '.join(problems[:3])}): "
            "run `mecp ingest` to rebuild it (`mecp check` tells what is wrong)"
        )
    try:
        # Read with file reads, not whoosh's default memory map of each segment: a map counts
        # every page a search touches (postings, stored text) in the server's resident memory,
        # once per open searcher, which grows with the index (measured: 80 vs 220 MB at 1,000
        # documents for one searcher) for at most a few per cent of search time.
        ix = FileStorage(str(path), supports_mmap=False, readonly=True).open_index()
        vocabulary = parse_vocabulary((path / generations.VOCABULARY).read_text(encoding="utf-8"))
    except (OSError, whoosh_index.IndexError) as exc:
        raise IndexUnavailable(f"cannot open the index at {root}: {exc}") from exc
    return LibraryIndex(
        root=root,
        path=path,
        ix=ix,
        vocabulary=vocabulary,
        corpus_dir=Path(meta["corpus_dir"]),
        built_at=meta.get("built_at", ""),
    )


def check_index(root: Path) -> tuple[str, list[str]]:
    """Verify the live generation: files present and intact, readable by whoosh, count as recorded.

    Returns a one-line summary and the problems found (none when it is sound).
    """
    path = current_generation(root)
    if path is None or not path.is_dir():
        return f"no index at {root}", [f"no live generation at {root}: run `mecp ingest`"]
    meta = generations.read_meta(path)
    problems = generations.damage(path)
    if meta.get("schema_version") != SCHEMA_VERSION:
        problems.append(f"schema version {meta.get('schema_version')}, not {SCHEMA_VERSION}")
    count = None
    if not problems:
        try:
            count = _read_everything(path)
        except Exception as exc:  # whoosh raises many kinds of error on damaged files
            problems.append(f"whoosh cannot read it ({type(exc).__name__}: {exc})")
    if count is not None and count != meta.get("documents"):
        problems.append(f"{count} documents, {meta.get('documents')} were recorded")
    return (
        f"{path.name}: {meta.get('documents', '?')} documents, built {meta.get('built_at', '?')}",
        problems,
    )


def _read_everything(path: Path) -> int:
    """Open a generation with whoosh and read every stored document and term; the live count."""
    ix = FileStorage(str(path), supports_mmap=False, readonly=True).open_index()
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for _fields in reader.all_stored_fields():
            pass
        for _term in reader.all_terms():
            pass
        return int(searcher.doc_count())


class _PerDocReader(W3PerDocReader):  # type: ignore[misc]
    """Remembers that a field has no length column instead of asking the disk again.

    Whoosh looks up a field length for every posting it writes; for fields without lengths
    (spelling words, facets) each look-up was a file-system stat: a quarter of ingest time.
    """

    def _cached_reader(self, fieldname: str, column: Any) -> Any:
        """The column reader, or None, computed once per field."""
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]


class _PostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    """Whoosh's postings writer with posting-list inlining working.

    Whoosh can keep a short posting list inside its term's entry instead of writing a compressed
    block to the postings file, but its writer calls a method that does not exist
    (``set_inline``; the term info has ``set_inlined``), so the feature was unusable. Most terms
    of a real corpus occur in a handful of documents, and the pickled, compressed block per term
    was the largest single cost of writing a segment.
    """

    _terminfo: Any
    _ids: Any
    _weights: Any
    _values: list[bytes]
    _minlength: int | None
    _maxlength: int
    _maxweight: float
    _blocklimit: int
    _inlinelimit: int

    def finish_postings(self) -> Any:
        """End the current term: inline a short list, else write blocks as whoosh does."""
        if not self.written() and len(self) < self._inlinelimit:
            terminfo = self._terminfo
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def add_postings(
        self, ids: list[int], weights: list[float], values: list[bytes], lengths: list[int]
    ) -> None:
        """add_posting for a whole term's postings, a block at a time (the same blocks)."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if len(self._ids) >= limit:
                self._write_block()
            end = start + limit
            block_weights = weights[start:end]
            self._ids.extend(ids[start:end])
            self._weights.extend(block_weights)
            self._values.extend(v for v in values[start:end] if v)
            self._maxweight = max(self._maxweight, *block_weights)
            known = [n for n in lengths[start:end] if n]
            if known:
                low = min(known)
                if self._minlength is None or low < self._minlength:
                    self._minlength = low
                self._maxlength = max(self._maxlength, *known)


INLINE_LIMIT = 8  # posting lists shorter than this live in the term dictionary


class _Codec(W3Codec):  # type: ignore[misc]
    """Whoosh's default codec with working inlining and the caching per-document reader."""

    def __init__(self) -> None:
        """Whoosh's block size and compression; short posting lists inlined."""
        super().__init__(inlinelimit=INLINE_LIMIT)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        """The postings writer with inlining fixed."""
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        """Per-document values of a segment."""
        return _PerDocReader(storage, segment)


class SegmentBuilder(SegmentWriter):  # type: ignore[misc]
    """Writes one new segment of a generation, in whichever process holds it.

    Ingest workers each own one, so segments are written in parallel; Update.publish adds the
    finished segments to the generation. Postings wait in per-term lists in memory (not in
    whoosh's sorting pool of one tuple per posting) and go straight to the codec's field writer
    in term order, with each document's field length known rather than looked up per posting.
    The files it writes are the ones whoosh's own writer writes for the same documents (tested).
    """

    def __init__(self, path: Path) -> None:
        """Open a writer on the generation at path without taking whoosh's lock."""
        super().__init__(whoosh_index.open_dir(str(path)), _lk=False, codec=_Codec(), limitmb=1)
        # field -> term -> flat [docnum, weight, value, length, docnum, ...]
        self._postings: dict[str, dict[bytes, list[Any]]] = {}
        self._spelled: dict[str, set[str]] = {}
        self._docnums: dict[str, int] = {}  # id -> docnum in this segment
        self._superseded: list[int] = []  # docnums of ids added again later
        self.postings_count = 0

    def add(self, fields: dict[str, Any]) -> None:
        """Add a document (schema.to_fields); an id added twice keeps the later version."""
        doc_id = fields[ID_FIELD]
        if doc_id in self._docnums:
            self._superseded.append(self._docnums[doc_id])
        self._docnums[doc_id] = self.docnum
        self.add_document(**fields)

    def add_document(self, **fields: Any) -> None:
        """Add one document's stored, column and analysed values (no vectors, no boosts)."""
        self._check_state()
        _spell_once(self._spelled, fields)
        perdoc, schema, docnum = self.perdocwriter, self.schema, self.docnum
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                items = list(field.index(value))
                if field.scorable:
                    length = sum(item[1] for item in items)
                stat = _posting_length(length) if field.scorable else 0
                terms = self._postings.setdefault(name, {})
                for tbytes, _freq, weight, vbytes in items:
                    found = terms.get(tbytes)
                    if found is None:
                        terms[tbytes] = [docnum, weight, vbytes, stat]
                    else:
                        found += (docnum, weight, vbytes, stat)
                self.postings_count += len(items)
            if field.separate_spelling():
                words = self._postings.setdefault(field.spelling_fieldname(name), {})
                for word in field.spellable_words(value):
                    words.setdefault(word.encode("utf-8"), [0, 1, b"", 0])
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """Write the postings in field and term order through the codec's field writer."""
        self.perdocwriter.close()
        writer = self.fieldwriter
        add_term = writer._tindex.add
        for name in sorted(self._postings):
            terms = self._postings[name]
            writer.start_field(name, self.schema[name])
            prefix = _PACK_FIELD_ID(writer._fieldid)
            for tbytes in sorted(terms):
                flat = terms[tbytes]
                if len(flat) < 4 * INLINE_LIMIT:  # most terms: inlined, written in one step
                    add_term(prefix + tbytes, _inlined_term_info(flat))
                    continue
                writer.start_term(tbytes)
                writer._postwriter.add_postings(flat[0::4], flat[1::4], flat[2::4], flat[3::4])
                writer.finish_term()
            writer.finish_field()
        writer.close()
        self._postings.clear()

    @property
    def doc_ids(self) -> list[str]:
        """The ids of the documents added so far."""
        return list(self._docnums)

    def finish(self) -> Any:
        """Close the segment's files; the whoosh Segment for Update.add_segment (None if empty)."""
        if not self._added:
            self.discard()
            return None
        segment = self._finalize_segment()
        for docnum in self._superseded:
            segment.delete_document(docnum)
        self.is_closed = True
        return segment

    def discard(self) -> None:
        """Abandon the segment (its files are removed when the generation is committed)."""
        with contextlib.suppress(Exception):
            self._close_segment()


_PACK_FIELD_ID = struct.Struct("!H").pack  # how whoosh's field writer keys its term table
_TERM_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo's fixed part


def _inlined_term_info(flat: list[Any]) -> bytes:
    """W3TermInfo.to_bytes() for a short posting list kept inside its term's entry."""
    ids, weights = flat[0::4], flat[1::4]
    known = [n for n in flat[3::4] if n]
    head = _TERM_INFO.pack(
        1,  # inlined
        sum(weights),
        len(ids),
        length_to_byte(min(known)) if known else 0,
        length_to_byte(max(known, default=0)),
        max(0, *weights),
        ids[0],
        ids[-1],
    )
    inlined = (tuple(ids), tuple(weights), tuple(v for v in flat[2::4] if v))
    return head + pickle.dumps(inlined, 2)


class TermPostings(NamedTuple):
    """A term's live postings in every segment, and its document frequency as whoosh counts it
    for idf (deleted documents included)."""

    ids: list[int]
    weights: list[float]
    doc_frequency: int


def read_postings(reader: Any, field: str, term: str) -> TermPostings:
    """A term's document numbers and weights in every segment, a block at a time.

    Whoosh's matchers hand out one posting per call (about a microsecond each); search reads
    whole posting lists into its caches, so it takes each decoded block as it is. The term is
    looked up once per segment: its entry gives the document frequency too.
    """
    ids: list[int] = []
    weights: list[float] = []
    frequency = 0
    fieldobj = reader.schema[field]
    tbytes = fieldobj.to_bytes(term)
    for segment, offset in reader.leaf_readers():
        entry = _segment_postings(segment, field, tbytes, fieldobj.format)
        if entry is None:
            continue
        info, postings = entry
        frequency += info.doc_frequency()
        found: list[int] = []
        weighed: list[float] = []
        if isinstance(postings, W3LeafMatcher):
            while postings.is_active():
                found.extend(_block_ids(postings))
                weighed.extend(_block_weights(postings))
                postings._next_block()
        else:
            while postings.is_active():  # an inlined list
                found.append(postings.id())
                weighed.append(postings.weight())
                postings.next()
        deleted = segment.deleted_docs_set
        if deleted:
            kept = [i for i, docnum in enumerate(found) if docnum not in deleted]
            found, weighed = [found[i] for i in kept], [weighed[i] for i in kept]
        ids.extend([docnum + offset for docnum in found] if offset else found)
        weights.extend(weighed)
    return TermPostings(ids, weights, frequency)


def _segment_postings(segment: Any, field: str, tbytes: bytes, fmt: Any) -> tuple[Any, Any] | None:
    """A term's entry in one segment and a matcher on its postings, deleted documents included
    (whoosh's reader wraps them in a filter that hands out one posting per call), or None."""
    terms = getattr(segment, "_terms", None)
    if terms is None:  # an empty index
        return None
    try:
        info = terms.term_info(field, tbytes)
    except TermNotFound:
        return None
    return info, terms._codec.postings_reader(terms._postfile, info, fmt)


def _block_ids(block: W3LeafMatcher) -> Iterable[int]:
    """W3LeafMatcher._read_ids with the running sum done in C."""
    if block._data is None:
        block._read_data()
    ids: Iterable[int] = block._data[0]
    return ids if block._byteids else accumulate(ids)


def _block_weights(block: W3LeafMatcher) -> Iterable[float]:
    """W3LeafMatcher._read_weights without building an array of equal weights."""
    if block._data is None:
        block._read_data()
    weights = block._data[1]
    if weights is None or isinstance(weights, float):  # whoosh widens these to a float array
        return repeat(array("f", [1.0 if weights is None else weights])[0], block._blocklength)
    return weights  # type: ignore[no-any-return]


def read_positions(reader: Any, field: str, term: str, docs: Iterable[int]) -> dict[int, list[int]]:
    """A term's word positions in some documents (global numbers), reading only their blocks.

    A block whose document range holds none of the wanted documents is skipped unread, so the
    cost follows the candidates, not the term's whole posting list.
    """
    wanted = sorted(docs)
    fieldobj = reader.schema[field]
    fmt, tbytes = fieldobj.format, fieldobj.to_bytes(term)
    decode = _decode_positions if type(fmt) is Positions else fmt.decoder("positions")
    found: dict[int, list[int]] = {}
    for segment, offset in reader.leaf_readers():
        low = bisect.bisect_left(wanted, offset)
        deleted = segment.deleted_docs_set
        local = [
            d - offset
            for d in wanted[low : bisect.bisect_left(wanted, offset + segment.doc_count_all())]
            if d - offset not in deleted
        ]
        if not local:
            continue
        entry = _segment_postings(segment, field, tbytes, fmt)
        if entry is None:
            continue
        postings = entry[1]
        keep = set(local)
        if not isinstance(postings, W3LeafMatcher):  # an inlined list
            while postings.is_active():
                if postings.id() in keep:
                    found[postings.id() + offset] = decode(postings.value())
                postings.next()
            continue
        previous = -1
        while postings.is_active():
            first = bisect.bisect_right(local, previous)  # the first wanted after the last block
            if first < len(local) and local[first] <= postings._maxid:
                postings._read_ids()
                postings._read_values()
                for docnum, value in zip(postings._ids, postings._values, strict=True):
                    if docnum in keep:
                        found[docnum + offset] = decode(value)
            previous = postings._maxid
            postings._next_block()
    return found


def _decode_positions(value: bytes) -> list[int]:
    """whoosh.formats.Positions.decode_positions, with the running sum done in C."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(pickle.loads(value[4:])))


def _posting_length(length: int) -> int:
    """The field length whoosh records with a posting: byte-quantised as in its length column."""
    return byte_to_length(length_to_byte(length)) if length else 0


def _spell_once(seen: dict[str, set[str]], fields: dict[str, Any]) -> None:
    """Give each spelling word to whoosh once per segment, not once per document.

    Whoosh's spelling fields only list words (search counts documents from the stemmed fields),
    and adding every document's words was half of all postings written.
    """
    for name, value in fields.items():
        if isinstance(value, Postings) and value.spelling:
            done = seen.setdefault(name, set())
            value.spelling = [w for w in value.spelling if w not in done]
            done.update(value.spelling)


class Update:
    """A new generation being written; publish() makes it live. Use through begin_update().

    New documents go into new segments: ingest workers write their own (add_segment), and
    upsert() writes into one kept here. The update's whoosh writer only deletes replaced and
    removed documents from the segments the generation started with, merges small ones, and
    writes the table of contents that lists all of them.
    """

    def __init__(self, root: Path, path: Path, fresh: bool) -> None:
        """Open a writer on the new generation folder."""
        self.root, self.path = root, path
        self._fresh = fresh
        self._writer = whoosh_index.open_dir(str(path)).writer(limitmb=256, codec=_Codec())
        self._builder: SegmentBuilder | None = None
        self._segments: list[Any] = []
        self._replaced: set[str] = set()
        self.changed = False

    def upsert(self, doc: Document, fields: dict[str, Any] | None = None) -> None:
        """Add or replace one document (an id given twice in one update is kept once).

        fields may carry the document's values analysed ahead of time (schema.to_fields).
        """
        if self._builder is None:
            self._builder = SegmentBuilder(self.path)
        self._builder.add(fields or to_fields(doc, analysed=True))
        self._replace(doc.id)

    def add_segment(self, segment: Any, doc_ids: Iterable[str]) -> None:
        """Include a segment a SegmentBuilder finished, replacing older versions of its documents."""
        self._segments.append(segment)
        for doc_id in doc_ids:
            self._replace(doc_id)

    def _replace(self, doc_id: str) -> None:
        """Delete the previous version of a document from the generation's earlier segments."""
        if not self._fresh and doc_id not in self._replaced:
            self._writer.delete_by_term(ID_FIELD, doc_id)
            self._replaced.add(doc_id)
        self.changed = True

    def remove(self, doc_id: str) -> None:
        """Remove one document by id."""
        self._writer.delete_by_term(ID_FIELD, doc_id)
        self.changed = True

    def publish(self, manifest: dict[str, Any], vocabulary: Vocabulary, corpus_dir: Path) -> None:
        """Commit, write the side files, and atomically make this generation live."""
        if self._builder is not None:
            segment = self._builder.finish()
            if segment is not None:
                self._segments.append(segment)
        self._commit()
        meta = {
            "schema_version": SCHEMA_VERSION,
            "corpus_dir": str(corpus_dir.resolve()),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "documents": whoosh_index.open_dir(str(self.path)).doc_count(),
        }
        generations.publish(self.root, self.path, meta, manifest, vocabulary.source)

    def _commit(self) -> None:
        """Whoosh's commit, with the new segments added to the table of contents.

        This is what whoosh's own multi-process writer does with its sub-writers' segments.
        """
        writer = self._writer
        kept = writer._merge_segments(CLEAR if self._fresh else None, False, True)
        if writer._added:  # the merge policy merged small segments into this writer
            kept.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(kept + self._segments)
        writer._finish()

    def abort(self) -> None:
        """Drop the uncommitted work and the new generation folder."""
        if self._builder is not None:
            self._builder.discard()
        with contextlib.suppress(Exception):
            self._writer.cancel()
        shutil.rmtree(self.path, ignore_errors=True)


def begin_update(root: Path, rebuild: bool) -> Update:
    """Start a new generation: empty on rebuild, else hard-linked from the live one."""
    live = current_generation(root)
    path = generations.new_generation(root)
    try:
        if rebuild or live is None or not live.is_dir():
            whoosh_index.create_in(str(path), build_schema())
            return Update(root, path, fresh=True)
        # whoosh never rewrites a file in place, so links are safe
        generations.link_files(live, path, skip=("MAIN_WRITELOCK",))
        return Update(root, path, fresh=False)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
