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
