"""Local feed files whose write errors fail the feed once, in one line (``FEED_STORAGES``).

With Scrapy's ``FileFeedStorage`` a feed that cannot be written (``-O /dev/full``, a full
disk, a lost mount) raises at every item: one ERROR with a traceback per item from the
``item_scraped`` handler, then one more when the feed is stored, and the crawl still exits
0. :class:`CheckedFileFeedStorage` keeps the first write error, writes nothing more to that
file (a feed with a hole would look complete), and fails the feed when it is stored: Scrapy
then logs its one ``Error storing ... feed (N items) in: PATH`` line, completed here with the
cause and without the traceback, counts ``feedexport/failed_count/CheckedFileFeedStorage``
(so the run's articles are not recorded as seen), and this storage counts
``newsbot/feed/store_failed``, which makes ``scrapy crawl`` exit 1
(:mod:`newsbot.commands.crawl`).

A JSON Lines feed that is appended to (``-o``, or ``FEEDS`` without ``overwrite``) and ends
with a line cut by a killed run is repaired when it is opened (:func:`newsbot.feeds.repair_feed`):
the cut line is removed, with one WARNING naming the file, and counted in
``newsbot/feed/repaired``; that article was not recorded as done, so it is fetched again.
:meth:`CheckedFileFeedStorage.sync` flushes what was written so far to the disk, so that the
seen-articles extension can record those articles as done while the crawl runs.
"""

from __future__ import annotations

import io
import logging
import os
import stat
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.exporters import JsonLinesItemExporter
from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.utils.misc import load_object

from newsbot.feeds import repair_feed

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

STORE_FAILED = "newsbot/feed/store_failed"
"""Stat: feeds of this crawl that could not be written (any of them makes the exit status 1)."""
REPAIRED = "newsbot/feed/repaired"
"""Stat: appended feeds whose cut last line was removed when they were opened."""

logger = logging.getLogger(__name__)


class FeedWriteError(OSError):
    """A feed file could not be written; the message names the file and the cause."""


class _CheckedFileIO(io.FileIO):
    """A file whose first write error is kept in ``error``; later writes are skipped."""

    error: OSError | None = None

    def write(self, data: Any) -> int:
        size = len(memoryview(data))
        if self.error is None:
            try:
                written = super().write(data)
            except OSError as exc:
                self.error = exc
            else:
                if written is not None and written < size:  # a short write: write the rest
                    return written
        return size


class CheckedFileFeedStorage(FileFeedStorage):
    """``FileFeedStorage`` that reports a feed it could not write once (module docstring)."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Crawler | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.lines = _writes_lines(crawler, (feed_options or {}).get("format"))
        self._raw: _CheckedFileIO | None = None
        self._file: io.BufferedWriter | None = None
        self._regular = False

    @property
    def appends_lines(self) -> bool:
        """True for a JSON Lines feed appended to the file (the records of earlier runs stay)."""
        return self.lines and "a" in self.write_mode

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None) -> CheckedFileFeedStorage:
        _install_log_filter()
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        if self.appends_lines:
            self._repair()
        super().open(spider).close()  # creates the parent directories and the file, as Scrapy does
        self._raw = _CheckedFileIO(self.path, self.write_mode.replace("b", ""))
        self._file = io.BufferedWriter(self._raw)
        self._regular = stat.S_ISREG(os.fstat(self._raw.fileno()).st_mode)  # /dev/null: nothing to sync
        return self._file

    def _repair(self) -> None:
        try:
            cut = repair_feed(Path(self.path))
        except OSError as exc:  # the write that follows fails the feed in one line
            logger.warning("Could not check the last line of the feed %s: %s", self.path, exc)
            return
        if cut:
            if self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.inc_value(REPAIRED)
            logger.warning(
                "Feed %s ended with a line cut by a stopped crawl (%d bytes): removed, so every line is"
                " valid JSON; its article was not recorded as done and is fetched again", self.path, cut,
            )

    def sync(self) -> bool:
        """Flush what was written so far to the file and the disk (``fsync``); False when the
        feed had a write error (nothing written since counts as stored)."""
        if self._file is None or self._raw is None:
            return True
        if self._raw.error is None and not self._file.closed:
            try:
                self._file.flush()
                if self._regular:
                    os.fsync(self._raw.fileno())
            except OSError as exc:
                self._raw.error = self._raw.error or exc
        return self._raw.error is None

    def store(self, file: IO[bytes]) -> None:
        try:
            file.close()  # flushes: a last write error lands in the raw file's error
        except OSError as exc:
            error: OSError | None = exc
        else:
            error = self._raw.error if self._raw is not None else None
        if error is not None:
            if self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.inc_value(STORE_FAILED)
            cause = error.strerror or str(error)
            raise FeedWriteError(f"cannot write {self.path}: {cause}; the feed of this run is incomplete")


def _writes_lines(crawler: Crawler | None, format_: str | None) -> bool:
    """True when the feed format's exporter writes JSON Lines (``jsonlines``, ``jsonl``, or a
    ``FEED_EXPORTERS`` class of the same kind)."""
    if crawler is None or not format_:
        return format_ in ("jsonlines", "jsonl")
    path = crawler.settings.getwithbase("FEED_EXPORTERS").get(format_)
    try:
        exporter = load_object(path) if isinstance(path, str) else path
    except (ImportError, NameError, ValueError):
        return False
    return isinstance(exporter, type) and issubclass(exporter, JsonLinesItemExporter)


class _OneLine(logging.Filter):
    """Puts the cause of a :class:`FeedWriteError` at the end of Scrapy's ``Error storing``
    line instead of a traceback under it."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, FeedWriteError):
            record.msg = f"{record.msg}: {exc}"
            record.exc_info = None
            record.exc_text = None
        return True


_FILTER = _OneLine()


def _install_log_filter() -> None:
    logging.getLogger("scrapy.extensions.feedexport").addFilter(_FILTER)  # once: a filter is added only once
