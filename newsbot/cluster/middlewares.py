"""Cluster middlewares: seed a crawl once, and remember which requests failed.

Both are listed in :mod:`newsbot.settings` and switch themselves off
(``NotConfigured``) unless ``NEWSBOT_CLUSTER`` is set.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.utils.asyncio import call_later

from newsbot.cluster.crawl import ClusterCrawl, cluster_component
from newsbot.cluster.outage import FINISH_REASON, REDIS_ERRORS
from newsbot.monitoring import NOT_STARTED_STAT

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def arguments_text(arguments: Any) -> str:
    """A spider's validated arguments as the seed lock keeps them: JSON of the dataclass's
    fields (sorted keys), else their ``repr``."""
    if dataclasses.is_dataclass(arguments) and not isinstance(arguments, type):
        return json.dumps(dataclasses.asdict(arguments), sort_keys=True, default=str)
    return repr(arguments)


def argument_differences(seeding: str, mine: str) -> str:
    """The arguments that differ between the seeding worker's and this one's, e.g.
    ``editions: ['fr'] there, ['ar', 'fr'] here`` (both whole when they are not JSON).

    >>> argument_differences('{"editions": ["fr"], "fresh": true}', '{"editions": ["ar", "fr"], "fresh": true}')
    "editions: ['fr'] there, ['ar', 'fr'] here"
    """
    try:
        theirs, ours = json.loads(seeding), json.loads(mine)
    except ValueError:
        return f"{seeding}; this worker has {mine}"
    if not isinstance(theirs, dict) or not isinstance(ours, dict):
        return f"{seeding}; this worker has {mine}"
    names = sorted(set(theirs) | set(ours))
    return "; ".join(f"{name}: {theirs.get(name)!r} there, {ours.get(name)!r} here"
                     for name in names if theirs.get(name) != ours.get(name))


class ClusterSeedMiddleware:
    """Spider middleware: the spider's ``start()`` runs in one worker per crawl.

    The first worker takes the crawl's seed lock (a Redis ``SET NX``) and sends its
    start requests into the shared queue; every later worker skips ``start()`` and only
    takes requests from the queue. A worker whose spider arguments (``-a``) differ from
    the seeding worker's stops at once (finish reason ``cluster_arguments_mismatch``):
    links are followed by whichever worker fetches a page, so all must crawl alike.
    Stat: ``newsbot/cluster/seeded`` (1 in the seeding worker, 0 in the others).
    """

    def __init__(self, crawler: Crawler, cluster: ClusterCrawl) -> None:
        self.crawler = crawler
        self.cluster = cluster

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterSeedMiddleware:
        return cls(crawler, cluster_component(crawler))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        spider = self.crawler.spider
        arguments = arguments_text(getattr(spider, "arguments", None))
        crawl = self.cluster.keys.crawl
        try:
            claim = self.cluster.claim_seed(arguments)
        except REDIS_ERRORS as exc:  # down since the check at start: nobody can tell who seeds
            self.cluster.outage.failed(exc)
            self.cluster.outage.give_up(exc)
            raise CloseSpider(FINISH_REASON) from None
        self.crawler.stats.set_value("newsbot/cluster/seeded", int(claim.mine))
        if not claim.mine:
            if claim.arguments != arguments:
                logger.error(
                    "Cluster crawl %r was started by worker %s with other spider arguments (%s): run"
                    " every worker with the same -a options, or give this crawl its own name with"
                    " -s NEWSBOT_CLUSTER_CRAWL=NAME",
                    crawl, claim.worker, argument_differences(claim.arguments, arguments),
                )
                self.crawler.stats.set_value(NOT_STARTED_STAT, "cluster_arguments_mismatch")
                raise CloseSpider("cluster_arguments_mismatch")
            logger.info("Cluster crawl %r already seeded by worker %s: taking requests from the shared queue", crawl, claim.worker)
            return
        if claim.again:
            logger.warning(
                "Cluster crawl %r: its seeding worker stopped before it had queued every start request; this"
                " worker (%s) seeds it again (requests seen before are skipped)", crawl, self.cluster.worker_id,
            )
        else:
            logger.info("Cluster crawl %r: this worker (%s) seeds the start requests", crawl, self.cluster.worker_id)
        self.cluster.mark_busy()
        async for item_or_request in start:
            yield item_or_request
        # every start request is now the scheduler's, which queues what it holds at the end of
        # this reactor turn: mark the seed done just after (failing that, the seeding worker's
        # first idle check does)
        call_later(0, self._seed_done)

    def _seed_done(self) -> None:
        try:
            self.cluster.seed_done()
        except REDIS_ERRORS as exc:
            self.cluster.outage.failed(exc)


class ClusterFailureMiddleware:
    """Downloader middleware: note requests that finally failed, so a later run retries them.

    scrapy-redis stores a request's fingerprint when it is scheduled, before the
    download, so with a kept seen-set a page that failed was never tried again (shared
    case NB-26). This middleware sits outside RetryMiddleware: it sees a request only
    once retries are spent, and records its fingerprint when the answer is an HTTP
    error (status >= 400) or the download raised (timeouts, refused connections...);
    requests skipped on purpose (``IgnoreRequest``: robots.txt, incremental skips) are
    not failures. Within the crawl the page stays seen (no loop); when the crawl ends or
    stops, :meth:`ClusterCrawl.leave` takes these fingerprints out of the seen set.
    Stat: ``newsbot/cluster/failed``.
    """

    def __init__(self, crawler: Crawler, cluster: ClusterCrawl) -> None:
        self.crawler = crawler
        self.cluster = cluster

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterFailureMiddleware:
        return cls(crawler, cluster_component(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 400:
            self._failed(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, IgnoreRequest):
            self._failed(request)

    def _failed(self, request: Request) -> None:
        assert self.crawler.request_fingerprinter is not None
        self.crawler.stats.inc_value("newsbot/cluster/failed")
        try:
            self.cluster.record_failed(self.crawler.request_fingerprinter.fingerprint(request))
        except REDIS_ERRORS as exc:  # Redis down: the outage is reported once; this record is lost
            self.cluster.outage.failed(exc)
