"""One crawl of a spider at a time on one SQLite state store.

Two crawls of the same spider on the same store would both keep the same articles: a
document indexed under its own URL by another run counts as re-kept after a killed run (the
dedupe pipeline must let those out again), and the pending records of a run become "seen"
only once its feed is stored. So the second crawl is refused before it starts, with one
ERROR line naming the crawl that holds the store, and ``scrapy crawl`` exits 1.

The lock is an exclusive ``flock`` on ``<state file>.<spider>.lock`` beside the store (its
text: the holder's pid and start time, for the message), removed when the crawl ends. The
kernel releases the lock when its process ends, however it ends: a killed crawl never blocks
the next one (it only leaves the file behind). Crawls of other
spiders share the store freely (they deduplicate against each other through it), and so do
cluster workers, whose state is in Redis. Where ``fcntl`` is missing (Windows) nothing is
locked.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from newsbot.state.sqlite import sqlite_path

__all__ = ["CrawlLock", "StoreBusy", "lock_path"]


class StoreBusy(ValueError):
    """Another crawl of the spider holds the state store; the message says which and what to do."""


def lock_path(uri: str, spider: str) -> Path | None:
    """The lock file of ``spider`` on the SQLite store ``uri``; None when nothing is locked
    (``:memory:``, or a store that is not SQLite).

    >>> str(lock_path("sqlite:///.newsbot/state.db", "maghress"))
    '.newsbot/state.db.maghress.lock'
    >>> lock_path("sqlite:///:memory:", "maghress") is None, lock_path("redis://r:6379/0", "maghress") is None
    (True, True)
    """
    if not uri.startswith("sqlite:"):
        return None
    path = sqlite_path(uri)
    if path == ":memory:":
        return None
    file = Path(path).expanduser()
    return file.with_name(f"{file.name}.{spider}.lock")


class CrawlLock:
    """The held lock of one crawl; :meth:`release` (or the end of the process) frees it."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path = path
        self._handle: IO[str] | None = handle

    @classmethod
    def take(cls, uri: str, spider: str) -> CrawlLock | None:
        """Lock the store ``uri`` for ``spider``; None when there is nothing to lock.

        Raises :class:`StoreBusy` when another crawl of ``spider`` holds it.
        """
        path = lock_path(uri, spider)
        if path is None or fcntl is None:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            handle = path.open("a+", encoding="utf-8")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                handle.close()
                raise StoreBusy(
                    f"another crawl of {spider} ({holder}) is using the state store {sqlite_path(uri)}:"
                    f" wait until it ends, or give this crawl a store of its own (-s NEWSBOT_STATE=sqlite:///other.db)"
                ) from None
            if _same_file(handle, path):
                break
            handle.close()  # the holder removed the file as we opened it: lock the new one
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {dt.datetime.now().astimezone():%Y-%m-%d %H:%M:%S %z}")
        handle.flush()
        return cls(path, handle)

    def release(self) -> None:
        """Remove the lock file and free the lock (a crawl that opened the old file meanwhile
        sees it is gone and locks a new one)."""
        if self._handle is not None:
            self.path.unlink(missing_ok=True)
            self._handle.close()  # closing the file releases the flock
            self._handle = None


def _same_file(handle: IO[str], path: Path) -> bool:
    """Whether ``handle`` is still the file at ``path`` (not removed nor replaced)."""
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False
