"""The cluster worker extension: heartbeats, and closing once the whole crawl is complete.

scrapy-redis closes idle workers only in its ``RedisSpider`` (``MAX_IDLE_TIME_BEFORE_CLOSE``
in ``RedisMixin.spider_idle``), after that many seconds of idleness, which newsbot's spiders
are not. Here a worker closes, with finish reason ``finished``, as soon as the whole crawl is
complete: the shared queue empty, no request in flight and every live worker idle since it last
took a request (one script in Redis, :meth:`~newsbot.cluster.crawl.ClusterCrawl.settle`, asked
whenever Scrapy finds the worker idle, and every 0.02 to 0.2 s by an idle worker's scheduler). A worker
queues the links of its pages before it counts as idle, so nobody can add work any more: the
workers leave within a fraction of a second of the crawl's last page, where waiting for
``MAX_IDLE_TIME_BEFORE_CLOSE`` (30 s by default) made a short crawl look slower with more
workers. ``MAX_IDLE_TIME_BEFORE_CLOSE=0`` keeps workers running, waiting for work; any other
value only bounds the wait when the queue is empty and every worker idle while requests are
still recorded in flight (a warning). When Redis stops answering, the heartbeats report it to
the worker's :class:`~newsbot.cluster.outage.RedisOutage`, which stops the worker (finish reason
``cluster_unavailable``) once the outage outlasts ``NEWSBOT_CLUSTER_WORKER_TIMEOUT``."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from twisted.internet import task

from newsbot.cluster.config import max_idle_seconds
from newsbot.cluster.crawl import HEARTBEAT_INTERVAL, SEED_UNFINISHED, ClusterCrawl, cluster_component
from newsbot.cluster.outage import REDIS_ERRORS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ClusterWorkerExtension:
    """Registers the worker in the crawl, beats every 2 s, closes it when the crawl is complete.

    Stats: ``newsbot/cluster/workers_max`` (most live workers seen at once),
    ``newsbot/cluster/requeued`` (requests of dead workers this worker put back in the queue).
    """

    def __init__(self, crawler: Crawler, cluster: ClusterCrawl, max_idle: int) -> None:
        self.crawler = crawler
        self.cluster = cluster
        self.max_idle = max_idle
        self.started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._loop = task.LoopingCall(self._beat_safely)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterWorkerExtension:
        cluster = cluster_component(crawler)
        extension = cls(crawler, cluster, max_idle_seconds(crawler.settings))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        try:
            live = self._beat()
        except REDIS_ERRORS as exc:  # went down since the check at start: the outage decides
            self.cluster.outage.failed(exc)
            live = {}
        logger.info(
            "Cluster worker %s joined crawl %r (%d live worker(s), %s request(s) queued, close %s)",
            self.cluster.worker_id, self.cluster.keys.crawl, len(live), self._queued(),
            "when the crawl is complete" if self.max_idle else "never: MAX_IDLE_TIME_BEFORE_CLOSE=0",
        )
        self._loop.start(HEARTBEAT_INTERVAL, now=False)

    def spider_idle(self) -> None:
        """Let the worker close once the whole crawl is complete; else raise DontCloseSpider."""
        if self.cluster.left or self.cluster.outage.given_up:
            return  # closing already (cluster_unavailable)
        was_busy = self.cluster.busy
        idle_since = self.cluster.mark_idle()
        if was_busy:
            self._beat_safely()  # the others' shares of a site's concurrency count busy workers only
        engine = self.crawler.engine
        try:
            settled = self.cluster.settle(engine.downloader.active if engine is not None else ())
        except REDIS_ERRORS as exc:  # do not take silence for the end of the crawl: the outage decides
            self.cluster.outage.failed(exc)
            raise DontCloseSpider from exc
        self.cluster.outage.answered()
        if self.max_idle == 0:  # an always-on worker (recorded idle all the same: others may close)
            raise DontCloseSpider
        if settled.stranded:
            logger.warning(
                "Cluster crawl %r cannot complete: its seeding worker stopped before it had queued every start"
                " request. Closing; start workers again to seed the rest (requests seen before are skipped)",
                self.cluster.keys.crawl,
            )
            raise CloseSpider(SEED_UNFINISHED)
        if settled.complete:
            logger.info(
                "Cluster crawl %r complete: queue empty, no request in flight, every worker idle: closing",
                self.cluster.keys.crawl,
            )
            return
        if settled.queued or settled.busy or settled.seed == "seeding":
            # another worker may still add requests: wait, and count idleness afresh after it
            self.cluster.idle_since = time.monotonic()
            raise DontCloseSpider
        idle = time.monotonic() - idle_since
        if idle < self.max_idle:
            raise DontCloseSpider
        logger.warning(
            "Cluster crawl %r: queue empty and every worker idle for %.0f s (MAX_IDLE_TIME_BEFORE_CLOSE=%d), but"
            " requests are still recorded in flight: closing", self.cluster.keys.crawl, idle, self.max_idle,
        )

    def spider_closed(self) -> None:
        if self._loop.running:
            self._loop.stop()

    def _beat_safely(self) -> None:
        try:
            self._beat()
        except REDIS_ERRORS as exc:  # Redis down: reported once; the worker stops if it lasts
            self.cluster.outage.failed(exc)
        except Exception as exc:  # noqa: BLE001 - a bad reply must not stop the heartbeats for good
            logger.warning("Cluster heartbeat to Redis failed (%s); trying again in %.0f s", exc, HEARTBEAT_INTERVAL)
        else:
            self.cluster.outage.answered()

    def _queued(self) -> int | str:
        try:
            return self.cluster.queued()
        except REDIS_ERRORS:
            return "?"

    def _beat(self) -> dict[str, dict]:
        stats = self.crawler.stats
        engine = self.crawler.engine
        live = self.cluster.heartbeat(
            downloading=engine.downloader.active if engine is not None else (),
            host=socket.gethostname(),
            pid=os.getpid(),
            started=self.started,
            responses=stats.get_value("downloader/response_count", 0),
            items=stats.get_value("item_scraped_count", 0),
        )
        stats.max_value("newsbot/cluster/workers_max", len(live))
        if self.cluster.requeued:
            stats.set_value("newsbot/cluster/requeued", self.cluster.requeued)
        return live
