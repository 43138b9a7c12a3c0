"""Configuration: the only module that reads os.environ, and only when asked (at start-up).

May import: stdlib.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# (variable, default, help): the README documents each one, and a test checks that it does.
VARIABLES: tuple[tuple[str, str, str], ...] = (
    (
        "MECP_CORPUS_DIR",
        "corpus",
        "Folder of publications, sidecars and vocabulary.toml to ingest.",
    ),
    ("MECP_INDEX_DIR", "var/index", "Folder holding the search index (written by ingest only)."),
    (
        "MECP_ENGINE",
        "",
        "Engine `mecp ingest` writes the index with: whoosh (embedded, in MECP_INDEX_DIR) or "
        "solr (a SolrCloud at MECP_SOLR_URL; MECP_INDEX_DIR then holds a small local record). "
        "Empty: the engine of the live index (whoosh when there is none), so a reindex never "
        "changes engine unless asked to.",
    ),
    ("MECP_VOCABULARY", "", "Vocabulary file; empty means <corpus>/vocabulary.toml."),
    ("MECP_HOST", "127.0.0.1", "Address `mecp serve` listens on."),
    ("MECP_PORT", "8000", "Port `mecp serve` listens on."),
    (
        "MECP_SERVER_PROCESSES",
        "0",
        "Processes of `mecp serve`, sharing its port; 0 means one per CPU core.",
    ),
    ("MECP_SERVER_THREADS", "8", "Worker threads in each `mecp serve` process."),
    ("MECP_INGEST_WORKERS", "0", "Extraction worker processes; 0 means one per CPU core."),
    ("MECP_FILE_TIMEOUT", "60", "Seconds one file may take to extract before it is skipped."),
    (
        "MECP_FILE_MEMORY_MB",
        "1024",
        "Memory one file may take to extract and index, in MB (on top of what its worker holds).",
    ),
    ("MECP_MAX_FILE_MB", "100", "Files larger than this many MB are skipped."),
    ("MECP_MAX_PAGES", "2000", "PDFs with more pages than this are skipped."),
    (
        "MECP_BASE_URL",
        "",
        "Public address of the site (scheme and host, e.g. https://library.example.org): "
        "canonical links use it and other Host headers are refused.",
    ),
    (
        "MECP_TRUSTED_HOSTS",
        "",
        "More host names the server answers to, comma-separated (besides MECP_BASE_URL's and "
        "the listening address).",
    ),
    (
        "MECP_CLIENT_TIMEOUT",
        "20",
        "Seconds a client connection may stay idle before the server closes it.",
    ),
    (
        "MECP_SOLR_URL",
        "http://127.0.0.1:8983/solr",
        "SolrCloud base URL, or several nodes' URLs comma-separated (tried in turn), "
        "for `mecp solr` and the solr engine.",
    ),
    (
        "MECP_SOLR_ALIAS",
        "mecp-library",
        "Collection alias the solr engine publishes through (each full build is a new "
        "collection named after it).",
    ),
    ("MECP_SOLR_SHARDS", "2", "Shards of each new collection the solr engine builds."),
    (
        "MECP_SOLR_REPLICAS",
        "2",
        "Replicas of each shard of a new collection the solr engine builds.",
    ),
    (
        "MECP_PROXY_HOPS",
        "0",
        "How many reverse proxies stand in front of the server; their X-Forwarded-For and "
        "X-Forwarded-Proto are then trusted (0: none is, the client's own address counts).",
    ),
    (
        "MECP_STAFF_DB",
        "var/staff.sqlite3",
        "The staff console's database (accounts, audit log, reindex jobs), created when needed.",
    ),
    (
        "MECP_SECRET_KEY",
        "",
        "Key that signs staff sessions; empty means a random one kept in secret_key beside "
        "MECP_STAFF_DB (mode 0600), shared by every serving process.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Resolved configuration of one process."""

    corpus_dir: Path
    index_dir: Path
    engine: str
    vocabulary: Path
    host: str
    port: int
    server_processes: int
    server_threads: int
    ingest_workers: int
    file_timeout: float
    file_memory_mb: int
    max_file_mb: int
    max_pages: int
    base_url: str
    trusted_hosts: tuple[str, ...]
    client_timeout: int
    solr_url: str
    solr_alias: str
    solr_shards: int
    solr_replicas: int
    proxy_hops: int
    staff_db: Path
    secret_key: str = field(default="", repr=False)  # never printed with the settings

    def allowed_hosts(self) -> tuple[str, ...]:
        """Host names requests may carry: the base URL's, the listening address, the extras.

        A loopback or wildcard listening address adds the loopback names; a wildcard adds no
        others, so a forged Host header is refused until MECP_BASE_URL or MECP_TRUSTED_HOSTS
        names the public one.
        """
        names = [urlsplit(self.base_url).hostname or ""] if self.base_url else []
        if self.host in WILDCARD_HOSTS or self.host in LOOPBACK_HOSTS:
            names += LOOPBACK_HOSTS
        else:
            names.append(self.host)
        return tuple(dict.fromkeys(n.lower() for n in (*names, *self.trusted_hosts) if n))


WILDCARD_HOSTS = ("", "0.0.0.0", "::")
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "::1"]


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Build Settings from the environment (or a given mapping), defaults, then overrides."""
    env = os.environ if environ is None else environ
    raw = {name: env.get(name, default) for name, default, _ in VARIABLES}
    corpus = Path(raw["MECP_CORPUS_DIR"])
    values: dict[str, object] = {
        "corpus_dir": corpus,
        "index_dir": Path(raw["MECP_INDEX_DIR"]),
        "engine": raw["MECP_ENGINE"].strip().lower(),
        "vocabulary": Path(raw["MECP_VOCABULARY"]) if raw["MECP_VOCABULARY"] else None,
        "host": raw["MECP_HOST"],
        "port": _integer(raw, "MECP_PORT"),
        "server_processes": _integer(raw, "MECP_SERVER_PROCESSES") or (os.cpu_count() or 1),
        "server_threads": _integer(raw, "MECP_SERVER_THREADS"),
        "ingest_workers": _integer(raw, "MECP_INGEST_WORKERS") or (os.cpu_count() or 1),
        "file_timeout": float(_integer(raw, "MECP_FILE_TIMEOUT")),
        "file_memory_mb": _integer(raw, "MECP_FILE_MEMORY_MB"),
        "max_file_mb": _integer(raw, "MECP_MAX_FILE_MB"),
        "max_pages": _integer(raw, "MECP_MAX_PAGES"),
        "base_url": _base_url(raw["MECP_BASE_URL"]),
        "trusted_hosts": tuple(
            h.strip() for h in raw["MECP_TRUSTED_HOSTS"].split(",") if h.strip()
        ),
        "client_timeout": _integer(raw, "MECP_CLIENT_TIMEOUT"),
        "solr_url": raw["MECP_SOLR_URL"],
        "solr_alias": raw["MECP_SOLR_ALIAS"],
        "solr_shards": _integer(raw, "MECP_SOLR_SHARDS"),
        "solr_replicas": _integer(raw, "MECP_SOLR_REPLICAS"),
        "proxy_hops": _integer(raw, "MECP_PROXY_HOPS"),
        "staff_db": Path(raw["MECP_STAFF_DB"]),
        "secret_key": raw["MECP_SECRET_KEY"],
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    if values["vocabulary"] is None:
        values["vocabulary"] = Path(values["corpus_dir"]) / "vocabulary.toml"  # type: ignore[arg-type]
    return Settings(**values)  # type: ignore[arg-type]


def _base_url(value: str) -> str:
    """MECP_BASE_URL without a trailing slash; ValueError unless it is http(s)://host[:port]."""
    value = value.strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path:
        raise ValueError(
            f"MECP_BASE_URL must be like https://library.example.org (no path), not {value!r}"
        )
    return value


def _integer(raw: Mapping[str, str], name: str) -> int:
    """Parse one integer variable, naming it in the error."""
    try:
        return int(raw[name])
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw[name]!r}") from None
