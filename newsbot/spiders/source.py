"""Follow to the source: a teaser article's ``source_url`` fetched, the outlet's text taken.

When an article page holds only a teaser (:func:`newsbot.text.teaser.follow_reason`: a body
ending in ``(...)`` or ``…``, or shorter than ``NEWSBOT_TEASER_MAX_CHARS``), the spider does not
yield its item at once: it requests ``source_url``, the one request allowed off the site's hosts
(:class:`~newsbot.middlewares.offsite.PortAwareOffsiteMiddleware`, by
:data:`~newsbot.middlewares.offsite.META_SOURCE`), still under robots.txt and
``DOWNLOAD_MAXSIZE``. The pending item rides in the request's ``cb_kwargs`` (pickled with the
request in a ``JOBDIR`` queue or the cluster's Redis queue). The outlet page is read by
:func:`newsbot.outlets.extract`; its text replaces the teaser only when it holds the teaser's
words (:func:`newsbot.text.teaser.outlet_holds_teaser`). Whatever happens, one item comes out:
the outlet's body (``body_source: "outlet"``), or the aggregator's item unchanged.

Stats: ``newsbot/source/requested`` (source pages asked for), ``newsbot/source/used`` (outlet
bodies taken), ``newsbot/source/retries`` (retries of source pages and their hosts' robots.txt)
and, for a teaser kept, ``newsbot/source/<reason>`` with one INFO line naming the article, its
source and the reason: ``disabled`` (``-a follow_source=0`` or
``NEWSBOT_FOLLOW_SOURCE=False``), ``no_source`` (no http(s) source link), ``robots`` (robots.txt
of the outlet disallows it), ``off_site`` (redirected to another host), ``http_error``,
``unreachable`` (connection refused, timeout, a download that failed), ``too_large`` (over
``DOWNLOAD_MAXSIZE``), ``not_article`` (no article on the page: a home page, a listing, a
paywall stub, no HTML, or an aggregator's own article page), ``no_teaser_text`` (an article
that does not hold the teaser's words).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from newsbot.config import bool_setting, int_setting
from newsbot.family.urls import is_web_url
from newsbot.loaders import load_outlet_body
from newsbot.middlewares.lost import TOO_LARGE, download_failure
from newsbot.middlewares.offsite import META_ARTICLE_REDIRECTS, META_SOURCE, SourceOffSite, count_source_retries
from newsbot.outlets import extract
from newsbot.pages.article import in_template
from newsbot.text.teaser import follow_reason, outlet_holds_teaser, teaser_words

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from newsbot.items import ArticleItem

logger = logging.getLogger(__name__)

STAT = "newsbot/source/{}"
SOURCE_PRIORITY = 10
"""Source pages go before new discovery: each holds an item back until it is answered."""


class SourceFollower:
    """Mixin of :class:`~newsbot.spiders.aggregator.AggregatorSpider`: the follow to the source
    (module docstring). Needs ``crawler`` and ``arguments`` (``follow_source``)."""

    crawler: Any
    arguments: Any

    def _init_source_follower(self) -> None:
        # One bound method each for every request (see AggregatorSpider.__init__).
        self._source_callback = self.parse_source
        self._source_errback = self._source_failed

    def follow_source(self, item: ArticleItem, response: Response | None = None) -> Iterator[ArticleItem | scrapy.Request]:
        """The article's item, or the request of its source page that will give it. ``response``:
        the article page (the URLs that redirected to it go with the request)."""
        reason = follow_reason(item.body, item.body_source == "aggregator_teaser", self._teaser_max_chars)
        if reason is None:
            yield item
            return
        if not self._following:
            yield self._keep(item, "disabled", detail=f"a {reason} body, -a follow_source=0 or NEWSBOT_FOLLOW_SOURCE=False")
            return
        url = item.source_url
        if not url or not is_web_url(url):
            yield self._keep(item, "no_source", detail=f"a {reason} body without an http(s) source link")
            return
        self.crawler.stats.inc_value(STAT.format("requested"))
        # dont_filter: two articles may share a source page, and a redirect back to a seen URL
        # must not be dropped by the dupefilter without its errback (the item would be lost).
        request = scrapy.Request(url, callback=self._source_callback, errback=self._source_errback,
                                 cb_kwargs={"item": item}, dont_filter=True, priority=SOURCE_PRIORITY)
        request.meta[META_SOURCE] = request.url  # as Request wrote it (percent-encoded)
        redirects = response.meta.get("redirect_urls") if response is not None else None
        if redirects:
            request.meta[META_ARTICLE_REDIRECTS] = list(redirects)
        yield request

    def parse_source(self, response: Response, item: ArticleItem) -> Iterator[ArticleItem]:
        """The outlet page of a teaser: one item, with the outlet's body when it holds the teaser."""
        count_source_retries(self.crawler.stats, response.meta)
        if not isinstance(response, TextResponse):
            yield self._keep(item, "not_article", response.url, "not an HTML page")
            return
        if in_template(response):
            yield self._keep(item, "not_article", response.url, "an aggregator's article page, not the outlet's")
            return
        teaser = teaser_words(item.body)
        try:
            found = extract(response.text, response.url, teaser=teaser)
        except Exception as exc:  # an extractor's bug must not lose the article
            logger.exception("Outlet extractor failed on %s", response.url)
            yield self._keep(item, "not_article", response.url, f"the extractor failed: {exc!r}")
            return
        if found is None:
            yield self._keep(item, "not_article", response.url, "no article on the page (home, listing, stub)")
            return
        if not outlet_holds_teaser(found.text, item.body):
            yield self._keep(item, "no_teaser_text", response.url, "the page's article does not hold the teaser's words")
            return
        self.crawler.stats.inc_value(STAT.format("used"))
        yield load_outlet_body(item, found)

    def _source_failed(self, failure: Failure) -> Iterator[ArticleItem]:
        """The source page could not be had: the item as the aggregator gave it."""
        request = failure.request
        count_source_retries(self.crawler.stats, request.meta)
        item = request.cb_kwargs["item"]
        response = getattr(failure.value, "response", None)
        detail = f"HTTP {response.status}" if failure.check(HttpError) and response is not None else failure.getErrorMessage()
        yield self._keep(item, source_failure(failure), request.url, detail)

    def _keep(self, item: ArticleItem, reason: str, url: str | None = None, detail: str = "") -> ArticleItem:
        self.crawler.stats.inc_value(STAT.format(reason))
        logger.info("Kept the aggregator's body of %s (source %s): %s (%s)", item.url, url or item.source_url, reason, detail)
        return item

    @cached_property
    def _following(self) -> bool:
        argument = self.arguments.follow_source
        return argument if argument is not None else bool_setting(self.crawler.settings, "NEWSBOT_FOLLOW_SOURCE")

    @cached_property
    def _teaser_max_chars(self) -> int:
        return int_setting(self.crawler.settings, "NEWSBOT_TEASER_MAX_CHARS")


def source_failure(failure: Failure) -> str:
    """The ``newsbot/source/<reason>`` of a source request that failed (module docstring).

    >>> from twisted.python.failure import Failure
    >>> source_failure(Failure(IgnoreRequest("Forbidden by robots.txt")))
    'robots'
    >>> source_failure(Failure(ConnectionRefusedError()))
    'unreachable'
    """
    if failure.check(HttpError):
        return "http_error"
    if failure.check(SourceOffSite):
        return "off_site"
    exception = failure.value
    if isinstance(exception, IgnoreRequest):
        message = str(exception)
        if "robots.txt" in message:
            return "robots"
        # a body inflating past DOWNLOAD_MAXSIZE (StrictHttpCompressionMiddleware); a body cut short, a redirect loop
        return TOO_LARGE if "DOWNLOAD_MAXSIZE" in message else "unreachable"
    reason, _ = download_failure(exception)
    return TOO_LARGE if reason == TOO_LARGE else "unreachable"
