"""Scrapy's duplicate request filter with a bounded memory: old fingerprints wait on disk.

The base of newsbot's ``DUPEFILTER_CLASS``, :class:`newsbot.jobdir.RunDupeFilter` (set by the
add-on; cluster mode sets its own). Scrapy's ``RFPDupeFilter`` keeps
the 20-byte fingerprint of every request of the crawl in a Python set, about 90 bytes each: a
backfill of 1,200,000 article ids holds over 100 MiB for it by its end. :class:`SpillingDupeFilter`
is that filter with the same answers, the same ``DUPEFILTER_DEBUG`` log and the same
``JOBDIR`` file when given a path (``requests.seen``; :class:`~newsbot.jobdir.RunDupeFilter`
gives none, see :mod:`newsbot.jobdir` for why), but its set is a :class:`FingerprintSet`: the
``NEWSBOT_DUPEFILTER_MEMORY`` most recent fingerprints in memory, the older ones in a private
temporary SQLite database (a file of the system's temporary directory that SQLite deletes when
the filter closes, with a 1 MiB page cache). A crawl of fewer requests never opens it; one that
used it says so in one INFO line at its end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING

from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.job import job_dir

from newsbot.config import int_setting

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.utils.request import RequestFingerprinterProtocol


CACHE_KIB = 1024
"""Page cache of the spill database: its B-tree is read at random, so a bigger cache buys little."""


class FingerprintSet:
    """A set of ``bytes`` with ``in``, ``add``, ``update`` and ``len``, at most ``memory`` of
    them in a Python set; when that is full, they move to the spill database in one transaction.

    >>> fps = FingerprintSet(memory=2)
    >>> fps.update([b"a", b"b", b"c"])
    >>> b"a" in fps, b"c" in fps, b"d" in fps, len(fps), fps.spilled
    (True, True, False, 3, 2)
    >>> fps.add(b"a"); len(fps)
    3
    >>> fps.close()
    """

    def __init__(self, memory: int) -> None:
        if memory < 1:
            raise ValueError(f"memory={memory!r}: hold at least one fingerprint in memory")
        self.memory = memory
        self.spilled = 0
        """Fingerprints in the spill database."""
        self._recent: set[bytes] = set()
        self._db: sqlite3.Connection | None = None

    def __contains__(self, fingerprint: object) -> bool:
        if fingerprint in self._recent:
            return True
        if self._db is None:
            return False
        return self._db.execute("SELECT 1 FROM seen WHERE fp = ?", (fingerprint,)).fetchone() is not None

    def add(self, fingerprint: bytes) -> None:
        """Add one fingerprint (``len`` counts it once if it was already there)."""
        if fingerprint in self._recent or (self._db is not None and fingerprint in self):
            return
        self._recent.add(fingerprint)
        if len(self._recent) >= self.memory:
            self._spill()

    def update(self, fingerprints: Iterable[bytes]) -> None:
        for fingerprint in fingerprints:
            self.add(fingerprint)

    def __len__(self) -> int:
        return self.spilled + len(self._recent)

    def _spill(self) -> None:
        if self._db is None:
            # "": a private temporary database on disk, deleted when closed (SQLite's own rule).
            self._db = sqlite3.connect("", isolation_level=None)
            self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self._db.execute("PRAGMA journal_mode = OFF")  # nothing to roll back to: it dies with the crawl
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.execute("CREATE TABLE seen (fp BLOB PRIMARY KEY) WITHOUT ROWID")
        self._db.execute("BEGIN")
        # Sorted: the B-tree is appended to in key order, a page at a time.
        self._db.executemany("INSERT OR IGNORE INTO seen (fp) VALUES (?)", ((fp,) for fp in sorted(self._recent)))
        self._db.execute("COMMIT")
        self.spilled += len(self._recent)
        self._recent = set()  # a new set: a cleared one keeps its table of ``memory`` slots

    def close(self) -> None:
        """Drop everything (the spill database's file is deleted)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        self._recent = set()
        self.spilled = 0


class SpillingDupeFilter(RFPDupeFilter):
    """``RFPDupeFilter`` whose fingerprints are a :class:`FingerprintSet` (module docstring).

    ``memory``: fingerprints held in memory (``NEWSBOT_DUPEFILTER_MEMORY``).
    """

    def __init__(
        self,
        path: str | None = None,
        debug: bool = False,
        *,
        fingerprinter: RequestFingerprinterProtocol | None = None,
        memory: int = 10_000,
    ) -> None:
        super().__init__(path, debug, fingerprinter=fingerprinter)
        # Scrapy's request_seen() asks ``in`` and calls ``add`` on this attribute, and writes
        # requests.seen itself: only the set is swapped (Scrapy is pinned in requirements.txt,
        # tests/test_dupefilter.py checks the attribute is still there).
        loaded = self._fingerprints
        self._fingerprints = FingerprintSet(memory)  # type: ignore[assignment]
        self._fingerprints.update(loaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SpillingDupeFilter:
        settings = crawler.settings
        return cls(
            job_dir(settings),
            settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=crawler.request_fingerprinter,
            memory=int_setting(settings, "NEWSBOT_DUPEFILTER_MEMORY"),
        )

    def close(self, reason: str) -> None:
        super().close(reason)
        fingerprints: FingerprintSet = self._fingerprints  # type: ignore[assignment]
        if fingerprints.spilled:
            self.logger.info("Duplicate filter: %d request fingerprints, %d of them were kept on disk",
                             len(fingerprints), fingerprints.spilled)
        fingerprints.close()
