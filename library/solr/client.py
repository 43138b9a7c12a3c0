"""HTTP to Solr: JSON requests with timeouts, failing over between nodes, and errors people can read.

httpx (typed, pooled connections, explicit connect and read timeouts) carries every request. A
client may be given several node URLs ("http://a:8983/solr,http://b:8983/solr"): a request that
cannot reach one node is sent to the next, so a SolrCloud with a stopped node keeps answering.
An unreachable, failing or timing-out Solr raises IndexUnavailable naming the URL; a request Solr
refuses (a 4xx) raises SolrRequestError with Solr's own message. Credentials in a URL
(https://user:password@host/solr) are sent as Basic authentication and never shown in a message.
May import: errors, httpx.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from library.errors import IndexUnavailable, LibraryError

CONNECT_TIMEOUT = 3.0  # seconds to open a connection to one node
READ_TIMEOUT = 30.0  # seconds for an answer, unless a call says otherwise
# A search whose parameters are longer goes as a form (POST): Solr's Jetty refuses request lines
# over 8 KB, and a long question with its equivalents and phrases can pass that.
MAX_QUERY_STRING = 4096

# Errors that prove the request never reached the node.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)

Value = str | int | float | bool
Params = Mapping[str, Value] | list[tuple[str, Value]]  # a list repeats names (facet.field)


class SolrRequestError(LibraryError):
    """Solr understood the request and refused it (an unknown collection, a bad parameter)."""


class SolrServerError(IndexUnavailable):
    """A node answered with a server error (5xx): it failed, or a node it needed was down."""


def parse_urls(urls: str | Sequence[str]) -> tuple[str, ...]:
    """Base URLs from a comma-separated string or a list; "/solr" is added to a bare host."""
    items = urls.split(",") if isinstance(urls, str) else list(urls)
    parsed = []
    for item in (u.strip().rstrip("/") for u in items):
        if not item:
            continue
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not a Solr URL: {item!r} (expected http://host:8983/solr)")
        parsed.append(item if parts.path else item + "/solr")
    if not parsed:
        raise ValueError("no Solr URL given (expected http://host:8983/solr)")
    return tuple(parsed)


def shown(url: str) -> str:
    """A URL as messages show it: "user:password@" (Basic authentication) left out."""
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


class SolrClient:
    """JSON over HTTP to one Solr, or to the nodes of one SolrCloud in turn."""

    def __init__(self, urls: str | Sequence[str], timeout: float = READ_TIMEOUT) -> None:
        """Connect lazily to the given base URLs (each like http://host:8983/solr)."""
        self.urls = parse_urls(urls)
        self._current = 0
        self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT))

    @property
    def url(self) -> str:
        """The base URL requests go to first, as shown to people (without credentials)."""
        return shown(self.urls[self._current])

    def get(self, path: str, params: Params | None = None, timeout: float | None = None) -> Any:
        """GET path (relative to the base URL, e.g. "admin/collections") and return its JSON."""
        return self._send("GET", path, params=params, timeout=timeout)

    def search(self, path: str, params: Params, timeout: float | None = None) -> Any:
        """A search (GET, or a form POST when its parameters are long); sent to the next node
        whenever one cannot be reached, as a search changes nothing."""
        items = params.items() if isinstance(params, Mapping) else params
        form: list[tuple[str, Value]] = [(k, _text(v)) for k, v in items]
        encoded = urlencode(form)
        if len(encoded) <= MAX_QUERY_STRING:
            return self._send("GET", path, params=form, timeout=timeout)
        return self._send(
            "POST", path, None, encoded.encode(), "application/x-www-form-urlencoded", timeout,
            resend=True,
        )  # fmt: skip

    def post(
        self,
        path: str,
        params: Params | None = None,
        body: Any = None,
        content: bytes | None = None,
        content_type: str = "application/octet-stream",
        timeout: float | None = None,
    ) -> Any:
        """POST JSON (body) or raw bytes (content) to path (a long search: see search)."""
        if body is not None:
            content, content_type = json.dumps(body).encode(), "application/json"
        return self._send("POST", path, params, content, content_type, timeout)

    def _send(
        self,
        method: str,
        path: str,
        params: Params | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
        timeout: float | None = None,
        resend: bool = False,
    ) -> Any:
        """Send to the current node, moving on to the next while a node cannot be reached.

        A GET (or a request marked resend) goes to the next node whatever the failure; another
        request only when it cannot have reached Solr.
        """
        headers = {"Content-Type": content_type} if content_type else {}
        query = params if params is None or isinstance(params, Mapping) else tuple(params)
        failures = []
        for attempt in range(len(self.urls)):
            index = (self._current + attempt) % len(self.urls)
            url = f"{self.urls[index]}/{path.lstrip('/')}"
            try:
                response = self._http.request(
                    method,
                    url,
                    params=query,
                    content=content,
                    headers=headers,
                    timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
                )
            except httpx.TransportError as exc:
                failures.append(f"{shown(self.urls[index])}: {_reason(exc)}")
                # A POST that may have reached Solr is not sent twice.
                if method != "GET" and not resend and not isinstance(exc, _NOT_SENT):
                    break
                continue
            self._current = index
            return _answer(response, shown(self.urls[index]))
        raise IndexUnavailable("Solr is unreachable (" + "; ".join(failures) + ")")

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def __enter__(self) -> SolrClient:
        """Use as a context manager that closes the client."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close on leaving the block."""
        self.close()


def _answer(response: httpx.Response, base: str) -> Any:
    """The JSON of a response, or the error it carries."""
    try:
        data = response.json()
    except ValueError:
        data = None
    message = _error_message(data) or response.reason_phrase or "no message"
    if response.status_code >= 500:
        raise SolrServerError(f"Solr at {base} failed ({response.status_code}): {message}")
    if response.status_code >= 400:
        raise SolrRequestError(
            f"Solr at {base} refused the request ({response.status_code}): {message}"
        )
    if data is None:
        raise IndexUnavailable(f"Solr at {base} answered with something that is not JSON")
    if _error_message(data):
        raise SolrRequestError(f"Solr at {base} refused the request: {message}")
    return data


def _error_message(data: Any) -> str:
    """Solr's error text in a JSON answer ("error" or, from the Collections API, "failure")."""
    if not isinstance(data, dict):
        return ""
    error = data.get("error")
    if isinstance(error, dict):
        return str(error.get("msg") or error.get("trace", "")[:200] or error)
    failure = data.get("failure") or data.get("exception")
    return str(failure) if failure else ""


def _text(value: Value) -> str:
    """A parameter value as Solr reads it (booleans in lower case)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _reason(exc: httpx.TransportError) -> str:
    """Why a node could not be reached, in a few words."""
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    if isinstance(exc, httpx.ConnectError):
        return "connection refused or host unknown"
    return type(exc).__name__
