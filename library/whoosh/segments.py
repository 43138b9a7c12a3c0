"""Writing a generation's whoosh index: the codec fixes, the parallel segment builder, the update.

Ingest workers each write a segment of their own with SegmentBuilder (so the slow part of
indexing runs on every core); Update adds the finished segments to the new generation, deletes
replaced and removed documents from the segments it started with, and publishes it through
library.generations. The files are the ones whoosh's own writer writes for the same documents
(tested). May import: generations, models, settings, vocab, whoosh.analysis, whoosh.schema, whoosh.
"""

from __future__ import annotations

import contextlib
import pickle
import shutil
import struct
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PostingsWriter
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import CLEAR, SegmentWriter

from library import generations
from library.generations import current_generation
from library.models import Document
from library.settings import Settings
from library.vocab import Vocabulary
from library.whoosh.analysis import Postings
from library.whoosh.schema import ID_FIELD, SCHEMA_VERSION, build_schema, to_fields


class _PerDocReader(W3PerDocReader):  # type: ignore[misc]
    """Remembers that a field has no length column instead of asking the disk again.

    Whoosh looks up a field length for every posting it writes; for fields without lengths
    (spelling words, facets) each look-up was a file-system stat: a quarter of ingest time.
    """

    def _cached_reader(self, fieldname: str, column: Any) -> Any:
        """The column reader, or None, computed once per field."""
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]


class _PostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    """Whoosh's postings writer with posting-list inlining working.

    Whoosh can keep a short posting list inside its term's entry instead of writing a compressed
    block to the postings file, but its writer calls a method that does not exist
    (``set_inline``; the term info has ``set_inlined``), so the feature was unusable. Most terms
    of a real corpus occur in a handful of documents, and the pickled, compressed block per term
    was the largest single cost of writing a segment.
    """

    _terminfo: Any
    _ids: Any
    _weights: Any
    _values: list[bytes]
    _minlength: int | None
    _maxlength: int
    _maxweight: float
    _blocklimit: int
    _inlinelimit: int

    def finish_postings(self) -> Any:
        """End the current term: inline a short list, else write blocks as whoosh does."""
        if not self.written() and len(self) < self._inlinelimit:
            terminfo = self._terminfo
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def add_postings(
        self, ids: list[int], weights: list[float], values: list[bytes], lengths: list[int]
    ) -> None:
        """add_posting for a whole term's postings, a block at a time (the same blocks)."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if len(self._ids) >= limit:
                self._write_block()
            end = start + limit
            block_weights = weights[start:end]
            self._ids.extend(ids[start:end])
            self._weights.extend(block_weights)
            self._values.extend(v for v in values[start:end] if v)
            self._maxweight = max(self._maxweight, *block_weights)
            known = [n for n in lengths[start:end] if n]
            if known:
                low = min(known)
                if self._minlength is None or low < self._minlength:
                    self._minlength = low
                self._maxlength = max(self._maxlength, *known)


INLINE_LIMIT = 8  # posting lists shorter than this live in the term dictionary


class _Codec(W3Codec):  # type: ignore[misc]
    """Whoosh's default codec with working inlining and the caching per-document reader."""

    def __init__(self) -> None:
        """Whoosh's block size and compression; short posting lists inlined."""
        super().__init__(inlinelimit=INLINE_LIMIT)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        """The postings writer with inlining fixed."""
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        """Per-document values of a segment."""
        return _PerDocReader(storage, segment)


class SegmentBuilder(SegmentWriter):  # type: ignore[misc]
    """Writes one new segment of a generation, in whichever process holds it.

    Ingest workers each own one, so segments are written in parallel; Update.publish adds the
    finished segments to the generation. Postings wait in per-term lists in memory (not in
    whoosh's sorting pool of one tuple per posting) and go straight to the codec's field writer
    in term order, with each document's field length known rather than looked up per posting.
    The files it writes are the ones whoosh's own writer writes for the same documents (tested).
    """

    def __init__(self, path: Path) -> None:
        """Open a writer on the generation at path without taking whoosh's lock."""
        super().__init__(whoosh_index.open_dir(str(path)), _lk=False, codec=_Codec(), limitmb=1)
        # field -> term -> flat [docnum, weight, value, length, docnum, ...]
        self._postings: dict[str, dict[bytes, list[Any]]] = {}
        self._spelled: dict[str, set[str]] = {}
        self._docnums: dict[str, int] = {}  # id -> docnum in this segment
        self._superseded: list[int] = []  # docnums of ids added again later
        self.postings_count = 0

    def add(self, doc: Document) -> None:
        """Add a document (analysed here); an id added twice keeps the later version."""
        self.add_fields(to_fields(doc, analysed=True))

    def add_fields(self, fields: dict[str, Any]) -> None:
        """Add a document's field values (schema.to_fields); an id added twice keeps the later."""
        doc_id = fields[ID_FIELD]
        if doc_id in self._docnums:
            self._superseded.append(self._docnums[doc_id])
        self._docnums[doc_id] = self.docnum
        self.add_document(**fields)

    def add_document(self, **fields: Any) -> None:
        """Add one document's stored, column and analysed values (no vectors, no boosts)."""
        self._check_state()
        _spell_once(self._spelled, fields)
        perdoc, schema, docnum = self.perdocwriter, self.schema, self.docnum
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                items = list(field.index(value))
                if field.scorable:
                    length = sum(item[1] for item in items)
                stat = _posting_length(length) if field.scorable else 0
                terms = self._postings.setdefault(name, {})
                for tbytes, _freq, weight, vbytes in items:
                    found = terms.get(tbytes)
                    if found is None:
                        terms[tbytes] = [docnum, weight, vbytes, stat]
                    else:
                        found += (docnum, weight, vbytes, stat)
                self.postings_count += len(items)
            if field.separate_spelling():
                words = self._postings.setdefault(field.spelling_fieldname(name), {})
                for word in field.spellable_words(value):
                    words.setdefault(word.encode("utf-8"), [0, 1, b"", 0])
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """Write the postings in field and term order through the codec's field writer."""
        self.perdocwriter.close()
        writer = self.fieldwriter
        add_term = writer._tindex.add
        for name in sorted(self._postings):
            terms = self._postings[name]
            writer.start_field(name, self.schema[name])
            prefix = _PACK_FIELD_ID(writer._fieldid)
            for tbytes in sorted(terms):
                flat = terms[tbytes]
                if len(flat) < 4 * INLINE_LIMIT:  # most terms: inlined, written in one step
                    add_term(prefix + tbytes, _inlined_term_info(flat))
                    continue
                writer.start_term(tbytes)
                writer._postwriter.add_postings(flat[0::4], flat[1::4], flat[2::4], flat[3::4])
                writer.finish_term()
            writer.finish_field()
        writer.close()
        self._postings.clear()

    @property
    def doc_ids(self) -> list[str]:
        """The ids of the documents added so far."""
        return list(self._docnums)

    def finish(self) -> Any:
        """Close the segment's files; the whoosh Segment for Update.add_segment (None if empty)."""
        if not self._added:
            self.discard()
            return None
        segment = self._finalize_segment()
        for docnum in self._superseded:
            segment.delete_document(docnum)
        self.is_closed = True
        return segment

    def discard(self) -> None:
        """Abandon the segment (its files are removed when the generation is committed)."""
        with contextlib.suppress(Exception):
            self._close_segment()


_PACK_FIELD_ID = struct.Struct("!H").pack  # how whoosh's field writer keys its term table
_TERM_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo's fixed part


def _inlined_term_info(flat: list[Any]) -> bytes:
    """W3TermInfo.to_bytes() for a short posting list kept inside its term's entry."""
    ids, weights = flat[0::4], flat[1::4]
    known = [n for n in flat[3::4] if n]
    head = _TERM_INFO.pack(
        1,  # inlined
        sum(weights),
        len(ids),
        length_to_byte(min(known)) if known else 0,
        length_to_byte(max(known, default=0)),
        max(0, *weights),
        ids[0],
        ids[-1],
    )
    inlined = (tuple(ids), tuple(weights), tuple(v for v in flat[2::4] if v))
    return head + pickle.dumps(inlined, 2)


def _posting_length(length: int) -> int:
    """The field length whoosh records with a posting: byte-quantised as in its length column."""
    return byte_to_length(length_to_byte(length)) if length else 0


def _spell_once(seen: dict[str, set[str]], fields: dict[str, Any]) -> None:
    """Give each spelling word to whoosh once per segment, not once per document.

    Whoosh's spelling fields only list words (search counts documents from the stemmed fields),
    and adding every document's words was half of all postings written.
    """
    for name, value in fields.items():
        if isinstance(value, Postings) and value.spelling:
            done = seen.setdefault(name, set())
            value.spelling = [w for w in value.spelling if w not in done]
            done.update(value.spelling)


class Update:
    """A new generation being written; publish() makes it live. Use through begin_update().

    New documents go into new segments: ingest workers write their own (add_segment), and
    upsert() writes into one kept here. The update's whoosh writer only deletes replaced and
    removed documents from the segments the generation started with, merges small ones, and
    writes the table of contents that lists all of them.
    """

    def __init__(self, root: Path, path: Path, fresh: bool) -> None:
        """Open a writer on the new generation folder."""
        self.root, self.path = root, path
        self._fresh = fresh
        self._writer = whoosh_index.open_dir(str(path)).writer(limitmb=256, codec=_Codec())
        self._builder: SegmentBuilder | None = None
        self._segments: list[Any] = []
        self._replaced: set[str] = set()
        self.changed = False

    def upsert(self, doc: Document, fields: dict[str, Any] | None = None) -> None:
        """Add or replace one document (an id given twice in one update is kept once).

        fields may carry the document's values analysed ahead of time (schema.to_fields).
        """
        if self._builder is None:
            self._builder = SegmentBuilder(self.path)
        self._builder.add_fields(fields or to_fields(doc, analysed=True))
        self._replace(doc.id)

    def add_segment(self, segment: Any, doc_ids: Iterable[str]) -> None:
        """Include a segment a SegmentBuilder finished, replacing older versions of its documents."""
        self._segments.append(segment)
        for doc_id in doc_ids:
            self._replace(doc_id)

    def _replace(self, doc_id: str) -> None:
        """Delete the previous version of a document from the generation's earlier segments."""
        if not self._fresh and doc_id not in self._replaced:
            self._writer.delete_by_term(ID_FIELD, doc_id)
            self._replaced.add(doc_id)
        self.changed = True

    def remove(self, doc_id: str) -> None:
        """Remove one document by id."""
        self._writer.delete_by_term(ID_FIELD, doc_id)
        self.changed = True

    def publish(self, manifest: dict[str, Any], vocabulary: Vocabulary, corpus_dir: Path) -> None:
        """Commit, write the side files, and atomically make this generation live."""
        if self._builder is not None:
            segment = self._builder.finish()
            if segment is not None:
                self._segments.append(segment)
        self._commit()
        meta = {
            "engine": "whoosh",
            "schema_version": SCHEMA_VERSION,
            "corpus_dir": str(corpus_dir.resolve()),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "documents": whoosh_index.open_dir(str(self.path)).doc_count(),
        }
        generations.publish(self.root, self.path, meta, manifest, vocabulary.source)

    def _commit(self) -> None:
        """Whoosh's commit, with the new segments added to the table of contents.

        This is what whoosh's own multi-process writer does with its sub-writers' segments.
        """
        writer = self._writer
        kept = writer._merge_segments(CLEAR if self._fresh else None, False, True)
        if writer._added:  # the merge policy merged small segments into this writer
            kept.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(kept + self._segments)
        writer._finish()

    def abort(self) -> None:
        """Drop the uncommitted work and the new generation folder."""
        if self._builder is not None:
            self._builder.discard()
        with contextlib.suppress(Exception):
            self._writer.cancel()
        shutil.rmtree(self.path, ignore_errors=True)


def begin_update(
    root: Path,
    rebuild: bool,
    settings: Settings | None = None,
    vocabulary: Vocabulary | None = None,
) -> Update:
    """Start a new generation: empty on rebuild, else hard-linked from the live one.

    The embedded index needs neither the settings nor the vocabulary (the seam passes them for
    engines that do)."""
    live = current_generation(root)
    path = generations.new_generation(root)
    try:
        if rebuild or live is None or not live.is_dir():
            whoosh_index.create_in(str(path), build_schema())
            return Update(root, path, fresh=True)
        # whoosh never rewrites a file in place, so links are safe
        generations.link_files(live, path, skip=("MAIN_WRITELOCK",))
        return Update(root, path, fresh=False)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def rebuild_reason(
    root: Path, meta: dict[str, Any], settings: Settings, vocabulary: Vocabulary
) -> str:
    """Nothing beyond the schema version makes a whoosh generation unfit to update ("")."""
    return ""
