"""The Redis keys of one cluster crawl (everything a crawl keeps in Redis is named here).

They live under the state namespace (``NEWSBOT_STATE_NAMESPACE``, default ``BOT_NAME``:
``newsbot:cluster:<crawl>:...``), like the state store's own keys, so a mirrored crawl,
whose namespace is ``newsbot-demo`` or ``newsbot-mirror``, never shares a queue or a seen set
with a live one.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_NAMESPACE = "newsbot"


def prefix(namespace: str = DEFAULT_NAMESPACE) -> str:
    """What every cluster key of ``namespace`` starts with.

    >>> prefix(), prefix("newsbot-demo")
    ('newsbot:cluster', 'newsbot-demo:cluster')
    """
    return f"{namespace}:cluster"


@dataclass(frozen=True)
class ClusterKeys:
    """Key names of the crawl ``crawl`` (``NEWSBOT_CLUSTER_CRAWL``, default the spider name)
    in ``namespace`` (the state namespace).

    >>> keys = ClusterKeys("maghress")
    >>> keys.requests, keys.dupefilter
    ('newsbot:cluster:maghress:requests', 'newsbot:cluster:maghress:dupefilter')
    >>> ClusterKeys("maghress", "newsbot-demo").requests
    'newsbot-demo:cluster:maghress:requests'
    >>> ClusterKeys.crawl_of("newsbot:cluster:maghress-fr:workers")
    'maghress-fr'
    >>> ClusterKeys.crawl_of("newsbot:cluster:maghress:inflight:host:4242:1a2b3c")
    'maghress'
    >>> ClusterKeys.crawl_of("newsbot-demo:cluster:maghress:workers") is None
    True
    """

    crawl: str
    namespace: str = DEFAULT_NAMESPACE

    def _key(self, name: str) -> str:
        return f"{prefix(self.namespace)}:{self.crawl}:{name}"

    @property
    def requests(self) -> str:
        """Sorted set: the shared request queue (scrapy-redis PriorityQueue, pickled requests)."""
        return self._key("requests")

    @property
    def dupefilter(self) -> str:
        """Set: fingerprints (20 bytes, newsbot's canonical request fingerprints) of requests seen."""
        return self._key("dupefilter")

    @property
    def failed(self) -> str:
        """Set: fingerprints of requests that failed in this crawl; forgotten when it ends."""
        return self._key("failed")

    @property
    def seeded(self) -> str:
        """String: JSON naming the worker that seeded the crawl and its spider arguments."""
        return self._key("seeded")

    @property
    def run(self) -> str:
        """String: the run id every worker of the crawl records in the dedupe index."""
        return self._key("run")

    @property
    def workers(self) -> str:
        """Sorted set: live workers, scored by their last heartbeat (Redis server time)."""
        return self._key("workers")

    @property
    def status(self) -> str:
        """Hash: worker id -> JSON status (host, pid, busy, responses, items)."""
        return self._key("status")

    @property
    def progress(self) -> str:
        """Hash: worker id -> JSON counts (:mod:`newsbot.cluster.progress`); expires a week
        after its last write, deleted when the next crawl of this name is seeded."""
        return self._key("progress")

    @property
    def idle(self) -> str:
        """Set: ids of workers that were idle (nothing to download, parse or queue) and have not
        taken a request since: the crawl is complete once every live worker is in it, with the
        queue empty and nothing in flight (:meth:`~newsbot.cluster.crawl.ClusterCrawl.settle`)."""
        return self._key("idle")

    @property
    def inflight_prefix(self) -> str:
        """Prefix of the per-worker hashes of requests taken and not yet downloaded."""
        return self._key("inflight:")

    def inflight(self, worker_id: str) -> str:
        """Hash: queue entry -> its score, for the requests ``worker_id`` is downloading."""
        return self.inflight_prefix + worker_id

    @property
    def pattern(self) -> str:
        """SCAN pattern matching every key of the crawl (what ``reset`` deletes)."""
        return self._key("*")

    @staticmethod
    def crawl_of(key: str, namespace: str = DEFAULT_NAMESPACE) -> str | None:
        """The crawl name in a key of this layout in ``namespace``, or None (crawl names have no ``:``)."""
        start = prefix(namespace) + ":"
        if not key.startswith(start):
            return None
        crawl, sep, _ = key[len(start) :].partition(":")
        return crawl if sep and crawl else None
