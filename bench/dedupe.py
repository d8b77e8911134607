"""The dedupe pipeline's cost per item against the size of the state store (a script, not a test).

    python bench/dedupe.py                          # 10k, 100k and 1M stored signatures, SQLite
    python bench/dedupe.py --sizes 10000,100000     # quicker
    python bench/dedupe.py --backend redis --sizes 10000,100000   # a private redis-server (--redis URL: yours; own namespace, deleted after)
    python bench/dedupe.py --sizes 0 --huge --memory   # empty store, the 5.8 MB page, memory held per item
    python bench/dedupe.py --steps --store ~/.cache/newsbot-bench/dedupe-...-1000000.db   # CPU per step, on bench/run.py's store

What is measured: ``DedupePipeline.process_item`` (built from a real crawler on the store,
exactly as in a crawl) for ``--items`` new articles of about 300 words, one in ten a
near-duplicate of an earlier one of the batch, with 0 (the baseline), 10,000, 100,000 and
1,000,000 documents already in the store. Per item: fingerprint, MinHash over 3-word
shingles, 14 LSH band look-ups, the candidates' signatures, the insert of the kept item.
Items carry ``body_folded`` as the item loader sets it; the ``no body_folded`` column times
the same items without it (the pipeline folds the body itself). Also timed apart: the same
items through the keys only, no store (folding if needed, fingerprint, shingles, MinHash,
band keys, exact shingle set). Printed: milliseconds per item (median
of ``--repeat`` batches; wall clock, and the process's CPU time, steadier on a shared
machine) and the ratio to the baseline, the process's resident memory after the batch, then
the store's size on disk (SQLite file after a WAL checkpoint; Redis ``MEMORY USAGE`` of the
keys). ``--huge`` also runs one page of 5.8 MB in 70,000 lines through the pipeline in a fresh
process, with ``body_folded`` and without: CPU seconds and the peak of memory allocated
meanwhile (tracemalloc, numpy arrays included). ``--memory`` runs 60,000 items through the pipeline and
the seen-articles extension in a fresh process and prints the Python memory they hold after
20,000 and 60,000 (tracemalloc; SQLite's own page cache is in the RSS column instead).
``--steps`` splits an item's CPU time into the pipeline's steps (:func:`measure_steps`: shingles,
SHA-1 of each shingle, MinHash, band keys, each store call), at each size, or on ``--store``, an
existing SQLite state file such as the 1M store ``bench/run.py`` caches (what a batch adds to it
is removed after, :func:`forget_measured`).

How the store is filled (:func:`fill_store`): synthetic documents, not crawled ones, written
straight into the schema's tables. A MinHash signature of an unrelated text is 128 independent
uniform minima, so each synthetic signature is 128 random uint32 values; its 14 band keys, a
keyed hash of those values, are as good as 14 random signed 64-bit values, and are drawn as
such (numpy, seeded); its fingerprint is 16 random bytes, its URL
``https://www.maghress.com/fr/bench<k>/<n>``, and each also gets a seen-article record, as a
crawled article would. Band rows are sorted by key and every table is written in key order in
one transaction, the secondary indexes rebuilt after, with ``synchronous=OFF`` and no journal
for the fill only (a fill that fails leaves a broken bench file, nothing else). Redis is filled
through ``RedisState.add_document``.

Helpers for other scripts (``bench/run.py``): :func:`fill_store` (or :func:`cached_store`, a
filled file kept for the next run, and :func:`forget_measured`), :func:`bench_items` or
:func:`replica_batch`, :func:`measure_dedupe` (``per_item_ms``), :func:`measure_huge_page`,
:func:`measure_memory`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scrapy.utils.test import get_crawler  # noqa: E402

from newsbot.items import ArticleItem  # noqa: E402
from newsbot.pipelines.dedupe import DedupePipeline  # noqa: E402
from newsbot.pipelines.drops import PipelineDrop  # noqa: E402
from newsbot.spiders.sites import MaghressSpider  # noqa: E402
from newsbot.state import open_state  # noqa: E402
from newsbot.text import fold_for_match  # noqa: E402
from newsbot.text.signatures import (  # noqa: E402
    Signer,
    content_fingerprint_folded,
    folded_shingles,
    shingle_hashes,
    shingle_set_of,
)

WORDS = (
    "le la les un une des du de à au aux et ou en dans sur sous avec pour par que qui ne pas plus "
    "Rabat Casablanca Fès Tanger Agadir Oujda Meknès conseil ministre commune région projet eau "
    "route port train école hôpital marché budget travaux habitants saison pluie récolte festival "
    "association élus président rapport calendrier station réseau tarifs partenaires agriculteurs "
    "jeudi mardi lundi semaine mois année prochain nouveau premier dernier grand petit public"
).split()
FILL_SEED = 20261129


# --- items ----------------------------------------------------------------------------------------------
def article(rng: random.Random, n: int) -> ArticleItem:
    body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(75)) for _ in range(4))
    return ArticleItem(
        article_id=f"maghress:fr:newsbench:{n}", url=f"https://www.maghress.com/fr/newsbench/{n}",
        site="maghress", title=f"Article {n}", body=body,
    )


def near_copy(rng: random.Random, item: ArticleItem, n: int) -> ArticleItem:
    words = item.body.split(" ")
    for i in rng.sample(range(len(words)), 3):
        words[i] = rng.choice(WORDS)
    return ArticleItem(
        article_id=f"maghress:fr:newscopy:{n}", url=f"https://www.maghress.com/fr/newscopy/{n}",
        site="maghress", title=f"Copie {n}", body=" ".join(words),
    )


def bench_items(seed: int, count: int, *, folded: bool = True) -> list[ArticleItem]:
    """``count`` new articles of 300 words (4 paragraphs), every tenth a near copy (3 words
    changed) of the one before; URLs are unique per ``seed`` (< 1000) and position. With
    ``folded``, each carries ``body_folded`` as the item loader sets it."""
    rng = random.Random(seed)
    items: list[ArticleItem] = []
    for n in range(count):
        items.append(near_copy(rng, items[-1], seed * 100_000 + n) if n % 10 == 9 else article(rng, seed * 100_000 + n))
    if folded:
        for item in items:
            item.body_folded = fold_for_match(item.body)
    return items


batch = bench_items  # the name older scripts use


def replica_batch(site, first: int, count: int) -> list[ArticleItem]:
    """Items of French articles ``first`` .. ``first + count - 1`` of a :class:`bench.replica_gen.ReplicaSite`,
    with the clean body (and ``body_folded``) the boilerplate pipeline hands on (its 1.5 % near-duplicates included)."""
    items = []
    for k in range(first, first + count):
        art = site.article(site.key("fr", k))
        body = "\n\n".join(art.paragraphs)
        items.append(ArticleItem(
            article_id=f"maghress:fr:{art.key.slug}:{art.key.number}", url=art.key.url, site="maghress",
            title=art.title, body=body, body_folded=fold_for_match(body),
        ))
    return items


def huge_body(lines: int = 70_000, words_per_line: int = 13, seed: int = 7) -> str:
    """A body of ``lines`` paragraphs (5.8 MB with the defaults): a page that is a dump, not an article."""
    rng = random.Random(seed)
    return "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(words_per_line)) for _ in range(lines))


# --- filling the store --------------------------------------------------------------------------------
NAMESPACE = "newsbot-bench"  # state namespace of cached stores
FILL_RUN = "bench"  # the ``run`` of every synthetic document
CHUNK = 250_000


def fill_sqlite_fast(path: Path, signer: Signer, start: int, count: int, rng: np.random.Generator) -> None:
    """Add documents ``start`` .. ``start + count - 1`` to the SQLite store at ``path`` (schema
    made by ``open_state``). See the module docstring; ids are given in URL order so every
    B-tree is appended to, and the secondary indexes are dropped and rebuilt (sorted) around it."""
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -1000000", "temp_store = MEMORY"):
        db.execute(f"PRAGMA {pragma}")
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        db.execute(f"DROP INDEX {name}")
    numbers = sorted(range(start, start + count), key=lambda n: f"{n % 50}/{n}")  # URL order
    first_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM docs").fetchone()[0] + 1
    bands = len(signer.hashranges)
    db.execute("BEGIN")
    for offset in range(0, count, CHUNK):
        part = numbers[offset : offset + CHUNK]
        sigs = rng.integers(0, 2**32, size=(len(part), signer.num_perm), dtype=np.uint64).astype(np.uint32)
        fps = rng.bytes(16 * len(part))
        db.executemany(
            "INSERT INTO docs (id, url, run, site, fp, sig, created) VALUES (?, ?, ?, 'maghress', ?, ?, 0)",
            ((first_id + offset + i, f"https://www.maghress.com/fr/bench{n % 50}/{n}", FILL_RUN,
              fps[16 * i : 16 * i + 16], sigs[i].tobytes()) for i, n in enumerate(part)),
        )
    keys = rng.integers(-(2**63), 2**63 - 1, size=count * bands, dtype=np.int64)
    docs = np.repeat(np.arange(first_id, first_id + count, dtype=np.int64), bands)
    order = np.argsort(keys)
    keys, docs = keys[order], docs[order]
    for offset in range(0, len(keys), CHUNK * 4):
        db.executemany("INSERT INTO bands (key, doc) VALUES (?, ?)",
                       zip(keys[offset : offset + CHUNK * 4].tolist(), docs[offset : offset + CHUNK * 4].tolist(),
                           strict=True))
    db.executemany("INSERT INTO articles (article_id, status, updated) VALUES (?, 'item', 0)",
                   ((a,) for a in sorted(f"maghress:fr:bench{n % 50}:{n}" for n in range(start, start + count))))
    db.execute("COMMIT")
    for _, sql in indexes:
        db.execute(sql)
    db.close()


def cached_store(cache_dir: Path, signer: Signer, size: int, namespace: str, seed: int = 20261129) -> Path:
    """An SQLite store holding ``size`` synthetic documents, filled once and kept in
    ``cache_dir`` under a name with the signer's layout, the schema version and ``size``.
    A file is only kept once complete (filled under a temporary name, then renamed)."""
    from newsbot.state.base import SCHEMA_VERSION

    name = f"dedupe-{namespace}-{signer.scheme.replace('/', '_')}-{signer.layout}-schema{SCHEMA_VERSION}-{size}.db"
    path = cache_dir / name
    if path.exists():
        return path
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in cache_dir.glob(partial.name + "*"):
        leftover.unlink()
    open_state(f"sqlite:///{partial}", namespace).close()  # the schema, as newsbot creates it
    fill_sqlite_fast(partial, signer, 0, size, np.random.default_rng(seed))
    db = sqlite3.connect(partial)
    db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    db.close()
    partial.rename(path)
    return path


def read_through(path: Path) -> float:
    """Read ``path`` once (8 MiB at a time, nothing kept) so the operating system caches it, as it
    caches the state file of a crawl that runs every day; seconds taken."""
    started = time.perf_counter()
    with open(path, "rb") as stream:
        while stream.read(8 << 20):
            pass
    return time.perf_counter() - started


def forget_measured(path: Path) -> None:
    """Remove what measurements added to a cached store (documents of runs other than the fill)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute("DELETE FROM bands WHERE doc IN (SELECT id FROM docs WHERE run != ?)", (FILL_RUN,))
    db.execute("DELETE FROM docs WHERE run != ?", (FILL_RUN,))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def fill_store(path: str | Path, n: int, signer: Signer, *, seed: int = FILL_SEED) -> None:
    """Add ``n`` synthetic documents (see module docstring) to the SQLite state file ``path``
    with :func:`fill_sqlite_fast`.

    The file is created with the store's schema (namespace :data:`NAMESPACE`) if missing;
    documents already there are kept and numbered on (call again with another ``seed`` to add
    different signatures). Raises ``sqlite3.Error``.
    """
    path = Path(path)
    open_state(f"sqlite:///{path}", NAMESPACE if not path.exists() else _namespace(path)).close()
    db = sqlite3.connect(path)
    try:
        start = db.execute("SELECT COUNT(*) FROM docs WHERE run = ?", (FILL_RUN,)).fetchone()[0]
    finally:
        db.close()
    fill_sqlite_fast(path, signer, start, n, np.random.default_rng(seed))
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA journal_mode = WAL")  # as the store keeps it
    finally:
        db.close()


def _namespace(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'namespace'").fetchone()
    finally:
        db.close()
    return row[0] if row else NAMESPACE


def fill_redis(uri: str, namespace: str, signer: Signer, start: int, count: int, rng: np.random.Generator) -> None:
    store = open_state(uri, namespace)
    sigs = rng.integers(0, 2**32, size=(count, signer.num_perm), dtype=np.uint32)
    keys = rng.integers(-(2**63), 2**63 - 1, size=(count, len(signer.hashranges)), dtype=np.int64, endpoint=True)
    for offset in range(count):
        n = start + offset
        store.add_document(
            f"https://www.maghress.com/fr/bench{n % 50}/{n}", "bench", "maghress", os.urandom(16),
            sigs[offset].tobytes(), keys[offset].tolist(),
        )
        store.record_articles([(f"maghress:fr:bench{n % 50}:{n}", "item")])
    store.close()


# --- measuring ------------------------------------------------------------------------------------------
def _pipeline(store_uri: str, namespace: str = NAMESPACE) -> DedupePipeline:
    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": store_uri, "NEWSBOT_STATE_NAMESPACE": namespace})
    return DedupePipeline.from_crawler(crawler)


def _run(dedupe: DedupePipeline, items: Sequence[ArticleItem]) -> None:
    for item in items:
        try:
            dedupe.process_item(item)
        except PipelineDrop:
            pass


def measure_dedupe(
    store_uri: str,
    bodies: Sequence[ArticleItem | str],
    *,
    namespace: str = NAMESPACE,
    rss: list[int] | None = None,
    cpu: list[float] | None = None,
) -> float:
    """Milliseconds per item (wall clock) of a fresh ``DedupePipeline`` on ``store_uri`` for
    ``bodies``: items, or body texts (each becomes a new article with a unique URL and title,
    without ``body_folded``). The opening of the store is not counted. ``rss``, if given,
    receives the process's resident bytes before the store is closed; ``cpu`` the process's
    CPU milliseconds per item."""
    items = [b if isinstance(b, ArticleItem) else _item_of(b) for b in bodies]
    dedupe = _pipeline(store_uri, namespace)
    started, started_cpu = time.perf_counter(), time.process_time()
    _run(dedupe, items)
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    if rss is not None:
        rss.append(resident_bytes())
    if cpu is not None:
        cpu.append(elapsed_cpu / max(1, len(items)) * 1000)
    dedupe.state.store.close()
    return elapsed / max(1, len(items)) * 1000


def per_item_ms(uri: str, namespace: str, items: list[ArticleItem]) -> float:
    """:func:`measure_dedupe` under the name ``bench/run.py`` uses."""
    return measure_dedupe(uri, items, namespace=namespace)


def _item_of(body: str) -> ArticleItem:
    token = secrets.token_hex(6)
    return ArticleItem(
        article_id=f"maghress:fr:newsbench:{token}", url=f"https://www.maghress.com/fr/newsbench/{token}",
        site="maghress", title=f"Article {token}", body=body,
    )


def compute_only_ms(signer: Signer, items: list[ArticleItem]) -> float:
    """Milliseconds per item of the pipeline's keys without the store: the folded body
    (``body_folded``, else ``body`` folded), fingerprint, shingles, signature, band keys."""
    started = time.perf_counter()
    for item in items:
        folded = item.body_folded if item.body_folded is not None else fold_for_match(item.body or "")
        content_fingerprint_folded(fold_for_match(item.title or ""), folded)
        own = shingle_set_of(shingle_hashes(folded_shingles(folded)))
        signer.band_keys(signer.signature(own))
    return (time.perf_counter() - started) / len(items) * 1000


STEPS = ("fingerprint", "shingles", "sha1", "shingle set", "minhash", "band keys",
         "look_up", "add_document")


def measure_steps(store_uri: str, items: Sequence[ArticleItem], *, namespace: str = NAMESPACE) -> dict[str, float]:
    """CPU milliseconds per item of each step of ``DedupePipeline.process_item`` (:data:`STEPS`),
    each timed alone with ``time.process_time`` (the store's checkpoint thread included), for
    ``items`` that carry ``body_folded``; every item is indexed as kept, by a run of its own."""
    signer = Signer(0.8)
    store = open_state(store_uri, namespace)
    spent = dict.fromkeys(STEPS, 0.0)
    clock = time.process_time
    run = f"steps-{secrets.token_hex(3)}"
    try:
        for item in items:
            folded = item.body_folded
            t0 = clock()
            fingerprint = content_fingerprint_folded(fold_for_match(item.title or ""), folded)
            t1 = clock()
            shingled = folded_shingles(folded)
            t2 = clock()
            hashes = shingle_hashes(shingled)
            t3 = clock()
            own = shingle_set_of(hashes)
            t4 = clock()
            signature = signer.signature(own)
            t5 = clock()
            keys = signer.band_keys(signature)
            t6 = clock()
            store.look_up(item.url, fingerprint, keys, item.article_id)
            t7 = clock()
            store.add_document(item.url, run, "maghress", fingerprint, signature.tobytes(), keys)
            t8 = clock()
            for step, spent_s in zip(STEPS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5, t7 - t6,
                                             t8 - t7), strict=True):
                spent[step] += spent_s
    finally:
        store.close()
    return {step: total / max(1, len(items)) * 1000 for step, total in spent.items()}


def print_steps(uri: str, seeds: Sequence[int], count: int, namespace: str, path: Path | None) -> None:
    """One line of :func:`measure_steps` (median of a batch per seed); ``path``: an SQLite store
    to clean with :func:`forget_measured` after each batch."""
    runs = []
    for seed in seeds:
        runs.append(measure_steps(uri, bench_items(seed, count), namespace=namespace))
        if path is not None:
            forget_measured(path)
    medians = {step: statistics.median(r[step] for r in runs) for step in STEPS}
    print("    CPU ms/item by step: " + ", ".join(f"{step} {ms:.3f}" for step, ms in medians.items())
          + f"; sum {sum(medians.values()):.3f}", flush=True)


def measure_huge_page(body: str | None = None, *, folded: bool = True) -> tuple[float, float]:
    """``(CPU seconds, peak MiB allocated)`` of one page through a fresh ``DedupePipeline`` on an
    in-memory store, in a new process (so other work does not count); ``body`` defaults to
    :func:`huge_body`. With ``folded`` the item carries ``body_folded`` (folded beforehand, not
    counted), as the item loader sets it; without, the pipeline folds the body itself."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_huge_page, (body, folded))


def measure_memory(counts: Sequence[int] = (20_000, 60_000)) -> list[tuple[int, float, float]]:
    """``[(items, MiB held, RSS MiB)]``: Python memory (tracemalloc) held by a
    ``DedupePipeline`` and a ``SeenArticlesExtension`` of one crawl on a new SQLite file after
    each count of items (all kept or dropped, none committed yet), in a new process."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_memory, (list(counts),))


def _memory(counts: list[int]) -> list[tuple[int, float, float]]:
    from newsbot.extensions.seen import SeenArticlesExtension

    workdir = Path(tempfile.mkdtemp(prefix="newsbot-bench-"))
    try:
        crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": f"sqlite:///{workdir}/state.db"})
        dedupe = DedupePipeline.from_crawler(crawler)
        seen = SeenArticlesExtension.from_crawler(crawler)
        spider = MaghressSpider()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        results, done, seed = [], 0, 100
        for count in counts:
            while done < count:
                for item in bench_items(seed, min(1000, count - done)):
                    try:
                        dedupe.process_item(item)
                        seen.item_scraped(item, None, spider)
                    except PipelineDrop as drop:
                        seen.item_dropped(item, None, drop, spider)
                    done += 1
                seed += 1
            results.append((done, (tracemalloc.get_traced_memory()[0] - base) / 2**20, resident_bytes() / 2**20))
        tracemalloc.stop()
        return results
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _huge_page(body: str | None, folded: bool) -> tuple[float, float]:
    text = body if body is not None else huge_body()
    results = []
    for traced in (False, True):  # tracing allocations slows them: time and memory in two passes
        item = _item_of(text)
        if folded:
            item.body_folded = fold_for_match(text)
        dedupe = _pipeline("sqlite:///:memory:")
        _run(dedupe, bench_items(98, 5, folded=False))  # imports and first calls out of the way
        if traced:
            tracemalloc.start()
        started = time.process_time()
        _run(dedupe, [item])
        results.append(tracemalloc.get_traced_memory()[1] / 2**20 if traced else time.process_time() - started)
        tracemalloc.stop()
        dedupe.state.store.close()
    return results[0], results[1]


def resident_bytes() -> int:
    """This process's resident set size now (Linux ``/proc``; the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def sqlite_size(path: Path) -> int:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def redis_size(uri: str, namespace: str) -> int:
    import redis

    client = redis.Redis.from_url(uri)
    return sum(client.memory_usage(key, samples=0) or 0 for key in client.scan_iter(f"{namespace}:*", count=10_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="stored documents to measure at (0: baseline only)")
    parser.add_argument("--items", type=int, default=300, help="items per timed batch")
    parser.add_argument("--repeat", type=int, default=3, help="timed batches per size (median)")
    parser.add_argument("--backend", choices=("sqlite", "redis"), default="sqlite")
    parser.add_argument("--redis", default=None, help="an existing Redis (keys under a namespace of the run's own,"
                        " deleted after); default: a private redis-server on a free port")
    parser.add_argument("--workdir", type=Path, default=None, help="where the SQLite file goes (default: a temp dir)")
    parser.add_argument("--huge", action="store_true", help="also time one 5.8 MB page of 70,000 lines")
    parser.add_argument("--memory", action="store_true", help="also measure the memory held after 20k and 60k items")
    parser.add_argument("--steps", action="store_true", help="also split an item's CPU time into the pipeline's steps")
    parser.add_argument("--store", type=Path, default=None, help="with --steps: only measure the steps on this existing"
                        " SQLite store (e.g. bench/run.py's cached 1M store; what is added is removed after)")
    args = parser.parse_args()
    if args.store is not None:
        if not args.store.exists():
            parser.error(f"--store {args.store}: no such file (bench/run.py --only dedupe fills and caches one)")
        uri, namespace = f"sqlite:///{args.store}", _namespace(args.store)
        print(f"dedupe pipeline steps on {args.store} ({sqlite_size(args.store) / 2**20:,.0f} MiB), {args.items} items x {args.repeat} batches")
        read_through(args.store)
        measure_steps(uri, bench_items(98, max(args.items // 4, 1)), namespace=namespace)  # warm-up: caches, imports
        forget_measured(args.store)
        print_steps(uri, range(1, args.repeat + 1), args.items, namespace, args.store)
        return
    sizes = [int(s) for s in args.sizes.split(",") if int(s)]
    signer = Signer(0.8)
    workdir = Path(tempfile.mkdtemp(prefix="newsbot-bench-", dir=args.workdir))
    namespace = f"newsbot-bench-{secrets.token_hex(3)}"
    if args.backend == "sqlite":
        path = workdir / "state.db"
        uri = f"sqlite:///{path}"
    elif args.redis:
        uri = args.redis
    else:
        from bench.cluster_memory import private_server

        redis_proc, uri, redis_dir = private_server()
    open_state(uri, namespace).close()  # creates the schema

    print(f"dedupe pipeline per item, {args.backend} store, {args.items} items x {args.repeat} batches,"
          f" MinHash {signer.num_perm} permutations, LSH {signer.layout}")
    measure_dedupe(uri, bench_items(99, args.items // 4 or 1), namespace=namespace)  # warm-up: imports, caches
    compute = statistics.median(compute_only_ms(signer, bench_items(90 + r, args.items)) for r in range(args.repeat))
    print(f"  keys only (fingerprint, MinHash, band keys, shingle set; no store): {compute:.3f} ms/item")
    print(f"  {'stored':>9}   {'ms/item':>7} {'cpu':>6}  {'x base':>6}   {'no body_folded':>14} {'cpu':>6}   {'RSS':>9}"
          f"   {'store':>11} {'per doc':>10}   fill")
    results: list[tuple[int, float, float]] = []
    stored = 0
    seed = 1
    rng = np.random.default_rng(FILL_SEED)
    try:
        for size in [0, *sizes]:
            started = time.perf_counter()
            if size > stored:
                if args.backend == "sqlite":
                    fill_store(path, size - stored, signer, seed=FILL_SEED + stored)
                else:
                    fill_redis(uri, namespace, signer, stored, size - stored, rng)
                stored = size
            fill_s = time.perf_counter() - started
            timings, cpu, plain, plain_cpu, rss = [], [], [], [], []
            for _ in range(args.repeat):
                timings.append(measure_dedupe(uri, bench_items(seed, args.items), namespace=namespace, rss=rss, cpu=cpu))
                plain.append(measure_dedupe(uri, bench_items(seed + 500, args.items, folded=False), namespace=namespace, cpu=plain_cpu))
                seed += 1
            cost = statistics.median(timings)
            disk = sqlite_size(path) if args.backend == "sqlite" else redis_size(uri, namespace)
            results.append((size, cost, disk))
            base = results[0][1]
            per_doc = f"{disk / size:6.0f} B/doc" if size else "     empty"
            print(f"  {size:>9,}   {cost:7.3f} {statistics.median(cpu):6.3f}  x{cost / base:5.2f}   "
                  f"{statistics.median(plain):14.3f} {statistics.median(plain_cpu):6.3f}   {max(rss) / 2**20:5.0f} MiB"
                  f"   {disk / 2**20:7.1f} MiB {per_doc}   {fill_s:.0f} s", flush=True)
            if args.steps:
                print_steps(uri, range(seed, seed + args.repeat), args.items, namespace,
                            path if args.backend == "sqlite" else None)
                seed += args.repeat
    finally:
        if args.backend == "redis":
            import redis

            client = redis.Redis.from_url(uri)
            for key in client.scan_iter(f"{namespace}:*", count=10_000):
                client.delete(key)
            if not args.redis:
                redis_proc.terminate()
                redis_proc.wait(timeout=10)
                shutil.rmtree(redis_dir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
    if args.huge:
        for folded in (True, False):
            cpu_s, peak = measure_huge_page(folded=folded)
            print(f"  one page of 5.8 MB, 70,000 lines{'' if folded else ', no body_folded'}: {cpu_s:.2f} s CPU,"
                  f" {peak:.0f} MiB allocated at the peak")
    if args.memory:
        for count, held, rss_mib in measure_memory():
            print(f"  after {count:,} items: {held:6.1f} MiB held by the pipeline and the seen extension, RSS {rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
