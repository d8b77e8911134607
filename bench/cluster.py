"""Cluster benchmark: one plain crawl, then workers on a private Redis, on one generated replica.

    python bench/cluster.py                      # 2,000 articles, 2 workers, 3 pairs; table appended to BENCHMARKS.md
    python bench/cluster.py --articles 2500 --workers 3 --pairs 1 --no-write

In one go, against :mod:`bench.replica_server` (a maghress-like site, :mod:`bench.replica_gen`,
all text made up, 1.5 % near-duplicates) and a private ``redis-server`` on a free port:

1. **split**: the French edition crawled by one plain ``scrapy crawl`` (SQLite state) and by
   ``--workers`` cluster workers started together (``NEWSBOT_CLUSTER``; state in the Redis, emptied
   before each cluster crawl), same settings (newsbot's concurrency, robots.txt, no AutoThrottle,
   no rendering), in ``--pairs`` alternating pairs (plain first, then workers first, ...: a
   machine that speeds up or slows down during the run favours neither). Printed: the time ratio
   of each pair and their median (the crawl's span as the site sees it: first to last request
   served, so process start-up and the workers' idle wait before closing are left out; the
   whole process times are printed too), each worker's share of the items, pages fetched twice
   (site requests beyond one per path, robots.txt aside) and items kept in both modes (the same
   count means the same duplicate and near-duplicate decisions), over all pairs. Each pair also
   measures **the machine's limit**: ``--workers`` whole plain crawls started together (each
   with its own state: no Redis, no sharing), whose span divided by ``--workers`` is the best
   time ratio this machine gives that many processes (a 2-core VM runs two busy cores slower
   than one, and the replica server shares them); the workers' ratio over it is the cluster's
   own cost;
2. **politeness**: ``--polite-pages`` article pages (``-a ids``) with ``DOWNLOAD_DELAY``
   ``--delay`` and ``CONCURRENT_REQUESTS_PER_DOMAIN=1``: one plain crawl, the workers, and the
   workers with ``NEWSBOT_CLUSTER_POLITENESS=False`` (each worker polite on its own, the old
   behaviour). Printed: requests per second to the site and the smallest gap between two of
   its requests, against the setting (one request per ``--delay`` seconds).

The results go to stdout and, unless ``--no-write``, as a table appended to ``BENCHMARKS.md``
with the command, versions and machine. The machine should be quiet: every worker and the
server want a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import subprocess
import tempfile
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.crawls import CrawlRun, concurrency, newsbot_crawl  # noqa: E402
from bench.replica_gen import article_key  # noqa: E402
from bench.replica_server import ServerProcess  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

BENCHMARKS = ROOT / "BENCHMARKS.md"


def log(message: str) -> None:
    print(message, flush=True)


def served(server_url: str) -> list[tuple[float, str]]:
    """The site requests the replica served since the last call: ``[(seconds, path)]``."""
    with urllib.request.urlopen(f"{server_url}/__bench__/log", timeout=30) as answer:  # noqa: S310 - our 127.0.0.1 server
        return [(float(t), path) for t, path in json.loads(answer.read())]


@dataclass
class Mode:
    """One crawl mode's outcome: the runs (one per process) and the requests the site saw."""

    name: str
    runs: list[CrawlRun]
    requests: list[tuple[float, str]]

    @property
    def items(self) -> int:
        return sum(run.items for run in self.runs)

    @property
    def span_s(self) -> float:
        times = [t for t, _ in self.requests]
        return max(times) - min(times) if times else 0.0

    @property
    def process_s(self) -> float:
        return max(run.process_s for run in self.runs)

    @property
    def twice(self) -> int:
        counts = Counter(path for _, path in self.requests if not path.endswith("/robots.txt"))
        return sum(n - 1 for n in counts.values() if n > 1)

    @property
    def rate(self) -> float:
        """Site requests per second over the span."""
        return (len(self.requests) - 1) / self.span_s if self.span_s else 0.0

    @property
    def min_gap_s(self) -> float:
        times = sorted(t for t, _ in self.requests)
        return min((b - a for a, b in zip(times, times[1:])), default=0.0)

    def dropped(self, reason: str) -> int:
        return sum(int(run.stats.get(f"newsbot/dropped/{reason}", 0)) for run in self.runs)


def crawl(name: str, server_url: str, workdir: Path, *, workers: int, redis_url: str | None,
          args: dict[str, str], settings: dict[str, Any], side_by_side: int = 1) -> Mode:
    """One plain crawl (``workers=0``), ``side_by_side`` plain crawls started together (each
    its own, whole: the machine's limit), or ``workers`` cluster workers started together."""
    served(server_url)  # forget earlier requests
    if not workers:
        with ThreadPoolExecutor(side_by_side) as pool:
            futures = [pool.submit(newsbot_crawl, server_url, workdir / (name if side_by_side == 1 else f"{name}-{i + 1}"),
                                   args=args, settings=settings) for i in range(side_by_side)]
            runs = [future.result() for future in futures]
    else:
        cluster = {**settings, "NEWSBOT_CLUSTER": redis_url}  # workers leave once the crawl is complete
        with ThreadPoolExecutor(workers) as pool:
            futures = [pool.submit(newsbot_crawl, server_url, workdir / f"{name}-{i + 1}", args=args, settings=cluster)
                       for i in range(workers)]
            runs = [future.result() for future in futures]
    mode = Mode(name, runs, served(server_url))
    log(f"  {name}: {len(mode.requests)} site requests, {mode.items} items {[run.items for run in runs]},"
        f" span {mode.span_s:.1f} s, processes {mode.process_s:.1f} s, {mode.rate:.2f} requests/s,"
        f" smallest gap {mode.min_gap_s * 1000:.0f} ms,"
        f" pages fetched twice {mode.twice if side_by_side == 1 else 'n/a (each crawl fetches every page)'},"
        f" near-duplicates dropped {mode.dropped('near_duplicate')}")
    return mode


def versions() -> str:
    import scrapy
    import scrapy_redis

    server = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()
    redis_version = next((part.split("=", 1)[1] for part in server if part.startswith("v=")), "?")
    return (f"Python {platform.python_version()}, Scrapy {scrapy.__version__}, scrapy-redis {scrapy_redis.__version__},"
            f" redis-py {redis.__version__}, redis-server {redis_version}")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", load %.1f" % os.getloadavg()[0] if hasattr(os, "getloadavg") else ""
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}){load}"


def _listed(values: list[Any]) -> str:
    """``a`` when every pair gave the same, else ``a, b, c``."""
    return str(values[0]) if len(set(values)) == 1 else ", ".join(str(v) for v in values)


def limit_ratio(limit: Mode, plain: Mode, workers: int) -> float:
    """The time ratio the machine allows ``workers`` processes: ``workers`` whole plain crawls
    side by side took ``limit.span_s`` for ``workers`` times the work."""
    return limit.span_s / workers / plain.span_s if plain.span_s else float("nan")


def table(args: argparse.Namespace, pairs: list[tuple[Mode, Mode]], limits: list[Mode], polite: dict[str, Mode]) -> str:
    ratios = [cluster.span_s / plain.span_s if plain.span_s else float("nan") for plain, cluster in pairs]
    floors = [limit_ratio(limit, plain, args.workers) for (plain, _), limit in zip(pairs, limits, strict=True)]
    middle = sorted(range(len(pairs)), key=lambda i: ratios[i])[len(pairs) // 2]  # the median pair
    plain, cluster = pairs[middle]
    shares = [run.items / c.items * 100 if c.items else 0.0 for _, c in pairs for run in c.runs]
    split = " / ".join(f"{run.items} ({run.items / cluster.items * 100 if cluster.items else 0:.0f} %)"
                       for run in cluster.runs)
    allowed = 1 / args.delay
    each = f" (pairs: {', '.join(f'{r:.2f}' for r in ratios)})" if len(pairs) > 1 else ""
    rows = [
        (f"time: span of the site's requests, workers / one plain crawl, "
         f"{f'median of {len(pairs)} alternating pairs' if len(pairs) > 1 else 'one pair'}{each}",
         f"{cluster.span_s:.1f} s / {plain.span_s:.1f} s = **{ratios[middle]:.2f}**", "≤ 0.6"),
        (f"the machine's limit: {args.workers} whole plain crawls side by side, their span / {args.workers} / one"
         f" plain crawl's, median (pairs: {', '.join(f'{r:.2f}' for r in floors)})",
         f"**{statistics.median(floors):.2f}**", ""),
        ("workers' time ratio / the machine's limit, median of the pairs (the cluster's own cost)",
         f"{statistics.median(r / f for r, f in zip(ratios, floors, strict=True)):.2f}", ""),
        ("time of the processes, start-up to exit, workers / plain (median pair)",
         f"{cluster.process_s:.1f} s / {plain.process_s:.1f} s = {cluster.process_s / plain.process_s:.2f}", ""),
        ("CPU s of the crawls (engine start to close): workers together / plain, each pair",
         ", ".join(f"{sum(r.cpu_s for r in c.runs):.1f} / {p.runs[0].cpu_s:.1f}" for p, c in pairs), ""),
        ("items per worker (share), median pair; smallest share of any worker in any pair",
         f"{split}; {min(shares):.0f} %", "each ≥ 35 %"),
        ("pages fetched twice (robots.txt aside), each pair",
         f"{_listed([c.twice for _, c in pairs])} (plain: {_listed([p.twice for p, _ in pairs])})", "0"),
        ("items kept: plain / workers, each pair",
         f"{_listed([p.items for p, _ in pairs])} / {_listed([c.items for _, c in pairs])}", "equal"),
        ("near-duplicates dropped: plain / workers, each pair",
         f"{_listed([p.dropped('near_duplicate') for p, _ in pairs])} /"
         f" {_listed([c.dropped('near_duplicate') for _, c in pairs])}", "equal"),
        ("exact duplicates dropped: plain / workers, each pair",
         f"{_listed([p.dropped('duplicate_of') for p, _ in pairs])} /"
         f" {_listed([c.dropped('duplicate_of') for _, c in pairs])}", "equal"),
    ]
    for name, mode in polite.items():
        rows.append((f"politeness, {name}: requests/s to the site (smallest gap)",
                     f"{mode.rate:.2f} ({mode.min_gap_s * 1000:.0f} ms)", f"≤ {allowed:.2f} ({args.delay * 1000:.0f} ms)"
                     if "per worker" not in name else "(before: N × one crawler)"))
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Cluster: {args.workers} workers vs one crawl ({today})",
        "",
        f"`python bench/cluster.py{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}`: generated replica of"
        f" {args.articles:,} French articles (`bench/replica_gen.py`, 1.5 % near-duplicates), newsbot's concurrency"
        f" ({', '.join(f'{k}={v}' for k, v in concurrency().items())}), robots.txt, no AutoThrottle; a private redis-server; politeness rows: {args.polite_pages}"
        f" article pages with `DOWNLOAD_DELAY={args.delay}`, `CONCURRENT_REQUESTS_PER_DOMAIN=1`.",
        f"{versions()}; {machine()}.",
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="French articles of the replica (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="cluster workers (default 2)")
    parser.add_argument("--delay", type=float, default=0.5, help="DOWNLOAD_DELAY of the politeness crawls (default 0.5)")
    parser.add_argument("--polite-pages", type=int, default=40, help="article pages of the politeness crawls (default 40)")
    parser.add_argument("--pairs", type=int, default=3,
                        help="alternating pairs of the split crawls, plain and workers (each with the machine's limit);"
                             " the time ratio is their median (default 3)")
    parser.add_argument("--no-write", action="store_true", help="print only; do not append to BENCHMARKS.md")
    args = parser.parse_args(argv)
    if args.pairs < 1:
        parser.error(f"--pairs {args.pairs}: give 1 or more")
    if shutil.which("redis-server") is None:
        parser.error("redis-server is not on PATH (apt-get install redis-server)")
    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-cluster-"))
    redis_server = RedisServer(tmp / "redis").start()
    server = ServerProcess(args.articles)
    log(f"replica {server.url} ({args.articles} French articles), redis {redis_server.url(0)}, work in {tmp}")
    try:
        same = {**concurrency(), "ROBOTSTXT_OBEY": True}
        edition = {"editions": "fr"}
        pairs: list[tuple[Mode, Mode]] = []
        limits: list[Mode] = []
        for n in range(1, args.pairs + 1):
            order = ["plain", "workers", "limit"] if n % 2 else ["limit", "workers", "plain"]
            log(f"split, pair {n} of {args.pairs}: {', '.join(order)} (French edition)")
            done: dict[str, Mode] = {}
            for what in order:
                if what == "workers":
                    redis.Redis.from_url(redis_server.url(0)).flushdb()  # our private server: a fresh crawl
                    done[what] = crawl(f"workers-{n}", server.url, tmp, workers=args.workers,
                                       redis_url=redis_server.url(0), args=edition, settings=same)
                else:
                    done[what] = crawl(f"{what}-{n}", server.url, tmp, workers=0, redis_url=None, args=edition,
                                       settings=same, side_by_side=args.workers if what == "limit" else 1)
            pairs.append((done["plain"], done["workers"]))
            limits.append(done["limit"])
            log(f"  pair {n}: time ratio {done['workers'].span_s / done['plain'].span_s:.3f}, the machine's limit"
                f" {limit_ratio(done['limit'], done['plain'], args.workers):.3f}")
        first = article_key("fr", 0)
        ids = {"ids": f"fr/{first.slug}:{first.number}-{first.number + args.polite_pages - 1}"}
        polite_settings = {**same, "DOWNLOAD_DELAY": args.delay, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
        log(f"politeness: {args.polite_pages} article pages, DOWNLOAD_DELAY={args.delay}, one request at a time per site")
        polite = {
            "one plain crawl": crawl("polite-plain", server.url, tmp, workers=0, redis_url=None, args=ids,
                                     settings=polite_settings),
            f"{args.workers} workers": crawl("polite-workers", server.url, tmp, workers=args.workers,
                                             redis_url=redis_server.url(1), args=ids, settings=polite_settings),
            f"{args.workers} workers, politeness per worker": crawl(
                "polite-per-worker", server.url, tmp, workers=args.workers, redis_url=redis_server.url(2), args=ids,
                settings={**polite_settings, "NEWSBOT_CLUSTER_POLITENESS": False}),
        }
    finally:
        server.stop()
        redis_server.stop()
    text = table(args, pairs, limits, polite)
    print("\n" + text)
    if not args.no_write:
        with BENCHMARKS.open("a", encoding="utf-8") as out:
            out.write("\n" + text)
        log(f"appended to {BENCHMARKS}")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
