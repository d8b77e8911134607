"""The benchmark set of ``bench/run.py`` (issue 7) still works: its generated replica is read
by newsbot's extractors as intended, its server routes by ``Host``, and a tiny run prints
the five numbers on its last line."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse

from bench.replica_gen import Key, ReplicaSite
from bench.replica_server import ServerProcess
from newsbot.pages.article import parse_article
from newsbot.pages.listing import parse_listing
from tests.crawling import ROOT

LAST_LINE = re.compile(
    r"^crawl_ratio=(\S+) extract_speedup=(\S+) rss_growth=(\S+) dedupe_ms_at_1m=(\S+) date_speedup=(\S+)$"
)


@pytest.fixture(scope="module")
def site() -> ReplicaSite:
    return ReplicaSite(articles=64)


def response(key_or_path: Key | str, body: bytes) -> HtmlResponse:
    url = key_or_path.url if isinstance(key_or_path, Key) else f"https://www.maghress.com{key_or_path}"
    return HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


@pytest.mark.parametrize("edition", ["fr", "ar"])
def test_generated_article_page_reads_as_generated(site: ReplicaSite, edition: str) -> None:
    from bench.datelines import newsbot_parse_date

    for key in site.keys(edition)[-5:]:
        article = site.article(key)
        body = site.article_html(key)
        assert 30_000 <= len(body) <= 74_000
        fields = parse_article(response(key, body), edition)
        assert fields.title == article.title
        assert fields.outlet == article.outlet
        assert fields.date_text == article.date_text
        assert newsbot_parse_date()(fields.date_text, edition) == article.day
        text = " ".join(fields.body_lines)
        assert all(paragraph in text for paragraph in article.paragraphs)


def test_generated_pages_have_the_furniture_newsbot_cleans(site: ReplicaSite) -> None:
    page = site.article_html(site.keys("fr")[-1]).decode()
    ticker = re.search(r'<div id="ticker".*?</div>', page, re.S).group(0)
    assert ticker.count("<a ") == 64  # the edition's newest headlines, up to 200
    assert "&nbsp;&nbsp;&nbsp;&nbsp;" in ticker
    assert 'class="mostread"' in page and 'div class="articlesource"' in page
    listing = parse_listing(response("/fr/h24info", site.listing_html("fr", "h24info", 1)))
    assert [e.url for e in listing.entries] == [k.url for k in site.listed("fr", "h24info")]
    assert listing.next_url is None  # 4 articles: one page


def test_same_seed_same_bytes_and_ids_beyond_the_listing_exist() -> None:
    a, b = ReplicaSite(articles=64), ReplicaSite(articles=64)
    key = Key("fr", "lematin", 123_456)
    assert a.article_html(key) == b.article_html(key)
    assert a.route("/fr/lematin/123456")[0] == 200
    assert a.route("/fr/nosuchoutlet/1")[0] == 404


def test_server_routes_by_host() -> None:
    with ServerProcess(articles=64) as server:
        parts = urlsplit(server.url)

        def get(path: str, host: str | None) -> tuple[int, bytes]:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            conn.request("GET", path, headers={"Host": host} if host else {})
            reply = conn.getresponse()
            body = reply.read()
            conn.close()
            return reply.status, body

        status, body = get("/fr/h24info/2", "www.maghress.com")
        assert status == 200 and b'class="articletitle"' in body
        assert get("/fr/h24info/2", "maghress.com")[0] == 200
        assert get("/fr/h24info/2", "www.masress.com")[0] == 404
        assert get("/robots.txt", None) == (200, b"User-agent: *\nDisallow: /search\n")
        assert get("/fr/h24info/987654", "www.maghress.com")[0] == 200  # rendered on request
        assert get("/fr/about", "www.maghress.com")[0] == 404


def test_tiny_run_prints_the_five_numbers(tmp_path) -> None:
    """``bench/run.py --quick`` at tiny sizes, end to end (crawls included): under a minute."""
    cmd = [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--no-write", "--articles", "50", "--pairs", "1",
           "--extract-pages", "5", "--rounds", "1", "--rss-sizes", "30,60", "--dedupe-size", "2000",
           "--dedupe-batches", "1", "--dedupe-items", "20", "--load-seconds", "0.3", "--budget", "0",
           "--cache", str(tmp_path / "cache")]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    last = proc.stdout.strip().splitlines()[-1]
    match = LAST_LINE.match(last)
    assert match, last
    crawl_ratio, extract_speedup, rss_growth, dedupe_ms, date_speedup = map(float, match.groups())
    assert crawl_ratio > 0 and extract_speedup > 0 and dedupe_ms > 0 and date_speedup > 0
    assert rss_growth > -0.5  # peak RSS of the bigger crawl is not far below the smaller one's
    assert "| crawl pages/s" in proc.stdout and not (tmp_path / "BENCHMARKS.md").exists()


CLUSTER_LAST_LINE = re.compile(r"cluster_rss_growth=(-?[\d.]+) queue_bytes_per_request=(\d+) seen_bytes_per_url=(\d+)"
                               r" state_bytes_per_article=(\d+)$")


@pytest.mark.redis
def test_tiny_cluster_crawl_prints_redis_bytes_and_rss(tmp_path, redis_server) -> None:
    """``bench/cluster_memory.py --crawl`` at a tiny size (its own redis-server; ``redis_server``
    only skips the test when there is none)."""
    cmd = [sys.executable, str(ROOT / "bench" / "cluster_memory.py"), "--crawl", "200", "--mark", "50", "--listed", "50"]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "seen URL (seen set at the end: 200 fingerprints)" in proc.stdout
    assert "article in the state store (200 articles, " in proc.stdout
    match = CLUSTER_LAST_LINE.match(proc.stdout.strip().splitlines()[-1])
    assert match, proc.stdout[-2000:]
    growth, queued, seen, state = map(float, match.groups())
    assert growth > -0.5 and queued > 100 and 20 <= seen < 200 and state > 500
