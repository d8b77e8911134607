"""scrapy-playwright's download handler, started on the first browser request.

``ScrapyPlaywrightDownloadHandler`` starts the Playwright driver (a Node.js process of
about 115 MB) when the engine starts, once per scheme it is set for (http and https:
two drivers), even in crawls that never render a page. newsbot renders only the
pages that need it, so this subclass starts the driver on the first request with
``meta["playwright"]``: a crawl without JavaScript pages starts no driver and no
browser, a crawl with some starts one (https pages only).

:func:`browser_handlers` finds a crawl's handlers wherever they sit (another handler, such
as the mirror of :mod:`newsbot.demo.mirror`, may wrap them), for the memory extension.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


_HANDLERS: weakref.WeakKeyDictionary[Crawler, weakref.WeakSet[ScrapyPlaywrightDownloadHandler]] = (
    weakref.WeakKeyDictionary()
)


def browser_handlers(crawler: Crawler) -> list[ScrapyPlaywrightDownloadHandler]:
    """The :class:`LazyPlaywrightDownloadHandler` instances of ``crawler`` (one per scheme)."""
    return list(_HANDLERS.get(crawler, ()))


class LazyPlaywrightDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """``DOWNLOAD_HANDLERS`` of http and https when rendering is on (set by the add-on).

    Same settings and behaviour as scrapy-playwright's handler (requests without
    ``meta["playwright"]`` go through Scrapy's HTTP/1.1 handler), except that the
    Playwright driver starts with the first browser request instead of with the engine.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        _HANDLERS.setdefault(crawler, weakref.WeakSet()).add(self)
        # 0.0.48 connects one of these to engine_started (which one depends on the Scrapy version).
        for name in ("_maybe_launch_in_thread", "_engine_started"):
            receiver = getattr(self, name, None)
            if receiver is not None:
                crawler.signals.disconnect(receiver, signal=signals.engine_started)
        self._started = False
        self._start_lock = asyncio.Lock()

    async def download_request(self, request: Request) -> Response:
        if request.meta.get("playwright") and not self._started:
            async with self._start_lock:
                if not self._started:
                    await self._maybe_future_from_coro(self._launch())
                    self._started = True
        return await super().download_request(request)
