"""Redirects that stay on one article, and redirects that leave it.

newsbot fingerprints requests on canonical URLs, so ``/x/53`` and ``/x/53/``, or
``www.maghress.com`` and ``maghress.com``, are one request. A site that redirects to
another spelling of the same URL (a trailing slash, the bare domain) would then see the
redirect target dropped by the dupefilter as already seen, and the article silently
lost. :class:`CanonicalRedirectMiddleware` lets such a redirect through once (the
redirect limit still stops loops), and reports an article that redirects away (off the
site, or to a page that is not an article) instead of losing it without a word.

A redirect loop (a redirect back to a URL of the chain, or more than ``REDIRECT_MAX_TIMES``
redirects) loses the page: it is reported in one INFO line with the chain and counted as
``newsbot/rejected/redirect_loop``, where Scrapy said only "max redirections reached" at
DEBUG, or its dupefilter dropped the way back to a seen URL without a word.

A 200 page that redirects by script (scrapy/scrapy#1422: ``window.location.replace(...)``
with a ``<noscript>`` meta refresh, which Scrapy's ``MetaRefreshMiddleware`` ignores on purpose)
is followed by :class:`ScriptRedirectMiddleware` when :func:`newsbot.pages.redirect.script_redirect`
is sure it is a redirect page, and only to a page of the same site; it was rejected as
``missing_title`` before.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.redirect import BaseRedirectMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse

from newsbot.fingerprint import canonical_request_url
from newsbot.family.urls import META_ARTICLE_ID, META_KIND, PageKind
from newsbot.pages.redirect import script_redirect
from newsbot.sites import classify_url, site_for_url

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class NewsbotRedirects(BaseRedirectMiddleware):
    """What newsbot adds to every kind of redirect it follows:

    * a redirect to another spelling of the same canonical URL is not filtered as a duplicate;
    * an article request redirected off the site or to a non-article page is logged with
      both URLs and counted as ``newsbot/rejected/redirected_away``;
    * a redirect loop is logged at INFO with its chain and counted as ``newsbot/rejected/redirect_loop``.
    """

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            self._lost_in_loop(chain, redirected.url, "back to a URL of the chain")
        try:
            result = super()._redirect(redirected, request, reason)
        except IgnoreRequest:  # past REDIRECT_MAX_TIMES
            self._lost_in_loop(chain, redirected.url, f"more than {self.max_redirect_times} redirects")
        if canonical_request_url(result.url) == canonical_request_url(request.url):
            result.dont_filter = True
        elif request.meta.get(META_KIND) == PageKind.ARTICLE and not _is_article(result.url):
            self.crawler.stats.inc_value("newsbot/rejected/redirected_away")
            logger.warning("No item from %s: it redirects (%s) to %s, which is not an article of the site",
                           request.url, reason, result.url)
        return result

    def _lost_in_loop(self, chain: list[str], target: str, why: str) -> None:
        self.crawler.stats.inc_value("newsbot/rejected/redirect_loop")
        shown = chain if len(chain) <= 4 else [*chain[:2], "...", *chain[-1:]]
        logger.info("No page from %s: redirect loop (%s): %s", chain[0], why, " -> ".join([*shown, target]))
        raise IgnoreRequest(f"redirect loop: {why}")


class CanonicalRedirectMiddleware(NewsbotRedirects, RedirectMiddleware):
    """Scrapy's ``RedirectMiddleware`` (replaced in ``DOWNLOADER_MIDDLEWARES``), with
    :class:`NewsbotRedirects`."""


class ScriptRedirectMiddleware(NewsbotRedirects):
    """A 200 HTML page that is a redirect by script (see the module docstring) is followed to
    its target on the same site, like an HTTP redirect (``redirect_urls``, ``REDIRECT_MAX_TIMES``,
    :class:`NewsbotRedirects`), with the request's page kind taken from the target URL; counted
    as ``newsbot/redirect/script``. A target on another site is not followed: the page is
    dropped with a WARNING and counted as ``newsbot/rejected/redirected_away``. On with
    ``REDIRECT_ENABLED``; ``meta["dont_redirect"]`` turns it off for one request. It sits after
    the charset middleware in the response path (a decoded page) and after Scrapy's
    ``MetaRefreshMiddleware`` (a plain meta refresh stays Scrapy's)."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Request | Response:
        if (request.meta.get("dont_redirect") or request.meta.get("playwright") or request.method != "GET"
                or response.status != 200 or not isinstance(response, HtmlResponse)):
            return response
        found = script_redirect(response)
        if found is None or canonical_request_url(found.url) == canonical_request_url(response.url):
            return response
        site = site_for_url(request.url)
        if site is None or site_for_url(found.url) is not site:
            self.crawler.stats.inc_value("newsbot/rejected/redirected_away")
            logger.warning("No item from %s: it redirects by %s to %s, off the site: not followed",
                           request.url, found.how, found.url)
            raise IgnoreRequest(f"script redirect off the site: {found.url}")
        redirected = self._build_redirect_request(request, response, url=found.url)
        redirected.meta.pop(META_ARTICLE_ID, None)
        where = site.classify(found.url)
        if where is not None:
            redirected.meta.update(where.meta())
        result = self._redirect(redirected, request, "script")
        self.crawler.stats.inc_value("newsbot/redirect/script")
        logger.info("Following the redirect by %s of %s to %s", found.how, request.url, found.url)
        return result


def _is_article(url: str) -> bool:
    where = classify_url(url)
    return where is not None and where.kind == PageKind.ARTICLE
