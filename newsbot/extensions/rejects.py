"""Every rejection counted, and listed in the rejects feed when asked.

* Every dropped item (any pipeline) is counted as ``newsbot/dropped/<reason>``.
* ``NEWSBOT_REJECTS_FEED=PATH``: one JSON Lines record per dropped item (but re-visits
  dropped as ``unchanged``: :data:`UNLISTED`),
  ``{"url", "reason", "duplicate_of"?, "similarity"?}``, and per article page the spider
  rejected (``missing_title``, ``not_article``, ``out_of_range``: no item was made, so
  there is no ``duplicate_of``). ``PATH`` may use ``%(name)s`` (spider) and ``%(time)s``
  (start time) as feed URIs do; records are appended (a fixed path collects every run) and
  each line is flushed as it is written. Pages that failed to download (HTTP errors,
  timeouts, over the size limit) are counted in ``newsbot/rejected/<reason>``
  (:mod:`newsbot.middlewares.lost`) but not listed: they are retried by the next run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals

from newsbot.fingerprint import canonical_request_url
from newsbot.pipelines.drops import DROP_STAT, drop_reason, reject_record
from newsbot.signals import page_rejected

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

UNLISTED = ("unchanged",)
"""Drop reasons counted but not listed in the rejects feed: a re-visit that found the text
already written rejects nothing (newsbot.pipelines.revision)."""


def rejects_path(template: str, spider: str, start: dt.datetime) -> Path:
    """The rejects feed path for a run.

    >>> rejects_path("rejects/%(name)s-%(time)s.jsonl", "maghress", dt.datetime(2026, 11, 29, 8, 5, 1))
    PosixPath('rejects/maghress-2026-11-29T08-05-01.jsonl')
    """
    return Path(template % {"name": spider, "time": start.strftime("%Y-%m-%dT%H-%M-%S")}).expanduser()


class RejectsExtension:
    """Counts dropped items and writes ``NEWSBOT_REJECTS_FEED`` (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.template = crawler.settings.get("NEWSBOT_REJECTS_FEED") or None
        self.path: Path | None = None
        self._file: IO[str] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RejectsExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        if extension.template:
            crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
            crawler.signals.connect(extension.page_rejected, signal=page_rejected)
            crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        assert self.template is not None
        self.path = rejects_path(self.template, spider.name, dt.datetime.now())
        try:  # its directory was checked writable at start (newsbot.config); placeholders were not
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("a", encoding="utf-8", buffering=1)  # line-buffered
        except OSError as exc:
            logger.error("NEWSBOT_REJECTS_FEED=%s cannot be written (%s): rejects are counted, not listed", self.path, exc)
            return
        logger.info("Rejected items and pages are listed in %s", self.path)

    def item_dropped(self, item: Any, response: Response | None, exception: BaseException, spider: Spider) -> None:
        reason = drop_reason(exception)
        self.crawler.stats.inc_value(DROP_STAT.format(reason=reason))
        if self._file is not None and reason not in UNLISTED:
            self._write(reject_record(ItemAdapter(item).get("url"), exception))

    def page_rejected(self, response: Response, reason: str, detail: str, spider: Spider) -> None:
        if self._file is not None:
            self._write({"url": canonical_request_url(response.url), "reason": reason})

    def spider_closed(self, spider: Spider) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write(self, record: dict[str, Any]) -> None:
        assert self._file is not None
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
