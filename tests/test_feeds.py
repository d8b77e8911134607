"""Feeds in and out: parsing RSS and sitemaps (:mod:`newsbot.pages.feed`, shared cases NB-21
and NB-23 read by path) and the JSON Lines newsbot writes (NB-18: Arabic as UTF-8)."""

from __future__ import annotations

import base64
import gzip
import json
import io
import os
import random
import subprocess
import sys

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exporters import JsonLinesItemExporter
from scrapy.http import Response, XmlResponse
from scrapy.utils.test import get_crawler

from newsbot import settings
from newsbot.pages.feed import FeedProblem, FeedTooLarge, parse_feed, repair_xml
from newsbot.demo.replica import ReplicaServer
from tests.cases_snapshot import CASES
from tests.crawling import ROOT, shared

NB21_URLS = ["https://www.example.ma/fr/article/1", "https://www.example.ma/ar/article/2"]
SITEMAP_URL = "https://www.example.ma/sitemap-news.xml.gz"


def test_nb18_exported_bytes_are_utf8_without_escapes():
    """The item of the report through the exporter FEEDS uses, with newsbot's settings."""
    out = io.BytesIO()
    exporter = JsonLinesItemExporter(out, encoding=settings.FEED_EXPORT_ENCODING)
    exporter.start_exporting()
    exporter.export_item({"title": "أخبار المغرب", "outlet": "Le Matin", "body": "Café à Rabat"})
    exporter.finish_exporting()
    assert out.getvalue() == shared("cases", "NB-18.expected.jsonl").read_bytes()


def test_default_feed_of_a_crawl_is_utf8_arabic(tmp_path):
    """No -o/-O: the feed goes to data/<spider>/<time>.jsonl, Arabic written as Arabic."""
    server = ReplicaServer(CASES).start()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newsbot.settings"}
        cmd = [sys.executable, "-m", "scrapy", "crawl", "turess", "-s", f"NEWSBOT_MIRROR={server.url}",
               "-s", f"NEWSBOT_DATA_DIR={tmp_path}", "-s", f"NEWSBOT_STATS_FILE={tmp_path / 'stats.json'}"]
        proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    feeds = list((tmp_path / "data" / "turess").glob("*.jsonl"))
    assert len(feeds) == 1, proc.stderr[-3000:]
    raw = feeds[0].read_bytes()
    assert raw.count(b"\n") == 2
    assert "انطلاق موسم جني التمور بولاية توزر".encode() in raw
    assert b"\\u" not in raw
    raw.decode("utf-8")  # strict


def test_nb23_bad_entities_and_raw_ampersands():
    response = XmlResponse("https://www.example.ma/sitemap.xml", body=shared("cases", "NB-23.xml").read_bytes())
    entries = parse_feed(response)
    assert [e.url for e in entries] == ["https://www.example.ma/fr/a?id=1&p=2", "https://www.example.ma/fr/a?id=3&p=4"]
    assert entries[0].title == "Législatives : résultats"


def test_repair_xml_keeps_xml_entities_and_decodes_html_ones():
    assert repair_xml("a &amp; b &lt; c &#233; &#x41; &eacute; & d &foo;") == "a &amp; b &lt; c &#233; &#x41; é &amp; d &amp;foo;"
    assert repair_xml("L&nbsp;&raquo;") == "L\u00a0»"


@pytest.mark.parametrize("layers", [0, 1, 2])
def test_nb21_gzip_layers_in_the_body(layers):
    body = shared("cases", "NB-21.xml").read_bytes()
    for _ in range(layers):
        body = gzip.compress(body, mtime=0)
    if layers == 2:
        assert body == gzip.compress(gzip.compress(shared("cases", "NB-21.xml").read_bytes(), mtime=0), mtime=0)
    response = Response(SITEMAP_URL, headers={"Content-Type": "application/x-gzip"}, body=body)
    assert [e.url for e in parse_feed(response)] == NB21_URLS


def test_any_number_of_gzip_layers_is_inflated():
    body = shared("cases", "NB-21.xml").read_bytes()
    for _ in range(6):
        body = gzip.compress(body, mtime=0)
    response = Response(SITEMAP_URL, headers={"Content-Type": "application/x-gzip"}, body=body)
    assert [e.url for e in parse_feed(response, max_size=1024 * 1024)] == NB21_URLS


def test_gzip_layers_are_capped_in_total_not_each():
    """Two layers of a feed that hardly compresses: each inflates to less than the cap, both
    together to more (a per-layer cap would let a bomb of many layers through)."""
    noise = base64.b64encode(random.Random(8).randbytes(450_000)).decode()  # about 600 KB
    xml = f'<rss><channel><!-- {noise} --><item><link>{NB21_URLS[0]}</link></item></channel></rss>'.encode()
    inner = gzip.compress(xml, mtime=0)
    body = gzip.compress(inner, mtime=0)
    assert len(inner) < len(xml) < 1_000_000 < len(inner) + len(xml)
    response = Response(SITEMAP_URL, headers={"Content-Type": "application/x-gzip"}, body=body)
    assert [e.url for e in parse_feed(response, max_size=2_000_000)] == NB21_URLS[:1]
    with pytest.raises(FeedTooLarge, match="its gzip layers inflate to more than 1000000 bytes"):
        parse_feed(response, max_size=1_000_000)


def test_nb21_the_shared_double_gzip_file():
    body = shared("cases", "NB-21.xml.gz.gz").read_bytes()
    response = Response(SITEMAP_URL, headers={"Content-Type": "application/x-gzip"}, body=body)
    assert [e.url for e in parse_feed(response)] == NB21_URLS


def test_nb21_content_encoding_gzip_goes_through_the_downloader_middleware():
    crawler = get_crawler()
    crawler.stats.open_spider()
    middleware = HttpCompressionMiddleware.from_crawler(crawler)
    body = gzip.compress(shared("cases", "NB-21.xml").read_bytes(), mtime=0)
    request = Request(SITEMAP_URL)
    response = Response(SITEMAP_URL, body=body, request=request,
                        headers={"Content-Type": "application/xml", "Content-Encoding": "gzip"})
    inflated = middleware.process_response(request, response)
    assert [e.url for e in parse_feed(inflated)] == NB21_URLS


# --- HTML markup inside feed text --------------------------------------------------------------
def _rss(*items: str) -> XmlResponse:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>Maghress</title>" + "".join(items) + "</channel></rss>"
    )
    return XmlResponse("https://www.maghress.com/fr/rss", body=body.encode("utf-8"))


def _item(title: str, link: str, creator: str = "Le360") -> str:
    return f"<item><title>{title}</title><link>{link}</link><dc:creator>{creator}</dc:creator></item>"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Un <b>titre", "Un titre"),  # unclosed: lxml nested the link inside <b>
        ("Un <b>titre</b> en gras", "Un titre en gras"),
        ("Une image <img src='/x.jpg'> ici", "Une image ici"),
        ("Ligne<br>suivante", "Ligne suivante"),
        ("Prix <3 DH", "Prix <3 DH"),  # a stray "<"
        ("Un &lt;i&gt;titre&lt;/i&gt; échappé", "Un titre échappé"),
        ("<![CDATA[Un <b>titre & co]]>", "Un titre & co"),
        ("<![CDATA[Un <b>titre]]>", "Un titre"),
    ],
)
def test_html_markup_in_a_title_keeps_the_items_link_and_title(title, expected):
    entries = parse_feed(_rss(_item(title, "https://www.maghress.com/fr/le360/1"),
                              _item("Deux", "https://www.maghress.com/fr/le360/2?a=1&b=2")))
    assert [(e.url, e.title, e.creator) for e in entries] == [
        ("https://www.maghress.com/fr/le360/1", expected, "Le360"),
        ("https://www.maghress.com/fr/le360/2?a=1&b=2", "Deux", "Le360"),
    ]


def test_cdata_is_left_alone_and_feed_tags_are_kept():
    assert repair_xml("<link><![CDATA[https://x.ma/a?id=3&p=4]]></link>") == "<link><![CDATA[https://x.ma/a?id=3&p=4]]></link>"
    text = '<entry><title type="html">T</title><link href="https://x.ma/a?x=1&y=2"/><media:content url="u"/></entry>'
    assert repair_xml(text) == text.replace("&y", "&amp;y")
    assert repair_xml("<description><p>Un <a href='/x'>lien</a></p></description>") == (
        "<description>&lt;p>Un &lt;a href='/x'>lien&lt;/a>&lt;/p></description>"
    )


def test_a_feed_title_with_an_unclosed_tag_does_not_lose_its_article(tmp_path):
    """A real crawl of a copy of the demo replica whose home page links nothing: the
    articles come from the feed only, and its first item's title holds an unclosed <b>.
    (The empty home page fails the listings monitor: the crawl exits 1.)"""
    import shutil

    from tests.crawling import crawl_snapshot
    from tests.gold import load_jsonl

    demo = ROOT / "newsbot" / "demo" / "site"
    snapshot = tmp_path / "site"
    shutil.copytree(demo, snapshot)
    (snapshot / "files" / "www.maghress.com" / "index.html").write_text(
        "<html><head><title>Maghress</title></head><body><p>Rien.</p></body></html>", encoding="utf-8"
    )
    feed = snapshot / "files" / "www.maghress.com" / "rss.xml"
    text = feed.read_text(encoding="utf-8")
    first = "<title>افتتاح مكتبة عمومية جديدة بمدينة مراكش</title>"
    assert text.count(first) == 1
    feed.write_text(text.replace(first, "<title>افتتاح <b>مكتبة عمومية جديدة بمدينة مراكش</title>"), encoding="utf-8")
    linked = [line.split(">")[1].split("<")[0] for line in text.splitlines() if line.startswith("<link>https://www.maghress.com/")]
    linked = [url for url in linked if url != "https://www.maghress.com/"]  # the channel's own link
    result = crawl_snapshot("maghress", snapshot, tmp_path / "crawl", args={"editions": "ar"},
                            settings={"NEWSBOT_BOILERPLATE_WARMUP": 0, "NEWSBOT_RENDER_ENABLED": False})
    report = json.loads(result.feed.with_suffix(".report.json").read_text(encoding="utf-8"))
    assert result.returncode == 1 and report["failed"] == [
        "Listing pages: listings have entries: maghress ar: 1 of 1 listing pages have no entries (100%), above 50%"]
    assert "https://www.maghress.com/hespress/75901" in linked
    assert sorted(item["url"] for item in result.items) == sorted(linked)
    gold = {g["url"]: g for g in load_jsonl(demo / "gold" / "articles.jsonl")}
    assert result.by_url()["https://www.maghress.com/hespress/75901"]["title"] == gold["https://www.maghress.com/hespress/75901"]["title"]


# --- feed URLs that answer no feed (issue 9, scrapy/scrapy#4211) -----------------------------------

@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b"\xef\xbb\xbf", "empty"),  # a BOM and nothing else
        (b"<!DOCTYPE html><html><head><title>Erreur</title></head><body>Page introuvable</body></html>", "html"),
        (b"<?xml version='1.0'?>\n<!-- cache -->\n<html><body>Accueil</body></html>", "html"),
        (b"<?xml version='1.0'?><error><code>500</code></error>", "not_feed"),
        (b"Service temporarily unavailable", "not_feed"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Vide</title></channel></rss>", "no_entries"),
        (b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'></urlset>", "no_entries"),
    ],
)
def test_a_feed_url_that_answers_no_feed_says_why(body, reason):
    response = XmlResponse("https://www.maghress.com/fr/rss", body=body, encoding="utf-8")
    with pytest.raises(FeedProblem) as raised:
        parse_feed(response)
    assert raised.value.reason == reason and str(raised.value)


def test_too_large_is_a_feed_problem_too():
    assert issubclass(FeedTooLarge, FeedProblem) and FeedTooLarge("x").reason == "too_large"
