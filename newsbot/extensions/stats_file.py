"""Write the crawl's final stats to a JSON file (for cron jobs, Scrapyd jobs and tests)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StatsFileExtension:
    """``NEWSBOT_STATS_FILE=path``: at spider close, the stats as one JSON object
    (datetimes as ISO 8601 strings, plus ``finish_reason``). Disabled when unset; a path
    that cannot be written stops the crawl before it starts (:mod:`newsbot.config`)."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFileExtension:
        path = crawler.settings.get("NEWSBOT_STATS_FILE")
        if not path:
            raise NotConfigured  # off by default: no message, or Scrapy logs a WARNING on every run
        extension = cls(crawler, Path(path))
        # spider_closed handlers run before the stats collector closes, so connect late
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats: dict[str, Any] = dict(self.crawler.stats.get_stats())
        stats.setdefault("finish_reason", reason)
        try:  # checked writable at start (newsbot.config); the disk may still fill up
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(stats, default=_jsonable, indent=1, sort_keys=True), encoding="utf-8")
        except OSError as exc:
            logger.error("NEWSBOT_STATS_FILE=%s: the final stats could not be written (%s)", self.path, exc)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)
