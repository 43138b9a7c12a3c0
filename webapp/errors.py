"""Error handling for the whole app: library errors and HTTP errors as HTML pages or JSON.

Anything under /api/ answers {"error", "message"}; everything else gets error.html. Library
exceptions map to one status each, so views never catch them. Pages speak the request's
language; JSON messages stay in English (they are for programs). May import: flask, flask_babel,
library.errors, params.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException, SecurityError

from library.errors import DocumentNotFound, IndexUnavailable, InvalidRequest, LibraryError
from webapp.params import BadParameter

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
# status -> JSON error code
CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    500: "internal_error",
    503: "unavailable",
}
HEADINGS = {
    400: lazy_gettext("That search could not be understood"),
    404: lazy_gettext("Page not found"),
    405: lazy_gettext("That is not something this page can do"),
    500: lazy_gettext("Something went wrong on our side"),
    503: lazy_gettext("The library is not available right now"),
}
FRIENDLY = {
    404: "We could not find that page or publication. It may have moved or been removed.",
    500: "Please try again in a moment.",
    503: "The library is temporarily unavailable. Please try again in a few minutes.",
}
# The same messages for pages, in the page's language.
FRIENDLY_PAGES = {
    400: lazy_gettext("Part of the address of this page could not be used."),
    404: lazy_gettext(
        "We could not find that page or publication. It may have moved or been removed."
    ),
    405: lazy_gettext("This page can only be read, not sent to."),
    500: lazy_gettext("Please try again in a moment."),
    503: lazy_gettext("The library is temporarily unavailable. Please try again in a few minutes."),
}
BAD_PARAMETER = lazy_gettext(
    "The address says %(name)s=%(value)s, but %(name)s must be a whole number from %(low)s to "
    "%(high)s."
)


def init_app(app: Flask) -> None:
    """Register the handlers on app (they apply to every blueprint)."""
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(LibraryError, _library_error)
    app.register_error_handler(Exception, _unexpected)


def error_response(
    status: int, message: str, page_message: str | None = None
) -> tuple[Response | str, int]:
    """A JSON error under /api/ (English message), an HTML page in the page's language elsewhere."""
    if request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/"):
        return jsonify(error=CODES.get(status, "error"), message=message), status
    heading = str(HEADINGS.get(status, HEADINGS[500]))
    shown = page_message or str(FRIENDLY_PAGES.get(status, message))
    page = render_template("error.html", status=status, heading=heading, message=shown)
    return page, status


def _untrusted_host(exc: SecurityError) -> Response:
    """A Host header the site does not answer to: a plain 400 that repeats nothing of it.

    No page can be built for it (links need the host), and nothing of it may be echoed.
    """
    response = Response("400 Bad Request: this site does not answer to that host name.\n", 400)
    response.mimetype = "text/plain"
    return response


def _http_error(exc: HTTPException) -> tuple[Response | str, int] | HTTPException:
    """Werkzeug's HTTP errors (404, 405, 400 ...) in our format; redirects pass through."""
    status = exc.code or 500
    if status < 400:
        return exc
    message = FRIENDLY.get(status) or exc.description or "The request could not be handled."
    return error_response(status, message)


def _library_error(exc: LibraryError) -> tuple[Response | str, int]:
    """Library exceptions: unknown id 404, bad request 400, missing index 503."""
    if isinstance(exc, DocumentNotFound):
        return error_response(404, FRIENDLY[404])
    if isinstance(exc, BadParameter):
        shown = str(BAD_PARAMETER) % vars(exc)
        return error_response(400, str(exc), shown)
    if isinstance(exc, InvalidRequest):
        return error_response(400, str(exc), f"{FRIENDLY_PAGES[400]} ({exc})")
    if isinstance(exc, IndexUnavailable):
        log.error("index unavailable: %s", exc)
        return error_response(503, FRIENDLY[503])
    return _unexpected(exc)


def _unexpected(exc: Exception) -> tuple[Response | str, int]:
    """A bug: log it with its traceback, show a calm page (never a stack trace)."""
    if isinstance(exc, HTTPException):  # registered on Exception, so route HTTP errors back
        return _http_error(exc)  # type: ignore[return-value]
    log.exception("unhandled error on %s", request.path, exc_info=exc)
    return error_response(500, FRIENDLY[500])
