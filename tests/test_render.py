"""JavaScript pages with scrapy-playwright (issue 4, section 2), end to end.

Real crawls (``scrapy crawl`` in a subprocess) against replicas served on 127.0.0.1,
with a real Chromium: ``NEWSBOT_CHROMIUM`` or ``chromium`` on PATH (Debian:
``apt-get install chromium``), else Playwright's own browser. Tests marked ``browser``
skip only when none of these exists; the others need no browser.

* ``tests/snapshots/render``: newsbot's own snapshot (our own text) with a listing whose
  entries a script fetches and writes after load;
* ``../shared/sites/reference``: the JavaScript-only outlet listing ``/fr/atlasinfo``
  and its three ``needs_js`` gold articles (skipped when ../shared is absent).

Every browser crawl runs with a marker in its environment; Chromium and the Playwright
driver inherit it, so the tests can tell the crawl's browser processes from any other
and check that none is left once the crawl has exited.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest

from newsbot.demo.replica import ReplicaServer
from tests.crawling import ROOT, CrawlResult, run_crawl, shared
from tests.gold import load_jsonl, mismatches

SNAPSHOT = Path(__file__).parent / "snapshots" / "render"
GOLD = load_jsonl(SNAPSHOT / "gold.jsonl")
ATELIER = "https://www.maghress.com/fr/atelier"
MARK = "NEWSBOT_TEST_BROWSER_MARK"


# --- finding a browser ------------------------------------------------------------------
def _playwright_own_chromium() -> str | None:
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Error:
        return None
    return path if os.path.exists(path) else None


@pytest.fixture(scope="module")
def chromium() -> str | None:
    """The Chromium to crawl with: NEWSBOT_CHROMIUM, chromium on PATH, or None for
    Playwright's own browser when it is installed; skips the test when there is none."""
    for candidate in (os.environ.get("NEWSBOT_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    if _playwright_own_chromium():
        return None
    pytest.skip("no Chromium: apt-get install chromium, set NEWSBOT_CHROMIUM, or run `playwright install chromium`")


# --- browser processes of one crawl --------------------------------------------------------
def _marked(mark: str) -> list[psutil.Process]:
    """Processes (any but this one) whose environment carries ``MARK=mark``."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.pid != os.getpid() and proc.environ().get(MARK) == mark:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found


def _is_browser(proc: psutil.Process) -> bool:
    try:
        name = " ".join([proc.name(), *proc.cmdline()[:1]]).lower()
    except psutil.Error:
        return False
    return "chrom" in name or "headless_shell" in name


def watched_crawl(spider: str, workdir: Path, chromium: str | None, **kwargs) -> tuple[CrawlResult, int, list]:
    """``run_crawl`` with a browser marker; returns the result, the largest number of the
    crawl's browser processes seen while it ran, and its processes left after it."""
    mark = uuid.uuid4().hex
    settings = dict(kwargs.pop("settings", {}) or {})
    if chromium:
        settings.setdefault("NEWSBOT_CHROMIUM", chromium)
    env = {MARK: mark, **kwargs.pop("extra_env", {})}
    seen = 0
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(run_crawl, spider, workdir, settings=settings, extra_env=env, **kwargs)
        while not future.done():
            seen = max(seen, sum(1 for p in _marked(mark) if _is_browser(p)))
            time.sleep(0.2)
        result = future.result()
    return result, seen, _marked(mark)


def _no_trouble_in(log: str) -> None:
    assert "Traceback" not in log, log[-3000:]
    assert "Deprecat" not in log, [line for line in log.splitlines() if "Deprecat" in line]


def _item(result: CrawlResult, url: str) -> dict:
    return {k: v for k, v in result.by_url()[url].items() if k != "crawled_at"}


# --- own snapshot ------------------------------------------------------------------------------
@pytest.mark.browser
def test_js_listing_is_rendered_and_its_articles_come_out(tmp_path, replica, chromium):
    server = replica(SNAPSHOT)
    result, seen, left = watched_crawl(
        "maghress", tmp_path, chromium, mirror=server.url, args={"editions": "fr"}
    )
    assert result.returncode == 0, result.log[-3000:]
    _no_trouble_in(result.log)
    # every expected article, field for field, and nothing else
    assert sorted(result.by_url()) == sorted(g["url"] for g in GOLD)
    for gold in GOLD:
        assert _item(result, gold["url"]) == gold
    # the listing was fetched plainly, then once more in the browser; nothing else was rendered
    assert result.stat("newsbot/render/escalated") == 1
    assert result.stat("playwright/request_count/navigation") == 1
    assert f"Listing {ATELIER} has no entries but has scripts: fetching it again, rendered" in result.log
    assert result.log.count("Starting download handler") == 1  # one Playwright driver, started on demand
    hits = server.hits()
    assert hits["www.maghress.com /fr/atelier"] == 2
    # the page's script reached the mirror (fetch of entries.json, Host kept), page URL stayed real
    assert hits["www.maghress.com /fr/atelier/entries.json"] == 1
    # images, fonts, stylesheets and other hosts were aborted, never fetched
    for key in ("www.maghress.com /static/site.css", "www.maghress.com /static/logo.png",
                "www.maghress.com /static/sans.woff2", "cdn.example.net /tracker.js"):
        assert key not in hits, key
    assert result.stat("playwright/request_count/aborted") == 4
    # memory: one context, pages capped and all closed, the browser measured, nothing left running
    assert result.stat("playwright/context_count/max_concurrent") == 1
    assert result.stat("playwright/page_count/max_concurrent") <= 2
    assert result.stat("playwright/page_count") == result.stat("playwright/page_count/closed") == 1
    assert result.stat("newsbot/render/browser_memory/max") > 0
    assert seen >= 1, "the crawl's Chromium was never seen running: the process check would prove nothing"
    assert left == []


def test_rendering_off_leaves_the_listing_unrendered_and_says_so(tmp_path, replica):
    server = replica(SNAPSHOT)
    result = run_crawl("maghress", tmp_path, mirror=server.url, args={"editions": "fr"},
                       settings={"NEWSBOT_RENDER_ENABLED": "False"})
    assert result.returncode == 0, result.log[-3000:]
    _no_trouble_in(result.log)
    assert sorted(result.by_url()) == ["https://www.maghress.com/fr/carnet/501"]
    assert result.stat("newsbot/render/unrendered") == 1
    assert result.stat("newsbot/render/escalated") == 0
    assert (f"Listing {ATELIER} has no entries without JavaScript and NEWSBOT_RENDER_ENABLED=False:"
            " left unrendered, the articles it lists are missing") in result.log
    assert "Starting download handler" not in result.log
    assert server.hits()["www.maghress.com /fr/atelier"] == 1


def test_pages_without_scripts_stay_on_plain_http(tmp_path, replica):
    """Rendering on, nothing needs it: no Playwright driver, no browser (no Chromium needed)."""
    server = replica(SNAPSHOT)
    result = run_crawl("maghress", tmp_path, mirror=server.url, args={"editions": "fr", "outlets": "carnet"},
                       settings={"NEWSBOT_CHROMIUM": "", "NEWSBOT_RENDER_ENABLED": "True"})
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(result.by_url()) == ["https://www.maghress.com/fr/carnet/501"]
    assert "Starting download handler" not in result.log
    assert not [key for key in result.stats if key.startswith(("playwright/", "newsbot/render/"))
                and key != "newsbot/render/browser_memory/max"]


def test_bad_chromium_path_stops_the_crawl_with_what_to_change(tmp_path):
    result = run_crawl("maghress", tmp_path, settings={"NEWSBOT_CHROMIUM": "/nonexistent/chromium"}, timeout=60)
    assert result.returncode != 0
    assert "NEWSBOT_CHROMIUM='/nonexistent/chromium' is not an executable file" in result.log
    assert "-s NEWSBOT_CHROMIUM=/usr/bin/chromium" in result.log
    assert result.items == []


# --- the maintainers' reference snapshot -----------------------------------------------------
def _needs_js_gold() -> list[dict]:
    gold = [g for g in load_jsonl(shared("sites", "reference", "gold", "articles.jsonl")) if g.get("needs_js")]
    assert len(gold) == 3
    return gold


@pytest.mark.browser
def test_reference_js_outlet_yields_its_needs_js_gold_articles(tmp_path, chromium):
    snapshot = shared("sites", "reference")
    gold = _needs_js_gold()
    server = ReplicaServer(snapshot).start()
    try:
        result, _, left = watched_crawl("maghress", tmp_path, chromium, mirror=server.url, args={"editions": "fr"})
    finally:
        server.stop()
    assert result.returncode == 0, result.log[-3000:]
    _no_trouble_in(result.log)
    by_url = result.by_url()
    assert {g["url"]: mismatches(by_url.get(g["url"], {}), g) for g in gold} == {g["url"]: {} for g in gold}
    assert result.stat("newsbot/render/escalated") == 1
    assert left == []


def test_reference_js_outlet_without_rendering_misses_them_and_says_why(tmp_path):
    snapshot = shared("sites", "reference")
    gold = _needs_js_gold()
    server = ReplicaServer(snapshot).start()
    try:
        result = run_crawl("maghress", tmp_path, mirror=server.url, args={"editions": "fr"},
                           settings={"NEWSBOT_RENDER_ENABLED": "False"})
    finally:
        server.stop()
    assert result.returncode == 0, result.log[-3000:]
    assert not {g["url"] for g in gold} & set(result.by_url())
    assert "Listing https://www.maghress.com/fr/atlasinfo has no entries without JavaScript" in result.log
    assert result.stat("newsbot/render/unrendered") == 1


# --- pages that never finish loading (shared case NB-24) ----------------------------------------
class HangingServer:
    """127.0.0.1 server: ``/robots.txt`` answers 404; any other path sends a 200 status
    and headers, then never the body, until :meth:`stop`."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._conns: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            self._conns.append(conn)
            request = conn.recv(65536)
            if b" /robots.txt " in request.split(b"\r\n", 1)[0]:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<html>")

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
        for conn in [*self._conns, self._sock]:
            conn.close()


HANG_SPIDER = '''
import scrapy
from newsbot.render import Renderer
from newsbot.sites import get_site


class HangSpider(scrapy.Spider):
    name = "render_hang"

    async def start(self):
        renderer = Renderer(self.crawler, get_site("maghress"))
        for n in range(int(self.count)):
            yield scrapy.Request(f"{self.base}/hang/{n}", meta=renderer.meta(), errback=self.failed)

    def parse(self, response):
        self.crawler.stats.inc_value("test/responses")

    def failed(self, failure):
        self.crawler.stats.inc_value(f"test/failures/{failure.type.__name__}")
'''


@pytest.mark.browser
def test_timed_out_pages_are_closed_and_no_browser_is_left(tmp_path, chromium):
    count = 6
    spider_file = tmp_path / "hang_spider.py"
    spider_file.write_text(HANG_SPIDER, encoding="utf-8")
    stats_file = tmp_path / "stats.json"
    server = HangingServer()
    mark = uuid.uuid4().hex
    settings = {"NEWSBOT_RENDER_TIMEOUT": "2", "NEWSBOT_STATS_FILE": str(stats_file), "LOG_LEVEL": "INFO",
                "NEWSBOT_CHROMIUM": chromium or ""}
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(spider_file), "-a", f"base={server.url}",
           "-a", f"count={count}", "-o", str(tmp_path / "feed.jsonl")]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT), MARK: mark}
    try:
        proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        seen = 0
        while proc.poll() is None:
            seen = max(seen, sum(1 for p in _marked(mark) if _is_browser(p)))
            time.sleep(0.2)
        log = proc.stdout.read()
    finally:
        server.stop()
    assert proc.returncode == 0, log[-3000:]
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert stats.get("test/failures/TimeoutError") == count, log[-3000:]
    assert "test/responses" not in stats
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"] == count
    assert stats["playwright/page_count/max_concurrent"] <= 2  # NEWSBOT_RENDER_MAX_PAGES
    assert seen >= 1
    assert _marked(mark) == []
