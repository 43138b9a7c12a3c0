"""The bundled corpus ingests cleanly, covers the vocabulary, and its inferred metadata is right."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import pipeline
from library.facets import selected
from library.index import LibraryIndex
from library.models import SearchRequest
from library.search import get_document, search, translations
from library.vocab import AUDIENCES, TOPICS

pytestmark = pytest.mark.corpus


def test_the_whole_corpus_ingests_without_failures_or_warnings(
    corpus_report: tuple[pipeline.Report, Path],
) -> None:
    """At least 60 publications, none failed, no vocabulary or sidecar warnings."""
    report, _ = corpus_report
    assert report.failed == []
    assert report.warnings == []
    assert len(report.added) >= 60


def test_every_topic_and_audience_has_at_least_four_documents(corpus_lib: LibraryIndex) -> None:
    """Facet counts show every controlled topic and audience."""
    result = search(corpus_lib, SearchRequest())
    for name, ids in (("topic", TOPICS), ("audience", AUDIENCES)):
        counts = {v.value: v.count for v in result.facet(name).values}
        assert {i: counts.get(i, 0) for i in ids if counts.get(i, 0) < 4} == {}


def test_dates_span_2008_to_2026_and_spanish_guides_exist(corpus_lib: LibraryIndex) -> None:
    """The archive covers the years and the families who read Spanish."""
    result = search(corpus_lib, SearchRequest())
    years = {int(v.value) for v in result.facet("year").values}
    assert min(years) == 2008
    assert max(years) == 2026
    spanish = search(
        corpus_lib, SearchRequest(facets=selected(language=("es",), type=("guide", "fact-sheet")))
    )
    assert spanish.total >= 4


@pytest.mark.parametrize(
    ("doc_id", "title", "date", "type_", "topics", "audiences", "language"),
    [
        ("reports/endangered-runaways-trafficking-2019",
         "Responding to Endangered Runaways and Child Sex Trafficking: A Practice Review for Child "
         "Welfare and Law Enforcement", "2019-06", "report", {"runaway-youth", "trafficking"},
         {"child-welfare", "law-enforcement"}, "en"),
        ("checklists/supervisor-first-24-hours",
         "Supervisor's Checklist: The First 24 Hours of a Missing Child Investigation", "2014-08",
         "checklist", {"missing-investigations"}, {"law-enforcement"}, "en"),
        ("newsletters/newsletter-pdf-2008-fall", "MECP Bulletin, Fall 2008", "2008-10",
         "newsletter", {"training"}, {"law-enforcement"}, "en"),
        ("families/cuando-su-hijo-adolescente-se-va-de-casa",
         "Cuando su hijo adolescente se va de casa", "2025-03", "guide", {"runaway-youth"},
         {"families"}, "es"),
        ("families/when-your-teen-runs-away", "When Your Teen Runs Away", "2014-08", "guide",
         {"runaway-youth"}, {"families"}, "en"),
        ("training/child-abduction-investigations-supervisors",
         "Child Abduction Investigations for Supervisors", "2025-01-06", "training",
         {"abduction", "training"}, {"law-enforcement"}, "en"),
        ("webinars/school-based-prevention-educators", "Keeping Students Safe", "2012-10-17",
         "webinar", {"prevention"}, {"educators"}, "en"),
    ],
)  # fmt: skip
def test_inferred_metadata_of_documents_without_sidecars(
    corpus_lib: LibraryIndex,
    doc_id: str,
    title: str,
    date: str,
    type_: str,
    topics: set[str],
    audiences: set[str],
    language: str,
) -> None:
    """Title (no junk, no site suffix), date, type, topics, audiences and language are inferred."""
    doc = get_document(corpus_lib, doc_id)
    assert doc.title.startswith(title)
    assert doc.date.startswith(date)
    assert doc.type == type_
    assert topics <= set(doc.topics)
    assert audiences <= set(doc.audiences)
    assert doc.language == language


def test_junk_pdf_metadata_titles_never_become_titles(corpus_lib: LibraryIndex) -> None:
    """No indexed title looks like 'Microsoft Word - x.docx' or 'untitled'."""
    titles = [h.title for h in search(corpus_lib, SearchRequest(per_page=100)).hits]
    assert not [t for t in titles if t.lower().startswith(("microsoft", "untitled", "document1"))]
    assert not [t for t in titles if t.endswith((".docx", ".pdf", "| MECP"))]


@pytest.mark.parametrize(
    ("spanish", "english"),
    [
        ("families/primeras-horas-nino-desaparecido", "families/first-48-hours-missing-child"),
        (
            "families/alerta-amber-explicada-para-familias",
            "families/amber-alert-criteria-for-families",
        ),
        ("families/cuando-su-hijo-regresa-a-casa", "families/when-your-child-comes-home"),
        ("families/cuando-su-hijo-adolescente-se-va-de-casa", "families/when-your-teen-runs-away"),
    ],
)
def test_the_spanish_guides_are_paired_with_their_english_editions(
    corpus_lib: LibraryIndex, spanish: str, english: str
) -> None:
    """Each pair really is one guide in two languages; the pairing shows from both sides."""
    es, en = get_document(corpus_lib, spanish), get_document(corpus_lib, english)
    assert (es.language, en.language) == ("es", "en")
    assert [d.id for d in translations(corpus_lib, es)] == [english]
    assert [d.id for d in translations(corpus_lib, en)] == [spanish]
