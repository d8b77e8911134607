"""Holding items while the boilerplate learner warms up, without stalling the crawl.

An item held by the boilerplate pipeline is an awaitable that fires later (the Scrapy
way). Two traps decide when it fires:

* a held item keeps its response in the scraper slot (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``,
  5 MB): when the slot is full the engine stops downloading, no new item arrives and the
  warm-up would never end;
* the engine does not close a spider while items are being processed, and
  ``spider_idle`` is not sent while the scraper holds items: waiting for the close or idle
  signals to release them would deadlock.

So held items are released when their site's warm-up count is reached, and by a watcher
(every 0.25 s while anything is held) as soon as the crawl can bring nothing new: the
downloader and the scraper queue are empty and the scheduler has no pending request (on two
checks in a row), or the
scraper slot is full, or the engine is stopping or closing the spider (Ctrl-C,
``CLOSESPIDER_*``: the engine then waits for the held items' requests to finish before it
even tells the scraper to close).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

CHECK_INTERVAL = 0.25
IDLE_CHECKS = 2


class WarmupGate:
    """Held items per site, released all at once (see module docstring).

    ``held_with(site, key)`` counts the held items of ``site`` whose body contains the
    paragraph ``key`` (a paragraph learned while they wait is removed from them, so it is
    not a leak).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._held: dict[str, list[tuple[Deferred[str], frozenset[bytes]]]] = defaultdict(list)
        self._keys: dict[str, Counter[bytes]] = defaultdict(Counter)
        self._watcher: task.LoopingCall | None = None
        self._idle_checks = 0

    def __len__(self) -> int:
        return sum(len(items) for items in self._held.values())

    def held_with(self, site: str, key: bytes) -> int:
        return self._keys[site][key]

    async def hold(self, site: str, keys: Iterable[bytes]) -> str:
        """Wait until the items of ``site`` are released; why they were (``warmup``,
        ``idle``, ``slot_full``, ``closing``)."""
        released: Deferred[str] = Deferred()
        frozen = frozenset(keys)
        self._held[site].append((released, frozen))
        self._keys[site].update(frozen)
        self._start_watcher()
        return await maybe_deferred_to_future(released)

    def release(self, site: str | None, why: str) -> int:
        """Release the held items of ``site`` (every site when None); how many."""
        sites = [site] if site is not None else list(self._held)
        count = 0
        for name in sites:
            items = self._held.pop(name, [])
            self._keys.pop(name, None)
            if items:
                logger.info("Boilerplate warm-up of %s: releasing %d held items (%s)", name, len(items), why)
            for released, _ in items:
                count += 1
                released.callback(why)
        if not self._held:
            self._stop_watcher()
        return count

    # --- watcher ------------------------------------------------------------------------
    def _start_watcher(self) -> None:
        if self._watcher is None:
            self._watcher = task.LoopingCall(self._check)
            self._watcher.start(CHECK_INTERVAL, now=False)

    def _stop_watcher(self) -> None:
        if self._watcher is not None and self._watcher.running:
            self._watcher.stop()
        self._watcher = None

    def _check(self) -> None:
        why = self._release_reason()
        # "idle" must hold on two checks in a row: between a response and the request its
        # middlewares make of it (a redirect), the downloader and the scheduler are empty for
        # a moment.
        self._idle_checks = self._idle_checks + 1 if why == "crawl idle" else 0
        if why and (why != "crawl idle" or self._idle_checks >= IDLE_CHECKS):
            self._idle_checks = 0
            self.release(None, why)

    def _release_reason(self) -> str | None:
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine is not None else None
        if engine is None or slot is None or slot.closing is not None:
            return "closing"
        if slot.needs_backout():
            return "scraper slot full"
        if engine.needs_backout() and not engine.downloader.needs_backout():
            # Neither the downloader nor the scraper is full, so the engine is stopping or closing
            # the spider (Ctrl-C, CLOSESPIDER_*): its slot waits for the held items' requests,
            # and the scraper's own closing flag would never be set.
            return "closing"
        scheduler = engine.scheduler
        pending = scheduler.has_pending_requests() if scheduler is not None else False
        if not engine.downloader.active and not slot.queue and not pending:
            return "crawl idle"
        return None
