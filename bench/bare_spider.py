"""The baseline of ``crawl_ratio``: a bare Scrapy spider that fetches what newsbot fetches.

    scrapy runspider bench/bare_spider.py -a mirror=http://127.0.0.1:PORT -O bare.jsonl \\
        -s CONCURRENT_REQUESTS=16 -s CONCURRENT_REQUESTS_PER_DOMAIN=4 -s AUTOTHROTTLE_ENABLED=False

It starts, like ``scrapy crawl maghress -a editions=fr``, from the edition's home page and
RSS feed, follows outlet listings, their ``?page=N`` pages, outlet feeds and article links
(classified by URL shape, as newsbot does), and yields one trivial item per article page
(``span.articletitle`` text): no item loader, no pipelines, no newsbot middleware.

Transport (the fairness choice): it requests ``MIRROR/path`` with the site's ``Host`` header
itself, through Scrapy's own HTTP/1.1 handler, the handler newsbot's
``MirrorDownloadHandler`` wraps. Same server, same keep-alive connection pool, same
concurrency (the one download slot is ``127.0.0.1`` here and ``www.maghress.com`` for
newsbot, both at ``CONCURRENT_REQUESTS_PER_DOMAIN``); what newsbot's mirror handler does on
top (rewrite the URL, copy the request and response) counts as newsbot's cost.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

_RESERVED = r"(?!(?:rss|search|author|about|contact|admin|login|tag|css|js|images|img|static|ar|fr|en)(?:[/?]|$))"
ARTICLE = re.compile(rf"^/fr/{_RESERVED}[a-z0-9][a-z0-9_-]*/\d+$")
LISTING = re.compile(rf"^/fr/{_RESERVED}[a-z0-9][a-z0-9_-]*(?:\?page=\d+)?$")
FEED = re.compile(rf"^/fr/(?:{_RESERVED}[a-z0-9][a-z0-9_-]*/)?rss$")
HOSTS = {"www.maghress.com", "maghress.com"}


class BareSpider(scrapy.Spider):
    """``-a mirror=http://127.0.0.1:PORT`` (required), ``-a host=www.maghress.com``."""

    name = "bare"

    def __init__(self, mirror: str, host: str = "www.maghress.com", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mirror = mirror.rstrip("/")
        self.host = host

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self._get("/fr/", self.parse)
        yield self._get("/fr/rss", self.parse_feed)

    def _get(self, path: str, callback: Any) -> scrapy.Request:
        return scrapy.Request(self.mirror + path, headers={"Host": self.host}, callback=callback)

    def _follow(self, url: str) -> Iterator[scrapy.Request]:
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in HOSTS and f"{parts.scheme}://{parts.netloc}" != self.mirror:
            return
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if ARTICLE.match(path):
            yield self._get(path, self.parse_article)
        elif FEED.match(path):
            yield self._get(path, self.parse_feed)
        elif LISTING.match(path):
            yield self._get(path, self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        """Home or listing page: follow every article, listing and feed link."""
        for href in response.css("a::attr(href)").getall():
            yield from self._follow(response.urljoin(href.strip()))

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        for link in response.xpath("//item/link/text()").getall():
            yield from self._follow(link.strip())

    def parse_article(self, response: Response) -> Iterator[dict[str, str | None]]:
        yield {"title": response.css("span.articletitle::text").get()}
