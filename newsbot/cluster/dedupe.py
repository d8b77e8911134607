"""The dedupe pipeline of cluster workers: one run, one check-and-index at a time.

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
* **one check-and-index at a time**: the pipeline looks a story up, then indexes it. Across
  workers two copies of a story could pass the look-up at the same moment and both be kept
  (seen in a two-worker crawl with 16 duplicate pairs: 2 copies kept in 1 run of 3). The
  cluster's store is shared (``RedisState.shared``), so the plain pipeline already makes the
  look-up and the indexing one optimistic step: the indexing (one Lua script) is refused when a
  document with the item's fingerprint or in one of its LSH buckets was indexed after the
  look-up began, and the item is looked up again. Workers never wait for each other (a
  cluster-wide lock per item, used before, blocked a waiting worker's whole reactor while
  another worker's look-ups made their round trips to Redis).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from newsbot.cluster.crawl import ClusterCrawl
from newsbot.cluster.outage import REDIS_ERRORS
from newsbot.pipelines.dedupe import DedupePipeline

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ClusterDedupePipeline(DedupePipeline):
    """``DedupePipeline`` recording the crawl's shared run id (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.cluster = ClusterCrawl.of(crawler)
        mine = self.state.run_id
        try:
            self.state.run_id = self.cluster.shared_run_id(mine)  # the CrawlState every component shares
        except REDIS_ERRORS as exc:  # Redis down since the check at start: this worker's own run
            self.cluster.outage.failed(exc)
        if self.state.run_id != mine:
            logger.info("Cluster crawl %r: run %s (shared by its workers)", self.cluster.keys.crawl, self.state.run_id)
