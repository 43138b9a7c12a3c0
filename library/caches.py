"""What a serving process keeps per index generation: named, bounded, thread-safe caches.

A generation never changes once published, so anything computed from it stays true until the
next one; each cache is bounded (by entries or by the postings it holds) so memory stays flat
however many different searches arrive. One thread computes a missing entry while the others
that need it wait: concurrent requests of a new generation all need the same common terms, and
without this each thread read them itself (8 threads answered a cold query set 2x slower than
one). May import: stdlib.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sized
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

_Key = TypeVar("_Key", bound=Hashable)
_Value = TypeVar("_Value")
_Sized = TypeVar("_Sized", bound=Sized)

MAX_CACHED_POSTINGS = 1_600_000  # about 60 MB of cached postings per index generation
MAX_CACHED_WORDS = 50_000  # word frequencies and spelling corrections per generation
MAX_CACHED_RESULTS = 500  # whole search results per generation (about 24 KB each)


class _Computing:
    """One lock per key being computed, so each missing entry is computed once."""

    def __init__(self) -> None:
        """No key is being computed."""
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def key(self, key: Hashable) -> Iterator[None]:
        """Hold the lock of one key while it is computed."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            yield
        with self._guard:
            self._locks.pop(key, None)


class Recent(Generic[_Key, _Value]):
    """The values of the most recently used keys, at most size of them."""

    def __init__(self, size: int) -> None:
        """An empty cache."""
        self._size = size
        self._items: OrderedDict[_Key, _Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: _Key) -> _Value | None:
        """The value kept for key, now the most recently used, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: _Key, value: _Value) -> _Value:
        """Keep value for key, forgetting the least recently used beyond the size; return value."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


class Bounded(Generic[_Key, _Sized]):
    """Values bounded by their total size (len), the oldest forgotten first.

    Common terms are both the costly ones to read and the large ones to keep, so the bound is on
    the postings held, not on the number of entries.
    """

    def __init__(self, limit: int) -> None:
        """An empty cache holding at most limit items in all."""
        self._limit = limit
        self._entries: dict[_Key, tuple[_Sized, int]] = {}
        self._size = 0
        self._lock = threading.Lock()
        self._computing = _Computing()

    def get(self, key: _Key, compute: Callable[[], _Sized]) -> _Sized:
        """The value of key, computed once (by one thread) when missing."""
        found = self._entries.get(key)
        if found is None:
            with self._computing.key(key):
                found = self._entries.get(key)
                if found is None:
                    value = compute()
                    with self._lock:
                        found = self._entries[key] = (value, len(value))
                        self._size += found[1]
                        while self._size > self._limit and len(self._entries) > 1:
                            self._size -= self._entries.pop(next(iter(self._entries)))[1]
        return found[0]

    @property
    def size(self) -> int:
        """The items held now."""
        return self._size


class Table(Generic[_Key, _Value]):
    """Small answers per key (a word's frequency), emptied when it reaches its size."""

    def __init__(self, size: int) -> None:
        """An empty table."""
        self._size = size
        self._items: dict[_Key, _Value] = {}

    def get(self, key: _Key, compute: Callable[[], _Value]) -> _Value:
        """The value of key, computed when missing (computing twice is harmless here)."""
        try:
            return self._items[key]
        except KeyError:
            pass
        if len(self._items) >= self._size:
            self._items.clear()
        found = self._items[key] = compute()  # another thread may clear the table meanwhile
        return found


@dataclass
class GenerationCaches:
    """Every cache of one open generation, by name."""

    results: Recent[Any, Any] = field(default_factory=lambda: Recent(MAX_CACHED_RESULTS))
    postings: Bounded[Any, Any] = field(default_factory=lambda: Bounded(MAX_CACHED_POSTINGS))
    frequencies: Table[str, int] = field(default_factory=lambda: Table(MAX_CACHED_WORDS))
    corrections: Table[Any, Any] = field(default_factory=lambda: Table(MAX_CACHED_WORDS))
    _once: dict[Hashable, Any] = field(default_factory=dict)
    _computing: _Computing = field(default_factory=_Computing)

    def once(self, key: Hashable, compute: Callable[[], _Value]) -> _Value:
        """A value computed once per generation (facet values, length norms, document numbers)."""
        found: _Value | None = self._once.get(key)
        if found is None:
            with self._computing.key(key):
                found = self._once.get(key)
                if found is None:
                    found = self._once[key] = compute()
        return found
