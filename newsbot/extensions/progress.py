"""Progress you can read: every ``NEWSBOT_PROGRESS_INTERVAL`` seconds, and at the end, the log
says per site and edition how far the crawl has come; in cluster mode, the whole crawl's too.

Like Scrapy's ``LogStats``, but per site and edition and read from the counters the crawl
already keeps (:mod:`newsbot.monitoring.progress`): nothing is counted twice. Every interval
(default 60 s; 0: no lines during the crawl), one INFO line per site and edition, and one for an
``-a ids=...`` backfill with the share of the id range done and an ETA::

    Progress maghress fr: 1,250 pages (310/min), 1,180 items, 12 rejects
    Progress ids: 1,192 of 100,000 done (1.2 %), 298/min, ETA 5h 32m

At the end, one table (one INFO record): pages, items, rejects and pages/min per site and
edition, a total row, the responses and items written, and the ids share.

In cluster mode (``NEWSBOT_CLUSTER``) each worker also publishes its counts to Redis every
5 s and at its end (:mod:`newsbot.cluster.progress`), and its lines and table are followed by
the same for the whole crawl (``Progress [crawl maghress: 2 workers] ...``), which
``python -m newsbot.cluster status CRAWL`` prints from any machine.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from scrapy import signals
from twisted.internet import task

from newsbot.cluster.config import cluster_url
from newsbot.cluster.crawl import ClusterCrawl
from newsbot.cluster.outage import REDIS_ERRORS
from newsbot.cluster import progress as shared
from newsbot.config import float_setting
from newsbot.monitoring.progress import Snapshot, duration, progress_lines, summary_table

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ProgressExtension:
    """``EXTENSIONS`` entry (see the module docstring). Setting: ``NEWSBOT_PROGRESS_INTERVAL``.

    Stats (cluster mode, at the end): ``newsbot/cluster/crawl_responses`` and
    ``newsbot/cluster/crawl_written`` (responses and items of the whole crawl, as the workers
    published them) and ``newsbot/cluster/others_running`` (workers still running), which the
    monitors read to judge a worker on the whole crawl.
    """

    def __init__(self, crawler: Crawler, interval: float, cluster: ClusterCrawl | None = None) -> None:
        self.crawler = crawler
        self.interval = interval
        self.cluster = cluster
        self.started = time.monotonic()
        self.redis_started = time.time()
        self.ids_total = 0
        self.last: Snapshot | None = None
        self.last_crawl: Snapshot | None = None
        self._log_loop = task.LoopingCall(self.log_progress)
        self._publish_loop = task.LoopingCall(self.publish)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        cluster = None
        if cluster_url(crawler.settings.get("NEWSBOT_CLUSTER")) is not None:
            cluster = ClusterCrawl.of(crawler)
        extension = cls(crawler, float_setting(crawler.settings, "NEWSBOT_PROGRESS_INTERVAL"), cluster)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        if cluster is not None:
            crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    # --- the crawl's own counts ------------------------------------------------------------
    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        arguments = getattr(spider, "arguments", None)
        self.ids_total = sum(len(r) for r in getattr(arguments, "ids", ()) or ())
        if self.interval:
            self._log_loop.start(self.interval, now=False)
        if self.cluster is not None:
            try:
                self.redis_started = shared.server_time(self.cluster.server)
            except REDIS_ERRORS:
                pass  # the heartbeats report the outage; the local clock will do
            self._publish_loop.start(shared.PUBLISH_INTERVAL, now=True)  # at once: `status` shows the worker from its start

    def snapshot(self, finished: str | None = None) -> Snapshot:
        """This worker's counts now (``finished``: its finish reason, at the end)."""
        snap = Snapshot.from_stats(self.crawler.stats.get_stats(), elapsed=time.monotonic() - self.started,
                                   ids_total=self.ids_total)
        return replace(snap, finished=(finished,)) if finished else snap

    def log_progress(self) -> None:
        """The periodic lines: this worker's, then (cluster mode) the whole crawl's."""
        now = self.snapshot()
        for line in progress_lines(now, self.last):
            logger.info(line)
        self.last = now
        if self.cluster is None:
            return
        found = self._crawl(now)
        if found is None:
            return
        whole, _ = found
        for line in progress_lines(whole, self.last_crawl, label=self._label(whole)):
            logger.info(line)
        self.last_crawl = whole

    def spider_closed(self, spider: Spider, reason: str) -> None:
        for loop in (self._log_loop, self._publish_loop):
            if loop.running:
                loop.stop()
        final = self.snapshot(finished=reason)
        logger.info(summary_table(final, f"Progress at the end ({reason}, {duration(final.elapsed)})"))
        if self.cluster is None:
            return
        found = self._crawl(final)
        if found is not None:
            whole, running = found
            # for the monitors (run after this): a worker's own items are its share of the crawl's
            self.crawler.stats.set_value("newsbot/cluster/crawl_responses", whole.responses)
            self.crawler.stats.set_value("newsbot/cluster/crawl_written", whole.written)
            self.crawler.stats.set_value("newsbot/cluster/others_running", running)
            state = f"{running} still running" if running > 0 else "all finished"
            logger.info(summary_table(whole, f"Progress of crawl {self.cluster.keys.crawl!r}, {whole.workers}"
                                             f" worker(s), {state} ({duration(whole.elapsed)})"))

    # --- cluster mode ------------------------------------------------------------------------
    def publish(self, snap: Snapshot | None = None) -> bool:
        """Write this worker's counts to Redis; False (and nothing else) when Redis does not answer:
        the worker's heartbeats report outages."""
        assert self.cluster is not None
        if self.cluster.outage.since is not None or self.cluster.outage.given_up:
            return False  # Redis silent: do not wait on it once more (its timeouts are long)
        try:
            shared.publish(self.cluster.server, self.cluster.keys, self.cluster.worker_id, self.redis_started,
                           snap or self.snapshot())
        except REDIS_ERRORS as exc:
            logger.debug("Cluster progress not published: %s", exc)
            return False
        return True

    def spider_idle(self) -> None:
        """Publish when idle too: the counts a worker leaves with (items held back by the
        boilerplate warm-up are written at the first idle) are in Redis before it leaves."""
        self.publish()

    def _crawl(self, own: Snapshot) -> tuple[Snapshot, int] | None:
        """Publish ``own``, then read back and add up every worker's counts; with how many of
        those workers still run (None: Redis silent)."""
        assert self.cluster is not None
        if not self.publish(own):
            return None
        try:
            workers = shared.read(self.cluster.server, self.cluster.keys)
            whole = shared.crawl_snapshot(workers)
            live = self.cluster.live_workers()
        except REDIS_ERRORS as exc:
            logger.debug("Cluster progress not read: %s", exc)
            return None
        return (whole, shared.still_running(workers, live)) if whole is not None else None

    def _label(self, whole: Snapshot) -> str:
        assert self.cluster is not None
        return f"[crawl {self.cluster.keys.crawl}: {whole.workers} worker{'s' if whole.workers != 1 else ''}]"
