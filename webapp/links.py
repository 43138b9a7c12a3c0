"""Absolute links to the site's pages: canonical URLs, on MECP_BASE_URL when it is set.

A canonical URL ends up in pages, JSON-LD and feeds that caches and crawlers keep, so it comes
from configuration when there is one, not from the request's Host header. May import: flask.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def canonical_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of a page: on MECP_BASE_URL when set, else on the request's host."""
    base: str = current_app.config.get("BASE_URL", "")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
