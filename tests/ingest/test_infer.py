"""Inference of what sidecars leave out, against the real vocabulary."""

from __future__ import annotations

import pytest

from ingest.extract import Extracted
from ingest.infer import (
    FileFacts,
    build_document,
    infer_date,
    infer_language,
    infer_title,
    tidy_title,
)
from ingest.sidecar import Sidecar
from library.vocab import Vocabulary, load_vocabulary
from tests.conftest import VOCABULARY


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    """The bundled vocabulary."""
    return load_vocabulary(VOCABULARY)


def _facts(path: str = "reports/x.pdf") -> FileFacts:
    """File facts for a made-up path, modified on 2020-01-02."""
    return FileFacts(
        doc_id=path.rsplit(".", 1)[0], path=path, format="pdf", size=10, mtime=1577923200
    )


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("MECP News\nPublished: October 2017\nIn 1983 the day was proclaimed.", "2017-10"),
        ("Webinar\nDate: Tuesday, March 14, 2017\nLength: 90 minutes", "2017-03-14"),
        ("Guía\nPublicado el 12 de noviembre de 2019.", "2019-11-12"),
        ("Report 2016-09-14 final", "2016-09-14"),
        ("MECP News, Spring 2011\nIn this issue", "2011"),
        ("No date in this text at all", ""),
    ],
)
def test_clear_dates_are_found_in_the_text(text: str, date: str) -> None:
    """Labelled dates first, then full dates, month-year, then a season or issue year."""
    assert infer_date(text) == date


def test_the_first_heading_line_is_the_title_and_a_wrapped_heading_is_joined() -> None:
    """A heading that wraps after 'of a' continues on the next line."""
    text = "Supervisor's Checklist: The First 24 Hours of a\nMissing Child Investigation\nRevised: August 2014."
    assert (
        infer_title(text)
        == "Supervisor's Checklist: The First 24 Hours of a Missing Child Investigation"
    )


def test_titles_in_capitals_are_title_cased_but_acronyms_stay() -> None:
    """CART stays CART; 'FOR' becomes 'for'."""
    assert tidy_title("CART TRAINING FOR SUPERVISORS", {"cart"}) == "CART Training for Supervisors"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Si su hijo no regresa a casa, llame a la policía de inmediato y pida el número del caso. "
         "La familia puede pedir ayuda para los hermanos que se quedan en casa con miedo.", "es"),
        ("If your child does not come home, call the police at once and ask for the case number. "
         "You can ask for help for the brothers and sisters who stay at home.", "en"),
    ],
)  # fmt: skip
def test_language_is_inferred_from_stop_words(text: str, lang: str) -> None:
    """Spanish and English are told apart."""
    assert infer_language(text) == lang


def test_topics_audiences_and_type_are_inferred_from_vocabulary_keywords(
    vocabulary: Vocabulary,
) -> None:
    """A text about runaways written for parents gets runaway-youth and families."""
    text = (
        "When Your Teen Runs Away\n\nIf your teen ran away, call the police and the National "
        "Runaway Safeline at 1-800-RUNAWAY. Parents often feel afraid; your child may be at risk "
        "of trafficking. Endangered runaway youth need help quickly. As parents, keep your phone on."
    )
    doc = build_document(_facts("families/x.html"), Extracted(text=text), Sidecar(), vocabulary)
    assert "runaway-youth" in doc.topics
    assert "families" in doc.audiences
    assert doc.title == "When Your Teen Runs Away"


def test_sidecar_values_win_over_inference(vocabulary: Vocabulary) -> None:
    """Every key the sidecar gives is used as given."""
    sidecar = Sidecar(title="Given", date="2012", type="report", topics=("tribal",),
                      audiences=("medical",), language="es", summary="S")  # fmt: skip
    doc = build_document(
        _facts(), Extracted(text="AMBER Alert runaway " * 50, title="T"), sidecar, vocabulary
    )
    assert (doc.title, doc.date, doc.type, doc.topics, doc.audiences, doc.language, doc.summary) == (
        "Given", "2012", "report", ("tribal",), ("medical",), "es", "S"
    )  # fmt: skip


def test_type_comes_from_the_folder_and_the_date_from_the_file_time_last(
    vocabulary: Vocabulary,
) -> None:
    """'webinars/' means webinar; with no date anywhere the file's mtime is used."""
    doc = build_document(
        _facts("webinars/a.html"), Extracted(text="Plain words only."), Sidecar(), vocabulary
    )
    assert doc.type == "webinar"
    assert doc.date == "2020-01-02"
