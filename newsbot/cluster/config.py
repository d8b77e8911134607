"""Cluster mode settings: ``NEWSBOT_CLUSTER`` checked and turned into scrapy-redis settings.

:func:`configure_cluster` is called by the newsbot add-on (after ``-s`` options are
applied). With ``NEWSBOT_CLUSTER`` unset it does nothing; with a Redis URL it switches
``SCHEDULER``, ``DUPEFILTER_CLASS`` and ``DOWNLOADER`` to newsbot's cluster classes, sets ``REDIS_URL``
and ``SCHEDULER_SERIALIZER``,
gives ``MAX_IDLE_TIME_BEFORE_CLOSE`` a default and puts the cluster's dedupe pipeline
(:mod:`newsbot.cluster.dedupe`) in the place of the plain one. A bad value raises ValueError
before the crawl starts, with what to write instead.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsbot.config import SettingError, float_setting, int_setting, redis_url

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

SCHEDULER = "newsbot.cluster.scheduler.ClusterScheduler"
DUPEFILTER = "newsbot.cluster.dupefilter.ClusterDupeFilter"
DOWNLOADER = "newsbot.cluster.politeness.ClusterDownloader"
DEDUPE = "newsbot.pipelines.dedupe.DedupePipeline"
CLUSTER_DEDUPE = "newsbot.cluster.dedupe.ClusterDedupePipeline"
SERIALIZER = "newsbot.cluster.serializer"
# Workers close as soon as the crawl is complete (newsbot.cluster.extension); this bounds the
# wait only while the queue is empty and every worker idle but requests are still recorded in
# flight, which the in-flight records of a dead worker outlast by the worker timeout (20 s).
# 0: never close (always-on workers).
DEFAULT_MAX_IDLE = 30
MIN_MAX_IDLE = 5
_CRAWL_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


def cluster_url(value: object) -> str | None:
    """The ``NEWSBOT_CLUSTER`` value checked: a Redis URL, or None when unset.

    >>> cluster_url("redis://127.0.0.1:6379/0")
    'redis://127.0.0.1:6379/0'
    >>> cluster_url(None) is None
    True
    >>> cluster_url("127.0.0.1:6379")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_CLUSTER='127.0.0.1:6379' is not a Redis URL: write redis://HOST:PORT/DB, e.g. -s NEWSBOT_CLUSTER=redis://127.0.0.1:6379/0
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return redis_url(value, "NEWSBOT_CLUSTER")  # SettingError (a ValueError) with the fix


def crawl_name(settings: BaseSettings, spider_name: str) -> str:
    """The name of the shared crawl: ``NEWSBOT_CLUSTER_CRAWL`` or the spider's name.

    Workers with the same crawl name (and the same Redis) split one crawl; give two
    crawls of one spider with different ``-a`` arguments different names.

    >>> from scrapy.settings import Settings
    >>> crawl_name(Settings(), "maghress")
    'maghress'
    >>> crawl_name(Settings({"NEWSBOT_CLUSTER_CRAWL": "maghress-fr"}), "maghress")
    'maghress-fr'
    """
    name = settings.get("NEWSBOT_CLUSTER_CRAWL") or spider_name
    if not _CRAWL_NAME.match(str(name)):
        raise SettingError(
            f"NEWSBOT_CLUSTER_CRAWL={name!r}: use letters, digits, '.', '_' and '-' only"
            " (e.g. -s NEWSBOT_CLUSTER_CRAWL=maghress-fr)"
        )
    return str(name)


def max_idle_seconds(settings: BaseSettings) -> int:
    """``MAX_IDLE_TIME_BEFORE_CLOSE`` in seconds (0 = never close), checked.

    >>> from scrapy.settings import Settings
    >>> max_idle_seconds(Settings({"MAX_IDLE_TIME_BEFORE_CLOSE": "10"}))
    10
    >>> max_idle_seconds(Settings())
    30
    """
    raw = settings.get("MAX_IDLE_TIME_BEFORE_CLOSE")
    if raw is None:
        return DEFAULT_MAX_IDLE
    try:
        seconds = int(raw)
    except (TypeError, ValueError):
        seconds = -1
    if seconds != 0 and seconds < MIN_MAX_IDLE:
        raise ValueError(
            f"MAX_IDLE_TIME_BEFORE_CLOSE={raw!r}: give whole seconds, 0 (workers never close by"
            f" themselves) or at least {MIN_MAX_IDLE} (default {DEFAULT_MAX_IDLE})"
        )
    return seconds


def worker_timeout(settings: BaseSettings) -> float:
    """``NEWSBOT_CLUSTER_WORKER_TIMEOUT``: seconds without a heartbeat after which a worker
    counts as dead and its requests in flight go back to the queue (default 20, at least 6:
    three heartbeats).

    >>> from scrapy.settings import Settings
    >>> worker_timeout(Settings())
    20.0
    """
    return float_setting(settings, "NEWSBOT_CLUSTER_WORKER_TIMEOUT")


def prefetch(settings: BaseSettings) -> int:
    """``NEWSBOT_CLUSTER_PREFETCH``: how many taken requests a worker may have waiting in its
    downloader for a free slot before it leaves the queue to other workers (default 3: taken two
    at a time, at least one waits, see :mod:`newsbot.cluster.scheduler`).

    >>> from scrapy.settings import Settings
    >>> prefetch(Settings()), prefetch(Settings({"NEWSBOT_CLUSTER_PREFETCH": "4"}))
    (3, 4)
    """
    return int_setting(settings, "NEWSBOT_CLUSTER_PREFETCH")


def configure_cluster(settings: BaseSettings) -> None:
    """Switch a crawl to the Redis cluster when ``NEWSBOT_CLUSTER`` is set (add-on step).

    ``NEWSBOT_CLUSTER`` and ``NEWSBOT_CLUSTER_CRAWL`` are checked even when the cluster is off,
    like every ``NEWSBOT_*`` value (the numbers are checked by :mod:`newsbot.config`). Values
    the user gave explicitly (``-s SCHEDULER=...``, ``-s MAX_IDLE_TIME_BEFORE_CLOSE=60``) win
    over the ones set here, which use the ``addon`` priority.
    """
    url = cluster_url(settings.get("NEWSBOT_CLUSTER"))
    crawl_name(settings, "spider")
    if url is None:
        return
    if settings.getbool("SCHEDULER_FLUSH_ON_START"):
        raise ValueError(
            "SCHEDULER_FLUSH_ON_START=True would wipe the queue of workers that are already"
            " running: leave it unset and reset a crawl with"
            " `python -m newsbot.cluster reset REDIS_URL CRAWL` while no worker runs"
        )
    settings.set("SCHEDULER", SCHEDULER, priority="addon")
    settings.set("DUPEFILTER_CLASS", DUPEFILTER, priority="addon")
    # politeness per site across workers, in place of the project's downloader (which it
    # extends), not of one given with -s
    settings.set("DOWNLOADER", DOWNLOADER, priority="project")
    settings.set("REDIS_URL", url, priority="addon")
    settings.set("SCHEDULER_SERIALIZER", SERIALIZER, priority="addon")
    if settings.get("MAX_IDLE_TIME_BEFORE_CLOSE") is None:
        settings.set("MAX_IDLE_TIME_BEFORE_CLOSE", DEFAULT_MAX_IDLE, priority="addon")
    max_idle_seconds(settings)
    worker_timeout(settings)
    prefetch(settings)
    _lock_dedupe(settings)


def _lock_dedupe(settings: BaseSettings) -> None:
    """Put :class:`~newsbot.cluster.dedupe.ClusterDedupePipeline` in the dedupe pipeline's place."""
    from scrapy.utils.misc import load_object

    try:
        settings.replace_in_component_priority_dict("ITEM_PIPELINES", load_object(DEDUPE), load_object(CLUSTER_DEDUPE))
    except KeyError:
        pass  # no dedupe pipeline in this project's ITEM_PIPELINES: nothing to lock
