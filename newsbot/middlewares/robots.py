"""robots.txt as RFC 9309 reads it: a server error means "do not crawl".

Scrapy's ``RobotsTxtMiddleware`` parses whatever body a robots.txt request brings back, so a
``503`` error page (no rules) lets the whole site be crawled (scrapy/scrapy#2443). RFC 9309
§2.3.1.4 says the opposite: when robots.txt is unreachable because of a server error (5xx), a
crawler MUST assume complete disallow. :class:`ServerErrorRobotsTxtMiddleware` does that: once
the robots.txt request has answered 5xx (after ``RETRY_TIMES`` retries, like any request), the
host is fully disallowed for the rest of the run, with one ERROR line naming the host and the
status and a stat, ``newsbot/robots/server_error`` (RetryMiddleware's "Gave up retrying" line for
that robots.txt is lowered to INFO: the ERROR line says it all); every request to the host is then refused
as Scrapy refuses a disallowed one (``robotstxt/forbidden``). Nothing is remembered across runs
(robots.txt is never cached): the next run asks again and crawls if the server answers.

Other answers are Scrapy's: 2xx is parsed, 4xx (no robots.txt) allows everything (RFC 9309
§2.3.1.3), and a download that fails outright (connection refused, timeout) allows everything
after an ERROR line of Scrapy's (the pages themselves then fail and are counted as errors).

An outlet's host (the source page of a teaser, :mod:`newsbot.spiders.source`) is judged the same
way, but its trouble is the outlet's, not the crawl's: a 5xx robots.txt there is one WARNING
(still ``newsbot/robots/server_error``; the teaser is kept, ``newsbot/source/robots``), and
Scrapy's ERROR for a robots.txt that could not be downloaded is lowered to WARNING, without
its traceback (the teaser is kept when its page fails too).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

from newsbot.middlewares.offsite import META_SOURCE, count_source_retries

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
"""The robots.txt a host answering 5xx is read as (RFC 9309 §2.3.1.4)."""


class _RobotsGiveUpToInfo(logging.Filter):
    """Lowers RetryMiddleware's "Gave up retrying" ERROR for a robots.txt answering 5xx to INFO."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, dict) else {}
        request, reason = args.get("request"), str(args.get("reason", ""))
        if (record.levelno == logging.ERROR and request is not None and reason[:1] == "5"
                and getattr(request, "meta", {}).get("dont_obey_robotstxt")
                and str(getattr(request, "url", "")).endswith("/robots.txt")):
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


_GIVE_UP_FILTER = _RobotsGiveUpToInfo()


class _OutletRobotsErrorToWarning(logging.Filter):
    """Lowers Scrapy's "Error downloading" ERROR (with traceback) for the robots.txt of a source
    page's host (the request it names is a source request) to a WARNING without traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, dict) else {}
        request = args.get("request")
        if record.levelno == logging.ERROR and META_SOURCE in getattr(request, "meta", {}):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


_OUTLET_ROBOTS_FILTER = _OutletRobotsErrorToWarning()


class ServerErrorRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Replaces ``scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware`` in
    ``DOWNLOADER_MIDDLEWARES`` (same ``ROBOTSTXT_*`` settings): a robots.txt answering 5xx
    disallows its host for the run (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        logging.getLogger("scrapy.downloadermiddlewares.retry").addFilter(_GIVE_UP_FILTER)  # once: a set
        logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(_OUTLET_ROBOTS_FILTER)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if META_SOURCE in request.meta and response.request is not None:
            count_source_retries(self._stats, response.request.meta)
        if 500 <= response.status < 600:
            self._stats.inc_value("newsbot/robots/server_error")
            # an outlet's host (a teaser's source page): the outlet's trouble, not the crawl's
            log = logger.warning if META_SOURCE in request.meta else logger.error
            log(
                "robots.txt of %s answered %d: the host is treated as fully disallowed for this run (RFC 9309"
                " §2.3.1.4), none of its pages is fetched; the next run asks again",
                netloc, response.status,
            )
            response = response.replace(body=DISALLOW_ALL)  # its status stays counted as Scrapy counts it
        await super()._parse_robots(response, netloc, request)

