"""A cluster crawl's progress in Redis: each worker's counts, published, read back, added up.

Each worker writes its :class:`~newsbot.monitoring.progress.Snapshot` (JSON) into the crawl's
progress hash (``<namespace>:cluster:<crawl>:progress``, field: the worker id) every
:data:`PUBLISH_INTERVAL` seconds and once more when it closes, stamped with the Redis
server's clock (``started``, ``updated``: seconds), so any worker, or ``python -m
newsbot.cluster status CRAWL`` on any machine, can add up the whole crawl. The hash
expires :data:`PROGRESS_TTL` after the last write; the seeding worker of the next crawl of the
same name deletes it (:meth:`~newsbot.cluster.crawl.ClusterCrawl.claim_seed`), and
``python -m newsbot.cluster reset`` deletes it with the crawl's other keys.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from newsbot.monitoring.progress import Snapshot, combine

if TYPE_CHECKING:
    import redis

    from newsbot.cluster.keys import ClusterKeys

logger = logging.getLogger(__name__)

PUBLISH_INTERVAL = 5.0
"""Seconds between two writes of a worker's counts (cheap: one HSET and one EXPIRE)."""
PROGRESS_TTL = 7 * 86400
"""Seconds the progress hash lives after its last write: a finished crawl's counts stay
readable for a week (until the next crawl of that name starts)."""


@dataclass(frozen=True)
class WorkerProgress:
    """One worker's published counts: ``started``/``updated`` in Redis server seconds."""

    worker: str
    started: float
    updated: float
    snapshot: Snapshot


def server_time(server: redis.Redis) -> float:
    """The Redis server's clock, in seconds (every worker stamps with the same clock)."""
    seconds, micros = server.time()
    return seconds + micros / 1_000_000


def publish(server: redis.Redis, keys: ClusterKeys, worker: str, started: float, snapshot: Snapshot) -> float:
    """Write ``worker``'s ``snapshot`` (``started``: its start, Redis seconds); returns the stamp."""
    now = server_time(server)
    payload = json.dumps({"started": started, "updated": now, **snapshot.to_dict()}, sort_keys=True)
    pipe = server.pipeline(transaction=True)
    pipe.hset(keys.progress, worker, payload)
    pipe.expire(keys.progress, PROGRESS_TTL)
    pipe.execute()
    return now


def read(server: redis.Redis, keys: ClusterKeys) -> list[WorkerProgress]:
    """Every worker's last published counts (malformed entries are logged and left out)."""
    found = []
    for worker, raw in sorted(server.hgetall(keys.progress).items()):
        name = worker.decode() if isinstance(worker, bytes) else str(worker)
        try:
            data: dict[str, Any] = json.loads(raw)
            found.append(WorkerProgress(name, float(data["started"]), float(data["updated"]), Snapshot.from_dict(data)))
        except (TypeError, ValueError, KeyError) as exc:
            logger.warning("Cluster progress of worker %s ignored: not a progress record (%s: %s)", name, type(exc).__name__, exc)
    return found


def crawl_snapshot(workers: list[WorkerProgress]) -> Snapshot | None:
    """The whole crawl: the workers' counts added up; ``elapsed`` from the first worker's
    start to the latest write. None when no worker has published."""
    if not workers:
        return None
    elapsed = max(w.updated for w in workers) - min(w.started for w in workers)
    return combine((w.snapshot for w in workers), elapsed=elapsed)


def still_running(workers: list[WorkerProgress], live: Iterable[str]) -> int:
    """How many of the publishing ``workers`` are among the ``live`` worker ids (the crawl's
    heartbeats, :meth:`~newsbot.cluster.crawl.ClusterCrawl.live_workers`): a worker that left,
    or died, is not running, whether or not it published its end.

    >>> from newsbot.monitoring.progress import Snapshot
    >>> still_running([WorkerProgress("a", 0, 1, Snapshot(1)), WorkerProgress("b", 0, 1, Snapshot(1))], {"b", "c"})
    1
    """
    live = set(live)
    return sum(1 for w in workers if w.worker in live)
