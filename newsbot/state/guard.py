"""A state store that never stops a crawl: errors become one ERROR line and a memory store.

Corrupt or unreadable state must not lose the feed (issue 3). :class:`GuardedState` wraps
the configured store; the first error of any call (``sqlite3.Error``, ``redis.RedisError``,
``OSError``, :class:`~newsbot.state.base.StateError`) is logged once, with the store's URI,
the cause and what to do, counted as ``newsbot/state/errors``, and every later call goes to
an in-memory SQLite store instead: the crawl goes on deduplicating and learning within the
run, and nothing of this run is remembered.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

import redis

from newsbot.config import masked_url
from newsbot.state.base import StateError, StateStore
from newsbot.state.sqlite import SqliteState

logger = logging.getLogger(__name__)

STORE_ERRORS: tuple[type[BaseException], ...] = (sqlite3.Error, redis.RedisError, OSError, StateError)
MEMORY_URI = "sqlite:///:memory:"


def memory_store(namespace: str) -> SqliteState:
    """An empty store that lives as long as the process (``sqlite:///:memory:``)."""
    return SqliteState(MEMORY_URI, namespace)


class GuardedState:
    """Proxy to a :class:`~newsbot.state.base.StateStore` that falls back to memory on the
    first error (see module docstring). ``failed`` tells whether it has fallen back;
    ``on_error`` is called once with the exception (the crawl's stats counter)."""

    def __init__(self, store: StateStore, on_error: Callable[[BaseException], None] | None = None) -> None:
        self._store = store
        self._on_error = on_error
        self.failed = False

    @property
    def uri(self) -> str:
        return self._store.uri

    @property
    def namespace(self) -> str:
        return self._store.namespace

    @property
    def persistent(self) -> bool:
        return self._store.persistent and not self.failed

    @classmethod
    def unreadable(
        cls, uri: str, namespace: str, exc: BaseException, on_error: Callable[[BaseException], None] | None = None
    ) -> GuardedState:
        """A memory store standing in for the store at ``uri`` that could not be opened."""
        guarded = cls(memory_store(namespace), on_error)
        guarded._report(uri, exc)
        return guarded

    def fall_back(self, exc: BaseException) -> None:
        """Log ``exc`` once and switch to a memory store for the rest of the run."""
        if self.failed:
            return
        broken, self._store = self._store, memory_store(self._store.namespace)
        try:
            broken.close()
        except Exception:  # noqa: BLE001 - already broken; closing is best effort
            pass
        self._report(broken.uri, exc)

    def _report(self, uri: str, exc: BaseException) -> None:
        self.failed = True
        cause = exc.__cause__ if isinstance(exc, StateError) and exc.__cause__ is not None else exc
        logger.error(
            "State store %s failed (%s: %s): this run goes on without state (deduplication and"
            " boilerplate learning within the run only, nothing remembered for the next run); the"
            " feed is not affected. Fix or move the store away (a new one is created) or set"
            " NEWSBOT_STATE to another location.",
            masked_url(uri), type(cause).__name__, cause,
        )
        if self._on_error is not None:
            self._on_error(exc)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._store, name)
        if not callable(method):
            return method

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return getattr(self._store, name)(*args, **kwargs)
            except STORE_ERRORS as exc:
                self.fall_back(exc)
                return getattr(self._store, name)(*args, **kwargs)

        # Kept on the instance: the next call finds it without __getattr__ (the pipelines call
        # the store for every item). It looks the method up on the current store at each call,
        # so it stays right after a fall-back to memory.
        setattr(self, name, guarded)
        return guarded

    def close(self) -> None:
        try:
            self._store.close()
        except STORE_ERRORS as exc:
            logger.warning("State store %s did not close cleanly: %s", self._store.uri, exc)
