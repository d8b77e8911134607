"""Shared fixtures: replica servers on 127.0.0.1 for snapshot directories, crawls of whole
snapshots shared by the tests that assert on them, and the tests' own Redis (never the
user's: see :mod:`tests.redis_server`)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# NEWSBOT_DATA_DIR's default is the user's data directory (platformdirs: $XDG_DATA_HOME/newsbot):
# every crawl the tests run, in this process or a child, gets a temporary one instead, set
# before newsbot.settings is first imported, and removed at the end.
_DATA_HOME = tempfile.mkdtemp(prefix="newsbot-tests-data-")
os.environ["XDG_DATA_HOME"] = _DATA_HOME
atexit.register(shutil.rmtree, _DATA_HOME, True)

from newsbot.demo.replica import ReplicaServer
from tests.redis_server import ENV, RedisServer, flushed_database, missing_reason, named_server
from tests.snapshot_crawls import SnapshotCrawl, crawl_every_spider


# --- parallel runs (pytest-xdist: ``-n 4`` in pytest.ini) -----------------------------------------
# Tests go to the workers in units, a unit runs on one worker, in collection order. A module-
# scoped fixture (a crawl, a Scrapyd) runs once per worker that runs a test of its module, and
# the session's ``snapshot_crawls`` once per worker that asks for it: so a unit is a module,
# except that every test that uses ``snapshot_crawls`` goes into one unit. Keeping a module in
# one unit also runs the timing-sensitive cluster tests one after another.
SHARED_CRAWL_UNIT = "snapshot-crawls"
SHARED_CRAWL_TESTS = (  # node id prefixes of the tests that use snapshot_crawls (checked below)
    "tests/test_crawl_cases.py::",
    "tests/test_crawl_reference.py::",
    "tests/test_incremental.py::test_second_run_on_the_reference_",
    "tests/test_pipeline_reference.py::",
)
# Started first, longest first (durations on 2 cores): the short units fill in around them. The
# cluster modules lead, one on each worker: they mostly wait (download delays, idle closes), and
# their timing checks (politeness gaps, a worker killed mid-crawl) run beside each other rather
# than beside the units that start three crawls at once.
LONG_UNITS = ("tests/test_cluster_recovery.py", "tests/test_cluster_spread.py", "tests/test_cluster_split.py",
              SHARED_CRAWL_UNIT, "tests/test_config.py", "tests/test_scrapyd.py", "tests/test_progress.py",
              "tests/test_incremental.py", "tests/test_monitors.py", "tests/test_resume.py", "tests/test_archive.py",
              "tests/test_arguments.py", "tests/test_render.py", "tests/test_bench.py", "tests/test_revisit.py")


def xdist_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its module, or :data:`SHARED_CRAWL_UNIT`."""
    return SHARED_CRAWL_UNIT if nodeid.startswith(SHARED_CRAWL_TESTS) else nodeid.split("::", 1)[0]


class _LongUnitsFirst(OrderedDict):
    """xdist's queue of units: the scheduler takes the next one with ``popitem(last=False)``;
    this hands out the :data:`LONG_UNITS` first."""

    def popitem(self, last: bool = True):
        if last or not self:
            return super().popitem(last)
        unit = min(self, key=lambda name: LONG_UNITS.index(name) if name in LONG_UNITS else len(LONG_UNITS))
        return unit, self.pop(unit)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """xdist's load-by-scope scheduling with :func:`xdist_unit` as the scope, long units first.
    (``--dist loadgroup`` cannot group across modules on pytest 9.2: it renames node ids
    through an attribute pytest no longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def __init__(self, config: pytest.Config, log=None) -> None:
            super().__init__(config, log)
            self.workqueue = _LongUnitsFirst()

        def _split_scope(self, nodeid: str) -> str:
            return xdist_unit(nodeid)

    return UnitScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep :data:`SHARED_CRAWL_TESTS` true: a test that uses ``snapshot_crawls`` outside it
    would crawl the snapshot again on another worker (slower, not wrong)."""
    for item in items:
        if "snapshot_crawls" in getattr(item, "fixturenames", ()) and xdist_unit(item.nodeid) != SHARED_CRAWL_UNIT:
            item.warn(pytest.PytestWarning(f"{item.nodeid} uses snapshot_crawls: add it to SHARED_CRAWL_TESTS"
                                           " in tests/conftest.py, or it crawls again under pytest-xdist"))


# --- fixtures ----------------------------------------------------------------------------------
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
def cluster_redis(redis_server) -> Iterator[tuple[str, str]]:
    """A cluster's Redis URL (database 14 of the tests' own server) and a namespace of the
    test's own, whose keys are deleted at the end (nothing else of that database is touched)."""
    import redis

    url = redis_server.url(14)
    namespace = f"nbtest-{uuid.uuid4().hex[:8]}"
    yield url, namespace
    client = redis.Redis.from_url(url)
    names = list(client.scan_iter(f"{namespace}*", count=1000))
    if names:
        client.delete(*names)
    client.close()


@pytest.fixture(scope="module")
def cluster_url(redis_server, request) -> str:
    """A cluster test module's Redis URL: the database its ``REDIS_DB`` names on the tests' own
    server (one database per module, listed in :data:`tests.redis_server.DATABASES`: the modules
    run side by side on the two xdist workers, which share a server named by NEWSBOT_TEST_REDIS)."""
    return redis_server.url(request.module.REDIS_DB)


@pytest.fixture
def cluster_db(cluster_url: str):
    """A client of the module's cluster database, empty at the start and at the end of the test."""
    with flushed_database(cluster_url) as client:
        yield client


@pytest.fixture
def own_redis(tmp_path_factory) -> Iterator[RedisServer]:
    """A private Redis for this test alone (a test that stops it mid-crawl), stopped at the
    end if the test did not; skips when ``redis-server`` is not installed."""
    if reason := missing_reason(opt_in=False):
        pytest.skip(reason)
    server = RedisServer(tmp_path_factory.mktemp("own-redis")).start()
    yield server
    server.stop()
