"""The staff console at /staff: sign-in, publications, reindex, the health report, the audit log.

init_app() adds what the console needs to the app: its settings, the staff-only session
(session.py), CSRF protection (Flask-WTF) and the blueprint. Every /staff request passes
_guard first: a page needs a signed-in account (a GET without one goes to the sign-in page, any
other method answers 403), and every POST needs the form's CSRF token (400 without it). Staff
responses are never cached or indexed. Staff pages are in English only: their strings are marked
for translation, but babel.cfg leaves them out of the catalogs.
May import: flask, flask_wtf, library (never ingest), and its own modules.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from library.errors import VocabularyError
from library.settings import Settings
from library.staffdb import StaffDBError
from webapp.staff import audit, auth, documents, home, jobs, report, session, store, upload
from webapp.staff.corpus import CorpusError

log = logging.getLogger(__name__)

bp = Blueprint("staff", __name__, url_prefix=session.PREFIX)
for _child in (auth.bp, home.bp, upload.bp, documents.bp, jobs.bp, report.bp, audit.bp):
    bp.register_blueprint(_child)

csrf = CSRFProtect()
OPEN_ENDPOINTS = {"staff.auth.login"}  # the only staff page without a session
FORM_BYTES = 1 << 20  # a metadata form, however long its summary
UPLOAD_ENDPOINTS = {"staff.upload.add", "staff.documents.edit"}  # up to MECP_MAX_FILE_MB
# The console's pages in its navigation: (endpoint, nav key, label).
NAV = (
    ("staff.report.page", "report", lazy_gettext("Library health")),
    ("staff.upload.add", "upload", lazy_gettext("Add a publication")),
    ("staff.documents.find", "documents", lazy_gettext("Publications")),
    ("staff.audit.log", "audit", lazy_gettext("Audit log")),
)
STAFF_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    # Flask-WTF checks on https that a form was posted from this site's own pages, by their
    # Referer: staff pages send it, to this site only (public pages send none at all).
    "Referrer-Policy": "same-origin",
}


def init_app(app: Flask, settings: Settings) -> None:
    """Give app the staff console (call after test overrides are in app.config)."""
    app.config.setdefault("STAFF_DB", str(settings.staff_db))
    app.config.setdefault("CORPUS_DIR", str(settings.corpus_dir))
    app.config.setdefault("VOCABULARY", str(settings.vocabulary))
    app.config.setdefault("MAX_FILE_MB", settings.max_file_mb)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.secret_key or None
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked in _guard, for /staff only
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a token lives as long as its session
    session.configure(app)
    app.jinja_env.globals["staff_nav"] = lambda: NAV
    csrf.init_app(app)
    store.init_app(app)
    app.register_blueprint(bp)
    app.after_request(_staff_headers)


@bp.before_request
def _guard() -> Response | None:
    """Sign-in for every page but the sign-in page; a CSRF token on every POST."""
    limit = FORM_BYTES
    if request.endpoint in UPLOAD_ENDPOINTS:
        limit += int(current_app.config["MAX_FILE_MB"]) * 2**20
    request.max_content_length = limit
    g.account = session.signed_in(store.get_db())
    if g.account is None and request.endpoint not in OPEN_ENDPOINTS:
        if request.method in ("GET", "HEAD"):
            return redirect(url_for("staff.auth.login", next=request.full_path.rstrip("?")))  # type: ignore[return-value]
        abort(403, gettext("Sign in first: your session has ended or you never signed in."))
    csrf.protect()
    return None


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> tuple[str, int]:
    """A form without its token, or an old one: 400 with what to do."""
    message = gettext(
        "This form had expired or did not come from this site, so nothing was done. Go back, "
        "reload the page and try again."
    )
    return render_template("staff/error.html", status=400, message=message), 400


@bp.errorhandler(StaffDBError)
def _database_error(exc: StaffDBError) -> tuple[str, int]:
    """The staff database cannot be used: 503, the cause in the server's log."""
    log.error("staff database: %s", exc)
    message = gettext(
        "The staff console cannot reach its database. The server's log says why; please tell "
        "whoever runs the server."
    )
    return render_template("staff/error.html", status=503, message=message), 503


@bp.errorhandler(VocabularyError)
def _vocabulary_error(exc: VocabularyError) -> tuple[str, int]:
    """The corpus's vocabulary.toml cannot be read: nothing can be described until it is fixed."""
    message = gettext(
        "The corpus's vocabulary (vocabulary.toml) cannot be read, so this page cannot offer its "
        "topics and audiences: %(why)s. It is a file on the server; once it is fixed, reload.",
        why=str(exc),
    )
    return render_template("staff/error.html", status=503, message=message), 503


@bp.errorhandler(CorpusError)
def _corpus_refused(exc: CorpusError) -> tuple[str, int]:
    """A write into the corpus the console refuses (a folder that is not one of its own)."""
    message = gettext("Nothing was changed: %(why)s.", why=str(exc))
    return render_template("staff/error.html", status=400, message=message), 400


@bp.errorhandler(OSError)
def _cannot_write(exc: OSError) -> tuple[str, int]:
    """The file system refused a write (permissions, a full disk): 503, what to tell whom."""
    log.error("staff console: %s", exc)
    why = exc.strerror or str(exc)
    message = gettext(
        "The server could not change the corpus (%(why)s), so nothing was saved. Please tell "
        "whoever runs the server: the server's user must be able to write into the corpus folder.",
        why=why,
    )
    return render_template("staff/error.html", status=503, message=message), 503


@bp.errorhandler(413)
def _too_large(exc: HTTPException) -> tuple[str, int]:
    """A request body over the limit (a file over MECP_MAX_FILE_MB): 413 with the limit."""
    message = gettext(
        "The file is larger than the %(mb)s MB limit (MECP_MAX_FILE_MB), so nothing was saved. "
        "Make it smaller (for example, save the PDF for the web) or ask for the limit to be raised.",
        mb=current_app.config["MAX_FILE_MB"],
    )
    return render_template("staff/error.html", status=413, message=message), 413


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response | tuple[str, int]:
    """HTTP errors inside the console, on a staff page."""
    status = exc.code or 500
    if status < 400:
        return exc  # type: ignore[return-value]
    return render_template("staff/error.html", status=status, message=exc.description), status


def _staff_headers(response: Response) -> Response:
    """No cache may keep a staff response, and no search engine may list one."""
    if session.is_staff_path(request.path):
        response.headers.update(STAFF_HEADERS)
    return response
