"""Redis for the tests, never the user's: a ``redis-server`` of the tests' own on a free port
of 127.0.0.1, nothing saved to disk, its files in a temporary folder, stopped at the end.

The fixtures in ``tests/conftest.py`` are the way tests get one: ``redis_server`` (one per
test session, or per xdist worker) and ``own_redis`` (one per test, for a test that stops it).
``NEWSBOT_TEST_REDIS=redis://HOST:PORT`` opts in to a server the user names instead of the
session's: the tests then flush the databases they use there (see :data:`DATABASES`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ENV = "NEWSBOT_TEST_REDIS"
DATABASES = {10: "cluster tests: tests/test_cluster_setup.py (flushed before and after each test)",
             11: "cluster tests: tests/test_cluster_recovery.py (flushed before and after each test)",
             12: "cluster tests: tests/test_cluster_spread.py (flushed before and after each test)",
             13: "cluster tests: tests/test_cluster_split.py (flushed before and after each test)",
             14: "state store tests (keys under a random namespace, deleted after each test)"}
"""Databases the tests use on a server named by ``NEWSBOT_TEST_REDIS`` (on a private server
too, where flushing is harmless)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_reason(opt_in: bool = True) -> str | None:
    """Why no private Redis can be started here, or None (``opt_in``: name the alternative)."""
    if shutil.which("redis-server") is None:
        alternative = (f"; or set {ENV}=redis://HOST:PORT to use a server of yours (the tests flush"
                       " its databases 10 to 13 and write to its database 14)") if opt_in else ""
        return f"redis-server is not installed (apt-get install redis-server){alternative}"
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the redis package is not installed (pip install -r requirements.txt)"
    return None


class RedisServer:
    """A Redis for tests: ``RedisServer(workdir).start()`` runs a private ``redis-server``;
    ``RedisServer.named(url)`` is a server the user runs (never started nor stopped here)."""

    def __init__(self, workdir: Path | None = None, *, base_url: str | None = None) -> None:
        self.workdir = workdir
        self.base_url = base_url  # redis://HOST:PORT, no database
        self.process: subprocess.Popen | None = None

    @classmethod
    def named(cls, url: str) -> RedisServer:
        scheme, _, rest = url.rstrip("/").partition("://")
        return cls(base_url=f"{scheme}://{rest.split('/', 1)[0]}")

    @property
    def private(self) -> bool:
        return self.workdir is not None

    def url(self, db: int = 0) -> str:
        """``redis://127.0.0.1:PORT/DB`` of database ``db``."""
        assert self.base_url, "start() the server first"
        return f"{self.base_url}/{db}"

    def start(self, timeout: float = 10) -> RedisServer:
        """Start ``redis-server`` and wait until it answers a PING (a new port when the one
        picked was taken meanwhile)."""
        assert self.workdir is not None, "a named server is the user's: it is never started here"
        self.workdir.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            port = free_port()
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            self.base_url = f"redis://127.0.0.1:{port}"
            if self._answers(timeout):
                return self
            self.stop()
        raise RuntimeError(f"redis-server did not start: {self.log()[-2000:]}")

    def _answers(self, timeout: float) -> bool:
        import redis

        client = redis.Redis.from_url(self.url(0), socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    return bool(client.ping())
                except redis.RedisError:
                    time.sleep(0.02)  # not listening yet: redis-server starts in a few ms
            return False
        finally:
            client.close()

    def log(self) -> str:
        path = self.workdir / "redis.log" if self.workdir else None
        return path.read_text(encoding="utf-8", errors="replace") if path and path.exists() else ""

    def stop(self) -> None:
        """Stop the private server and wait for it (nothing for a named one)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def named_server() -> RedisServer | None:
    """The server ``NEWSBOT_TEST_REDIS`` names, if it does."""
    url = os.environ.get(ENV, "").strip()
    return RedisServer.named(url) if url else None


@contextmanager
def flushed_database(url: str) -> Iterator[Any]:
    """A client of the database at ``url`` (one of the tests' own), emptied before and after:
    for tests that own a whole database (each cluster test module its own: 10 to 13)."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()
