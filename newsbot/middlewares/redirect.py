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
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest

from newsbot.fingerprint import canonical_request_url
from newsbot.family.urls import META_KIND, PageKind
from newsbot.sites import classify_url

if TYPE_CHECKING:
    from scrapy import Request

logger = logging.getLogger(__name__)


class CanonicalRedirectMiddleware(RedirectMiddleware):
    """Scrapy's ``RedirectMiddleware`` (replaced in ``DOWNLOADER_MIDDLEWARES``), plus:

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


def _is_article(url: str) -> bool:
    where = classify_url(url)
    return where is not None and where.kind == PageKind.ARTICLE
