"""The configset: kept files that agree with library.solr.fields, synonym files made from the vocabulary."""

from __future__ import annotations

import dataclasses
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from library.errors import LibraryError
from library.models import Document
from library.ranking import DEFAULT
from library.solr import fields
from library.solr.configset import (
    DEFAULT_SOURCE,
    build_configset,
    configset_name,
    vocabulary_files,
    zip_configset,
)
from library.vocab import Vocabulary, load_vocabulary, parse_vocabulary
from mecp import cli
from tests.conftest import VOCABULARY

SCHEMA = ET.parse(DEFAULT_SOURCE / "conf" / "schema.xml").getroot()
SOLRCONFIG = ET.parse(DEFAULT_SOURCE / "conf" / "solrconfig.xml").getroot()
DECLARED = {f.get("name") for f in SCHEMA.iter("field")}


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    """The bundled vocabulary."""
    return load_vocabulary(VOCABULARY)


def _with_extra(vocabulary: Vocabulary, toml: str) -> Vocabulary:
    """The bundled vocabulary plus a few more TOML lines."""
    return parse_vocabulary(vocabulary.source + "\n" + toml)


def _generated(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Each generated file's lines, comments left out."""
    return {
        name: [line for line in text.splitlines() if line and not line.startswith("#")]
        for name, text in vocabulary_files(vocabulary)
    }


def test_every_field_the_python_side_names_is_declared_in_the_schema() -> None:
    named = {
        fields.ID,
        fields.DATE,
        fields.DATE_SORT,
        fields.TITLE_SORT,
        fields.SPELL,
        fields.TOPIC_MATCH,
        *fields.TEXT_FIELDS,
        *fields.RANKED.values(),
        *fields.FACET_FIELDS.values(),
        *fields.STORED,
    }
    assert named - DECLARED == set()


def test_every_copy_field_and_field_type_is_declared() -> None:
    types = {t.get("name") for t in SCHEMA.iter("fieldType")}
    for copy in SCHEMA.iter("copyField"):
        assert {copy.get("source"), copy.get("dest")} <= DECLARED
    assert {f.get("type") for f in SCHEMA.iter("field")} <= types


def test_the_search_handler_searches_declared_fields_and_marks_matches() -> None:
    defaults = {e.get("name"): e.text or "" for e in SOLRCONFIG.iter("str")}
    for param in ("qf", "pf", "hl.fl"):
        named = {re.sub(r"\^.*", "", f) for f in defaults[param].split()}
        assert named <= set(fields.TEXT_FIELDS) | set(fields.RANKED.values()), param
    assert (defaults["defType"], defaults["hl.tag.pre"], defaults["hl.tag.post"]) == (
        "edismax",
        "<mark>",
        "</mark>",
    )
    assert defaults["hl.encoder"] == "html"  # the text around the marks is escaped
    assert defaults["mm"]


def test_the_schema_scores_with_the_ranking_policy_s_k1_and_b() -> None:
    similarity = SCHEMA.find("similarity")
    assert similarity is not None
    assert similarity.get("class") == "solr.BM25SimilarityFactory"
    constants = {e.get("name"): float(e.text or "") for e in similarity.iter("float")}
    assert constants == {"k1": DEFAULT.k1, "b": DEFAULT.b}


def test_the_ranked_field_holds_each_part_as_many_times_as_the_policy_weighs_it() -> None:
    doc = Document(
        id="a", title="Title words", path="a.txt", format="txt", summary="A summary", body="Body"
    )
    ranked = fields.to_solr(doc)[fields.RANKED["en"]]
    for kind, text in (("title", doc.title), ("summary", doc.summary), ("body", doc.body)):
        assert ranked.count(text) == DEFAULT.weight(kind)
    spanish = fields.to_solr(dataclasses.replace(doc, language="es", summary=""))
    assert fields.RANKED["en"] not in spanish
    assert spanish[fields.RANKED["es"]] == [doc.title] * int(DEFAULT.weight("title")) + [doc.body]


def test_equivalents_become_synonym_lines_with_and_without_accents(vocabulary: Vocabulary) -> None:
    lines = _generated(vocabulary)["synonyms.txt"]
    assert "kidnapping, kidnapped, abduction, abducted" in lines
    assert "sextorsión, sextorsion, sextortion" in lines
    assert len(lines) == len(vocabulary.equivalents)


def test_acronyms_become_two_way_synonyms(vocabulary: Vocabulary) -> None:
    lines = _generated(vocabulary)["acronyms.txt"]
    assert "cart, child abduction response team" in lines
    assert "ncmec, national center for missing & exploited children" in lines
    assert len(lines) == len(vocabulary.acronyms)


def test_each_topic_label_and_synonym_maps_to_the_topic_id(vocabulary: Vocabulary) -> None:
    generated = _generated(vocabulary)
    abduction = next(
        line for line in generated["topic_synonyms.txt"] if line.endswith("=> abduction")
    )
    assert abduction.startswith("child abduction, kidnapping")
    assert "sustracción de menores, sustraccion de menores" in abduction
    assert "amber_alert" in generated["topic_ids.txt"]
    assert len(generated["topic_ids.txt"]) == len(vocabulary.topics)


def test_synonym_syntax_in_a_phrase_is_escaped_and_punctuation_alone_is_dropped(
    vocabulary: Vocabulary,
) -> None:
    extra = '[[equivalents]]\nterms = ["a, b", "x => y", "&", "back\\\\slash"]\n'
    last = _generated(_with_extra(vocabulary, extra))["synonyms.txt"][-1]
    assert last == "a\\, b, x \\=> y, back\\\\slash"


def test_the_name_follows_the_content(vocabulary: Vocabulary) -> None:
    files = build_configset(vocabulary)
    assert configset_name(files) == configset_name(build_configset(vocabulary))
    changed = _with_extra(vocabulary, '[[equivalents]]\nterms = ["hotline", "tip line"]\n')
    assert configset_name(build_configset(changed)) != configset_name(files)
    assert re.fullmatch(r"mecp-[0-9a-f]{12}", configset_name(files))


def test_the_zip_holds_the_conf_files_at_its_root(vocabulary: Vocabulary) -> None:
    files = build_configset(vocabulary)
    archive = zipfile.ZipFile(io.BytesIO(zip_configset(files)))
    assert sorted(archive.namelist()) == sorted(p.removeprefix("conf/") for p in files)
    assert archive.read("schema.xml") == (DEFAULT_SOURCE / "conf" / "schema.xml").read_bytes()


def test_a_missing_source_folder_is_a_clear_error(vocabulary: Vocabulary, tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="cannot read the Solr configset file .*solrconfig.xml"):
        build_configset(vocabulary, tmp_path)


def test_mecp_solr_configset_writes_a_configset_solr_tools_can_upload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "configset"
    assert cli.main(["solr", "configset", "--out", str(out), "--vocabulary", str(VOCABULARY)]) == 0
    written = sorted(p.name for p in (out / "conf").iterdir())
    assert written == sorted(
        [
            "solrconfig.xml",
            "schema.xml",
            "synonyms.txt",
            "acronyms.txt",
            "topic_synonyms.txt",
            "topic_ids.txt",
        ]
    )
    assert "cart, child abduction response team" in (out / "conf" / "acronyms.txt").read_text()
    assert "6 files" in capsys.readouterr().out
