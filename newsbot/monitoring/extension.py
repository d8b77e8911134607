"""spidermon's extension, logging through the spider's logger, one line per failure.

spidermon 1.27 writes its monitor results with ``Spider.log()``, which Scrapy 2.19
deprecates (a ``ScrapyDeprecationWarning`` in every crawl's log), and logs a failed
monitor with the traceback of its assertion. This subclass runs the same suites with a
result that logs through ``spider.logger`` (``[Spidermon] Field coverage/fields are
filled... FAIL``) and gives a failure as one ERROR line with its message
(``[Spidermon] FAIL: Field coverage/fields are filled: maghress fr: published in 0% ...``);
a monitor that crashed (ERROR) keeps its traceback.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from spidermon import settings
from spidermon.contrib.scrapy.extensions import Spidermon
from spidermon.contrib.scrapy.runners import LOG_MESSAGE_HEADER, SpiderMonitorResult, SpiderMonitorRunner

from newsbot.monitoring import NOT_STARTED_STAT
from newsbot.monitoring.report import feed_not_stored

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from spidermon import MonitorSuite


class _LoggerResult(SpiderMonitorResult):
    def log(self, msg: Any, level: int = logging.DEBUG) -> None:
        self.spider.logger.log(level, f"[{LOG_MESSAGE_HEADER}] {msg}")

    def write_errors(self) -> None:
        for status in self.step.error_statuses:
            for item in self.step.items_for_status(status):
                reason = getattr(item, "reason", None)
                text = reason if status == settings.MONITOR.STATUS.FAILURE and reason else item.error
                self.log_error(f"{status}: {item.item.name}: {text}")


class _LoggerRunner(SpiderMonitorRunner):
    def create_result(self) -> SpiderMonitorResult:
        return _LoggerResult(self.spider)


class MonitorsExtension(Spidermon):
    """spidermon's ``Spidermon`` extension (``SPIDERMON_*`` settings) with results logged
    through the spider's logger."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MonitorsExtension:
        extension = super().from_crawler(crawler)
        crawler.signals.connect(lambda: feed_not_stored(crawler), signal=signals.feed_exporter_closed, weak=False)
        return extension

    def _run_suites(self, spider: Spider, suites: list[MonitorSuite]) -> None:
        reason = self.crawler.stats.get_value(NOT_STARTED_STAT)
        if reason:  # it fetched nothing on purpose: "no page downloaded" would only mislead
            spider.logger.info("Monitors not run: the crawl did not start (%s, see the error above)", reason)
            return
        data = self._generate_data_for_spider(spider)
        for suite in suites:
            _LoggerRunner(spider=spider).run(suite, **data)
