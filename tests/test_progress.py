"""Progress in the log (issue 11, item 4): periodic lines per site and edition, an ``ids``
backfill's share and ETA, the end-of-crawl table, and the whole crawl's in cluster mode,
printed by ``python -m newsbot.cluster status CRAWL``.

Real crawls (``scrapy crawl``) of the demo replica (``NEWSBOT_MIRROR=demo``: 7 French and 6
Arabic articles) with ``-s NEWSBOT_PROGRESS_INTERVAL=1`` and a download delay, so that a
crawl of a few seconds logs several sets of lines; the cluster test runs two workers on the
tests' own ``redis-server`` (database 14, under a namespace of its own, deleted at the end).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.crawling import ROOT, CrawlResult, run_crawl

# A delay makes the crawls last a few seconds: several periodic lines at 1 s.
SLOW = {"NEWSBOT_PROGRESS_INTERVAL": 1, "DOWNLOAD_DELAY": 0.3, "NEWSBOT_RENDER_ENABLED": False}
LINE = re.compile(r"Progress (?:\[(?P<label>[^\]]+)\] )?(?P<site>\w+) (?P<edition>\w\w): (?P<pages>[\d,]+) pages"
                  r" \((?P<rate>[\d,]+)/min\), (?P<items>[\d,]+) items, (?P<rejects>[\d,]+) rejects$")
IDS = re.compile(r"Progress (?:\[[^\]]+\] )?ids: (?P<done>[\d,]+) of (?P<total>[\d,]+) done \((?P<share>[\d.]+) %[^)]*\),"
                 r" (?P<rate>[\d,]+)/min, ETA (?P<eta>.+)$")
DEMO_ITEMS = {"fr": 7, "ar": 6}


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def periodic(log: str, label: str | None = None) -> list[dict[str, Any]]:
    """The periodic per-edition lines of a log (this worker's, or those labelled ``label``)."""
    found = []
    for line in log.splitlines():
        text = line.split("] INFO: ", 1)[-1]
        m = LINE.match(text)
        if m and m["label"] == label:
            found.append({"edition": m["edition"], **{k: _int(m[k]) for k in ("pages", "rate", "items", "rejects")}})
    return found


def table(log: str, title: str) -> dict[str, Any]:
    """The end-of-crawl table whose title starts with ``title``: rows by edition (and ``all``),
    and its last lines."""
    lines = log.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    assert lines[start + 1].split() == ["site", "edition", "pages", "items", "rejects", "pages/min"], lines[start:start + 4]
    rows, i = {}, start + 2
    while True:
        cells = lines[i].split()
        if cells[0] == "all":
            rows["all"] = [_int(c) for c in cells[1:4]]
            break
        rows[cells[1]] = [_int(c) for c in cells[2:5]]
        i += 1
    return {"rows": rows, "after": lines[i + 1:i + 3]}


def expected_rows(stats: dict[str, Any]) -> dict[str, list[int]]:
    """pages, items, rejects per edition from the monitoring counters of the final stats."""
    rows = {}
    for ed in ("ar", "fr"):
        base = f"newsbot/monitor/maghress/{ed}"
        rejects = sum(v for k, v in stats.items() if k.startswith(f"{base}/articles/rejected/"))
        items = stats.get(f"{base}/items", 0)
        rows[ed] = [stats.get(f"{base}/listings", 0) + items + rejects, items, rejects]
    rows["all"] = [sum(r[i] for r in rows.values()) for i in range(3)]
    return rows


def test_progress_lines_and_end_table_of_a_crawl(tmp_path):
    result = run_crawl("maghress", tmp_path, mirror="demo", settings=SLOW)
    assert result.returncode == 0, result.log[-3000:]
    end = table(result.log, "Progress at the end (finished, ")
    # the table says what the monitoring counters say, and what the demo holds
    assert end["rows"] == expected_rows(result.stats)
    assert {ed: end["rows"][ed][1] for ed in ("fr", "ar")} == DEMO_ITEMS
    assert end["rows"]["fr"][0] > DEMO_ITEMS["fr"]  # listings too
    assert end["after"][0] == (f"{result.stat('downloader/response_count')} responses (feeds, robots.txt and errors"
                               f" included), {result.stat('item_scraped_count')} items written")
    assert result.stat("item_scraped_count") == 13
    # several periodic lines before it, counts that only grow, up to the final ones
    lines = periodic(result.log.split("Progress at the end")[0])
    assert len(lines) >= 3, result.log[-3000:]
    for ed in ("fr", "ar"):
        mine = [line for line in lines if line["edition"] == ed]
        assert mine, ed
        for before, after in zip(mine, mine[1:]):
            assert before["pages"] <= after["pages"] and before["items"] <= after["items"]
        assert [mine[-1]["pages"], mine[-1]["items"], mine[-1]["rejects"]] <= end["rows"][ed]
    assert any(line["rate"] > 0 for line in lines)
    assert "Traceback" not in result.log


def test_progress_off_during_the_crawl_still_gives_the_table(tmp_path):
    result = run_crawl("maghress", tmp_path, mirror="demo",
                       settings={"NEWSBOT_PROGRESS_INTERVAL": 0, "NEWSBOT_RENDER_ENABLED": False})
    assert result.returncode == 0, result.log[-3000:]
    assert periodic(result.log) == []
    assert table(result.log, "Progress at the end (finished, ")["rows"] == expected_rows(result.stats)


def test_a_bad_progress_interval_stops_the_crawl_with_what_to_write(tmp_path):
    result = run_crawl("maghress", tmp_path, mirror="demo", settings={"NEWSBOT_PROGRESS_INTERVAL": "-1"})
    assert result.returncode != 0
    assert "NEWSBOT_PROGRESS_INTERVAL" in result.log and "of 0 or more" in result.log
    assert "Spider opened" not in result.log


# --- an ids backfill ------------------------------------------------------------------------------
# 42 ids of one outlet of the demo: 4 articles, 38 answer 404.
IDS_RANGE = "fr/lematin:310160-310201"


def ids_lines(log: str) -> list[dict[str, Any]]:
    found = []
    for line in log.splitlines():
        m = IDS.match(line.split("] INFO: ", 1)[-1])
        if m:
            found.append({"done": _int(m["done"]), "total": _int(m["total"]), "share": float(m["share"]), "eta": m["eta"]})
    return found


def test_ids_backfill_share_done_and_eta(tmp_path):
    settings = {**SLOW, "DOWNLOAD_DELAY": 0.1}
    first = run_crawl("maghress", tmp_path, mirror="demo", args={"ids": IDS_RANGE}, settings=settings)
    assert first.returncode == 0, first.log[-3000:]
    assert len(first.items) == 4 and first.stat("newsbot/ids/not_found") == 38
    lines = ids_lines(first.log)
    assert len(lines) >= 2, first.log[-3000:]
    for line in lines:
        assert line["total"] == 42 and 0 < line["done"] <= 42
        assert line["share"] == round(100 * line["done"] / 42, 1)
        assert re.fullmatch(r"\d+s|\d+m \d\ds", line["eta"]) or (line["done"] == 42 and line["eta"] == "0s"), line
    assert [line["done"] for line in lines] == sorted(line["done"] for line in lines)
    assert lines[0]["done"] < 42  # seen part-way
    end = table(first.log, "Progress at the end (finished, ")
    assert end["rows"]["fr"] == [4, 4, 0] == end["rows"]["all"]
    assert re.fullmatch(r"ids: 42 of 42 done \(100\.0 %\), [\d,]+/min", end["after"][1]), end["after"]

    # run again: the 4 articles are done (skipped, not fetched), the 38 404s are tried again
    again = run_crawl("maghress", tmp_path, mirror="demo", args={"ids": IDS_RANGE}, settings=settings,
                      feed_name="again.jsonl")
    assert again.returncode == 0, again.log[-3000:]
    assert again.stat("newsbot/incremental/skipped") == 4 and again.items == []
    end = table(again.log, "Progress at the end (finished, ")
    assert re.fullmatch(r"ids: 42 of 42 done \(100\.0 %, 4 of them in earlier runs\), [\d,]+/min", end["after"][1]), end["after"]


# --- cluster mode ---------------------------------------------------------------------------------
def cluster_workers(count: int, workdir: Path, url: str, namespace: str, settings: dict[str, Any]) -> list[CrawlResult]:
    all_settings = {"NEWSBOT_CLUSTER": url, "NEWSBOT_STATE_NAMESPACE": namespace, "CONCURRENT_REQUESTS": 2,
                    "MAX_IDLE_TIME_BEFORE_CLOSE": 5, "AUTOTHROTTLE_START_DELAY": 1.0, **settings}
    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(run_crawl, "maghress", workdir / f"worker{i + 1}", mirror="demo", settings=all_settings,
                               quick_idle=True)  # idle checks every second: the progress is the point here
                   for i in range(count)]
        return [f.result() for f in futures]


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsbot.cluster", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=60)


@pytest.mark.redis
def test_cluster_progress_of_the_whole_crawl_and_the_status_command(tmp_path, cluster_redis):
    url, namespace = cluster_redis
    results = cluster_workers(2, tmp_path, url, namespace, {**SLOW, "DOWNLOAD_DELAY": 0.5})
    for result in results:
        assert result.returncode == 0 and result.stat("finish_reason", None) == "finished", result.log[-3000:]
    assert sum(len(r.items) for r in results) == 13
    # what the whole crawl did: the sum of the workers' counters
    whole = {ed: [sum(expected_rows(r.stats)[ed][i] for r in results) for i in range(3)] for ed in ("ar", "fr", "all")}
    assert [whole[ed][1] for ed in ("fr", "ar")] == [7, 6]
    responses = sum(r.stat("downloader/response_count") for r in results)
    last = next(r for r in results if r.stat("newsbot/cluster/outcome", None) == "complete")
    # each worker's own table, and the last one's of the whole crawl
    for result in results:
        assert table(result.log, "Progress at the end (finished, ")["rows"] == expected_rows(result.stats)
    crawl = table(last.log, "Progress of crawl 'maghress', 2 worker(s), all finished (")
    assert crawl["rows"] == whole
    assert crawl["after"][0] == f"{responses} responses (feeds, robots.txt and errors included), 13 items written"
    # periodic lines of the whole crawl, labelled, in every worker's log
    for result in results:
        lines = periodic(result.log, label="crawl maghress: 2 workers")
        assert lines, result.log[-3000:]
        assert all(line["pages"] <= whole[line["edition"]][0] for line in lines)

    # status CRAWL from "any machine": the URL from NEWSBOT_CLUSTER, the table added up from Redis
    status = cli("status", "maghress", "--namespace", f"{namespace}-demo", env={"NEWSBOT_CLUSTER": url})
    assert status.returncode == 0, status.stderr
    out = status.stdout
    assert out.startswith(f"crawl maghress (namespace {namespace}-demo): 0 live workers, 0 queued, 0 in flight,")
    assert "progress: 2 workers (all finished), " in out
    assert table(out, "progress: 2 workers")["rows"] == whole
    # the crawl asked for in the default namespace: the status says where it is
    other = cli("status", "maghress", "--namespace", namespace, env={"NEWSBOT_CLUSTER": url})
    assert other.stdout == (f"crawl maghress: nothing in namespace {namespace}; found in {namespace}-demo:"
                            f" add --namespace {namespace}-demo\n"), other.stdout
    # the same with --redis, and the older form (URL first) as one JSON line with the counts
    assert cli("status", "maghress", "--redis", url, "--namespace", f"{namespace}-demo").stdout == out
    legacy = cli("status", url, "--namespace", f"{namespace}-demo")
    state = json.loads(legacy.stdout)
    assert state["crawl"] == "maghress" and state["progress"]["workers"] == 2
    assert {e["edition"]: e["items"] for e in state["progress"]["editions"]} == {"fr": 7, "ar": 6}
    assert state["progress"]["responses"] == responses
    # the counts expire: a TTL is set on the one key the finished crawl left
    client = redis.Redis.from_url(url)
    left = sorted(k.decode() for k in client.scan_iter(f"{namespace}-demo:cluster:*"))
    assert left == [f"{namespace}-demo:cluster:maghress:progress"]
    assert 0 < client.ttl(left[0]) <= 7 * 86400
    client.close()


def test_status_without_a_redis_says_how_to_give_one():
    env = {k: v for k, v in os.environ.items() if k != "NEWSBOT_CLUSTER"}
    proc = subprocess.run([sys.executable, "-m", "newsbot.cluster", "status", "maghress"], capture_output=True,
                          text=True, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "no Redis given: write its URL first" in proc.stderr and "--redis URL" in proc.stderr


def test_the_status_reports_examples_hold():
    """``python -m newsbot.cluster status``'s report, its docstring examples (pytest's doctest
    collection leaves ``__main__.py`` modules out): a stopped crawl says how to resume it."""
    import doctest

    import newsbot.cluster.__main__ as status

    assert doctest.testmod(status).failed == 0
