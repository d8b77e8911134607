"""Oversized answers never stall a crawl: a decompression bomb (shared case NB-20) or a huge
page is dropped with one warning naming it, and the other articles still come out."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsbot.replica import ReplicaServer
from tests.crawling import run_crawl

HOST = "www.maghress.com"
ARTICLE = ('<html><head><meta charset="utf-8"></head><body><span class="articletitle">{t}</span>'
           '<span class="articlenewspaper">Publié dans <a href="/fr/varia">Varia</a> le 06 - 10 - 2021</span>'
           '<span class="articlecontent">{b}</span></body></html>')


def _snapshot(root: Path) -> Path:
    bodies = {
        "/fr/varia/1": (ARTICLE.format(t="Un article ordinaire", b="Un paragraphe ordinaire.").encode(), {}),
        # 50 MiB of zeros, about 50 KB on the wire
        "/fr/varia/2": (gzip.compress(b"\0" * 50 * 1024 * 1024), {"Content-Encoding": "gzip"}),
        "/fr/varia/3": (ARTICLE.format(t="Une page énorme", b="texte " * 2_000_000).encode(), {}),
    }
    entries = []
    for path, (body, headers) in bodies.items():
        name = f"files{path.replace('/', '_')}.bin"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(body)
        entries.append({"host": HOST, "path": path, "status": 200, "file": name,
                        "headers": {"Content-Type": "text/html; charset=utf-8", **headers}})
    manifest = {"snapshot": "limits", "default_host": HOST, "entries": entries,
                "sites": [{"site": "maghress.com", "host": HOST, "aliases": ["maghress.com"], "editions": ["fr"]}]}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


def test_bomb_and_huge_page_are_dropped_with_a_warning(tmp_path):
    server = ReplicaServer(_snapshot(tmp_path / "snapshot")).start()
    try:
        result = run_crawl("maghress", tmp_path / "crawl", mirror=server.url, args={"ids": "fr/varia:1-3"},
                           settings={"NEWSBOT_BOILERPLATE_WARMUP": 0})
    finally:
        server.stop()
    assert result.returncode == 0 and result.stats["finish_reason"] == "finished"
    assert [i["title"] for i in result.items] == ["Un article ordinaire"]
    warnings = [line for line in result.log.splitlines() if " WARNING: " in line]
    for number in (2, 3):
        url = f"https://www.maghress.com/fr/varia/{number}"
        assert any(url in line and ("DOWNLOAD_MAXSIZE" in line or "max size" in line) for line in warnings), warnings
