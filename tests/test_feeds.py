"""Feeds in and out: parsing RSS and sitemaps (:mod:`newsbot.pages.feed`, shared cases NB-21
and NB-23 read by path) and the JSON Lines newsbot writes (NB-18: Arabic as UTF-8)."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exporters import JsonLinesItemExporter
from scrapy.http import Response, XmlResponse
from scrapy.utils.test import get_crawler

from newsbot import settings
from newsbot.pages.feed import parse_feed, repair_xml
from newsbot.replica import ReplicaServer
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
