"""URL parameters of /search and /api/search: the only module that knows their names.

Parses a query-string MultiDict into a library SearchRequest (bad values raise InvalidRequest,
which the web app answers with 400) and builds the links that add or remove one parameter value.
The link helpers are pure functions over the args, so templates and tests share them.
May import: library.models, library.facets, library.errors, library.text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from library.errors import DocumentNotFound, InvalidRequest
from library.facets import VALUE_FACETS, selected
from library.models import (
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    SearchRequest,
    Sort,
    id_problem,
)
from library.text import CONTROL

Q = "q"
SORT = "sort"
PAGE = "page"
PER_PAGE = "per_page"
EXACT = "exact"  # 1: search for exactly the words typed, never a correction
YEAR_MIN = "year_min"
YEAR_MAX = "year_max"
LANG = "lang"  # the interface language (webapp.i18n); carried by every link, never a filter
# The repeatable facet parameters: one per value facet of library.facets.FACETS, by its name.
FACET_FIELDS = tuple(spec.name for spec in VALUE_FACETS)
YEAR_PARAMS = (YEAR_MIN, YEAR_MAX)
# Canonical order of parameters in the URLs we build.
ALL_PARAMS = (Q, *FACET_FIELDS, YEAR_MIN, YEAR_MAX, SORT, PAGE, PER_PAGE, EXACT, LANG)
FILTER_PARAMS = (*FACET_FIELDS, *YEAR_PARAMS)
# robots.txt keeps crawlers to plain searches: every parameter but q multiplies URLs.
ROBOTS_DISALLOWED = (*FILTER_PARAMS, SORT, PAGE, PER_PAGE, EXACT)
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_VALUE_CHARS = 200  # no vocabulary id is anywhere near this long
_INTEGER = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() also reads "٣"

Args = Mapping[str, str] | MultiDict[str, str]


class BadParameter(InvalidRequest):
    """A number parameter out of its range; the fields let a page explain it in its language."""

    def __init__(self, name: str, value: str, low: int, high: int) -> None:
        """The English message (for the API) and what it was made of."""
        super().__init__(f"{name} must be a whole number from {low} to {high}")
        self.name, self.value, self.low, self.high = name, value, low, high


def clean_text(value: str) -> str:
    """Replace control characters (NUL included) with spaces and collapse whitespace."""
    return " ".join(CONTROL.sub(" ", value).split())


def parse_search_args(args: Args) -> SearchRequest:
    """Build a SearchRequest from query-string args; InvalidRequest names the bad parameter."""
    q = clean_text(args.get(Q, ""))[:MAX_QUERY_CHARS].strip()
    facets = selected(**{name: _values(args, name) for name in FACET_FIELDS})
    year_min = _integer(args, YEAR_MIN, FIRST_YEAR, LAST_YEAR)
    year_max = _integer(args, YEAR_MAX, FIRST_YEAR, LAST_YEAR)
    if year_min is not None and year_max is not None and year_min > year_max:
        raise InvalidRequest(f"{YEAR_MIN} ({year_min}) must not be after {YEAR_MAX} ({year_max})")
    return SearchRequest(
        q=q,
        facets=facets,
        year_min=year_min,
        year_max=year_max,
        sort=_sort(args, blank_query=not q),
        page=_integer(args, PAGE, 1, MAX_PAGE) or 1,
        per_page=_integer(args, PER_PAGE, 1, MAX_PER_PAGE) or DEFAULT_PER_PAGE,
        exact=args.get(EXACT, "").strip() == "1",
    )


@dataclass(frozen=True, slots=True)
class Forgiven:
    """What a page put right in a search's address instead of refusing it (the API refuses)."""

    dropped: tuple[tuple[str, str], ...] = ()  # (facet parameter, value) that no longer exist
    years_swapped: bool = False
    unknown_sort: str = ""


def forgive(args: Args, known: Mapping[str, Collection[str]]) -> tuple[Args, Forgiven]:
    """The args without facet values that are not in known, with the years in order and an
    unknown sort left out; and what was changed, for the page to say."""
    kept: MultiDict[str, str] = MultiDict()
    dropped: list[tuple[str, str]] = []
    for name in ALL_PARAMS:
        for value in _values(args, name) if name in FACET_FIELDS else _raw(args, name):
            if name in FACET_FIELDS and value not in known.get(name, ()):
                dropped.append((name, value))
            else:
                kept.add(name, value)
    years = [kept.get(YEAR_MIN, "").strip(), kept.get(YEAR_MAX, "").strip()]
    swapped = all(_INTEGER.fullmatch(y) for y in years) and int(years[0]) > int(years[1])
    if swapped:
        kept.setlist(YEAR_MIN, [years[1]])
        kept.setlist(YEAR_MAX, [years[0]])
    sort = kept.get(SORT, "").strip()
    unknown_sort = sort if sort and sort not in set(Sort) else ""
    if unknown_sort:
        kept.poplist(SORT)
    return kept, Forgiven(tuple(dropped), swapped, clean_text(unknown_sort)[:40])


def _raw(args: Args, name: str) -> list[str]:
    """Every value of a parameter as given."""
    return (
        args.getlist(name) if isinstance(args, MultiDict) else [args[name]] if name in args else []
    )


def checked_id(doc_id: str) -> str:
    """A document id from a URL path; DocumentNotFound for one no document can have."""
    if id_problem(doc_id):
        raise DocumentNotFound("no publication has that id")
    return doc_id


def was_truncated(args: Args) -> bool:
    """True when the typed query was longer than the library accepts and was cut."""
    return len(clean_text(args.get(Q, ""))) > MAX_QUERY_CHARS


def chosen_sort(args: Args) -> str:
    """The sort the user picked (relevance when none): what the sort menu shows."""
    value = args.get(SORT, "").strip()
    return value if value in set(Sort) else Sort.RELEVANCE.value


def _values(args: Args, name: str) -> tuple[str, ...]:
    """The distinct non-empty values of a repeatable parameter, in order."""
    raw = args.getlist(name) if isinstance(args, MultiDict) else [args.get(name, "")]
    cleaned = (clean_text(v)[:MAX_VALUE_CHARS] for v in raw)
    return tuple(dict.fromkeys(v for v in cleaned if v))


def whole_number(args: Args, name: str, low: int, high: int) -> int | None:
    """An optional whole-number parameter within [low, high]; InvalidRequest names it if bad."""
    return _integer(args, name, low, high)


def _integer(args: Args, name: str, low: int, high: int) -> int | None:
    """An optional whole number within [low, high]; empty counts as absent."""
    raw = args.get(name, "").strip()
    if not raw:
        return None
    if not _INTEGER.fullmatch(raw) or not low <= int(raw) <= high:
        raise BadParameter(name, raw[:40], low, high)
    return int(raw)


def _sort(args: Args, blank_query: bool) -> Sort:
    """The requested order; with no words and no choice, browse newest first."""
    raw = args.get(SORT, "").strip()
    if not raw:
        return Sort.NEWEST if blank_query else Sort.RELEVANCE
    try:
        return Sort(raw)
    except ValueError:
        choices = ", ".join(s.value for s in Sort)
        raise InvalidRequest(f"{SORT} must be one of {choices}") from None


# --- Links: each returns a query string ("?..." or "") for base, page reset where it matters.


def query_string(pairs: Iterable[tuple[str, str]]) -> str:
    """'?a=1&b=2' for the pairs, or '' when there are none."""
    encoded = urlencode(list(pairs))
    return "?" + encoded if encoded else ""


def canonical_pairs(args: Args, drop: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Known, non-empty parameters in canonical order, without those named in drop."""
    dropped = set(drop)
    pairs = []
    for name in ALL_PARAMS:
        if name in dropped:
            continue
        raw = args.getlist(name) if isinstance(args, MultiDict) else [args.get(name, "")]
        seen = set()
        for value in raw:
            value = clean_text(value)
            if value and value not in seen:
                seen.add(value)
                pairs.append((name, value))
    return pairs


def toggle_url(args: Args, name: str, value: str, base: str = "") -> str:
    """Link that adds value to parameter name, or removes it if present; back to page 1."""
    pairs = canonical_pairs(args, drop=(PAGE,))
    if (name, value) in pairs:
        pairs.remove((name, value))
    else:
        pairs = _insert(pairs, name, value)
    return base + query_string(pairs)


def remove_url(args: Args, name: str, value: str | None = None, base: str = "") -> str:
    """Link without one value of a parameter (every value when value is None); page 1."""
    pairs = canonical_pairs(args, drop=(PAGE,))
    kept = [(n, v) for n, v in pairs if n != name or (value is not None and v != value)]
    return base + query_string(kept)


def replace_url(args: Args, name: str, value: str, base: str = "") -> str:
    """Link with parameter name set to this single value; back to page 1."""
    pairs = canonical_pairs(args, drop=(PAGE, name))
    return base + query_string(_insert(pairs, name, value))


def clear_filters_url(args: Args, base: str = "") -> str:
    """Link keeping the words, sort and page size but no facet or year filter."""
    return base + query_string(canonical_pairs(args, drop=(*FILTER_PARAMS, PAGE)))


def page_url(args: Args, page: int, base: str = "") -> str:
    """Link to another page of the same search."""
    pairs = canonical_pairs(args, drop=(PAGE,))
    return base + query_string(_insert(pairs, PAGE, str(page)) if page > 1 else pairs)


def search_url(base: str = "", **params: str | Iterable[str]) -> str:
    """Link to a search with the given parameters, e.g. search_url(base, topic="abduction")."""
    pairs = []
    for name in ALL_PARAMS:
        value = params.get(name)
        values = [value] if isinstance(value, str) else list(value or ())
        pairs += [(name, v) for v in values if v]
    return base + query_string(pairs)


def _insert(pairs: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """Pairs with (name, value) placed in canonical order."""
    rank = ALL_PARAMS.index(name)
    position = next((i for i, (n, _) in enumerate(pairs) if ALL_PARAMS.index(n) > rank), None)
    if position is None:
        return [*pairs, (name, value)]
    return [*pairs[:position], (name, value), *pairs[position:]]
