"""Start requests handed to Scrapy only as fast as it downloads them.

Scrapy's engine reads ``Spider.start()`` to the end as fast as it can, whatever the downloader
is doing: every start request is built and scheduled at once, and its fingerprint is added to
the dupefilter. An ``ids`` backfill of 1,200,000 article ids then holds 1,200,000 requests in
the scheduler's memory queue from its first second (about 1 KiB each, over 1 GiB), and a crawl
of 50,000 ids peaked tens of MiB above one of 10,000 for that queue alone.
:func:`paced` is Scrapy's own recipe for lazy start requests (``start-requests-lazy`` in its
docs): while the engine needs to back out (the downloader holds ``CONCURRENT_REQUESTS``), the
next start request waits for the scheduler to run empty. The scheduler then never holds more
than a few start requests, and the pages crawled and their order are unchanged.

Only Scrapy's own scheduler (memory or ``JOBDIR`` queues in this process) is paced. Cluster
mode's scheduler keeps its queue in Redis, shared by every worker: paced by the seeding worker's
own downloader, the other workers would starve, so it gets the start requests at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, TypeVar

from scrapy import signals
from scrapy.core.scheduler import Scheduler

if TYPE_CHECKING:
    from scrapy.core.engine import ExecutionEngine
    from scrapy.crawler import Crawler

T = TypeVar("T")


async def paced(crawler: Crawler, requests: Iterable[T]) -> AsyncIterator[T]:
    """Yield ``requests`` one by one, each once Scrapy can take it (see module docstring).

    ``crawler``: the running crawler; without an engine (a spider driven by hand, ``scrapy
    check``) or with another scheduler than Scrapy's the requests come out at once. Example,
    in a spider::

        async def start(self):
            async for request in paced(self.crawler, self.id_requests()):
                yield request
    """
    for request in requests:
        engine = _engine(crawler)
        if engine is not None and isinstance(engine.scheduler, Scheduler) and engine.needs_backout():
            await crawler.signals.wait_for(signals.scheduler_empty)
        yield request


def _engine(crawler: Crawler) -> ExecutionEngine | None:
    try:
        return crawler.engine
    except (AttributeError, RuntimeError):  # Scrapy 2.19: RuntimeError until the crawl starts
        return None
