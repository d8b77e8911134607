"""Cluster mode: several ``scrapy crawl`` workers, on several machines, split one crawl.

``-s NEWSBOT_CLUSTER=redis://HOST:6379/0`` on every worker switches a crawl to it (the
add-on calls :func:`~newsbot.cluster.config.configure_cluster`). Built on scrapy-redis
0.9.1, wrapped where it does not fit Scrapy 2.19 or newsbot:

* :mod:`~newsbot.cluster.scheduler`: the shared request queue (scrapy-redis's queue
  classes), stats without deprecated calls, never flushed by one worker, requests in
  flight recorded; :mod:`~newsbot.cluster.serializer`: queue entries without defaults;
* :mod:`~newsbot.cluster.dupefilter`: scrapy-redis's Redis set holding newsbot's
  canonical request fingerprints;
* :mod:`~newsbot.cluster.middlewares`: start requests seeded once per crawl; failed
  requests remembered so a later run tries them again (shared case NB-26);
* :mod:`~newsbot.cluster.extension`: heartbeats, and closing (``finished``) as soon as the
  whole crawl is complete (queue empty, nothing in flight, every worker idle);
* :mod:`~newsbot.cluster.dedupe`: the dedupe pipeline under a lock shared by the workers;
* :mod:`~newsbot.cluster.crawl` and :mod:`~newsbot.cluster.scripts`: the per-crawl
  coordination in Redis (membership, seed lock, dead workers, end of crawl);
  :mod:`~newsbot.cluster.keys`: every key name; :mod:`~newsbot.cluster.config`: settings;
* ``python -m newsbot.cluster status|reset``: look at or reset a crawl.

The state store (seen articles, signatures, learned boilerplate) follows
``NEWSBOT_CLUSTER`` into the same Redis unless ``NEWSBOT_STATE`` says otherwise
(:func:`newsbot.state.state_uri`).
"""

from newsbot.cluster.config import cluster_url, configure_cluster

__all__ = ["cluster_url", "configure_cluster"]
