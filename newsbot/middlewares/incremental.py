"""Incremental runs: article pages already done in an earlier run are not fetched again.

A spider middleware: article requests (those carrying ``meta["newsbot_article_id"]``, from
``start()`` or from a callback) whose ``article_id`` the state records as ``item`` or
``dropped:<reason>`` are removed before they are scheduled (no errback runs, nothing is
downloaded). Listings, feeds and home pages are always fetched. Pages that failed (HTTP
errors, timeouts) or that the spider rejected are never recorded, so they are tried again.
``-a fresh=1`` turns skipping off for one run; the state is still updated. The records of all
the article requests of one callback's output (a listing's teasers) are read in one store
call (in Redis one round trip).

Re-visits (issue 9): with ``-a revisit_days=N`` (or ``NEWSBOT_REVISIT_DAYS=N``; the argument
wins, 0 is off) an article that yielded an item and was first seen less than ``N * 86400``
seconds before the run started is fetched again, its request marked
``meta["newsbot_revisit"]`` and its item ``revisit=True``; the revision pipeline
(:mod:`newsbot.pipelines.revision`) then writes it only when its text changed. An article
whose first-seen time is unknown (a Redis record written before issue 9) is not re-visited;
dropped articles are not either (they would be dropped again).

Settings: ``NEWSBOT_INCREMENTAL_ENABLED`` (default True), ``NEWSBOT_REVISIT_DAYS`` (0). Stats:
``newsbot/incremental/skipped`` (article pages not fetched; an article linked again later is
counted once as long as it is among the last :data:`RECENT_SKIPS` skipped, which keeps the
memory bounded on backfills of millions of articles), ``newsbot/revisit/requested`` (article
pages fetched again, counted once the same way).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newsbot.config import bool_setting, int_setting
from newsbot.family.urls import META_ARTICLE_ID
from newsbot.state import ITEM, crawl_state, fresh_run, is_final

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from newsbot.state import SeenArticle

logger = logging.getLogger(__name__)

RECENT_SKIPS = 10_000
"""Skipped article ids remembered, so that one linked again is not counted twice."""
META_REVISIT = "newsbot_revisit"
"""Request meta key: True on an article page fetched again as a re-visit."""
META_RECORD = "newsbot_record"
"""Request meta key: ``(article_id, record)``, what the store held of the request's article
when the request was made (``record``: a :class:`~newsbot.state.base.SeenArticle`, or None
when it had none); handed to the item (its internal ``stored_record``) so that the revision
pipeline needs no second look-up of the same article."""


class IncrementalMiddleware(BaseSpiderMiddleware):
    """Skips article requests the state records as done (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        if not bool_setting(crawler.settings, "NEWSBOT_INCREMENTAL_ENABLED"):
            raise NotConfigured("NEWSBOT_INCREMENTAL_ENABLED is False")
        super().__init__(crawler)
        self.state = crawl_state(crawler)
        self.fresh = False
        self.skipped: OrderedDict[str, None] = OrderedDict()
        self.skipped_count = 0
        self.revisit_days = 0
        self.revisit_since = 0.0  # epoch seconds: articles first seen from then on are re-visited
        self.revisited: OrderedDict[str, None] = OrderedDict()
        self.revisited_count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.fresh = fresh_run(spider)
        if self.fresh:
            logger.info("fresh=1: article pages done in earlier runs are fetched again (the state is still updated)")
        argument = getattr(getattr(spider, "arguments", None), "revisit_days", None)
        self.revisit_days = argument if argument is not None else int_setting(self.crawler.settings, "NEWSBOT_REVISIT_DAYS")
        self.revisit_since = time.time() - self.revisit_days * 86400
        if self.revisit_days and not self.fresh:
            logger.info(
                "Re-visits: articles first seen in the last %d days are fetched again and written only if"
                " their text changed (revision 2, 3...)", self.revisit_days,
            )

    def spider_closed(self, spider: Spider) -> None:
        if self.skipped_count:
            logger.info(
                "Incremental run: %d article pages not fetched, done in an earlier run (-a fresh=1 fetches them)",
                self.skipped_count,
            )
        if self.revisited_count:
            stats = self.crawler.stats
            logger.info(
                "Re-visits: %d article pages first seen in the last %d days fetched again: %d changed, %d unchanged",
                self.revisited_count, self.revisit_days, stats.get_value("newsbot/revisit/changed", 0),
                stats.get_value("newsbot/revisit/unchanged", 0),
            )

    # The records of every article request of one callback's output (a listing's teasers) are
    # read in one store call: in Redis one round trip for them all, not one per article page.
    # Start requests (an ids range) are not gathered: the spider paces them (it yields the next
    # when the scheduler runs low), and gathering would take them all at once.
    def process_spider_output(self, response: Response | None, result: Iterable[Any]) -> Iterable[Any]:
        yield from self._processed(list(result), response)

    async def process_spider_output_async(self, response: Response | None, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        for o in self._processed([o async for o in result], response):
            yield o

    def _processed(self, outputs: list[Any], response: Response | None) -> Iterator[Any]:
        """``outputs`` as :meth:`get_processed_request` and :meth:`get_processed_item` process
        them, the records of their article requests read at once."""
        ids = [] if self.fresh else [o.meta.get(META_ARTICLE_ID) for o in outputs if isinstance(o, Request)]
        ids = [article_id for article_id in ids if article_id]
        records = self.state.store.article_versions(ids) if ids else {}
        for o in outputs:
            o = self._request(o, records) if isinstance(o, Request) else self.get_processed_item(o, response)
            if o is not None:
                yield o

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        article_id = request.meta.get(META_ARTICLE_ID)
        if not article_id or self.fresh:
            return request
        return self._request(request, self.state.store.article_versions([article_id]))

    def _request(self, request: Request, records: dict[str, SeenArticle]) -> Request | None:
        """``request``, or None when its article is done (``records``: the store's records of
        its article and maybe others, :meth:`StateStore.article_versions`)."""
        article_id = request.meta.get(META_ARTICLE_ID)
        if not article_id or self.fresh:
            return request
        seen = records.get(article_id)
        if self.revisit_days and self._revisit(seen):
            request.meta[META_REVISIT] = True
            request.meta[META_RECORD] = (article_id, seen)
            if _first_time(self.revisited, article_id):
                self.revisited_count += 1
                self.crawler.stats.inc_value("newsbot/revisit/requested")
            return request
        status = seen.status if seen is not None else None
        if not is_final(status):
            request.meta[META_RECORD] = (article_id, seen)
            return request
        if _first_time(self.skipped, article_id):  # listings link an article many times: count it once
            self.skipped_count += 1
            self.crawler.stats.inc_value("newsbot/incremental/skipped")
            logger.debug("Not fetching %s: %s in an earlier run", request.url, status)
        return None

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        """Mark the item of a re-visited page (``revisit``) and hand it the record looked up
        for its request (``stored_record``, when the item is of that article), for the
        revision pipeline."""
        if response is None:
            return item
        revisit, looked_up = response.meta.get(META_REVISIT), response.meta.get(META_RECORD)
        if revisit or looked_up:
            adapter = ItemAdapter(item)
            if revisit and "revisit" in adapter.field_names():
                adapter["revisit"] = True
            if looked_up and "stored_record" in adapter.field_names() and looked_up[0] == adapter.get("article_id"):
                adapter["stored_record"] = looked_up
        return item

    def _revisit(self, seen: SeenArticle | None) -> bool:
        """Whether a done article is fetched again: it yielded an item and was first seen
        within ``revisit_days``."""
        return (
            seen is not None and seen.status == ITEM and seen.first_seen is not None
            and seen.first_seen >= self.revisit_since
        )


def _first_time(recent: OrderedDict[str, None], article_id: str) -> bool:
    """False when ``article_id`` is among the last :data:`RECENT_SKIPS` of ``recent``; else
    remember it (the oldest forgotten) and return True."""
    if article_id in recent:
        recent.move_to_end(article_id)
        return False
    recent[article_id] = None
    if len(recent) > RECENT_SKIPS:
        recent.popitem(last=False)
    return True
