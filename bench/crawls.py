"""Run one crawl in a subprocess against the replica server and read what it measured.

Both kinds of crawl load :class:`bench.probe.CrawlProbe`, so pages/s, CPU per page and peak
RSS come from the crawl window of the crawl process itself (start-up and imports left out)
and are computed the same way for newsbot and for the bare spider.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROBE = "bench.probe.CrawlProbe"


@dataclass
class CrawlRun:
    """What one crawl measured (see :mod:`bench.probe`); ``process_s`` is the wall time of the
    whole subprocess, start-up included."""

    kind: str
    pages: int
    items: int
    wall_s: float
    cpu_s: float
    maxrss_mib: float
    process_s: float
    stats: dict[str, Any]
    peak_at: dict[int, float] = field(default_factory=dict)
    """Peak RSS MiB when the crawl had fetched that many pages (``BENCH_PROBE_MARKS``)."""

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return self.cpu_s / self.pages * 1000 if self.pages else float("nan")


def newsbot_settings() -> Any:
    """newsbot's project settings, as ``scrapy crawl`` loads them."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newsbot.settings", priority="project")
    return settings


def concurrency() -> dict[str, int]:
    """newsbot's ``CONCURRENT_REQUESTS`` and ``CONCURRENT_REQUESTS_PER_DOMAIN`` (shared by both crawls)."""
    settings = newsbot_settings()
    return {name: settings.getint(name) for name in ("CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN")}


def _run(kind: str, cmd: list[str], workdir: Path, settings: dict[str, Any], env: dict[str, str | None],
         timeout: float) -> CrawlRun:
    probe_file = workdir / "probe.json"
    settings = {**settings, "BENCH_PROBE_FILE": str(probe_file), "LOG_FILE": str(workdir / "crawl.log")}
    for name, value in settings.items():
        cmd += ["-s", f"{name}={json.dumps(value) if isinstance(value, (dict, list)) else value}"]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name, value in env.items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=workdir, env=full_env, capture_output=True, text=True, timeout=timeout)
    process_s = time.perf_counter() - started
    if proc.returncode != 0 or not probe_file.exists():
        log = (workdir / "crawl.log").read_text(errors="replace")[-3000:] if (workdir / "crawl.log").exists() else ""
        raise RuntimeError(f"{kind} crawl failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}\n{log}")
    probe = json.loads(probe_file.read_text())
    stats_file = workdir / "stats.json"
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return CrawlRun(kind, int(probe["responses"]), int(probe["items"]), probe["wall_s"], probe["cpu_s"],
                    probe["maxrss_mib"], process_s, stats, {int(k): v for k, v in probe.get("marks", {}).items()})


def newsbot_crawl(mirror: str, workdir: Path, *, args: dict[str, str], settings: dict[str, Any] | None = None,
                  timeout: float = 3600) -> CrawlRun:
    """``scrapy crawl maghress`` through ``NEWSBOT_MIRROR`` with a fresh data dir and state in ``workdir``,
    AutoThrottle and rendering off, the feed written to ``workdir/feed.jsonl``."""
    workdir.mkdir(parents=True, exist_ok=True)
    extensions = {**newsbot_settings().getdict("EXTENSIONS"), PROBE: 0}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "maghress", "-O", str(workdir / "feed.jsonl")]
    for name, value in args.items():
        cmd += ["-a", f"{name}={value}"]
    base = {
        "NEWSBOT_MIRROR": mirror, "AUTOTHROTTLE_ENABLED": False, "NEWSBOT_RENDER_ENABLED": False,
        "NEWSBOT_DATA_DIR": str(workdir), "NEWSBOT_STATS_FILE": str(workdir / "stats.json"), "EXTENSIONS": extensions,
    }
    env = {"SCRAPY_SETTINGS_MODULE": "newsbot.settings"}
    return _run("newsbot", cmd, workdir, {**base, **(settings or {})}, env, timeout)


def bare_crawl(mirror: str, workdir: Path, *, settings: dict[str, Any] | None = None,
               timeout: float = 3600) -> CrawlRun:
    """``scrapy runspider bench/bare_spider.py`` (Scrapy's defaults, no project) through the same mirror."""
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "bench" / "bare_spider.py"),
           "-a", f"mirror={mirror}", "-O", str(workdir / "feed.jsonl")]
    base = {"AUTOTHROTTLE_ENABLED": False, "EXTENSIONS": {PROBE: 0}, "LOG_LEVEL": "INFO"}
    return _run("bare", cmd, workdir, {**base, **(settings or {})}, {"SCRAPY_SETTINGS_MODULE": None}, timeout)
