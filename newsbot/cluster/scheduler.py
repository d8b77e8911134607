"""The cluster's scheduler: one request queue in Redis shared by every worker of a crawl.

A subclass of scrapy-redis 0.9.1's ``Scheduler`` that keeps its queue classes
(``SCHEDULER_QUEUE_CLASS``, a Redis sorted set by default) and changes what does not
fit Scrapy 2.19 or a crawl split over several machines:

* stats are counted without the deprecated ``spider=`` argument;
* requests are stored without their default fields (``SCHEDULER_SERIALIZER`` default
  :mod:`newsbot.cluster.serializer`, a third less Redis memory per queued request);
* the dupefilter is built from the crawler (``DUPEFILTER_CLASS``, newsbot's
  fingerprints: :mod:`newsbot.cluster.dupefilter`);
* a worker that closes never flushes the shared queue and dupefilter (scrapy-redis
  does with ``SCHEDULER_PERSIST=False``, under the feet of the workers still running):
  the last worker out decides (:meth:`ClusterCrawl.leave`);
* a worker takes requests only while fewer than ``NEWSBOT_CLUSTER_PREFETCH`` (3) of its
  requests wait in its downloader for a slot or for their site's turn
  (:mod:`newsbot.cluster.politeness`): with download delays (AutoThrottle) Scrapy
  would otherwise take up to ``CONCURRENT_REQUESTS`` requests and sit on them while other
  workers idle. It takes them two at a time (one round trip for two pages), when at most
  one of its requests waits: so one always waits for the next free slot, which it takes the
  moment a download ends (Scrapy asks its scheduler only once the response has been
  processed). The second is handed to the engine at its next ask, in the same loop; a worker
  that stops gives back what it had not handed out;
* a worker that finds the queue empty looks at it again every :data:`FAST_WAKE_INTERVAL` s
  (0.02) for :data:`FAST_WAKE_SECONDS` (1), then every :data:`WAKE_INTERVAL` s (0.2), until it
  gets work, instead of Scrapy's idle engine's every 5 s: a worker that started first, or that
  seeded the crawl, would otherwise take every request of a short crawl while the others
  sleep. Mid-crawl the queue runs dry for moments while the other workers parse the pages
  that hold the next links; at 0.2 s a look, a starved worker lost up to 0.2 s each time (5 to
  8 times a worker in a 2,000-page crawl: the machine up to 16 % idle);
* taking a request marks the worker busy, so others wait for the links it may add, and
  records it as in flight (one Lua script): if the worker dies before the request has
  left its downloader, another worker puts it back in the queue;
* requests are queued in batches: those a callback yields (the links of a listing page)
  wait in the worker until the end of the reactor's turn, then one script marks all seen and
  queues the new ones (:meth:`ClusterCrawl.enqueue`): one round trip per page, not one per
  link; a request found seen then is logged by the dupefilter and sent as ``request_dropped``,
  as Scrapy's engine does for one its scheduler refuses. The worker still counts as having
  work (``has_pending_requests``) while some wait;
* Redis not answering during the crawl is no error per call (Scrapy would log a traceback
  every 5 s): nothing is taken from the queue, requests found meanwhile wait in memory
  until Redis answers again, and the outage is reported once (:mod:`newsbot.cluster.outage`).
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.utils.asyncio import call_later, create_looping_call
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.request import request_from_dict
from scrapy_redis import defaults, picklecompat
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from newsbot.cluster.config import max_idle_seconds, prefetch
from newsbot.cluster.crawl import ClusterCrawl
from newsbot.cluster.dupefilter import ClusterDupeFilter
from newsbot.cluster.outage import REDIS_ERRORS
from newsbot.cluster.serializer import request_to_dict

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

WAKE_INTERVAL = 0.2
"""Seconds between two looks at the shared queue while this worker has found it empty, after
the first :data:`FAST_WAKE_SECONDS`."""

FAST_WAKE_INTERVAL = 0.02
"""Seconds between two looks at the shared queue in the first :data:`FAST_WAKE_SECONDS` after
this worker found it empty (the other workers' next links usually come within milliseconds)."""

FAST_WAKE_SECONDS = 1.0

BATCH = 256
"""Requests queued in one round trip at most."""


class ClusterScheduler(Scheduler):
    """``SCHEDULER`` in cluster mode (set by the add-on when ``NEWSBOT_CLUSTER`` is given).

    Stats: ``scheduler/enqueued``, ``scheduler/enqueued/redis``, ``scheduler/dequeued``,
    ``scheduler/dequeued/redis`` (this worker's share), ``dupefilter/filtered``.
    """

    cluster: ClusterCrawl
    crawler: Crawler
    prefetch: int
    closes: bool  # closes by itself once the crawl is complete
    unsent: list[Request]  # found, not queued in Redis yet: this turn's, or found while Redis was down
    ahead: list[tuple[Request, bytes]]  # taken from the queue with the request handed out last, and their entries
    _wake: Any  # the LoopingCall looking at the queue while starved, or None
    _starved_at: float  # when it found the queue empty (time.monotonic())
    _last_look: float  # when it last looked at the queue while starved
    _flush_call: Any  # the call that queues ``unsent`` at the end of the reactor's turn, or None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterScheduler:
        settings = crawler.settings
        cluster = ClusterCrawl.of(crawler)
        dupefilter = build_from_crawler(load_object(settings["DUPEFILTER_CLASS"]), crawler)
        serializer = settings.get("SCHEDULER_SERIALIZER")
        instance = cls(
            server=cluster.server,
            persist=True,  # never flushed by one worker: see the module docstring
            queue_key=cluster.keys.requests.replace("%", "%%"),  # the queue %-formats its key
            queue_cls=settings.get("SCHEDULER_QUEUE_CLASS") or defaults.SCHEDULER_QUEUE_CLASS,
            dupefilter=dupefilter,
            dupefilter_key=cluster.keys.dupefilter,
            serializer=importlib.import_module(serializer) if isinstance(serializer, str) else serializer,
        )
        instance.stats = crawler.stats
        instance.cluster = cluster
        instance.crawler = crawler
        instance.prefetch = prefetch(settings)
        instance.closes = max_idle_seconds(settings) != 0  # MAX_IDLE_TIME_BEFORE_CLOSE=0: an always-on worker
        instance.unsent = []
        instance.ahead = []
        instance._wake = None
        instance._starved_at = instance._last_look = 0.0
        instance._flush_call = None
        return instance

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.serializer = self.serializer or picklecompat
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key, serializer=self.serializer
        )

    def close(self, reason: str) -> None:
        self._stop_waking()
        if self._flush_call is not None:  # queued here, or kept in unsent while Redis is down
            self._flush_call.cancel()
            self._flush_call = None
        if not self.cluster.outage.ongoing:
            self._flush()  # a stopped crawl keeps what its last callbacks found, for the others or a resume
            self._give_back()
        crawl = self.cluster.keys.crawl
        if self.unsent:
            logger.warning(
                "Cluster crawl %r: %d request(s) found while Redis did not answer were not queued;"
                " the next run finds them again", crawl, len(self.unsent),
            )
        try:
            departure = self.cluster.leave()
        except REDIS_ERRORS as exc:
            logger.warning(
                "Cluster crawl %r: could not leave the crawl in Redis (%s: %s): the other workers count"
                " this one dead after %.0f s and put back what it had taken", crawl, type(exc).__name__, exc,
                self.cluster.timeout,
            )
            if self.stats:
                self.stats.set_value("newsbot/cluster/outcome", "unavailable")
            return
        if departure.outcome == "others":
            logger.info("Cluster crawl %r: %d other worker(s) still running", crawl, departure.remaining)
        elif departure.outcome == "unseeded":
            logger.warning(
                "Cluster crawl %r: last worker out, and the seeding worker stopped before it had queued every"
                " start request (%d request(s) still queued): start workers again; the first seeds the crawl"
                " again and queues only the requests not seen before", crawl, departure.remaining,
            )
        elif departure.outcome == "interrupted":
            logger.warning(
                "Cluster crawl %r: last worker out with %d request(s) still queued: start workers"
                " again to resume, or reset it with `python -m newsbot.cluster reset URL %s`",
                crawl, departure.remaining, crawl,
            )
        else:
            logger.info("Cluster crawl %r complete: last worker out, its Redis keys cleared", crawl)
        if departure.forgotten:
            logger.info("Cluster crawl %r: %d failed request(s) will be tried again next run", crawl, departure.forgotten)
        if self.stats:
            self.stats.set_value("newsbot/cluster/outcome", departure.outcome)

    def _give_back(self) -> None:
        """Put the requests taken and never handed out back in the queue (a stopped worker)."""
        if self.ahead:
            try:
                self.cluster.give_back([data for _, data in self.ahead])
            except REDIS_ERRORS as exc:  # the other workers requeue them once this one counts as dead
                self.cluster.outage.failed(exc)
            self.ahead = []

    def _decode(self, data: bytes) -> Request | None:
        try:
            return request_from_dict(self.serializer.loads(data), spider=self.spider)
        except Exception as exc:  # a malformed entry must not stop the worker
            logger.error("Cluster queue entry dropped: it does not decode to a request (%s: %s)", type(exc).__name__, exc)
            if self.stats:
                self.stats.inc_value("newsbot/cluster/undecodable")
            return None

    def enqueue_request(self, request: Request) -> bool:
        """Take ``request`` for the queue: queued with the others found in this reactor turn
        (module docstring); True, as a request found seen then is dropped by :meth:`_flush`."""
        self.unsent.append(request)
        if self._flush_call is None and not self.cluster.outage.ongoing:
            self._flush_call = call_later(0, self._flush)
        return True

    def _flush(self) -> None:
        """Queue the requests waiting in :attr:`unsent` (kept there while Redis does not answer)."""
        if self._flush_call is not None:
            self._flush_call.cancel()
            self._flush_call = None
        try:
            self._queue_unsent()
        except REDIS_ERRORS as exc:
            self.cluster.outage.failed(exc)

    def _queue_unsent(self) -> None:
        """Queue :attr:`unsent` in batches of :data:`BATCH`; raises the Redis error that stops it
        (what is not queued stays)."""
        while self.unsent:
            batch = self.unsent[:BATCH]
            queued = self._push(batch)
            del self.unsent[: len(batch)]
            for request, new in zip(batch, queued, strict=True):
                if new:
                    if self.stats:
                        self.stats.inc_value("scheduler/enqueued/redis")
                        self.stats.inc_value("scheduler/enqueued")
                else:
                    self.df.log(request, self.spider)
                    self.crawler.signals.send_catch_log(signals.request_dropped, request=request, spider=self.spider)

    def _push(self, requests: list[Request]) -> list[bool]:
        """Queue each of ``requests`` unless it was seen (``dont_filter``: always); per request,
        False when seen. With the sorted-set queue and newsbot's seen set, one script does all
        (one round trip); else one check and one push per request."""
        if isinstance(self.queue, PriorityQueue) and isinstance(self.df, ClusterDupeFilter):
            return self.cluster.enqueue([
                (b"" if request.dont_filter else self.df.request_fingerprint(request), -request.priority,
                 self.serializer.dumps(request_to_dict(request, self.spider)))
                for request in requests
            ])
        queued = []
        for request in requests:
            seen = not request.dont_filter and self.df.request_seen(request)
            if not seen:
                self.queue.push(request)
            queued.append(not seen)
        return queued

    def _waiting(self) -> int:
        """Requests of this worker handed to its downloader and not on the wire yet: in the
        downloader middlewares, in a slot's queue, or waiting for their site's turn in Redis
        (:mod:`newsbot.cluster.politeness`). Scrapy counts a download as transferring from the
        moment its slot starts it, turn included, hence the turn's own count added back. (Counting
        the slots' queues alone missed the requests still in the middlewares, which Scrapy's
        engine passes on a later turn of the reactor: one loop of the engine could take up to
        ``CONCURRENT_REQUESTS``.)"""
        engine = self.crawler.engine
        if engine is None:
            return 0
        downloader = engine.downloader
        transferring = sum(len(slot.transferring) for slot in downloader.slots.values())
        return len(downloader.active) - transferring + getattr(downloader, "waiting_for_turn", 0)

    def _room(self) -> int:
        """How many requests to take now: two once the prefetch has room for two (one round
        trip for both), else none; one at a time with a prefetch of 1."""
        pair = min(2, self.prefetch)
        return pair if self.prefetch - self._waiting() >= pair else 0

    # --- waking up when the queue gets work -------------------------------------------------
    def _start_waking(self) -> None:
        if self._wake is None:
            self._starved_at = self._last_look = time.monotonic()
            self._wake = create_looping_call(self._look)
            self._wake.start(FAST_WAKE_INTERVAL, now=False)

    def _stop_waking(self) -> None:
        if self._wake is not None:
            if self._wake.running:
                self._wake.stop()
            self._wake = None

    def _look(self) -> None:
        """While starved: when the shared queue holds requests and this worker can take one,
        or this worker is idle, have the engine ask for a request now, and when idle whether
        the crawl is complete (its own idle loop looks every 5 s only)."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)  # the engine's scheduling slot: no public handle
        if engine is None or slot is None or slot.closing is not None:
            self._stop_waking()
            return
        now = time.monotonic()
        if now - self._starved_at > FAST_WAKE_SECONDS and now - self._last_look < WAKE_INTERVAL:
            return  # starved for a while: look every WAKE_INTERVAL only
        self._last_look = now
        if not self._room() or engine.needs_backout():
            return
        try:
            queued = self.cluster.queued()
        except REDIS_ERRORS as exc:
            self.cluster.outage.failed(exc)
            return
        if queued or self.unsent or (self.closes and engine.spider_is_idle()):
            # idle: the engine's idle check asks whether the whole crawl is complete (the worker
            # extension), now rather than at the engine's heartbeat (every 5 s)
            slot.nextcall.schedule()

    def has_pending_requests(self) -> bool:
        if self.unsent or self.ahead:
            return True
        try:
            return len(self.queue) > 0
        except REDIS_ERRORS as exc:
            self.cluster.outage.failed(exc)
            return False  # let the engine go idle: the worker extension decides what to do

    def next_request(self) -> Request | None:
        if self.ahead:  # taken with the one handed out last
            return self._hand_out()
        room = self._room()
        if not room:
            return None  # leave the queue to workers that can start a download now
        try:
            request = self._next_request(room)
        except REDIS_ERRORS as exc:
            self.cluster.outage.failed(exc)
            return None
        self.cluster.outage.answered()
        if request is None:
            self._start_waking()
        else:
            self._stop_waking()
        return request

    def _next_request(self, count: int = 1) -> Request | None:
        """Take up to ``count`` requests from the queue (the sorted-set queue; another queue
        class: one) and hand out the first; None when the queue is empty."""
        self._queue_unsent()  # this turn's first, and what was found while Redis was down
        if not isinstance(self.queue, PriorityQueue):  # another SCHEDULER_QUEUE_CLASS: plain pop, no in-flight record
            request = self.queue.pop()
            return self._handed_out(request) if request is not None else None
        # taken atomically into this worker's in-flight hash: back to the queue if it dies
        for data in self.cluster.take(count):
            request = self._decode(data)
            if request is not None:
                self.ahead.append((request, data))
        return self._hand_out() if self.ahead else None

    def _hand_out(self) -> Request:
        """The first request of :attr:`ahead`, now the downloader's (forgotten from the
        in-flight hash once it has left the downloader)."""
        request, data = self.ahead.pop(0)
        self.cluster.taken(request, data)
        return self._handed_out(request)

    def _handed_out(self, request: Request) -> Request:
        self.cluster.mark_busy()
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
            self.stats.inc_value("scheduler/dequeued")
        return request
