"""From what a user typed to what to look for: words, "phrases", and other ways to say them.

Nothing typed is parsed as query syntax: colons, brackets, wildcards and operators are just
punctuation, so no input can reach a field or break a search. The parsed query speaks of words,
not of an engine's terms: each engine turns words into its own terms. May import: analysis,
schema, snippets, vocab, text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from library.analysis import analyzer
from library.schema import LANGS
from library.snippets import matcher
from library.text import CONTROL, WORD, fold, words
from library.vocab import Vocabulary

MAX_WORDS = 80  # what MAX_QUERY_CHARS holds of ordinary words
_QUOTED = re.compile(r'"([^"]*)"?')

# Words that ask for something rather than say what it is about ("I am looking for information
# on ..."): still searched, but not counted when deciding whether a document has all the words.
REQUEST_WORDS = frozenset((
    "a", "about", "am", "an", "any", "anything", "are", "article", "articles", "be", "can",
    "could", "deal", "dealing", "describe", "describing", "discuss", "discussing", "discussion",
    "discussions", "do", "document", "documents", "does", "doing", "find", "finding", "for",
    "get", "give", "have", "how", "i", "i'd", "i'm", "in", "info", "information", "interested",
    "is", "it", "know", "like", "looking", "look", "material", "materials", "me", "my", "need",
    "of", "on", "or", "paper", "papers", "please", "publication", "publications", "related",
    "relating", "resource", "resources", "search", "searching", "show", "some", "something",
    "tell", "that", "the", "there", "these", "this", "those", "to", "want", "wanted", "we",
    "what", "when", "where", "which", "who", "why", "with", "would", "you", "your",
    "arent", "cant", "couldnt", "didnt", "doesnt", "dont", "hes", "im", "isnt", "ive", "shes",
    "shouldnt", "thats", "theyre", "wasnt", "whats", "wont", "wouldnt", "youre",
    "algo", "alguien", "algun", "alguna", "articulo", "articulos", "busca", "buscando", "busco",
    "como", "con", "cual", "cuales", "cuando", "de", "del", "documento", "documentos", "donde",
    "el", "en", "es", "esta", "este", "hay", "informacion", "la", "las", "lo", "los", "me", "mi",
    "mis", "necesito", "para", "por", "puedo", "que", "quiero", "recurso", "recursos", "saber",
    "se", "sobre", "su", "sus", "tengo", "un", "una", "y", "yo",
))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Word:
    """One typed word, folded; content words are the ones a full match must hold."""

    text: str
    position: int  # among the typed words outside quotes
    content: bool  # neither a stop word of either language nor a request word


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another way to say some typed words (a synonym, an acronym, a translation)."""

    phrase: str  # folded words
    covers: tuple[int, ...]  # positions of the typed words it stands for
    kind: str  # "acronym" or "synonym"


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """What was typed, and what else to look for.

    A document matches when it holds any typed word, any single-word alternative, or every word
    of a multi-word alternative; with quoted phrases it must hold each of them as a phrase.
    """

    words: tuple[Word, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()  # quoted phrases, their folded words in order
    alternatives: tuple[Alternative, ...] = ()
    language: str = "en"  # the language the query seems to be written in

    @property
    def searchable(self) -> bool:
        """False when nothing searchable was typed: the search browses everything."""
        return any(analysed_words(w.text) for w in self.words) or any(
            any(analysed_words(w) for w in p) for p in self.phrases
        )

    @property
    def content(self) -> tuple[Word, ...]:
        """The typed content words, each once."""
        seen: dict[str, Word] = {}
        for word in self.words:
            if word.content and word.text not in seen:
                seen[word.text] = word
        return tuple(seen.values())

    @property
    def every_word(self) -> tuple[str, ...]:
        """Every typed word, loose or quoted, in order (for snippets and spelling)."""
        return tuple(w.text for w in self.words) + tuple(w for p in self.phrases for w in p)

    def marking(self, lang: str) -> tuple[re.Pattern[str] | None, Callable[[str], bool]]:
        """What a snippet marks in a document of language lang: the typed words and their forms.

        The pattern finds words starting with a typed word or its stem; keep accepts only those
        that are the typed word or have its stem ('mission' starts with 'miss', the stem of
        'missing', but is not a form of it).
        """
        typed = frozenset(self.every_word)
        stems = frozenset(t for w in typed for t in analyse_word(lang, w)[:1])

        def keep(word: str) -> bool:
            folded = word.lower()
            return folded in typed or bool(stems.intersection(analyse_word(lang, folded)[:1]))

        return (matcher(stems | typed) if typed else None), keep

    @property
    def expansions(self) -> tuple[str, ...]:
        """The alternatives' phrases, for display."""
        return tuple(dict.fromkeys(a.phrase for a in self.alternatives))


def typed_words(text: str) -> list[str]:
    """The folded words of a query, quoted or not, in order."""
    return [fold(w) for w in words(clean(text))][:MAX_WORDS]


def clean(text: str) -> str:
    """Drop control characters (NUL included) and collapse spaces."""
    return " ".join(CONTROL.sub(" ", text).split())


def parse_query(text: str, vocabulary: Vocabulary) -> ParsedQuery:
    """Typed words and quoted phrases, with the vocabulary's acronyms and equivalents."""
    text = clean(text)
    phrases = tuple(tuple(fold(w) for w in words(p)) for p in _QUOTED.findall(text) if words(p))
    loose = [fold(w) for w in words(_QUOTED.sub(" ", text))][:MAX_WORDS]
    typed = tuple(Word(w, i, is_content(w)) for i, w in enumerate(loose))
    every = loose + [w for p in phrases for w in p]
    return ParsedQuery(
        words=typed,
        phrases=phrases,
        alternatives=tuple(_alternatives(loose, vocabulary)),
        language=query_language(every),
    )


def corrected(text: str, corrections: dict[str, str]) -> str:
    """text with each corrected word replaced, everything else (quotes, case) as typed."""
    return WORD.sub(lambda m: corrections.get(fold(m.group()), m.group()), clean(text))


def is_content(word: str) -> bool:
    """Whether a typed word says what the search is about (not a stop or request word)."""
    return word not in REQUEST_WORDS and not is_stop_word(word, anywhere=True)


def is_stop_word(word: str, anywhere: bool = False) -> bool:
    """True for a word no language indexes ('the'), or with anywhere, some language ('de')."""
    check = any if anywhere else all
    return check(not analyse_word(lang, word) for lang in LANGS)


def query_language(typed: list[str]) -> str:
    """'es' when the typed words are more Spanish than English by stop words, else 'en'."""
    es = sum(1 for w in typed if not analyse_word("es", w) and analyse_word("en", w))
    en = sum(1 for w in typed if not analyse_word("en", w) and analyse_word("es", w))
    return "es" if es > en else "en"


def analysed_words(word: str) -> tuple[str, ...]:
    """The word's indexed term in each language that indexes it."""
    return tuple(t for lang in LANGS for t in analyse_word(lang, word)[:1])


@lru_cache(maxsize=50_000)
def analyse_word(lang: str, text: str) -> tuple[str, ...]:
    """The indexed terms of a word in one language (empty for a stop word)."""
    return tuple(t.text for t in _analyzer(lang)(text))


@lru_cache(maxsize=4)
def _analyzer(lang: str):  # type: ignore[no-untyped-def]
    """One analyzer per language, built once."""
    return analyzer(lang)


def _spans(tokens: list[str], longest: int = 5) -> list[tuple[int, int, str]]:
    """Every run of up to `longest` consecutive words, as (start, end, phrase)."""
    return [
        (i, j, " ".join(tokens[i:j]))
        for i in range(len(tokens))
        for j in range(i + 1, min(len(tokens), i + longest) + 1)
    ]


def _alternatives(tokens: list[str], vocabulary: Vocabulary) -> list[Alternative]:
    """Phrases equivalent to something typed: acronyms both ways, then equivalence groups.

    Phrases are compared by their word stems, so 'runaways' finds the group of 'runaway'; each
    alternative covers the typed words of the span it stands for.
    """
    spans: dict[tuple[str, ...], tuple[int, ...]] = {}
    for start, end, span in _spans(tokens):
        spans.setdefault(_key(span), tuple(range(start, end)))
    found: dict[str, Alternative] = {}

    def add(phrase: str, covers: tuple[int, ...], kind: str) -> None:
        if _key(phrase) not in spans and phrase not in found:
            found[phrase] = Alternative(phrase, covers, kind)

    for short, long in vocabulary.acronyms:
        if _key(short) in spans:
            add(long, spans[_key(short)], "acronym")
        elif _key(long) in spans:
            add(short, spans[_key(long)], "acronym")
    for group in vocabulary.equivalents:
        covered = [spans[_key(g)] for g in group if _key(g) in spans]
        for phrase in group if covered else ():
            add(phrase, max(covered, key=len), "synonym")
    return list(found.values())


@lru_cache(maxsize=10_000)
def _key(phrase: str) -> tuple[str, ...]:
    """A phrase as comparable stems ("Children's Advocacy Centers" ~ "children's advocacy center")."""
    return tuple(
        stem
        for word in words(fold(phrase).replace("'", " ").replace("\u2019", " "))
        for stem in (analyse_word("en", word) or (word,))
    )
