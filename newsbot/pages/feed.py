"""RSS 2.0 feeds of the sites (``/rss``, ``/fr/rss``, ``/<outlet>/rss``): entries out.

An item is read as ``link`` (or a permalink ``guid``), ``title``, ``dc:creator`` (the
outlet's display name) and ``pubDate``. Feeds in the wild carry raw ``&`` in URLs and
HTML entities XML does not declare (shared case NB-23), and HTML markup in titles (an
unclosed ``<b>``); lxml's recovering parser silently mangles those (``?id=3&p=4`` becomes
``?id=3=4``; what follows an unclosed tag, the item's link included, is nested inside
it), so the text is repaired before parsing (:func:`repair_xml`) and tags are taken out
of titles (:func:`plain_text`). A body still gzip-compressed after the transport (NB-21) is inflated,
however many times it was gzipped, within a budget for all layers together
(``DOWNLOAD_MAXSIZE``, :class:`FeedTooLarge` past it): gzip inside gzip is a decompression bomb
that a per-layer cap would let through. A ``<!DOCTYPE>`` is dropped before parsing, with the
entities it declares: they are never expanded (no external entity read, no "billion laughs").

A feed URL that answers something else (scrapy/scrapy#4211: a site's error or home page
served with 200 where the feed should be, an empty body) or a feed with no entry raises
:class:`FeedProblem` with a ``reason`` the spider logs and counts (``empty``, ``html``,
``not_feed``, ``no_entries``, ``too_large``) instead of reading it as a feed of nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import zlib
from dataclasses import dataclass

from parsel import Selector
from scrapy.http import Response

from newsbot.text.dates import parse_feed_date
from newsbot.text import normalize_text

_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY_OR_AMP = re.compile(r"&(#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?")
# Element names of the feeds read here: RSS 2.0, Atom, sitemaps (namespaced ones, such as
# dc:creator or news:title, are never HTML). They win over HTML's title, link, source...
_FEED_ELEMENTS = frozenset(
    """rss channel item title link description language copyright managingeditor webmaster pubdate
    lastbuilddate category generator docs cloud ttl image url width height rating textinput name
    skiphours skipdays hour day author comments enclosure guid source feed entry id updated published
    summary content contributor email uri icon logo rights subtitle urlset sitemapindex sitemap loc
    lastmod changefreq priority""".split()
)
_HTML_ONLY = frozenset(
    """a abbr acronym address area article aside audio b base bdi bdo big blockquote body br button
    canvas center cite code col colgroup data dd del details dfn div dl dt em embed fieldset figcaption
    figure font footer form frame h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label
    legend li main map mark meta nav noscript object ol optgroup option p param picture pre q s samp
    script section select small span strike strong style sub sup table tbody td template textarea tfoot
    th thead time tr track tt u ul var video wbr""".split()
) - _FEED_ELEMENTS
_BLOCK_TAGS = frozenset("br p div li h1 h2 h3 h4 h5 h6 tr td th blockquote hr".split())
# One piece of markup: what is kept as is (CDATA, comments, processing instructions,
# declarations), a start/end/empty tag, or a "<" that starts none of them.
_MARKUP = re.compile(
    r"(?P<keep><!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>|<![A-Za-z][^<>]*>)"
    r"|(?P<tag></?(?P<name>[A-Za-z_][\w.\-]*(?::[\w.\-]+)?)(?:\s[^<>]*)?/?>)"
    r"|<",
    re.S,
)
# The document type declaration with its internal subset: entities a feed declares are never
# expanded (an external entity reads a local file, XXE; nested ones inflate to gigabytes,
# "billion laughs"); references to them stay text.
_DOCTYPE = re.compile(r"<!DOCTYPE\b[^\[>]*(?:\[.*?\]\s*)?>", re.S | re.I)
_HTML_TAG = re.compile(r"</?(" + "|".join(sorted(_HTML_ONLY, key=len, reverse=True)) + r")\b(?:\s[^<>]*)?/?>", re.I)
MAX_FEED_BYTES = 16 * 1024 * 1024
"""What the gzip layers of a feed may inflate to together when no ``max_size`` is given."""
_GZIP_MAGIC = b"\x1f\x8b"


class FeedProblem(ValueError):
    """A feed URL gave no entries to follow, and why: ``reason`` (a stat name part) and the
    message (for the log line)."""

    reason = "unreadable"

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class FeedTooLarge(FeedProblem):
    """A feed's gzip layers inflate to more than the budget (``DOWNLOAD_MAXSIZE``)."""

    reason = "too_large"


FEED_ROOTS = frozenset({"rss", "rdf", "feed", "channel", "urlset", "sitemapindex"})
"""Root elements of the documents read as feeds: RSS 2.0/1.0 (RDF), Atom, sitemaps."""
_HTML_START = re.compile(r"(?:<\?xml[^>]*\?>|<!--.*?-->|\s)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)


@dataclass
class FeedEntry:
    """One feed item: absolute ``url``, ``title``, ``creator`` (outlet name), ``published``."""

    url: str
    title: str | None = None
    creator: str | None = None
    published: dt.date | None = None


def repair_xml(text: str) -> str:
    """Make a feed's text parse as its author meant: bare ``&`` escaped, HTML-only named
    entities turned into characters, and HTML markup that is no part of the feed
    vocabulary (``<b>``, ``<br>``, ``<img ...>``, a stray ``<``) escaped into text, so an
    unclosed ``<b>`` in a ``<title>`` does not swallow the item's ``<link>``. CDATA
    sections, comments and processing instructions are left as they are; tags of the
    feed vocabulary (RSS, Atom, sitemaps) and namespaced ones (``dc:creator``,
    ``media:content``...) are kept.

    >>> repair_xml("<loc>https://x.ma/a?id=3&p=4</loc><t>L&eacute;gislatives</t>")
    '<loc>https://x.ma/a?id=3&amp;p=4</loc><t>Législatives</t>'
    >>> repair_xml("<title>Un <b>titre</title><link>https://x.ma/1</link>")
    '<title>Un &lt;b>titre</title><link>https://x.ma/1</link>'
    >>> repair_xml("<title><![CDATA[Un <b>titre & co]]></title><dc:creator>Le360</dc:creator>")
    '<title><![CDATA[Un <b>titre & co]]></title><dc:creator>Le360</dc:creator>'
    """
    out = []
    position = 0
    for match in _MARKUP.finditer(text):
        out.append(_fix_entities(text[position : match.start()]))
        if match.group("keep"):
            out.append(match.group(0))
        elif match.group("tag") and match.group("name").lower() not in _HTML_ONLY:
            out.append(_fix_entities(match.group(0)))  # attribute values need it too
        else:  # HTML markup or a stray "<": text
            out.append("&lt;" + _fix_entities(match.group(0)[1:]))
        position = match.end()
    out.append(_fix_entities(text[position:]))
    return "".join(out)


def _fix_entities(text: str) -> str:
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


def plain_text(value: str | None) -> str | None:
    """Feed text without the HTML tags some feeds put in titles (escaped or not), normalised.

    >>> plain_text("Un <b>titre</b> de <a href='/x'>presse</a><br/>ici")
    'Un titre de presse ici'
    >>> plain_text("Prix < 3 DH et > 1 DH")
    'Prix < 3 DH et > 1 DH'
    """
    if value is None:
        return None
    return normalize_text(_HTML_TAG.sub(lambda m: " " if m.group(1).lower() in _BLOCK_TAGS else "", value))


def gunzip_within(data: bytes, budget: int) -> bytes:
    """``data`` (gzip, one member or several) inflated; :class:`FeedTooLarge` as soon as the
    output would pass ``budget`` bytes. A truncated or corrupt tail ends the output (as
    Scrapy's ``gunzip`` does) once something was inflated.

    >>> import gzip
    >>> gunzip_within(gzip.compress(b"<rss/>") + gzip.compress(b"<!-- -->"), 100)
    b'<rss/><!-- -->'
    >>> gunzip_within(gzip.compress(b"x" * 101), 100)
    Traceback (most recent call last):
    ...
    newsbot.pages.feed.FeedTooLarge: gzip inflates to more than 100 bytes
    """
    out = bytearray()
    while data[:2] == _GZIP_MAGIC:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(data, budget - len(out) + 1)
        except zlib.error:
            if out:
                break
            raise
        if len(out) > budget:
            raise FeedTooLarge(f"gzip inflates to more than {budget} bytes")
        if not inflater.eof:  # truncated: keep what came out
            break
        data = inflater.unused_data  # the next member, if any
    return bytes(out)


def feed_text(response: Response, max_size: int = 0) -> str:
    """The feed's text, inflated while the body is still gzip (any number of layers) and
    decoded by its charset. All layers together inflate to ``max_size`` bytes at most
    (0: :data:`MAX_FEED_BYTES`), else :class:`FeedTooLarge`."""
    body = response.body
    total = budget = max_size or MAX_FEED_BYTES
    while body[:2] == _GZIP_MAGIC:
        try:
            body = gunzip_within(body, budget)
        except FeedTooLarge:
            raise FeedTooLarge(f"its gzip layers inflate to more than {total} bytes") from None
        budget -= len(body)
    encoding = getattr(response, "encoding", None) or "utf-8"
    return body.decode(encoding, errors="replace")


def not_a_feed(text: str) -> FeedProblem | None:
    """Why ``text`` (a feed URL's body) is plainly no feed: empty, or an HTML page; else None.

    >>> not_a_feed("  ").reason, not_a_feed("<!DOCTYPE html><html><body>Erreur</body></html>").reason
    ('empty', 'html')
    >>> not_a_feed('<?xml version="1.0"?><rss version="2.0"><channel/></rss>') is None
    True
    """
    if not text.strip(" \t\r\n\ufeff"):
        return FeedProblem("the body is empty", "empty")
    if _HTML_START.match(text.lstrip("\ufeff")):
        return FeedProblem("it is an HTML page, not RSS, Atom or a sitemap", "html")
    return None


def parse_feed(response: Response, max_size: int = 0) -> list[FeedEntry]:
    """Entries of an RSS 2.0 or Atom feed, or of a (news) sitemap, in document order.
    ``max_size``: see :func:`feed_text` (raises :class:`FeedTooLarge`). A body that is no
    feed (empty, an HTML page, another XML document) or a feed without entries raises
    :class:`FeedProblem` (``empty``, ``html``, ``not_feed``, ``no_entries``)."""
    raw = feed_text(response, max_size)
    problem = not_a_feed(raw)
    if problem is not None:
        raise problem
    text = repair_xml(_DOCTYPE.sub("", raw, count=1))
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # parsel refuses a str with an encoding declaration
    sel = Selector(text=text, type="xml")
    root = sel.root.tag if isinstance(getattr(sel.root, "tag", None), str) else ""
    root = root.rsplit("}", 1)[-1].lower()
    if root not in FEED_ROOTS:
        found = f"its root element is <{root}>" if root else "it is no XML document"
        raise FeedProblem(f"{found}, not RSS, Atom or a sitemap", "not_feed")
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
                title=plain_text(title),
                creator=plain_text(item.xpath("string(creator)").get() or item.xpath("string(author)").get()),
                published=parse_feed_date(date or item.xpath("string(news/publication_date | lastmod)").get()),
            )
        )
    if not entries:
        raise FeedProblem(f"its <{root}> has no entry with a link", "no_entries")
    return entries
