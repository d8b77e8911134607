"""Test harness: run real crawls (``scrapy crawl``, forked from :mod:`tests.forkserver`, or in a
subprocess) against a replica served on 127.0.0.1, read the feed, the final stats and the log."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import forkserver

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SHARED = Path(os.environ.get("NEWSBOT_SHARED", ROOT.parent / "shared"))


def shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test when the checkout has none beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared (replicas, cases) is not beside this checkout")
    return path


# What every test crawl starts from; a test's own ``settings`` win. AutoThrottle stays on as in
# production, but starts at no delay instead of AUTOTHROTTLE_START_DELAY=1 s: a replica on
# 127.0.0.1 needs no caution, and the first second(s) of every crawl of a host would otherwise
# be spent fetching one page at a time while the delay halves down from 1 s (~2 s per crawl).
TEST_CRAWL_SETTINGS: dict[str, Any] = {"AUTOTHROTTLE_START_DELAY": 0}


@dataclass
class CrawlResult:
    """What one crawl left behind: feed items, final stats, log text, exit code."""

    items: list[dict[str, Any]]
    stats: dict[str, Any]
    log: str
    returncode: int
    feed: Path

    def stat(self, key: str, default: int = 0) -> Any:
        return self.stats.get(key, default)

    def by_url(self) -> dict[str, dict[str, Any]]:
        return {item["url"]: item for item in self.items}


def run_crawl(
    spider: str,
    workdir: Path,
    *,
    mirror: str | None = None,
    args: dict[str, str] | None = None,
    settings: dict[str, Any] | None = None,
    feed_name: str = "feed.jsonl",
    timeout: float = 180,
    extra_env: dict[str, str] | None = None,
    quick_idle: bool = False,
) -> CrawlResult:
    """``scrapy crawl SPIDER -O feed`` in ``workdir`` with ``-a``/``-s`` options.

    The crawl runs in the project (``scrapy.cfg`` is found through ``SCRAPY_SETTINGS_MODULE``),
    with a private state store under ``workdir`` unless ``settings`` names one, and
    :data:`TEST_CRAWL_SETTINGS` under ``settings``. ``quick_idle``: through
    :mod:`tests.quick_idle` (an idle cluster worker closes 5 to 6 s after the crawl's end, not
    5 to 10 s). ``timeout``: seconds before the process is killed (``TimeoutExpired``).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    feed = workdir / feed_name
    stats_file = workdir / f"{feed.stem}.stats.json"
    for path in (feed, stats_file):
        path.unlink(missing_ok=True)
    all_settings: dict[str, Any] = {**TEST_CRAWL_SETTINGS, "NEWSBOT_STATS_FILE": str(stats_file),
                                    "NEWSBOT_DATA_DIR": str(workdir)}
    if mirror:
        all_settings["NEWSBOT_MIRROR"] = mirror
    all_settings.update(settings or {})
    cmd = ["crawl", spider, "-O", str(feed)]
    for key, value in (args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in all_settings.items():
        cmd += ["-s", f"{key}={json.dumps(value) if isinstance(value, (dict, list)) else value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT), **(extra_env or {})}
    returncode, output = forkserver.run("tests.quick_idle" if quick_idle else "scrapy", cmd, workdir, env, timeout)
    items = []
    if feed.exists():
        items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    return CrawlResult(items, stats, output, returncode, feed)


def crawl_snapshot(spider: str, snapshot: Path, workdir: Path, **kwargs: Any) -> CrawlResult:
    """:func:`run_crawl` mirrored to a :class:`~newsbot.demo.replica.ReplicaServer` serving
    ``snapshot``, which runs for this crawl only."""
    from newsbot.demo.replica import ReplicaServer

    server = ReplicaServer(snapshot).start()
    try:
        return run_crawl(spider, workdir, mirror=server.url, **kwargs)
    finally:
        server.stop()


def write_snapshot(root: Path, pages: dict[tuple[str, str], tuple[Any, ...]],
                   default_host: str = "www.maghress.com") -> Path:
    """Write a small snapshot (the ``../shared/sites`` layout) from
    ``{(host, path): (status, extra headers, body[, entry fields])}``; every host is its own site, no aliases
    beyond ``maghress.com`` for ``www.maghress.com`` unless that apex is a host of its own.
    A header given as None is left out; the optional entry fields are added to the manifest entry as they are (``sequence``, ``delay``)."""
    entries = []
    for number, ((host, path), (status, headers, body, *extra)) in enumerate(pages.items()):
        name = f"files/{number:03d}.html"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        data = body.encode("utf-8") if isinstance(body, str) else body
        (root / name).write_bytes(data)
        entries.append({"host": host, "path": path, "status": status, "file": name,
                        "headers": {k: v for k, v in {"Content-Type": "text/html; charset=utf-8", **headers}.items() if v is not None},
                        **(extra[0] if extra else {})})
    hosts = sorted({host for host, _ in pages})
    sites = [{"site": host.removeprefix("www."), "host": host, "editions": ["fr"],
              "aliases": [host.removeprefix("www.")] if host.startswith("www.") and host[4:] not in hosts else []}
             for host in hosts]
    manifest = {"snapshot": root.name, "default_host": default_host, "sites": sites, "entries": entries}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root
