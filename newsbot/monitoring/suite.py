"""The monitor suite spidermon runs when a crawl closes (``SPIDERMON_SPIDER_CLOSE_MONITORS``)."""

from __future__ import annotations

from spidermon import MonitorSuite

from newsbot.monitoring.monitors import (
    DownloadsMonitor,
    ErrorRatesMonitor,
    FieldCoverageMonitor,
    FinishReasonMonitor,
    ItemsMonitor,
    ListingsMonitor,
    RejectedPagesMonitor,
    ValidationMonitor,
)
from newsbot.monitoring.report import VerdictAction


class CrawlMonitorSuite(MonitorSuite):
    """Every monitor of :mod:`newsbot.monitoring.monitors`, then the verdict (log line, stats,
    report: :class:`~newsbot.monitoring.report.VerdictAction`)."""

    monitors = [  # noqa: RUF012 - spidermon's declarative lists
        DownloadsMonitor,
        ItemsMonitor,
        FinishReasonMonitor,
        FieldCoverageMonitor,
        RejectedPagesMonitor,
        ListingsMonitor,
        ErrorRatesMonitor,
        ValidationMonitor,
    ]
    monitors_finished_actions = [VerdictAction]  # noqa: RUF012
