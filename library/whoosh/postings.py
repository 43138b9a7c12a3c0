"""Reading whoosh posting lists a block at a time: document numbers, weights, word positions.

Whoosh's matchers hand out one posting per call (about a microsecond each); search reads whole
posting lists into its caches, so these take each decoded block as it is, and skip the blocks
that hold none of the documents asked for. They use whoosh's internals (block readers, term
infos), checked against the pinned whoosh-reloaded version. May import: whoosh.
"""

from __future__ import annotations

import bisect
import pickle
from array import array
from collections.abc import Iterable
from itertools import accumulate, repeat
from typing import Any, NamedTuple

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Positions
from whoosh.reading import TermNotFound


class TermPostings(NamedTuple):
    """A term's live postings in every segment, and its document frequency as whoosh counts it
    for idf (deleted documents included)."""

    ids: list[int]
    weights: list[float]
    doc_frequency: int


def read_postings(reader: Any, field: str, term: str) -> TermPostings:
    """A term's document numbers and weights in every segment, a block at a time.

    Whoosh's matchers hand out one posting per call (about a microsecond each); search reads
    whole posting lists into its caches, so it takes each decoded block as it is. The term is
    looked up once per segment: its entry gives the document frequency too.
    """
    ids: list[int] = []
    weights: list[float] = []
    frequency = 0
    fieldobj = reader.schema[field]
    tbytes = fieldobj.to_bytes(term)
    for segment, offset in reader.leaf_readers():
        entry = _segment_postings(segment, field, tbytes, fieldobj.format)
        if entry is None:
            continue
        info, postings = entry
        frequency += info.doc_frequency()
        found: list[int] = []
        weighed: list[float] = []
        if isinstance(postings, W3LeafMatcher):
            while postings.is_active():
                found.extend(_block_ids(postings))
                weighed.extend(_block_weights(postings))
                postings._next_block()
        else:
            while postings.is_active():  # an inlined list
                found.append(postings.id())
                weighed.append(postings.weight())
                postings.next()
        deleted = segment.deleted_docs_set
        if deleted:
            kept = [i for i, docnum in enumerate(found) if docnum not in deleted]
            found, weighed = [found[i] for i in kept], [weighed[i] for i in kept]
        ids.extend([docnum + offset for docnum in found] if offset else found)
        weights.extend(weighed)
    return TermPostings(ids, weights, frequency)


def _segment_postings(segment: Any, field: str, tbytes: bytes, fmt: Any) -> tuple[Any, Any] | None:
    """A term's entry in one segment and a matcher on its postings, deleted documents included
    (whoosh's reader wraps them in a filter that hands out one posting per call), or None."""
    terms = getattr(segment, "_terms", None)
    if terms is None:  # an empty index
        return None
    try:
        info = terms.term_info(field, tbytes)
    except TermNotFound:
        return None
    return info, terms._codec.postings_reader(terms._postfile, info, fmt)


def _block_ids(block: W3LeafMatcher) -> Iterable[int]:
    """W3LeafMatcher._read_ids with the running sum done in C."""
    if block._data is None:
        block._read_data()
    ids: Iterable[int] = block._data[0]
    return ids if block._byteids else accumulate(ids)


def _block_weights(block: W3LeafMatcher) -> Iterable[float]:
    """W3LeafMatcher._read_weights without building an array of equal weights."""
    if block._data is None:
        block._read_data()
    weights = block._data[1]
    if weights is None or isinstance(weights, float):  # whoosh widens these to a float array
        return repeat(array("f", [1.0 if weights is None else weights])[0], block._blocklength)
    return weights  # type: ignore[no-any-return]


def read_positions(reader: Any, field: str, term: str, docs: Iterable[int]) -> dict[int, list[int]]:
    """A term's word positions in some documents (global numbers), reading only their blocks.

    A block whose document range holds none of the wanted documents is skipped unread, so the
    cost follows the candidates, not the term's whole posting list.
    """
    wanted = sorted(docs)
    fieldobj = reader.schema[field]
    fmt, tbytes = fieldobj.format, fieldobj.to_bytes(term)
    decode = _decode_positions if type(fmt) is Positions else fmt.decoder("positions")
    found: dict[int, list[int]] = {}
    for segment, offset in reader.leaf_readers():
        low = bisect.bisect_left(wanted, offset)
        deleted = segment.deleted_docs_set
        local = [
            d - offset
            for d in wanted[low : bisect.bisect_left(wanted, offset + segment.doc_count_all())]
            if d - offset not in deleted
        ]
        if not local:
            continue
        entry = _segment_postings(segment, field, tbytes, fmt)
        if entry is None:
            continue
        postings = entry[1]
        keep = set(local)
        if not isinstance(postings, W3LeafMatcher):  # an inlined list
            while postings.is_active():
                if postings.id() in keep:
                    found[postings.id() + offset] = decode(postings.value())
                postings.next()
            continue
        previous = -1
        while postings.is_active():
            first = bisect.bisect_right(local, previous)  # the first wanted after the last block
            if first < len(local) and local[first] <= postings._maxid:
                postings._read_ids()
                postings._read_values()
                for docnum, value in zip(postings._ids, postings._values, strict=True):
                    if docnum in keep:
                        found[docnum + offset] = decode(value)
            previous = postings._maxid
            postings._next_block()
    return found


def _decode_positions(value: bytes) -> list[int]:
    """whoosh.formats.Positions.decode_positions, with the running sum done in C."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(pickle.loads(value[4:])))
