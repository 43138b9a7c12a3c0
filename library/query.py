"""From what a user typed to what to look for: words, "phrases", and other ways to say them.

Nothing typed is parsed as query syntax: colons, brackets, wildcards and operators are just
punctuation, so no input can reach a field or break a search. The parsed query speaks of words,
not of an engine's terms; what it needs to know of them (a word's indexed forms, so stop words,
stems and languages) it asks the engine's analysis, passed in as a function. May import:
snippets, vocab, text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from library.snippets import matcher
from library.text import CONTROL, WORD, fold, words
from library.vocab import Vocabulary

LANGS = ("en", "es")  # the languages queries are analysed in
MAX_WORDS = 80  # what MAX_QUERY_CHARS holds of ordinary words
_QUOTED = re.compile(r'"([^"]*)"?')
# (language, word) -> the word's indexed terms in that language (empty for a stop word)
Analyse = Callable[[str, str], tuple[str, ...]]

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
    position: int  # among the typed words outside quotes (-1 inside quotes)
    content: bool  # neither a stop word of either language nor a request word
    indexed: bool  # some language indexes it (it is not a stop word everywhere)


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
    of a multi-word alternative; quoted phrases count as one unit each of the match rule.
    """

    words: tuple[Word, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()  # quoted phrases, their folded words in order
    alternatives: tuple[Alternative, ...] = ()
    language: str = "en"  # the language the query seems to be written in
    quoted: tuple[Word, ...] = ()  # the words of the phrases

    @property
    def searchable(self) -> bool:
        """False when nothing searchable was typed: the search browses everything."""
        return any(w.indexed for w in (*self.words, *self.quoted))

    @property
    def content(self) -> tuple[Word, ...]:
        """The typed content words outside quotes, each once."""
        seen: dict[str, Word] = {}
        for word in self.words:
            if word.content and word.text not in seen:
                seen[word.text] = word
        return tuple(seen.values())

    @property
    def every_word(self) -> tuple[str, ...]:
        """Every typed word, loose or quoted, in order (for snippets and spelling)."""
        return tuple(w.text for w in self.words) + tuple(w for p in self.phrases for w in p)

    @property
    def content_words(self) -> tuple[str, ...]:
        """Every typed content word, loose or quoted, each once (what spelling looks at)."""
        return tuple(dict.fromkeys(w.text for w in (*self.words, *self.quoted) if w.content))

    def marking(
        self, lang: str, analyse: Analyse
    ) -> tuple[re.Pattern[str] | None, Callable[[str], bool]]:
        """What a snippet marks in a document of language lang: the typed words and their forms.

        The pattern finds words starting with a typed word or its stem; keep accepts only those
        that are the typed word or have its stem ('mission' starts with 'miss', the stem of
        'missing', but is not a form of it).
        """
        typed = frozenset(self.every_word)
        stems = frozenset(t for w in typed for t in analyse(lang, w)[:1])

        def keep(word: str) -> bool:
            folded = word.lower()
            return folded in typed or bool(stems.intersection(analyse(lang, folded)[:1]))

        return (matcher(stems | typed) if typed else None), keep

    @property
    def expansions(self) -> tuple[str, ...]:
        """The alternatives' phrases, for display."""
        return tuple(dict.fromkeys(a.phrase for a in self.alternatives))


def analysed_language(language: str) -> str:
    """The language a document's text is analysed in (English for one without an analysis)."""
    return language if language in LANGS else "en"


def typed_words(text: str) -> list[str]:
    """The folded words of a query, quoted or not, in order."""
    return [fold(w) for w in words(clean(text))][:MAX_WORDS]


def clean(text: str) -> str:
    """Drop control characters (NUL included) and collapse spaces."""
    return " ".join(CONTROL.sub(" ", text).split())


def parse_query(text: str, vocabulary: Vocabulary, analyse: Analyse) -> ParsedQuery:
    """Typed words and quoted phrases, with the vocabulary's acronyms and equivalents."""
    text = clean(text)
    phrases = tuple(tuple(fold(w) for w in words(p)) for p in _QUOTED.findall(text) if words(p))
    loose = [fold(w) for w in words(_QUOTED.sub(" ", text))][:MAX_WORDS]
    every = loose + [w for p in phrases for w in p]
    return ParsedQuery(
        words=tuple(_word(w, i, analyse) for i, w in enumerate(loose)),
        phrases=phrases,
        alternatives=tuple(_alternatives(loose, vocabulary, analyse)),
        language=query_language(every, analyse),
        quoted=tuple(_word(w, -1, analyse) for p in phrases for w in p),
    )


def _word(text: str, position: int, analyse: Analyse) -> Word:
    """A typed word with what the analysis says of it."""
    stop = [not analyse(lang, text) for lang in LANGS]
    content = text not in REQUEST_WORDS and not any(stop)
    return Word(text, position, content, indexed=not all(stop))


def corrected(text: str, corrections: dict[str, str]) -> str:
    """text with each corrected word replaced, everything else (quotes, case) as typed."""
    return WORD.sub(lambda m: corrections.get(fold(m.group()), m.group()), clean(text))


def query_language(typed: list[str], analyse: Analyse) -> str:
    """'es' when the typed words are more Spanish than English by stop words, else 'en'."""
    es = sum(1 for w in typed if not analyse("es", w) and analyse("en", w))
    en = sum(1 for w in typed if not analyse("en", w) and analyse("es", w))
    return "es" if es > en else "en"


def _spans(tokens: list[str], longest: int = 5) -> list[tuple[int, int, str]]:
    """Every run of up to `longest` consecutive words, as (start, end, phrase)."""
    return [
        (i, j, " ".join(tokens[i:j]))
        for i in range(len(tokens))
        for j in range(i + 1, min(len(tokens), i + longest) + 1)
    ]


def _alternatives(tokens: list[str], vocabulary: Vocabulary, analyse: Analyse) -> list[Alternative]:
    """Phrases equivalent to something typed: acronyms both ways, then equivalence groups.

    Phrases are compared by their word stems, so 'runaways' finds the group of 'runaway'; each
    alternative covers the typed words of the span it stands for.
    """
    spans: dict[tuple[str, ...], tuple[int, ...]] = {}
    for start, end, span in _spans(tokens):
        spans.setdefault(_key(span, analyse), tuple(range(start, end)))
    found: dict[str, Alternative] = {}

    def add(phrase: str, covers: tuple[int, ...], kind: str) -> None:
        if _key(phrase, analyse) not in spans and phrase not in found:
            found[phrase] = Alternative(phrase, covers, kind)

    for short, long in vocabulary.acronyms:
        if _key(short, analyse) in spans:
            add(long, spans[_key(short, analyse)], "acronym")
        elif _key(long, analyse) in spans:
            add(short, spans[_key(long, analyse)], "acronym")
    for group in vocabulary.equivalents:
        covered = [spans[k] for g in group if (k := _key(g, analyse)) in spans]
        for phrase in group if covered else ():
            add(phrase, max(covered, key=len), "synonym")
    return list(found.values())


@lru_cache(maxsize=10_000)
def _key(phrase: str, analyse: Analyse) -> tuple[str, ...]:
    """A phrase as comparable stems ("Children's Advocacy Centers" ~ "children's advocacy center")."""
    return tuple(
        stem
        for word in words(fold(phrase).replace("'", " ").replace("\u2019", " "))
        for stem in (analyse("en", word) or (word,))
    )
