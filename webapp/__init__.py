"""The web interface and JSON API of the MECP Resource Library (Flask).

create_app() reads settings once, applies test overrides, registers the blueprints, the error
handlers and the security headers every response carries. The webapp only reads the index.
May import: flask, library, and its own modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

from library import __version__
from library.settings import load_settings
from library.vocab import LANGUAGES
from webapp import (
    api,
    discovery,
    display,
    errors,
    exports,
    feeds,
    guides,
    i18n,
    index_access,
    labels,
    pages,
    params,
    staff,
)

# Scripts and styles come only from our own static files; JSON-LD <script type="application/ld+json">
# is a data block, which browsers never execute, so script-src does not apply to it.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Searches name painful subjects: never tell another site what was searched or read.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
PAGE_MAX_AGE = 60  # seconds; an ingest shows up within a minute even through caches


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, then test overrides, blueprints, error handlers, headers."""
    app = Flask(__name__)
    settings = load_settings()
    app.config.from_mapping(
        INDEX_DIR=str(settings.index_dir),
        BASE_URL=settings.base_url,
        # Flask answers 400 to any other Host header, so a forged one is never reflected into
        # a page (canonical links, feeds) that a cache could keep.
        TRUSTED_HOSTS=list(settings.allowed_hosts()),
        SITE_NAME="MECP Resource Library",
        MAX_CONTENT_LENGTH=16 * 1024,  # every route is GET: nothing large is ever posted
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        PROXY_HOPS=settings.proxy_hops,
        # Where "Leave this site" goes: a neutral page that says nothing about this one.
        QUICK_EXIT_URL="https://www.google.com/",
    )
    if test_config:
        app.config.from_mapping(test_config)
    staff.init_app(app, settings)
    if app.config["PROXY_HOPS"]:  # behind N proxies: the client's address and scheme are theirs
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented key order
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # same bytes as `mecp search --json`
    app.url_map.merge_slashes = False  # '/files//etc/passwd' is just an unknown id, no redirect
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    i18n.init_app(app)
    _register_template_helpers(app)
    index_access.init_app(app)
    errors.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(discovery.bp)
    app.register_blueprint(guides.bp)
    app.after_request(_add_headers)
    return app


def _register_template_helpers(app: Flask) -> None:
    """Filters and globals the templates use."""
    app.jinja_env.filters.update(
        human_date=lambda date: display.human_date(date, i18n.current()),
        filesize=lambda size: display.filesize(size, i18n.current()),
        number=lambda value: display.number(value, i18n.current()),
        format_label=display.format_label,
        audience_label=lambda term_id: labels.term("audiences", term_id),
    )
    app.jinja_env.globals.update(
        asset=_asset_url,
        toggle_url=_bound(params.toggle_url),
        remove_url=_bound(params.remove_url),
        replace_url=_bound(params.replace_url),
        clear_filters_url=_bound(params.clear_filters_url),
        page_url=_bound(params.page_url),
        search_url=_search_url,
        site_name=lambda: labels.site_name(),
        quick_exit_url=lambda: app.config["QUICK_EXIT_URL"],
        languages=LANGUAGES,
        lang=i18n.current,
        explicit_lang=i18n.explicit_lang,
        alternates=i18n.alternates,
        lang_url=i18n.lang_url,
        endonyms=i18n.ENDONYMS,
        term=labels.term,
        description=labels.description,
        audience_entries=guides.AUDIENCE_ENTRIES,
        language_name=labels.language_name,
        read_in=labels.read_in,
        facet_label=labels.facet_label,
        facet_value_label=labels.facet_value_label,
        sort_options=labels.sort_options,
    )


def _bound(helper: Any) -> Any:
    """A params link helper whose links point at /search."""

    def link(*args: Any, **kwargs: Any) -> str:
        """The helper's query string, on the search page's URL."""
        return str(helper(*args, base=url_for("pages.search"), **kwargs))

    return link


def _search_url(**kwargs: Any) -> str:
    """A link to /search with the given parameters, keeping an explicit lang."""
    kwargs.setdefault(params.LANG, i18n.explicit_lang() or "")
    return params.search_url(url_for("pages.search"), **kwargs)


def _asset_url(filename: str) -> str:
    """URL of a static file, versioned so a new release is not hidden by caches."""
    return url_for("static", filename=filename, v=__version__)


def _add_headers(response: Response) -> Response:
    """Security headers on every response; caching suited to what it is."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if "Cache-Control" not in response.headers:
        if response.status_code >= 400:
            response.headers["Cache-Control"] = "no-store"
        elif request.method in ("GET", "HEAD"):
            # Searches name painful subjects: what depends on the query string is for this
            # browser's cache only, never a shared one.
            scope = "private" if request.query_string else "public"
            response.headers["Cache-Control"] = f"{scope}, max-age={PAGE_MAX_AGE}"
    return response
