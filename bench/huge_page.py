"""Issue 7, item 6: what one huge article page adds to a crawl (CPU seconds and peak RSS).

Two ``scrapy crawl maghress -a ids=fr/varia:1-N`` crawls of a small replica served by
newsbot's own replica server (:class:`newsbot.demo.replica.ReplicaServer`): A has ``N``
ordinary article pages, B the same plus one page of :data:`LINES` ``<br>`` lines (about 5.8 MB,
under ``DOWNLOAD_MAXSIZE``). Both are measured by :mod:`bench.probe` over the crawl window;
the page's cost is B minus A: CPU seconds and MiB of peak RSS. Targets: ≤ 2 s, ≤ 100 MiB.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.crawls import CrawlRun, newsbot_crawl

LINES = 70_000
ORDINARY = 20
HOST = "www.maghress.com"
WORDS = ("le conseil la région les habitants un projet une route des écoles nouvelle saison du port près de"
         " la gare pour cette année selon la mairie de la province sur le littoral au cours du mois").split()
PAGE = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{t}</title></head><body>'
        '<span class="articletitle">{t}</span>'
        '<span class="articlenewspaper">Publié dans <a href="/fr/varia">Varia</a> le 06 - 10 - 2021</span>'
        '<span class="articlecontent">{b}</span></body></html>')


def body_lines(count: int, seed: int) -> list[str]:
    """``count`` distinct made-up French lines (a word list and counters: no real text)."""
    return [f"Ligne {seed}-{n} : " + " ".join(WORDS[(n * 7 + k * 3 + seed) % len(WORDS)] for k in range(11)) + "."
            for n in range(count)]


def write_snapshot(root: Path, huge: bool) -> Path:
    """A snapshot (the layout of ``../shared/sites``) of :data:`ORDINARY` articles, plus the huge
    page as ``/fr/varia/<ORDINARY + 1>`` when ``huge``."""
    pages = {n: PAGE.format(t=f"Article ordinaire {n}", b="<br />\n".join(body_lines(12, n))) for n in range(1, ORDINARY + 1)}
    if huge:
        pages[ORDINARY + 1] = PAGE.format(t="Un article très long", b="<br />\n".join(body_lines(LINES, 0)))
    entries = []
    for number, html in pages.items():
        name = f"files/{number}.html"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(html, encoding="utf-8")
        entries.append({"host": HOST, "path": f"/fr/varia/{number}", "status": 200, "file": name,
                        "headers": {"Content-Type": "text/html; charset=utf-8"}})
    manifest = {"snapshot": "huge-page", "default_host": HOST, "entries": entries,
                "sites": [{"site": "maghress.com", "host": HOST, "aliases": ["maghress.com"], "editions": ["fr"]}]}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def huge_page_cost(workdir: Path, settings: dict[str, object] | None = None) -> tuple[CrawlRun, CrawlRun, int]:
    """Crawl A (ordinary pages) and B (the same and the huge page); ``(A, B, bytes of the huge page)``."""
    from newsbot.demo.replica import ReplicaServer

    runs = []
    for huge in (False, True):
        snapshot = write_snapshot(workdir / f"snapshot-{huge}", huge)
        server = ReplicaServer(snapshot).start()
        try:
            last = ORDINARY + (1 if huge else 0)
            runs.append(newsbot_crawl(server.url, workdir / f"crawl-{huge}", args={"ids": f"fr/varia:1-{last}"},
                                      settings={"NEWSBOT_BOILERPLATE_WARMUP": 0, **(settings or {})}))
        finally:
            server.stop()
    size = (workdir / "snapshot-True" / "files" / f"{ORDINARY + 1}.html").stat().st_size
    return runs[0], runs[1], size
