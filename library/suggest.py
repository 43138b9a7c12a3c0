"""Completions of what is being typed: publication titles, vocabulary labels and synonyms.

Built once per index generation: each entry's text is folded (lowercase, no accents, words
joined by single spaces) and every word start of it becomes a key in one sorted list, so the
entries a prefix completes are one bisect range, and the best of them are picked from that range
alone. May import: catalog, index, text, vocab, models.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from dataclasses import dataclass

from library.catalog import listing
from library.index import LibraryIndex
from library.text import fold
from library.vocab import KINDS, Vocabulary

MAX_SUGGESTIONS = 10
MAX_KEY_CHARS = 60  # a prefix longer than this is matched on its first 60 characters
_WORD = re.compile(r"\w+")
_KIND_ORDER = {"topics": 0, "audiences": 1, "types": 2, "title": 3}
_KEY = "suggest"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One completion: the text to search for, what it is, and in which language."""

    text: str
    kind: str  # "title", or the vocabulary kind: "topics", "audiences", "types"
    id: str  # the document id of a title, the term id of a vocabulary entry
    label: str  # the term's label (for a synonym, the term it stands for); a title: itself
    language: str


@dataclass(frozen=True, slots=True)
class _Table:
    """Every entry, and its keys: folded word-start suffixes, sorted, with their entries."""

    entries: tuple[Suggestion, ...]
    keys: tuple[str, ...]
    owners: tuple[int, ...]  # entry number of each key
    starts: tuple[bool, ...]  # whether each key is the start of its entry


def folded(text: str) -> str:
    """Lowercase, accent-free words joined by single spaces: what prefixes are matched on."""
    return " ".join(_WORD.findall(fold(text)))


def suggest(
    lib: LibraryIndex, prefix: str, lang: str = "", limit: int = MAX_SUGGESTIONS
) -> list[Suggestion]:
    """At most limit completions of prefix, best first; lang ('en', 'es') is preferred."""
    return complete(_table(lib), prefix, lang, limit)


def complete(
    table: _Table, prefix: str, lang: str = "", limit: int = MAX_SUGGESTIONS
) -> list[Suggestion]:
    """The best completions of prefix in a table (see suggest)."""
    typed = folded(prefix)[:MAX_KEY_CHARS]
    if not typed or limit < 1:
        return []
    low = bisect_left(table.keys, typed)
    high = bisect_left(table.keys, typed + "\uffff", low)
    best: dict[int, bool] = {}
    for position in range(low, high):
        owner = table.owners[position]
        best[owner] = best.get(owner, False) or table.starts[position]
    entries = table.entries

    def rank(owner: int) -> tuple[bool, bool, int, bool, int, str]:
        """Entries the prefix starts first, then the wanted language, vocabulary (labels before
        synonyms), then short ones."""
        entry = entries[owner]
        language = bool(lang) and entry.language != lang
        kind = _KIND_ORDER[entry.kind]
        return (
            not best[owner],
            language,
            kind,
            entry.text != entry.label,
            len(entry.text),
            entry.text,
        )

    chosen = heapq.nsmallest(limit * 2, best, key=rank)
    unique: dict[str, Suggestion] = {}
    for owner in chosen:
        unique.setdefault(folded(entries[owner].text), entries[owner])
    return list(unique.values())[:limit]


def warm(lib: LibraryIndex) -> None:
    """Build the generation's table now (a server does it in the background when it opens one:
    at 10,000 documents it takes seconds, which the first person typing should not wait for)."""
    _table(lib)


def _table(lib: LibraryIndex) -> _Table:
    """The generation's table, built on first use by one thread."""
    found: _Table = lib.caches.once(_KEY, lambda: build_table(_entries(lib)))
    return found


def _entries(lib: LibraryIndex) -> list[Suggestion]:
    """Vocabulary labels (both languages) and synonyms, then every publication's title."""
    found = vocabulary_entries(lib.vocabulary)
    found += [Suggestion(d.title, "title", d.id, d.title, d.language) for d in listing(lib)]
    return found


def vocabulary_entries(vocabulary: Vocabulary) -> list[Suggestion]:
    """Each term's label, Spanish label and synonyms as entries of its kind."""
    found = []
    for kind in KINDS:
        for term in vocabulary.kind(kind).values():
            found.append(Suggestion(term.label, kind, term.id, term.label, "en"))
            if term.label_es:
                found.append(Suggestion(term.label_es, kind, term.id, term.label_es, "es"))
            found += [Suggestion(s, kind, term.id, term.label, "en") for s in term.synonyms]
    return found


def build_table(entries: list[Suggestion]) -> _Table:
    """Sort every word-start suffix of every entry's folded text."""
    rows = []
    for number, entry in enumerate(entries):
        text = folded(entry.text)
        for match in _WORD.finditer(text):
            start = match.start()
            rows.append((text[start : start + MAX_KEY_CHARS], number, start == 0))
    rows.sort()
    return _Table(
        entries=tuple(entries),
        keys=tuple(row[0] for row in rows),
        owners=tuple(row[1] for row in rows),
        starts=tuple(row[2] for row in rows),
    )
