"""Charset repair: the HTTP header wins, unless it is provably wrong.

Scrapy decodes a page with the charset of the ``Content-Type`` header (a BOM first).
That is right for a page whose ``<meta>`` lies (header windows-1256, meta utf-8), and
wrong for a server that labels every page utf-8 while some are windows-1256 (shared
case NB-01): the text becomes U+FFFD. Rule: when the body does not decode strictly
with the header's charset, use the charset the document declares if it decodes
strictly, else the first of ``NEWSBOT_FALLBACK_ENCODINGS`` that does.
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import TYPE_CHECKING

from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def _decodes(body: bytes, encoding: str | None) -> bool:
    if not encoding:
        return False
    try:
        codecs.lookup(encoding)
        body.decode(encoding, "strict")
    except (LookupError, UnicodeDecodeError):
        return False
    return True


# A letter of the Latin script touching an Arabic one: what French windows-1252 text looks
# like when read as windows-1256 ("Élections" -> "ةlections"), and Arabic the other way.
_MIXED_SCRIPTS = re.compile(r"[A-Za-z\u00c0-\u024f][\u0600-\u06ff]|[\u0600-\u06ff][A-Za-z\u00c0-\u024f]")


def repaired_encoding(body: bytes, header_encoding: str | None, fallbacks: list[str]) -> str | None:
    """The charset to use instead of ``header_encoding``, or None to keep it.

    The document's own declaration comes first; among the fallbacks that decode, the
    first one whose text does not glue Latin and Arabic letters into one word wins.

    >>> repaired_encoding("أخبار".encode("cp1256"), "utf-8", ["windows-1256"])
    'windows-1256'
    >>> repaired_encoding("أخبار".encode("utf-8"), "utf-8", ["windows-1256"]) is None
    True
    >>> repaired_encoding("Élections à Fès".encode("cp1252"), "utf-8", ["windows-1256", "windows-1252"])
    'windows-1252'
    """
    if not header_encoding or read_bom(body)[0] or _decodes(body, header_encoding):
        return None
    declared = html_body_declared_encoding(body)
    if declared and _decodes(body, declared):
        return declared
    decoding = [c for c in fallbacks if _decodes(body, c)]
    return min(decoding, key=lambda c: len(_MIXED_SCRIPTS.findall(body.decode(c))), default=None)


class CharsetMiddleware:
    """Downloader middleware applying :func:`repaired_encoding` to text responses.

    Setting ``NEWSBOT_FALLBACK_ENCODINGS`` (list, default windows-1256 then
    windows-1252); stat ``newsbot/charset/repaired``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.fallbacks = crawler.settings.getlist("NEWSBOT_FALLBACK_ENCODINGS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        header = http_content_type_encoding(response.headers.get("Content-Type", b"").decode("latin-1"))
        encoding = repaired_encoding(response.body, header, self.fallbacks)
        if encoding is None:
            return response
        self.stats.inc_value("newsbot/charset/repaired")
        logger.info("%s is not %s as its header says; decoded as %s", response.url, header, encoding)
        return response.replace(encoding=encoding)
