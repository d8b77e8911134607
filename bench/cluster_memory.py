"""Redis memory of the cluster mode per million URLs, and of a real cluster crawl at scale
(a script, not a test).

    python bench/cluster_memory.py                 # 1,000,000 URLs, private redis-server
    python bench/cluster_memory.py --urls 100000   # quicker
    python bench/cluster_memory.py --redis redis://127.0.0.1:6379/14   # an existing Redis (db flushed!)
    python bench/cluster_memory.py --crawl 100000  # a real cluster worker crawling 100,000 article ids
    python bench/cluster_memory.py --crawl 30000 --mark 10000   # quicker (about 10 minutes on 2 cores)

``--crawl PAGES`` (about 30 minutes at 100,000 on 2 cores; 10 at 30,000) runs one cluster
worker (``scrapy crawl maghress -a ids=fr/h24info:1-PAGES`` with ``NEWSBOT_CLUSTER`` on a
private redis-server, the state store in that Redis as by default, ``SCHEDULER_PERSIST=True``
so that the seen set is still there to be measured at the end) against the generated replica
(``bench/replica_server.py`` in its own process: ``--listed`` articles, 2,000 by default,
rendered ahead, every other id an article rendered when asked for). It prints, from Redis:
bytes per queued request (``MEMORY USAGE`` of the queue divided by its entries, at its largest,
sampled every 0.25 s while the crawl runs; Scrapy's engine takes start requests only while its
downloader has room, so the queue holds a few hundred requests, not the whole range), bytes per
seen URL (the seen set at the end), bytes of the state store per article stored (growth of
``used_memory`` minus the seen set, per article), Redis in all per article page; and the
worker's peak RSS (``VmHWM``) when it had fetched ``--mark`` pages (default 10,000) and at its
end, with the growth between them (aim: at most 10 %). The last line holds the four numbers
(``cluster_rss_growth=... queue_bytes_per_request=... seen_bytes_per_url=...
state_bytes_per_article=...``).

What a crawl keeps in Redis per URL (see newsbot/cluster/keys.py):

* the seen set (``newsbot:cluster:<crawl>:dupefilter``): one member per URL ever scheduled
  in the crawl. newsbot stores its request fingerprints as raw 20-byte SHA-1 digests; the
  baseline is scrapy-redis 0.9.1's own dupefilter, which stores 40-character hex digests.
* the queue (``newsbot:cluster:<crawl>:requests``): one member per request waiting to be
  fetched, encoded exactly as the scheduler does (scrapy-redis PriorityQueue: a pickled
  ``Request.to_dict()`` in a sorted set), for article requests shaped like the spider's
  (URL, callback, ``newsbot_kind`` and ``newsbot_article_id`` meta).

How: synthetic URLs ``https://www.maghress.com/fr/<outlet>/<id>``. The first 10,000
fingerprints are computed with the real fingerprinters (to check their sizes); the rest
are random bytes of the same length (memory depends on count and length only). Queue
entries are all real encodings of real ``scrapy.Request`` objects. Memory is read with
``MEMORY USAGE <key> SAMPLES 0`` (exact) and, on a private server, also as the growth of
``used_memory``. The crawl's other keys (seed lock, worker registry) are a few hundred bytes
per crawl. The state store (articles, signatures) is measured by ``bench/dedupe.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scrapy import Request  # noqa: E402
from scrapy_redis import picklecompat  # noqa: E402
from scrapy_redis.dupefilter import RFPDupeFilter  # noqa: E402

from newsbot.cluster import serializer  # noqa: E402
from newsbot.cluster.keys import ClusterKeys  # noqa: E402
from newsbot.fingerprint import CanonicalRequestFingerprinter  # noqa: E402
from newsbot.family.urls import PageKind  # noqa: E402
from newsbot.spiders.sites import MaghressSpider  # noqa: E402

OUTLETS = ("h24info", "le360", "lesiteinfo", "lopinion", "lebrief", "fnh", "atlasinfo", "adnmed")
REAL = 10_000
BATCH = 10_000


def urls(count: int):
    for i in range(count):
        yield f"https://www.maghress.com/fr/{OUTLETS[i % len(OUTLETS)]}/{1_000_000 + i}"


def private_server() -> tuple[subprocess.Popen, str, str]:
    exe = shutil.which("redis-server")
    if exe is None:
        sys.exit("redis-server is not on PATH: install it, or pass --redis URL of a Redis whose db may be flushed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="newsbot-bench-redis-")
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url, workdir
        except redis.ConnectionError:
            time.sleep(0.05)
    proc.terminate()
    sys.exit("the private redis-server did not start")


def used(r: redis.Redis) -> int:
    return int(r.info("memory")["used_memory"])


def usage(r: redis.Redis, key: str) -> int:
    return int(r.execute_command("MEMORY", "USAGE", key, "SAMPLES", "0") or 0)


def fill_set(r: redis.Redis, key: str, count: int, real, size: int) -> None:
    """``count`` members: ``real(url)`` for the first REAL URLs, then random bytes of ``size``."""
    batch = []
    for i, url in enumerate(urls(count)):
        batch.append(real(url) if i < REAL else os.urandom(size))
        if len(batch) == BATCH:
            r.sadd(key, *batch)
            batch.clear()
    if batch:
        r.sadd(key, *batch)


def fill_queues(r: redis.Redis, stock_key: str, key: str, count: int) -> tuple[float, float]:
    """Both queues with the same requests: stock pickling and newsbot's serializer; mean sizes."""
    spider = MaghressSpider()
    pipe = r.pipeline(transaction=False)
    sizes = [0, 0]
    for i, url in enumerate(urls(count)):
        slug, number = url.rsplit("/", 2)[1:]
        request = Request(url, callback=spider.parse, meta={"newsbot_kind": PageKind.ARTICLE,
                                                            "newsbot_article_id": f"maghress:fr:{slug}:{number}"})
        obj = request.to_dict(spider=spider)  # what scrapy-redis's queue encodes
        for n, (name, data) in enumerate(((stock_key, picklecompat.dumps(obj)), (key, serializer.dumps(obj)))):
            sizes[n] += len(data)
            pipe.execute_command("ZADD", name, -request.priority, data)
        if (i + 1) % BATCH == 0:
            pipe.execute()
    pipe.execute()
    return sizes[0] / count, sizes[1] / count


def crawl_at_scale(pages: int, mark: int, listed: int = 2000) -> None:
    """``--crawl``: one real cluster worker over ``pages`` article ids (see the module docstring)."""
    import threading

    sys.path.insert(0, str(ROOT))
    from bench.crawls import concurrency, newsbot_crawl
    from bench.replica_server import ServerProcess

    proc, url, redis_dir = private_server()
    r = redis.Redis.from_url(url)
    workdir = Path(tempfile.mkdtemp(prefix="newsbot-bench-cluster-crawl-"))
    keys = ClusterKeys("maghress", "newsbot-mirror")  # a mirrored crawl's namespace
    samples: list[tuple[int, int]] = []  # (queued, MEMORY USAGE of the queue)
    done = threading.Event()
    outcome: dict[str, object] = {}
    try:
        r.flushdb()
        baseline = used(r)
        started = time.perf_counter()
        with ServerProcess(listed) as server:
            print(f"replica server {server.url} ({listed:,} listed articles, every id an article); redis-server {url};"
                  f" crawling {pages:,} ids ...", flush=True)

            def crawl() -> None:
                try:
                    outcome["run"] = newsbot_crawl(server.url, workdir, args={"ids": f"fr/h24info:1-{pages}"}, settings={
                        **concurrency(), "ROBOTSTXT_OBEY": True, "NEWSBOT_CLUSTER": url, "SCHEDULER_PERSIST": True,
                        "MAX_IDLE_TIME_BEFORE_CLOSE": 5, "BENCH_PROBE_MARKS": str(mark), "LOG_LEVEL": "INFO",
                        "NEWSBOT_PROGRESS_INTERVAL": 60,
                    }, timeout=4 * 3600)
                except Exception as exc:  # noqa: BLE001 - reported below
                    outcome["error"] = exc
                finally:
                    done.set()

            thread = threading.Thread(target=crawl)
            thread.start()
            while not done.wait(0.25):
                queued = int(r.zcard(keys.requests))
                if queued:
                    samples.append((queued, usage(r, keys.requests)))
            thread.join()
        if "error" in outcome:
            raise SystemExit(f"the cluster crawl failed: {outcome['error']}")
        run = outcome["run"]
        seconds = time.perf_counter() - started
        seen = int(r.scard(keys.dupefilter))
        seen_bytes = usage(r, keys.dupefilter)
        articles = int(r.hlen("newsbot-mirror:articles"))
        documents = int(r.hlen("newsbot-mirror:docs"))
        total = used(r) - baseline
        peak_queued, peak_queue_bytes = max(samples) if samples else (0, 0)
        at_mark = run.peak_at.get(mark)
        print(f"\nRedis {r.info('server')['redis_version']}; one cluster worker, -a ids=fr/h24info:1-{pages}:"
              f" {run.pages:,} pages, {run.items:,} items in {run.wall_s:.0f} s ({run.pages_per_s:.1f} pages/s;"
              f" {seconds:.0f} s in all)\n")
        rows = [
            ("queued request (queue at its largest: %s entries)" % f"{peak_queued:,}",
             peak_queue_bytes / peak_queued if peak_queued else float("nan")),
            (f"seen URL (seen set at the end: {seen:,} fingerprints)", seen_bytes / seen if seen else float("nan")),
            (f"article in the state store ({articles:,} articles, {documents:,} dedupe documents)",
             (total - seen_bytes) / articles if articles else float("nan")),
            (f"article page, all of Redis at the end (used_memory growth {total / 2**20:,.1f} MiB)",
             total / run.pages if run.pages else float("nan")),
        ]
        print(f"| {'Redis bytes per ...':<90} | {'bytes':>8} |")
        print(f"|{'-' * 92}|{'-' * 9}:|")
        for label, value in rows:
            print(f"| {label:<90} | {value:>8,.0f} |")
        if at_mark is None:
            print(f"\nworker peak RSS: {run.maxrss_mib:.0f} MiB at the end; the crawl fetched {run.pages:,} pages,"
                  f" fewer than the mark {mark:,}")
        else:
            growth = run.maxrss_mib / at_mark - 1
            print(f"\nworker peak RSS (VmHWM): {at_mark:.0f} MiB at {mark:,} pages, {run.maxrss_mib:.0f} MiB at"
                  f" {run.pages:,} pages: growth {growth:.3f} (aim <= 0.10)")
            print(f"cluster_rss_growth={growth:.4f} queue_bytes_per_request={rows[0][1]:.0f}"
                  f" seen_bytes_per_url={rows[1][1]:.0f} state_bytes_per_article={rows[2][1]:.0f}")
    finally:
        r.flushdb()
        r.close()
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(redis_dir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1_000_000, help="URLs per structure (default 1,000,000)")
    parser.add_argument("--redis", help="use this Redis (its db is FLUSHED) instead of a private redis-server")
    parser.add_argument("--crawl", type=int, metavar="PAGES",
                        help="instead: one real cluster worker crawling PAGES article ids (e.g. 100000; see above)")
    parser.add_argument("--mark", type=int, default=10_000, help="--crawl: pages at which the first peak RSS is read")
    parser.add_argument("--listed", type=int, default=2000,
                        help="--crawl: articles the replica lists and renders ahead (default 2,000, as bench/run.py; every"
                             " other id is an article too, rendered when asked for: the replica stays small)")
    args = parser.parse_args()
    if args.crawl:
        if not 0 < args.mark < args.crawl:
            parser.error("--mark must be above 0 and below --crawl")
        crawl_at_scale(args.crawl, args.mark, args.listed)
        return
    proc = workdir = None
    if args.redis:
        url = args.redis
    else:
        proc, url, workdir = private_server()
    r = redis.Redis.from_url(url)
    try:
        r.flushdb()
        keys = ClusterKeys("bench")
        fingerprinter = CanonicalRequestFingerprinter()
        stock = RFPDupeFilter(r, "bench:stock-dupefilter")
        n = args.urls
        rows = []

        def measure(label: str, key: str, fill) -> int:
            before = used(r)
            started = time.perf_counter()
            fill()
            seconds = time.perf_counter() - started
            exact = usage(r, key)
            rows.append((label, exact, used(r) - before if proc else None, seconds))
            return exact

        base = measure("seen set, scrapy-redis stock (40-char hex)", "bench:stock-dupefilter",
                       lambda: fill_set(r, "bench:stock-dupefilter", n, lambda u: stock.request_fingerprint(Request(u)).encode(), 40))
        ours = measure("seen set, newsbot (20-byte digests)", keys.dupefilter,
                       lambda: fill_set(r, keys.dupefilter, n, lambda u: fingerprinter.fingerprint(Request(u)), 20))
        before = used(r)
        started = time.perf_counter()
        mean_stock, mean_ours = fill_queues(r, "bench:stock-requests", keys.requests, n)
        seconds = time.perf_counter() - started
        q_stock, q_ours = usage(r, "bench:stock-requests"), usage(r, keys.requests)
        grown = used(r) - before if proc else None
        rows.append((f"queue, scrapy-redis stock pickle ({mean_stock:.0f} B/request)", q_stock, None, seconds))
        rows.append((f"queue, newsbot serializer ({mean_ours:.0f} B/request)", q_ours, None, None))

        print(f"Redis {r.info('server')['redis_version']}, {n:,} URLs per structure"
              f" ({'private redis-server' if proc else url}); first {min(REAL, n):,} fingerprints real, rest synthetic\n")
        print("bytes per URL = MB per million URLs (MEMORY USAGE; used_memory: growth of the server's total)\n")
        print(f"{'structure':<50} {'bytes/URL':>10} {'used_memory':>12} {'fill s':>7}")
        for label, exact, grown_bytes, seconds in rows:
            grown_text = f"{grown_bytes / n:,.1f}" if grown_bytes is not None else "-"
            seconds_text = f"{seconds:.1f}" if seconds is not None else ""
            print(f"{label:<50} {exact / n:>10,.1f} {grown_text:>12} {seconds_text:>7}")
        if grown is not None:
            print(f"{'(both queues, used_memory growth)':<50} {'':>10} {grown / n:>12,.1f}")
        print(f"\nnewsbot / scrapy-redis stock: seen set {ours / base:.2f}x, queue {q_ours / q_stock:.2f}x")
        print(f"cluster crawl of 1M URLs (all seen, all queued at once): {(ours + q_ours) / n:,.0f} MB per million"
              f" (stock scrapy-redis: {(base + q_stock) / n:,.0f} MB)")
    finally:
        r.flushdb()
        r.close()
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
