"""Oversized answers never stall a crawl: a decompression bomb (shared case NB-20) or a huge
page is dropped with one warning naming it, and the other articles still come out."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tests.crawling import crawl_snapshot, write_snapshot

HOST = "www.maghress.com"
ARTICLE = ('<html><head><meta charset="utf-8"></head><body><span class="articletitle">{t}</span>'
           '<span class="articlenewspaper">Publié dans <a href="/fr/varia">Varia</a> le 06 - 10 - 2021</span>'
           '<span class="articlecontent">{b}</span></body></html>')


def _snapshot(root: Path) -> Path:
    return write_snapshot(root, {
        (HOST, "/fr/varia/1"): (200, {}, ARTICLE.format(t="Un article ordinaire", b="Un paragraphe ordinaire.")),
        # 50 MiB of zeros, about 50 KB on the wire
        (HOST, "/fr/varia/2"): (200, {"Content-Encoding": "gzip"}, gzip.compress(b"\0" * 50 * 1024 * 1024)),
        (HOST, "/fr/varia/3"): (200, {}, ARTICLE.format(t="Une page énorme", b="texte " * 2_000_000)),
    })


def test_bomb_and_huge_page_are_dropped_with_a_warning(tmp_path):
    result = crawl_snapshot("maghress", _snapshot(tmp_path / "snapshot"), tmp_path / "crawl",
                            args={"ids": "fr/varia:1-3"}, settings={"NEWSBOT_BOILERPLATE_WARMUP": 0})
    assert result.stats["finish_reason"] == "finished"
    assert [i["title"] for i in result.items] == ["Un article ordinaire"]
    # one download in four failed: the error-rate monitor says so, and the crawl exits 1
    report = json.loads(result.feed.with_suffix(".report.json").read_text(encoding="utf-8"))
    assert result.returncode == 1 and report["failed"] == [
        "Errors and retries: error rate: 1 errors in 4 requests (25%: failed downloads 1), above 20%"]
    warnings = [line for line in result.log.splitlines() if " WARNING: " in line]
    for number in (2, 3):
        url = f"https://www.maghress.com/fr/varia/{number}"
        assert any(url in line and ("DOWNLOAD_MAXSIZE" in line or "max size" in line) for line in warnings), warnings


def _long_body(lines: int) -> list[str]:
    """``lines`` distinct made-up French lines (a word list and a counter: no real article text)."""
    words = ("le conseil la région les habitants un projet une route des écoles nouvelle saison"
             " du port près de la gare pour cette année selon la mairie").split()
    return [f"Ligne {n} : " + " ".join(words[(n * 7 + k) % len(words)] for k in range(9)) + "." for n in range(lines)]


def test_a_page_of_seventy_thousand_lines_comes_out_whole(tmp_path):
    """Issue 7: a 5 MB article page of 70,000 <br> lines, under DOWNLOAD_MAXSIZE, is cleaned and
    deduplicated like any other (what it costs is measured by bench/run.py, not here)."""
    lines = _long_body(70_000)
    snapshot = write_snapshot(tmp_path / "snapshot", {
        (HOST, "/fr/varia/1"): (200, {}, ARTICLE.format(t="Un article ordinaire", b="Un paragraphe ordinaire.")),
        (HOST, "/fr/varia/2"): (200, {}, ARTICLE.format(t="Un article très long", b="<br />\n".join(lines))),
    })
    result = crawl_snapshot("maghress", snapshot, tmp_path / "crawl", args={"ids": "fr/varia:1-2"},
                            settings={"NEWSBOT_BOILERPLATE_WARMUP": 0})
    assert result.returncode == 0 and result.stats["finish_reason"] == "finished"
    items = {i["title"]: i for i in result.items}
    assert sorted(items) == ["Un article ordinaire", "Un article très long"]
    assert items["Un article très long"]["body"].split("\n\n") == lines
