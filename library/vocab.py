"""The controlled vocabulary: topics, audiences and types, synonyms, acronyms, equivalents.

Loaded from corpus/vocabulary.toml (a copy travels with every index). May import: stdlib, errors, text.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from library.errors import VocabularyError
from library.text import fold

KINDS = ("topics", "audiences", "types")

TOPICS = (
    "amber-alert", "abduction", "missing-investigations", "recovery-reunification",
    "runaway-youth", "exploitation", "trafficking", "victim-support", "prevention",
    "prosecution", "forensic-interviewing", "tribal", "technology", "awareness", "training",
)  # fmt: skip
AUDIENCES = (
    "law-enforcement", "prosecutors", "child-welfare", "medical", "advocacy-centers",
    "families", "educators", "advocates", "youth",
)  # fmt: skip
TYPES = ("newsletter", "webinar", "guide", "fact-sheet", "report", "checklist", "training", "event")
REQUIRED = {"topics": TOPICS, "audiences": AUDIENCES, "types": TYPES}

LANGUAGES = {"en": "English", "es": "Español"}


@dataclass(frozen=True, slots=True)
class Term:
    """One topic, audience or type."""

    id: str
    label: str
    description: str
    synonyms: tuple[str, ...]
    keywords: tuple[tuple[str, float], ...]
    label_es: str = ""
    description_es: str = ""

    def label_in(self, lang: str) -> str:
        """The label in a language (Spanish when it has one), else the English label."""
        return self.label_es if lang == "es" and self.label_es else self.label

    def describe(self, lang: str) -> str:
        """The description in a language (Spanish when it has one), else the English one."""
        return self.description_es if lang == "es" and self.description_es else self.description


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity
class Vocabulary:
    """All controlled terms plus the query-expansion tables."""

    topics: dict[str, Term]
    audiences: dict[str, Term]
    types: dict[str, Term]
    acronyms: tuple[tuple[str, str], ...]  # (short, long), folded
    equivalents: tuple[tuple[str, ...], ...]  # groups of folded phrases
    source: str  # the TOML text, so an index can keep an exact copy

    def kind(self, kind: str) -> dict[str, Term]:
        """The terms of one kind: 'topics', 'audiences' or 'types'."""
        terms: dict[str, Term] = getattr(self, kind)
        return terms

    def label(self, kind: str, term_id: str, lang: str = "en") -> str:
        """The display label of a term in a language ('en', 'es'), or the id itself when unknown."""
        term = self.kind(kind).get(term_id)
        return term.label_in(lang) if term else term_id

    def resolve(self, kind: str, value: str) -> str | None:
        """Map an id, label or synonym (any case or accents) to its id; None if unknown."""
        key = fold(value.strip()).replace("_", "-")
        terms = self.kind(kind)
        if key in terms:
            return key
        for term in terms.values():
            names = (term.label, term.label_es, term.id.replace("-", " "), *term.synonyms)
            if key.replace("-", " ") in {fold(n).replace("-", " ") for n in names if n}:
                return term.id
        return None

    def closest(self, kind: str, value: str) -> str | None:
        """The valid id nearest to a misspelt one, for hints."""
        ids = list(self.kind(kind))
        match = difflib.get_close_matches(fold(value), ids, n=1, cutoff=0.4)
        return match[0] if match else None


def load_vocabulary(path: Path) -> Vocabulary:
    """Read and check a vocabulary file."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VocabularyError(f"cannot read vocabulary {path}: {exc.strerror}") from exc
    return parse_vocabulary(source, str(path))


def parse_vocabulary(source: str, name: str = "vocabulary") -> Vocabulary:
    """Parse vocabulary TOML text; every required id must be present."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{name}: {exc}") from exc
    kinds = {kind: _terms(data.get(kind, {}), kind, name) for kind in KINDS}
    for kind, required in REQUIRED.items():
        missing = [i for i in required if i not in kinds[kind]]
        if missing:
            raise VocabularyError(f"{name}: {kind} lacks required ids {', '.join(missing)}")
    acronyms = tuple(
        (fold(a["short"]), fold(a["long"])) for a in data.get("acronyms", []) if _pair(a)
    )
    groups = tuple(
        tuple(fold(t) for t in g["terms"]) for g in data.get("equivalents", []) if g.get("terms")
    )
    return Vocabulary(**kinds, acronyms=acronyms, equivalents=groups, source=source)


def _terms(table: dict[str, Any], kind: str, name: str) -> dict[str, Term]:
    """Build the Term objects of one kind."""
    terms = {}
    for term_id, entry in table.items():
        if not isinstance(entry, dict) or "label" not in entry:
            raise VocabularyError(f"{name}: {kind}.{term_id} needs a label")
        keywords = entry.get("keywords", {})
        terms[term_id] = Term(
            id=term_id,
            label=str(entry["label"]),
            description=str(entry.get("description", "")),
            synonyms=tuple(str(s) for s in entry.get("synonyms", [])),
            keywords=tuple((fold(k), float(w)) for k, w in keywords.items()),
            label_es=_text(entry, "label_es", f"{name}: {kind}.{term_id}"),
            description_es=_text(entry, "description_es", f"{name}: {kind}.{term_id}"),
        )
    return terms


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    """An optional one-line text value; VocabularyError when it is there but not a string."""
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise VocabularyError(f"{where}.{key} must be a string")
    return " ".join(value.split())


def _pair(entry: dict[str, Any]) -> bool:
    """True when an acronym entry has both forms."""
    return bool(entry.get("short")) and bool(entry.get("long"))
