"""The dedupe pipeline's cost per item against the size of the state store (a script, not a test).

    python bench/dedupe.py                          # 10k, 100k and 1M stored signatures, SQLite
    python bench/dedupe.py --sizes 10000,100000     # quicker
    python bench/dedupe.py --backend redis --sizes 10000,100000   # Redis db 15 (namespace flushed)

What is measured: ``DedupePipeline.process_item`` (built from a real crawler on the store,
exactly as in a crawl) for ``--items`` new articles of about 300 words, one in ten a
near-duplicate of an earlier one of the batch, with 0 (the baseline), 10,000, 100,000 and
1,000,000 documents already in the store. Per item: fingerprint, MinHash over 3-word
shingles, 14 LSH band look-ups, the candidates' signatures, and the insert of the kept item.
Also timed apart: the same items through fingerprint + MinHash only (no store). Printed:
milliseconds per item (median of ``--repeat`` batches) and the ratio to the baseline, then the
store's size on disk (SQLite file after a WAL checkpoint; Redis ``MEMORY USAGE`` of the keys).

How the store is filled: synthetic documents, not crawled ones. A MinHash signature of an
unrelated text is 128 independent uniform minima, so each synthetic signature is 128 random
uint32 values (numpy, seeded); its fingerprint is 16 random bytes, its URL
``https://www.maghress.com/fr/bench<k>/<n>``, and each also gets a seen-article record, as a
crawled article would. Redis is filled through ``RedisState.add_document``, with band keys
from the pipeline's own ``Signer.band_keys``. SQLite is filled by :func:`fill_sqlite_fast`
straight into the schema's own tables: a band key is a 64-bit hash of random values, i.e. a
uniform random 64-bit number, so as many are drawn per document as the signer has bands
(numpy); rows go in key order in one transaction, with the journal and syncs off and the
secondary indexes built at the end (the pipeline writes one document per transaction;
filling 1M that way takes much longer and gives an equivalent file). ``--cache DIR`` keeps
filled files (by signer layout and size) for the next run: see :func:`cached_store`.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scrapy.utils.test import get_crawler  # noqa: E402

from newsbot.items import ArticleItem  # noqa: E402
from newsbot.pipelines.dedupe import DedupePipeline  # noqa: E402
from newsbot.pipelines.drops import PipelineDrop  # noqa: E402
from newsbot.text.signatures import Signer, content_fingerprint  # noqa: E402
from newsbot.spiders.sites import MaghressSpider  # noqa: E402
from newsbot.state import open_state  # noqa: E402

WORDS = (
    "le la les un une des du de à au aux et ou en dans sur sous avec pour par que qui ne pas plus "
    "Rabat Casablanca Fès Tanger Agadir Oujda Meknès conseil ministre commune région projet eau "
    "route port train école hôpital marché budget travaux habitants saison pluie récolte festival "
    "association élus président rapport calendrier station réseau tarifs partenaires agriculteurs "
    "jeudi mardi lundi semaine mois année prochain nouveau premier dernier grand petit public"
).split()


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


def batch(seed: int, count: int) -> list[ArticleItem]:
    rng = random.Random(seed)
    items: list[ArticleItem] = []
    for n in range(count):
        items.append(near_copy(rng, items[-1], seed * 100_000 + n) if n % 10 == 9 else article(rng, seed * 100_000 + n))
    return items


def replica_batch(site, first: int, count: int) -> list[ArticleItem]:
    """Items of French articles ``first`` .. ``first + count - 1`` of a :class:`bench.replica_gen.ReplicaSite`,
    with the clean body the boilerplate pipeline hands on (its 1.5 % near-duplicates included)."""
    items = []
    for k in range(first, first + count):
        art = site.article(site.key("fr", k))
        items.append(ArticleItem(
            article_id=f"maghress:fr:{art.key.slug}:{art.key.number}", url=art.key.url, site="maghress",
            title=art.title, body="\n\n".join(art.paragraphs),
        ))
    return items


# --- filling the store --------------------------------------------------------------------------------
def synthetic(signer: Signer, start: int, count: int, rng: np.random.Generator):
    sigs = rng.integers(0, 2**32, size=(count, signer.num_perm), dtype=np.uint64).astype(np.uint32)
    for offset in range(count):
        n = start + offset
        values = sigs[offset]
        yield (
            f"https://www.maghress.com/fr/bench{n % 50}/{n}", os.urandom(16), values.tobytes(),
            signer.band_keys(SimpleNamespace(hashvalues=values)), f"maghress:fr:bench{n % 50}:{n}",
        )


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


def forget_measured(path: Path) -> None:
    """Remove what measurements added to a cached store (documents of runs other than the fill)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.execute("DELETE FROM bands WHERE doc IN (SELECT id FROM docs WHERE run != ?)", (FILL_RUN,))
    db.execute("DELETE FROM docs WHERE run != ?", (FILL_RUN,))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def fill_redis(uri: str, namespace: str, signer: Signer, start: int, count: int, rng: np.random.Generator) -> None:
    store = open_state(uri, namespace)
    for url, fp, sig, keys, article_id in synthetic(signer, start, count, rng):
        store.add_document(url, "bench", "maghress", fp, sig, keys)
        store.record_articles([(article_id, "item")])
    store.close()


# --- measuring ------------------------------------------------------------------------------------------
def per_item_ms(uri: str, namespace: str, items: list[ArticleItem]) -> float:
    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": uri, "NEWSBOT_STATE_NAMESPACE": namespace})
    dedupe = DedupePipeline.from_crawler(crawler)
    started = time.perf_counter()
    for item in items:
        try:
            dedupe.process_item(item)
        except PipelineDrop:
            pass
    elapsed = time.perf_counter() - started
    dedupe.state.store.close()
    return elapsed / len(items) * 1000


def compute_only_ms(signer: Signer, items: list[ArticleItem]) -> float:
    started = time.perf_counter()
    for item in items:
        content_fingerprint(item.title, item.body)
        signer.band_keys(signer.minhash(item.body))
    return (time.perf_counter() - started) / len(items) * 1000


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
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--items", type=int, default=300, help="items per timed batch")
    parser.add_argument("--repeat", type=int, default=3, help="timed batches per size (median)")
    parser.add_argument("--backend", choices=("sqlite", "redis"), default="sqlite")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--workdir", type=Path, default=None, help="where the SQLite file goes (default: a temp dir)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    signer = Signer(0.8)
    rng = np.random.default_rng(20261129)
    workdir = Path(tempfile.mkdtemp(prefix="newsbot-bench-", dir=args.workdir))
    namespace = f"newsbot-bench-{secrets.token_hex(3)}"
    if args.backend == "sqlite":
        path = workdir / "state.db"
        uri = f"sqlite:///{path}"
    else:
        uri = args.redis
    open_state(uri, namespace).close()  # creates the schema

    print(f"dedupe pipeline per item, {args.backend} store, {args.items} items x {args.repeat} batches,"
          f" MinHash {signer.num_perm} permutations, LSH {signer.layout}")
    per_item_ms(uri, namespace, batch(99, args.items // 4 or 1))  # warm-up: imports, first connection, caches
    compute = statistics.median(compute_only_ms(signer, batch(90 + r, args.items)) for r in range(args.repeat))
    print(f"  fingerprint + MinHash only (no store): {compute:.3f} ms/item")
    results: list[tuple[int, float, float]] = []
    stored = 0
    seed = 1
    try:
        for size in [0, *sizes]:
            started = time.perf_counter()
            if size > stored:
                if args.backend == "sqlite":
                    fill_sqlite_fast(path, signer, stored, size - stored, rng)
                else:
                    fill_redis(uri, namespace, signer, stored, size - stored, rng)
                stored = size
            fill_s = time.perf_counter() - started
            timings = []
            for _ in range(args.repeat):
                timings.append(per_item_ms(uri, namespace, batch(seed, args.items)))
                seed += 1
            cost = statistics.median(timings)
            disk = sqlite_size(path) if args.backend == "sqlite" else redis_size(uri, namespace)
            results.append((size, cost, disk))
            base = results[0][1]
            per_doc = f"{disk / size:6.0f} B/doc" if size else "   empty    "
            print(f"  {size:>9,} stored: {cost:7.3f} ms/item  x{cost / base:5.2f} of baseline   store"
                  f" {disk / 2**20:8.1f} MiB ({per_doc})   [filled in {fill_s:.0f} s]", flush=True)
    finally:
        if args.backend == "redis":
            import redis

            client = redis.Redis.from_url(uri)
            for key in client.scan_iter(f"{namespace}:*", count=10_000):
                client.delete(key)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
