"""scrapy-playwright's memory-usage extension, taught to find the browser wherever its
download handler sits.

``ScrapyPlaywrightMemoryUsageExtension`` adds the Playwright driver's and the browser's
processes to ``memusage/*`` (so ``MEMUSAGE_LIMIT_MB`` covers the browser too), but in
0.0.48 it only looks at the download handlers Scrapy holds directly (a handler wrapped by
another, as under ``NEWSBOT_MIRROR``, is missed), and it finds the driver process through an
attribute Playwright 1.65 renamed. Needs psutil.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.memusage import ScrapyPlaywrightMemoryUsageExtension

from newsbot.render.handler import browser_handlers

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class RenderMemoryUsage(ScrapyPlaywrightMemoryUsageExtension):
    """``EXTENSIONS`` entry replacing Scrapy's ``MemoryUsage`` when rendering is on.

    Settings: Scrapy's ``MEMUSAGE_*``. Stats: ``memusage/*`` (crawler + browser) and
    ``newsbot/render/browser_memory/max``: the largest RSS, in bytes, seen for the
    Playwright driver and browser processes together (every
    ``MEMUSAGE_CHECK_INTERVAL_SECONDS``, and once more when the spider closes, while the
    browser still runs: short crawls end before the first interval).
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        crawler.signals.connect(self.update, signal=signals.spider_closed)

    def _get_main_process_ids(self) -> list[int]:
        # newsbot's own handlers register themselves (wrapped or not); a scrapy-playwright
        # handler chosen in DOWNLOAD_HANDLERS is among Scrapy's handlers.
        direct = self.crawler.engine.downloader.handlers._handlers.values()
        handlers = {*browser_handlers(self.crawler), *(h for h in direct if isinstance(h, ScrapyPlaywrightDownloadHandler))}
        process_ids = []
        for handler in handlers:
            provider = getattr(handler, "browser_provider", None)
            manager = getattr(provider, "playwright_context_manager", None)
            # The parent class reads ``manager._connection``, which Playwright 1.65 no
            # longer has (it always found no process): read ``manager._client`` too.
            for holder in ("_client", "_connection"):
                try:
                    process_ids.append(getattr(manager, holder)._transport._proc.pid)
                    break
                except AttributeError:
                    continue
        return process_ids

    def _get_total_playwright_process_memory(self) -> int:
        """Memory of the driver and browser processes, in bytes: the sum of their PSS
        (proportional set size) where the system gives it, else of their RSS. Chromium's
        processes share most of their pages, so a sum of RSS counts them several times."""
        processes = []
        for pid in self._get_main_process_ids():
            try:
                main = self.psutil.Process(pid)
                processes += [main, *main.children(recursive=True)]
            except self.psutil.Error:
                continue
        total = 0
        for process in processes:
            try:
                info = process.memory_full_info()
                total += getattr(info, "pss", info.rss)
            except self.psutil.AccessDenied:
                total += process.memory_info().rss
            except self.psutil.Error:
                continue  # exited meanwhile
        return total

    def update(self) -> None:
        super().update()
        self._stats.max_value("newsbot/render/browser_memory/max", self._get_total_playwright_process_memory())
