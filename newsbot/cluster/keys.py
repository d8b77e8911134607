"""The Redis keys of one cluster crawl (everything a crawl keeps in Redis is named here)."""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "newsbot:cluster"


@dataclass(frozen=True)
class ClusterKeys:
    """Key names of the crawl ``crawl`` (``NEWSBOT_CLUSTER_CRAWL``, default the spider name).

    >>> keys = ClusterKeys("maghress")
    >>> keys.requests, keys.dupefilter
    ('newsbot:cluster:maghress:requests', 'newsbot:cluster:maghress:dupefilter')
    >>> ClusterKeys.crawl_of("newsbot:cluster:maghress-fr:workers")
    'maghress-fr'
    >>> ClusterKeys.crawl_of("newsbot:cluster:maghress:inflight:host:4242:1a2b3c")
    'maghress'
    """

    crawl: str

    def _key(self, name: str) -> str:
        return f"{PREFIX}:{self.crawl}:{name}"

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
    def workers(self) -> str:
        """Sorted set: live workers, scored by their last heartbeat (Redis server time)."""
        return self._key("workers")

    @property
    def status(self) -> str:
        """Hash: worker id -> JSON status (host, pid, busy, responses, items)."""
        return self._key("status")

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
    def crawl_of(key: str) -> str | None:
        """The crawl name in a key of this layout, or None (crawl names have no ``:``)."""
        if not key.startswith(PREFIX + ":"):
            return None
        crawl, sep, _ = key[len(PREFIX) + 1 :].partition(":")
        return crawl if sep and crawl else None
