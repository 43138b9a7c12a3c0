"""Reading Solr's answers to the library's searches: hits, facet counts and safe snippets.

A snippet is made HTML-safe here, whatever the highlighter sent: the text between the marks is
escaped by the library and only the engine's own mark characters become <mark>, balanced.
May import: engine, facets, models, solr.fields, solr.queries.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from html import escape
from typing import Any

from library.engine import EngineHit
from library.facets import FACETS, NO_YEAR
from library.solr.fields import BODY, ID, SUMMARY, from_solr, index_language
from library.solr.queries import MARK_POST, MARK_PRE, UNFILTERED

_MARKS = re.compile(f"({MARK_PRE}|{MARK_POST})")


def total(answer: Mapping[str, Any]) -> int:
    """How many documents an answer found."""
    found: int = answer["response"]["numFound"]
    return found


def unfiltered(answer: Mapping[str, Any]) -> int:
    """How many documents matched before any filter (the facet query of that name)."""
    found: int = answer.get("facet_counts", {}).get("facet_queries", {}).get(UNFILTERED, 0)
    return found


def counts(answer: Mapping[str, Any]) -> dict[str, Counter[str]]:
    """Each facet's value counts, keyed by facet name (an undated year is NO_YEAR)."""
    lists = answer.get("facet_counts", {}).get("facet_fields", {})
    found = {}
    for spec in FACETS:
        flat = lists.get(spec.name, [])
        found[spec.name] = Counter(
            {
                NO_YEAR if value is None else str(value): int(count)
                for value, count in zip(flat[::2], flat[1::2], strict=True)
                if count
            }
        )
    return found


def hits(answer: Mapping[str, Any], scored: bool, partial: bool) -> list[EngineHit]:
    """The answer's documents as hits, with their snippets."""
    marked = answer.get("highlighting", {})
    found = []
    for stored in answer["response"]["docs"]:
        doc = from_solr(stored)
        score = float(stored["score"]) if scored and "score" in stored else None
        snippet = choose_snippet(marked.get(stored[ID], {}), doc.language, bool(doc.summary))
        found.append(EngineHit(doc, score, partial, snippet))
    return found


def choose_snippet(
    fragments: Mapping[str, list[str]], language: str, has_summary: bool
) -> str | None:
    """The body's marked fragment, else the summary's; without a mark, None (the library shows
    the summary) or, for a document without one, the start of its text."""
    lang = index_language(language)
    body = " ".join(fragments.get(BODY[lang], []))
    summary = " ".join(fragments.get(SUMMARY[lang], []))
    for text in (body, summary):
        if MARK_PRE in text:
            return safe_snippet(text)
    if has_summary or not body:
        return None
    return safe_snippet(body)


def safe_snippet(raw: str) -> str:
    """Escaped text with <mark> where the engine's marks were (stray marks dropped)."""
    parts, inside = [], False
    for piece in _MARKS.split(raw):
        if piece == MARK_PRE:
            if not inside:
                parts.append("<mark>")
            inside = True
        elif piece == MARK_POST:
            if inside:
                parts.append("</mark>")
            inside = False
        else:
            parts.append(escape(piece, quote=True))
    if inside:
        parts.append("</mark>")
    return " ".join("".join(parts).split())
