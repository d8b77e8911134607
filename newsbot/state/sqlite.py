"""The embedded state store: one SQLite file (the default), or ``:memory:``.

The file is created on first use (parent directories too) in WAL mode with a busy timeout,
so several crawl processes on one machine (Scrapyd jobs of different spiders, two workers)
can read and write it at the same time: readers never wait for the writer, writers wait up
to ``busy_timeout`` for each other. ``synchronous=NORMAL``: a committed write survives a
killed process (it is in the WAL); only a power cut can lose the last transactions.
Checkpoints (the WAL copied into the file, then synced to disk) run in a thread of their own
every :data:`CHECKPOINT_EVERY_S` seconds: on the crawl's thread, the sync stalled the item
that crossed SQLite's 1,000-page mark, about half of the dedupe pipeline's time per item.

Tables (one file holds one namespace; see :func:`newsbot.state.state_uri`):

* ``articles(article_id, status, updated, first_seen, revision, content)``; ``pending(key,
  article_id, status, updated, revision, content)``, the records of running crawl processes
  (see :meth:`SqliteState.commit_pending`). ``first_seen``, ``revision`` and ``content`` (the
  re-visit policy) were added in issue 9: a store made before gets the columns when opened,
  with ``first_seen`` taken from ``updated`` (an item is recorded once, so that is when it was
  first seen) and no revision nor content (see :mod:`newsbot.pipelines.revision`);
* ``docs(id, url UNIQUE, run, site, fp, sig, created)`` plus ``bands(key, doc)``, the LSH
  buckets of the near-duplicate index (14 rows per document with the default threshold), and
  ``shingles(doc, hashes)``, the shingle sets of the :data:`~newsbot.state.base.RECENT_SHINGLES`
  documents indexed last;
* ``bp_candidates(site, para, title, seen)``, ``bp_learned(site, para, text, learned)``,
  ``counters(name, value)``; ``meta(key, value)``.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from newsbot.state.base import (
    ITEM,
    Lookup,
    NewDocument,
    PENDING_TTL,
    RECENT_SHINGLES,
    SCHEMA_VERSION,
    Record,
    SeenArticle,
    StateError,
    StoredDocument,
    record_version,
)

BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 16 * 1024
"""Page cache per connection: the upper levels of the band index and the pages an item reads
and then writes. Its leaves are read at random, one per band, so a larger cache gains little:
with 1M documents 64 MiB measured no faster per item (bench/dedupe.py)."""

CHECKPOINT_EVERY_S = 1.0
"""Seconds between two background checkpoints of the WAL (:class:`_Checkpointer`)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY, status TEXT NOT NULL, updated REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, run TEXT NOT NULL, site TEXT NOT NULL,
    fp BLOB NOT NULL, sig BLOB NOT NULL, created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_fp ON docs (fp);
CREATE TABLE IF NOT EXISTS bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bands_doc ON bands (doc);
CREATE TABLE IF NOT EXISTS shingles (doc INTEGER PRIMARY KEY, hashes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bp_candidates (
    site TEXT NOT NULL, para BLOB NOT NULL, title BLOB NOT NULL, seen REAL NOT NULL,
    PRIMARY KEY (site, para, title)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bp_learned (
    site TEXT NOT NULL, para BLOB NOT NULL, text TEXT NOT NULL, learned REAL NOT NULL,
    PRIMARY KEY (site, para)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending (
    key TEXT NOT NULL, article_id TEXT NOT NULL, status TEXT NOT NULL, updated REAL NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
"""
_VERSION_COLUMNS = {
    "articles": (("first_seen", "REAL"), ("revision", "INTEGER"), ("content", "TEXT")),
    "pending": (("revision", "INTEGER"), ("content", "TEXT")),
}
"""Columns of the re-visit policy (issue 9), added to a store made before by :meth:`SqliteState._migrate`."""

# The upsert of a seen record into ``articles`` (from a record or from ``pending``): ``item``
# is never downgraded; ``first_seen`` is never changed; a record without content keeps the
# revision and content known.
_UPSERT_ARTICLE = (
    " ON CONFLICT (article_id) DO UPDATE SET status = excluded.status, updated = excluded.updated,"
    " revision = COALESCE(excluded.revision, articles.revision), content = COALESCE(excluded.content, articles.content)"
    " WHERE articles.status != ? OR excluded.status = ?"
)


def sqlite_path(uri: str) -> str:
    """The file path of a ``sqlite:///`` URI (three slashes: relative to the current
    directory; four: absolute), or ``:memory:``.

    >>> sqlite_path("sqlite:///.newsbot/state.db")
    '.newsbot/state.db'
    >>> sqlite_path("sqlite:////var/lib/newsbot/state.db")
    '/var/lib/newsbot/state.db'
    >>> sqlite_path("sqlite:///:memory:")
    ':memory:'
    """
    if not uri.startswith("sqlite:///") or len(uri) == len("sqlite:///"):
        raise ValueError(
            f"NEWSBOT_STATE={uri!r} is not an SQLite URI: write sqlite:///relative/path.db,"
            " sqlite:////absolute/path.db or sqlite:///:memory:"
        )
    return uri[len("sqlite:///") :]


_LOOK_UP_SCALARS = (
    "SELECT (SELECT run FROM docs WHERE url = ?), (SELECT COALESCE(MAX(id), 0) FROM docs),"
    " (SELECT status FROM articles WHERE article_id = ?)"
)
"""What :meth:`SqliteState.look_up` reads in one row: the run of the URL's document, the index
mark, the status of the article id."""


@lru_cache(maxsize=8)
def _look_up_documents(bands: int) -> str:
    """The documents of a fingerprint (``near`` 0) and of ``bands`` LSH band keys (``near`` 1),
    each group in the order of indexing: :meth:`SqliteState.find_fingerprint` and
    :meth:`SqliteState.find_bands` in one statement."""
    same = "SELECT 0, id, url, run, NULL, NULL FROM docs WHERE fp = ?"
    if not bands:
        return same + " ORDER BY id"
    near = ("SELECT 1, id, url, run, sig, shingles.hashes FROM docs LEFT JOIN shingles ON shingles.doc = docs.id"
            f" WHERE id IN (SELECT doc FROM bands WHERE key IN ({','.join('?' * bands)}))")
    return f"{same} UNION ALL {near} ORDER BY 1, 2"


@lru_cache(maxsize=8)
def _insert_bands(bands: int) -> str:
    """The insert of a document's ``bands`` LSH band keys: parameter ``?1`` the document's id,
    then one key per band."""
    values = ", ".join(f"(?{n}, ?1)" for n in range(2, 2 + bands))
    return f"INSERT OR IGNORE INTO bands (key, doc) VALUES {values}"


@lru_cache(maxsize=64)
def _insert_candidates(rows: int) -> str:
    """The insert of ``rows`` candidate paragraphs of one site and title: parameters ``?1``
    (site), ``?2`` (title key), ``?3`` (time), then one paragraph key per row (at most 996:
    SQLite's oldest limit of bound parameters is 999)."""
    values = ", ".join(f"(?1, ?{n}, ?2, ?3)" for n in range(4, 4 + rows))
    return f"INSERT OR IGNORE INTO bp_candidates (site, para, title, seen) VALUES {values}"


class SqliteState:
    """:class:`~newsbot.state.base.StateStore` on an SQLite file (see module docstring).

    Raises :class:`~newsbot.state.base.StateError` when the file cannot be created, is not
    a database, or belongs to another namespace.
    """

    persistent: bool
    shared = False  # one crawl of a site per store at a time (newsbot.extensions.store_lock)

    def __init__(self, uri: str, namespace: str) -> None:
        self.uri = uri
        self.namespace = namespace
        path = sqlite_path(uri)
        self.persistent = path != ":memory:"
        try:
            if self.persistent:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                str(Path(path).expanduser()) if self.persistent else path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # autocommit; batches use explicit transactions
            )
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.persistent:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                self._db.execute("PRAGMA wal_autocheckpoint = 0")  # the checkpointer's job
            self._db.executescript(_SCHEMA)
            self._migrate()
            self._check_namespace()
            self._checkpointer = _Checkpointer(str(Path(path).expanduser())) if self.persistent else None
        except (sqlite3.Error, OSError) as exc:
            raise StateError(f"state store {uri} is unreadable: {exc}") from exc

    def _check_namespace(self) -> None:
        stored = self.get_meta("namespace")
        if stored is None:
            self.set_meta("namespace", self.namespace)
            self.set_meta("schema", SCHEMA_VERSION)
        elif stored != self.namespace:
            raise StateError(
                f"state store {self.uri} belongs to namespace {stored!r}, not {self.namespace!r}:"
                " give this project its own file with NEWSBOT_STATE=sqlite:///path/other.db"
            )

    def _migrate(self) -> None:
        """Add the columns of :data:`_VERSION_COLUMNS` a store made before lacks (in one
        transaction: two processes opening an old store at once add them once)."""
        if not self._missing_columns():
            return
        with self._transaction():
            for table, column, kind in self._missing_columns():
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            self._db.execute("UPDATE articles SET first_seen = updated WHERE first_seen IS NULL")

    def _missing_columns(self) -> list[tuple[str, str, str]]:
        missing = []
        for table, columns in _VERSION_COLUMNS.items():
            have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            missing += [(table, column, kind) for column, kind in columns if column not in have]
        return missing

    # --- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- seen articles -------------------------------------------------------------------------
    def article_statuses(self, article_ids: Sequence[str]) -> dict[str, str]:
        return dict(self._article_rows(article_ids, "status"))

    def article_versions(self, article_ids: Sequence[str]) -> dict[str, SeenArticle]:
        rows = self._article_rows(article_ids, "status, first_seen, revision, content")
        return {row[0]: SeenArticle(*row[1:]) for row in rows}

    def _article_rows(self, article_ids: Sequence[str], columns: str) -> list[tuple]:
        """``(article_id, *columns)`` rows of the articles recorded among ``article_ids``,
        asked 500 at a time (SQLite's limit of bound parameters)."""
        found: list[tuple] = []
        ids = list(dict.fromkeys(article_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found += self._db.execute(f"SELECT article_id, {columns} FROM articles WHERE article_id IN ({marks})", chunk)
        return found

    def record_articles(self, records: Sequence[Record]) -> None:
        now = time.time()
        with self._transaction():
            self._db.executemany(
                "INSERT INTO articles (article_id, status, updated, first_seen, revision, content)"
                " VALUES (?, ?, ?, ?, ?, ?)" + _UPSERT_ARTICLE,
                [(r[0], r[1], now, now, *record_version(r), ITEM, ITEM) for r in records],
            )

    def add_pending(self, key: str, records: Sequence[Record]) -> None:
        now = time.time()
        with self._transaction():
            self._db.executemany(
                "INSERT INTO pending (key, article_id, status, updated, revision, content) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key, article_id) DO UPDATE SET status = excluded.status, updated = excluded.updated,"
                " revision = COALESCE(excluded.revision, pending.revision), content = COALESCE(excluded.content, pending.content)"
                " WHERE pending.status != ? OR excluded.status = ?",
                [(key, r[0], r[1], now, *record_version(r), ITEM, ITEM) for r in records],
            )

    def commit_pending(self, key: str) -> tuple[int, int]:
        """Promotes and forgets ``key``'s records in one transaction (a killed process records
        all or nothing), and forgets the records of processes silent for :data:`PENDING_TTL`."""
        with self._transaction():
            total, items = self._db.execute(
                "SELECT COUNT(*), COALESCE(SUM(status = ?), 0) FROM pending WHERE key = ?", (ITEM, key)
            ).fetchone()
            now = time.time()
            self._db.execute(
                "INSERT INTO articles (article_id, status, updated, first_seen, revision, content)"
                " SELECT article_id, status, ?, ?, revision, content FROM pending"
                " WHERE key = ? ORDER BY article_id" + _UPSERT_ARTICLE,
                (now, now, key, ITEM, ITEM),
            )
            self._db.execute("DELETE FROM pending WHERE key = ?", (key,))
            self._forget_silent_pending()
        return int(items), int(total - items)

    def discard_pending(self, key: str) -> int:
        with self._transaction():
            count = self._db.execute("DELETE FROM pending WHERE key = ?", (key,)).rowcount
            self._forget_silent_pending()
        return count

    def _forget_silent_pending(self) -> None:
        self._db.execute(
            "DELETE FROM pending WHERE key IN (SELECT key FROM pending GROUP BY key HAVING MAX(updated) < ?)",
            (time.time() - PENDING_TTL,),
        )

    # --- dedupe index --------------------------------------------------------------------------
    def find_fingerprint(self, fingerprint: bytes) -> list[StoredDocument]:
        rows = self._db.execute("SELECT url, run FROM docs WHERE fp = ? ORDER BY id", (fingerprint,))
        return [StoredDocument(url, run) for url, run in rows]

    def find_bands(self, band_keys: Sequence[int]) -> list[StoredDocument]:
        if not band_keys:
            return []
        marks = ",".join("?" * len(band_keys))
        rows = self._db.execute(
            "SELECT url, run, sig, shingles.hashes FROM docs LEFT JOIN shingles ON shingles.doc = docs.id"
            f" WHERE id IN (SELECT doc FROM bands WHERE key IN ({marks})) ORDER BY id",
            list(band_keys),
        )
        return [StoredDocument(url, run, sig, hashes or b"") for url, run, sig, hashes in rows]

    def look_up(self, url: str, fingerprint: bytes, band_keys: Sequence[int], article_id: str | None = None,
                index: NewDocument | None = None) -> Lookup:
        found = self._look_up(url, fingerprint, band_keys, article_id)
        if index is None or index.blocked_by(found):
            return found
        # One process writes a SQLite store: nothing was indexed since the look-up. (The look-up
        # inside the insert's write transaction measured no faster: 0.63 to 0.95 ms an item
        # against 0.61 to 0.86, bench/dedupe.py's items on a 1M store.)
        self.add_document(url, index.run, index.site, fingerprint, index.signature, band_keys, index.shingles)
        return dataclasses.replace(found, indexed=True)

    def _look_up(self, url: str, fingerprint: bytes, band_keys: Sequence[int], article_id: str | None) -> Lookup:
        # Two statements where the five calls take five: each statement outside a transaction
        # is a read transaction of its own, and on a store of 1M documents their setting up cost
        # as much as their B-tree look-ups (bench/dedupe.py --steps).
        url_run, mark, status = self._db.execute(_LOOK_UP_SCALARS, (url, article_id)).fetchone()
        same: list[StoredDocument] = []
        near: list[StoredDocument] = []
        for near_row, _, url_, run, sig, hashes in self._db.execute(_look_up_documents(len(band_keys)),
                                                                 [fingerprint, *band_keys]):
            if near_row:
                near.append(StoredDocument(url_, run, sig, hashes or b""))
            else:
                same.append(StoredDocument(url_, run))
        return Lookup(url_run, status, int(mark), same, near)

    def index_mark(self) -> int:
        return int(self._db.execute("SELECT COALESCE(MAX(id), 0) FROM docs").fetchone()[0])

    def _indexed_since(self, mark: int, fingerprint: bytes, band_keys: Sequence[int]) -> bool:
        """Whether a document indexed after ``mark`` has this fingerprint or one of these band keys."""
        marks = ",".join("?" * len(band_keys))
        bands = f" OR id IN (SELECT doc FROM bands WHERE key IN ({marks}))" if band_keys else ""
        row = self._db.execute(f"SELECT 1 FROM docs WHERE id > ? AND (fp = ?{bands}) LIMIT 1",
                               [mark, fingerprint, *band_keys]).fetchone()
        return row is not None

    def add_document(
        self, url: str, run: str, site: str, fingerprint: bytes, signature: bytes, band_keys: Sequence[int],
        shingles: bytes = b"", since: int | None = None,
    ) -> bool:
        insert = "INSERT INTO docs (url, run, site, fp, sig, created) VALUES (?, ?, ?, ?, ?, ?)"
        values = (url, run, site, fingerprint, signature, time.time())
        with self._transaction():
            if since is not None and self._indexed_since(since, fingerprint, band_keys):
                return False
            # A new URL (nearly always) in one statement; one kept again replaces its document.
            cursor = self._db.execute(insert + " ON CONFLICT (url) DO NOTHING", values)
            if not cursor.rowcount:
                (old,) = self._db.execute("SELECT id FROM docs WHERE url = ?", (url,)).fetchone()
                self._db.execute("DELETE FROM bands WHERE doc = ?", (old,))
                self._db.execute("DELETE FROM shingles WHERE doc = ?", (old,))
                self._db.execute("DELETE FROM docs WHERE id = ?", (old,))
                cursor = self._db.execute(insert, values)
            doc = cursor.lastrowid
            if band_keys:  # one statement of all the bands (the document's id bound once), not executemany's one each
                self._db.execute(_insert_bands(len(band_keys)), [doc, *band_keys])
            if shingles:
                self._db.execute("INSERT OR REPLACE INTO shingles (doc, hashes) VALUES (?, ?)", (doc, shingles))
            # only the documents indexed last keep theirs (ids grow: a range delete on the key)
            self._db.execute("DELETE FROM shingles WHERE doc <= ?", (doc - RECENT_SHINGLES,))
        return True

    def document_run(self, url: str) -> str | None:
        row = self._db.execute("SELECT run FROM docs WHERE url = ?", (url,)).fetchone()
        return row[0] if row else None

    def document_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    # --- learned boilerplate ------------------------------------------------------------------
    def learned_paragraphs(self, site: str) -> dict[bytes, str]:
        return dict(self._db.execute("SELECT para, text FROM bp_learned WHERE site = ?", (site,)).fetchall())

    def learned_count(self, site: str) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM bp_learned WHERE site = ?", (site,)).fetchone()[0])

    def count_titles(self, site: str, paragraph_keys: Sequence[bytes], title_key: bytes) -> tuple[dict[bytes, int], int]:
        keys = list(dict.fromkeys(paragraph_keys))
        if not keys:
            return {}, self.learned_count(site)
        now = time.time()
        with self._transaction():
            counts: dict[bytes, int] = {}
            for start in range(0, len(keys), 500):  # one insert and one query per 500 paragraphs, not one each
                chunk = keys[start : start + 500]
                # One statement of many rows (site, title and time bound once), not executemany's
                # statement run per row: about a fifth of the cost of counting an article's paragraphs.
                self._db.execute(_insert_candidates(len(chunk)), [site, title_key, now, *chunk])
                marks = ",".join("?" * len(chunk))
                counts.update(self._db.execute(
                    f"SELECT para, COUNT(*) FROM bp_candidates WHERE site = ? AND para IN ({marks}) GROUP BY para",
                    [site, *chunk],
                ).fetchall())
        return {key: int(counts.get(key, 0)) for key in keys}, self.learned_count(site)

    def learn_paragraph(self, site: str, paragraph_key: bytes, text: str) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO bp_learned (site, para, text, learned) VALUES (?, ?, ?, ?)",
                (site, paragraph_key, text, time.time()),
            )
            self._db.execute("DELETE FROM bp_candidates WHERE site = ? AND para = ?", (site, paragraph_key))

    def add_site_items(self, site: str, count: int) -> int:
        name = f"bp_items:{site}"
        with self._transaction():
            self._db.execute(
                "INSERT INTO counters (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
                (name, count),
            )
            return int(self._db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])

    def forget_candidates(self, older_than: float) -> int:
        with self._transaction():
            return self._db.execute("DELETE FROM bp_candidates WHERE seen < ?", (older_than,)).rowcount

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # leave a small WAL behind
            except sqlite3.Error:
                pass  # another process holds the file: its own checkpointer or close does it
        self._db.close()

    # --- helpers -------------------------------------------------------------------------------------
    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on error): one write lock per batch."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")



class _Checkpointer:
    """A daemon thread with its own connection that checkpoints the WAL of ``path`` every
    :data:`CHECKPOINT_EVERY_S` seconds (``PASSIVE``: it never waits for, nor blocks, the
    crawl's readers and writers; what a busy moment leaves is taken next time)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsbot-sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        db = sqlite3.connect(self._path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            while not self._stopping.wait(CHECKPOINT_EVERY_S):
                try:
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error:
                    pass  # locked or busy now: the next round checkpoints what is left
        finally:
            db.close()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
