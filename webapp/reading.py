"""The reading view of a publication: its blocks as the page's headings, paragraphs and lists.

The library gives the blocks as HTML-safe text (escaped, with a search's words in <mark>); this
module only groups list items into lists, moves headings one level down (the page's own title is
the h1 and its sections are h2) and leaves out a first heading that repeats the title.
May import: markupsafe, library.models.
"""

from __future__ import annotations

import re
from html import unescape

from markupsafe import Markup

from library.models import Blocks

LEVELS = {"h2": "h3", "h3": "h4", "h4": "h5"}
LISTS = ("ul", "ol")
_TAGS = re.compile(r"<[^>]+>")

Section = tuple[str, Markup | list[Markup]]


def grouped(blocks: Blocks, title: str) -> list[Section]:
    """(tag, html) for headings and paragraphs, (ul|ol, [item html, ...]) for lists."""
    shown: list[Section] = []
    for index, (kind, html) in enumerate(blocks):
        text = Markup(html)  # escaped by the library; only <mark> is markup
        if index == 0 and kind in LEVELS and _plain(html) == " ".join(title.split()).casefold():
            continue
        if kind in LISTS:
            last = shown[-1] if shown else None
            if last is not None and last[0] == kind and isinstance(last[1], list):
                last[1].append(text)
            else:
                shown.append((kind, [text]))
        else:
            shown.append((LEVELS.get(kind, "p"), text))
    return shown


def _plain(html: str) -> str:
    """The words of a block without marks, folded for comparing with the title."""
    return " ".join(unescape(_TAGS.sub("", html)).split()).casefold()
