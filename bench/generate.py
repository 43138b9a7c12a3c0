"""The seeded synthetic corpus: real .txt, .html and .pdf files with .toml sidecars.

Every document is drawn from its own Random(seed, number), so the corpus is the same whichever
process writes which file. A stamp file marks a finished corpus, which is then reused.
May import: bench.lexicon, bench.writers, library.vocab.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import random
import shutil
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import lexicon, writers
from bench.lexicon import Lexicon, build_lexicon
from library.vocab import load_vocabulary

VERSION = 1  # bump when the output changes, so cached corpora are regenerated
STAMP = ".bench-corpus.json"  # names starting with '.' are not publications to the ingest
FORMATS = (("txt", 0.85), ("html", 0.10), ("pdf", 0.05))
TYPES = {
    "guide": 25,
    "fact-sheet": 14,
    "report": 15,
    "newsletter": 14,
    "webinar": 10,
    "training": 9,
    "checklist": 8,
    "event": 5,
}
SPANISH_SHARE = 0.06
MEDIAN_WORDS, SIGMA, MIN_WORDS, MAX_WORDS = 3000, 0.8, 150, 30_000
PDF_WORDS_PER_PAGE = 650
DOMAIN_EVERY = 30  # on average one domain phrase per this many words
YEARS = range(2008, 2027)


@dataclass(frozen=True, slots=True)
class Spec:
    """What one document is: drawn before any text is written."""

    number: int
    fmt: str
    lang: str
    type: str
    topics: tuple[str, ...]
    audiences: tuple[str, ...]
    date: str
    words: int
    pages: int
    title: str
    summary: str
    sidecar: str  # full, partial, facets or none
    path: str


def ensure_corpus(
    work: Path, docs: int, seed: int, vocabulary: Path, median_words: int = MEDIAN_WORDS
) -> tuple[Path, dict[str, Any]]:
    """The corpus of docs documents for seed under work, generated unless one made from the same
    seed, generator version, vocabulary and length is already there.

    A median_words below a PDF page's words makes short documents: PDFs of one page, the other
    texts drawn around that median (at least MIN_WORDS / 3 words).
    """
    short = median_words != MEDIAN_WORDS
    root = work / (f"corpus-{docs}-median{median_words}" if short else f"corpus-{docs}")
    stamp = root / STAMP
    digest = hashlib.blake2b(vocabulary.read_bytes(), digest_size=8).hexdigest()
    wanted = {"docs": docs, "seed": seed, "version": VERSION, "vocabulary": digest}
    if short:
        wanted["median_words"] = median_words
    if stamp.is_file():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if {k: info.get(k) for k in wanted} == wanted:
            return root, info
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copyfile(vocabulary, root / "vocabulary.toml")
    args = (str(root), str(vocabulary), seed, median_words)
    with multiprocessing.get_context("fork").Pool(initializer=_init, initargs=args) as pool:
        rows = list(pool.imap_unordered(_make, range(docs), chunksize=8))
    info = {**wanted, **_summary(rows)}
    stamp.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return root, info


def _summary(rows: list[tuple[str, str, int, int, bool]]) -> dict[str, Any]:
    """Corpus composition for the results file."""
    words = sorted(r[2] for r in rows)
    return {
        "formats": dict(Counter(r[0] for r in rows)),
        "languages": dict(Counter(r[1] for r in rows)),
        "with_sidecar": sum(r[4] for r in rows),
        "words_total": sum(words),
        "words_median": int(statistics.median(words)) if words else 0,
        "words_max": max(words, default=0),
        "file_mb": round(sum(r[3] for r in rows) / 2**20, 1),
    }


_STATE: dict[str, object] = {}


def _init(root: str, vocabulary: str, seed: int, median_words: int) -> None:
    """Build the lexicon once per worker process."""
    _STATE.update(
        root=Path(root),
        seed=seed,
        median_words=median_words,
        lexicon=build_lexicon(load_vocabulary(Path(vocabulary)), seed),
    )


def _make(number: int) -> tuple[str, str, int, int, bool]:
    """Draw and write one document; (format, language, words, bytes, has sidecar)."""
    lex: Lexicon = _STATE["lexicon"]  # type: ignore[assignment]
    rng = random.Random(f"{_STATE['seed']}:{number}")
    spec = draw_spec(rng, lex, number, _STATE["median_words"])  # type: ignore[arg-type]
    paragraphs = draw_paragraphs(rng, lex, spec)
    size = writers.write(_STATE["root"], spec, paragraphs)  # type: ignore[arg-type]
    return spec.fmt, spec.lang, spec.words, size, spec.sidecar != "none"


def _weighted(rng: random.Random, weights: dict[str, float], k: int) -> tuple[str, ...]:
    """k distinct keys drawn by weight."""
    pool = dict(weights)
    chosen = []
    for _ in range(min(k, len(pool))):
        key = rng.choices(list(pool), weights=list(pool.values()))[0]
        chosen.append(key)
        del pool[key]
    return tuple(chosen)


def draw_spec(
    rng: random.Random, lex: Lexicon, number: int, median_words: int = MEDIAN_WORDS
) -> Spec:
    """Format, language, facets, date, length, title and sidecar kind of one document."""
    fmt = rng.choices([f for f, _ in FORMATS], weights=[w for _, w in FORMATS])[0]
    lang = "es" if rng.random() < SPANISH_SHARE else "en"
    kind = rng.choices(list(TYPES), weights=list(TYPES.values()))[0]
    topics = _weighted(rng, lex.topic_weights, rng.choices((1, 2, 3, 4), (35, 40, 18, 7))[0])
    audiences = _weighted(rng, lex.audience_weights, rng.choices((1, 2, 3), (50, 35, 15))[0])
    year = rng.choices(YEARS, weights=[1 + 2 * i / len(YEARS) for i in range(len(YEARS))])[0]
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    short = median_words < PDF_WORDS_PER_PAGE
    least = MIN_WORDS // 3 if short else MIN_WORDS

    def length() -> int:  # drawn only where the default corpus draws it, so it stays the same
        return int(min(MAX_WORDS, max(least, rng.lognormvariate(math.log(median_words), SIGMA))))

    if fmt == "pdf":
        pages = rng.choices(range(1, 13), weights=[6, 10, 10, 9, 8, 7, 5, 4, 3, 2, 2, 2])[0]
        pages, words = (
            (1, min(length(), PDF_WORDS_PER_PAGE)) if short else (pages, pages * PDF_WORDS_PER_PAGE)
        )
    else:
        pages, words = 0, length()
    title = _title(rng, lex, lang, kind, topics, audiences, year)
    side = rng.random()
    sidecar = (
        "none" if side < 0.15 else "partial" if side < 0.30 else "facets" if side < 0.40 else "full"
    )
    slug = "-".join("".join(c for c in w.lower() if c.isalnum()) for w in title.split()[:6])
    path = f"{kind}s/{year}/{slug.strip('-')}-{number:05d}.{fmt}"
    summary = _sentence(rng, lex, lang, _doc_phrases(lex, lang, kind, topics, audiences), 22)
    return Spec(
        number,
        fmt,
        lang,
        kind,
        topics,
        audiences,
        date,
        words,
        pages,
        title,
        summary,
        sidecar,
        path,
    )


def _title(
    rng: random.Random,
    lex: Lexicon,
    lang: str,
    kind: str,
    topics: tuple[str, ...],
    audiences: tuple[str, ...],
    year: int,
) -> str:
    """A title in the manner of the type."""
    topic = lex.labels["topics", topics[0]]
    audience = lex.labels["audiences", audiences[0]]
    phrase = rng.choice(lex.phrases["topics", topics[-1], lang]).title()
    if lang == "es":
        return rng.choice(
            (
                f"Guía para {audience}: {phrase}",
                f"{topic}: {phrase}",
                f"Hoja informativa: {phrase} ({year})",
            )
        )
    season = rng.choice(lexicon.SEASONS)
    options = {
        "guide": [
            f"{topic}: A Guide for {audience}",
            f"Responding to {phrase}: What {audience} Need to Know",
        ],
        "fact-sheet": [f"Fact Sheet: {phrase}", f"{topic} at a Glance"],
        "report": [
            f"{phrase} in {year}: Findings and Recommendations",
            f"{topic}: Annual Report {year}",
        ],
        "newsletter": [f"MECP News, {season} {year}", f"{topic} Bulletin, {season} {year}"],
        "webinar": [f"Webinar: {phrase} for {audience}"],
        "training": [f"Training Curriculum: {phrase}", f"{topic} Training for {audience}"],
        "checklist": [f"{audience} Checklist: {phrase}"],
        "event": [f"National Missing Children's Day {year}", f"{topic} Conference {year}"],
    }
    return rng.choice(options[kind])


def _doc_phrases(
    lex: Lexicon, lang: str, kind: str, topics: tuple[str, ...], audiences: tuple[str, ...]
) -> list[str]:
    """The domain phrases a document draws on: its topics' most, then audiences, type, general."""
    pool = [p for t in topics for p in lex.phrases["topics", t, lang] * 3]
    pool += [p for a in audiences for p in lex.phrases["audiences", a, lang]]
    pool += list(lex.phrases["types", kind, lang]) + list(lex.languages[lang].general)
    return pool


def _sentence(rng: random.Random, lex: Lexicon, lang: str, phrases: list[str], size: int) -> str:
    """One sentence of background words with a domain phrase in it."""
    language = lex.languages[lang]
    tokens = rng.choices(language.words, cum_weights=language.cum_weights, k=size)
    tokens[rng.randrange(size)] = rng.choice(phrases)
    text = " ".join(tokens)
    return text[:1].upper() + text[1:] + "."


def draw_paragraphs(rng: random.Random, lex: Lexicon, spec: Spec) -> list[str]:
    """The body: paragraphs of sentences, with a heading (a line without a full stop) now and then."""
    language = lex.languages[spec.lang]
    phrases = _doc_phrases(lex, spec.lang, spec.type, spec.topics, spec.audiences)
    tokens = rng.choices(language.words, cum_weights=language.cum_weights, k=spec.words)
    for position in rng.sample(range(spec.words), spec.words // DOMAIN_EVERY):
        tokens[position] = rng.choice(phrases)
    paragraphs: list[str] = []
    start = 0
    while start < len(tokens):
        if paragraphs and rng.random() < 0.12:
            paragraphs.append("## " + rng.choice(phrases).title())
        sentences = []
        for _ in range(rng.randint(3, 7)):
            size = rng.randint(6, 26)
            part = tokens[start : start + size]
            if not part:
                break
            if len(part) > 14 and rng.random() < 0.5:
                part[len(part) // 2 - 1] += ","
            text = " ".join(part)
            sentences.append(text[:1].upper() + text[1:] + ".")
            start += size
        paragraphs.append(" ".join(sentences))
    return paragraphs
