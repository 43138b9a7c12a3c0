"""The publication formats: which file extensions are publications, and what bytes really are.

Shared by the ingest (which extracts them) and the web app (which serves and accepts them).
May import: stdlib.
"""

from __future__ import annotations

# file extension -> format
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".txt": "txt", ".md": "md"}


def sniff(data: bytes) -> str:
    """A rough name for what some bytes really are."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "PDF"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return "HTML"
    if head.startswith((b"pk\x03\x04",)):
        return "a ZIP or Office file"
    if head.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8")):
        return "an image"
    return "binary data" if b"\x00" in head else "text"


# format -> what sniff() may call its bytes (an HTML fragment without <html> reads as text)
CONTENT = {"pdf": ("PDF",), "html": ("HTML", "text"), "txt": ("text",), "md": ("text",)}


def content_problem(suffix: str, data: bytes) -> str | None:
    """Why bytes cannot be a publication named with this extension (".pdf"), or None if they can."""
    kind = FORMATS.get(suffix.lower())
    if kind is None:
        return (
            f"{suffix or 'a name without an extension'} is not a publication type: "
            "add PDF (.pdf), web pages (.html), plain text (.txt) or Markdown (.md)"
        )
    if not data:
        return "the file is empty"
    found = sniff(data)
    if found not in CONTENT[kind]:
        return f"the file is named {suffix.lower()} but it is {found}"
    return None
