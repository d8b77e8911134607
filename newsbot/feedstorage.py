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
"""

from __future__ import annotations

import io
import logging
from typing import IO, TYPE_CHECKING, Any

from scrapy.extensions.feedexport import FileFeedStorage

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

STORE_FAILED = "newsbot/feed/store_failed"
"""Stat: feeds of this crawl that could not be written (any of them makes the exit status 1)."""


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
        self._raw: _CheckedFileIO | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None) -> CheckedFileFeedStorage:
        _install_log_filter()
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        super().open(spider).close()  # creates the parent directories and the file, as Scrapy does
        self._raw = _CheckedFileIO(self.path, self.write_mode.replace("b", ""))
        return io.BufferedWriter(self._raw)

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
