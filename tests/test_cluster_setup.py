"""Cluster mode (issue 4, section 3): what a worker checks before it crawls.

A mirrored crawl keeps to its own namespace, a worker started with other spider arguments
than the running crawl stops (and ``python -m newsbot.cluster`` shows and resets that crawl),
bad cluster settings stop a worker before it opens the spider. Real ``scrapy crawl``
processes on the tests' own Redis (the ``cluster_db`` fixture: this module's database, flushed
before and after each test); skipped when ``redis-server`` is not installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsbot.demo.replica import ReplicaServer
from tests.cluster_checks import ALONE, WORKER_SETTINGS, check_clean_finish
from tests.cluster_snapshot import build_snapshot
from tests.crawling import ROOT, run_crawl

redis = pytest.importorskip("redis")

pytestmark = pytest.mark.redis

REDIS_DB = 10


def test_a_mirrored_crawl_never_writes_the_live_namespace(cluster_db, cluster_url, tmp_path):
    """A cluster crawl of the demo replica keeps its state, queue and seen set under
    ``newsbot-demo:``: nothing of it under ``newsbot:``, where a live crawl would read it."""
    result = run_crawl("maghress", tmp_path, mirror="demo",
                       settings={"NEWSBOT_CLUSTER": cluster_url, **WORKER_SETTINGS, **ALONE}, quick_idle=True)
    check_clean_finish([result])
    assert len(result.items) == 13
    keys = {k.decode() for k in cluster_db.scan_iter(count=1000)}
    assert keys and sorted(k for k in keys if not k.startswith("newsbot-demo:")) == []
    statuses = {k.decode(): v.decode() for k, v in cluster_db.hgetall("newsbot-demo:articles").items()}
    assert sorted(a for a, status in statuses.items() if status == "item") == sorted(i["article_id"] for i in result.items)
    assert int(cluster_db.hlen("newsbot-demo:docs")) == 13
    assert "State store: redis://127.0.0.1:" in result.log and "(namespace 'newsbot-demo'" in result.log


# --- workers must crawl alike; bad settings fail fast ---------------------------------------
def test_worker_with_other_arguments_stops(cluster_db, cluster_url, tmp_path):
    cluster_db.set("newsbot-mirror:cluster:maghress:seeded",
                   json.dumps({"worker": "elsewhere:1:abcdef", "arguments": "CrawlArguments(editions=('ar',))"}))
    cluster_db.zadd("newsbot-mirror:cluster:maghress:workers", {"elsewhere:1:abcdef": 9e9})  # alive "forever"
    server = ReplicaServer(build_snapshot(tmp_path / "snapshot")).start()
    try:
        result = run_crawl("maghress", tmp_path / "crawl", mirror=server.url, args={"editions": "fr"},
                           settings={"NEWSBOT_CLUSTER": cluster_url, **WORKER_SETTINGS})
        hits = server.hits()
    finally:
        server.stop()
    assert result.stat("finish_reason", None) == "cluster_arguments_mismatch"
    assert "run every worker with the same -a options" in result.log
    # nothing was fetched on purpose: the monitors do not judge it (no "check the network" advice)
    assert "Monitors not run: the crawl did not start (cluster_arguments_mismatch" in result.log
    assert "NEWSBOT_MIRROR" not in result.log.split("run every worker with the same -a options", 1)[1]
    assert result.items == [] and not [k for k in hits if not k.endswith("/robots.txt")]
    assert cluster_db.exists("newsbot-mirror:cluster:maghress:seeded")  # the running crawl is untouched

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "newsbot.cluster", *args], capture_output=True, text=True,
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)

    status = cli("status", cluster_url, "--namespace", "newsbot-mirror")
    assert status.returncode == 0 and json.loads(status.stdout)["seeded_by"] == "elsewhere:1:abcdef"
    refused = cli("reset", cluster_url, "maghress", "--namespace", "newsbot-mirror")
    assert refused.returncode == 1 and "stop them first or use --force" in refused.stderr
    forced = cli("reset", cluster_url, "maghress", "--force", "--namespace", "newsbot-mirror")
    assert forced.returncode == 0 and list(cluster_db.scan_iter("newsbot-mirror:cluster:*")) == []


BAD_SETTINGS = {  # setting -> (value, what the log must say)
    "NEWSBOT_CLUSTER": ("127.0.0.1:6379", "is not a Redis URL: write redis://HOST:PORT/DB"),
    "MAX_IDLE_TIME_BEFORE_CLOSE": ("2", "0 (workers never close by themselves) or at least 5"),
    "SCHEDULER_FLUSH_ON_START": ("True", "would wipe the queue of workers that are already running"),
    "NEWSBOT_CLUSTER_WORKER_TIMEOUT": ("2", "must be a number of 6 or more (seconds, three heartbeats at least)"),
    "NEWSBOT_CLUSTER_PREFETCH": ("0", "must be a whole number of 1 or more (requests)"),
    "NEWSBOT_CLUSTER_CRAWL": ("maghress:fr", "use letters, digits, '.', '_' and '-' only"),
}


@pytest.fixture(scope="module")
def bad_setting_runs(cluster_url, tmp_path_factory) -> dict:
    """The crawls of :data:`BAD_SETTINGS`, a few at a time (each stops before any request,
    against a mirror where nothing listens)."""
    jobs = {setting: (tmp_path_factory.mktemp("bad"), {"NEWSBOT_CLUSTER": cluster_url, setting: value})
            for setting, (value, _) in BAD_SETTINGS.items()}
    with ThreadPoolExecutor(3) as pool:
        futures = {setting: pool.submit(run_crawl, "maghress", workdir, mirror="http://127.0.0.1:9", settings=settings)
                   for setting, (workdir, settings) in jobs.items()}
        return {setting: future.result() for setting, future in futures.items()}


@pytest.mark.parametrize("setting", list(BAD_SETTINGS))
def test_bad_cluster_settings_fail_fast(setting, bad_setting_runs):
    result = bad_setting_runs[setting]
    assert result.returncode != 0
    assert BAD_SETTINGS[setting][1] in result.log
    assert "Spider opened" not in result.log
