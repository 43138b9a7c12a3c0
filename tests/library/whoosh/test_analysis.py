"""The fast analysis path gives exactly what whoosh's analyzers give."""

from __future__ import annotations

import pytest
from whoosh.filedb.filestore import RamStorage

from library.models import Document
from library.whoosh.analysis import analyse, analyzer, postings
from library.whoosh.schema import build_schema, to_fields

TEXTS = [
    (
        "en",
        "The first \ufb01rst U.S. responders called 1-800-THE-LOST at 9 a.m.; *wild* child's caf\u00e9.",
    ),
    (
        "en",
        "A a an THE the. Runaway youth ran away; runaways are running-away teens in 2019-06-21.",
    ),
    (
        "es",
        "Los ni\u00f1os desaparecidos: \u00bfqu\u00e9 hacer? Llame al 911 y a la polic\u00eda de inmediato.",
    ),
    (
        "es",
        "Reunificaci\u00f3n despu\u00e9s del regreso a casa de su hijo o hija; apoyo para la familia.",
    ),
    ("en", ""),
    ("en", "the of and"),
    # lowercasing '\u0130' adds a character, so the tokenise-then-lowercase path is taken
    ("en", "\u0130stanbul police met the \u0130NTERPOL liaison; Runaway RUNAWAY runaway."),
]


@pytest.mark.parametrize(("lang", "text"), TEXTS)
def test_terms_and_positions_match_the_whoosh_analyzer(lang: str, text: str) -> None:
    """Same terms, same positions (stop words renumbered away), same unstemmed words."""
    tokens = [(t.text, t.pos) for t in analyzer(lang)(text, positions=True)]
    fast = analyse(text, lang)
    assert list(zip(fast.terms, range(fast.first_position, 10**6), strict=False)) == tokens
    assert fast.words == sorted({t.text for t in analyzer(lang)(text, no_morph=True)})


@pytest.mark.parametrize(("lang", "text"), TEXTS)
def test_postings_match_what_the_field_would_index(lang: str, text: str) -> None:
    """(term, frequency, weight, encoded positions) as the TEXT field computes them."""
    field = build_schema()["body" if lang == "en" else "body_es"]
    assert sorted(postings(text, lang)) == sorted(field.index(text))


def test_an_index_built_from_postings_equals_one_built_from_text() -> None:
    """Every field's terms and postings are identical either way, spelling words included."""
    docs = [
        Document(id=f"d{i}", title=f"Title {i} {text[:20]}", path="x.txt", format="txt",
                 body=text, summary=text[:30], language=lang)
        for i, (lang, text) in enumerate(TEXTS)
    ]  # fmt: skip
    readers = []
    for analysed in (False, True):
        ix = RamStorage().create_index(build_schema())
        with ix.writer() as writer:
            for doc in docs:
                writer.add_document(**to_fields(doc, analysed=analysed))
        readers.append(ix.reader())
    plain, fast = readers
    assert list(plain.all_terms()) == list(fast.all_terms())
    for field, term in plain.all_terms():
        a, b = plain.postings(field, term), fast.postings(field, term)
        assert list(a.items_as("positions") if a.supports("positions") else a.all_ids()) == list(
            b.items_as("positions") if b.supports("positions") else b.all_ids()
        )
    for docnum in range(len(docs)):
        for field in ("title", "summary", "body", "title_es", "summary_es", "body_es"):
            assert plain.doc_field_length(docnum, field) == fast.doc_field_length(docnum, field)
