"""``PLAYWRIGHT_ABORT_REQUEST``: which browser requests are not worth making.

Extraction reads the rendered HTML only, so a page needs its document, its scripts and
the data they fetch; images, fonts, media, stylesheets and the rest are aborted, and so
is anything from a host outside the crawl (ads, analytics, CDNs): the browser stays
offline except for the crawled site (or its mirror). scrapy-playwright counts aborted
requests in ``playwright/request_count/aborted``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError

from newsbot.sites import site_for_url

if TYPE_CHECKING:
    from playwright.async_api import Request as PlaywrightRequest

# Playwright resource types that can carry a page's entries: the page, its scripts
# and what they fetch. Everything else (image, font, media, stylesheet, texttrack,
# manifest, eventsource, websocket, other) is aborted.
KEPT_RESOURCE_TYPES = frozenset({"document", "script", "xhr", "fetch"})


def same_crawl(url: str, page_url: str) -> bool:
    """True when ``url`` is on the host of ``page_url`` or on another host of its site.

    >>> same_crawl("https://maghress.com/js/app.js", "https://www.maghress.com/fr/atlasinfo")
    True
    >>> same_crawl("https://www.google-analytics.com/ga.js", "https://www.maghress.com/fr/")
    False
    """
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return False
    if host == (urlsplit(page_url).hostname or "").lower():
        return True
    site = site_for_url(page_url)
    return site is not None and site.owns(url)


def is_needed(resource_type: str, url: str, page_url: str, main_navigation: bool) -> bool:
    """Whether a browser request is needed to read the page ``page_url``.

    The page's own navigation (``main_navigation``, redirects included) always is;
    other requests only for a kept resource type on a host of the crawl.

    >>> is_needed("script", "https://www.maghress.com/js/a.js", "https://www.maghress.com/fr/x", False)
    True
    >>> is_needed("image", "https://www.maghress.com/logo.png", "https://www.maghress.com/fr/x", False)
    False
    >>> is_needed("document", "https://www.maghress.com/fr/x", "about:blank", True)
    True
    """
    if main_navigation:
        return True
    return resource_type in KEPT_RESOURCE_TYPES and same_crawl(url, page_url)


def should_abort(request: PlaywrightRequest) -> bool:
    """The ``PLAYWRIGHT_ABORT_REQUEST`` predicate: True to abort ``request``."""
    try:
        frame = request.frame
        main_navigation = request.is_navigation_request() and frame.parent_frame is None
        page_url = frame.page.main_frame.url
    except PlaywrightError:  # a service worker's request has no frame: not the page's
        return True
    return not is_needed(request.resource_type, request.url, page_url, main_navigation)
