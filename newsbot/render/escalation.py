"""Which requests a spider sends to the browser: render only where needed.

* page kinds a site profile lists in ``render_kinds`` are always rendered;
* a listing (home or outlet page) whose own entries are empty while it has scripts is
  fetched once more, rendered (stat ``newsbot/render/escalated``);
* everything else stays on the plain HTTP handler.

With ``NEWSBOT_RENDER_ENABLED=False`` nothing is rendered, and each listing that would
have been is logged as left unrendered (stat ``newsbot/render/unrendered``).

Browser pages are never handed to callbacks (``playwright_include_page`` False):
scrapy-playwright closes each page as soon as its HTML is read, and on every error
(navigation timeouts included), so no page outlives its request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy_playwright.page import PageMethod

from newsbot.family.selectors import TEASER
from newsbot.family.urls import META_ARTICLE_ID, META_KIND
from newsbot.render.config import RenderConfig

if TYPE_CHECKING:
    from playwright.async_api import Page
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from newsbot.pages.listing import ListingFields
    from newsbot.family.urls import PageKind
    from newsbot.sites.base import SiteProfile

logger = logging.getLogger(__name__)
Errback = Callable[["Failure"], Any]

CONTEXT = "newsbot"  # one named browser context for the whole crawl
ENTRY_SELECTOR = TEASER  # the listing entries newsbot.pages.listing reads


async def wait_for_entries(page: Page, selector: str, timeout: float) -> bool:
    """Page method: wait up to ``timeout`` ms (``NEWSBOT_RENDER_WAIT``) for ``selector``
    (entries added by scripts after load). Returns whether it appeared; never raises on
    timeout, so a page that stays empty is still read and reported empty."""
    # Most listings write their entries while the page loads: a plain check is much
    # cheaper than wait_for_selector, which first injects Playwright's selector engine.
    if await page.evaluate("s => document.querySelector(s) !== null", selector):
        return True
    try:
        await page.wait_for_selector(selector, state="attached", timeout=timeout)
    except PlaywrightTimeoutError:
        return False
    return True


class Renderer:
    """The rendering decisions of one spider of ``site``.

    Reads ``NEWSBOT_RENDER_ENABLED``, ``NEWSBOT_RENDER_WAIT`` (see
    :class:`~newsbot.render.config.RenderConfig`). Stats: ``newsbot/render/escalated``,
    ``newsbot/render/unrendered``, ``newsbot/render/by_kind`` (requests rendered because
    of ``render_kinds``), ``newsbot/render/empty`` (rendered listing still without
    entries), ``newsbot/render/failed`` (rendering errors).
    """

    def __init__(self, crawler: Crawler, site: SiteProfile) -> None:
        self.config = RenderConfig.from_settings(crawler.settings)
        self.stats = crawler.stats
        self.site = site
        if site.render_kinds and not self.config.enabled:
            kinds = ", ".join(sorted(k.value for k in site.render_kinds))
            logger.warning(
                "%s pages of %s need a browser but NEWSBOT_RENDER_ENABLED=False: fetched without"
                " JavaScript, their content may be missing", kinds, site.name,
            )

    @property
    def enabled(self) -> bool:
        return self.config.enabled

    def meta(self) -> dict[str, Any]:
        """Request meta that makes scrapy-playwright render a page."""
        return {
            "playwright": True,
            "playwright_include_page": False,
            "playwright_context": CONTEXT,
            # service workers would bypass request routing (aborts, the mirror)
            "playwright_context_kwargs": {"service_workers": "block"},
            "playwright_page_goto_kwargs": {"wait_until": "load"},
            "playwright_page_methods": (
                [PageMethod(wait_for_entries, ENTRY_SELECTOR, self.config.wait * 1000)] if self.config.wait else []
            ),
        }

    def for_kind(self, request: Request, kind: PageKind, errback: Errback) -> Request:
        """``request`` rendered when the site lists ``kind`` in ``render_kinds``.

        ``errback`` (a spider method, so the request stays serialisable for disk and
        Redis queues) is set unless the request has one; it should call :meth:`failed`.
        """
        if not self.enabled or kind not in self.site.render_kinds or request.meta.get("playwright"):
            return request
        self.stats.inc_value("newsbot/render/by_kind")
        return request.replace(meta={**request.meta, **self.meta()}, errback=request.errback or errback)

    def escalate(self, response: Response, page: ListingFields, errback: Errback) -> Request | None:
        """The rendered re-fetch of a listing that has no entries but has scripts, or None.

        Logs (and counts) a rendered listing that is still empty, and, with rendering
        off, a listing left unrendered. ``errback`` as in :meth:`for_kind`.
        """
        if page.entries or not page.has_scripts:
            return None
        if response.meta.get("playwright"):
            self.stats.inc_value("newsbot/render/empty")
            logger.warning("Rendered listing %s still has no entries", response.url)
            return None
        if not self.enabled:
            self.stats.inc_value("newsbot/render/unrendered")
            logger.warning(
                "Listing %s has no entries without JavaScript and NEWSBOT_RENDER_ENABLED=False:"
                " left unrendered, the articles it lists are missing", response.url,
            )
            return None
        self.stats.inc_value("newsbot/render/escalated")
        logger.info("Listing %s has no entries but has scripts: fetching it again, rendered", response.url)
        meta = {k: response.meta[k] for k in (META_KIND, META_ARTICLE_ID) if k in response.meta}
        return response.request.replace(
            url=response.url, meta={**meta, **self.meta()}, dont_filter=True, errback=errback
        )

    def failed(self, failure: Failure) -> None:
        """Errback of rendered requests: log the URL and the reason, count, go on."""
        request = failure.request
        self.stats.inc_value("newsbot/render/failed")
        message = failure.getErrorMessage()
        hint = ""
        if "executable" in message.lower():  # Playwright: "Executable doesn't exist at ..."
            hint = (" (no browser: set NEWSBOT_CHROMIUM=/usr/bin/chromium or run `playwright install chromium`,"
                    " or turn rendering off with -s NEWSBOT_RENDER_ENABLED=False)")
        reason = message.splitlines()[0] if message else failure.type.__name__
        logger.error("Could not render %s: %s%s", request.url, reason, hint)
