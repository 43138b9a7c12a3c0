"""Baseline 1: Whoosh used the plain way, as its documentation shows.

One writer with default settings, a straightforward schema, a MultifieldParser over title and
body (AND grouping by default; OR grouping as the fair comparison), `groupedby` facet counts and
default highlighting of the top 10. May import: bench.texts, whoosh.
"""

from __future__ import annotations

from pathlib import Path

from whoosh import index, sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup
from whoosh.query import And, Term

from bench.queries import Query
from bench.texts import iter_texts

FACETS = ("topic", "audience", "type", "year", "language")


def schema() -> Schema:
    """id, title and body stored, keyword and id fields for the five facets."""
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True),
        body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        topic=KEYWORD(commas=True),
        audience=KEYWORD(commas=True),
        type=ID,
        year=ID,
        language=ID,
    )


def build(texts: Path, out: Path) -> int:
    """Index every dumped document with one default writer; the number indexed."""
    out.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(out), schema())
    writer = ix.writer()
    count = 0
    for record in iter_texts(texts):
        meta = record["meta"]
        writer.add_document(
            id=meta["id"],
            title=meta["title"],
            body=record["body"],
            topic=",".join(meta["topics"]),
            audience=",".join(meta["audiences"]),
            type=meta["type"] or "none",
            year=str(meta["year"] or "none"),
            language=meta["language"],
        )
        count += 1
    writer.commit()
    return count


class PlainWhoosh:
    """Searches a baseline index: top 10 with highlights plus groupedby counts of five facets."""

    def __init__(self, path: Path, grouping: str) -> None:
        """Open the index and build the parser and facets once."""
        self.ix = index.open_dir(str(path))
        group = OrGroup if grouping == "or" else AndGroup
        self.parser = MultifieldParser(["title", "body"], self.ix.schema, group=group)
        self.facets = sorting.Facets()
        for name in FACETS:
            self.facets.add_field(name, allow_overlap=name in ("topic", "audience"))

    def search(self, query: Query) -> int:
        """Run one query the plain way; the number of matching documents."""
        parsed = self.parser.parse(query.text)
        terms = [Term("topic", t) for t in query.topics] + [
            Term("audience", a) for a in query.audiences
        ]
        with self.ix.searcher() as searcher:
            results = searcher.search(
                parsed,
                limit=10,
                groupedby=self.facets,
                maptype=sorting.Count,
                filter=And(terms) if terms else None,
            )
            self.last_counts = {name: results.groups(name) for name in FACETS}
            self.last_page = [(hit["id"], hit["title"], hit.highlights("body")) for hit in results]
            total: int = len(results)
        return total
