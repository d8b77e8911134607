"""What a cluster worker does when its Redis stops answering: wait a little, then stop.

In cluster mode the request queue, the seen requests and the worker registry live in
Redis, so a worker cannot go on without it. Before the crawl starts
(:func:`check_reachable`) an unreachable Redis stops the crawl at once: one ERROR line
naming ``NEWSBOT_CLUSTER`` and the cause, exit code 1, nothing crawled. During the crawl
every cluster component reports a failed Redis call to the worker's :class:`RedisOutage`
and carries on without it (nothing is taken from the queue, new links wait in memory);
the first failure is one WARNING line. Redis answering again ends the outage (one INFO
line). An outage longer than ``NEWSBOT_CLUSTER_WORKER_TIMEOUT`` (after which the other
workers count this one dead and put its requests back in the queue) stops the worker:
one ERROR line, finish reason ``cluster_unavailable``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis

from newsbot.config import masked_url
from newsbot.errors import report_configuration_error

logger = logging.getLogger(__name__)

FINISH_REASON = "cluster_unavailable"
REDIS_ERRORS: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
"""What a Redis call raises when the server is down, unreachable or refuses the client."""


class ClusterUnavailable(ValueError):
    """Redis of ``NEWSBOT_CLUSTER`` cannot be used; the message says what to do.

    A ValueError, so that ``scrapy crawl`` treats it as the configuration errors it
    reports in one line (:func:`newsbot.errors.report_configuration_error`)."""


def check_reachable(server: redis.Redis, url: str) -> None:
    """PING ``server``; when it fails, report one ERROR line and raise :class:`ClusterUnavailable`."""
    try:
        server.ping()
    except REDIS_ERRORS as exc:
        error = ClusterUnavailable(
            f"NEWSBOT_CLUSTER={masked_url(url)}: cannot use this Redis ({type(exc).__name__}: {exc}); start"
            " Redis there (redis-server) or point NEWSBOT_CLUSTER at one that runs, e.g."
            " -s NEWSBOT_CLUSTER=redis://127.0.0.1:6379/0"
        )
        report_configuration_error("cluster mode unavailable", error)
        raise error from None


class RedisOutage:
    """One worker's view of its Redis being down (see module docstring).

    ``limit``: seconds of silence after which the worker stops, by calling ``stop`` once
    (the extension closes the spider with :data:`FINISH_REASON`).
    """

    def __init__(self, crawl: str, url: str, limit: float, stop: Callable[[], None] | None = None) -> None:
        self.crawl = crawl
        self.url = masked_url(url)
        self.limit = limit
        self.stop = stop
        self.since: float | None = None
        self.given_up = False

    @property
    def ongoing(self) -> bool:
        return self.since is not None

    def failed(self, exc: BaseException) -> bool:
        """Note a failed Redis call; True once the outage has lasted ``limit`` seconds
        (the worker is then being stopped)."""
        now = time.monotonic()
        if self.since is None:
            self.since = now
            logger.warning(
                "Cluster crawl %r: Redis at %s does not answer (%s: %s); this worker waits up to %.0f s"
                " for it (NEWSBOT_CLUSTER_WORKER_TIMEOUT), then stops",
                self.crawl, self.url, type(exc).__name__, exc, self.limit,
            )
        if now - self.since >= self.limit:
            self.give_up(exc)
            return True
        return False

    def answered(self) -> None:
        """Note a Redis call that worked: the outage, if any, is over."""
        if self.since is not None and not self.given_up:
            silent = time.monotonic() - self.since
            logger.info("Cluster crawl %r: Redis at %s answers again after %.0f s", self.crawl, self.url, silent)
            self.since = None

    def give_up(self, exc: BaseException) -> None:
        """Stop the worker now: one ERROR line, then ``stop`` (once)."""
        if self.given_up:
            return
        self.given_up = True
        silent = time.monotonic() - (self.since if self.since is not None else time.monotonic())
        logger.error(
            "Cluster crawl %r: Redis at %s has not answered for %.0f s (%s: %s): this worker stops"
            " (finish reason %s); start Redis again, then the workers, to resume the crawl",
            self.crawl, self.url, silent, type(exc).__name__, exc, FINISH_REASON,
        )
        if self.stop is not None:
            self.stop()
