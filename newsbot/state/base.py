"""The state store interface: what newsbot remembers from one run to the next.

One :class:`StateStore` protocol, two backends (:mod:`newsbot.state.sqlite`, the embedded
default, and :mod:`newsbot.state.redisdb` for a shared Redis). A store holds:

* seen articles: ``article_id`` -> ``"item"`` (yielded) or ``"dropped:<reason>"``, read by
  the incremental middleware; an ``item`` status is never downgraded to ``dropped``; with it
  (:class:`SeenArticle`) when the article was first recorded and, for an item, the revision
  and content hash of its last written text (the re-visit policy: :mod:`newsbot.pipelines.revision`);
* pending records: the same pairs noted by a crawl process while it runs, under a key of
  its own, promoted into the seen articles in one step once its feeds are stored (or
  discarded); those of a killed process are never promoted and go after :data:`PENDING_TTL`;
* the dedupe index: one document per kept item (canonical URL, the run that kept it, the
  16-byte content fingerprint, the MinHash signature and its LSH band keys) and, for the
  :data:`RECENT_SHINGLES` documents indexed last, their shingle sets (exact similarities for
  every process of a run: the dedupe pipeline asks the store, never its own memory, so one
  process and the workers of a cluster decide alike);
* learned boilerplate per site: candidate paragraphs with the distinct titles they were
  seen under, the paragraphs proved to be boilerplate, and how many items of the site the
  learner has seen;
* a few ``meta`` values (schema, signature scheme, namespace).

Paragraphs and titles are 8-byte keys (:func:`text_key`), never texts, except the learned
paragraphs themselves (kept readable so a user can see what is being removed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from newsbot.text.normalize import text_key

__all__ = [
    "DROPPED", "ITEM", "Record", "SeenArticle", "StateError", "StateStore", "StoredDocument", "is_final", "text_key",
]

ITEM = "item"
"""Status of an article that yielded an item."""
DROPPED = "dropped"
"""Status prefix of an article whose item a pipeline dropped: ``dropped:<reason>``."""
SCHEMA_VERSION = "1"
RECENT_SHINGLES = 5000
"""Documents indexed last whose shingle sets the store keeps (about 2 KB each), for exact
similarities with the items that follow them (older ones: the MinHash estimate)."""
PENDING_TTL = 7 * 86400
"""Seconds after its last write that the pending records of a crawl process are dropped
unpromoted (a killed process never promotes them)."""


Record = tuple[str, str] | tuple[str, str, int | None, str | None]
"""A seen-article record: ``(article_id, status)``, or ``(article_id, status, revision,
content_hash)`` for an item whose text version is known (both None: unknown)."""


@dataclass(frozen=True)
class SeenArticle:
    """What the store remembers of one article: its ``status``; ``first_seen``, epoch seconds
    of its first record (None: unknown, a Redis record written before newsbot kept it);
    ``revision`` (1, 2, ...) and ``content_hash`` (32 hex digits,
    :func:`newsbot.pipelines.revision.content_hash`) of the last text written, both None when
    unknown (a dropped article, or a record written before newsbot kept them)."""

    status: str
    first_seen: float | None = None
    revision: int | None = None
    content_hash: str | None = None


def record_version(record: Record) -> tuple[int | None, str | None]:
    """The ``(revision, content_hash)`` of a record, ``(None, None)`` for a plain pair.

    >>> record_version(("a:1", "item")), record_version(("a:1", "item", 2, "ab" * 16))
    ((None, None), (2, 'abababababababababababababababab'))
    """
    return (record[2], record[3]) if len(record) == 4 else (None, None)  # type: ignore[misc]


class StateError(RuntimeError):
    """The state store cannot be opened or used; the message names the store and the cause."""


@dataclass(frozen=True)
class StoredDocument:
    """A kept item in the dedupe index: its canonical ``url``, the ``run`` that kept it and,
    for band look-ups, its MinHash ``signature`` (raw uint32 bytes, or empty) and its
    ``shingles`` (the sorted distinct 32-bit shingle hashes as little-endian uint32 bytes,
    :func:`newsbot.text.signatures.shingle_set`) while it is one of the
    :data:`RECENT_SHINGLES` documents indexed last (else empty)."""

    url: str
    run: str
    signature: bytes = b""
    shingles: bytes = b""


@dataclass(frozen=True)
class Lookup:
    """What the dedupe index holds for one item, read at one moment (:meth:`StateStore.look_up`).

    ``url_run``: the run that kept the item's URL, or None; ``status``: the recorded status of
    its ``article_id`` (:meth:`StateStore.article_statuses`), or None; ``mark``: the index's position
    before the look-up (:meth:`StateStore.index_mark`, the ``since`` of
    :meth:`StateStore.add_document`); ``same``: documents with the item's content fingerprint
    (no signatures); ``near``: documents sharing one of its band keys, as
    :meth:`StateStore.find_bands` gives them.
    """

    url_run: str | None
    status: str | None
    mark: int
    same: list[StoredDocument]
    near: list[StoredDocument]
    indexed: bool = False
    """True when the look-up also indexed the item (``index`` of :meth:`StateStore.look_up`)."""


@dataclass(frozen=True)
class NewDocument:
    """An item to index if its look-up finds nothing it could duplicate (:meth:`StateStore.look_up`):
    the arguments of :meth:`StateStore.add_document` besides URL, fingerprint and band keys;
    ``item_ok``: an ``item`` record of its article does not make it a duplicate (``fresh``
    runs, re-visits, items without an article id)."""

    run: str
    site: str
    signature: bytes
    shingles: bytes = b""
    item_ok: bool = False

    def blocked_by(self, found: Lookup) -> bool:
        """Whether ``found`` holds anything the item could duplicate (then the dedupe pipeline
        judges it and indexes it with :meth:`StateStore.add_document`)."""
        return bool(found.url_run is not None or found.same or found.near or (found.status == ITEM and not self.item_ok))


def is_final(status: str | None) -> bool:
    """True for a status that makes an incremental run skip the article page.

    >>> is_final("item"), is_final("dropped:near_duplicate"), is_final(None)
    (True, True, False)
    """
    return bool(status) and (status == ITEM or status.startswith(DROPPED + ":"))


@runtime_checkable
class StateStore(Protocol):
    """What every backend implements. Methods raise the backend's own errors
    (``sqlite3.Error``, ``redis.RedisError``, ``OSError``); :mod:`newsbot.state.guard`
    turns them into one ERROR line and an in-memory fallback."""

    uri: str
    namespace: str
    persistent: bool
    shared: bool
    """True when other processes may write a site's state while this one runs (Redis: cluster
    workers, crawls side by side); a SQLite store serves one crawl of a site at a time
    (:mod:`newsbot.extensions.store_lock`), so what it holds changes only through this process."""

    # --- meta -------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    # --- seen articles (incremental runs) ------------------------------------------------
    def article_statuses(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Statuses of the ids that have one (absent ids are left out)."""
        ...

    def article_versions(self, article_ids: Sequence[str]) -> dict[str, SeenArticle]:
        """Status, first record time, revision and content hash of the ids that have a record."""
        ...

    def record_articles(self, records: Sequence[Record]) -> None:
        """Store :data:`Record` tuples; ``item`` is never replaced by ``dropped:*``; the time of
        an article's first record is kept; a record with a content hash replaces the revision
        and hash, one without leaves them."""
        ...

    def add_pending(self, key: str, records: Sequence[Record]) -> None:
        """Note ``(article_id, status)`` pairs under ``key`` (one per crawl process), with the
        rule of :meth:`record_articles`; not yet seen articles (see :meth:`commit_pending`)."""
        ...

    def commit_pending(self, key: str) -> tuple[int, int]:
        """Record the pairs pending under ``key`` as seen articles (in one transaction in
        SQLite) and forget them; ``(items, dropped)``: how many of each were recorded."""
        ...

    def discard_pending(self, key: str) -> int:
        """Forget the pairs pending under ``key`` unrecorded; how many there were."""
        ...

    # --- dedupe index ------------------------------------------------------------------
    def find_fingerprint(self, fingerprint: bytes) -> list[StoredDocument]:
        """Documents kept with this content fingerprint (signatures not loaded)."""
        ...

    def find_bands(self, band_keys: Sequence[int]) -> list[StoredDocument]:
        """Documents sharing at least one LSH band key, with their signatures and, for the
        :data:`RECENT_SHINGLES` indexed last, their shingle sets; in the order they were indexed."""
        ...

    def look_up(self, url: str, fingerprint: bytes, band_keys: Sequence[int], article_id: str | None = None,
                index: NewDocument | None = None) -> Lookup:
        """:meth:`index_mark`, :meth:`document_run`, :meth:`article_statuses`, :meth:`find_fingerprint`
        and :meth:`find_bands` of one item at once (in Redis one round trip, where the five calls
        take five to seven). With ``index``, when the look-up finds nothing the item could
        duplicate (:meth:`NewDocument.blocked_by`: no document of its URL, of its fingerprint or
        in its LSH buckets, no ``item`` record of its article), the item is indexed in the same
        step, as :meth:`add_document` would (in Redis the same round trip), and ``indexed`` is
        True: most items are new, and are kept in one round trip instead of two."""
        ...

    def index_mark(self) -> int:
        """The dedupe index's position now (the last document id given; 0 when empty): the
        ``since`` of :meth:`add_document` for an item looked up from now on."""
        ...

    def add_document(
        self, url: str, run: str, site: str, fingerprint: bytes, signature: bytes, band_keys: Sequence[int],
        shingles: bytes = b"", since: int | None = None,
    ) -> bool:
        """Index a kept item (with its shingle set, kept while it is one of the
        :data:`RECENT_SHINGLES` documents indexed last); a document of the same URL is
        replaced (re-kept by a later run). True when indexed.

        With ``since`` (an :meth:`index_mark` read before the item's look-ups), the check and
        the indexing are one atomic step: nothing is indexed and False comes back when a
        document indexed after the mark has this fingerprint or shares one of these band keys
        (another process kept a possible copy meanwhile: look again). Optimistic concurrency:
        processes sharing a store never wait for each other, and an item is looked up again
        only when a candidate did appear."""
        ...

    def document_run(self, url: str) -> str | None:
        """The run that kept the document of this canonical URL, or None (none kept)."""
        ...

    def document_count(self) -> int: ...

    # --- learned boilerplate --------------------------------------------------------------
    def learned_paragraphs(self, site: str) -> dict[bytes, str]:
        """``{paragraph key: paragraph text}`` of the site's learned boilerplate."""
        ...

    def learned_count(self, site: str) -> int:
        """How many paragraphs of the site are learned (they are only ever added: the same count
        means nothing new), a cheap question where :meth:`learned_paragraphs` reads them all."""
        ...

    def count_titles(self, site: str, paragraph_keys: Sequence[bytes], title_key: bytes) -> tuple[dict[bytes, int], int]:
        """Note that each paragraph was seen under ``title_key``; return, per paragraph, the
        number of distinct titles it has been seen under (this one included), and the site's
        :meth:`learned_count` read in the same step (in Redis: the same round trip)."""
        ...

    def learn_paragraph(self, site: str, paragraph_key: bytes, text: str) -> None: ...

    def add_site_items(self, site: str, count: int) -> int:
        """Add ``count`` to the number of items of ``site`` the learner has seen; the new total."""
        ...

    def forget_candidates(self, older_than: float) -> int:
        """Drop candidate paragraphs first seen before ``older_than`` (epoch seconds) that
        never became boilerplate; how many were dropped (Redis expires them by itself: 0)."""
        ...

    def close(self) -> None: ...
