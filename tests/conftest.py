"""Shared fixtures: a small real corpus, ingested through the production pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from argon2 import profiles

from ingest import pipeline
from library import passwords
from library.index import LibraryIndex, open_index
from library.settings import Settings, load_settings
from tests.factories import html_page, pdf_bytes, write

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "corpus" / "vocabulary.toml"


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> None:
    """Argon2id with argon2-cffi's CHEAPEST parameters in this process: same code, no 0.2 s."""
    passwords.use_parameters(profiles.CHEAPEST)


def build_sample_corpus(root: Path) -> Path:
    """Eight publications in every format, with and without sidecars, in two languages."""
    shutil.copy(VOCABULARY, root / "vocabulary.toml")
    write(root, "guides/first-hours.html", html_page(
        "The First Hours When Your Child Is Missing",
        "<p>Published March 4, 2019.</p><p>Call 911 at once. There is no waiting period to report "
        "a missing child. Your child will be entered into NCIC. Call the National Center for "
        "Missing &amp; Exploited Children at 1-800-THE-LOST.</p><p>Keep a recent photo of your "
        "child ready for the police and think about where your child was last seen.</p>",
        description="What parents should do in the first hours after a child goes missing.",
    ))  # fmt: skip
    write(root, "guides/first-hours.toml", 'type = "guide"\naudiences = ["families"]\n'
          'topics = ["missing-investigations"]\ndate = "2019-03-04"\n')  # fmt: skip
    write(root, "reports/cart-report.pdf", pdf_bytes([
        "Child Abduction Response Teams: A Field Report\nPublished: June 2016\n\nThe child "
        "abduction response team brings investigators together\nin the first hours after an abduction.",
        "Recommendations for law enforcement agencies and officers\nabout deploying a CART quickly.",
    ], title="Microsoft Word - cart_final_v3.docx"))  # fmt: skip
    write(root, "fact-sheets/sextortion.pdf", pdf_bytes([
        "Sextortion: What Young People Should Know\nIf someone threatens to share images of you,"
        " do not pay.\nTell a trusted adult and report it to the CyberTipline.",
    ], title="Sextortion: What Young People Should Know", created="20230612000000"))  # fmt: skip
    write(
        root,
        "fact-sheets/sextortion.toml",
        'audiences = ["youth"]\ntopics = ["exploitation", "technology"]\n',
    )
    write(root, "families/guia-regreso.md",
          "# Cuando su hijo regresa a casa\n\nPublicado el 12 de noviembre de 2019.\n\n"
          "Cuando su hijo desaparecido regresa a casa, la familia necesita tiempo. Los niños "
          "pueden sentir miedo y confusión. Hable con su hijo con calma y busque apoyo para "
          "toda la familia en la reunificación.\n")  # fmt: skip
    write(root, "training/forensic-interviewing-course.txt",
          "FORENSIC INTERVIEWING OF CHILDREN: A TWO-DAY COURSE\n\nPosted: January 6, 2025\n\n"
          "This training course for child advocacy center staff and multidisciplinary team "
          "members covers the forensic interview of children who may have been abused.\n")  # fmt: skip
    write(root, "training/forensic-interviewing-course.toml", 'type = "training"\n')
    write(root, "newsletters/spring-2011.html", html_page(
        "MECP News, Spring 2011",
        "<p>In this issue: AMBER Alert in Indian Country, runaway youth and trafficking.</p>"
        "<table><tr><td>AMBER</td><td>Alert</td></tr></table><p>Tribal communities joined the "
        "AMBER Alert plan of their state. Endangered runaway youth face trafficking risks.</p>",
    ))  # fmt: skip
    write(root, "newsletters/spring-2011.toml", 'date = "2011-04-01"\ntype = "newsletter"\n'
          'topics = ["amber-alert", "tribal", "runaway-youth"]\naudiences = ["law-enforcement"]\n')  # fmt: skip
    write(root, "events/missing-childrens-day.html", html_page(
        "National Missing Children's Day 2015",
        "<p>May 25, 2015. National Missing Children's Day honours missing children and the "
        "families who search for them, and thanks the officers who bring children home. The "
        "poster contest for fifth graders closes in March.</p>",
    ))  # fmt: skip
    return root


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus, written once per test session (treat as read-only)."""
    return build_sample_corpus(tmp_path_factory.mktemp("corpus"))


def settings_for(corpus: Path, index_dir: Path, **overrides: object) -> Settings:
    """Settings pointing at a test corpus and index, with small limits where given."""
    return load_settings(
        {}, corpus_dir=corpus, index_dir=index_dir, **{"ingest_workers": 2, **overrides}
    )


@pytest.fixture(scope="session")
def index_dir(sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the sample corpus, built once through the production ingest path."""
    path = tmp_path_factory.mktemp("index")
    report = pipeline.run(settings_for(sample_corpus, path))
    assert report.exit_code == 0, list(report.lines())
    return path


@pytest.fixture(scope="session")
def lib(index_dir: Path) -> LibraryIndex:
    """The sample index, opened read-only."""
    return open_index(index_dir)
