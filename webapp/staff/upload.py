"""Adding a publication: GET/POST /staff/upload (the file, where it goes, its metadata).

The file's type is sniffed from its bytes and must match its extension; its id is its folder and
a name made from the name field, the title or the file's own name. The file and its sidecar are
written into the corpus atomically (corpus.py), and the change goes to the audit log.
May import: flask, flask_babel, library, and the staff package's own modules.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from werkzeug.datastructures import FileStorage

from library.formats import content_problem
from library.vocab import LANGUAGES
from webapp.staff import corpus, sidecars
from webapp.staff.audit import record
from webapp.staff.context import (
    content_digest,
    corpus_root,
    max_file_bytes,
    same_content,
    vocabulary,
)
from webapp.staff.forms import MetadataForm, UploadForm
from webapp.staff.jobs import start_reindex

bp = Blueprint("upload", __name__)


@bp.route("/upload", methods=["GET", "POST"])
def add() -> Response | tuple[str, int]:
    """The upload form; a valid one puts the file and its sidecar into the corpus."""
    form = UploadForm()
    form.offer(vocabulary(), LANGUAGES)
    root = corpus_root()
    form.folder.choices = [
        (f, f or gettext("(the top of the corpus)")) for f in corpus.folders(root)
    ]
    if request.method == "GET":
        return render_template("staff/upload.html", form=form), 200
    if not form.validate() or not edition_exists(form):
        return render_template("staff/upload.html", form=form), 400
    upload: FileStorage = form.file.data
    suffix = PurePosixPath(client_name(upload)).suffix
    status = check_file(form.file, upload, suffix)
    if status:
        return render_template("staff/upload.html", form=form), status
    stem = corpus.slugify(
        form.name.data or form.title.data or PurePosixPath(client_name(upload)).stem
    )
    try:
        target = corpus.plan(root, form.folder.data, stem, suffix.lower())
        kept = corpus.write_file(target, upload.stream, form.replace.data, max_file_bytes())
    except corpus.Occupied:
        form.name.errors.append(
            gettext(
                "A publication called %(id)s is already in the library. Choose another name, or "
                "tick “Replace” to put this file in its place.",
                id=f"{form.folder.data}/{stem}".strip("/"),
            )
        )
        return render_template("staff/upload.html", form=form), 409
    except corpus.CorpusError as exc:
        form.name.errors.append(str(exc))
        return render_template("staff/upload.html", form=form), 400
    values = form.values()
    corpus.write_sidecar(target, sidecars.compose({}, values, target.file.name))
    _report_added(target, kept, values, content_digest(upload.stream))
    if request.form.get("after") == "reindex":
        job = start_reindex(rebuild=False)
        if job is not None:
            return redirect(url_for("staff.jobs.show", number=job.id))  # type: ignore[return-value]
    return redirect(url_for("staff.documents.edit", doc_id=target.doc_id))  # type: ignore[return-value]


def client_name(upload: FileStorage) -> str:
    """The file's own name as the browser sent it, without any folder ('../../x.pdf' -> 'x.pdf')."""
    name = (upload.filename or "").replace("\\", "/")
    return name.rsplit("/", 1)[-1]


def check_file(field: Any, upload: FileStorage, suffix: str) -> int:
    """0 when the file may be added; otherwise the status, with the reason on the field."""
    stream = upload.stream
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > max_file_bytes():
        field.errors.append(
            gettext(
                "The file is %(size)s MB, over the %(limit)s MB limit (MECP_MAX_FILE_MB).",
                size=f"{size / 2**20:.1f}",
                limit=current_app.config["MAX_FILE_MB"],
            )
        )
        return 413
    problem = content_problem(suffix, stream.read(4096))
    stream.seek(0)
    if problem:
        field.errors.append(
            gettext("This file cannot be added: %(problem)s.", problem=problem)
            + " "
            + gettext("Save it in its real format, with the matching extension, and try again.")
        )
        return 400
    return 0


def edition_exists(form: MetadataForm, own_id: str = "") -> bool:
    """Whether the 'edition of' id names another publication in the corpus (an error if not)."""
    other = form.translation_of.data
    if not other:
        return True
    if other == own_id:
        form.translation_of.errors.append(gettext("A publication cannot be its own edition."))
        return False
    if corpus.find(corpus_root(), other) is None:
        form.translation_of.errors.append(
            gettext("No publication in the corpus has the id %(id)s.", id=other)
        )
        return False
    return True


def _report_added(
    target: corpus.Publication, kept: list[str], values: dict[str, Any], digest: str
) -> None:
    """Audit the addition and tell staff what happens next (and about a likely duplicate)."""
    given = ", ".join(k for k in sidecars.FIELDS if values.get(k)) or "none (all inferred)"
    where = target.file.relative_to(target.corpus).as_posix()
    if values.get("title"):
        where += f" ({sidecars.clean(values['title'])!r})"
    if kept:
        record(
            "replaced",
            target.doc_id,
            f"{where}; metadata: {given}; old files kept as {', '.join(kept)}",
        )
    else:
        record("added", target.doc_id, f"{where}; metadata: {given}")
    flash(
        gettext(
            "Saved %(id)s. It appears on the public site after the next reindex.", id=target.doc_id
        )
    )
    twins = [d for d in same_content(digest) if d != target.doc_id]
    if twins:
        flash(
            gettext(
                "The library already has a file with exactly the same content: %(ids)s. If this is "
                "a duplicate, remove one of them.",
                ids=", ".join(twins),
            ),
            "error",
        )
