"""Charset repair: the declared charset wins, unless it is provably wrong.

Scrapy decodes a page with the charset of the ``Content-Type`` header (a BOM first), else
the one its ``<meta>`` declares, else a guess. That is right for a page whose ``<meta>``
lies (header windows-1256, meta utf-8), and wrong when the declaration is provably wrong:

* a server labels every page utf-8 while some are windows-1256 (shared case NB-01): the
  body does not decode as UTF-8, the text becomes U+FFFD;
* a page declared windows-1252 or windows-1256 is in fact UTF-8: the body decodes as UTF-8
  with non-ASCII sequences, which 8-bit legacy text practically never does, and reading it
  as 8-bit gives mojibake (``Ã‰lections``);
* no charset is declared and the body is not UTF-8: Scrapy's guess (windows-1252) turns
  Arabic into Latin letters.

A UTF-8 page with a stray invalid byte or two is still UTF-8 (one U+FFFD, not a page
re-decoded as windows-1256). Otherwise the other declared charset is tried, then
``NEWSBOT_FALLBACK_ENCODINGS``.

A decoded HTML page with NUL characters gets spaces in their place: lxml drops a NUL from the
text it parses, which glues the words on either side (``Le\x00Maroc`` -> ``LeMaroc``).
The other control characters reach the text and are made spaces by
:func:`~newsbot.text.normalize.normalize_text`.
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import TYPE_CHECKING

from scrapy.http import HtmlResponse, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

from newsbot.config import encodings_setting
from newsbot.pages.markup import binary_kind

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


def _normal(encoding: str | None) -> str | None:
    """Python's name of ``encoding`` (``UTF8`` -> ``utf-8``), None if unknown."""
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def _utf8_counts(body: bytes) -> tuple[int, int]:
    """(invalid UTF-8 sequences, valid non-ASCII characters) of ``body``.

    Counted in C: an ASCII byte always decodes to itself (never into a replacement), so the
    non-ASCII characters are the decoded length minus the ASCII bytes.

    >>> _utf8_counts("Fès".encode("utf-8") + bytes([0xFF]))
    (1, 1)
    """
    ascii_bytes = len(body) - len(body.translate(None, _ASCII))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("utf-8", "replace")
        errors = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    else:
        errors = 0
    return errors, len(text) - ascii_bytes - errors


_ASCII = bytes(range(128))


def _stray_bytes(body: bytes, errors: int, non_ascii: int) -> bool:
    """True when a few invalid sequences sit in text that is otherwise UTF-8 with non-ASCII
    characters: at most one per 2,000 bytes (at least 1), and fewer than the valid ones."""
    return errors <= max(1, len(body) // 2000) and non_ascii > errors


def repaired_encoding(body: bytes, header_encoding: str | None, fallbacks: list[str]) -> str | None:
    """The charset to decode ``body`` with instead of what Scrapy would use, or None to keep it.

    Scrapy uses the BOM, else ``header_encoding``, else the charset the document declares,
    else a guess; see the module docstring for when that is provably wrong. Among the
    fallbacks that decode, the first one whose text does not glue Latin and Arabic letters
    into one word wins.

    >>> repaired_encoding("أخبار".encode("cp1256"), "utf-8", ["windows-1256"])
    'windows-1256'
    >>> repaired_encoding("أخبار".encode("utf-8"), "utf-8", ["windows-1256"]) is None
    True
    >>> repaired_encoding("Élections à Fès".encode("cp1252"), "utf-8", ["windows-1256", "windows-1252"])
    'windows-1252'
    >>> body = "Café à Rabat".encode("cp1252")  # windows-1256 keeps é and à where windows-1252 has them
    >>> body.decode(repaired_encoding(body, "utf-8", ["windows-1256", "windows-1252"]))
    'Café à Rabat'
    >>> repaired_encoding("Élections à Fès".encode("utf-8"), "windows-1252", ["windows-1256"])
    'utf-8'
    >>> repaired_encoding("أخبار المغرب اليوم".encode("utf-8") + bytes([0xD8]), "utf-8", ["windows-1256"]) is None
    True
    """
    if read_bom(body)[0]:
        return None  # a BOM wins, as in browsers (Scrapy does it too)
    declared = html_body_declared_encoding(body)
    current = _normal(header_encoding) or _normal(declared)  # what Scrapy decodes with (None: a guess)
    errors, non_ascii = _utf8_counts(body)
    if errors == 0:
        # Valid UTF-8 with non-ASCII bytes is UTF-8 whatever it is called.
        return "utf-8" if current not in (None, "utf-8") and non_ascii else None
    if current == "utf-8" and _stray_bytes(body, errors, non_ascii):
        return None
    if current not in (None, "utf-8") and _decodes(body, current):
        return None
    others = [c for c in (declared, header_encoding) if _normal(c) not in (None, current, "utf-8")]
    for candidate in others:
        if _decodes(body, candidate):
            return candidate
    decoding = [c for c in fallbacks if _normal(c) != current and _decodes(body, c)]
    return min(decoding, key=lambda c: len(_MIXED_SCRIPTS.findall(body.decode(c))), default=None)


class CharsetMiddleware:
    """Downloader middleware applying :func:`repaired_encoding` to text responses.

    Setting ``NEWSBOT_FALLBACK_ENCODINGS`` (list, default windows-1256 then
    windows-1252); stat ``newsbot/charset/repaired``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.fallbacks = encodings_setting(crawler.settings, "NEWSBOT_FALLBACK_ENCODINGS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        if isinstance(response, HtmlResponse) and binary_kind(response.body):
            return response  # no charset makes an image text: the spider rejects it as not_html
        header = http_content_type_encoding(response.headers.get("Content-Type", b"").decode("latin-1"))
        encoding = repaired_encoding(response.body, header, self.fallbacks)
        if encoding is not None:
            self.stats.inc_value("newsbot/charset/repaired")
            logger.info("%s is not %s as declared; decoded as %s", response.url, header or "what its meta says", encoding)
            response = response.replace(encoding=encoding)
        # An HTML page only: lxml would drop its NULs and glue the words around them. A feed's
        # body may be binary still (gzipped in the body, not by Content-Encoding): left as it is.
        if isinstance(response, HtmlResponse) and "\x00" in response.text:
            response = response.replace(body=response.text.replace("\x00", " ").encode("utf-8"), encoding="utf-8")
        return response
