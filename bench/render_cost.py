"""What a rendered listing costs per page, against the same listing over plain HTTP.

    python bench/render_cost.py [--pages 30] [--chromium /usr/bin/chromium]

Serves a replica on 127.0.0.1 (``../shared/sites/reference`` and its JavaScript-only
listing ``/fr/atlasinfo`` when present, else newsbot's own ``tests/snapshots/render``
``/fr/atelier``), then crawls that one listing ``--pages`` times with newsbot's settings
(``scrapy runspider`` of this file in a subprocess, ``NEWSBOT_MIRROR`` set), once over
plain HTTP and once rendered in Chromium, each sequentially (1 request at a time) and at
newsbot's concurrency (4 per site; the browser holds ``NEWSBOT_RENDER_MAX_PAGES`` pages).

Per page, between the first and the last response (start-up left out, its wall time
reported apart) divided by the pages after the first: wall time, and CPU time of the
crawl process and its descendants (Playwright driver, Chromium's processes). Prints the numbers
and the ratios rendered/plain; the ratios are what to compare between machines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scrapy

ROOT = Path(__file__).resolve().parents[1]


class RenderCostSpider(scrapy.Spider):
    """``-a url=... -a pages=N -a mode=plain|render``: fetch ``url`` N times."""

    name = "render_cost"

    async def start(self):
        from newsbot.render import Renderer
        from newsbot.sites import site_for_url

        meta = Renderer(self.crawler, site_for_url(self.url)).meta() if self.mode == "render" else {}
        for _ in range(int(self.pages)):
            yield scrapy.Request(self.url, meta=dict(meta), dont_filter=True, callback=self.parse_page)

    def parse_page(self, response):
        from newsbot.pages.listing import parse_listing

        now, cpu = time.monotonic(), _cpu_seconds()
        stats = self.crawler.stats
        if not stats.get_value("bench/pages"):
            stats.set_value("bench/first", now)
            stats.set_value("bench/cpu_first", cpu)
        stats.set_value("bench/last", now)
        stats.set_value("bench/cpu_last", cpu)
        stats.inc_value("bench/pages")
        stats.inc_value("bench/entries", len(parse_listing(response).entries))


def _cpu_seconds() -> float:
    """User + system CPU time so far of this process and its live descendants (the
    Playwright driver and Chromium's processes), in seconds."""
    import psutil

    me = psutil.Process()
    total = 0.0
    for proc in [me, *me.children(recursive=True)]:
        try:
            times = proc.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _snapshot() -> tuple[Path, str]:
    reference = Path(os.environ.get("NEWSBOT_SHARED", ROOT.parent / "shared")) / "sites" / "reference"
    if (reference / "manifest.json").exists():
        return reference, "https://www.maghress.com/fr/atlasinfo"
    return ROOT / "tests" / "snapshots" / "render", "https://www.maghress.com/fr/atelier"


def run(mirror: str, url: str, pages: int, mode: str, concurrency: int, chromium: str | None, workdir: Path) -> dict:
    stats_file = workdir / f"{mode}-{concurrency}.json"
    settings = {
        "NEWSBOT_MIRROR": mirror, "NEWSBOT_STATS_FILE": str(stats_file), "LOG_LEVEL": "WARNING",
        "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency), "MEMUSAGE_CHECK_INTERVAL_SECONDS": "0.5",
        "NEWSBOT_RENDER_ENABLED": "True", "NEWSBOT_CHROMIUM": chromium or "",
    }
    cmd = [sys.executable, "-m", "scrapy", "runspider", __file__, "-a", f"url={url}", "-a", f"pages={pages}",
           "-a", f"mode={mode}", "-o", str(workdir / f"{mode}.jsonl")]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"{mode} crawl failed:\n{proc.stderr[-3000:]}")
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    done = stats.get("bench/pages", 0)
    if done != pages or stats.get("bench/entries", 0) == 0 and mode == "render":
        entries = stats.get("bench/entries", 0)
        sys.exit(f"{mode} crawl read {done}/{pages} pages, {entries} entries:\n{proc.stderr[-3000:]}")
    span = stats["bench/last"] - stats["bench/first"]
    cpu = stats["bench/cpu_last"] - stats["bench/cpu_first"]
    return {
        "wall_per_page_ms": 1000 * span / max(pages - 1, 1),
        "cpu_per_page_ms": 1000 * cpu / max(pages - 1, 1),
        "total_s": wall,
        "startup_s": wall - span,
        "entries_per_page": stats.get("bench/entries", 0) / pages,
        "browser_mb": stats.get("newsbot/render/browser_memory/max", 0) / 2**20,
        "peak_mb": stats.get("memusage/max", 0) / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--chromium", default=os.environ.get("NEWSBOT_CHROMIUM") or shutil.which("chromium"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from newsbot.demo.replica import ReplicaServer

    snapshot, url = _snapshot()
    server = ReplicaServer(snapshot).start()
    print(f"listing {url} from {snapshot}, {args.pages} pages per run, chromium {args.chromium or 'Playwright own'}")
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for concurrency in (1, 4):
                for mode in ("plain", "render"):
                    results[mode, concurrency] = run(
                        server.url, url, args.pages, mode, concurrency, args.chromium, Path(tmp)
                    )
    finally:
        server.stop()
    print(f"{'run':<18}{'wall/page ms':>14}{'cpu/page ms':>13}{'start-up s':>12}"
          f"{'entries':>9}{'browser MB':>12}{'peak MB':>9}")
    for (mode, concurrency), r in results.items():
        print(f"{mode + f' x{concurrency}':<18}{r['wall_per_page_ms']:>14.1f}{r['cpu_per_page_ms']:>13.1f}"
              f"{r['startup_s']:>12.2f}{r['entries_per_page']:>9.1f}{r['browser_mb']:>12.0f}{r['peak_mb']:>9.0f}")
    for concurrency in (1, 4):
        plain, render = results["plain", concurrency], results["render", concurrency]
        wall = render["wall_per_page_ms"] / plain["wall_per_page_ms"]
        cpu = render["cpu_per_page_ms"] / plain["cpu_per_page_ms"]
        startup = render["startup_s"] - plain["startup_s"]
        print(f"ratio rendered/plain, {concurrency} at a time: wall per page x{wall:.1f}, cpu per page x{cpu:.1f},"
              f" start-up +{startup:.2f} s")


if __name__ == "__main__":
    main()
