"""The configset's text analysis of one word, in Python: what the library's query parsing and
marking (library.query.Analyse) need to know of the terms Solr indexes.

It follows the `text_en` and `text_es` chains of solr/configset/conf/schema.xml step by step:
lowercase, (English) drop a possessive 's, drop the Snowball stop words (the very lists Lucene
ships, copied into stopwords/ with their licence notes), Snowball stemming (PyStemmer runs the
same Snowball algorithms as Lucene's SnowballPorterFilter), then fold accents. Synonyms are left to
Solr: the library finds the vocabulary's alternatives itself. May import: text, PyStemmer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import Stemmer

from library.text import fold

STOPWORDS = Path(__file__).with_name("stopwords")
_STOP_FILES = {"en": "english_stop.txt", "es": "spanish_stop.txt"}
_STEMMERS = {"en": "english", "es": "spanish"}
_POSSESSIVES = ("'s", "\u2019s")


def read_stop_words(path: Path) -> frozenset[str]:
    """The words of a Snowball stop list: the first word of each line, after a `|` comment."""
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("|", 1)[0].strip()
        if word:
            found.add(word.split()[0].lower())
    return frozenset(found)


@lru_cache(maxsize=2)
def stop_words(lang: str) -> frozenset[str]:
    """The stop words of one analysed language."""
    return read_stop_words(STOPWORDS / _STOP_FILES[lang])


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    """The Snowball stemmer of a language."""
    return Stemmer.Stemmer(_STEMMERS[lang])


@lru_cache(maxsize=50_000)
def analyse_word(lang: str, text: str) -> tuple[str, ...]:
    """The term Solr indexes for a word in one language (empty for a stop word)."""
    if lang not in _STEMMERS:
        lang = "en"
    word = text.lower()
    if lang == "en" and word.endswith(_POSSESSIVES):
        word = word[:-2]
    if not word or word in stop_words(lang):
        return ()
    return (fold(_stemmer(lang).stemWord(word)),)
