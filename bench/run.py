"""Issue 7, "Measured, not assumed": newsbot against its baselines, side by side, in one run.

    python bench/run.py                  # everything, about 15 minutes on 2 cores; writes BENCHMARKS.md
    python bench/run.py --quick          # small sizes, a 1-2 minute smoke run (does not write)
    python bench/run.py --full           # RSS crawls of 10,000 and 100,000 pages, no time budget
    python bench/run.py --only crawl,dates --no-write

Generates a maghress-like replica (:mod:`bench.replica_gen`, all text made up) and serves it
in a separate process (:mod:`bench.replica_server`), checks that the server is far faster
than the crawl, then measures, printing a table (and writing it between the
``<!-- bench/run.py -->`` markers of BENCHMARKS.md) and, as its last line::

    crawl_ratio=... extract_speedup=... rss_growth=... dedupe_ms_at_1m=... date_speedup=...

* ``crawl``: ``scrapy crawl maghress -a editions=fr`` through ``NEWSBOT_MIRROR`` (A) and the
  bare spider of :mod:`bench.bare_spider` (B) fetching the same pages, in alternating pairs,
  medians; pages/s and CPU ms per page of the crawl window (:mod:`bench.probe`).
  ``crawl_ratio`` = newsbot pages/s / bare pages/s.
* ``extract``: :func:`bench.extraction.newsbot_extract` against ``trafilatura.extract`` on
  generated article pages; ``extract_speedup`` = trafilatura ms / newsbot ms.
* ``rss``: peak RSS of one newsbot crawl of an id range, read when it has fetched the small
  number of pages and at its end; ``rss_growth`` = end/small - 1.
  When the crawl cannot fit ``--budget`` at the speed the crawl step measured, it gets what
  the budget leaves (2,000 pages at least) and the mark shrinks to a quarter of it at most.
* ``dedupe``: ms per item of the dedupe pipeline on a store of ``--dedupe-size`` signatures
  (:mod:`bench.dedupe`, filled once and cached); ``dedupe_ms_at_1m``.
* ``dates``: ``dateparser.parse`` against newsbot's ``parse_date`` on the datelines;
  ``date_speedup`` = dateparser / newsbot.

Targets are printed, never enforced (the exit code is 0 whatever the numbers).
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # import bench.* as a package, never bench/ modules as top-level ones
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from bench.report import KEYS, Row, environment, last_line, section, table, write_section  # noqa: E402

if TYPE_CHECKING:
    from bench.crawls import CrawlRun
    from bench.replica_gen import ReplicaSite
    from bench.replica_server import ServerProcess

STEPS = ("crawl", "extract", "rss", "dedupe", "dates", "huge")
OVERHEAD_S = 6.0  # start-up and shut-down of one crawl process, for the RSS budget


def log(message: str) -> None:
    print(message, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, help="French articles of the replica (default 2000; quick 300)")
    parser.add_argument("--pairs", type=int, help="A/B crawl pairs (default 3; quick 1)")
    parser.add_argument("--extract-pages", type=int, help="article pages for extract (default 200; quick 30)")
    parser.add_argument("--rounds", type=int, help="alternating rounds for extract and dates (default 3; quick 2)")
    parser.add_argument("--rss-sizes", help="RSS: pages when the peak is first read, and pages of the crawl (default 10000,50000; --full 10000,100000)")
    parser.add_argument("--dedupe-size", type=int, help="stored signatures (default 1000000; quick 20000)")
    parser.add_argument("--dedupe-batches", type=int, help="timed batches (default 5; quick 2)")
    parser.add_argument("--dedupe-items", type=int, help="items per batch (default 300; quick 100)")
    parser.add_argument("--budget", type=float, help="seconds for the whole run; RSS sizes shrink to fit"
                        " (default 900; quick 120; --full: no limit; 0: no limit)")
    parser.add_argument("--cache", type=Path, help="where filled dedupe stores are kept (default: the user cache dir)")
    parser.add_argument("--only", help=f"comma list of steps to run: {','.join(STEPS)}")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of 1-2 minutes (never writes)")
    parser.add_argument("--full", action="store_true", help="RSS crawls of 10,000 and 100,000 pages, no time budget")
    parser.add_argument("--no-write", action="store_true", help="do not touch BENCHMARKS.md")
    parser.add_argument("--load-seconds", type=float, help="seconds of each server load test (default 3; quick 1.5)")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {
        "articles": 300 if quick else 2000, "pairs": 1 if quick else 3, "extract_pages": 30 if quick else 200,
        "rounds": 2 if quick else 3,
        "rss_sizes": "300,1500" if quick else "10000,100000" if args.full else "10000,50000",
        "dedupe_size": 20_000 if quick else 1_000_000, "dedupe_batches": 2 if quick else 5,
        "dedupe_items": 100 if quick else 300, "load_seconds": 1.5 if quick else 3.0,
        "budget": 120 if quick else 0 if args.full else 900,
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.steps = [s.strip() for s in args.only.split(",")] if args.only else list(STEPS)
    unknown = set(args.steps) - set(STEPS)
    if unknown:
        parser.error(f"--only: unknown step(s) {', '.join(sorted(unknown))} (steps: {','.join(STEPS)})")
    args.rss_sizes = tuple(int(x) for x in args.rss_sizes.split(","))
    if len(args.rss_sizes) != 2 or not 0 < args.rss_sizes[0] < args.rss_sizes[1]:
        parser.error("--rss-sizes: give two page counts, small first, e.g. 10000,50000")
    if args.articles < 50:
        parser.error("--articles: at least 50")
    return args


class Bench:
    """One run: the replica server, the steps, the rows of the table."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.started = time.perf_counter()
        self.rows: list[Row] = []
        self.details: list[str] = []
        self.values: dict[str, float] = {}
        self.newsbot_pages_per_s: float | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-"))
        self.site: ReplicaSite | None = None
        self.server: ServerProcess | None = None
        self.load: dict[str, dict[str, float]] = {}

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def note(self, text: str) -> None:
        log(f"  {text}")
        self.details.append(f"- {text}")

    # --- replica -------------------------------------------------------------------------------------
    def replica(self) -> ReplicaSite:
        from bench.replica_gen import ReplicaSite

        if self.site is None:
            self.site = ReplicaSite(self.args.articles)
        return self.site

    def start_server(self) -> None:
        from bench.replica_server import ServerProcess, load_test

        started = time.perf_counter()
        self.server = ServerProcess(self.args.articles)
        log(f"replica server {self.server.url} ({self.args.articles} French articles, ready in"
            f" {time.perf_counter() - started:.1f} s); load test ...")
        seconds = self.args.load_seconds
        self.load = {
            "listed": load_test(self.server.url, self.args.articles, seconds=seconds),
            "ids": load_test(self.server.url, self.args.articles, seconds=seconds, ids=True),
        }
        for name, result in self.load.items():
            log(f"  server, {name} article pages: {result['requests_per_s']:,.0f} requests/s"
                f" ({result['mb_per_s']:.0f} MB/s)")

    def server_cpu_s(self) -> float:
        assert self.server is not None
        times = psutil.Process(self.server.pid).cpu_times()
        return times.user + times.system

    # --- steps -----------------------------------------------------------------------------------------
    def crawl(self) -> None:
        from bench.crawls import bare_crawl, concurrency, newsbot_crawl

        same = {**concurrency(), "ROBOTSTXT_OBEY": True}
        log(f"crawl: {self.args.pairs} alternating pairs, newsbot (A) and bare (B), {same} ...")
        assert self.server is not None
        runs: dict[str, list[CrawlRun]] = {"newsbot": [], "bare": []}
        server_share: dict[str, list[float]] = {"newsbot": [], "bare": []}
        for pair in range(self.args.pairs):
            order = ("newsbot", "bare") if pair % 2 == 0 else ("bare", "newsbot")
            for kind in order:
                workdir = self.tmp / f"crawl-{pair}-{kind}"
                cpu0 = self.server_cpu_s()
                if kind == "newsbot":
                    run = newsbot_crawl(self.server.url, workdir, args={"editions": "fr"}, settings=same)
                else:
                    run = bare_crawl(self.server.url, workdir, settings=same)
                server_share[kind].append((self.server_cpu_s() - cpu0) / run.process_s)
                runs[kind].append(run)
                log(f"  {kind:8s} {run.pages} pages, {run.items} items: {run.pages_per_s:6.1f} pages/s,"
                    f" {run.cpu_ms_per_page:6.2f} CPU ms/page, peak RSS {run.maxrss_mib:.0f} MiB"
                    f" ({run.process_s:.0f} s with start-up)")
                shutil.rmtree(workdir, ignore_errors=True)
        med = {kind: (statistics.median(r.pages_per_s for r in rs), statistics.median(r.cpu_ms_per_page for r in rs))
               for kind, rs in runs.items()}
        self.newsbot_pages_per_s = med["newsbot"][0]
        ratio = med["newsbot"][0] / med["bare"][0]
        self.values["crawl_ratio"] = ratio
        self.rows.append(Row("crawl pages/s: newsbot (A) / bare Scrapy (B)", f"{med['newsbot'][0]:.1f}",
                             f"{med['bare'][0]:.1f}", ratio, "≥ 0.7"))
        self.rows.append(Row("crawl CPU ms per page: newsbot (A) / bare (B)", f"{med['newsbot'][1]:.2f}",
                             f"{med['bare'][1]:.2f}", med["newsbot"][1] / med["bare"][1]))
        pages = {kind: sorted({r.pages for r in rs}) for kind, rs in runs.items()}
        self.note(f"crawl: {self.args.articles} French articles, pages downloaded per run newsbot {pages['newsbot']},"
                  f" bare {pages['bare']}; items newsbot {sorted({r.items for r in runs['newsbot']})} (near-duplicates"
                  f" dropped); medians of {self.args.pairs} alternating pairs; pages/s and CPU over the crawl window"
                  f" (engine start to spider close; start-up excluded)")
        self.note("crawl, per run (pages/s): newsbot " + ", ".join(f"{r.pages_per_s:.1f}" for r in runs["newsbot"])
                  + "; bare " + ", ".join(f"{r.pages_per_s:.1f}" for r in runs["bare"]))
        server = min(r["requests_per_s"] for r in self.load.values())
        self.note(f"server check: {server:,.0f} requests/s at least (load test of article pages, listed and"
                  f" rendered on request) = {server / med['bare'][0]:.0f}x the bare crawl and"
                  f" {server / med['newsbot'][0]:.0f}x newsbot's (needed: 5x); server CPU during the crawls:"
                  f" {statistics.median(server_share['bare']):.0%} of a core (bare),"
                  f" {statistics.median(server_share['newsbot']):.0%} (newsbot)")
        if server < 5 * med["bare"][0]:
            self.note("WARNING: the server is less than 5x faster than the bare crawl: crawl_ratio is not trustworthy")
        if pages["newsbot"] != pages["bare"]:
            self.note("WARNING: newsbot and the bare spider did not download the same number of pages")

    def extract(self) -> None:
        from bench.extraction import compare, sample_pages

        pages = sample_pages(self.replica(), self.args.extract_pages)
        log(f"extract: {len(pages)} article pages, {self.args.rounds} alternating rounds ...")
        result = compare(pages, rounds=self.args.rounds)
        self.values["extract_speedup"] = result.speedup
        self.rows.append(Row("extract ms per page: newsbot (A) / trafilatura.extract (B)", f"{result.newsbot_ms:.2f}",
                             f"{result.trafilatura_ms:.2f}", result.speedup, "≥ 10"))
        self.rows.append(Row("extract body F1 against the generated text: newsbot (A) / trafilatura (B)",
                             f"{result.newsbot_f1:.3f}", f"{result.trafilatura_f1:.3f}",
                             result.newsbot_f1 / result.trafilatura_f1))
        self.note(f"extract: {result.pages} pages ({sum(p.key.edition == 'fr' for p in pages)} French,"
                  f" {sum(p.key.edition == 'ar' for p in pages)} Arabic, {min(len(p.body) for p in pages) // 1000}-"
                  f"{max(len(p.body) for p in pages) // 1000} KB); newsbot: response, response_received, spider"
                  " callback, boilerplate pipeline (bench.extraction.newsbot_extract; dedupe has its own step, the schema validation of the record is in the crawl step); ratio column = B/A for speed")

    def dates(self) -> None:
        from bench.datelines import compare_dates
        from bench.replica_gen import dateline_texts

        texts = dateline_texts(self.replica())
        log(f"dates: {len(texts)} datelines, {self.args.rounds} alternating rounds ...")
        result = compare_dates(texts, rounds=self.args.rounds)
        self.values["date_speedup"] = result.speedup
        self.rows.append(Row("dateline µs per call (median): newsbot parse_date (A) / dateparser.parse (B)",
                             f"{result.newsbot_us:.1f}", f"{result.dateparser_us:.1f}", result.speedup, "≥ 20"))
        self.note(f"dates: {result.texts} datelines ({sum(t[1] == 'ar' for t in texts)} Arabic; written months"
                  f" {sum('-' not in t[0] for t in texts)}); means newsbot {result.newsbot_mean_us:.1f} µs, dateparser"
                  f" {result.dateparser_mean_us:.1f} µs; same date from both {result.agree:.1%}; found: newsbot"
                  f" {result.newsbot_found:.1%}, dateparser {result.dateparser_found:.1%}")

    def dedupe(self) -> None:
        import platformdirs

        from bench.dedupe import NAMESPACE, cached_store, forget_measured, per_item_ms, read_through, replica_batch
        from newsbot.text.signatures import Signer

        size, batches, per_batch = self.args.dedupe_size, self.args.dedupe_batches, self.args.dedupe_items
        cache = self.args.cache or Path(platformdirs.user_cache_dir("newsbot-bench"))
        signer = Signer(0.8)
        started = time.perf_counter()
        log(f"dedupe: store of {size:,} signatures ({cache}) ...")
        path = cached_store(cache, signer, size, NAMESPACE)
        fill_s = time.perf_counter() - started
        site = self.replica()
        count = site.counts["fr"]
        items = [replica_batch(site, (b * per_batch) % max(count - per_batch, 1), min(per_batch, count))
                 for b in range(batches)]
        read_s = read_through(path)  # the file in the OS cache, as for a store in daily use
        try:
            per_item_ms(f"sqlite:///{path}", NAMESPACE, replica_batch(site, 0, 20))  # warm-up: SQLite's cache
            forget_measured(path)
            timings = []
            for batch in items:
                timings.append(per_item_ms(f"sqlite:///{path}", NAMESPACE, batch))
                forget_measured(path)  # every batch meets the same store
            baseline = statistics.median(per_item_ms(f"sqlite:///{self.tmp / f'empty-{i}.db'}", NAMESPACE, batch)
                                         for i, batch in enumerate(items[:2]))
        finally:
            forget_measured(path)
        cost = statistics.median(timings)
        self.values["dedupe_ms_at_1m"] = cost
        label = "1M" if size == 1_000_000 else f"{size:,}"
        self.rows.append(Row(f"dedupe ms per item: store of {label} signatures (A) / empty store (B)", f"{cost:.2f}",
                             f"{baseline:.2f}", cost, "≤ 1.0"))
        self.note(f"dedupe: DedupePipeline.process_item, batches of {per_batch} generated articles (clean bodies,"
                  f" near-duplicates included), median of {batches}: " + ", ".join(f"{t:.2f}" for t in timings)
                  + f" ms; store {path.stat().st_size / 2**20:,.0f} MiB"
                  + (f", filled in {fill_s:.0f} s" if fill_s > 1 else ", from the cache")
                  + f"; read through once before measuring ({read_s:.1f} s) so the OS caches it, as a daily store is")

    def rss(self) -> None:
        from bench.crawls import concurrency, newsbot_crawl

        assert self.server is not None
        requested = small, big = self.args.rss_sizes
        if self.args.budget and self.newsbot_pages_per_s:
            room = self.args.budget - self.elapsed() - 10
            affordable = int(max(room - OVERHEAD_S, 0) * self.newsbot_pages_per_s) // 100 * 100
            if big > affordable:
                # Growth shows in the pages after the small mark: keep the big crawl at least four
                # times the small one, past the plateau where bounded structures fill up.
                big = min(big, max(affordable, 2000))
                small = min(small, big // 4 // 100 * 100)
                self.note(f"rss: a crawl of {requested[1]:,} pages needs about"
                          f" {requested[1] / self.newsbot_pages_per_s + OVERHEAD_S:.0f} s at the measured"
                          f" {self.newsbot_pages_per_s:.1f} pages/s, the budget leaves {max(room, 0):.0f} s:"
                          f" crawling {big:,} pages, read at {small:,} (--rss-sizes {requested[0]},{requested[1]}"
                          f" --budget 0 to force)")
        log(f"rss: one newsbot crawl of {big:,} article ids, peak RSS read at {small:,} pages and at the end ...")
        workdir = self.tmp / f"rss-{big}"
        run = newsbot_crawl(self.server.url, workdir, args={"ids": f"fr/h24info:1-{big}"},
                            settings={**concurrency(), "ROBOTSTXT_OBEY": True, "BENCH_PROBE_MARKS": str(small)})
        shutil.rmtree(workdir, ignore_errors=True)
        at_small = run.peak_at.get(small)
        log(f"  {run.pages} pages, {run.items} items, {run.pages_per_s:.1f} pages/s, peak RSS {at_small} MiB at"
            f" {small:,} pages, {run.maxrss_mib:.1f} MiB at the end")
        if at_small is None:
            raise RuntimeError(f"rss: the crawl fetched {run.pages} pages, fewer than the mark {small}")
        growth = run.maxrss_mib / at_small - 1
        self.values["rss_growth"] = growth
        pages_after = run.pages - small
        self.rows.append(Row(f"newsbot peak RSS MiB: {small:,} pages (A) / {run.pages:,} pages (B), one crawl",
                             f"{at_small:.0f}", f"{run.maxrss_mib:.0f}", growth, "≤ 0.10"))
        self.note(f"rss: -a ids=fr/h24info:1-{big} (pages rendered on request); peak RSS = VmHWM (peak resident set)"
                  f" of the crawl process when it had fetched {small:,} pages (A) and at spider close (B), i.e. the"
                  f" peaks a {small:,}-page and a {run.pages:,}-page crawl reach; rss_growth = B/A - 1;"
                  f" {(run.maxrss_mib - at_small) / max(pages_after, 1) * 10_000:.1f} MiB per 10,000 pages after"
                  f" the first {small:,}; crawl speed {run.pages_per_s:.1f} pages/s")

    def huge(self) -> None:
        from bench.huge_page import LINES, huge_page_cost

        log("huge: one page of 70,000 lines, crawled with ordinary pages and without ...")
        plain, with_huge, size = huge_page_cost(self.tmp / "huge")
        cpu_s = with_huge.cpu_s - plain.cpu_s
        rss_mib = with_huge.maxrss_mib - plain.maxrss_mib
        label = f"one article page of {LINES:,} lines ({size / 1e6:.1f} MB)"
        self.rows.append(Row(f"{label}: CPU s it adds to a crawl (A) / crawl without it (B)", f"{cpu_s:.2f}",
                             f"{plain.cpu_s:.2f}", cpu_s, "≤ 2"))
        self.rows.append(Row(f"{label}: MiB of peak RSS it adds (A) / peak RSS without it (B)", f"{rss_mib:.0f}",
                             f"{plain.maxrss_mib:.0f}", rss_mib, "≤ 100"))
        self.note(f"huge: {plain.items} and {with_huge.items} items; CPU and peak RSS (VmHWM) of the crawl window"
                  " (bench.huge_page); the page goes through the spider, the loader, boilerplate, dedupe and the feed")

    # --- the run ----------------------------------------------------------------------------------------
    def run(self) -> None:
        loads = [os.getloadavg()[0]]
        try:
            if {"crawl", "rss"} & set(self.args.steps):
                self.start_server()
            for step in STEPS:  # crawl first: its speed sizes the RSS crawls, which come last
                if step in self.args.steps and step != "rss":
                    getattr(self, step)()
            if "rss" in self.args.steps:
                self.rss()
        finally:
            if self.server is not None:
                self.server.stop()
            shutil.rmtree(self.tmp, ignore_errors=True)
        loads.append(os.getloadavg()[0])
        self.finish(loads)

    def finish(self, loads: list[float]) -> None:
        command = "python bench/run.py" + "".join(f" {shlex.quote(a)}" for a in sys.argv[1:])
        log("")
        log(table(self.rows))
        log("")
        complete = all(not math.isnan(self.values.get(k, float("nan"))) for k in KEYS)
        if self.args.no_write or self.args.quick or not complete:
            why = "--no-write" if self.args.no_write else "--quick" if self.args.quick else "not every step ran"
            log(f"BENCHMARKS.md not written ({why}); {self.elapsed() / 60:.1f} min end to end")
        else:
            text = section(command, self.rows, self.details, environment(), self.elapsed(), (loads[0], loads[-1]))
            write_section(self.args.output, text)
            log(f"wrote the section of {self.args.output.name}; {self.elapsed() / 60:.1f} min end to end")
        log(last_line(self.values))


def main(argv: list[str] | None = None) -> None:
    Bench(parse_args(argv)).run()


if __name__ == "__main__":
    main()
