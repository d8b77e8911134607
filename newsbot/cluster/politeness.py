"""Politeness across the cluster: one site's delay and concurrency hold for all workers together.

Scrapy applies ``DOWNLOAD_DELAY``, ``CONCURRENT_REQUESTS_PER_DOMAIN`` and AutoThrottle's delay
per download slot (one per site) inside one process: N workers on one site would send N times
what one polite crawler sends. In cluster mode every download also takes a turn from the
site's shared slot in Redis, right before it goes on the wire (after Scrapy's own slot, so a
worker's local delay and jitter can only make it later):

* **next allowed time** ``<namespace>:polite:<slot>:next``: one Lua script (:data:`TURN`) reads
  it, grants ``max(now, next)`` and moves it ``delay`` seconds further, atomically, with the
  Redis server's clock; the worker sleeps until its granted time;
* **last send** ``<namespace>:polite:<slot>:sent``: a worker whose reactor was busy wakes late
  from that sleep, which shortened the next gap by as much (tens of milliseconds on a loaded
  machine). So a download that slept confirms its send when it wakes (:data:`SEND`: not sooner
  than ``delay`` after the last send, else it sleeps the rest), and a turn is never granted
  sooner than ``delay`` after the last send. So two downloads from the site, whichever workers
  send them, start at least ``delay`` apart as Redis's clock sees them;
* **requests in flight** ``<namespace>:polite:<slot>:active``: a sorted set of tokens, at most
  the slot's concurrency (``CONCURRENT_REQUESTS_PER_DOMAIN``, or ``..._PER_IP``, or a
  ``DOWNLOAD_SLOTS`` entry) at once; a worker whose turn finds it full tries again every
  :data:`RETRY_INTERVAL` s. A token is leased for ``NEWSBOT_CLUSTER_WORKER_TIMEOUT`` seconds
  and renewed every :data:`~newsbot.cluster.crawl.HEARTBEAT_INTERVAL` s while its download
  runs: a killed worker's tokens expire, so a dead worker blocks its sites for that long at most.

**Each worker's share.** Left alone, every worker would send the site's whole concurrency and
ask for more turns than the site has: the refused ones poll, each poll a round trip, and while a
worker waits for its next try a token freed by another goes unused (two workers on a 2-core
machine: about eight tries per page, and slower than one plain crawl). So a worker sends at once
at most its part of the site's concurrency (:func:`fair_share`, among the workers busy at the
last heartbeat): its Scrapy download slot gets that part as its concurrency, so its other
requests for the site wait in the slot's queue as they would in one crawler, and the slot
starts the next one as soon as a download ends. Scrapy's slot
alone does not hold that line in a burst (its queue starts each download in a task of its own
and counts it as transferring only once the task runs), so a download beyond the share still
waits here, woken as one of the worker's own downloads ends: no round trip. The turns in Redis
guarantee the limit, and nearly every one is granted at the first try.

**No round trip when there is no delay to keep.** When the site asks no delay between requests
(``DOWNLOAD_DELAY`` 0, AutoThrottle off), a download that ends hands its token to the worker's
next download of the site, which goes at once: the site's count in Redis stays right with no
round trip to give the token back and take another. With no download of the site waiting at
that moment, the worker keeps the token for :data:`SPARE_SECONDS` (while the workers' shares add
up to no more than the site's concurrency, so a kept token never stands in another worker's
way) and its next download of the site goes on it: the slot starts the next one as soon as a
download ends (before: a give-back and a new turn, two round trips, for a fifth of the pages).

The delay asked for is the local slot's (``DOWNLOAD_DELAY``, a ``DOWNLOAD_SLOTS`` delay, or the
one AutoThrottle keeps adjusting from this worker's latencies), without its random jitter: the
cluster spaces a site's requests by the nominal delay, as steady as one polite crawler's
average. Sites are slots, so workers on different sites never wait for each other. The keys
expire by themselves and belong to the namespace, not to one crawl: two crawls of the same site
in one Redis share its politeness too. When Redis does not answer, the download goes ahead
under the worker's own politeness (the outage is reported once, :mod:`newsbot.cluster.outage`).

Installed by the add-on in cluster mode as ``DOWNLOADER`` (:class:`ClusterDownloader`), which
wraps the download handlers, whichever they are (plain HTTP, the mirror's, a browser's).
``NEWSBOT_CLUSTER_POLITENESS=False`` leaves politeness per worker.

Stats: ``newsbot/cluster/polite_waits`` (downloads that waited for their site's turn),
``newsbot/cluster/polite_wait_s`` (seconds waited in all) and ``newsbot/cluster/polite_handovers``
(downloads that went on a token handed over by the worker's previous one, or kept from it, no
delay to keep).
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections import defaultdict, deque
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from scrapy.utils.asyncio import call_later, create_looping_call, sleep
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from newsbot.cluster.crawl import HEARTBEAT_INTERVAL, ClusterCrawl
from newsbot.cluster.outage import REDIS_ERRORS
from newsbot.config import bool_setting
from newsbot.downloader import SlotDownloader
from newsbot.state import state_namespace

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    import redis
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.utils.asyncio import CallLaterResult

logger = logging.getLogger(__name__)

SPARE_SECONDS = 0.05
"""How long a worker keeps the token of a download that ended, for its next download of the same
site, before giving it back (no delay to keep; see module docstring)."""

RETRY_INTERVAL = 0.05
"""Seconds between two tries for a turn while the site has its concurrency in flight (with
a random part, so that waiting workers do not ask in step)."""

# KEYS[1]: the site's next allowed time (epoch seconds, server clock); KEYS[2]: its tokens in
# flight (token -> lease end); KEYS[3]: its last send. ARGV: token, delay (s), concurrency (0:
# no limit), lease (s). Returns the seconds to wait before sending (a string: Lua numbers become
# integers), or false while the site has its concurrency in flight. A turn granted now is a send
# now; one granted later is confirmed by SEND when its worker wakes.
TURN = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%.6f', t))
local limit = tonumber(ARGV[3])
if limit > 0 and redis.call('ZCARD', KEYS[2]) >= limit then return false end
local delay = tonumber(ARGV[2])
local start = t
if delay > 0 then
  start = math.max(t, tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[3]) or '0') + delay)
  redis.call('SET', KEYS[1], string.format('%.6f', start + delay), 'PX', math.ceil((start + delay - t) * 1000) + 1000)
  if start == t then redis.call('SET', KEYS[3], string.format('%.6f', t), 'PX', math.ceil(delay * 1000) + 1000) end
end
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[2], string.format('%.6f', start + lease), ARGV[1])
redis.call('PEXPIRE', KEYS[2], math.ceil((start - t + lease) * 1000) + 1000)
return string.format('%.6f', start - t)
"""
# KEYS[1]: the site's last send; ARGV[1]: delay (s). A download woken from its turn's sleep
# sends now when the last send is ``delay`` behind (recorded, returns '0'), else returns the
# seconds left to wait (a string).
SEND = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local delay = tonumber(ARGV[1])
local due = tonumber(redis.call('GET', KEYS[1]) or '0') + delay
if t < due then return string.format('%.6f', due - t) end
redis.call('SET', KEYS[1], string.format('%.6f', t), 'PX', math.ceil(delay * 1000) + 1000)
return '0'
"""
# KEYS: token sets; ARGV[1]: lease (s), ARGV[i + 1]: the token held in KEYS[i]. Leases renewed
# to end no sooner than a lease from now (never shortened: a turn granted far ahead keeps its
# own; tokens already expired are not brought back).
RENEW = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
local lease = tonumber(ARGV[1])
for i = 1, #KEYS do
  local until_ = tonumber(redis.call('ZSCORE', KEYS[i], ARGV[i + 1]) or '0')
  if until_ > t and until_ < t + lease then
    redis.call('ZADD', KEYS[i], 'XX', string.format('%.6f', t + lease), ARGV[i + 1])
    if redis.call('PTTL', KEYS[i]) < lease * 1000 then redis.call('PEXPIRE', KEYS[i], math.ceil(lease * 1000) + 1000) end
  end
end
"""


def site_keys(namespace: str, slot: str) -> tuple[str, str, str]:
    """The Redis keys of one download slot's shared politeness: next allowed time, tokens in
    flight, last send.

    >>> site_keys("newsbot", "www.maghress.com")[1:]
    ('newsbot:polite:www.maghress.com:active', 'newsbot:polite:www.maghress.com:sent')
    """
    return f"{namespace}:polite:{slot}:next", f"{namespace}:polite:{slot}:active", f"{namespace}:polite:{slot}:sent"


def fair_share(total: int, peers: list[str], me: str) -> int:
    """This worker's part of a site's concurrency ``total`` split among ``peers`` (worker ids,
    sorted; ``me`` among them): an equal part, the remainder to the first ids, at least 1.

    >>> [fair_share(4, ["a", "b"], w) for w in "ab"], [fair_share(4, ["a", "b", "c"], w) for w in "abc"]
    ([2, 2], [2, 1, 1])
    >>> fair_share(1, ["a", "b"], "b"), fair_share(8, ["a"], "a")
    (1, 8)
    """
    if total <= 0 or me not in peers:
        return total
    base, extra = divmod(total, len(peers))
    return max(1, base + (1 if peers.index(me) < extra else 0))


class SitePoliteness:
    """Turns of a worker at its sites' shared slots (see module docstring).

    ``waiting``: downloads of this worker waiting for their turn now (the scheduler counts
    them with its prefetch, like requests waiting in a local slot).
    """

    def __init__(self, cluster: ClusterCrawl, namespace: str, downloader: SlotDownloader, stats: Any) -> None:
        self.cluster = cluster
        self.server: redis.Redis = cluster.server
        self.namespace = namespace
        self.downloader = downloader
        self.stats = stats
        self.lease = cluster.timeout
        self.waiting = 0
        self.held: dict[str, str] = {}  # token -> its site's token set
        self.sending: dict[str, int] = defaultdict(int)  # slot key -> this worker's downloads holding a turn
        self.queued: dict[str, deque[Deferred[None]]] = defaultdict(deque)  # slot key -> downloads waiting here
        self._handed: dict[Deferred[None], str] = {}  # a woken download -> the token passed on to it
        self.spare: dict[str, dict[str, CallLaterResult]] = {}  # slot key -> tokens kept -> their give-back
        self._tokens = itertools.count()
        self.nominal: dict[str, int] = {}  # slot key -> the site's concurrency for the whole cluster
        self._peers_asked = 0.0
        self._turn = self.server.register_script(TURN)
        self._send = self.server.register_script(SEND)
        self._renew = self.server.register_script(RENEW)
        self._loop = create_looping_call(self._renew_safely)

    def start(self) -> None:
        if not self._loop.running:
            self._loop.start(HEARTBEAT_INTERVAL, now=False)

    def stop(self) -> None:
        if self._loop.running:
            self._loop.stop()
        for key in list(self.spare):
            for token in list(self.spare.get(key, ())):
                self._give_back_spare(key, token)

    def _limits(self, request: Request) -> tuple[str, float, int]:
        """The request's download slot key, its delay (no jitter) and the site's concurrency for
        the whole cluster (the slot's own, as Scrapy set it, the first time it is seen); the slot
        is given this worker's share of it as its concurrency (module docstring)."""
        key = self.downloader.get_slot_key(request)
        slot = self.downloader.slots.get(key)
        if slot is None:  # not queued through a slot (cannot happen in the downloader): defaults
            return key, self.downloader._delay, self.downloader.domain_concurrency
        nominal = self.nominal.setdefault(key, slot.concurrency)
        slot.concurrency = fair_share(nominal, self.cluster.peers, self.cluster.worker_id)
        return key, slot.delay, nominal

    async def _my_share(self, key: str, concurrency: int) -> str | None:
        """Wait until this worker sends fewer than its share of the site's concurrency. Returns
        the token of one of its downloads of the site that just ended and passed its place on
        (see :meth:`_release`), or None: take a turn."""
        while self.sending[key] >= fair_share(concurrency, self.cluster.peers, self.cluster.worker_id) > 0:
            woken: Deferred[None] = Deferred()
            self.queued[key].append(woken)
            try:
                await maybe_deferred_to_future(woken)
            except BaseException:  # cancelled (a download timed out, a closing engine)
                handed = self._handed.pop(woken, None)
                if handed is not None:  # woken with a place and a token just before: pass them on
                    self._release(key, handed, 0.0, concurrency)
                else:  # perhaps woken for a free place just before: the next one takes it
                    self._wake_next(key, fair_share(concurrency, self.cluster.peers, self.cluster.worker_id))
                raise
            handed = self._handed.pop(woken, None)
            if handed is not None:
                return handed
        self.sending[key] += 1
        kept = self.spare.get(key)
        if kept:
            token, give_back = kept.popitem()
            give_back.cancel()
            self.stats.inc_value("newsbot/cluster/polite_handovers")
            return token
        return None

    def _release(self, key: str, token: str | None, delay: float, concurrency: int) -> None:
        """One of this worker's downloads of the site ended: wake the next one waiting here.
        When the site asks no delay between two requests, the ending download's place and token
        pass to it as they are: the site's count in Redis does not change, so there is nothing
        to give back and take again (two round trips fewer per page). Otherwise the token goes
        back to Redis and the woken download takes its own turn. With no download of the site
        waiting here and no delay to keep, the token is kept for the next one (:data:`SPARE_SECONDS`).

        A worker that holds more than its share (taken before another worker joined: its
        share shrank) gives the token back and wakes nobody, so the newcomer's turn comes. A
        worker keeping its tokens makes no round trip for the site, so it would never hear of a
        newcomer whose turns are refused until its next heartbeat (up to 2 s; tried without
        asking, a worker that joined a moment after the seeder got no page for 3 s): it asks who
        is busy now and then (:meth:`_learn_peers`)."""
        keep = token is not None and delay <= 0
        if keep:
            self._learn_peers()
        share = fair_share(concurrency, self.cluster.peers, self.cluster.worker_id)
        if share > 0 and self.sending[key] <= share:
            while self.queued[key]:
                woken = self.queued[key].popleft()
                if woken.called:  # cancelled meanwhile
                    continue
                if keep:
                    self._handed[woken] = token
                    self.stats.inc_value("newsbot/cluster/polite_handovers")
                    woken.callback(None)
                    return
                self.queued[key].appendleft(woken)  # woken below, once the place is free
                break
        self.sending[key] -= 1
        spare = self.spare.get(key, {})
        if keep and not self.queued[key] and self.sending[key] + len(spare) < share \
                and (concurrency <= 0 or len(self.cluster.peers) <= concurrency):
            self.spare.setdefault(key, {})[token] = call_later(SPARE_SECONDS, self._give_back_spare, key, token)
        else:
            self._give_back(token)
        self._wake_next(key, share)
        if not self.sending[key] and not self.queued[key]:
            del self.sending[key], self.queued[key]

    def _wake_next(self, key: str, share: int) -> None:
        """Wake the next download waiting here, to take its own turn, while this worker sends
        fewer than its ``share`` (woken, it checks again)."""
        while self.queued[key] and (share <= 0 or self.sending[key] < share):
            woken = self.queued[key].popleft()
            if not woken.called:
                woken.callback(None)
                return

    def _give_back_spare(self, key: str, token: str) -> None:
        """A kept token (see :meth:`_release`) no download of the site took: back to Redis."""
        kept = self.spare.get(key, {})
        give_back = kept.pop(token, None)
        if give_back is None:
            return
        give_back.cancel()
        if not kept:
            del self.spare[key]
        self._give_back(token)

    def _give_back(self, token: str | None) -> None:
        active = self.held.pop(token, None) if token is not None else None
        if active is None:
            return
        try:
            self.server.zrem(active, token)
        except REDIS_ERRORS as exc:  # it expires after the lease
            self.cluster.outage.failed(exc)

    @asynccontextmanager
    async def turn(self, request: Request) -> AsyncIterator[None]:
        """Wait for this worker's share, then the site's turn; hold both while the ``with`` body runs."""
        key, delay, concurrency = self._limits(request)
        self.start()  # renewals of held tokens (started here: the reactor runs by now)
        self.waiting += 1
        try:
            handed = await self._my_share(key, concurrency)
        except BaseException:
            self.waiting -= 1
            raise
        token = handed
        try:
            try:
                if token is None:
                    token = await self._site_turn(key, delay, concurrency)
            finally:
                self.waiting -= 1
            yield
        finally:
            self._release(key, token, delay, concurrency)

    async def _site_turn(self, key: str, delay: float, concurrency: int) -> str | None:
        """Take the site's turn in Redis (asking again while its concurrency is in flight), wait
        until the granted time; the token held, or None when Redis does not answer."""
        keys = site_keys(self.namespace, key)
        token = f"{self.cluster.worker_id}:{next(self._tokens)}"
        waited = 0.0
        while True:
            try:
                wait = self._turn(keys=list(keys), args=[token, repr(max(0.0, delay)), concurrency, self.lease])
            except REDIS_ERRORS as exc:  # Redis down: this worker's own politeness only
                self.cluster.outage.failed(exc)
                return None
            if wait is not None:
                break
            self._learn_peers()
            pause = RETRY_INTERVAL * (0.5 + random.random())  # noqa: S311 - not for security
            waited += pause
            await sleep(pause)
        self.held[token] = keys[1]
        while float(wait) > 0:  # asleep until the turn, then the send confirmed (module docstring)
            waited += float(wait)
            await sleep(float(wait))
            try:
                wait = self._send(keys=[keys[2]], args=[repr(delay)])
            except REDIS_ERRORS as exc:
                self.cluster.outage.failed(exc)
                break
        if waited:
            self.stats.inc_value("newsbot/cluster/polite_waits")
            self.stats.inc_value("newsbot/cluster/polite_wait_s", round(waited, 3))
        return token

    def _learn_peers(self) -> None:
        """Ask who is busy now rather than at the next heartbeat (at most every
        :data:`RETRY_INTERVAL` x 10 s), so that the shares follow at once when a worker joins:
        on a refused turn (other workers send to the site too), and while this worker keeps
        its tokens (:meth:`_release`)."""
        now = time.monotonic()
        if now - self._peers_asked < RETRY_INTERVAL * 10:
            return
        self._peers_asked = now
        try:
            self.cluster.live_workers()
        except REDIS_ERRORS as exc:
            self.cluster.outage.failed(exc)

    def _renew_safely(self) -> None:
        if not self.held:
            return
        tokens = list(self.held.items())
        try:
            self._renew(keys=[k for _, k in tokens], args=[self.lease, *(t for t, _ in tokens)])
        except REDIS_ERRORS as exc:
            self.cluster.outage.failed(exc)


class _PoliteHandlers:
    """The downloader's handlers, each download first taking its site's turn; every other
    attribute is the wrapped ``DownloadHandlers``' own (its ``_handlers`` dict too, which
    scrapy-playwright's memory extension reads: hence the wrapped object's other name)."""

    def __init__(self, handlers: Any, politeness: SitePoliteness) -> None:
        self._wrapped = handlers
        self.politeness = politeness

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)

    async def download_request_async(self, request: Request) -> Response:
        async with self.politeness.turn(request):
            return await self._wrapped.download_request_async(request)


class ClusterDownloader(SlotDownloader):
    """``DOWNLOADER`` in cluster mode (set by the add-on): the project's downloader
    (:class:`~newsbot.downloader.SlotDownloader`) whose downloads take their site's turn in Redis
    first (see module docstring); the plain project downloader when
    ``NEWSBOT_CLUSTER_POLITENESS`` is False."""

    politeness: SitePoliteness | None

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.politeness = None
        if not bool_setting(crawler.settings, "NEWSBOT_CLUSTER_POLITENESS"):
            return
        self.politeness = SitePoliteness(ClusterCrawl.of(crawler), state_namespace(crawler.settings), self, crawler.stats)
        self.handlers = _PoliteHandlers(self.handlers, self.politeness)  # type: ignore[assignment]

    def close(self) -> None:
        if self.politeness is not None:
            self.politeness.stop()
        super().close()

    @property
    def waiting_for_turn(self) -> int:
        """Downloads waiting for their site's turn in Redis."""
        return self.politeness.waiting if self.politeness is not None else 0
