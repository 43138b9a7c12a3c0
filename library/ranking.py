"""The ranking policy: how matches are scored and which ones count, as data any engine follows.

Scores are BM25F (Robertson and Zaragoza): a term's frequencies in a document's title, summary
and body are each normalised by that field's length, weighted, and summed before one saturation,
times the typed word's idf (Lucene's formula, over the whole library). A document is a full match
when it holds enough of the typed content words (minimum should match, as Solr's edismax `mm`);
partial matches are listed after the full ones. Every constant here keeps its place through the
ablation table in bench/README.md. May import: stdlib.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FIELD_KINDS = ("title", "summary", "body")


@dataclass(frozen=True, slots=True)
class RankingPolicy:
    """The constants of the ranking; replace() one to measure what it is worth."""

    k1: float = 1.8
    b: float = 0.55
    weights: tuple[tuple[str, float], ...] = (("title", 2.0), ("summary", 1.0), ("body", 1.0))
    expansion_weight: float = 0.3  # a synonym, acronym or translation counts less than a typed word
    language_bonus: float = 2.0  # multiplies the score of documents in the query's language
    translations_after: bool = True  # other-language documents reached only by a translation
    mm_all_up_to: int = 3  # queries of up to this many content words need all of them
    mm_share: float = 0.5  # longer ones need words carrying this share of the query's weight
    partial_after: bool = True  # list partial matches after the full ones (False: one list)

    def weight(self, kind: str) -> float:
        """The weight of a field kind (title, summary or body)."""
        return dict(self.weights).get(kind, 0.0)

    @property
    def scoring_key(self) -> tuple[float, ...]:
        """What cached term scores depend on."""
        return (self.k1, self.b, *(w for _, w in self.weights))


DEFAULT = RankingPolicy()


def idf(documents: int, frequency: int) -> float:
    """Lucene's BM25 idf: log(1 + (N - df + 0.5) / (df + 0.5)), never negative."""
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def length_norm(length: float, average: float, b: float) -> float:
    """1 / (1 - b + b * length / average): what a term frequency is multiplied by in a field."""
    return 1.0 / (1 - b + b * length / average) if average > 0 else 1.0


def saturate(frequency: float, weight: float, k1: float) -> float:
    """BM25's saturation of a combined, normalised frequency, times the term's weight (idf)."""
    return weight * frequency / (k1 + frequency)


def full_match_needs(weights: list[float], policy: RankingPolicy) -> float:
    """The weight of typed content words a document must hold to be a full match.

    A query of up to mm_all_up_to content words needs all of them; a longer one needs words
    carrying mm_share of the total weight (each word weighs its idf), so a document holding the
    rare words of a long question is a full match, one holding only its common words is not.
    """
    if len(weights) <= policy.mm_all_up_to:
        return sum(weights) - 1e-9
    return policy.mm_share * sum(weights)
