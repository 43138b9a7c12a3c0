"""Which language a page speaks, and the links that keep it there.

The locale is `lang=es|en` from the URL when it is given, else the browser's Accept-Language,
else English. No cookie is set for it: a parent's choice stays in the links, not on the device.
An explicit `lang` is carried by every url_for link (a url_defaults hook) and by the params
link helpers; `alternates()` names the page in each language for hreflang and the switch.
Flask-Babel reads the catalogs in webapp/translations (compiled to .mo by `make`).
May import: flask, flask_babel, babel, library.vocab, params.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, has_request_context, request
from flask_babel import Babel, get_locale

from webapp import params

LOCALES = ("en", "es")
DEFAULT_LOCALE = "en"
# The name of each language in itself: what the switch shows, whatever the page's language.
ENDONYMS = {"en": "English", "es": "Español"}


def init_app(app: Flask) -> None:
    """Flask-Babel with our locale selector, links that carry lang, and Vary on HTML."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    Babel(app, locale_selector=select_locale)
    # {% trans %} blocks are read with their whitespace collapsed, as babel.cfg extracts them.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.url_defaults(_carry_lang)
    app.after_request(_vary)


def explicit_lang() -> str | None:
    """The lang the URL asks for, when it is one we speak; None otherwise."""
    if not has_request_context():
        return None
    value = request.args.get(params.LANG, "").strip().lower()
    return value if value in LOCALES else None


def select_locale() -> str:
    """lang in the URL, else the best of Accept-Language, else English."""
    chosen = explicit_lang()
    if chosen:
        return chosen
    best = request.accept_languages.best_match(LOCALES)
    return best or DEFAULT_LOCALE


def current() -> str:
    """The language code of the page being rendered ('en' outside a request)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LOCALE


def lang_url(code: str) -> str:
    """This page's URL in another language: the same path and args, lang set to code."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != params.LANG]
    pairs.append((params.LANG, code))
    return request.path + params.query_string(pairs)


def neutral_url() -> str:
    """This page's URL without lang: the language is chosen by the browser (x-default)."""
    pairs = [(k, v) for k, v in request.args.items(multi=True) if k != params.LANG]
    return request.path + params.query_string(pairs)


def alternates() -> list[tuple[str, str]]:
    """(hreflang, URL) for this page in each language, then x-default."""
    return [*((code, lang_url(code)) for code in LOCALES), ("x-default", neutral_url())]


def _carry_lang(endpoint: str | None, values: dict[str, Any]) -> None:
    """url_for() keeps an explicit lang in every link to our own pages."""
    if endpoint == "static" or params.LANG in values:
        return
    lang = explicit_lang()
    if lang:
        values[params.LANG] = lang


def _vary(response: Response) -> Response:
    """Pages chosen by Accept-Language say so, so caches keep one copy per language."""
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
    return response
