"""Recording which article pages are done, once the feed that holds them is stored.

An article is recorded in the state as ``item`` when its item passed every pipeline
(``item_scraped``), with the item's ``revision`` and ``content_hash`` (the re-visit policy,
:mod:`newsbot.pipelines.revision`), and as ``dropped:<reason>`` when a pipeline dropped it
(``item_dropped``); article URLs that redirected to the page get the same status. A re-visit
dropped as ``unchanged`` changes nothing, unless its article had no hash recorded (a record
written before issue 9): then the hash it found is recorded as its revision's. The
records are written to the state store only after the feed exporter has stored every feed
of the run (``feed_exporter_closed``; at ``spider_closed`` when the crawl has no feed): an
article recorded as seen is never missing from a feed (shared cases NB-17, NB-19). If a
feed failed to store, nothing is recorded, so the next run fetches those articles again.

What a hard kill (SIGKILL, power cut) does: nothing of the killed run is recorded, so the
next run fetches the killed run's articles again and writes them to its own feed; items
the killed run had already written are then in two feed files (a merger keeps one per
``url``), never in none. Documents the dedupe pipeline indexed during the killed run do not
make their own pages duplicates of themselves (same URL), so they come out again.

While the run goes on, the records wait in the state store itself, under a key of this
process (``<run id>/<random>``: two processes never share one, even with the same
``NEWSBOT_RUN_ID``), not in memory: a crawl of a million articles holds at most
:data:`PENDING_BUFFER` of them. They are promoted into the seen articles in one transaction
(SQLite) at the end, or discarded if a feed failed; a killed process never promotes them
and the store forgets them :data:`~newsbot.state.base.PENDING_TTL` after their last write.
An ``item`` status is never downgraded to ``dropped`` (an article yielded by one response and
dropped as a duplicate from another stays ``item``). If the store failed during the run, the
records noted before the failure are gone with it (nothing is recorded either way) and the
WARNING counts those noted since.

Stats: ``newsbot/state/recorded/item``, ``newsbot/state/recorded/dropped`` (not counted, and
a WARNING says so, when the state store failed and the run fell back to memory).
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.extensions.feedexport import FeedExporter

from newsbot.config import masked_url
from newsbot.pipelines.drops import drop_reason
from newsbot.sites import classify_url
from newsbot.state import DROPPED, ITEM, crawl_state
from newsbot.state.base import Record

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

PENDING_BUFFER = 500
"""Records noted in memory before they are written to the store in one call."""


class SeenArticlesExtension:
    """Writes the run's ``article_id -> status`` records to the state (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state = crawl_state(crawler)  # opened now: an unreadable store is reported at start
        self.pending_key = f"{self.state.run_id}/{secrets.token_hex(4)}"
        self._buffer: list[Record] = []
        self._committed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenArticlesExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.feed_exporter_closed, signal=signals.feed_exporter_closed)
        return extension

    def item_scraped(self, item: Any, response: Response | None, spider: Spider) -> None:
        self._note(_item_records(item, response))

    def item_dropped(self, item: Any, response: Response | None, exception: BaseException, spider: Spider) -> None:
        reason = drop_reason(exception)
        if reason == "unchanged":  # a re-visit: the article stays recorded as it was
            if getattr(exception, "baseline", False):
                self._note(_item_records(item, response)[:1])
            return
        status = f"{DROPPED}:{reason}"
        self._note([(article_id, status) for article_id in _article_ids(item, response)])

    def _note(self, records: list[Record]) -> None:
        self._buffer.extend(records)
        if len(self._buffer) >= PENDING_BUFFER:
            self._flush()

    def _flush(self) -> None:
        """Write the buffered records to the store's pending records, in order (the store
        keeps an ``item`` against a later ``dropped:*``, as the buffer would)."""
        if self._buffer:
            self.state.store.add_pending(self.pending_key, self._buffer)
            self._buffer = []

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if not self._has_feeds():
            self.commit()

    def feed_exporter_closed(self) -> None:
        self.commit()

    def _has_feeds(self) -> bool:
        extensions = getattr(self.crawler.extensions, "middlewares", ())
        return any(isinstance(ext, FeedExporter) and ext.feeds for ext in extensions)

    def commit(self) -> None:
        """Record the pending records, unless a feed of the run failed to store."""
        if self._committed:
            return
        self._committed = True
        self._flush()
        store = self.state.store
        stats = self.crawler.stats.get_stats()
        failed = {k: v for k, v in stats.items() if k.startswith("feedexport/failed_count/") and v}
        if failed:
            count = store.discard_pending(self.pending_key)
            logger.warning(
                "A feed of this run was not stored (%s): %d articles are not recorded as seen, so the"
                " next run fetches them again", failed, count,
            )
            return
        items, dropped = store.commit_pending(self.pending_key)
        if store.failed:  # they went to the in-memory stand-in: nothing is kept
            logger.warning(
                "Not recorded: %d articles yielded and %d dropped (the state store %s failed, this run"
                " kept its state in memory only); the next run fetches them again",
                items, dropped, masked_url(self.state.uri),
            )
            return
        self.crawler.stats.inc_value("newsbot/state/recorded/item", items)
        self.crawler.stats.inc_value("newsbot/state/recorded/dropped", dropped)
        logger.info("Recorded %d articles as yielded and %d as dropped in %s", items, dropped, masked_url(self.state.uri))


def _item_records(item: Any, response: Response | None) -> list[Record]:
    """``item`` records of the item's article, with its revision and content hash when it has
    one, and of the article URLs that redirected to it (plain ``item``)."""
    adapter = ItemAdapter(item)
    ids = _article_ids(item, response)
    content = adapter.get("content_hash") if "content_hash" in adapter.field_names() else None
    if not ids or not content or ids[0] != adapter.get("article_id"):
        return [(article_id, ITEM) for article_id in ids]
    return [(ids[0], ITEM, adapter.get("revision") or 1, content), *((i, ITEM) for i in ids[1:])]


def _article_ids(item: Any, response: Response | None) -> list[str]:
    """The item's ``article_id``, plus the ids of article URLs that redirected to its page
    (another id answering 301 to this article is done too: shared case NB-14)."""
    ids = [ItemAdapter(item).get("article_id")]
    request = getattr(response, "request", None)
    for url in request.meta.get("redirect_urls", []) if request is not None else []:
        where = classify_url(url)
        if where is not None and where.article_id:
            ids.append(where.article_id)
    return [i for i in dict.fromkeys(ids) if i]
