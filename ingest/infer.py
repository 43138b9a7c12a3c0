"""Inferring what a sidecar leaves out: title, summary, date, type, topics, audiences, language.

Pure functions over extracted text and the vocabulary. May import: library,
extract, sidecar.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from ingest.extract import Extracted
from ingest.sidecar import Sidecar, checked_date
from library.models import MAX_TITLE_CHARS, Document
from library.text import fold, one_line, trie_pattern, words
from library.vocab import Vocabulary

SCAN_CHARS = 60_000  # inference reads the start of long documents only
LIMITS = {"topics": (4, 4.0, 0.3), "audiences": (3, 3.0, 0.3), "types": (1, 1.0, 0.0)}

_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december"]  # fmt: skip
_MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
              "septiembre", "octubre", "noviembre", "diciembre"]  # fmt: skip
_M = "|".join(_MONTHS_EN + _MONTHS_ES)
_LABELLED = re.compile(
    r"(?:published|posted|updated|issued|released|date|publicado|fecha)\s*(?:on|:|el)?\s*"
    rf"((?:\w+,\s+)?(?:{_M})\s+\d{{1,2}},?\s+\d{{4}}|(?:{_M})\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}\s+de\s+(?:{_M})\s+(?:de(?:l)?\s+)?\d{{4}})",
    re.IGNORECASE,
)
_FULL_EN = re.compile(rf"\b({_M})\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)\b", re.I)
_FULL_ES = re.compile(rf"\b(\d{{1,2}})\s+de\s+({_M})\s+(?:de(?:l)?\s+)?((?:19|20)\d\d)\b", re.I)
_ISO = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_MONTH_YEAR = re.compile(rf"\b({_M})(?:\s+de)?\s+((?:19|20)\d\d)\b", re.I)
_SEASON_YEAR = re.compile(r"\b(?:spring|summer|fall|autumn|winter|issue)\s+((?:19|20)\d\d)\b", re.I)

_STOP_WORDS = {
    "en": "the and of to is in for your you with that are this be on or it as if can",
    "es": "el la de que y en los las su por para una es con del se no un al lo sus",
}
_STOP = {lang: frozenset(text.split()) for lang, text in _STOP_WORDS.items()}


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the pipeline knows about a file besides its content."""

    doc_id: str
    path: str  # relative to the corpus root
    format: str
    size: int
    mtime: float


def build_document(
    facts: FileFacts, extracted: Extracted, sidecar: Sidecar, vocabulary: Vocabulary
) -> Document:
    """Combine sidecar values (which win) with what the text says."""
    text = extracted.text
    head = text[:SCAN_CHARS]
    acronyms = {short for short, _ in vocabulary.acronyms}
    title = capped_title(
        sidecar.title
        or tidy_title(extracted.title, acronyms)
        or infer_title(text, acronyms)
        or _title_from_path(facts.path)
    )
    scores = score_terms(f"{title}\n{title}\n{head}", vocabulary)
    return Document(
        id=facts.doc_id,
        title=title,
        path=facts.path,
        format=facts.format,
        body=text,
        summary=sidecar.summary or extracted.summary or infer_summary(text, title),
        summary_inferred=not (sidecar.summary or extracted.summary),
        date=sidecar.date
        or checked_date(extracted.date)
        or infer_date(head)
        or _mtime_date(facts.mtime),
        type=sidecar.type
        or _type_from_path(facts.path, vocabulary)
        or next(iter(_pick(scores, "types")), ""),
        topics=sidecar.topics if sidecar.topics is not None else tuple(_pick(scores, "topics")),
        audiences=sidecar.audiences
        if sidecar.audiences is not None
        else tuple(_pick(scores, "audiences")),
        language=sidecar.language or infer_language(head, extracted.language),
        source_url=sidecar.source_url or "",
        authors=sidecar.authors or (),
        translation_of=sidecar.translation_of or "",
        blocks=extracted.blocks,
        page_count=extracted.page_count,
        page_starts=extracted.page_starts,
        file_size=facts.size,
        has_text=bool(text.strip()),
    )


def capped_title(title: str) -> str:
    """A title cut at a word boundary to MAX_TITLE_CHARS (no page shows more of it)."""
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE_CHARS else one_line(title, MAX_TITLE_CHARS - 1)


_CONTINUES = re.compile(
    r"(?:\b(?:a|an|the|of|and|for|to|in|on|with|de|la|el|y|para|del)|[:\-\u2013])$", re.I
)


def infer_title(text: str, acronyms: Collection[str] = ()) -> str:
    """The first line that looks like a heading (joined with its next line when it wraps)."""
    lines = [line.strip() for line in text.splitlines()[:40]]
    for index, line in enumerate(lines):
        if _heading_like(line):
            for following in lines[index + 1 : index + 3]:
                if not (_CONTINUES.search(line) and _heading_like(following)):
                    break
                line = f"{line} {following}"
            return tidy_title(line.rstrip(":"), acronyms)
    return ""


def _heading_like(line: str) -> bool:
    """A short line of mostly letters that does not end like a sentence."""
    n = len(words(line))
    heading = 2 <= n <= 18 and len(line) <= 160 and not line.endswith((".", ",", ";"))
    return heading and sum(c.isalpha() for c in line) >= len(line) * 0.6


_SMALL = "a an and as at by for from in into of on or the to with de del el la los las y en para"
_SMALL_WORDS = frozenset(_SMALL.split())


def tidy_title(title: str, acronyms: Collection[str] = ()) -> str:
    """Title-case a title written in capitals, keeping acronyms such as CART or NCIC."""
    if not title.isupper() or len(title) < 8:
        return title
    out = []
    for position, word in enumerate(title.split()):
        bare = word.strip("():,;-").lower()
        short = len(bare) <= 4 and bare not in _SMALL_WORDS and not _is_word(bare)
        if bare in acronyms or (short and bare.isalpha()):
            out.append(word)  # an acronym: CART, CAC, MDT
        elif position and bare in _SMALL_WORDS and not out[-1].endswith(":"):
            out.append(word.lower())
        else:
            out.append(word[:1] + word[1:].lower())
    return " ".join(out)


def _is_word(bare: str) -> bool:
    """True for short words that are words, not acronyms (vowel-bearing and pronounceable)."""
    return bool(re.fullmatch(r"[bcdfghjklmnpqrstvwxz]?[aeiouy][a-z]*", bare)) or bare in {
        "day",
        "two",
        "law",
    }


def infer_summary(text: str, title: str) -> str:
    """The first real paragraph, cut to about two sentences."""
    for para in re.split(r"\n\s*\n|\n(?=[A-Z\u00bf\u00a1])", text[:20_000]):
        flat = " ".join(para.split())
        if len(words(flat)) >= 15 and flat != title:
            return one_line(flat, 280)
    return ""


def infer_date(text: str) -> str:
    """A clear date from the start of the text: labelled first, then full, then month-year."""
    head = text[:3000]
    labelled = _LABELLED.search(head)
    for candidate in ([labelled.group(1)] if labelled else []) + [head]:
        for finder in (_iso_date, _full_date, _month_year):
            found = checked_date(finder(candidate))
            if found:
                return found
    season = _SEASON_YEAR.search(head[:800])
    return season.group(1) if season else ""


def _iso_date(text: str) -> str:
    """YYYY-MM-DD as written."""
    m = _ISO.search(text)
    return m.group(0) if m else ""


def _full_date(text: str) -> str:
    """'May 25, 2019' or '25 de mayo de 2019'."""
    m = _FULL_EN.search(text)
    if m:
        return _ymd(m.group(3), m.group(1), m.group(2))
    m = _FULL_ES.search(text)
    return _ymd(m.group(3), m.group(2), m.group(1)) if m else ""


def _month_year(text: str) -> str:
    """'October 2017' as '2017-10'."""
    m = _MONTH_YEAR.search(text[:1500])
    return f"{m.group(2)}-{_month(m.group(1)):02d}" if m else ""


def _ymd(year: str, month: str, day: str) -> str:
    """Format a date from its written parts."""
    return f"{year}-{_month(month):02d}-{int(day):02d}" if 1 <= int(day) <= 31 else ""


def _month(name: str) -> int:
    """Month number of an English or Spanish month name."""
    name = name.lower()
    return (_MONTHS_EN.index(name) if name in _MONTHS_EN else _MONTHS_ES.index(name)) + 1


def _mtime_date(mtime: float) -> str:
    """The file's modification date, the last resort."""
    return datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%d")


def infer_language(text: str, declared: str = "") -> str:
    """'es' or 'en' by stop-word counts; the declared language when the text is too short."""
    counts = Counter(w for w in words(fold(text[:20_000])) if len(w) <= 4)
    en = sum(counts[w] for w in _STOP["en"])
    es = sum(counts[fold(w)] for w in _STOP["es"])
    if en + es < 8:
        return declared if re.fullmatch(r"[a-z]{2}", declared or "") else "en"
    return "es" if es > en else "en"


def score_terms(text: str, vocabulary: Vocabulary) -> dict[str, Counter[str]]:
    """Weighted keyword evidence for every topic, audience and type."""
    matcher, table = _matcher(vocabulary)
    hits = Counter(m.group(0) for m in matcher.finditer(fold(text)))
    scores: dict[str, Counter[str]] = {kind: Counter() for kind in LIMITS}  # float weights
    for phrase, count in hits.items():
        for kind, term_id, weight in table[phrase]:
            scores[kind][term_id] += weight * (1 + math.log(count))  # type: ignore[assignment]
    return scores


def _pick(scores: dict[str, Counter[str]], kind: str) -> list[str]:
    """The terms whose evidence passes the absolute and the relative threshold."""
    most, floor, share = LIMITS[kind]
    ranked = scores[kind].most_common()
    if not ranked:
        return []
    top = ranked[0][1]
    return [t for t, s in ranked[:most] if s >= floor and s >= top * share]


@lru_cache(maxsize=4)
def _matcher(
    vocabulary: Vocabulary,
) -> tuple[re.Pattern[str], dict[str, list[tuple[str, str, float]]]]:
    """One regex over every keyword phrase, and what each phrase is evidence for."""
    table: dict[str, list[tuple[str, str, float]]] = {}
    for kind in LIMITS:
        for term in vocabulary.kind(kind).values():
            for phrase, weight in term.keywords:
                table.setdefault(phrase, []).append((kind, term.id, weight))
    pattern = r"(?<!\w)" + trie_pattern(table) + r"(?!\w)"
    return re.compile(pattern), table


def _type_from_path(path: str, vocabulary: Vocabulary) -> str:
    """A type named by a folder of the path ('webinars/x.html' -> webinar)."""
    for part in reversed(path.lower().split("/")[:-1]):
        for term_id in vocabulary.types:
            if part in (term_id, term_id + "s", term_id.replace("-", "") + "s"):
                return term_id
    return ""


def _title_from_path(path: str) -> str:
    """'reports/cart_assessment-2016.pdf' -> 'Cart assessment 2016'."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[_\-]+", " ", stem).strip().capitalize() or path
