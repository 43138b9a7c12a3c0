"""The library's health, from the last ingest: what needs fixing, section by section.

build() is pure: it takes the indexed documents, the live manifest (what each file was built
from: its checksum, "<file>:<sidecar>", its signature, its failure and warnings), the
vocabulary and the last console reindex's report, and returns the sections the report page and
its CSV show, each item with the problem and what to do about it. May import: stdlib,
flask_babel, library.models, library.vocab, and the staff package's advice.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext, lazy_gettext, ngettext

from library.models import Document
from library.vocab import Vocabulary
from webapp.staff.advice import advice

FEW_PUBLICATIONS = 3  # a topic with fewer is thin
FAMILIES = "families"


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to look at: a publication (or a topic) and what is wrong with it."""

    doc_id: str
    path: str
    title: str
    problem: str
    todo: str


@dataclass(slots=True)
class Section:
    """A kind of problem and every item that has it."""

    key: str
    heading: str
    about: str
    items: list[Item] = field(default_factory=list)


SECTIONS = (
    ("failed", lazy_gettext("Could not be indexed"), lazy_gettext(
        "These files are not on the public site. Each says why and what to do.")),
    ("warnings", lazy_gettext("Indexed with warnings"), lazy_gettext(
        "On the site, but part of their metadata was ignored.")),
    ("inferred", lazy_gettext("Described only by inference"), lazy_gettext(
        "No metadata was given for these: their type, topics and audiences were guessed from "
        "the text. Check the guesses; saving the metadata form makes them sure.")),
    ("incomplete", lazy_gettext("Missing a summary or a date"), lazy_gettext(
        "Results show a summary and sort by date: these have none, or only the file's own date.")),
    ("duplicates", lazy_gettext("Likely duplicates"), lazy_gettext(
        "The same file twice, or two publications with the same title.")),
    ("editions", lazy_gettext("Editions without a pair"), lazy_gettext(
        "Spanish publications not linked to their English edition, links that lead nowhere, and "
        "publications for families that have no Spanish edition.")),
    ("topics", lazy_gettext("Topics with fewer than three publications"), lazy_gettext(
        "A topic this thin gives a family or a practitioner little to read.")),
)  # fmt: skip


def build(
    documents: Iterable[Document],
    records: dict[str, Any],
    vocabulary: Vocabulary,
    last_report: dict[str, Any] | None,
    sidecar_date: Callable[[str], str | None],
) -> list[Section]:
    """Every section, in order, from the indexed documents and the manifest's records."""
    docs = {doc.id: doc for doc in documents}
    sections = {key: Section(key, str(heading), str(about)) for key, heading, about in SECTIONS}
    _failed(sections["failed"], records, last_report)
    _warnings(sections["warnings"], records, docs, last_report)
    for doc in docs.values():
        record = records.get(doc.id, {})
        if not _has_sidecar(record):
            sections["inferred"].items.append(_inferred(doc, vocabulary))
        _incomplete(sections["incomplete"], doc, record, sidecar_date)
    _duplicates(sections["duplicates"], docs, records)
    _editions(sections["editions"], docs)
    _thin_topics(sections["topics"], docs, vocabulary)
    return list(sections.values())


def _failed(section: Section, records: dict[str, Any], last: dict[str, Any] | None) -> None:
    """Files the last ingest could not index (and scan problems of the last console reindex)."""
    seen = set()
    for doc_id, record in sorted(records.items()):
        if isinstance(record, dict) and record.get("failed"):
            path = str(record.get("path", doc_id))
            seen.add(path)
            section.items.append(_item(doc_id, path, "", str(record["failed"])))
    for entry in (last or {}).get("failed", []):
        if isinstance(entry, dict) and entry.get("path") not in seen:
            path = str(entry.get("path", ""))
            section.items.append(_item(path.rsplit(".", 1)[0], path, "", str(entry.get("reason"))))


def _warnings(
    section: Section,
    records: dict[str, Any],
    docs: dict[str, Document],
    last: dict[str, Any] | None,
) -> None:
    """Metadata the ingest ignored: the manifest's per file, and the last reindex's others."""
    found: dict[tuple[str, str], str] = {}
    for doc_id, record in sorted(records.items()):
        if isinstance(record, dict) and not record.get("failed"):
            for message in record.get("warnings", []):
                found[(str(record.get("path", "")), str(message))] = doc_id
    by_path = {doc.path: doc.id for doc in docs.values()}
    for entry in (last or {}).get("warnings", []):
        if isinstance(entry, dict):
            path = str(entry.get("path", ""))
            found.setdefault((path, str(entry.get("message", ""))), by_path.get(path, ""))
    for (path, message), doc_id in sorted(found.items()):
        title = docs[doc_id].title if doc_id in docs else ""
        section.items.append(_item(doc_id or path.rsplit(".", 1)[0], path, title, message))


def _item(doc_id: str, path: str, title: str, reason: str) -> Item:
    """An item whose advice comes from the ingest's reason."""
    return Item(doc_id, path, title, reason, advice(reason))


def _has_sidecar(record: dict[str, Any]) -> bool:
    """Whether the file had a sidecar when it was indexed (the checksum's second half)."""
    _, _, sidecar = str(record.get("hash", "")).partition(":")
    return bool(sidecar)


def _inferred(doc: Document, vocabulary: Vocabulary) -> Item:
    """A publication described by inference alone, with what was inferred."""

    def labels(kind: str, ids: Iterable[str]) -> str:
        return ", ".join(vocabulary.label(kind, i) for i in ids) or gettext("none")

    problem = gettext(
        "inferred type: %(type)s; topics: %(topics)s; audiences: %(audiences)s",
        type=vocabulary.label("types", doc.type) if doc.type else gettext("none"),
        topics=labels("topics", doc.topics),
        audiences=labels("audiences", doc.audiences),
    )
    todo = gettext("Check these guesses and save the metadata form (correcting what is wrong).")
    return Item(doc.id, doc.path, doc.title, problem, todo)


def _incomplete(
    section: Section,
    doc: Document,
    record: dict[str, Any],
    sidecar_date: Callable[[str], str | None],
) -> None:
    """No summary, no date, or only the date the file was last saved."""
    problems = []
    if not doc.summary.strip():
        problems.append(gettext("no summary"))
    if not doc.date:
        problems.append(gettext("no date"))
    elif doc.date == _file_date(record) and sidecar_date(doc.id) != doc.date:
        problems.append(
            gettext("its date (%(date)s) is only the day the file was saved", date=doc.date)
        )
    if problems:
        todo = gettext("Add the summary and the publication date in its metadata.")
        section.items.append(Item(doc.id, doc.path, doc.title, "; ".join(problems), todo))


def _file_date(record: dict[str, Any]) -> str:
    """The UTC day of the file's modification time, from its signature "size:mtime_ns/..."."""
    match = re.match(r"\d+:(\d+)", str(record.get("signature", "")))
    if not match:
        return ""
    return datetime.fromtimestamp(int(match.group(1)) / 1e9, UTC).strftime("%Y-%m-%d")


def _duplicates(section: Section, docs: dict[str, Document], records: dict[str, Any]) -> None:
    """Publications with the same file, then different files with the same title."""
    by_content: dict[str, list[str]] = defaultdict(list)
    for doc_id in docs:
        digest = str(records.get(doc_id, {}).get("hash", "")).partition(":")[0]
        if digest:
            by_content[digest].append(doc_id)
    twins = [sorted(ids) for ids in by_content.values() if len(ids) > 1]
    same_file = {doc_id for group in twins for doc_id in group}
    by_title: dict[str, list[str]] = defaultdict(list)
    for doc in docs.values():
        by_title[" ".join(re.findall(r"\w+", doc.title.casefold()))].append(doc.id)
    namesakes = [sorted(ids) for key, ids in by_title.items() if key and len(ids) > 1]
    for group in sorted(twins):
        for doc_id in group:
            others = ", ".join(d for d in group if d != doc_id)
            section.items.append(Item(doc_id, docs[doc_id].path, docs[doc_id].title,
                gettext("the same file as %(others)s", others=others),
                gettext("Remove all but one of them.")))  # fmt: skip
    for group in sorted(namesakes):
        if set(group) <= same_file:
            continue
        for doc_id in group:
            others = ", ".join(d for d in group if d != doc_id)
            section.items.append(Item(doc_id, docs[doc_id].path, docs[doc_id].title,
                gettext("the same title as %(others)s", others=others),
                gettext("If it is the same publication, remove one; if not, give each a title "
                        "that tells them apart (the year, the edition).")))  # fmt: skip


def _editions(section: Section, docs: dict[str, Document]) -> None:
    """Spanish publications with no English edition, broken links, family ones with no Spanish."""
    paired: set[str] = set()
    for doc in docs.values():
        other = docs.get(doc.translation_of) if doc.translation_of else None
        if doc.translation_of and other is None:
            problem = gettext("its edition %(id)s is not in the library", id=doc.translation_of)
            todo = gettext("Correct “Edition of” in its metadata (the other edition's id).")
        elif other is not None and other.language == doc.language:
            problem = gettext("its edition %(id)s is in the same language", id=other.id)
            todo = gettext("“Edition of” must name the publication in the other language.")
        else:
            if other is not None:
                paired |= {doc.id, other.id}
            continue
        section.items.append(Item(doc.id, doc.path, doc.title, problem, todo))
    for doc in sorted(docs.values(), key=lambda d: d.id):
        if doc.id in paired or doc.translation_of:
            continue
        if doc.language == "es":
            section.items.append(Item(doc.id, doc.path, doc.title,
                gettext("in Spanish, not linked to an English edition"),
                gettext("If it has an English edition, name it in “Edition of”.")))  # fmt: skip
        elif doc.language == "en" and FAMILIES in doc.audiences:
            section.items.append(Item(doc.id, doc.path, doc.title,
                gettext("for families, with no Spanish edition"),
                gettext("Families often read Spanish: consider a Spanish edition, and link it "
                        "with “Edition of”.")))  # fmt: skip


def _thin_topics(section: Section, docs: dict[str, Document], vocabulary: Vocabulary) -> None:
    """The vocabulary's topics that fewer than FEW_PUBLICATIONS publications carry."""
    counts: dict[str, int] = defaultdict(int)
    for doc in docs.values():
        for topic in doc.topics:
            counts[topic] += 1
    for topic_id, term in vocabulary.kind("topics").items():
        if counts[topic_id] < FEW_PUBLICATIONS:
            section.items.append(Item("", topic_id, term.label,
                ngettext("%(num)d publication", "%(num)d publications", counts[topic_id]),
                gettext("Add publications on it, or check that the ones about it carry the "
                        "topic (search for its words).")))  # fmt: skip
