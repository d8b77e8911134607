"""``scrapy crawl``, with an exit status that says whether the crawl was good.

Scrapy's own command exits 0 whenever the crawl could start, even when every download
failed. This one exits:

* 0: the crawl ran and every monitor passed (:mod:`newsbot.monitoring`);
* 1: a monitor failed, or the crawl downloaded no page at all (checked even with
  ``SPIDERMON_ENABLED=False``), or a feed could not be stored (stat
  ``newsbot/feed/store_failed``, :mod:`newsbot.feedstorage`), or the crawl could not start (a
  bad setting or argument, a busy state store: Scrapy's own rule);
* 2: a usage error (Scrapy's own rule).
"""

from __future__ import annotations

import difflib
import logging
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newsbot.config import SettingError, check_scrapy_values
from newsbot.errors import report_configuration_error
from newsbot.feedstorage import STORE_FAILED
from newsbot.monitoring.verdict import FAILED_STAT, nothing_to_fetch

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

FAILED_CRAWL = 1


def crawl_failed(crawler: Crawler) -> bool:
    """True when a finished crawl must exit non-zero: a monitor failed, a feed was lost or no
    page answered."""
    try:
        stats = crawler.stats
    except RuntimeError:  # "Crawler.stats is not set yet": the crawl did not start
        return True
    if stats is None:
        return True
    failed = stats.get_value(FAILED_STAT, 0) or stats.get_value(STORE_FAILED, 0)
    nothing_downloaded = not stats.get_value("response_received_count", 0) and not nothing_to_fetch(stats.get_value)
    return bool(failed) or nothing_downloaded


class Command(ScrapyCrawlCommand):
    """Scrapy's ``crawl`` command, exiting 1 when the crawl failed its monitors (module docstring)."""

    def long_desc(self) -> str:
        return (
            "Run a spider of the project. Exit status: 0 when every monitor passed, 1 when a monitor"
            " failed (see the 'newsbot verdict:' log line and <feed>.report.json) or no page could be"
            " downloaded or the crawl could not start, 2 on a usage error."
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Scrapy's options, then Scrapy's own settings checked (:func:`check_scrapy_values`)
        before Scrapy builds its crawler process: a bad ``LOG_LEVEL`` would break its logging set-up
        in a traceback. A bad value: one ERROR line, exit status 1, as for newsbot's settings."""
        super().process_options(args, opts)
        try:
            check_scrapy_values(self.settings)
        except SettingError as error:
            logging.basicConfig(format=self.settings.get("LOG_FORMAT"), datefmt=self.settings.get("LOG_DATEFORMAT"))
            report_configuration_error("bad setting", error)
            raise SystemExit(FAILED_CRAWL) from None

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.crawler_process
        names = self.crawler_process.spider_loader.list()
        if args[0] not in names:
            close = difflib.get_close_matches(args[0], names, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            raise UsageError(f"no spider named {args[0]!r}: {hint}the spiders are {', '.join(sorted(names))} (scrapy list)",
                             print_help=False)
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawl_failed(crawler):
            self.exitcode = FAILED_CRAWL
