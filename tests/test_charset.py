"""Charsets (:mod:`newsbot.middlewares.charset`): real ``HtmlResponse`` objects built from
raw HTTP answers (shared cases NB-01, NB-02, NB-03, read by path) and from the pages of
the cases snapshot, passed through :class:`CharsetMiddleware` as the downloader does."""

from __future__ import annotations

import codecs
import json

import pytest
from scrapy import Request
from scrapy.http import Headers, HtmlResponse
from scrapy.utils.test import get_crawler

from newsbot.middlewares.charset import CharsetMiddleware
from newsbot.pages.article import parse_article
from tests.cases_snapshot import CASES
from tests.crawling import shared

TITLE = "أخبار المغرب"


@pytest.fixture
def middleware() -> CharsetMiddleware:
    crawler = get_crawler(settings_dict={"NEWSBOT_FALLBACK_ENCODINGS": ["windows-1256", "windows-1252"]})
    crawler.stats.open_spider()
    return CharsetMiddleware.from_crawler(crawler)


def from_http(raw: bytes, url: str = "https://www.maghress.com/x/1") -> HtmlResponse:
    """An HtmlResponse from a raw HTTP/1.1 answer (status line, headers, blank line, body)."""
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = Headers({k.strip(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])})
    return HtmlResponse(url, status=status, headers=headers, body=body, request=Request(url))


def through(middleware: CharsetMiddleware, response: HtmlResponse) -> HtmlResponse:
    return middleware.process_response(response.request, response)


def test_nb01_header_utf8_body_windows_1256(middleware):
    response = from_http(shared("cases", "NB-01.http").read_bytes())
    assert "\ufffd" in response.css("title::text").get()  # what Scrapy alone gives (the fault)
    repaired = through(middleware, response)
    assert codecs.lookup(repaired.encoding).name == "cp1256"
    assert repaired.css("title::text").get() == TITLE
    assert "\ufffd" not in repaired.text
    assert middleware.stats.get_value("newsbot/charset/repaired") == 1


def test_nb01_french_windows_1252_under_a_utf8_header(middleware):
    body = "<html><body><h1>Café à Rabat</h1><p>Élections à Fès : Ça commence</p></body></html>".encode("cp1252")
    assert body[body.index(b"Caf"):][:12] == bytes.fromhex("43 61 66 e9 20 e0 20 52 61 62 61 74")
    response = HtmlResponse("https://www.maghress.com/fr/x/1", headers={"Content-Type": "text/html; charset=utf-8"},
                            body=body, request=Request("https://www.maghress.com/fr/x/1"))
    repaired = through(middleware, response)
    assert repaired.css("h1::text").get() == "Café à Rabat"
    assert repaired.css("p::text").get() == "Élections à Fès : Ça commence"


def test_nb02_a_utf8_bom_wins_over_the_header(middleware):
    response = through(middleware, from_http(shared("cases", "NB-02.http").read_bytes()))
    assert response.css("title::text").get() == TITLE
    assert not response.text.startswith("\ufeff")
    assert not any(t.startswith("\ufeff") for t in response.css("::text").getall())
    assert middleware.stats.get_value("newsbot/charset/repaired") is None


def test_nb03_a_malformed_meta_tag_is_still_read(middleware):
    response = through(middleware, from_http(shared("cases", "NB-03.http").read_bytes()))
    assert response.css("title::text").get() == TITLE


def snapshot_response(path: str) -> HtmlResponse:
    """The cases snapshot's page for ``path``, with the headers the replica sends."""
    manifest = json.loads((CASES / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["entries"] if e["path"] == path)
    url = f"https://{entry['host']}{path}"
    return HtmlResponse(url, headers=entry["headers"], body=(CASES / entry["file"]).read_bytes(), request=Request(url))


def gold(url: str) -> dict:
    lines = (CASES / "gold" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return next(g for g in map(json.loads, lines) if g["url"] == url)


def test_header_windows_1256_wins_over_a_meta_tag_saying_utf8(middleware):
    response = snapshot_response("/ma5tv/1716720")
    assert b'<meta charset="utf-8">' in response.body
    response = through(middleware, response)
    assert codecs.lookup(response.encoding).name == "cp1256"  # the header's charset, kept
    fields = parse_article(response, "ar")
    assert fields.title == gold(response.url)["title"]
    assert middleware.stats.get_value("newsbot/charset/repaired") is None


def test_body_windows_1256_under_a_utf8_header_with_a_right_meta_tag(middleware):
    response = through(middleware, snapshot_response("/kech24/1846490"))
    assert codecs.lookup(response.encoding).name == "cp1256"
    fields = parse_article(response, "ar")
    want = gold(response.url)
    assert (fields.title, fields.outlet) == (want["title"], want["outlet"])
    assert "\ufffd" not in " ".join(fields.body_lines)
    assert middleware.stats.get_value("newsbot/charset/repaired") == 1


def test_text_responses_that_decode_are_left_alone(middleware):
    response = snapshot_response("/hespress/75869")
    assert through(middleware, response) is response
    empty = HtmlResponse("https://www.maghress.com/", body=b"", headers={"Content-Type": "text/html; charset=utf-8"})
    assert through(middleware, empty) is empty


def _response(body: bytes, content_type: str | None) -> HtmlResponse:
    url = "https://www.maghress.com/fr/x/2"
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse(url, headers=headers, body=body, request=Request(url))


@pytest.mark.parametrize("header", ["text/html; charset=windows-1252", "text/html; charset=windows-1256"])
def test_a_utf8_body_declared_8_bit_is_read_as_utf8(middleware, header):
    body = "<html><body><h1>Élections à Fès</h1><p>أخبار المغرب</p></body></html>".encode()
    repaired = through(middleware, _response(body, header))
    assert (repaired.css("h1::text").get(), repaired.css("p::text").get()) == ("Élections à Fès", TITLE)


def test_a_utf8_page_with_one_stray_byte_stays_utf8(middleware):
    text = "<html><body><h1>{}</h1><p>Élections à Fès, {}</p></body></html>".format(TITLE, "réforme " * 50)
    body = text.encode().replace("المغرب".encode(), "المغرب".encode() + bytes([0xD8]), 1)
    repaired = through(middleware, _response(body, "text/html; charset=utf-8"))
    assert repaired.css("h1::text").get() == TITLE + "\ufffd"  # one replacement character, nothing else
    assert "réforme" in repaired.css("p::text").get()
    assert middleware.stats.get_value("newsbot/charset/repaired") is None


@pytest.mark.parametrize("content_type", [None, "text/html"])
def test_no_header_charset_and_a_lying_meta(middleware, content_type):
    body = ('<html><head><meta charset="utf-8"></head><body><h1>Élections à Fès</h1></body></html>').encode("cp1252")
    repaired = through(middleware, _response(body, content_type))
    assert repaired.css("h1::text").get() == "Élections à Fès"


def test_no_declaration_at_all_arabic_windows_1256(middleware):
    body = f"<html><body><h1>{TITLE}</h1></body></html>".encode("cp1256")
    repaired = through(middleware, _response(body, "text/html"))
    assert repaired.css("h1::text").get() == TITLE


def test_nul_characters_separate_words_as_spaces(middleware):
    body = "<html><body><h1>Le\x00Maroc</h1><p>Pluie\x00sur\x00Fès</p></body></html>".encode("cp1252")
    response = HtmlResponse("https://www.maghress.com/fr/x/1", headers={"Content-Type": "text/html; charset=windows-1252"},
                            body=body, request=Request("https://www.maghress.com/fr/x/1"))
    assert response.css("h1::text").get() == "LeMaroc"  # what lxml alone gives (the fault)
    cleaned = through(middleware, response)
    assert (cleaned.css("h1::text").get(), cleaned.css("p::text").get()) == ("Le Maroc", "Pluie sur Fès")
    plain = HtmlResponse("https://www.maghress.com/fr/x/2", body=b"<p>Sans rien</p>", encoding="utf-8",
                         request=Request("https://www.maghress.com/fr/x/2"))
    assert through(middleware, plain) is plain  # a page without NUL is passed on as it is
