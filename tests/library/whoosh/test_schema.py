"""The whoosh schema: its fields come from the facet table, and a Document survives the trip."""

from __future__ import annotations

from library.facets import FACETS
from library.models import Document
from library.whoosh.schema import (
    BODY,
    STORED_META,
    SUMMARY,
    TITLE,
    build_schema,
    from_stored,
    index_language,
    to_fields,
)

GUIDE = Document(
    id="families/guia", title="Cuando su hijo regresa", path="families/guia.md", format="md",
    language="es", type="guide", date="2019-11-12", topics=("recovery-reunification",),
    audiences=("families",), summary="Apoyo para la familia.", authors=("Ana Pérez",),
    body="Cuando su hijo regresa a casa, la familia necesita tiempo.",
    blocks=(("h2", "Al regresar"), ("p", "La familia necesita tiempo.")),
    translation_of="families/when-your-child-returns",
)  # fmt: skip


def test_the_schema_has_a_field_for_every_facet_and_text_fields_for_both_languages() -> None:
    names = set(build_schema().names())
    assert {spec.field for spec in FACETS} <= names
    assert {*TITLE.values(), *SUMMARY.values(), *BODY.values()} <= names


def test_a_spanish_document_is_indexed_in_the_spanish_fields_with_its_facet_values() -> None:
    fields = to_fields(GUIDE)
    assert fields[TITLE["es"]] == GUIDE.title
    assert TITLE["en"] not in fields
    assert fields[BODY["es"]] == GUIDE.body
    assert fields["topic"] == "recovery-reunification"
    assert fields["year"] == "2019"
    assert fields["language"] == "es"
    assert fields["translation_of"] == "families/when-your-child-returns"


def test_an_inferred_summary_is_stored_but_not_searched_and_empty_values_are_left_out() -> None:
    doc = Document(id="a", title="A", path="a.txt", format="txt", summary="First lines.",
                   summary_inferred=True, body="First lines. More.")  # fmt: skip
    fields = to_fields(doc)
    assert SUMMARY["en"] not in fields
    assert fields[STORED_META]["summary"] == "First lines."
    assert "" not in fields.values()
    assert fields["year"] == "none"  # undated: the year facet's own value


def test_stored_fields_give_back_the_document_with_or_without_its_text() -> None:
    stored = to_fields(GUIDE)
    assert from_stored(stored, with_body=True) == GUIDE
    brief = from_stored(stored)
    assert brief.body == ""
    assert brief.blocks == ()
    assert brief.title == GUIDE.title


def test_a_language_without_its_own_analysis_is_indexed_as_english() -> None:
    assert index_language("fr") == "en"
    assert index_language("es") == "es"
    doc = Document(id="f", title="Guide", path="f.txt", format="txt", language="fr")
    assert TITLE["en"] in to_fields(doc)
