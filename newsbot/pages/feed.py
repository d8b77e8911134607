"""RSS 2.0 feeds of the sites (``/rss``, ``/fr/rss``, ``/<outlet>/rss``): entries out.

An item is read as ``link`` (or a permalink ``guid``), ``title``, ``dc:creator`` (the
outlet's display name) and ``pubDate``. Feeds in the wild carry raw ``&`` in URLs and
HTML entities XML does not declare (shared case NB-23); lxml's recovering parser
silently mangles those (``?id=3&p=4`` becomes ``?id=3=4``), so the text is repaired
before parsing. A body still gzip-compressed after the transport (NB-21) is inflated.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from parsel import Selector
from scrapy.http import Response
from scrapy.utils.gz import gunzip

from newsbot.dates import parse_feed_date
from newsbot.text import normalize_text

_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY_OR_AMP = re.compile(r"&(#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?")
MAX_FEED_BYTES = 16 * 1024 * 1024


@dataclass
class FeedEntry:
    """One feed item: absolute ``url``, ``title``, ``creator`` (outlet name), ``published``."""

    url: str
    title: str | None = None
    creator: str | None = None
    published: dt.date | None = None


def repair_xml(text: str) -> str:
    """Escape bare ``&`` and turn HTML-only named entities into characters.

    >>> repair_xml("<loc>https://x.ma/a?id=3&p=4</loc><t>L&eacute;gislatives</t>")
    '<loc>https://x.ma/a?id=3&amp;p=4</loc><t>Législatives</t>'
    """

    def fix(match: re.Match[str]) -> str:
        entity = match.group(1)
        if entity is None:
            return "&amp;"
        if entity.startswith("#") or entity[:-1] in _XML_ENTITIES:
            return match.group(0)
        decoded = html.unescape(match.group(0))
        if decoded == match.group(0):
            return "&amp;" + entity  # unknown name: keep it as text
        return html.escape(decoded, quote=False)

    return _ENTITY_OR_AMP.sub(fix, text)


def feed_text(response: Response) -> str:
    """The feed's text, inflated if the body is still gzip and decoded by its charset."""
    body = response.body
    for _ in range(3):  # a sitemap or feed gzipped twice is seen in the wild
        if body[:2] != b"\x1f\x8b":
            break
        body = gunzip(body, max_size=MAX_FEED_BYTES)
    encoding = getattr(response, "encoding", None) or "utf-8"
    return body.decode(encoding, errors="replace")


def parse_feed(response: Response) -> list[FeedEntry]:
    """Entries of an RSS 2.0 or Atom feed, or of a (news) sitemap, in document order."""
    text = repair_xml(feed_text(response))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # parsel refuses a str with an encoding declaration
    sel = Selector(text=text, type="xml")
    sel.remove_namespaces()
    entries = []
    for item in sel.xpath("//item | //entry | //url[loc]"):
        link = item.xpath("normalize-space(link/text())").get() or item.xpath("link/@href").get()
        if not link:
            link = item.xpath("normalize-space(guid[not(@isPermaLink='false')]/text())").get()
        if not link:
            link = item.xpath("normalize-space(loc/text())").get()  # sitemap <url>
        if not link:
            continue
        title = item.xpath("string(title)").get() or item.xpath("string(news/title)").get()
        date = item.xpath("string(pubDate)").get() or item.xpath("string(updated)").get()
        entries.append(
            FeedEntry(
                url=response.urljoin(link.strip()),
                title=normalize_text(title),
                creator=normalize_text(item.xpath("string(creator)").get() or item.xpath("string(author)").get()),
                published=parse_feed_date(date or item.xpath("string(news/publication_date | lastmod)").get()),
            )
        )
    return entries
