"""A publication's staff page: /staff/documents/<id> (edit its metadata, replace its file, remove
it) and /staff/documents (find one).

Editing rewrites the sidecar (keys the form does not know are kept); replacing keeps the old file
in _removed/; removing moves file and sidecar to _removed/, which the ingest ignores, so the
publication leaves the site at the next reindex and can be put back on disk. Each is audited.
May import: flask, flask_babel, library, and the staff package's own modules.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from library.errors import LibraryError
from library.models import Document, SearchRequest, Sort
from library.search import get_document, search
from library.vocab import LANGUAGES
from webapp.staff import corpus, sidecars
from webapp.staff.audit import record
from webapp.staff.context import corpus_root, live_index, max_file_bytes, vocabulary
from webapp.staff.forms import ConfirmForm, MetadataForm, ReplaceForm
from webapp.staff.store import get_db
from webapp.staff.upload import check_file, client_name, edition_exists

bp = Blueprint("documents", __name__)
LIST_SIZE = 50


@bp.get("/documents")
def find() -> str:
    """Search the indexed publications to edit one (newest first without words)."""
    q = request.args.get("q", "")[:500]
    lib = live_index()
    hits: tuple[Any, ...] = ()
    total = 0
    if lib is not None:
        sort = Sort.RELEVANCE if q.strip() else Sort.NEWEST
        result = search(lib, SearchRequest(q=q, sort=sort, per_page=LIST_SIZE))
        hits, total = result.hits, result.total
    return render_template("staff/documents.html", q=q, hits=hits, total=total, indexed=lib)


@bp.route("/documents/<path:doc_id>", methods=["GET", "POST"])
def edit(doc_id: str) -> Response | tuple[str, int]:
    """The publication's metadata form, its file, its removal and its history."""
    publication = corpus.find(corpus_root(), doc_id)
    indexed = _indexed(doc_id)
    if publication is None and indexed is None:
        abort(404, gettext("No publication has the id %(id)s.", id=doc_id))
    table, problem = sidecars.read(publication.sidecar) if publication else ({}, "")
    form = MetadataForm()
    form.offer(vocabulary(), LANGUAGES)
    if request.method == "GET":
        form.show(sidecars.form_values(table))
        return _page(doc_id, publication, indexed, form, problem), 200
    if publication is None:
        abort(404, gettext("The file of %(id)s is no longer in the corpus.", id=doc_id))
    action = request.form.get("action", "")
    if action == "remove":
        return _remove(publication)
    if action == "replace":
        return _replace(publication, indexed, form, problem)
    if not form.validate() or not edition_exists(form, doc_id):
        return _page(doc_id, publication, indexed, form, problem), 400
    text = sidecars.compose(table, form.values(), publication.file.name)
    corpus.write_sidecar(publication, text)
    change = sidecars.changes(table, sidecars.parse(text))
    record("edited", doc_id, change or "saved without changes")
    flash(gettext("Saved. The change appears on the public site after the next reindex."))
    return redirect(url_for("staff.documents.edit", doc_id=doc_id))  # type: ignore[return-value]


def _replace(
    publication: corpus.Publication, indexed: Document | None, form: MetadataForm, problem: str
) -> Response | tuple[str, int]:
    """Put a new file in the publication's place; its old file goes to _removed/."""
    replacement = ReplaceForm()
    if not replacement.validate():
        return _page(publication.doc_id, publication, indexed, form, problem, replacement), 400
    upload = replacement.file.data
    suffix = PurePosixPath(client_name(upload)).suffix.lower()
    status = check_file(replacement.file, upload, suffix)
    if status:
        return _page(publication.doc_id, publication, indexed, form, problem, replacement), status
    folder, _, stem = publication.doc_id.rpartition("/")
    target = corpus.plan(publication.corpus, folder, stem, suffix)
    kept = corpus.write_file(target, upload.stream, replace=True, max_bytes=max_file_bytes())
    where = target.file.relative_to(target.corpus).as_posix()
    record("file replaced", publication.doc_id, f"{where}; old file kept as {', '.join(kept)}")
    flash(gettext("The new file is in place. The site shows it after the next reindex."))
    return redirect(url_for("staff.documents.edit", doc_id=publication.doc_id))  # type: ignore[return-value]


def _remove(publication: corpus.Publication) -> Response:
    """Move the publication's file and sidecar to _removed/."""
    ConfirmForm()  # the CSRF token was checked before the view ran
    moved = corpus.remove(publication)
    record("removed", publication.doc_id, f"moved to {', '.join(moved)}")
    flash(
        gettext(
            "Removed %(id)s: its files are now in %(where)s. It leaves the public site at the next "
            "reindex; to undo, move the files back.",
            id=publication.doc_id,
            where=", ".join(moved),
        )
    )
    return redirect(url_for("staff.home.dashboard"))  # type: ignore[return-value]


def _indexed(doc_id: str) -> Document | None:
    """The publication as the live index has it, if it is there."""
    lib = live_index()
    if lib is None:
        return None
    try:
        return get_document(lib, doc_id)
    except LibraryError:
        return None


def _page(
    doc_id: str,
    publication: corpus.Publication | None,
    indexed: Document | None,
    form: MetadataForm,
    problem: str,
    replacement: ReplaceForm | None = None,
) -> str:
    """Render the publication's page."""
    return render_template(
        "staff/document.html",
        doc_id=doc_id,
        publication=publication,
        file_size=publication.file.stat().st_size if publication else None,
        indexed=indexed,
        form=form,
        replacement=replacement or ReplaceForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
        problem=problem,
        vocabulary=vocabulary(),
        unknown=_unknown_values(form),
        history=get_db().audit_log(limit=20, doc_id=doc_id),
    )


def _unknown_values(form: MetadataForm) -> list[str]:
    """Sidecar values the form cannot show (not in the vocabulary): saving drops them."""
    found = []
    for field in (form.type, form.language):
        if field.data and field.data not in {value for value, _ in field.choices}:
            found.append(f"{field.name} {field.data!r}")
    for field in (form.topics, form.audiences):
        known = {value for value, _ in field.choices}
        found += [f"{field.name} {v!r}" for v in field.data or [] if v not in known]
    return found
