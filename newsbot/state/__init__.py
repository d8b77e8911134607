"""newsbot's state store: what a crawl remembers for the next one (issue 3).

* :func:`state_uri` resolves where the state lives (the one rule every component uses);
* :func:`open_state` opens a store for a URI (:class:`~newsbot.state.sqlite.SqliteState`
  or :class:`~newsbot.state.redisdb.RedisState`, both :class:`StateStore`);
* :func:`crawl_state` gives the components of one crawl their shared, guarded store and
  the id of this run; it is opened on first use and closed when the engine stops.

Settings: ``NEWSBOT_STATE`` (URI; default resolved by :func:`state_uri`),
``NEWSBOT_STATE_NAMESPACE`` (key prefix, default ``BOT_NAME``), ``NEWSBOT_RUN_ID``
(default: a new id per crawl process), ``NEWSBOT_BOILERPLATE_FORGET_DAYS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import weakref
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from scrapy import signals

from newsbot.config import float_setting, masked_url, name_setting, redis_url, setting_or_default
from newsbot.state.base import DROPPED, ITEM, SeenArticle, StateError, StateStore, StoredDocument, is_final, text_key
from newsbot.state.guard import GuardedState
from newsbot.state.sqlite import SqliteState, sqlite_path

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = [
    "DROPPED", "ITEM", "CrawlState", "GuardedState", "SeenArticle", "StateError", "StateStore", "StoredDocument",
    "crawl_state", "data_file_uri", "fresh_run", "is_final", "open_state", "state_namespace", "state_uri", "text_key",
]

logger = logging.getLogger(__name__)

DEFAULT_FILE = ".newsbot/state.db"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def state_uri(settings: BaseSettings) -> str:
    """Where the state lives, as a URI.

    An explicit ``NEWSBOT_STATE`` wins; else, when ``NEWSBOT_CLUSTER`` (a ``redis://`` URI)
    is set, the state lives in that Redis; else it is the SQLite file
    ``<NEWSBOT_DATA_DIR>/.newsbot/state.db`` (``NEWSBOT_DATA_DIR`` defaults to the user's
    data directory). A value that is no state URI raises ValueError with what to write.

    >>> from scrapy.settings import Settings
    >>> from newsbot.config import default
    >>> state_uri(Settings({})) == f"sqlite:///{default('NEWSBOT_DATA_DIR')}/.newsbot/state.db"
    True
    >>> state_uri(Settings({"NEWSBOT_DATA_DIR": "/srv/newsbot"}))
    'sqlite:////srv/newsbot/.newsbot/state.db'
    >>> state_uri(Settings({"NEWSBOT_CLUSTER": "redis://127.0.0.1:6379/2"}))
    'redis://127.0.0.1:6379/2'
    >>> state_uri(Settings({"NEWSBOT_STATE": "sqlite:///:memory:", "NEWSBOT_CLUSTER": "redis://r:6379/0"}))
    'sqlite:///:memory:'
    """
    explicit = (settings.get("NEWSBOT_STATE") or "").strip()
    if explicit:
        _validate(explicit, "NEWSBOT_STATE")
        return explicit
    cluster = (settings.get("NEWSBOT_CLUSTER") or "").strip()
    if cluster.startswith(REDIS_SCHEMES):
        return cluster
    return data_file_uri(settings, DEFAULT_FILE)


def state_namespace(settings: BaseSettings) -> str:
    """The key prefix of the state (and of the cluster's keys): ``NEWSBOT_STATE_NAMESPACE``,
    else ``BOT_NAME``. A mirrored crawl on Redis gets one of its own (see
    :func:`newsbot.demo.mirror.configure_mirror`).

    >>> from scrapy.settings import Settings
    >>> state_namespace(Settings({"BOT_NAME": "newsbot"})), state_namespace(Settings({"NEWSBOT_STATE_NAMESPACE": "nb2"}))
    ('newsbot', 'nb2')
    """
    return name_setting(settings, "NEWSBOT_STATE_NAMESPACE") or settings.get("BOT_NAME") or "newsbot"


def data_file_uri(settings: BaseSettings, file: str) -> str:
    """The ``sqlite:///`` URI of ``file``, a path under ``NEWSBOT_DATA_DIR`` (kept relative
    when that is).

    >>> from scrapy.settings import Settings
    >>> data_file_uri(Settings({"NEWSBOT_DATA_DIR": "jobs"}), ".newsbot/demo-state.db")
    'sqlite:///jobs/.newsbot/demo-state.db'
    """
    return f"sqlite:///{PurePosixPath(setting_or_default(settings, 'NEWSBOT_DATA_DIR')) / file}"  # "." adds nothing


def _validate(uri: str, name: str) -> None:
    if uri.startswith("sqlite:"):
        sqlite_path(uri)  # raises ValueError with the accepted forms
    elif uri.startswith(REDIS_SCHEMES):
        redis_url(uri, name)  # database, host and port checked: redis-py would fall back to db 0
    else:
        raise ValueError(
            f"{name}={uri!r} is not a state store: write sqlite:///.newsbot/state.db (a file),"
            " sqlite:///:memory: (nothing kept between runs) or redis://host:6379/0"
        )


def open_state(uri: str, namespace: str = "newsbot", *, candidate_ttl: float = 30 * 86400) -> StateStore:
    """Open the store at ``uri`` (created on first use); :class:`StateError` if unreadable."""
    _validate(uri, "NEWSBOT_STATE")
    if uri.startswith(REDIS_SCHEMES):
        from newsbot.state.redisdb import RedisState

        return RedisState(uri, namespace, candidate_ttl=candidate_ttl)
    return SqliteState(uri, namespace)


@dataclass
class CrawlState:
    """The state of one crawl: ``store`` (guarded: never raises), ``run_id`` (what the
    dedupe index records as the run that kept a document) and the resolved ``uri``."""

    store: GuardedState
    run_id: str
    uri: str


_STATES: weakref.WeakKeyDictionary[Crawler, CrawlState] = weakref.WeakKeyDictionary()


def crawl_state(crawler: Crawler) -> CrawlState:
    """The shared state of ``crawler``'s crawl, opened on the first call.

    A bad ``NEWSBOT_STATE`` raises ValueError (the crawl does not start). An unreadable store
    is reported in one ERROR line and replaced by an in-memory one: the crawl and its feed
    go on. The store is closed when the engine stops.
    """
    state = _STATES.get(crawler)
    if state is not None:
        return state
    settings = crawler.settings
    uri = state_uri(settings)
    namespace = state_namespace(settings)
    ttl = float_setting(settings, "NEWSBOT_BOILERPLATE_FORGET_DAYS") * 86400

    def count_error(exc: BaseException) -> None:
        if crawler.stats is not None:
            crawler.stats.inc_value("newsbot/state/errors")

    try:
        store = GuardedState(open_state(uri, namespace, candidate_ttl=ttl), on_error=count_error)
    except StateError as exc:
        store = GuardedState.unreadable(uri, namespace, exc, on_error=count_error)
    spider = getattr(crawler.spidercls, "name", "crawl")
    started = dt.datetime.now(dt.UTC)
    run_id = name_setting(settings, "NEWSBOT_RUN_ID") or f"{spider}-{started:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    state = CrawlState(store, run_id, uri)
    _STATES[crawler] = state
    shown = masked_url(uri)
    logger.info("State store: %s (namespace %r, run %s)", shown if not store.failed else f"{shown} -> memory", namespace, run_id)
    crawler.signals.connect(lambda: _close(crawler), signal=signals.engine_stopped, weak=False)
    return state


def fresh_run(spider: object) -> bool:
    """True when the spider runs with ``-a fresh=1``: the state of earlier runs is ignored
    (seen articles, indexed documents) and still updated."""
    return bool(getattr(getattr(spider, "arguments", None), "fresh", False))


def _close(crawler: Crawler) -> None:
    state = _STATES.pop(crawler, None)
    if state is not None:
        state.store.close()
