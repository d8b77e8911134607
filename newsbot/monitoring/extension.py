"""spidermon's extension, logging through the spider's logger.

spidermon 1.27 writes its monitor results with ``Spider.log()``, which Scrapy 2.19
deprecates (a ``ScrapyDeprecationWarning`` in every crawl's log); this subclass runs the
same suites with a result that logs through ``spider.logger``, the lines unchanged
(``[Spidermon] Field coverage/fields are filled... FAIL``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.runners import LOG_MESSAGE_HEADER, SpiderMonitorResult, SpiderMonitorRunner

if TYPE_CHECKING:
    from scrapy import Spider
    from spidermon import MonitorSuite


class _LoggerResult(SpiderMonitorResult):
    def log(self, msg: Any, level: int = logging.DEBUG) -> None:
        self.spider.logger.log(level, f"[{LOG_MESSAGE_HEADER}] {msg}")


class _LoggerRunner(SpiderMonitorRunner):
    def create_result(self) -> SpiderMonitorResult:
        return _LoggerResult(self.spider)


class MonitorsExtension(Spidermon):
    """spidermon's ``Spidermon`` extension (``SPIDERMON_*`` settings) with results logged
    through the spider's logger."""

    def _run_suites(self, spider: Spider, suites: list[MonitorSuite]) -> None:
        data = self._generate_data_for_spider(spider)
        for suite in suites:
            _LoggerRunner(spider=spider).run(suite, **data)
