"""Shared fixtures: replica servers on 127.0.0.1 for snapshot directories, crawls of whole
snapshots shared by the tests that assert on them, and the tests' own Redis (never the
user's: see :mod:`tests.redis_server`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsbot.demo.replica import ReplicaServer
from tests.redis_server import ENV, RedisServer, missing_reason, named_server
from tests.snapshot_crawls import SnapshotCrawl, crawl_every_spider


@pytest.fixture
def replica() -> Iterator[Callable[[Path], ReplicaServer]]:
    """Factory: ``replica(snapshot_dir)`` serves a snapshot until the test ends."""
    servers: list[ReplicaServer] = []

    def start(root: Path) -> ReplicaServer:
        server = ReplicaServer(root).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def snapshot_crawls(tmp_path_factory) -> Callable[[Path], SnapshotCrawl]:
    """``snapshot_crawls(snapshot_dir)``: every aggregator spider's crawl of that snapshot
    (rejects feed on, the project's defaults otherwise), crawled on first use and shared by
    every test of the session that asks for the same snapshot (see
    :mod:`tests.snapshot_crawls`). Tests read it and never change it."""
    done: dict[Path, SnapshotCrawl] = {}

    def crawl(snapshot: Path) -> SnapshotCrawl:
        if snapshot not in done:
            done[snapshot] = crawl_every_spider(snapshot, tmp_path_factory.mktemp(f"crawl-{snapshot.name}"))
        return done[snapshot]

    return crawl


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[RedisServer]:
    """The Redis of this test session (of this xdist worker): a private ``redis-server`` on a
    free port, started on first use and stopped at the end; ``.url(db)`` gives a database's
    URL. ``NEWSBOT_TEST_REDIS=redis://HOST:PORT`` uses that server instead (the tests flush the
    databases they use there). Skips the test when neither is possible."""
    named = named_server()
    if named is not None:
        import redis

        client = redis.Redis.from_url(named.url(0), socket_connect_timeout=2)
        try:
            client.ping()
        except redis.RedisError as exc:
            pytest.skip(f"{ENV}={named.base_url}: no Redis answers there ({exc})")
        finally:
            client.close()
        yield named
        return
    if reason := missing_reason():
        pytest.skip(reason)
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def own_redis(tmp_path_factory) -> Iterator[RedisServer]:
    """A private Redis for this test alone (a test that stops it mid-crawl), stopped at the
    end if the test did not; skips when ``redis-server`` is not installed."""
    if reason := missing_reason(opt_in=False):
        pytest.skip(reason)
    server = RedisServer(tmp_path_factory.mktemp("own-redis")).start()
    yield server
    server.stop()
