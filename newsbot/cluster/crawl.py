"""One worker's handle on a shared crawl in Redis: membership, seeding, idleness, the end.

Every time comes from the Redis server's clock (``TIME`` inside Lua scripts), so
workers on machines whose clocks disagree still agree on who is alive. A worker is
alive while its heartbeat (every :data:`HEARTBEAT_INTERVAL` s) is younger than
``NEWSBOT_CLUSTER_WORKER_TIMEOUT`` s (default 20); a killed worker drops out after that,
and the requests it had taken from the queue and not finished downloading go back to
the queue (each worker keeps them in its own ``inflight`` hash until they leave its
downloader), so a killed worker loses no page.

The crawl ends when its last worker leaves: with the queue drained, the seed lock and the
crawl's run id are deleted (the next run seeds again, under a run id of its own) and so are
the seen-request fingerprints, unless
``SCHEDULER_PERSIST=True`` keeps them; with requests still queued (workers stopped
early), queue and fingerprints stay so that starting workers again resumes the crawl.
The seeding worker marks its seed done once it has queued every start request; when it
left, or died, before that, the crawl cannot complete: the other workers close (finish
reason :data:`SEED_UNFINISHED`) and the last one out keeps queue, fingerprints and seed lock:
the next worker started with the same arguments seeds again and queues only the requests not
seen (an ``ids`` backfill's rest). Either way the fingerprints of requests that failed (HTTP
error, timeout, DNS...) are taken out of the seen set, so a later run tries them again
(shared case NB-26).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import time
import weakref
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.connection import get_redis
from scrapy_redis.defaults import REDIS_PARAMS

from newsbot.cluster.config import cluster_url, crawl_name, worker_timeout
from newsbot.cluster.keys import ClusterKeys
from newsbot.cluster.outage import FINISH_REASON, RedisOutage, check_reachable
from newsbot.cluster.scripts import CLAIM, ENQUEUE, GIVE_BACK, HEARTBEAT, IDLE, LEAVE, LIVE, POP, SEED_DONE
from newsbot.state import state_namespace

if TYPE_CHECKING:
    import redis
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 2.0
SEED_UNFINISHED = "cluster_seed_unfinished"
"""Finish reason of a worker whose crawl's seeding worker stopped before queuing every start request."""

@dataclass(frozen=True)
class SeedClaim:
    """Outcome of :meth:`ClusterCrawl.claim_seed`: who seeds the crawl, with which arguments."""

    mine: bool
    worker: str
    arguments: str
    again: bool = False  # seeding again after a seeding worker that stopped early


@dataclass(frozen=True)
class Settled:
    """Outcome of :meth:`ClusterCrawl.settle`, asked by an idle worker.

    ``work_left``: requests are queued (``queued``) or in flight, or other live workers
    (``busy``, ids) have taken a request since they were last idle. ``seed``: ``done`` (every
    start request queued), ``seeding`` (its worker is still queuing them) or ``gone`` (its worker
    left, or died, before it had queued them all: the crawl cannot complete).
    """

    work_left: bool
    queued: int = 0
    busy: tuple[str, ...] = ()
    seed: str = "done"

    @property
    def complete(self) -> bool:
        """Nothing can add a request any more: the seed done, and no work left anywhere."""
        return self.seed == "done" and not self.work_left

    @property
    def stranded(self) -> bool:
        """No work left, but its seeding worker stopped before it had queued every start request."""
        return self.seed == "gone" and not self.work_left


@dataclass(frozen=True)
class Departure:
    """Outcome of :meth:`ClusterCrawl.leave`.

    ``outcome``: ``others`` (``remaining`` workers still running: nothing cleared),
    ``interrupted`` (last worker, ``remaining`` requests left: kept for a resume),
    ``unseeded`` (last worker, the seeding worker stopped before it had queued every start
    request: queue, seen set and seed lock kept, so the next run seeds the rest) or
    ``complete`` (last worker, queue drained: the crawl's keys were cleared).
    ``forgotten``: failed fingerprints taken out of the seen set.
    """

    outcome: str
    remaining: int = 0
    forgotten: int = 0


class ClusterCrawl:
    """The crawl ``keys.crawl`` in ``server`` as seen by the worker ``worker_id``.

    One instance per crawler (:meth:`of`), shared by the scheduler, the dupefilter,
    the middlewares and the worker extension. ``busy`` is this worker's own view (True
    from the moment it takes a request until Scrapy reports it idle), published with
    each heartbeat so other workers do not close while it may still add requests.
    ``requeued`` counts requests of dead workers this worker put back in the queue.
    """

    _instances: weakref.WeakKeyDictionary[Crawler, ClusterCrawl] = weakref.WeakKeyDictionary()

    def __init__(
        self,
        server: redis.Redis,
        keys: ClusterKeys,
        *,
        timeout: float,
        keep_seen: bool = False,
        worker_id: str | None = None,
        url: str = "redis",
        stop: Callable[[], None] | None = None,
    ) -> None:
        self.server = server
        self.keys = keys
        self.keep_seen = keep_seen
        self.timeout = timeout
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.busy = True
        self.idle_since: float | None = None
        self.left = False
        self.requeued = 0
        self.peers: list[str] = [self.worker_id]  # busy live workers (this one too), by id: see heartbeat()
        self._taken: dict[Request, bytes] = {}
        self.outage = RedisOutage(keys.crawl, url, timeout, stop)  # Redis down mid-crawl: wait, then stop
        self._heartbeat = server.register_script(HEARTBEAT)
        self._live = server.register_script(LIVE)
        self._pop = server.register_script(POP)
        self._give_back = server.register_script(GIVE_BACK)
        self._enqueue = server.register_script(ENQUEUE)
        self._leave = server.register_script(LEAVE)
        self._idle = server.register_script(IDLE)
        self._seed_done = server.register_script(SEED_DONE)
        self._claim = server.register_script(CLAIM)

    @classmethod
    def of(cls, crawler: Crawler) -> ClusterCrawl:
        """The crawler's handle (created on first use from ``NEWSBOT_CLUSTER``).

        Redis is asked once here: when it does not answer the crawl stops before it starts
        (:class:`~newsbot.cluster.outage.ClusterUnavailable`, one ERROR line).
        """
        if crawler not in cls._instances:
            settings = crawler.settings
            assert crawler.spidercls is not None
            keys = ClusterKeys(crawl_name(settings, crawler.spidercls.name), state_namespace(settings))
            url = str(cluster_url(settings.get("NEWSBOT_CLUSTER")))
            server = redis_client(settings)
            check_reachable(server, url)
            cls._instances[crawler] = cls(
                server, keys,
                keep_seen=settings.getbool("SCHEDULER_PERSIST"), timeout=worker_timeout(settings),
                url=url, stop=_closer(weakref.ref(crawler)),
            )
        return cls._instances[crawler]

    def _run(self, script: Any, *args: Any) -> Any:
        k = self.keys
        keys = [k.workers, k.status, k.requests, k.dupefilter, k.failed, k.seeded, k.inflight(self.worker_id), k.run, k.idle]
        return script(keys=keys, args=[self.worker_id, self.timeout, k.inflight_prefix, *args])

    def _pruned(self, raw: list[Any]) -> list[Any]:
        """Log and count requests requeued from dead workers (first two values of a reply)."""
        requeued, dead = int(raw[0]), _text(raw[1])
        if dead:
            self.requeued += requeued
            logger.warning(
                "Cluster crawl %r: worker(s) %s stopped sending heartbeats for %.0f s: %d request(s)"
                " they had taken went back to the queue", self.keys.crawl, dead, self.timeout, requeued,
            )
        return raw[2:]

    # --- membership --------------------------------------------------------------------
    def heartbeat(self, *, downloading: Collection[Request] = (), **status: Any) -> dict[str, dict[str, Any]]:
        """Publish this worker as alive with ``status`` (plus ``busy``); return the live workers.

        Requests taken from the queue that are no longer in ``downloading`` (the
        downloader's active requests) are done: forgotten from the in-flight hash.
        """
        if self.left:
            return {}
        payload = json.dumps({**status, "busy": self.busy}, sort_keys=True)
        return self._note_peers(_statuses(self._pruned(self._run(self._heartbeat, payload, *self._finished(downloading)))))

    def settle(self, downloading: Collection[Request] = ()) -> Settled:
        """Record this worker as idle (Scrapy's engine has nothing to download, parse or queue)
        and tell whether the whole crawl is complete (one script, :data:`~newsbot.cluster.scripts.IDLE`)."""
        queued, busy, left, seed = self._pruned(self._run(self._idle, *self._finished(downloading)))
        return Settled(bool(int(left)), int(queued), tuple(_text(busy).split()), _text(seed))

    def _finished(self, downloading: Collection[Request]) -> list[bytes]:
        """Entries of the requests taken here that are no longer in ``downloading`` (the
        downloader's active requests): done, to forget from the in-flight hash."""
        done = [request for request in self._taken if request not in downloading]
        return [self._taken.pop(request) for request in done]

    def live_workers(self) -> dict[str, dict[str, Any]]:
        """Live workers of the crawl (this one included once it has sent a heartbeat)."""
        return self._note_peers(_statuses(self._pruned(self._run(self._live))))

    def _note_peers(self, live: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        self.peers = sorted({wid for wid, st in live.items() if st.get("busy")} | {self.worker_id})
        return live

    def queued(self) -> int:
        """Requests waiting in the shared queue."""
        return int(self.server.zcard(self.keys.requests))

    def mark_busy(self) -> None:
        self.busy = True
        self.idle_since = None

    def mark_idle(self) -> float:
        """Note that this worker is idle; return since when (monotonic seconds)."""
        self.busy = False
        if self.idle_since is None:
            self.idle_since = time.monotonic()
        return self.idle_since

    # --- the queue -----------------------------------------------------------------------
    def take(self, count: int = 1) -> list[bytes]:
        """The first ``count`` queue entries (sorted-set queue; fewer when the queue holds
        fewer), now recorded as in flight here."""
        return list(self._run(self._pop, count) or [])

    def give_back(self, entries: Sequence[bytes]) -> None:
        """Put entries this worker took and never started back in the queue."""
        self._run(self._give_back, *entries)

    def enqueue(self, entries: Sequence[tuple[bytes, float, bytes]]) -> list[bool]:
        """Mark requests seen and queue their entries, all in one step (sorted-set queue). Per
        ``(fingerprint, score, entry)``: False when it was seen already (earlier in ``entries``
        too). An empty fingerprint is queued without the check (``dont_filter``)."""
        if not entries:
            return []
        args = [value for entry in entries for value in entry]
        return [bool(flag) for flag in self._enqueue(keys=[self.keys.dupefilter, self.keys.requests], args=args)]

    def taken(self, request: Request, data: bytes) -> None:
        """``request`` was decoded from ``data``: forget it once it leaves the downloader."""
        self._taken[request] = data

    # --- seeding -----------------------------------------------------------------------
    def seed_done(self) -> None:
        """This worker, the seeding one, has queued every start request: mark the seed lock done
        (a crawl whose seed is not done never completes; see the module docstring)."""
        self._run(self._seed_done)

    def claim_seed(self, arguments: str) -> SeedClaim:
        """Take the crawl's seed lock (one script, :data:`~newsbot.cluster.scripts.CLAIM`): mine
        for the first worker of a crawl, and for the first one after a seeding worker that
        stopped before it had queued every start request (``again``: same arguments only)."""
        outcome, worker, held = (_text(x) for x in self._pruned(self._run(self._claim, arguments)))
        if outcome == "new":
            self.server.delete(self.keys.progress)  # the counts of an earlier crawl of this name
        return SeedClaim(outcome != "theirs", worker, held, again=outcome == "again")

    def shared_run_id(self, mine: str) -> str:
        """The crawl's run id: the first worker to ask sets it to its own (``mine``), the
        others get it, so the dedupe index sees one run whatever the worker (kept until the
        crawl completes: workers resuming a stopped crawl keep it)."""
        self.server.set(self.keys.run, mine, nx=True)
        return _text(self.server.get(self.keys.run) or mine)

    # --- failures and the end of the crawl ---------------------------------------------
    def record_failed(self, fingerprint: bytes) -> None:
        """Remember that the request with ``fingerprint`` failed (see module docstring)."""
        self.server.sadd(self.keys.failed, fingerprint)

    def leave(self) -> Departure:
        """Leave the crawl; the last worker out ends or parks it (see module docstring).

        Called once Scrapy has finished every request in progress, so nothing this
        worker took is still in flight.
        """
        self.left = True
        raw = self._run(self._leave, "1" if self.keep_seen else "0")
        outcome, remaining, forgotten, _ = (_text(raw[0]), *(int(x) for x in raw[1:]))
        return Departure(outcome, remaining, forgotten)


def _closer(crawler_ref: weakref.ReferenceType[Crawler]) -> Callable[[], None]:
    """Close the crawler's spider with finish reason ``cluster_unavailable`` (weakly held:
    the handle must not keep its crawler alive)."""

    def close() -> None:
        crawler = crawler_ref()
        engine = crawler.engine if crawler is not None else None
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=FINISH_REASON))

    return close


def cluster_component(crawler: Crawler) -> ClusterCrawl:
    """The crawler's :class:`ClusterCrawl` for a cluster component's ``from_crawler``;
    ``NotConfigured`` (the component stays off, silently) when ``NEWSBOT_CLUSTER`` is unset."""
    if cluster_url(crawler.settings.get("NEWSBOT_CLUSTER")) is None:
        raise NotConfigured  # no message: Scrapy would log one WARNING per plain crawl
    return ClusterCrawl.of(crawler)


def redis_client(settings: BaseSettings) -> redis.Redis:
    """A Redis client for ``NEWSBOT_CLUSTER`` with scrapy-redis's defaults and ``REDIS_PARAMS``."""
    url = cluster_url(settings.get("NEWSBOT_CLUSTER"))
    if url is None:
        raise ValueError("NEWSBOT_CLUSTER is not set: give the Redis URL, e.g. -s NEWSBOT_CLUSTER=redis://127.0.0.1:6379/0")
    params = {**REDIS_PARAMS, **settings.getdict("REDIS_PARAMS")}
    params.pop("url", None)
    params["decode_responses"] = False  # fingerprints and pickled requests are bytes
    return get_redis(url=url, **params)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _statuses(raw: list[Any]) -> dict[str, dict[str, Any]]:
    pairs = iter(raw or [])
    out = {}
    for key, value in zip(pairs, pairs):
        try:
            out[_text(key)] = json.loads(value)
        except (TypeError, ValueError):
            out[_text(key)] = {}
    return out
