"""Solr request parameters for the library's searches: pure builders, no HTTP.

A parsed query becomes nested local-params queries, never query syntax built from what was typed:
each typed word, phrase and alternative travels in a parameter of its own ($w0, $w1, ...) that an
edismax sub-query (the configset's analysis, uf=-*) reads. The search finds every document holding
any of them; the ranking policy's full-match rule is a filter over the units (each content word
or an alternative standing for it, each quoted phrase), weighted by their idf as the policy
weighs them. Filters are fq with a tag per facet and each facet is counted excluding its own tag
(disjunctive counts). May import: facets, models, query, ranking, solr.analysis, solr.fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum

from library.facets import FACETS, FacetKind, year_range
from library.models import SearchRequest, Sort
from library.query import ParsedQuery, Word
from library.ranking import RankingPolicy
from library.solr import fields
from library.solr.analysis import analyse_word

Param = tuple[str, str | int | float | bool]
UNFILTERED = "unfiltered"  # the key of the facet query counting matches before any filter
SORTS = {
    Sort.NEWEST: "date_sort desc,title_sort desc,id asc",
    Sort.OLDEST: "date_sort asc,title_sort asc,id asc",
    Sort.TITLE: "title_sort asc,id asc",
}
RELEVANCE = "score desc,id asc"
MAX_GAP = 99  # the surround parser's largest distance
MARK_PRE, MARK_POST = "\ue000", "\ue001"  # private-use characters, replaced by <mark> once escaped


class Breadth(IntEnum):
    """How widely a query is sent: narrowed when Solr finds it too large.

    Solr's query analysis adds every equivalent of a word from the synonym files, each a phrase
    in each field, and Lucene refuses a query of more than 1,024 clauses (Solr's default); a long
    question full of words with many equivalents is then sent narrower, never refused.
    """

    WHOLE = 0  # every text field of both languages, with alternatives of several typed words
    OWN_LANGUAGE = 1  # the fields of the query's language, the typed words alone
    WORDS = 2  # the words as written (the spelling field: no stemming, no equivalents)


@dataclass(slots=True)
class _Params:
    """Parameters being gathered, with a counter for the names of the values they refer to."""

    prefix: str = "w"
    breadth: Breadth = Breadth.WHOLE
    language: str = "en"
    items: list[Param] = field(default_factory=list)

    @property
    def spans(self) -> bool:
        """Whether alternatives of several typed words are sent."""
        return self.breadth is Breadth.WHOLE

    def value(self, text: str) -> str:
        """Store a value in a parameter of its own; its reference ($name)."""
        name = f"{self.prefix}{len(self.items)}"
        self.items.append((name, text))
        return "$" + name


def text_fields(languages: Iterable[str] = fields.LANGS) -> str:
    """The edismax qf: the ranked field of each language (the policy's field weights are in it)."""
    return " ".join(fields.RANKED[lang] for lang in languages)


def match_params(
    parsed: ParsedQuery,
    policy: RankingPolicy,
    language: str,
    breadth: Breadth = Breadth.WHOLE,
) -> list[Param]:
    """q and its values: every document holding any typed word, phrase or alternative, scored
    by all of them, documents in `language` boosted by the policy's language bonus."""
    params = _Params(breadth=breadth, language=language)
    if breadth is Breadth.WHOLE:
        qf = text_fields()
    elif breadth is Breadth.OWN_LANGUAGE:
        qf = text_fields([language])
    else:
        qf = fields.SPELL
    boost = (
        f"if(termfreq({fields.FACET_FIELDS['language']},'{language}'),{policy.language_bonus},1)"
    )
    main = _any(parsed, params)
    return [
        *params.items,
        ("qf", qf),
        ("defType", "lucene"),
        ("main", main),
        ("bonus", boost),
        ("q", "{!boost b=$bonus v=$main}"),
    ]


def unit_params(
    parsed: ParsedQuery, breadth: Breadth = Breadth.WHOLE, language: str = "en"
) -> list[Param]:
    """The units of the full-match rule as queries u0, u1, ...: each typed content word (or a
    phrase standing for it), then each quoted phrase. Empty when nothing counts."""
    params = _Params(prefix="v", breadth=breadth, language=language)
    units = [_word_unit(parsed, word.text, word.position, params) for word in parsed.content]
    units += [_phrase(params, phrase) for phrase in parsed.phrases]
    return [*params.items, *((f"u{i}", unit) for i, unit in enumerate(units))] if units else []


def unit_count_params(units: list[Param], qf: str) -> list[Param]:
    """A search counting the documents of each unit (and of the whole library): their idf."""
    count = sum(1 for name, _ in units if name.startswith("u"))
    return [
        *units,
        ("qf", qf),
        ("q", "*:*"),
        ("defType", "lucene"),
        ("rows", 0),
        ("facet", "true"),
        *(("facet.query", f"{{!key=u{i} v=$u{i}}}") for i in range(count)),
    ]


def full_filter(units: list[Param], weights: list[float], needed: float, full: bool) -> list[Param]:
    """An fq keeping the full matches (full) or the others: the documents whose units' weights
    (each unit's idf, as the policy weighs them) add up to what a full match needs.

    Solr's mm counts clauses; the policy weighs them, so the sum is a function range over the
    units' queries. Solr adds in single precision: the bound is lowered by half the smallest
    weight at most, never enough to let a missing unit pass.
    """
    terms = ",".join(f"if(query($u{i}),{w!r},0)" for i, w in enumerate(weights))
    bound = needed - min(min(weights) / 2, 1e-4)
    local = f"l={bound!r}" if full else f"u={bound!r} incu=false"
    return [*units, ("fq", f"{{!frange {local} cache=false}}sum({terms},0)")]


def _any(parsed: ParsedQuery, params: _Params) -> str:
    """Any typed word (those of the quoted phrases too), or an alternative of some typed words.

    As with the whoosh engine, the words of a phrase score as words (as typed: without their
    equivalents), and the phrase itself is a unit of the full-match rule: a document holding its
    words apart is a partial match.
    """
    loose = {w.text for w in parsed.words}
    clauses = [_edismax(params, w.text) for w in _unique(parsed.words) if w.indexed]
    quoted = [w for w in _unique(parsed.quoted) if w.indexed and w.text not in loose]
    clauses += [_phrase(params, (w.text,)) for w in quoted]
    clauses += [_edismax(params, span, every=True) for span in _spans(parsed, params)]
    return _bool(params, clauses, 1)


def _word_unit(parsed: ParsedQuery, word: str, position: int, params: _Params) -> str:
    """A content word, or a phrase standing for the typed words around it."""
    options = [_edismax(params, word)]
    options += [_edismax(params, span, every=True) for span in _spans(parsed, params, position)]
    return options[0] if len(options) == 1 else _bool(params, options, 1)


def _spans(parsed: ParsedQuery, params: _Params, position: int | None = None) -> list[str]:
    """One alternative for each run of typed words that alternatives stand for (those covering
    position).

    Solr's query analysis adds the vocabulary's equivalents and acronyms of any phrase of its
    synonym files (made from the same vocabulary), so one alternative of a run brings all of
    them; sending each would multiply the clauses past Solr's limit. The library finds them by
    stems, Solr by the words as written: this brings "child" to "niños" as it does to "niño".
    """
    found: dict[tuple[int, ...], str] = {}
    for alternative in parsed.alternatives if params.spans else ():
        if position is None or position in alternative.covers:
            found.setdefault(alternative.covers, alternative.phrase)
    return list(found.values())


def _edismax(params: _Params, text: str, every: bool = False) -> str:
    """An edismax sub-query of some words (every word needed when every)."""
    mm = " mm=100%" if every else ""
    return f"{{!edismax qf=$qf{mm} v={params.value(text)}}}"


def _phrase(params: _Params, phrase: tuple[str, ...]) -> str:
    """A quoted phrase: its words in order in the ranked field of a language, as typed.

    Solr's query analysis would add the vocabulary's equivalents of a phrase, as it does for loose
    words; a quoted phrase means those words, as with the whoosh engine. So its terms are the
    configset's analysis done here (library.solr.analysis) and reach Solr through the surround
    parser, which analyses nothing. The words as written (Breadth.WORDS) have no equivalents.
    """
    if params.breadth is Breadth.WORDS:
        return _edismax(params, _quoted(phrase))
    languages = fields.LANGS if params.breadth is Breadth.WHOLE else (params.language,)
    clauses = [
        f"{{!surround df={fields.RANKED[lang]} v={params.value(query)}}}"
        for lang in languages
        if (query := surround_phrase(lang, phrase))
    ]
    if not clauses:  # stop words only: nothing the ranked fields index
        return _edismax(params, _quoted(phrase))
    return clauses[0] if len(clauses) == 1 else _bool(params, clauses, 1)


def surround_phrase(lang: str, phrase: tuple[str, ...]) -> str:
    """A phrase as a surround query of the terms indexed for it in one language ("" if none).

    Each term comes 1 to n positions after the one before, n one more than the stop words
    between them (they are not indexed, but keep their positions): "W(a, 3W(b, c))". Every
    term is quoted, so no word reads as an operator (and, or, not, w, n) or a wildcard.
    """
    terms: list[str] = []
    gaps: list[int] = []
    gap = 1
    for word in phrase:
        found = analyse_word(lang, word)
        if not found:
            gap += 1 if terms else 0
            continue
        if terms:
            gaps.append(gap)
        terms.append(found[0].replace('"', ""))
        gap = 1
    if not terms:
        return ""
    query = f'"{terms[-1]}"'
    for term, before in zip(reversed(terms[:-1]), reversed(gaps), strict=True):
        distance = str(min(before, MAX_GAP)) if before > 1 else ""  # 2 to 99, or adjacent
        query = f'{distance}W("{term}", {query})'
    return query


def _bool(params: _Params, clauses: list[str], needed: int) -> str:
    """A bool query needing `needed` of its clauses."""
    return "{!bool" + _shoulds(params, clauses) + f" mm={needed}}}"


def _shoulds(params: _Params, clauses: list[str]) -> str:
    """should=$name for each clause, stored in parameters."""
    return "".join(f" should={params.value(clause)}" for clause in clauses)


def _unique(typed: Iterable[Word]) -> list[Word]:
    """Typed words, each once."""
    seen: dict[str, Word] = {}
    for word in typed:
        seen.setdefault(word.text, word)
    return list(seen.values())


def _quoted(phrase: tuple[str, ...]) -> str:
    """A phrase as edismax reads one (its words have no quotes or syntax of their own)."""
    return '"' + " ".join(phrase) + '"'


def filter_params(request: SearchRequest) -> list[Param]:
    """One tagged fq per facet with a selection: its values OR-ed, facets AND-ed."""
    params: list[Param] = []
    for spec in FACETS:
        name, solr_field = spec.name, fields.FACET_FIELDS[spec.name]
        if spec.kind is FacetKind.YEAR:
            bounds = year_range(request)
            if bounds is not None:
                query = f"{solr_field}:[{bounds[0]} TO {bounds[1]}]"
                params.append(("fq", f"{{!lucene tag={name}}}{query}"))
            continue
        chosen = request.values(name)
        if chosen:
            params += [
                (f"f_{name}", ",".join(chosen)),
                ("fq", f"{{!terms tag={name} f={solr_field} v=$f_{name}}}"),
            ]
    return params


def facet_params(unfiltered: bool = False) -> list[Param]:
    """Every facet counted without its own filter; with unfiltered, the matches before any."""
    params: list[Param] = [("facet", "true"), ("facet.missing", "false")]
    for spec in FACETS:
        solr_field = fields.FACET_FIELDS[spec.name]
        params.append(("facet.field", f"{{!ex={spec.name} key={spec.name}}}{solr_field}"))
        if spec.kind is FacetKind.YEAR:
            params.append((f"f.{solr_field}.facet.missing", "true"))
    if unfiltered:
        tags = ",".join(spec.name for spec in FACETS)
        params.append(("facet.query", f"{{!ex={tags} key={UNFILTERED}}}*:*"))
    return params


def highlight_params() -> list[Param]:
    """Highlighting with marks the engine replaces after escaping the text itself."""
    return [
        ("hl", "true"),
        ("hl.tag.pre", MARK_PRE),
        ("hl.tag.post", MARK_POST),
        ("hl.encoder", ""),
    ]


def page_params(request: SearchRequest, start: int, rows: int, relevance: bool) -> list[Param]:
    """start, rows and sort of one page (relevance: by score, else the request's order)."""
    if relevance and request.sort is Sort.RELEVANCE:
        order = RELEVANCE
    else:
        order = SORTS.get(request.sort, SORTS[Sort.NEWEST])
    return [("start", start), ("rows", rows), ("sort", order)]
