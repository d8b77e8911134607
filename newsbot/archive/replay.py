"""``NEWSBOT_REPLAY=ARCHIVE``: a crawl answered from a WARC archive, never from the network.

Set by ``scrapy reextract ARCHIVE`` (:mod:`newsbot.commands.reextract`). The add-on step
:func:`configure_replay` then makes the crawl a re-extraction:

* :class:`ReplayDownloadHandler` answers every http/https request with the archived response
  of its URL (its first capture, :meth:`~newsbot.archive.reader.ArchiveScan.first_captures`; headers and body as stored, so the compression, charset
  and redirect middlewares read it as they read it at crawl time), and sets the record's
  WARC-Record-ID and WARC-Date in the request meta (the item's ``warc_record_id`` and
  ``crawled_at``, :func:`newsbot.archive.provenance`). A URL not in the archive fails with one
  WARNING, ``No page from URL: not_archived (...)``, and ``newsbot/rejected/not_archived``;
* :class:`ReplayStartMiddleware` replaces the spider's start (home pages, feeds) with the
  archived aggregator article pages of the spider's site that answered 200 (of the editions
  given with ``-a editions``, all by default);
* the state store is a fresh one in memory (``sqlite:///:memory:``: every archived article is
  written again, nothing of the live state is read or changed), re-visits,
  robots.txt, the browser, AutoThrottle and archiving are off.

So the records are those a first crawl of the archived pages gives with the current
extractors and pipelines.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.python import global_object_name

from newsbot.archive.meta import META_RECORD_DATE, META_RECORD_ID
from newsbot.archive.reader import ArchiveError, ArchiveIndex, archive_files, load_response, scan_archive
from newsbot.config import SettingError
from newsbot.family.urls import PageKind
from newsbot.middlewares.lost import count_lost

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

NOT_ARCHIVED = "not_archived"


class NotArchived(IgnoreRequest):
    """A request whose URL the archive does not hold (logged and counted once, where raised)."""


def replay_setting(settings: BaseSettings) -> Path | None:
    """``NEWSBOT_REPLAY`` as an absolute path, or None for a normal crawl."""
    raw = settings.get("NEWSBOT_REPLAY")
    if raw is None or str(raw).strip() == "":
        return None
    return Path(str(raw)).expanduser().resolve()


def configure_replay(settings: BaseSettings) -> None:
    """Add-on step: with ``NEWSBOT_REPLAY`` set, the settings of a re-extraction (module
    docstring); unset, nothing. Run it before the steps that read what it sets (rendering,
    mirror, state).

    Raises :class:`~newsbot.config.SettingError` for an archive that is missing or holds no
    WARC file, or when ``NEWSBOT_MIRROR`` or ``NEWSBOT_CLUSTER`` is set too.
    """
    path = replay_setting(settings)
    if path is None:
        return
    raw = settings.get("NEWSBOT_REPLAY")
    try:
        archive_files(path)
    except ArchiveError as error:
        raise SettingError(f"NEWSBOT_REPLAY={raw!r}: {error}; give a .warc.gz file or a directory of them,"
                           " e.g. scrapy reextract archive/maghress -O again.jsonl") from None
    for other in ("NEWSBOT_MIRROR", "NEWSBOT_CLUSTER"):
        if settings.get(other):
            raise SettingError(f"NEWSBOT_REPLAY answers every request from the archive: leave {other} unset"
                               f" (-s {other}= ) when re-extracting")
    # What a re-extraction always runs with, over the user's values (module docstring).
    _force(settings, "NEWSBOT_REPLAY", str(path))
    _force(settings, "NEWSBOT_STATE", "sqlite:///:memory:")  # fresh: every archived article is written again
    _force(settings, "NEWSBOT_REVISIT_DAYS", 0)
    _force(settings, "NEWSBOT_ARCHIVE", None)  # the archive is read, not written
    _force(settings, "NEWSBOT_RENDER_ENABLED", False)  # the archive holds HTTP answers, not a browser's
    _force(settings, "ROBOTSTXT_OBEY", False)  # the archived pages were allowed when they were crawled
    _force(settings, "AUTOTHROTTLE_ENABLED", False)
    _force(settings, "DOWNLOAD_DELAY", 0)
    addon = SETTINGS_PRIORITIES["addon"]
    handlers = settings["DOWNLOAD_HANDLERS"]
    for scheme in ("http", "https"):
        handlers.set(scheme, global_object_name(ReplayDownloadHandler),
                     priority=max(handlers.getpriority(scheme) or 0, addon))


def _force(settings: BaseSettings, name: str, value: object) -> None:
    """Set ``name`` to ``value`` at no lower priority than its current one (over ``-s``)."""
    settings.set(name, value, priority=max(settings.getpriority(name) or 0, SETTINGS_PRIORITIES["addon"]))


class _Indexes:
    """One scan of the archive per crawl, shared by the handlers and the start middleware."""

    def __init__(self) -> None:
        self._indexes: weakref.WeakKeyDictionary[Crawler, ArchiveIndex] = weakref.WeakKeyDictionary()

    def get(self, crawler: Crawler) -> ArchiveIndex:
        index = self._indexes.get(crawler)
        if index is None:
            path = replay_setting(crawler.settings)
            if path is None:
                raise NotConfigured  # off by default: no message, or Scrapy logs a WARNING on every crawl
            scan = scan_archive(path)
            for file, extra in scan.cut_files.items():
                logger.warning("%s ends inside a record (%d bytes after its last whole record: a crawl stopped"
                               " while writing it); its whole records are read", file, extra)
            index = self._indexes[crawler] = ArchiveIndex(scan)
            logger.info("Answering every request from the archive %s: %d WARC files, %d responses of %d URLs",
                        path, len(scan.files), len(scan.responses), len(index.by_url))
        return index


replay_index = _Indexes().get


class ReplayDownloadHandler(BaseDownloadHandler):
    """Download handler (http and https) answering from ``NEWSBOT_REPLAY`` (module docstring)."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.index = replay_index(crawler)

    async def download_request(self, request: Request) -> Response:
        entry = self.index.find(request.url)
        if entry is None:
            count_lost(self.crawler.stats, NOT_ARCHIVED)
            logger.warning("No page from %s: %s (the archive holds no response of this URL; nothing is"
                           " fetched from the network)", request.url, NOT_ARCHIVED)
            raise NotArchived(f"{NOT_ARCHIVED}: {request.url}")
        stored = load_response(entry)
        headers = Headers()
        for name, value in stored.headers:
            headers.appendlist(name, value)
        request.meta[META_RECORD_ID] = entry.record_id
        request.meta[META_RECORD_DATE] = entry.date
        cls = responsetypes.from_args(headers=headers, url=request.url, body=stored.body)
        return cls(url=request.url, status=stored.status, headers=headers, body=stored.body, protocol=stored.protocol)


class ReplayStartMiddleware(BaseSpiderMiddleware):
    """Spider middleware: the archived article pages of the spider's site, in archive order,
    instead of the spider's own start requests (``NEWSBOT_REPLAY`` only). Stat
    ``newsbot/replay/article_pages``."""

    def __init__(self, crawler: Crawler) -> None:
        if replay_setting(crawler.settings) is None:
            raise NotConfigured  # off by default: no message, or Scrapy logs a WARNING on every crawl
        super().__init__(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        site = getattr(spider, "site", None)
        editions = getattr(getattr(spider, "arguments", None), "editions", None)
        count = 0
        for entry in replay_index(self.crawler):
            where = site.classify(entry.url) if site is not None else None
            if (where is None or where.kind != PageKind.ARTICLE or not 200 <= entry.status < 300
                    or (editions and where.edition not in editions)):
                continue
            count += 1
            yield Request(entry.url, meta=where.meta())
        self.crawler.stats.set_value("newsbot/replay/article_pages", count)
        logger.info("Re-extracting %d archived article pages of %s", count, getattr(site, "name", "?"))
