"""Pages lost before the spider could read them: one log line and one count each.

Scrapy reports a page it could not get in up to three places, at levels that do not say how
bad it is: ``Gave up retrying`` (ERROR, from the retry middleware), then ``Error downloading``
(ERROR, with a traceback) for a timeout, or ``Ignoring response <404 ...>`` (INFO) for an HTTP
error; a response dropped over ``DOWNLOAD_MAXSIZE`` gets a WARNING and no count at all. Here
every such page gets exactly one line, ``No page from URL: REASON (detail)``, and one count,
``newsbot/rejected/<reason>``, whatever the request (article, listing, feed):

* ``http_<status>``: an HTTP error answer that retries did not cure (``http_404``, ``http_410``,
  ``http_500``...), from :class:`HttpErrorMiddleware` (which replaces Scrapy's; its
  ``httperror/*`` stats are kept, the monitors read them). 404 and 410 are logged at INFO
  (pages gone), the rest at WARNING.
* ``timeout``, ``connection_failed``, ``data_loss`` (the body ended before its announced
  length), ``download_failed`` (any other error): download errors once retries are spent,
  from :class:`LostDownloadMiddleware`.
* ``too_large``: a body over ``DOWNLOAD_MAXSIZE``, announced by its size (download handler) or
  inflating past it (decompression bombs, counted by
  :class:`~newsbot.middlewares.compression.StrictHttpCompressionMiddleware`). Scrapy's
  own WARNING (URL and ``max size``/``DOWNLOAD_MAXSIZE``) is that page's one line; only the
  count is added.

Requests with an errback of their own (``-a ids`` ranges) are left to it, and robots.txt to the
robots.txt middleware. Pages lost this way are not recorded as done
(:mod:`newsbot.middlewares.incremental`): the next run tries them again. The bad-input corpus
(``tests/bad_inputs/``) has a case of each.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spidermiddlewares.httperror import HttpErrorMiddleware as ScrapyHttpErrorMiddleware
from twisted.internet import error as twisted_errors

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

LOST_STAT = "newsbot/rejected/{reason}"
GONE_STATUSES = (404, 410)
"""Statuses of pages that no longer exist: logged at INFO, as the monitors set them aside."""
_TIMEOUTS = (DownloadTimeoutError, twisted_errors.TimeoutError, twisted_errors.TCPTimedOutError)
_CONNECTION = (DownloadConnectionRefusedError, CannotResolveHostError, twisted_errors.ConnectError,
               twisted_errors.DNSLookupError, ConnectionRefusedError)
TOO_LARGE = "too_large"
_DETAILS = {"data_loss": "the connection closed before the announced Content-Length"}


def download_failure(exception: BaseException) -> tuple[str, bool]:
    """The reason a download failed with ``exception``, and whether Scrapy already logged
    it in a line of its own (a body over ``DOWNLOAD_MAXSIZE``).

    >>> download_failure(DownloadTimeoutError("took longer than 1.0 seconds"))
    ('timeout', False)
    >>> download_failure(DownloadCancelledError("Expected to receive 9 bytes which is larger than download max size (8)"))
    ('too_large', True)
    >>> download_failure(ConnectionRefusedError()), download_failure(ResponseDataLossError())
    (('connection_failed', False), ('data_loss', False))
    >>> download_failure(ValueError("x"))
    ('download_failed', False)
    """
    if isinstance(exception, _TIMEOUTS):
        return "timeout", False
    if isinstance(exception, DownloadCancelledError) and "max size" in str(exception):
        return TOO_LARGE, True
    if isinstance(exception, _CONNECTION):
        return "connection_failed", False
    if isinstance(exception, ResponseDataLossError):
        return "data_loss", False
    return "download_failed", False


def count_lost(stats: StatsCollector, reason: str) -> None:
    stats.inc_value(LOST_STAT.format(reason=reason))


def _retries(request: Request) -> str:
    times = request.meta.get("retry_times", 0)
    return f", after {times} {'retry' if times == 1 else 'retries'}" if times else ""


def _reported_elsewhere(request: Request) -> bool:
    """A request whose failure is someone else's to report: one with an errback of its own
    (``-a ids`` ranges), or robots.txt (the robots.txt middleware decides what a failure means)."""
    return request.errback is not None or urlsplit(request.url).path == "/robots.txt"


class LostDownloadMiddleware:
    """Downloader middleware, outside the retry middleware (it sees a failure once retries are
    spent): a failed download is logged once and counted (module docstring), then handed on as
    ``IgnoreRequest``, so Scrapy does not log it again as ``Error downloading``.

    It must stay the outermost middleware with ``process_exception`` (the lowest order): the
    failure is no longer the original one after it.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LostDownloadMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest) or _reported_elsewhere(request):
            return None  # skipped on purpose (robots.txt, redirect loops...), or reported elsewhere
        reason, logged = download_failure(exception)
        count_lost(self.stats, reason)
        if not logged:
            detail = str(exception) or _DETAILS.get(reason, type(exception).__name__)
            logger.warning("No page from %s: %s (%s%s)", request.url, reason, detail, _retries(request))
        raise IgnoreRequest(f"{reason}: {exception}") from exception


class HttpErrorMiddleware(ScrapyHttpErrorMiddleware):
    """Scrapy's ``HttpErrorMiddleware`` (replaced in ``SPIDER_MIDDLEWARES``) with one line per
    error answer, ``No page from URL: http_<status> (404 Not Found, after N retries)``, instead
    of Scrapy's ``Ignoring response`` and the retry middleware's ``Gave up retrying``
    (``RETRY_GIVE_UP_LOG_LEVEL`` is DEBUG), and the count ``newsbot/rejected/http_<status>``.
    Scrapy's ``httperror/*`` stats are kept."""

    def process_spider_exception(self, response: Response, exception: Exception) -> Iterable[Any] | None:
        if not isinstance(exception, HttpError):
            return None
        stats = self.crawler.stats
        stats.inc_value("httperror/response_ignored_count")
        stats.inc_value(f"httperror/response_ignored_status_count/{response.status}")
        reason = f"http_{response.status}"
        count_lost(stats, reason)
        level = logging.INFO if response.status in GONE_STATUSES else logging.WARNING
        phrase = _phrase(response.status)
        logger.log(level, "No page from %s: %s (%s%s)", response.url, reason, f"{response.status} {phrase}".strip(),
                   _retries(response.request) if response.request is not None else "")
        return ()


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
