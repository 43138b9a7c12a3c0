"""Citations: CSL-JSON items, references in APA, MLA and Chicago, and Highwire tags."""

from __future__ import annotations

import datetime

import pytest

from library.citation import (
    PROGRAM,
    Reference,
    csl_item,
    format_references,
    highwire_tags,
)
from library.models import Document

URL = "https://library.example.org/documents/guides/primeras-horas"
FILE = "https://library.example.org/files/guides/primeras-horas"


def reference(**overrides: object) -> Reference:
    """A Spanish fact sheet by the program, with fields overridden."""
    doc = Document(
        **{
            "id": "guides/primeras-horas",
            "title": "Guía para las primeras horas",
            "path": "guides/primeras-horas.pdf",
            "format": "pdf",
            "date": "2019-03-04",
            "type": "fact-sheet",
            "language": "es",
            "summary": "Qué hacer.",
            "page_count": 4,
            **overrides,
        }  # type: ignore[arg-type]
    )
    return Reference(doc, URL, FILE, type_label="Fact sheet", keywords=("AMBER Alert",))


def by_style(ref: Reference) -> dict[str, str]:
    """Style id -> plain-text reference."""
    return {f.style: f.text for f in format_references(ref)}


def test_the_program_is_the_corporate_author_and_publisher() -> None:
    """Without sidecar authors the program is a literal (never split into given and family)."""
    item = csl_item(reference())
    assert item["author"] == [{"literal": PROGRAM}]
    assert item["publisher"] == PROGRAM
    assert item["issued"] == {"date-parts": [[2019, 3, 4]]}
    assert item["URL"] == URL
    assert item["genre"] == "Fact sheet"


def test_sidecar_authors_are_people_or_organisations() -> None:
    """'Family, Given' is a person; a name without a comma is an organisation."""
    item = csl_item(reference(authors=("Núñez, José", "Fox Valley Technical College")))
    assert item["author"] == [
        {"family": "Núñez", "given": "José"},
        {"literal": "Fox Valley Technical College"},
    ]


def test_each_style_formats_the_reference_its_own_way() -> None:
    """APA puts the year in parentheses after the author, MLA the date at the end, Chicago the year."""
    refs = by_style(reference())
    assert refs["apa"] == (
        f"{PROGRAM}. (2019). Guía para las primeras horas [Fact sheet]. {PROGRAM}. {URL}"
    )
    assert refs["mla"].startswith(f"{PROGRAM}. Guía para las primeras horas.")
    assert "4 Mar. 2019" in refs["mla"]
    assert refs["chicago"].startswith(f"{PROGRAM}. 2019. Guía para las primeras horas.")
    assert all(URL in text for text in refs.values())


def test_titles_are_italic_and_markup_in_metadata_is_escaped() -> None:
    """A title with <, & and quotes is escaped in the HTML and intact in the text."""
    title = 'When <script>alert(1)</script> "Runaway" & {Missing}'
    for formatted in format_references(reference(title=title, language="en")):
        assert "<script>" not in formatted.html
        assert "&lt;script&gt;" in formatted.html
        assert "<i>" in formatted.html
        assert "&lt;script&gt;" not in formatted.text
        assert "{Missing}" in formatted.text


def test_a_person_author_is_cited_by_family_name() -> None:
    """APA gives the family name and initials."""
    refs = by_style(reference(authors=("Núñez, José",)))
    assert refs["apa"].startswith("Núñez, J. (2019).")


@pytest.mark.parametrize(
    ("date", "apa_year"), [("2019-03", "(2019)"), ("2019", "(2019)"), ("", "(n.d.)")]
)
def test_partial_and_missing_dates(date: str, apa_year: str) -> None:
    """A month, a year or no date at all are cited as the styles say."""
    assert apa_year in by_style(reference(date=date))["apa"]


def test_an_undated_publication_is_cited_with_the_day_it_was_read() -> None:
    """APA's "Retrieved <date>, from <URL>" for an undated page."""
    today = datetime.date.today()
    apa = by_style(reference(date=""))["apa"]
    assert f"Retrieved {today:%B} {today.day}, {today.year}, from {URL}" in apa


def test_a_spanish_page_cites_with_spanish_conventions() -> None:
    """The es-ES locale: 'y' between authors in MLA, Spanish month names."""
    refs = {
        f.style: f.text
        for f in format_references(reference(authors=("Núñez, José", "Fox Valley")), "es")
    }
    assert "Núñez, J., y Fox Valley." in refs["mla"]
    assert "4 de marzo de 2019" in refs["mla"]
    assert "(s.\u00a0f.). " in by_style_es(reference(date=""))


def by_style_es(ref: Reference) -> str:
    """The APA reference with Spanish conventions."""
    return next(f.text for f in format_references(ref, "es") if f.style == "apa")


def test_highwire_tags_name_title_authors_date_pdf_language_and_publisher() -> None:
    """Google Scholar's tags: one citation_author per author, the date with slashes."""
    tags = highwire_tags(reference(authors=("Núñez, José", "Fox Valley Technical College")))
    names = [name for name, _ in tags]
    assert ("citation_title", "Guía para las primeras horas") in tags
    assert [v for n, v in tags if n == "citation_author"] == [
        "Núñez, José",
        "Fox Valley Technical College",
    ]
    assert ("citation_publication_date", "2019/03/04") in tags
    assert ("citation_pdf_url", FILE) in tags
    assert ("citation_language", "es") in tags
    assert ("citation_publisher", PROGRAM) in tags
    assert names.count("citation_title") == 1


def test_no_pdf_url_for_a_web_page_or_a_missing_file() -> None:
    """citation_pdf_url is only for a PDF the site serves."""
    assert "citation_pdf_url" not in dict(highwire_tags(reference(format="html")))
    ref = reference()
    missing = Reference(ref.doc, URL, "", ref.type_label, ref.keywords)
    assert "citation_pdf_url" not in dict(highwire_tags(missing))
