"""When a typed word is probably misspelt, and what it most likely should have been.

The policy is the library's; the words it chooses from and their document frequencies come from
the engine. A correction must be confident: close (one edit for a short word, two for a longer
one), more common than the word, and, for a word that does occur, much more common; nonsense
gets no correction, so it gets an honest "no results". May import: stdlib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MIN_LENGTH = 5  # shorter words are too often something else spelt right (pics, rez)
LONG_WORD = 6  # from this length two edits may be corrected, below it one
RARE = 1  # a word in at most this many documents may still get a "did you mean"
MUCH_MORE_COMMON = 20  # ... when the correction is in this many times more documents
MIN_COMMON = 5  # ... and in at least this many

Frequency = Callable[[str], int]
Candidates = Callable[[str, int], Iterable[str]]  # (word, edits) -> indexed words that close


def correction(word: str, frequency: Frequency, candidates: Candidates) -> str | None:
    """The likeliest correction of a word, or None when it looks right or nothing is confident."""
    if len(word) < MIN_LENGTH or not word.isalpha():
        return None
    found = frequency(word)
    if found > RARE:
        return None
    edits = 2 if len(word) >= LONG_WORD else 1
    best: tuple[int, int, str] | None = None
    for candidate in candidates(word, edits):
        if candidate == word or not candidate.isalpha():
            continue
        distance = edit_distance(word, candidate)
        if distance > edits:
            continue
        count = frequency(candidate)
        if count <= found or (found and count < max(MIN_COMMON, MUCH_MORE_COMMON * found)):
            continue
        key = (distance, -count, candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): a swap of neighbours is one edit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            cost = char != other
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]
