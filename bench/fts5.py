"""Baseline 2: SQLite FTS5 (stdlib sqlite3) as a compiled-code reference.

bm25 ranking (title weighted 4, as ours), snippet() for the top 10, and GROUP BY counts of the
five facets over all matches (topics and audiences in side tables). Loose words are OR-ed with
English stop words dropped (as Whoosh's analyzers drop them); quoted phrases are required.
May import: bench.queries, bench.texts, bench.lexicon.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.lexicon import ENGLISH_STOP
from bench.queries import Query
from bench.texts import iter_texts

SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2');
CREATE TABLE meta(doc INTEGER PRIMARY KEY, id TEXT, type TEXT, year TEXT, language TEXT);
CREATE TABLE topic(doc INTEGER, value TEXT);
CREATE TABLE audience(doc INTEGER, value TEXT);
"""
INDEXES = """
CREATE INDEX topic_value ON topic(value, doc);
CREATE INDEX topic_doc ON topic(doc, value);
CREATE INDEX audience_value ON audience(value, doc);
CREATE INDEX audience_doc ON audience(doc, value);
"""


def available() -> bool:
    """True when this Python's SQLite was built with FTS5."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True


def build(texts: Path, out: Path) -> int:
    """Load every dumped document in one transaction; the number loaded."""
    out.unlink(missing_ok=True)
    conn = sqlite3.connect(out)
    conn.executescript(SCHEMA)
    count = 0
    with conn:
        for doc, record in enumerate(iter_texts(texts), 1):
            meta = record["meta"]
            conn.execute(
                "INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                (doc, meta["title"], record["body"]),
            )
            conn.execute(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?)",
                (doc, meta["id"], meta["type"], str(meta["year"] or "none"), meta["language"]),
            )
            conn.executemany("INSERT INTO topic VALUES (?, ?)", [(doc, t) for t in meta["topics"]])
            conn.executemany(
                "INSERT INTO audience VALUES (?, ?)", [(doc, a) for a in meta["audiences"]]
            )
            count = doc
        conn.executescript(INDEXES)
    conn.close()
    return count


def expression(query: Query) -> str:
    """The FTS5 MATCH expression: phrases AND-ed, loose words OR-ed (ranking only, with phrases)."""
    words = [f'"{w}"' for w in query.words if w not in ENGLISH_STOP]
    phrases = ['"' + p.replace('"', "") + '"' for p in query.phrases]
    if phrases:
        required = " AND ".join(phrases)
        return f"({required}) AND ({' OR '.join(phrases + words)})" if words else required
    return " OR ".join(words)


class Fts5:
    """Searches the FTS5 reference: top 10 with snippets plus five GROUP BY facet counts."""

    def __init__(self, path: Path) -> None:
        """Open the database and a temporary table for the matching rows."""
        self.conn = sqlite3.connect(path, check_same_thread=False)
        self.conn.execute("CREATE TEMP TABLE hits(doc INTEGER PRIMARY KEY)")

    def search(self, query: Query) -> int:
        """Run one query; the number of matching documents."""
        match = expression(query)
        if not match:
            return 0
        conn = self.conn
        where, params = "docs MATCH ?", [match]
        for table, values in (("topic", query.topics), ("audience", query.audiences)):
            for value in values:
                where += f" AND docs.rowid IN (SELECT doc FROM {table} WHERE value = ?)"
                params.append(value)
        conn.execute("DELETE FROM hits")
        conn.execute(f"INSERT INTO hits SELECT rowid FROM docs WHERE {where}", params)
        self.last_page = conn.execute(
            "SELECT m.id, docs.title, snippet(docs, 1, '<mark>', '</mark>', '\u2026', 40)"
            f" FROM docs JOIN meta m ON m.doc = docs.rowid WHERE {where}"
            " ORDER BY bm25(docs, 4.0, 1.0) LIMIT 10",
            params,
        ).fetchall()
        self.last_counts = {
            name: conn.execute(sql).fetchall()
            for name, sql in (
                ("topic", "SELECT value, count(*) FROM topic JOIN hits USING (doc) GROUP BY value"),
                (
                    "audience",
                    "SELECT value, count(*) FROM audience JOIN hits USING (doc) GROUP BY value",
                ),
                ("type", "SELECT type, count(*) FROM meta JOIN hits USING (doc) GROUP BY type"),
                ("year", "SELECT year, count(*) FROM meta JOIN hits USING (doc) GROUP BY year"),
                (
                    "language",
                    "SELECT language, count(*) FROM meta JOIN hits USING (doc) GROUP BY language",
                ),
            )
        }
        total: int = conn.execute("SELECT count(*) FROM hits").fetchone()[0]
        return total
