"""Signing in and out of the staff console: GET/POST /staff/login, POST /staff/logout.

Failed sign-ins are counted in the staff database per account and per address (library.staffdb),
so every serving process refuses the eleventh within fifteen minutes with 429.
May import: flask, flask_babel, library.staffdb, and the staff package's own modules.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext

from webapp.staff import session
from webapp.staff.audit import record
from webapp.staff.forms import ConfirmForm, SignInForm
from webapp.staff.store import get_db

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int, dict[str, str]]:
    """The sign-in form; a right password starts a session and goes where the person was going."""
    form = SignInForm()
    if request.method == "GET":
        if g.account is not None:
            return redirect(_safe_next(request.args.get("next", "")))  # type: ignore[return-value]
        form.next.data = request.args.get("next", "")
        return render_template("staff/login.html", form=form, problem=""), 200, {}
    if not form.validate():
        problem = gettext("Type your account name and your password.")
        return render_template("staff/login.html", form=form, problem=problem), 200, {}
    result = get_db().sign_in(form.username.data, form.password.data, request.remote_addr or "")
    if result.retry_after:
        minutes = -(-result.retry_after // 60)
        problem = gettext(
            "Too many failed sign-ins for this account or from this address. Sign-in is paused: "
            "try again in %(minutes)d minutes.",
            minutes=minutes,
        )
        page = render_template("staff/login.html", form=form, problem=problem)
        return page, 429, {"Retry-After": str(result.retry_after)}
    if result.account is None:
        problem = gettext(
            "That account name and password do not match. After 10 failed tries in 15 minutes, "
            "sign-in is paused for 15 minutes."
        )
        return render_template("staff/login.html", form=form, problem=problem), 200, {}
    session.start(result.account)
    g.account = result.account
    record("signed in", detail=f"from {request.remote_addr or 'an unknown address'}")
    return redirect(_safe_next(form.next.data or ""))  # type: ignore[return-value]


@bp.post("/logout")
def logout() -> Response:
    """End the account's sessions (on every device) and go back to the sign-in page."""
    ConfirmForm()  # the CSRF token was checked before the view ran
    record("signed out")
    get_db().end_sessions(g.account.name)
    session.end()
    flash(gettext("You are signed out."))
    return redirect(url_for("staff.auth.login"))  # type: ignore[return-value]


def _safe_next(target: str) -> str:
    """Where to go after signing in: a staff page of this site, never anywhere else."""
    parts = urlsplit(target)
    path = parts.path
    if (
        parts.scheme
        or parts.netloc
        or not (path == session.PREFIX or path.startswith(session.PREFIX + "/"))
        or path.startswith(session.PREFIX + "/login")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return url_for("staff.home.dashboard")
    return path + (f"?{parts.query}" if parts.query else "")
