"""The staff console's front page (/staff/): the state of the library and what to do next.

May import: flask, library, and the staff package's own modules.
"""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("home", __name__)


@bp.get("/")
def dashboard() -> str:
    """What the library holds and where each task is."""
    return render_template("staff/home.html")
