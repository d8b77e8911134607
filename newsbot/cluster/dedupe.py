"""The dedupe pipeline made safe for several workers: one run, one check-and-index at a time.

:class:`~newsbot.pipelines.dedupe.DedupePipeline` keeps nothing in the process: its index,
the shingle sets of the documents indexed last included, is the state store, which the
workers share (the cluster's Redis). Two more things make the workers decide as one process
does; in cluster mode the add-on puts this subclass in the plain pipeline's place for them:

* **one run id**: the dedupe index records the run that kept each document, and compares
  within a run exactly (shingle sets) what it compares across runs by MinHash estimate; under
  ``-a fresh=1`` it ignores other runs' documents altogether. Each process has a run id of
  its own, so the workers share the crawl's (:meth:`ClusterCrawl.shared_run_id`): a copy kept
  by one worker is a document of this run for the others (measured before, with one run id
  per worker: 35 near-duplicates kept on 2,581 pages that one process drops);
* **one check-and-index at a time**: the pipeline looks a story up, then indexes it: two
  round trips. Across workers two copies of a story could pass the look-up at the same
  moment and both be kept (seen in a two-worker crawl with 16 duplicate pairs: 2 copies kept
  in 1 run of 3). The look-up and the indexing of an item run under one Redis lock shared by
  every worker using the same state namespace (a few milliseconds per item).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from redis.exceptions import LockError

from newsbot.cluster.crawl import ClusterCrawl
from newsbot.cluster.outage import REDIS_ERRORS
from newsbot.pipelines.dedupe import DedupePipeline
from newsbot.state import state_namespace

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

LOCK_NAME = "lock:dedupe"  # under the state namespace: <namespace>:lock:dedupe
LOCK_TIMEOUT = 30.0  # seconds a lock lives if its worker dies holding it
LOCK_WAIT = 60.0  # seconds to wait for it before the item is processed anyway (and logged)


class ClusterDedupePipeline(DedupePipeline):
    """``DedupePipeline`` whose ``process_item`` runs under a cluster-wide Redis lock.

    Stat: ``newsbot/cluster/dedupe_lock_timeouts`` (items deduplicated without the lock
    because it could not be taken in time; each one is logged).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        namespace = state_namespace(crawler.settings)
        self.cluster = ClusterCrawl.of(crawler)
        mine = self.state.run_id
        try:
            self.state.run_id = self.cluster.shared_run_id(mine)  # the CrawlState every component shares
        except REDIS_ERRORS as exc:  # Redis down since the check at start: this worker's own run
            self.cluster.outage.failed(exc)
        if self.state.run_id != mine:
            logger.info("Cluster crawl %r: run %s (shared by its workers)", self.cluster.keys.crawl, self.state.run_id)
        self.lock = self.cluster.server.lock(
            f"{namespace}:{LOCK_NAME}", timeout=LOCK_TIMEOUT, sleep=0.005, blocking_timeout=LOCK_WAIT
        )

    def process_item(self, item: Any) -> Any:
        try:
            taken = self.lock.acquire()
        except REDIS_ERRORS as exc:  # Redis down: reported once by the outage; dedupe goes on alone
            self.cluster.outage.failed(exc)
            return super().process_item(item)
        if not taken:
            self.stats.inc_value("newsbot/cluster/dedupe_lock_timeouts")
            logger.warning("Dedupe lock not taken in %.0f s: %s deduplicated without it", LOCK_WAIT, ItemAdapter(item).get("url"))
            return super().process_item(item)
        try:
            return super().process_item(item)
        finally:
            try:
                self.lock.release()
            except LockError:  # held longer than LOCK_TIMEOUT: it expired, nothing to release
                pass
            except REDIS_ERRORS as exc:  # it expires by itself after LOCK_TIMEOUT
                self.cluster.outage.failed(exc)
