"""Recording which article pages are done, never ahead of the feed that holds them.

An article is recorded in the state as ``item`` when its item passed every pipeline
(``item_scraped``), with the item's ``revision`` and ``content_hash`` (the re-visit policy,
:mod:`newsbot.pipelines.revision`), and as ``dropped:<reason>`` when a pipeline dropped it
(``item_dropped``); article URLs that redirected to the page get the same status. A re-visit
dropped as ``unchanged`` changes nothing, unless its article had no hash recorded (a record
written before issue 9): then the hash it found is recorded as its revision's. The rule
(shared cases NB-17, NB-19): **an article recorded as done is in a stored feed**, so a record
is written to the state store only after the feed lines written before it are on disk:

* when every feed of the run is a local JSON Lines file that is appended to (``-o FILE``, or
  the default feed, a new file per run), the records are committed while the crawl runs,
  every ``NEWSBOT_STATE_COMMIT_INTERVAL`` seconds (default 2): the feeds are flushed and
  synced to the disk (:meth:`~newsbot.feedstorage.CheckedFileFeedStorage.sync`), then the
  records noted so far are committed in one transaction. A hard kill (SIGKILL, power cut,
  OOM killer) then loses the records of the last interval at most;
* the other way round, **an article in an appended feed is known as done**: the lines the
  killed run wrote after its last commit are the feed's last lines. When the crawl opens,
  the feed's lines are read from its end until :data:`CONFIRM_LINES` lines in a row are
  recorded already, and the articles of the others are recorded as ``item`` (stat
  ``newsbot/state/recorded/from_feed``), before any request is made. The line a kill cut in
  two is removed when the feed is opened (:mod:`newsbot.feedstorage`), and that article is
  fetched again;
* otherwise (``-O`` overwrites the feed, a remote or batched feed, another format), nothing
  is committed before the feed exporter has stored every feed of the run
  (``feed_exporter_closed``; at ``spider_closed`` when the crawl has no feed). If a feed
  failed to store, nothing more is recorded, so the next run fetches those articles again.
  A hard kill records nothing of that run: the next run fetches its articles again and
  writes them to its own feed (a merger keeps one per ``url``).

So a run resumed with the same command (``JOBDIR`` or not: :mod:`newsbot.jobdir`) skips every
article of an appended feed and fetches every other one: none is lost, none written twice.
Items the killed run had scraped but not yet written are not recorded, so they are fetched
again; documents the dedupe pipeline indexed for them do not make their own pages duplicates
of themselves (same URL), so they come out again.

While the run goes on, the records wait in the state store itself, under a key of this
process (``<run id>/<random>``: two processes never share one, even with the same
``NEWSBOT_RUN_ID``), not in memory: a crawl of a million articles holds at most
:data:`PENDING_BUFFER` of them. They are promoted into the seen articles in one transaction
(SQLite) at each commit, or discarded if a feed failed; a killed process never promotes them
and the store forgets them :data:`~newsbot.state.base.PENDING_TTL` after their last write.
An ``item`` status is never downgraded to ``dropped`` (an article yielded by one response and
dropped as a duplicate from another stays ``item``). If the store failed during the run, the
records noted before the failure are gone with it (nothing is recorded either way) and the
WARNING counts those noted since.

Before each commit it sends :data:`newsbot.signals.checkpoint`: the WARC archive
(``NEWSBOT_ARCHIVE``) is synced to the disk before the articles whose pages it holds are recorded.

Settings: ``NEWSBOT_STATE_COMMIT_INTERVAL`` (seconds; 0: commit only at the end). Stats:
``newsbot/state/recorded/item``, ``newsbot/state/recorded/dropped`` (not counted, and a
WARNING says so, when the state store failed and the run fell back to memory),
``newsbot/state/recorded/from_feed``, ``newsbot/state/commits``.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.extensions.feedexport import FeedExporter

from newsbot.config import float_setting, masked_url
from newsbot.feeds import lines_backwards
from newsbot.feedstorage import CheckedFileFeedStorage
from newsbot.middlewares.offsite import META_ARTICLE_REDIRECTS
from newsbot.pipelines.drops import drop_reason
from newsbot.pipelines.revision import content_hash
from newsbot.signals import checkpoint
from newsbot.sites import classify_url
from newsbot.state import DROPPED, ITEM, crawl_state, is_final
from newsbot.state.base import Record

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

PENDING_BUFFER = 500
"""Records noted in memory before they are written to the store in one call."""
CONFIRM_LINES = 200
"""Lines in a row, read from the end of an appended feed, already recorded as done before the
rest of the feed is taken as recorded (the lines not recorded are always the last ones; a
margin for the articles of a ``fresh=1`` run, which were done before)."""


class SeenArticlesExtension:
    """Writes the run's ``article_id -> status`` records to the state (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.state = crawl_state(crawler)  # opened now: an unreadable store is reported at start
        self.pending_key = f"{self.state.run_id}/{secrets.token_hex(4)}"
        self._buffer: list[Record] = []
        self._committed = False
        self.interval = float_setting(crawler.settings, "NEWSBOT_STATE_COMMIT_INTERVAL")
        self._last_commit = time.monotonic()
        self._recorded = [0, 0]  # items, dropped committed by the checkpoints of this run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeenArticlesExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.feed_exporter_closed, signal=signals.feed_exporter_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        """Record as done the articles an earlier run wrote to the appended feeds and did not
        record (it was killed before it could); before the first request is made. With several
        feeds, only the articles in every one of them (the others are fetched and written again:
        at worst twice in one feed, never missing from one)."""
        storages = self._appended_feeds()
        if not storages:
            return
        found: dict[str, Record] | None = None
        for storage in storages:
            path = Path(storage.path)
            tail = self._unrecorded_tail(path) if path.exists() else {}
            found = tail if found is None else {a: r for a, r in found.items() if a in tail}
        if found:
            self.state.store.record_articles(list(found.values()))
            self.crawler.stats.inc_value("newsbot/state/recorded/from_feed", len(found))
            logger.info(
                "Feed %s: %d articles written by an earlier run that stopped before recording them are"
                " recorded as done now (they are not fetched again)",
                ", ".join(str(s.path) for s in storages), len(found),
            )

    def _unrecorded_tail(self, path: Path) -> dict[str, Record]:
        """The records, by ``article_id``, of the last lines of ``path`` that the store does not
        hold: an article not recorded as done, or a later ``revision`` of one than the one
        recorded (a re-visit's correction); read from the end until :data:`CONFIRM_LINES`
        lines in a row are recorded."""
        store = self.state.store
        missing: dict[str, Record] = {}
        streak = 0

        def judge(records: list[tuple[str, str, int, str]]) -> bool:
            """Note the records not held; True once CONFIRM_LINES in a row are."""
            nonlocal streak
            stored = store.article_versions([record[0] for record in records])
            for record in records:
                known = stored.get(record[0])
                if known is not None and is_final(known.status) and record[2] <= (known.revision or 1):
                    streak += 1
                    if streak >= CONFIRM_LINES:
                        return True
                else:
                    streak = 0
                    missing.setdefault(record[0], record)  # read from the end: an article's last line first
            return False

        batch: list[tuple[str, str, int, str]] = []
        for line in lines_backwards(path):
            record = _line_record(line)
            if record is not None:
                batch.append(record)
            if len(batch) >= CONFIRM_LINES:
                done, batch = judge(batch), []
                if done:
                    break
        if batch:
            judge(batch)
        return missing

    def item_scraped(self, item: Any, response: Response | None, spider: Spider) -> None:
        # The checkpoint first: this item may not be in the feed yet (the feed exporter's
        # handler of this signal may run after this one); the next checkpoint records it.
        self._maybe_checkpoint()
        self._note(_item_records(item, response))

    def item_dropped(self, item: Any, response: Response | None, exception: BaseException, spider: Spider) -> None:
        self._maybe_checkpoint()
        reason = drop_reason(exception)
        if reason == "unchanged":  # a re-visit: the article stays recorded as it was
            if getattr(exception, "baseline", False):
                self._note(_item_records(item, response)[:1])
            return
        status = f"{DROPPED}:{reason}"
        self._note([(article_id, status) for article_id in _article_ids(item, response)])

    def _maybe_checkpoint(self) -> None:
        if self.interval <= 0 or self._committed or time.monotonic() - self._last_commit < self.interval:
            return
        self._last_commit = time.monotonic()
        storages = self._appended_feeds()
        if storages is None:  # a feed that is only stored at the end: commit at the end only
            self.interval = 0
            return
        self.crawler.signals.send_catch_log(checkpoint)  # files the records depend on (WARC) synced first
        if not all([storage.sync() for storage in storages]):
            self.interval = 0  # a feed failed: what it held is committed, nothing more is
            return
        self._flush()
        items, dropped = self.state.store.commit_pending(self.pending_key)
        self._recorded[0] += items
        self._recorded[1] += dropped
        self.crawler.stats.inc_value("newsbot/state/commits")

    def _appended_feeds(self) -> list[CheckedFileFeedStorage] | None:
        """The storages of the run's feeds when every one is a local JSON Lines file appended
        to, one file per feed (no batches, no post-processing): feeds whose lines are stored
        as soon as they are written; else None. An empty list: the run has no feed."""
        storages = []
        for extension in getattr(getattr(self.crawler, "extensions", None), "middlewares", ()):
            if not isinstance(extension, FeedExporter):
                continue
            for slot in extension.slots:
                options = extension.feeds.get(slot.uri_template, {})
                storage = slot.storage
                if (not isinstance(storage, CheckedFileFeedStorage) or not storage.appends_lines
                        or options.get("batch_item_count") or options.get("postprocessing")):
                    return None
                storages.append(storage)
        return storages

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
        extensions = getattr(getattr(self.crawler, "extensions", None), "middlewares", ())
        return any(isinstance(ext, FeedExporter) and ext.feeds for ext in extensions)

    def commit(self) -> None:
        """Record the pending records, unless a feed of the run failed to store."""
        if self._committed:
            return
        self._committed = True
        self.crawler.signals.send_catch_log(checkpoint)
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
        items, dropped = items + self._recorded[0], dropped + self._recorded[1]
        if store.failed:  # they went to the in-memory stand-in: nothing is kept
            logger.warning(
                "Not recorded: %d articles yielded and %d dropped (the state store %s failed, this run"
                " kept its state in memory only); the next run fetches them again",
                items, dropped, masked_url(self.state.uri),
            )
            return
        self.crawler.stats.inc_value("newsbot/state/recorded/item", items)
        self.crawler.stats.inc_value("newsbot/state/recorded/dropped", dropped)
        self.crawler.stats.inc_value("newsbot/state/commits")
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


def _line_record(line: bytes) -> tuple[str, str, int, str] | None:
    """The ``item`` record of one feed line: ``(article_id, "item", revision, content_hash)``
    (:func:`~newsbot.pipelines.revision.content_hash` of its title and body); None for a line
    that is no record with an ``article_id``.

    >>> _line_record(b'{"article_id": "maghress:fr:h24info:1", "title": "T", "body": "B", "revision": 2}')[:3]
    ('maghress:fr:h24info:1', 'item', 2)
    >>> _line_record(b'{"title": "T"}') is None, _line_record(b'{"article_id": "a", "ti') is None
    (True, True)
    """
    try:
        record = json.loads(line)
    except ValueError:
        return None
    article_id = record.get("article_id") if isinstance(record, dict) else None
    if not isinstance(article_id, str) or not article_id:
        return None
    revision = record.get("revision")
    revision = revision if isinstance(revision, int) and revision >= 1 else 1
    return (article_id, ITEM, revision, content_hash(record.get("title"), record.get("body")))


def _article_ids(item: Any, response: Response | None) -> list[str]:
    """The item's ``article_id``, plus the ids of article URLs that redirected to its page
    (another id answering 301 to this article is done too: shared case NB-14)."""
    ids = [ItemAdapter(item).get("article_id")]
    request = getattr(response, "request", None)
    meta = request.meta if request is not None else {}
    # an item from a teaser's source page: the URLs that redirected to its article page
    for url in (*meta.get("redirect_urls", ()), *meta.get(META_ARTICLE_REDIRECTS, ())):
        where = classify_url(url)
        if where is not None and where.article_id:
            ids.append(where.article_id)
    return [i for i in dict.fromkeys(ids) if i]
