"""What to do about a file the ingest could not index, or a warning it gave: advice for staff.

The ingest says why (its reasons are stable phrases); this says what to do next, in the words
of someone who manages the collection, not the server. May import: flask_babel.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext

# (pattern searched in the reason, advice), the first match wins
_ADVICE = [
    (
        r"password|encrypted",
        lazy_gettext(
            "Open it, save a copy without a password (in the PDF's security settings) and "
            "replace the file with that copy."
        ),
    ),
    (
        r"no text to index|no text layer",
        lazy_gettext(
            "It is a scan with no text in it. Run text recognition (OCR) on it and replace the "
            "file, or give it at least a title in its metadata so it is listed by its metadata."
        ),
    ),
    (
        r"^not (a PDF|HTML|plain text)|named \.\w+ but it is",
        lazy_gettext(
            "The file is not what its extension says. Replace it with the file in its real "
            "format (for example, export the real PDF), or remove it."
        ),
    ),
    (
        r"MB limit|grew past",
        lazy_gettext(
            "It is larger than the size limit. Save a smaller copy (“reduce file size” or "
            "“save for web”) or split it, then replace the file; or ask for MECP_MAX_FILE_MB to "
            "be raised."
        ),
    ),
    (
        r"page limit",
        lazy_gettext(
            "It has more pages than the limit. Split it into parts, or ask for MECP_MAX_PAGES "
            "to be raised."
        ),
    ),
    (
        r"took longer|out of memory|process died|lost when",
        lazy_gettext(
            "It is too heavy to read in time. Save a simpler copy (print it to a new PDF) and "
            "replace the file; if it keeps failing, ask for MECP_FILE_TIMEOUT or "
            "MECP_FILE_MEMORY_MB to be raised."
        ),
    ),
    (
        r"damaged|unreadable|truncated|empty file|the file is empty",
        lazy_gettext(
            "The file is damaged or empty. Check that it opens on your computer, then replace it "
            "with a good copy (or remove it)."
        ),
    ),
    (
        r"permission denied|cannot read|cannot open|cannot list",
        lazy_gettext(
            "The server is not allowed to read it. Ask whoever runs the server to fix the file's "
            "permissions; nothing indexed from it before is lost meanwhile."
        ),
    ),
    (
        r"symlink",
        lazy_gettext("It is a link, not a file. Put the file itself in the corpus instead."),
    ),
    (
        r"rename it|same id as",
        lazy_gettext(
            "Two files share a name, or the name cannot be a web address: rename the file "
            "(lowercase letters, digits and hyphens), or remove one of the two."
        ),
    ),
    (
        r"sidecar|unknown (key|topic|audience|type)|is not a real date|not an http|must be|"
        r"translation_of|language",
        lazy_gettext(
            "The publication's metadata has a mistake. Open it in the console, correct the "
            "field and save: the form only offers valid values."
        ),
    ),
    (
        r"is not a publication type",
        lazy_gettext(
            "Only PDF, web pages (.html), text (.txt) and Markdown (.md) are published. Convert "
            "it to PDF, or move it out of the corpus."
        ),
    ),
]
_COMPILED = [(re.compile(pattern, re.IGNORECASE), text) for pattern, text in _ADVICE]
DEFAULT = lazy_gettext(
    "Check that the file opens on your computer and replace it with a good copy; if it still "
    "fails, tell whoever runs the server."
)


def advice(reason: str) -> str:
    """What staff can do about a reason the ingest gave."""
    for pattern, text in _COMPILED:
        if pattern.search(reason):
            return str(text)
    return str(DEFAULT)
