"""The cluster's request dupefilter: scrapy-redis's Redis set, newsbot's fingerprints.

scrapy-redis 0.9.1's ``RFPDupeFilter`` hashes its own JSON of method, URL and body and
ignores ``REQUEST_FINGERPRINTER_CLASS``, so ``http://maghress.com/x/1/`` and
``https://www.maghress.com/x/1`` would be two pages for the cluster while one for a
single crawl. This subclass asks ``crawler.request_fingerprinter`` (newsbot's
:class:`~newsbot.fingerprint.CanonicalRequestFingerprinter`) and stores its raw 20-byte
digests, half the memory of scrapy-redis's 40-character hex strings. It never deletes
the shared set when one worker closes (scrapy-redis's ``close()`` does): the end of a
crawl is decided in :mod:`newsbot.cluster.crawl`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy_redis.dupefilter import RFPDupeFilter

from newsbot.cluster.crawl import ClusterCrawl

if TYPE_CHECKING:
    import redis
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from scrapy.utils.request import RequestFingerprinterProtocol


class ClusterDupeFilter(RFPDupeFilter):
    """``DUPEFILTER_CLASS`` in cluster mode (set by the add-on). Stat: ``dupefilter/filtered``."""

    def __init__(
        self,
        server: redis.Redis,
        key: str,
        debug: bool = False,
        *,
        fingerprinter: RequestFingerprinterProtocol,
        stats: StatsCollector | None = None,
    ) -> None:
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterDupeFilter:
        cluster = ClusterCrawl.of(crawler)
        return cls(
            cluster.server,
            cluster.keys.dupefilter,
            crawler.settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=crawler.request_fingerprinter,
            stats=crawler.stats,
        )

    @classmethod
    def from_spider(cls, spider: Spider) -> ClusterDupeFilter:
        return cls.from_crawler(spider.crawler)

    def request_fingerprint(self, request: Request) -> bytes:  # type: ignore[override]
        """newsbot's fingerprint of ``request`` (20 bytes, canonical URL)."""
        return self.fingerprinter.fingerprint(request)

    def log(self, request: Request, spider: Spider) -> None:
        super().log(request, spider)
        if self.stats is not None:
            self.stats.inc_value("dupefilter/filtered")

    def close(self, reason: str = "") -> None:
        """Keep the shared set: other workers still use it (see module docstring)."""
