"""The fixed, seeded query set: short, natural-language, phrase and filtered queries.

Queries are drawn from the same lexicon as the corpus, so they hit it the way real ones would.
May import: bench.lexicon.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass

from bench import lexicon
from bench.lexicon import Lexicon

KINDS = ("short", "natural", "phrase", "filtered")
LABELS = {
    "short": "1-3 words",
    "natural": "15-25 words",
    "phrase": '"phrase"',
    "filtered": "1-3 words + topic + audience",
}
_CLEAN = re.compile(r"^[a-záéíóúñü]{2,}$")
_OPENERS = (
    "how do i", "what should we do when", "where can i find information about",
    "i need guidance on", "what are the steps for", "who can help with",
    "is there a checklist for", "what does the program say about",
)  # fmt: skip
_GLUE = ("the", "a", "of", "to", "for", "and", "in", "with", "my", "our", "when", "is", "about",
         "after")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Query:
    """One query: loose words, quoted phrases and facet filters."""

    kind: str
    words: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """What a user types: phrases in double quotes, then the words."""
        return " ".join([f'"{p}"' for p in self.phrases] + list(self.words))


def build_queries(lex: Lexicon, seed: int, per_kind: int) -> dict[str, list[Query]]:
    """per_kind queries of each kind, the same for the same lexicon, seed and size."""
    rng = random.Random(f"{seed}:queries")
    domain = _clean_phrases(p for key, ps in lex.phrases.items() if key[2] == "en" for p in ps)
    domain += _clean_phrases(lex.languages["en"].general)
    domain_words = sorted({w for p in domain for w in p.split() if w not in lexicon.ENGLISH_STOP})
    background = [
        w
        for w in lex.languages["en"].words[30:4000]
        if _CLEAN.match(w) and w not in lexicon.ENGLISH_STOP
    ]
    multiword = [p for p in domain if 2 <= len(p.split()) <= 4]
    short = [_short(rng, domain, domain_words, background) for _ in range(per_kind)]
    topics, audiences = list(lex.topic_weights), list(lex.audience_weights)
    filtered = [
        Query(
            "filtered",
            q.words,
            topics=tuple(rng.choices(topics, weights=list(lex.topic_weights.values()))),
            audiences=tuple(rng.choices(audiences, weights=list(lex.audience_weights.values()))),
        )
        for q in short
    ]
    return {
        "short": short,
        "natural": [_natural(rng, domain_words, background) for _ in range(per_kind)],
        "phrase": [_phrase(rng, multiword, background) for _ in range(per_kind)],
        "filtered": filtered,
    }


def warmup_queries(
    lex: Lexicon, seed: int, timed: dict[str, list[Query]], count: int
) -> list[Query]:
    """count short queries of another seed, none of them among the timed ones."""
    taken = {q.text for batch in timed.values() for q in batch}
    fresh = (q for q in build_queries(lex, seed + 1, 4 * count)["short"] if q.text not in taken)
    return list(itertools.islice(fresh, count))


def _clean_phrases(phrases) -> list[str]:  # type: ignore[no-untyped-def]
    """Phrases made only of plain words (no hyphens, digits or apostrophes), deduplicated."""
    return sorted({p for p in phrases if all(_CLEAN.match(w) for w in p.split())})


def _short(
    rng: random.Random, domain: list[str], domain_words: list[str], background: list[str]
) -> Query:
    """One to three words: a domain phrase, domain words, or everyday words."""
    size = rng.choices((1, 2, 3), weights=(35, 40, 25))[0]
    roll = rng.random()
    if roll < 0.35:
        fitting = [p for p in domain if len(p.split()) == size] or domain
        words = tuple(rng.choice(fitting).split())
    elif roll < 0.7:
        words = tuple(rng.sample(domain_words, size))
    else:
        words = tuple(
            rng.choice(domain_words) if i == 0 else rng.choice(background) for i in range(size)
        )
    return Query("short", words)


def _natural(rng: random.Random, domain_words: list[str], background: list[str]) -> Query:
    """A 15-25-word question: an opener, then glue, domain and everyday words."""
    size = rng.randint(15, 25)
    words = rng.choice(_OPENERS).split()
    while len(words) < size:
        roll = rng.random()
        pool = _GLUE if roll < 0.35 else domain_words if roll < 0.7 else background
        words.append(rng.choice(pool))
    return Query("natural", tuple(words[:size]))


def _phrase(rng: random.Random, multiword: list[str], background: list[str]) -> Query:
    """A quoted two-to-four-word phrase, sometimes with one more word."""
    extra = (rng.choice(background),) if rng.random() < 0.3 else ()
    return Query("phrase", extra, phrases=(rng.choice(multiword),))
