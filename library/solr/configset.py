"""The project's Solr configset: the files kept in solr/configset/ plus those made from the vocabulary.

schema.xml and solrconfig.xml are kept in the repository; the synonym files are written from
corpus/vocabulary.toml each time the configset is built, so they follow the staff's edits:
synonyms.txt (the equivalents), acronyms.txt (short and long forms, both ways),
topic_synonyms.txt (each topic's label and synonyms, mapped to its id) and topic_ids.txt.
A configset is named after a hash of its files, so a collection keeps the exact configuration it
was built with while a new one is uploaded beside it. May import: stdlib, errors, text, vocab.
"""

from __future__ import annotations

import hashlib
import io
import tomllib
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from library.errors import LibraryError
from library.text import fold, words
from library.vocab import Vocabulary

# The checkout's solr/configset/ (this file is library/solr/configset.py).
DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "solr" / "configset"
CONF = "conf"
KEPT = ("solrconfig.xml", "schema.xml")
NAME_PREFIX = "mecp-"

Files = dict[str, bytes]  # path inside the configset ("conf/schema.xml") -> content


def build_configset(vocabulary: Vocabulary, source: Path = DEFAULT_SOURCE) -> Files:
    """Every file of the configset: the kept ones from source, the generated ones from vocabulary."""
    files: Files = {}
    for name in KEPT:
        path = source / CONF / name
        try:
            files[f"{CONF}/{name}"] = path.read_bytes()
        except OSError as exc:
            raise LibraryError(
                f"cannot read the Solr configset file {path}: {exc.strerror}"
            ) from exc
    files.update({f"{CONF}/{name}": text.encode() for name, text in vocabulary_files(vocabulary)})
    return files


def vocabulary_files(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """The generated files as (name, text), in Solr's synonym format."""
    data = tomllib.loads(vocabulary.source)  # the phrases as written, accents and all
    header = "# Made by `mecp solr configset` from the vocabulary; edit vocabulary.toml instead.\n"
    groups = [g["terms"] for g in data.get("equivalents", []) if g.get("terms")]
    pairs = [(a.get("short", ""), a.get("long", "")) for a in data.get("acronyms", [])]
    pairs = [pair for pair in pairs if all(pair)]
    topics = data.get("topics", {})
    names = {key: _line([t.get("label", ""), *t.get("synonyms", [])]) for key, t in topics.items()}
    mappings = (f"{n} => {topic_token(key)}" for key, n in names.items() if n)
    return [
        ("synonyms.txt", header + _lines(_line(group) for group in groups)),
        ("acronyms.txt", header + _lines(_line(pair) for pair in pairs)),
        ("topic_synonyms.txt", header + _lines(mappings)),
        ("topic_ids.txt", header + _lines(topic_token(key) for key in topics)),
    ]


def topic_token(topic_id: str) -> str:
    """A topic id as one token of the topic_match field ("amber-alert" -> "amber_alert")."""
    return topic_id.replace("-", "_")


def _line(phrases: Iterable[Any]) -> str:
    """One synonym line: each phrase as written (lowercased) and without accents, comma-separated."""
    forms: list[str] = []
    for phrase in phrases:
        text = " ".join(str(phrase).lower().split())
        if words(text):  # a phrase of punctuation alone would analyse to nothing
            forms += [text, fold(text)]
    return ", ".join(_escape(f) for f in dict.fromkeys(forms))


def _lines(lines: Iterable[str]) -> str:
    """Non-empty lines, each ended by a newline."""
    return "".join(line + "\n" for line in lines if line)


def _escape(phrase: str) -> str:
    """Escape what Solr's synonym format reads as syntax: backslash, comma and "=>"."""
    return phrase.replace("\\", "\\\\").replace(",", "\\,").replace("=>", "\\=>")


def configset_name(files: Mapping[str, bytes]) -> str:
    """A name that changes whenever any file does: "mecp-" and 12 hex digits of a hash."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return NAME_PREFIX + digest.hexdigest()[:12]


def zip_configset(files: Mapping[str, bytes]) -> bytes:
    """The zip the Configsets API takes: the conf/ files at its root."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.writestr(path.removeprefix(f"{CONF}/"), files[path])
    return buffer.getvalue()


def write_configset(files: Mapping[str, bytes], out: Path) -> list[Path]:
    """Write the configset under out (out/conf/...), as `bin/solr zk upconfig -d out` reads it."""
    written = []
    for path in sorted(files):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])
        written.append(target)
    return written
