"""Exports round-trip through the parsers reference managers use: RIS, BibTeX, CSL-JSON."""

from __future__ import annotations

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from library.citation import PROGRAM, Reference
from library.export import to_bibtex, to_csl_json, to_ris
from library.models import Document

TITLES = [
    "Guía para familias: ¿qué hacer en las primeras horas?",
    'The "First Hours" {Checklist} & 100% of What Matters',
    "Niños, niñas y adolescentes_en riesgo #2 ~ $5 back\\slash",
]


def reference(doc_id: str, title: str, **overrides: object) -> Reference:
    """A reference to a Spanish report with the given title."""
    doc = Document(
        **{
            "id": doc_id,
            "title": title,
            "path": doc_id + ".pdf",
            "format": "pdf",
            "date": "2019-11-12",
            "type": "guide",
            "language": "es",
            "summary": "Cuando su hijo regresa a casa, la familia necesita tiempo.",
            **overrides,
        }  # type: ignore[arg-type]
    )
    url = "https://library.example.org/documents/" + doc_id
    return Reference(doc, url, url.replace("documents", "files"), "Guide", ("Reunificación",))


REFS = [reference(f"families/guia-{n}", title) for n, title in enumerate(TITLES)]


def test_ris_round_trips_through_rispy() -> None:
    """Every record comes back with its title, authors, date, publisher and URLs intact."""
    records = rispy.loads(to_ris(REFS))
    assert [r["title"] for r in records] == TITLES
    first = records[0]
    assert first["type_of_reference"] == "RPRT"
    assert first["authors"] == [PROGRAM]
    assert first["year"] == "2019"
    assert first["date"] == "2019/11/12"
    assert first["publisher"] == PROGRAM
    assert first["language"] == "es"
    assert first["urls"] == ["https://library.example.org/documents/families/guia-0"]
    assert first["keywords"] == ["Reunificación"]
    assert first["abstract"].startswith("Cuando su hijo")


def test_a_title_on_several_lines_stays_one_ris_value() -> None:
    """A newline in a value would start a bogus tag line."""
    ref = reference("x/y", "First line\nER  - second line")
    [record] = rispy.loads(to_ris([ref]))
    assert record["title"] == "First line ER - second line"


def parse_bibtex(text: str) -> bibtexparser.Library:
    """Parse BibTeX as a reference manager would, LaTeX escapes decoded."""
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def test_bibtex_round_trips_through_bibtexparser() -> None:
    """Accents, quotes, braces and LaTeX's special characters survive; keys are unique."""
    library = parse_bibtex(to_bibtex(REFS))
    entries = library.entries
    assert [e.fields_dict["title"].value for e in entries] == TITLES
    assert len({e.key for e in entries}) == len(entries)
    first = entries[0]
    assert first.entry_type == "techreport"
    assert first.fields_dict["institution"].value == PROGRAM
    assert first.fields_dict["year"].value == "2019"
    assert first.fields_dict["url"].value == "https://library.example.org/documents/families/guia-0"


def test_a_caret_is_written_as_latex_reads_it() -> None:
    """pylatexenc decodes \\textasciicircum to a modifier letter; LaTeX prints '^' from it."""
    assert "{x \\textasciicircum{} 2}" in to_bibtex([reference("a/b", "x ^ 2")])


def test_bibtex_keeps_an_organisation_whole_and_people_as_names() -> None:
    """An organisation is braced (never split at 'and'); people are joined with 'and'."""
    ref = reference("a/b", "T", authors=("Doe, Jane", "Police and Fire Department"))
    [entry] = parse_bibtex(to_bibtex([ref])).entries
    assert entry.fields_dict["author"].value == "Doe, Jane and Police and Fire Department"
    assert "{Police and Fire Department}" in to_bibtex([ref])


def test_repeated_ids_after_cleaning_get_distinct_keys() -> None:
    """'a/b' and 'a-b' clean to the same key: the second gets a number."""
    text = to_bibtex([reference("a/b", "One"), reference("a-b", "Two")])
    keys = [e.key for e in parse_bibtex(text).entries]
    assert keys == ["a-b-2019", "a-b-2019-2"]


@pytest.mark.parametrize("title", TITLES)
def test_csl_json_round_trips_through_json(title: str) -> None:
    """CSL-JSON is an array of items; text is UTF-8, not escaped."""
    text = to_csl_json([reference("x/y", title)])
    [item] = json.loads(text)
    assert item["title"] == title
    assert item["type"] == "report"
    assert item["author"] == [{"literal": PROGRAM}]
    assert "\\u00ed" not in text
