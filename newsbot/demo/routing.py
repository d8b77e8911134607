"""Browser pages under ``NEWSBOT_MIRROR``: every request a page makes is served by the
mirror, with the original ``Host``, while the page keeps its real URL.

The browser cannot simply be pointed at the mirror: a page navigated to
``http://127.0.0.1:PORT/fr/atlasinfo`` builds its links from that address, and an
HTTP proxy only works for ``http://`` URLs (the mirror cannot answer ``CONNECT``).
Instead a Playwright route on the page fetches each request from the mirror and
fulfils it, for https as well as http; the browser sees ``https://www.maghress.com/...``.

scrapy-playwright routes every page itself (headers, ``PLAYWRIGHT_ABORT_REQUEST``)
and then sends the request to the network; the mirror route is registered after it,
from ``playwright_page_init_callback``, so it runs first (Playwright runs the last
registered route first). Requests the abort predicate rejects fall back to
scrapy-playwright's route, which aborts and counts them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from inspect import isawaitable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from scrapy.utils.misc import load_object

from newsbot.config import float_setting

if TYPE_CHECKING:
    from playwright.async_api import Page, Route
    from playwright.async_api import Request as PlaywrightRequest
    from scrapy import Request
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

INIT_CALLBACK = "playwright_page_init_callback"
AbortPredicate = Callable[["PlaywrightRequest"], "bool | Awaitable[bool]"]


def mirror_url(mirror: str, url: str) -> str:
    """Where ``url`` is fetched on ``mirror``: same path and query.

    >>> mirror_url("http://127.0.0.1:8000", "https://www.maghress.com/fr/atlasinfo?page=2")
    'http://127.0.0.1:8000/fr/atlasinfo?page=2'
    """
    parts = urlsplit(url)
    return f"{mirror}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


class MirrorRoute:
    """Serves a browser page's requests from ``mirror`` (``http://127.0.0.1:PORT``).

    ``abort``: the crawl's ``PLAYWRIGHT_ABORT_REQUEST`` predicate (requests it rejects
    are left to scrapy-playwright, which aborts them), or None; ``timeout``: seconds per
    fetch (``NEWSBOT_RENDER_TIMEOUT`` in a crawl: :meth:`from_settings`).
    Use :meth:`attach` on each browser request before it is downloaded.
    """

    def __init__(self, mirror: str, abort: AbortPredicate | None, timeout: float) -> None:
        self.mirror = mirror.rstrip("/")
        self.abort = abort
        self.timeout_ms = timeout * 1000

    @classmethod
    def from_settings(cls, mirror: str, settings: BaseSettings) -> MirrorRoute:
        abort = settings.get("PLAYWRIGHT_ABORT_REQUEST")
        timeout = float_setting(settings, "NEWSBOT_RENDER_TIMEOUT")
        return cls(mirror, load_object(abort) if abort else None, timeout)

    def attach(self, request: Request) -> None:
        """Set ``request``'s ``playwright_page_init_callback`` to route its page to the
        mirror (and run any init callback it already had). Idempotent: a retried copy of
        the request is not routed twice."""
        current = request.meta.get(INIT_CALLBACK)
        if isinstance(current, _PageInit) and current.route is self:
            return
        request.meta[INIT_CALLBACK] = _PageInit(self, current)

    async def serve(self, route: Route, request: PlaywrightRequest) -> None:
        """Playwright route handler: fetch ``request`` from the mirror and fulfil it."""
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            await route.fallback()
            return
        if self.abort is not None:
            verdict = self.abort(request)
            if isawaitable(verdict):
                verdict = await verdict
            if verdict:
                await route.fallback()  # scrapy-playwright's route aborts and counts it
                return
        headers = {**await request.all_headers(), "host": parts.netloc}
        try:
            response = await route.fetch(
                url=mirror_url(self.mirror, request.url),
                method=request.method,
                headers=headers,
                post_data=request.post_data_buffer,
                max_redirects=0,  # the browser follows redirects itself, to real URLs
                timeout=self.timeout_ms,
            )
            await route.fulfill(response=response)
        except PlaywrightError as exc:
            if _closed(exc):
                return  # the page was closed meanwhile (timeout, crawl ending)
            logger.warning("Browser request %s: the mirror %s did not answer: %s", request.url, self.mirror, exc)
            try:
                await route.abort("connectionfailed")
            except PlaywrightError:
                pass


@dataclass
class _PageInit:
    """``playwright_page_init_callback`` value: route the page to the mirror, then run
    ``then`` (a callback the request already had, object or import path)."""

    route: MirrorRoute
    then: Any = None

    async def __call__(self, page: Page, request: Request) -> None:
        # first, so that a failing ``then`` cannot leave the page on the real network
        await page.route("**/*", self.route.serve)
        if self.then:
            await load_object(self.then)(page, request)


def _closed(exc: PlaywrightError) -> bool:
    message = str(exc)
    return "has been closed" in message or "Target closed" in message
