"""The structure of a publication's text, for its reading view: headings, paragraphs, lists.

Each extractor of web pages, plain text and Markdown also returns the text as blocks, (kind, text)
pairs: kind is h2, h3 or h4 (a heading), p (a paragraph), ul or ol (one item of a bulleted or
numbered list; consecutive items of one kind form one list). The text is plain: the web app
escapes it. The search body is built as before, not from these. May import: library.text,
library.models, bs4.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bs4.element import NavigableString, Tag

from library.models import Blocks
from library.text import normalize_text

HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
_PARAGRAPHS = {"p", "blockquote", "pre", "address", "figcaption", "dt", "dd", "caption", "summary"}
_LISTS = {"ul", "ol"}
_SKIPPED = {"img", "picture", "video", "audio", "source", "track", "map", "hr"}
_TABLE_ROW = "tr"
_BREAKS = {
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "section",
    "blockquote",
    "dd",
    "dt",
}
MAX_BLOCK_CHARS = 20_000  # a "paragraph" longer than this is a page without structure: cut it


def _clean(text: str) -> str:
    """One line of normalised text."""
    return " ".join(normalize_text(text).split())[:MAX_BLOCK_CHARS]


def _text(tag: Tag) -> str:
    """The words of an element as a reader sees them: inline tags joined as they are written
    ('call <b>911</b>.' is 'call 911.'), nested blocks and line breaks parted by a space."""
    parts = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:
                parts.append(str(node))
        elif isinstance(node, Tag) and (node.name in _BREAKS or node.name in HEADINGS):
            parts.append(" ")
    return _clean("".join(parts))


def _limited(blocks: Iterator[tuple[str, str]], max_chars: int) -> Blocks:
    """Non-empty blocks, stopping once max_chars of text are kept."""
    kept: list[tuple[str, str]] = []
    total = 0
    for kind, text in blocks:
        if not text:
            continue
        total += len(text)
        if total > max_chars:
            break
        kept.append((kind, text))
    return tuple(kept)


# --- HTML --------------------------------------------------------------------------------------


def html_blocks(root: Tag, max_chars: int) -> Blocks:
    """The blocks of a page's main content, its chrome already removed (h1 becomes h2)."""
    return _limited(_walk(root), max_chars)


def _walk(tag: Tag) -> Iterator[tuple[str, str]]:
    """Blocks of a container, with loose inline text gathered into paragraphs."""
    loose: list[str] = []
    for child in tag.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, CDATA or doctype
                loose.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _SKIPPED:
            continue
        block = _block(child)
        if block is None:  # an inline element: part of the loose paragraph
            loose.append(" " if child.name in _BREAKS else "".join(child.strings))
            continue
        yield "p", _clean("".join(loose))
        loose = []
        yield from block
    yield "p", _clean("".join(loose))


def _block(tag: Tag) -> Iterator[tuple[str, str]] | None:
    """The blocks of one block-level element, or None for an inline one."""
    name = tag.name
    if name in HEADINGS:
        return iter([(HEADINGS[name], _text(tag))])
    if name in _PARAGRAPHS:
        return iter([("p", _text(tag))])
    if name in _LISTS:
        items = tag.find_all("li", recursive=False) or [tag]
        return iter([(name, _text(item)) for item in items])
    if name == "table":
        rows = tag.find_all(_TABLE_ROW)
        return iter([("p", " · ".join(_cells(row))) for row in rows])
    if name in ("div", "section", "article", "main", "header", "figure", "details", "li", "dl"):
        return _walk(tag)
    return None


def _cells(row: Tag) -> list[str]:
    """The non-empty cell texts of a table row."""
    cells = (_text(cell) for cell in row.find_all(["td", "th"]))
    return [cell for cell in cells if cell]


# --- Plain text and Markdown -------------------------------------------------------------------

_BULLET = re.compile(r"^\s{0,6}(?:[-*+\u2022\u25aa\u2013]|\[[ xX]\])\s+(.*)$")
_NUMBERED = re.compile(r"^\s{0,6}\d{1,3}[.)]\s+(.*)$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_TASK = re.compile(r"^\[[ xX]\]\s+")


def plain_blocks(text: str, max_chars: int, markdown: bool = False) -> Blocks:
    """Blocks of plain text or Markdown: blank lines end paragraphs; bullets make lists."""
    return _limited(_lines_to_blocks(text.replace("\r\n", "\n").split("\n"), markdown), max_chars)


def _lines_to_blocks(lines: list[str], markdown: bool) -> Iterator[tuple[str, str]]:
    """Group lines into headings, list items (with their wrapped lines) and paragraphs."""
    current, buffer = "p", list[str]()
    for index, line in enumerate(lines):
        kind, text = _line_kind(line, lines, index, markdown)
        if kind == "text":
            wrapped = current in _LISTS and (markdown or line[:1].isspace())
            if current in _LISTS and not wrapped:
                yield current, _clean(" ".join(buffer))
                current, buffer = "p", []
            buffer.append(text)
            continue
        yield current, _clean(" ".join(buffer))
        current, buffer = "p", []
        if kind in _LISTS:
            current, buffer = kind, [text]
        elif kind != "blank":
            yield kind, _clean(text)
    yield current, _clean(" ".join(buffer))


def _line_kind(line: str, lines: list[str], index: int, markdown: bool) -> tuple[str, str]:
    """What one line is: blank, a heading, a list item, or text of a paragraph."""
    if not line.strip():
        return "blank", ""
    if markdown:
        heading = _MD_HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            return ("h2" if level <= 2 else "h3" if level == 3 else "h4"), heading.group(2)
        line = line.lstrip("> ") if line.lstrip().startswith(">") else line
    bullet = _BULLET.match(line)
    if bullet:
        return "ul", _MD_TASK.sub("", bullet.group(1))
    numbered = _NUMBERED.match(line)
    if numbered:
        return "ol", numbered.group(1)
    if not markdown and _standalone_heading(line, lines, index):
        return "h2", line.strip()
    return "text", line.strip()


def _standalone_heading(line: str, lines: list[str], index: int) -> bool:
    """A short line on its own, without closing punctuation, is a heading in plain text."""
    text = line.strip()
    before = index == 0 or not lines[index - 1].strip()
    after = index + 1 >= len(lines) or not lines[index + 1].strip()
    short = len(text) <= 90 and len(text.split()) <= 12
    if not (before and after and short):
        return False
    if text.isupper():  # "KEY FACTS FOR PARENTS", "WHAT IS CHILD TRAFFICKING?"
        return not text.endswith((".", ",", ";", "!", '"'))
    # a short mixed-case line is a heading unless it reads like a dateline or a sentence
    plain = not any(c.isdigit() for c in text) and text[:1].isupper()
    return (
        plain and len(text.split()) <= 8 and not text.endswith((".", ",", ";", ":", "?", "!", '"'))
    )
