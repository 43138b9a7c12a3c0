"""Reference-manager exports of publications: RIS, BibTeX and CSL-JSON text.

Pure functions of citation.Reference values; the web app serves them as downloads.
May import: stdlib, citation, models.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from library.citation import (
    PROGRAM,
    WEB_TYPES,
    Reference,
    authors,
    csl_item,
    date_parts,
    is_person,
    split_person,
)

SITE = "MECP Resource Library"
_BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_KEY_CHARS = re.compile(r"[^A-Za-z0-9]+")


def to_csl_json(refs: Iterable[Reference]) -> str:
    """A CSL-JSON array of the references (UTF-8 text, not ASCII-escaped)."""
    return json.dumps([csl_item(ref) for ref in refs], ensure_ascii=False, indent=2) + "\n"


def to_ris(refs: Iterable[Reference]) -> str:
    """RIS records, one per reference, CRLF line ends as the format asks."""
    lines: list[str] = []
    for ref in refs:
        lines += [f"{tag}  - {_one_line(value)}" for tag, value in _ris_fields(ref) if value]
        lines += ["ER  - ", ""]
    return "\r\n".join(lines)


def _ris_fields(ref: Reference) -> list[tuple[str, str]]:
    """(tag, value) pairs of one RIS record, TY first."""
    doc = ref.doc
    fields = [("TY", "ELEC" if doc.type in WEB_TYPES else "RPRT"), ("TI", doc.title)]
    fields += [("AU", name) for name in authors(doc)]
    parts = date_parts(doc.date)
    if parts:
        fields.append(("PY", str(parts[0])))
        fields.append(("DA", "/".join(f"{p:02d}" for p in parts) + "/" * (3 - len(parts))))
    fields += [
        ("PB", PROGRAM),
        ("M3", ref.type_label),
        ("LA", doc.language),
        ("AB", doc.summary),
        ("UR", ref.url),
        ("L1", ref.file_url if doc.format == "pdf" else ""),
        ("DB", SITE),
        ("ID", doc.id),
    ]
    fields += [("KW", keyword) for keyword in ref.keywords]
    return fields


def _one_line(value: str) -> str:
    """RIS values are one line each."""
    return " ".join(value.split())


def to_bibtex(refs: Iterable[Reference]) -> str:
    """BibTeX entries, one per reference, with unique keys; UTF-8, LaTeX specials escaped."""
    entries, used = [], set[str]()
    for ref in refs:
        key = bibtex_key(ref, used)
        used.add(key)
        kind = "misc" if ref.doc.type in WEB_TYPES else "techreport"
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in _bibtex_fields(ref))
        entries.append(f"@{kind}{{{key},\n{body}\n}}\n")
    return "\n".join(entries)


def bibtex_key(ref: Reference, used: set[str]) -> str:
    """A citation key from the document id and year, unique among used."""
    base = _KEY_CHARS.sub("-", ref.doc.id).strip("-").lower() or "mecp"
    if ref.doc.year:
        base = f"{base}-{ref.doc.year}"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}-{n}"
    return key


def _bibtex_fields(ref: Reference) -> list[tuple[str, str]]:
    """(field, braced-safe value) pairs of one entry; URLs are left verbatim."""
    doc = ref.doc
    names = " and ".join(_bibtex_name(name) for name in authors(doc))
    fields = [("title", bibtex_escape(doc.title)), ("author", names)]
    if doc.year:
        fields.append(("year", str(doc.year)))
    parts = date_parts(doc.date)
    if len(parts) > 1:
        fields.append(("month", str(parts[1])))
    if doc.type in WEB_TYPES:
        fields.append(("publisher", bibtex_escape(PROGRAM)))
    else:
        fields.append(("institution", bibtex_escape(PROGRAM)))
        if ref.type_label:
            fields.append(("type", bibtex_escape(ref.type_label)))
    fields += [("language", doc.language), ("url", _bibtex_url(ref.url))]
    if doc.summary:
        fields.append(("abstract", bibtex_escape(doc.summary)))
    if ref.keywords:
        fields.append(("keywords", bibtex_escape(", ".join(ref.keywords))))
    return fields


def _bibtex_name(name: str) -> str:
    """A person as "Family, Given"; an organisation in braces, so it is never split into names."""
    if is_person(name):
        family, given = split_person(name)
        return bibtex_escape(f"{family}, {given}" if given else family)
    return "{" + bibtex_escape(name) + "}"


def bibtex_escape(text: str) -> str:
    """Text with LaTeX's special characters escaped, so braces and percents survive."""
    flat = " ".join(text.split())
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(), "\\" + m.group()), flat)


def _bibtex_url(url: str) -> str:
    """A URL for a verbatim url field: braces (never in our percent-encoded URLs) encoded."""
    return url.replace("{", "%7B").replace("}", "%7D")
