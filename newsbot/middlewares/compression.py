"""Compressed bodies cut short, or no stream of their encoding, are rejected, not read as pages.

Scrapy's ``HttpCompressionMiddleware`` inflates what it can of a ``Content-Encoding: gzip``
(or ``deflate``, ``br``, ``zstd``) body and keeps it when the stream stops early (scrapy/scrapy#1900):
a body cut short in transit or by the server became a page with half its text, an item
with a truncated body, recorded as done and never fetched again.
:class:`StrictHttpCompressionMiddleware` inflates the same way, with the same
``DOWNLOAD_MAXSIZE`` limit, but a stream that ends before its end-of-stream marker rejects
the page: one WARNING line with the URL and the reason, the stat
``newsbot/rejected/truncated_body``, the :data:`~newsbot.signals.page_rejected` signal for an
article page (rejects feed, monitors), and no item, so the article is not recorded and the
next run fetches it again. A gzip member whose checksum does not match is still kept, as
Scrapy keeps it (the stream is whole; a CRC error is no sign of a cut). A body that is no stream
of its ``Content-Encoding`` at all (a plain page labelled ``gzip``, random bytes labelled ``br``)
is rejected the same way as ``newsbot/rejected/undecodable_body``, where Scrapy logged "Error
downloading" with a traceback at ERROR and counted nothing newsbot reads.

A body that inflates past ``DOWNLOAD_MAXSIZE`` (a decompression bomb: gzip, deflate, br, zstd or
several of them) is dropped as Scrapy drops it, and counted as ``newsbot/rejected/too_large``
(:mod:`newsbot.middlewares.lost`); Scrapy's WARNING naming the URL and the limit is its one line.
"""

from __future__ import annotations

import logging
import struct
import zlib
from gzip import GzipFile
from io import BytesIO
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils._compression import _CHUNK_SIZE, _check_max_size, brotli, zstd

from newsbot.family.urls import META_KIND, PageKind
from newsbot.middlewares.lost import TOO_LARGE, count_lost
from newsbot.middlewares.offsite import META_SOURCE
from newsbot.signals import page_rejected

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

REASON = "truncated_body"
UNDECODABLE = "undecodable_body"
# What the decoders raise on bytes that are no stream of their encoding (gzip: BadGzipFile, an OSError).
_NOT_THAT_ENCODING = tuple(e for e in (OSError, EOFError, zlib.error, getattr(brotli, "error", None),
                                       getattr(zstd, "ZstdError", None)) if e is not None)


class TruncatedBody(ValueError):
    """A compressed body that ends before the end of its compressed stream."""

    reason = REASON


class UndecodableBody(ValueError):
    """A body that is no stream of the ``Content-Encoding`` it is labelled with."""

    reason = UNDECODABLE


def gunzip_whole(data: bytes, max_size: int = 0) -> bytes:
    """``data`` (gzip, one member or more) inflated, as Scrapy's ``gunzip`` does (``max_size``
    bytes at most, 0: no limit; a checksum error tolerated once something came out), except
    that a stream cut short raises :class:`TruncatedBody`.

    >>> import gzip
    >>> whole = gzip.compress(b"<html>" + b"x" * 1000 + b"</html>")
    >>> len(gunzip_whole(whole))
    1013
    >>> gunzip_whole(whole[:-20])
    Traceback (most recent call last):
    ...
    newsbot.middlewares.compression.TruncatedBody: the gzip stream ends before its end-of-stream marker
    """
    f = GzipFile(fileobj=BytesIO(data))
    out = BytesIO()
    size = 0
    while True:
        try:
            chunk = f.read1(_CHUNK_SIZE)
        except (EOFError, struct.error):  # no end-of-stream marker, or a partial trailer
            raise TruncatedBody("the gzip stream ends before its end-of-stream marker") from None
        except OSError:  # a bad checksum or trailing garbage: Scrapy keeps what came out
            if out.getbuffer().nbytes > 0:
                break
            raise
        if not chunk:
            return out.getvalue()
        size += len(chunk)
        _check_max_size(size, max_size)
        out.write(chunk)
    return out.getvalue()


def inflate_whole(data: bytes, max_size: int = 0) -> bytes:
    """A ``deflate`` body (zlib, or raw deflate as some servers send) inflated, as Scrapy's
    ``_inflate`` does, except that a stream cut short raises :class:`TruncatedBody`.

    >>> inflate_whole(zlib.compress(b"abc" * 100))[:6]
    b'abcabc'
    >>> inflate_whole(zlib.compress(b"abc" * 100)[:-5])
    Traceback (most recent call last):
    ...
    newsbot.middlewares.compression.TruncatedBody: the deflate stream ends before its end-of-stream marker
    """
    decompressor = zlib.decompressobj()
    try:
        chunk = decompressor.decompress(data, _CHUNK_SIZE)
    except zlib.error:
        decompressor = zlib.decompressobj(wbits=-15)
        chunk = decompressor.decompress(data, _CHUNK_SIZE)
    out = BytesIO()
    size = 0
    while True:
        size += len(chunk)
        _check_max_size(size, max_size)
        out.write(chunk)
        if decompressor.eof or not decompressor.unconsumed_tail:
            break
        chunk = decompressor.decompress(decompressor.unconsumed_tail, _CHUNK_SIZE)
    if not decompressor.eof:
        raise TruncatedBody("the deflate stream ends before its end-of-stream marker")
    return out.getvalue()


def unbrotli_whole(data: bytes, max_size: int = 0) -> bytes:
    """A ``br`` body inflated as Scrapy's ``_unbrotli`` does; :class:`TruncatedBody` when the
    stream is not finished.

    >>> unbrotli_whole(brotli.compress(b"abc" * 100))[:6]
    b'abcabc'
    >>> unbrotli_whole(brotli.compress(b"abc" * 100)[:-2])
    Traceback (most recent call last):
    ...
    newsbot.middlewares.compression.TruncatedBody: the br stream ends before its end-of-stream marker
    """
    decompressor = brotli.Decompressor()
    chunk = decompressor.process(data, output_buffer_limit=_CHUNK_SIZE)
    out = BytesIO()
    size = 0
    while True:
        size += len(chunk)
        _check_max_size(size, max_size)
        out.write(chunk)
        if decompressor.is_finished():
            return out.getvalue()
        chunk = decompressor.process(b"", output_buffer_limit=_CHUNK_SIZE)
        if not chunk:
            raise TruncatedBody("the br stream ends before its end-of-stream marker")


def unzstd_whole(data: bytes, max_size: int = 0) -> bytes:
    """A ``zstd`` body (one frame or several) inflated as Scrapy's ``_unzstd`` does, except
    that a frame cut short raises :class:`TruncatedBody` (Scrapy keeps what came out of it).

    >>> unzstd_whole(zstd.compress(b"abc" * 100) * 2)[:6], len(unzstd_whole(zstd.compress(b"abc" * 100) * 2))
    (b'abcabc', 600)
    >>> unzstd_whole(zstd.compress(b"abc" * 100)[:-2])
    Traceback (most recent call last):
    ...
    newsbot.middlewares.compression.TruncatedBody: the zstd stream ends before the end of its frame
    """
    out = BytesIO()
    size = 0
    while data:
        decompressor = zstd.ZstdDecompressor()
        chunk = decompressor.decompress(data, _CHUNK_SIZE)
        while True:
            size += len(chunk)
            _check_max_size(size, max_size)
            out.write(chunk)
            if decompressor.eof or decompressor.needs_input:
                break
            chunk = decompressor.decompress(b"", _CHUNK_SIZE)
        if not decompressor.eof:
            raise TruncatedBody("the zstd stream ends before the end of its frame")
        data = decompressor.unused_data
    return out.getvalue()


class StrictHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Replaces ``scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware`` in
    ``DOWNLOADER_MIDDLEWARES`` (same settings): see the module docstring."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StrictHttpCompressionMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.crawler = crawler
        return middleware

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Request | Response:
        try:
            return super().process_response(request, response)
        except (TruncatedBody, UndecodableBody) as error:
            self._reject(request, response, error.reason, str(error))
            raise IgnoreRequest(f"{error.reason}: {error}") from None
        except IgnoreRequest as error:
            if "DOWNLOAD_MAXSIZE" in str(error) and self.stats is not None and META_SOURCE not in request.meta:
                count_lost(self.stats, TOO_LARGE)  # a source page's errback counts its own (newsbot/source/too_large)
            raise

    @staticmethod
    def _decode(body: bytes, encoding: bytes, max_size: int) -> bytes:
        if not body:  # an empty body (a 204, an error page) is not a stream cut short
            return body
        try:
            return StrictHttpCompressionMiddleware._decode_whole(body, encoding, max_size)
        except _NOT_THAT_ENCODING as error:
            name = encoding.decode("latin-1")
            raise UndecodableBody(f"the body is no {name} stream: {type(error).__name__}: {error}") from None

    @staticmethod
    def _decode_whole(body: bytes, encoding: bytes, max_size: int) -> bytes:
        if encoding in {b"gzip", b"x-gzip"}:
            return gunzip_whole(body, max_size)
        if encoding == b"deflate":
            return inflate_whole(body, max_size)
        if encoding == b"br":
            return unbrotli_whole(body, max_size)
        if encoding == b"zstd":
            return unzstd_whole(body, max_size)
        return HttpCompressionMiddleware._decode(body, encoding, max_size)

    def _reject(self, request: Request, response: Response, reason: str, detail: str) -> None:
        if META_SOURCE not in request.meta:  # a source page is no page of the site: its errback counts it
            self.stats.inc_value(f"newsbot/rejected/{reason}")
        logger.warning("No page from %s: %s (%s, %d bytes received); not recorded, the next run fetches it again",
                       response.url, reason, detail, len(response.body))
        if request.meta.get(META_KIND) == PageKind.ARTICLE:
            # the response is not tied to its request yet (the engine does that after the middlewares)
            self.crawler.signals.send_catch_log(page_rejected, response=response.replace(request=request),
                                                reason=reason, detail=detail, spider=self.crawler.spider)
