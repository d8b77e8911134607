"""Rendering in cluster mode (issue 11, item 3): a JavaScript listing escalates to
scrapy-playwright inside cluster workers, the rendered request going through the shared Redis
queue like any other, and the browser starts only in a worker that gets a rendered request.

Two real workers (``scrapy crawl`` processes) on the tests' own ``redis-server`` (database
14, a namespace of the test's own, deleted at the end) crawl ``tests/snapshots/render`` (a
listing whose entries a script writes after load) with a real Chromium; each worker runs
with its own marker in its environment, so the test can tell which worker's browser ran.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.test_render import ATELIER, GOLD, SNAPSHOT, chromium, watched_crawl  # noqa: F401 - chromium: a fixture

pytestmark = [pytest.mark.browser, pytest.mark.redis]


def test_two_workers_render_the_js_listing_and_only_one_starts_a_browser(tmp_path, replica, chromium, cluster_redis):  # noqa: F811
    url, namespace = cluster_redis
    server = replica(SNAPSHOT)
    settings = {"NEWSBOT_CLUSTER": url, "NEWSBOT_STATE_NAMESPACE": namespace, "CONCURRENT_REQUESTS": 2,
                "DOWNLOAD_DELAY": 1.5, "NEWSBOT_CLUSTER_PREFETCH": 1, "MAX_IDLE_TIME_BEFORE_CLOSE": 5, "AUTOTHROTTLE_START_DELAY": 1.0}
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(watched_crawl, "maghress", tmp_path / f"worker{i + 1}", chromium, mirror=server.url,
                               args={"editions": "fr"}, settings=settings, quick_idle=True) for i in range(2)]
        runs = [f.result() for f in futures]
    results = [run[0] for run in runs]
    for result in results:
        assert result.returncode == 0 and result.stat("finish_reason", None) == "finished", result.log[-3000:]
        assert "Traceback" not in result.log and " ERROR: " not in result.log, result.log[-3000:]
    # the union of the workers' feeds is the gold, field for field, each article once
    items = [item for result in results for item in result.items]
    assert sorted(item["url"] for item in items) == sorted(g["url"] for g in GOLD)
    by_url = {item["url"]: {k: v for k, v in item.items() if k != "crawled_at"} for item in items}
    for gold in GOLD:
        assert by_url[gold["url"]] == gold
    # the listing was escalated once and rendered once, by whichever worker took the rendered
    # request from the shared queue (every request goes through Redis in cluster mode)
    assert sum(r.stat("newsbot/render/escalated") for r in results) == 1
    assert sum(r.stat("playwright/request_count/navigation") for r in results) == 1
    assert sum(r.stat("scheduler/enqueued/redis") for r in results) == sum(r.stat("scheduler/dequeued/redis") for r in results)
    assert server.hits()["www.maghress.com /fr/atelier"] == 2
    assert server.hits()["www.maghress.com /fr/atelier/entries.json"] == 1
    # a browser only in the worker that rendered: lazy launch, per worker
    rendering = [i for i, r in enumerate(results) if r.stat("playwright/request_count/navigation")]
    assert len(rendering) == 1
    for i, (result, seen, left) in enumerate(runs):
        assert left == []  # no browser process outlives its worker
        if i in rendering:
            assert result.log.count("Starting download handler") == 1 and seen >= 1
        else:
            assert "Starting download handler" not in result.log and "Launching browser" not in result.log
            assert seen == 0
    assert f"Listing {ATELIER} has no entries but has scripts: fetching it again, rendered" in "".join(r.log for r in results)
