"""Issue 9, section 1: bad inputs from public bug reports, crawled end to end against a
replica on 127.0.0.1 (``scrapy crawl`` in a subprocess), plus the unit tests of the pure
functions that handle them:

* a 200 page redirecting by script with a ``<noscript>`` refresh (scrapy/scrapy#1422);
* an empty feed and an HTML page where a feed should be (scrapy/scrapy#4211);
* robots.txt answering 5xx (RFC 9309 §2.3.1.4, scrapy/scrapy#2443);
* Hijri datelines (``21 - 04 - 1444``);
* a truncated gzip body (scrapy/scrapy#1900);
* article URL variants: a query (``?page=2``) and leading zeros in the id (``/012345``).

Every page and text here is made up for the test.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import brotli
import pytest
from backports import zstd
from scrapy.http import HtmlResponse

from newsbot.demo.replica import ReplicaServer
from newsbot.middlewares.compression import (StrictHttpCompressionMiddleware, TruncatedBody, UndecodableBody,
                                             gunzip_whole, inflate_whole, unbrotli_whole, unzstd_whole)
from newsbot.pages.redirect import STUB_TEXT_CHARS, ScriptRedirect, script_location, script_redirect
from tests.crawling import run_crawl, write_snapshot

HOST = "www.maghress.com"
FR_ARTICLE = ('<html><head><meta charset="utf-8"><title>{t}</title></head><body><span class="articletitle">{t}</span>'
              '<span class="articlenewspaper">Publié dans <a href="/fr/h24info">H24 Info</a> le {d}</span>'
              '<span class="articlecontent">{b}</span></body></html>')
AR_ARTICLE = ('<html><head><meta charset="utf-8"></head><body><span class="articletitle">{t}</span>'
              '<span class="articlenewspaper">نشر في <a href="/hespress">هسبريس</a> يوم {d}</span>'
              '<span class="articlecontent">{b}</span></body></html>')
STUB = ('<html><head><script type="text/javascript">window.location.replace("{to}");</script>'
        '<noscript><meta http-equiv="refresh" content="0;URL=\'{to}\'"></noscript></head><body></body></html>')
ROBOTS = "User-agent: *\nDisallow: /search\n"


def _fr(title: str, date: str, body: str | None = None) -> str:
    """An article page; its body made of the title's words (every article its own text)."""
    if body is None:
        body = " ".join(f"{word} {n}" for n, word in enumerate(title.split() * 6)) + "."
    return FR_ARTICLE.format(t=title, d=date, b=body)


def _home(links: list[str]) -> str:
    items = "".join(f'<div class="teaser"><a class="teasertitle" href="{href}">Titre {n}</a></div>'
                    for n, href in enumerate(links))
    return f'<html><head><meta charset="utf-8"></head><body><div id="main">{items}</div></body></html>'


def _truncated_gzip(text: str) -> bytes:
    whole = gzip.compress(text.encode("utf-8"))
    return whole[: len(whole) * 2 // 3]


def _site(root: Path) -> Path:
    fr_links = ["/fr/h24info/1", "/fr/h24info/012345", "/fr/h24info/12345?page=2", "/fr/h24info/12345/",
                "/fr/h24info/2", "/fr/h24info/6", "/fr/h24info/7", "/fr/h24info/8"]
    return write_snapshot(root, {
        (HOST, "/robots.txt"): (200, {"Content-Type": "text/plain"}, ROBOTS),
        (HOST, "/"): (200, {}, _home(["/hespress/55"])),
        (HOST, "/rss"): (200, {"Content-Type": "application/rss+xml"}, ""),  # an empty feed
        (HOST, "/fr/"): (200, {}, _home(fr_links)),
        (HOST, "/fr/rss"): (200, {}, "<!DOCTYPE html><html><body><p>Page introuvable</p></body></html>"),
        (HOST, "/fr/h24info/1"): (200, {}, _fr("Un article ordinaire", "20 - 10 - 2022")),
        (HOST, "/fr/h24info/12345"): (200, {}, _fr("Un article aux trois adresses", "21 - 10 - 2022")),
        (HOST, "/fr/h24info/2"): (200, {}, STUB.format(to="/fr/h24info/3")),
        (HOST, "/fr/h24info/3"): (200, {}, _fr("La cible de la redirection", "22 - 10 - 2022")),
        # a redirect page to another site: not followed
        (HOST, "/fr/h24info/8"): (200, {}, STUB.format(to="https://www.h24info.ma/actu/8")),
        ("www.h24info.ma", "/actu/8"): (200, {}, _fr("Ailleurs", "22 - 10 - 2022")),
        # a Hijri year out of hijridate's table: published null and counted, kept despite since
        (HOST, "/fr/h24info/6"): (200, {}, _fr("Une date hors table", "21 - 04 - 1200")),
        (HOST, "/fr/h24info/7"): (200, {"Content-Encoding": "gzip"},
                                  _truncated_gzip(_fr("Un article coupé", "23 - 10 - 2022", "mot " * 3000))),
        (HOST, "/hespress/55"): (200, {}, AR_ARTICLE.format(t="خبر تجريبي", d="21 - 04 - 1444",
                                                             b="فقرة مكتوبة للاختبار فقط.")),
    })


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The site crawled twice by the same command (the state kept between the runs)."""
    root = tmp_path_factory.mktemp("public-bugs")
    server = ReplicaServer(_site(root / "snapshot")).start()
    try:
        args = {"since": "2022-01-01"}
        settings = {"NEWSBOT_BOILERPLATE_WARMUP": 0}
        first = run_crawl("maghress", root / "crawl", mirror=server.url, args=args, settings=settings)
        hits_first = server.hits()
        second = run_crawl("maghress", root / "crawl", mirror=server.url, args=args, settings=settings,
                           feed_name="second.jsonl")
        hits_second = server.hits()
    finally:
        server.stop()
    return first, second, hits_first, hits_second


def test_one_record_per_article_and_every_good_article_once(two_runs):
    first, _, _, _ = two_runs
    assert first.stats["finish_reason"] == "finished", first.log[-3000:]
    by_url = first.by_url()
    assert sorted(by_url) == [
        "https://www.maghress.com/fr/h24info/1",
        "https://www.maghress.com/fr/h24info/12345",
        "https://www.maghress.com/fr/h24info/3",
        "https://www.maghress.com/fr/h24info/6",
        "https://www.maghress.com/hespress/55",
    ]
    ids = [item["article_id"] for item in first.items]
    assert len(ids) == len(set(ids)) and "maghress:fr:h24info:12345" in ids


def test_url_variants_are_one_request(two_runs):
    _, _, hits, _ = two_runs
    assert hits.get(f"{HOST} /fr/h24info/12345") == 1  # /012345, ?page=2 and the trailing slash: one fetch


def test_script_redirect_is_followed_not_rejected(two_runs):
    first, _, _, _ = two_runs
    target = first.by_url()["https://www.maghress.com/fr/h24info/3"]
    assert target["title"] == "La cible de la redirection" and target["published"] == "2022-10-22"
    assert first.stat("newsbot/redirect/script") == 1
    assert first.stat("newsbot/rejected/missing_title") == 0
    assert "Following the redirect by script and noscript refresh of https://www.maghress.com/fr/h24info/2" in first.log


def test_script_redirect_off_the_site_is_not_followed(two_runs):
    first, _, hits, _ = two_runs
    assert "www.h24info.ma /actu/8" not in hits and first.stat("newsbot/rejected/redirected_away") == 1
    assert any("https://www.maghress.com/fr/h24info/8" in line and "off the site" in line
               for line in first.log.splitlines() if " WARNING: " in line)


def test_hijri_dates_are_converted_or_left_null_and_counted(two_runs):
    first, _, _, _ = two_runs
    by_url = first.by_url()
    assert by_url["https://www.maghress.com/hespress/55"]["published"] == "2022-11-15"  # 21 Rabi' al-Thani 1444
    assert by_url["https://www.maghress.com/fr/h24info/6"]["published"] is None  # kept despite since=2022-01-01
    assert first.stat("newsbot/dates/hijri") == 1
    assert first.stat("newsbot/dates/hijri_out_of_range") == 1
    assert not any(str(item["published"]).startswith(("1444", "1200")) for item in first.items)


def test_empty_and_html_feeds_warn_and_count(two_runs):
    first, _, _, _ = two_runs
    assert first.stat("newsbot/feed/empty") == 1 and first.stat("newsbot/feed/html") == 1
    warnings = [line for line in first.log.splitlines() if " WARNING: " in line]
    assert any("Feed https://www.maghress.com/rss skipped: empty" in line for line in warnings), warnings
    assert any("Feed https://www.maghress.com/fr/rss skipped: html" in line for line in warnings), warnings


def test_truncated_gzip_is_rejected_and_fetched_again_next_run(two_runs):
    first, second, hits_first, hits_second = two_runs
    assert "Un article coupé" not in [item["title"] for item in first.items + second.items]
    assert first.stat("newsbot/rejected/truncated_body") == 1
    assert any("https://www.maghress.com/fr/h24info/7" in line and "truncated_body" in line
               for line in first.log.splitlines() if " WARNING: " in line)
    # not recorded as done: the second run fetches it again (and only it among the articles)
    assert hits_first[f"{HOST} /fr/h24info/7"] == 1 and hits_second[f"{HOST} /fr/h24info/7"] == 2
    assert second.stat("newsbot/rejected/truncated_body") == 1 and second.items == []
    assert hits_second[f"{HOST} /fr/h24info/1"] == 1


# --- robots.txt answering 5xx ------------------------------------------------------------------

def test_robots_txt_5xx_disallows_the_site_for_the_run_and_the_next_run_asks_again(tmp_path):
    snapshot = write_snapshot(tmp_path / "snapshot", {
        (HOST, "/robots.txt"): (200, {"Content-Type": "text/plain"}, ROBOTS),
        (HOST, "/fr/h24info/1"): (200, {}, _fr("Un article ordinaire", "20 - 10 - 2022")),
    })
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    robots = next(e for e in manifest["entries"] if e["path"] == "/robots.txt")
    robots["sequence"] = [503, 503, 503, 503, 200]  # the first run: the request and its 3 retries
    (snapshot / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    server = ReplicaServer(snapshot).start()
    try:
        first = run_crawl("maghress", tmp_path / "crawl", mirror=server.url, args={"ids": "fr/h24info:1-1"})
        hits = server.hits()
        second = run_crawl("maghress", tmp_path / "crawl", mirror=server.url, args={"ids": "fr/h24info:1-1"},
                           feed_name="second.jsonl")
    finally:
        server.stop()
    assert first.items == [] and first.returncode == 1
    assert f"{HOST} /fr/h24info/1" not in hits  # nothing of the site was fetched
    assert first.stat("newsbot/robots/server_error") == 1 and first.stat("robotstxt/forbidden") == 1
    errors = [line for line in first.log.splitlines() if " ERROR: " in line and "robots.txt" in line]
    assert len(errors) == 1 and "www.maghress.com answered 503" in errors[0] and "fully disallowed" in errors[0]
    assert not [line for line in first.log.splitlines() if " WARNING: " in line and "ids:" in line]  # said once
    assert [item["title"] for item in second.items] == ["Un article ordinaire"]
    assert second.stat("newsbot/robots/server_error") == 0


# --- unit tests of the pure functions ------------------------------------------------------------

def _page(body: str, url: str = "https://www.maghress.com/fr/h24info/2") -> HtmlResponse:
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8")


@pytest.mark.parametrize("script", [
    'window.location.replace("/fr/x/9")', "location.href='/fr/x/9';", 'document.location = "/fr/x/9"',
    'top.location.assign("/fr/x/9")', 'self.location.href = "\\/fr\\/x\\/9"',
])
def test_script_location_shapes(script):
    assert script_location(script) == "/fr/x/9"


def test_script_redirect_needs_certainty():
    target = "https://www.maghress.com/fr/x/9"
    # script and <noscript> refresh agree: a redirect, whatever the page shows besides
    both = STUB.format(to="/fr/x/9").replace("<body></body>", f"<body><p>{'texte ' * 100}</p></body>")
    assert script_redirect(_page(both)) == ScriptRedirect(target, "script and noscript refresh")
    # only a script, in a page with nothing else to read: a redirect
    assert script_redirect(_page('<html><script>location.href="/fr/x/9"</script><body> </body></html>')) == \
        ScriptRedirect(target, "script")
    # only a <noscript> refresh in an empty page: a redirect
    only_refresh = '<html><noscript><meta http-equiv="refresh" content="0;url=/fr/x/9"></noscript></html>'
    assert script_redirect(_page(only_refresh)) == ScriptRedirect(target, "noscript refresh")
    # a script location change in an ordinary page (a mobile switch): not followed
    article = _fr("Titre", "20 - 10 - 2022", "mot " * STUB_TEXT_CHARS)
    switch = article.replace("</head>", '<script>if (screen.width < 600) { window.location = "/m/1"; }</script></head>')
    assert script_redirect(_page(switch)) is None
    # a "please enable JavaScript" refresh in a page with its own text: not followed
    nojs = article.replace("</head>", '<noscript><meta http-equiv="refresh" content="0;url=/nojs"></noscript></head>')
    assert script_redirect(_page(nojs)) is None
    assert script_redirect(_page(article)) is None


def test_truncated_streams_raise_and_whole_ones_inflate():
    text = b"<html>" + b"mot " * 5000 + b"</html>"
    assert gunzip_whole(gzip.compress(text)) == text
    assert gunzip_whole(gzip.compress(text) + gzip.compress(b"<!-- -->")) == text + b"<!-- -->"
    assert inflate_whole(zlib.compress(text)) == text
    raw = zlib.compressobj(wbits=-15)
    assert inflate_whole(raw.compress(text) + raw.flush()) == text  # raw deflate, as some servers send
    assert unbrotli_whole(brotli.compress(text)) == text
    assert unzstd_whole(zstd.compress(text)) == text
    assert unzstd_whole(zstd.compress(text) + zstd.compress(b"<!-- -->")) == text + b"<!-- -->"  # two frames
    for function, data in ((gunzip_whole, gzip.compress(text)), (inflate_whole, zlib.compress(text)),
                           (unbrotli_whole, brotli.compress(text)), (unzstd_whole, zstd.compress(text))):
        for cut in (len(data) // 2, len(data) - 1):
            with pytest.raises(TruncatedBody):
                function(data[:cut])
    # a bad checksum on a whole stream is kept, as Scrapy keeps it
    bad_crc = bytearray(gzip.compress(text))
    bad_crc[-8] ^= 0xFF
    assert gunzip_whole(bytes(bad_crc)) == text


@pytest.mark.parametrize("encoding", [b"gzip", b"deflate", b"br", b"zstd"])
def test_a_body_that_is_no_stream_of_its_encoding_is_undecodable(encoding):
    """A plain page labelled with a Content-Encoding: rejected with its reason, not an error."""
    with pytest.raises(UndecodableBody, match=f"no {encoding.decode()} stream"):
        StrictHttpCompressionMiddleware._decode(b"<html><body>texte en clair</body></html>", encoding, 0)
