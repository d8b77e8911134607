"""The crawl's verdict: one log line, the stats the exit status is read from, and the JSON
report next to the feed.

After the monitors ran, :class:`VerdictAction` (a spidermon action of
:class:`~newsbot.monitoring.suite.CrawlMonitorSuite`):

* logs one line starting with :data:`~newsbot.monitoring.verdict.VERDICT_PREFIX`: INFO ``newsbot verdict: OK, 9 of 9
  monitors passed (report: PATH)``, or ERROR ``newsbot verdict: FAILED, 1 of 9 monitors
  failed (report: PATH): Field coverage: maghress fr: published in 0% of items (0 of 15),
  below 98%`` (Scrapyd keeps it in the job's log; ``scripts/schedule_if_idle.py --wait``
  reads it there);
* sets the stats :data:`~newsbot.monitoring.verdict.PASSED_STAT` and ``FAILED_STAT`` (``scrapy crawl`` exits 1 when
  a monitor failed: :mod:`newsbot.commands.crawl`);
* writes the report (:func:`build_report`): to ``NEWSBOT_REPORT_FILE`` when set, else
  ``<feed>.report.json`` beside the first local feed of ``FEEDS`` (``data/x.jsonl`` gives
  ``data/x.report.json``), else nowhere (said in the log).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from scrapy.extensions.feedexport import FeedExporter
from spidermon.core.actions import Action

from newsbot.config import list_setting
from newsbot.feedstorage import STORE_FAILED
from newsbot.monitoring.counters import edition_counts
from newsbot.monitoring.monitors import MISSING_PAGE_STATUSES, TEMPLATE_REJECTS
from newsbot.monitoring.verdict import FAILED_STAT, PASSED_STAT, VERDICT_PREFIX

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

REPORT_SUFFIX = ".report.json"
PASSING = ("OK", "SKIPPED")
"""Monitor statuses that do not fail the crawl."""


def feed_paths(crawler: Crawler) -> list[Path]:
    """The local files of this crawl's feeds (``FEEDS`` URIs with their placeholders filled,
    as the feed exporter opened them), in ``FEEDS`` order."""
    paths = []
    for extension in getattr(crawler.extensions, "middlewares", ()):
        if isinstance(extension, FeedExporter):
            for slot in extension.slots:
                scheme = urlsplit(slot.uri).scheme
                if scheme == "file":
                    paths.append(Path(url2pathname(urlsplit(slot.uri).path)))
                elif scheme == "" or (len(scheme) == 1 and os.name == "nt"):  # a plain path
                    paths.append(Path(slot.uri))
    return paths


def report_path(crawler: Crawler) -> Path | None:
    """Where the report goes: ``NEWSBOT_REPORT_FILE``, else beside the first local feed, else None.

    >>> Path("data/maghress/2026-11-29T08-05-01.jsonl").with_suffix(REPORT_SUFFIX)
    PosixPath('data/maghress/2026-11-29T08-05-01.report.json')
    """
    configured = crawler.settings.get("NEWSBOT_REPORT_FILE")
    if configured:
        return Path(configured).expanduser().absolute()
    feeds = [path for path in feed_paths(crawler) if not str(path.absolute()).startswith("/dev/")]
    return feeds[0].absolute().with_suffix(REPORT_SUFFIX) if feeds else None  # never beside a device


def build_report(
    stats: dict[str, Any], monitors: list[dict[str, Any]], feeds: list[Path], fields: list[str]
) -> dict[str, Any]:
    """The report: the verdict, every monitor's result, the crawl's counts and per site and
    edition what the monitors judged (``coverage`` of each of ``fields``)."""
    failed = [m for m in monitors if m["status"] not in PASSING]
    editions = {}
    for counts in edition_counts(stats):
        rejected = sum(n for reason, n in counts.rejected.items() if reason in TEMPLATE_REJECTS)
        editions[f"{counts.site}/{counts.edition}"] = {
            "items": counts.items,
            "coverage": {name: round(counts.covered.get(name, 0) / counts.items, 4) for name in fields} if counts.items else {},
            "article_pages_rejected": dict(sorted(counts.rejected.items())),
            "rejected_share": round(rejected / (counts.items + rejected), 4) if counts.items + rejected else 0.0,
            "listing_pages": counts.listings,
            "listing_pages_empty": counts.empty_listings,
            "listing_pages_untemplated": counts.untemplated_listings,
        }
    return {
        "verdict": "FAILED" if failed else "OK",
        "exit_status": 1 if failed else 0,
        "failed": [f"{m['monitor']}: {m['reason']}" for m in failed],
        "monitors": monitors,
        "finish_reason": stats.get("finish_reason"),
        "start_time": _iso(stats.get("start_time")),
        "finish_time": _iso(stats.get("finish_time")),
        "feeds": [str(path) for path in feeds],
        "counts": {
            "requests": stats.get("downloader/request_count", 0),
            "responses": stats.get("response_received_count", 0),
            "items_written": stats.get("item_scraped_count", 0),
            "items_dropped": stats.get("item_dropped_count", 0),
            "items_invalid": stats.get("spidermon/validation/items/errors", 0),
            "failed_downloads": stats.get("downloader/exception_count", 0),
            "http_errors": stats.get("httperror/response_ignored_count", 0),
            "http_not_found": sum(stats.get(f"httperror/response_ignored_status_count/{s}", 0) for s in MISSING_PAGE_STATUSES),
            "retries": stats.get("retry/count", 0),
            "skipped_as_done": stats.get("newsbot/incremental/skipped", 0),
        },
        "editions": editions,
    }


class VerdictAction(Action):
    """Logs the verdict, sets its stats and writes the report (see the module docstring)."""

    def run_action(self) -> None:
        crawler = self.data.crawler
        monitors = [_monitor_result(item) for item in self.result.monitor_results]
        failed = [m for m in monitors if m["status"] not in PASSING]
        crawler.stats.set_value(PASSED_STAT, len(monitors) - len(failed))
        crawler.stats.set_value(FAILED_STAT, len(failed))
        fields = list_setting(crawler.settings, "NEWSBOT_MONITOR_COVERAGE_FIELDS")
        report = build_report(dict(crawler.stats.get_stats()), monitors, feed_paths(crawler), fields)
        path = report_path(crawler)
        where = self._write(path, report) if path is not None else "none: no local feed, no NEWSBOT_REPORT_FILE"
        if failed:
            logger.error("%s FAILED, %d of %d monitors failed (report: %s): %s", VERDICT_PREFIX, len(failed),
                         len(monitors), where, " | ".join(report["failed"]))
        else:
            logger.info("%s OK, %d of %d monitors passed (report: %s)", VERDICT_PREFIX, len(monitors), len(monitors), where)

    @staticmethod
    def _write(path: Path, report: dict[str, Any]) -> str:
        """Write ``report`` to ``path`` whole (through a temporary file); the path, or why not."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".part")
            partial.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            partial.replace(path)
        except OSError as exc:
            return f"not written to {path}: {exc}"
        return str(path)


def _monitor_result(item: Any) -> dict[str, Any]:
    """One monitor method's result: ``monitor`` (its names), ``status`` (OK, FAIL, ERROR,
    SKIPPED) and the failure's ``reason`` (None when it passed)."""
    monitor = item.item
    reason = getattr(item, "reason", None)
    if item.status == "ERROR" and item.error:
        reason = item.error.strip().splitlines()[-1]  # the exception line of a monitor that crashed
    return {"monitor": f"{monitor.monitor_name}: {monitor.method_name}", "status": item.status, "reason": reason}


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def feed_not_stored(crawler: Crawler) -> None:
    """After the feed exporter closed: a feed that could not be stored (stat
    :data:`newsbot.feedstorage.STORE_FAILED`, set after the monitors ran) fails the verdict
    too, so the log's last verdict line, the report and the exit status agree."""
    failed_feeds = crawler.stats.get_value(STORE_FAILED, 0)
    if not failed_feeds:
        return
    crawler.stats.inc_value(FAILED_STAT)
    reason = f"Feed stored: {failed_feeds} feed(s) of this crawl could not be written (see the ERROR line above)"
    path = report_path(crawler)
    where = "none: no local feed, no NEWSBOT_REPORT_FILE"
    if path is not None and path.is_file():
        report = json.loads(path.read_text(encoding="utf-8"))
        report.update(verdict="FAILED", exit_status=1, failed=[*report.get("failed", []), reason])
        where = VerdictAction._write(path, report)
    logger.error("%s FAILED, the feed was not stored (report: %s): %s", VERDICT_PREFIX, where, reason)
