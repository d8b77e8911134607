"""The close-of-spider monitors (spidermon): each judges one side of a finished crawl from
its stats and fails with a message that names the site, the edition, what was measured and
the rate. Thresholds are the ``NEWSBOT_MONITOR_*`` settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spidermon import Monitor, monitors

from newsbot.config import float_setting, int_setting, list_setting
from newsbot.middlewares.offsite import SOURCE_RETRIES
from newsbot.monitoring.counters import EditionCounts, edition_counts
from newsbot.monitoring.verdict import done_by_the_cluster, nothing_to_fetch, small_share_of_a_cluster
from newsbot.pipelines.drops import DROP_STAT

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

TEMPLATE_REJECTS = ("missing_title", "not_article")
"""Reasons of rejected article pages that say the article template did not match
(``out_of_range`` is the user's ``since``/``until``, not the template)."""


def percent(share: float) -> str:
    """A share as a percentage, one decimal at most.

    >>> percent(0.98), percent(1 / 3), percent(0.0)
    ('98%', '33.3%', '0%')
    """
    return f"{round(share * 100, 1):g}%"


class NewsbotMonitor(Monitor):
    """A monitor reading the crawl's stats and settings (``self.stats``, ``self.settings``)."""

    longMessage = False  # the message alone, not "False is not true : message"

    @property
    def stats(self) -> Any:
        return self.data.stats

    @property
    def settings(self) -> BaseSettings:
        return self.data.crawler.settings

    def stat(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    def stats_under(self, prefix: str) -> dict[str, int]:
        """Stats whose key starts with ``prefix``, keyed by the rest."""
        return {key[len(prefix):]: value for key, value in self.stats.items() if key.startswith(prefix)}

    def editions(self) -> list[EditionCounts]:
        return edition_counts(self.stats)

    def fail_all(self, problems: list[str]) -> None:
        """Fail with every problem found, joined; pass when there is none."""
        if problems:
            self.fail("; ".join(problems))


@monitors.name("Pages downloaded")
class DownloadsMonitor(NewsbotMonitor):
    """At least one page answered: a crawl that reached nothing is not a quiet success (a
    cluster worker: the whole crawl, :func:`~newsbot.monitoring.verdict.done_by_the_cluster`)."""

    @monitors.name("some page was downloaded")
    def test_some_page_was_downloaded(self) -> None:
        if self.stat("response_received_count") or nothing_to_fetch(self.stat):
            return  # pages answered, or none to fetch (done in an earlier run, or by the other workers)
        kinds = sorted(self.stats_under("downloader/exception_type_count/"))
        self.fail(
            f"the crawl downloaded no page at all ({self.stat('downloader/exception_count')} failed downloads:"
            f" {', '.join(name.rsplit('.', 1)[-1] for name in kinds) or 'no request was made'}):"
            " check the network, the site, or NEWSBOT_MIRROR"
        )


DUPLICATE_REASONS = ("duplicate_url", "duplicate_of", "near_duplicate", "unchanged")
"""Drops of an item the store or the run already holds (``unchanged``: a re-visit found the
text written before): a run that met only those found nothing new."""


@monitors.name("Items written")
class ItemsMonitor(NewsbotMonitor):
    """Some item was written, unless a run found nothing new on listings that still had
    entries: every article it met was skipped as done in an earlier run (incremental runs), or
    made an item that was dropped as a duplicate (``-s NEWSBOT_INCREMENTAL_ENABLED=False``).

    A cluster worker is judged on the whole crawl (:func:`~newsbot.monitoring.verdict.done_by_the_cluster`)."""

    @monitors.name("some item was written, or nothing new since the last run")
    def test_some_item_was_written(self) -> None:
        if self.stat("item_scraped_count"):
            return
        if done_by_the_cluster(self.stat, "written"):
            return
        skipped = self.stat("newsbot/incremental/skipped")
        listings = sum(c.listings - c.empty_listings for c in self.editions())
        dropped = self.stats_under(DROP_STAT.format(reason=""))
        duplicates = sum(count for reason, count in dropped.items() if reason in DUPLICATE_REASONS)
        nothing_new = skipped or (duplicates and duplicates == sum(dropped.values()))
        read_no_listing = not any(c.listings for c in self.editions())  # an ids run reads none
        if nothing_new and (listings or read_no_listing):
            return  # nothing new since the last run, and the listings (if any) still list articles
        drops = ", ".join(f"{reason} {count}" for reason, count in sorted(dropped.items()))
        self.fail(
            f"no item written ({sum(dropped.values())} dropped{': ' + drops if drops else ''};"
            f" {skipped} article pages skipped as done in earlier runs; {listings} listing pages with entries)"
        )


@monitors.name("Finish reason")
class FinishReasonMonitor(NewsbotMonitor):
    """The crawl ended for a reason of ``NEWSBOT_MONITOR_FINISH_REASONS``."""

    @monitors.name("the crawl finished")
    def test_the_crawl_finished(self) -> None:
        allowed = list_setting(self.settings, "NEWSBOT_MONITOR_FINISH_REASONS")
        reason = self.stats.get("finish_reason")
        self.assertIn(reason, allowed, f"finish reason {reason!r}, not one of {', '.join(allowed)}")


@monitors.name("Field coverage")
class FieldCoverageMonitor(NewsbotMonitor):
    """Per site and edition, each field of ``NEWSBOT_MONITOR_COVERAGE_FIELDS`` is filled in at
    least ``NEWSBOT_MONITOR_MIN_COVERAGE`` of the items the spider made: a dateline span
    renamed on the site leaves ``outlet`` and ``published`` empty on the first run after. An
    edition with fewer than ``NEWSBOT_MONITOR_MIN_PAGES`` article pages fails only on a field
    found in none of its items."""

    @monitors.name("fields are filled")
    def test_fields_are_filled(self) -> None:
        minimum = float_setting(self.settings, "NEWSBOT_MONITOR_MIN_COVERAGE")
        enough = int_setting(self.settings, "NEWSBOT_MONITOR_MIN_PAGES")
        problems = []
        for counts in self.editions():
            for name in list_setting(self.settings, "NEWSBOT_MONITOR_COVERAGE_FIELDS"):
                share = counts.coverage(name)
                judged = share is not None and (counts.article_pages >= enough or share == 0)
                if judged and share < minimum:
                    problems.append(
                        f"{counts.name}: {name} in {percent(share)} of items ({counts.covered.get(name, 0)}"
                        f" of {counts.items}), below {percent(minimum)}"
                    )
        self.fail_all(problems)


@monitors.name("Article pages")
class RejectedPagesMonitor(NewsbotMonitor):
    """Per site and edition, at most ``NEWSBOT_MONITOR_MAX_REJECTED`` of the article pages read
    are rejected for not matching the article template (no title, not an article); an edition
    with fewer than ``NEWSBOT_MONITOR_MIN_PAGES`` article pages is not judged."""

    @monitors.name("article pages are read")
    def test_article_pages_are_read(self) -> None:
        maximum = float_setting(self.settings, "NEWSBOT_MONITOR_MAX_REJECTED")
        enough = int_setting(self.settings, "NEWSBOT_MONITOR_MIN_PAGES")
        problems = []
        for counts in self.editions():
            if counts.article_pages < enough:
                continue
            rejected = {reason: n for reason, n in counts.rejected.items() if reason in TEMPLATE_REJECTS}
            pages = counts.items + sum(rejected.values())
            share = sum(rejected.values()) / pages if pages else 0.0
            if share > maximum:
                reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(rejected.items()))
                problems.append(
                    f"{counts.name}: {sum(rejected.values())} of {pages} article pages rejected ({percent(share)}:"
                    f" {reasons}), above {percent(maximum)}"
                )
        self.fail_all(problems)


@monitors.name("Listing pages")
class ListingsMonitor(NewsbotMonitor):
    """Per site and edition, at most ``NEWSBOT_MONITOR_MAX_EMPTY_LISTINGS`` of the home and
    listing pages read have no entry at all."""

    @monitors.name("listings have entries")
    def test_listings_have_entries(self) -> None:
        maximum = float_setting(self.settings, "NEWSBOT_MONITOR_MAX_EMPTY_LISTINGS")
        problems = []
        for counts in self.editions():
            share = counts.empty_listings / counts.listings if counts.listings else 0.0
            if share > maximum:
                problems.append(
                    f"{counts.name}: {counts.empty_listings} of {counts.listings} listing pages have no entries"
                    f" ({percent(share)}), above {percent(maximum)}"
                )
        self.fail_all(problems)


MISSING_PAGE_STATUSES = ("404", "410")
"""HTTP errors that say a page is gone (a deleted article, an unknown outlet), not that the
site is failing: left out of the error rate."""


SOURCE_DOWNLOAD_FAILURES = ("unreachable", "too_large", "off_site", "robots")
"""``newsbot/source/<reason>`` of a teaser's source page whose download failed: an outlet's page,
the outlet's trouble, left out of the failed downloads (its teaser is kept)."""


@monitors.name("Errors and retries")
class ErrorRatesMonitor(NewsbotMonitor):
    """Failed downloads (but those of teasers' source pages, :data:`SOURCE_DOWNLOAD_FAILURES`), HTTP
    error answers (but :data:`MISSING_PAGE_STATUSES`) and pages that failed to read stay under
    ``NEWSBOT_MONITOR_MAX_ERROR_RATE`` of the requests; retries (but those of source pages,
    ``newsbot/source/retries``) under ``NEWSBOT_MONITOR_MAX_RETRY_RATE``. A cluster worker that
    sent fewer than ``NEWSBOT_MONITOR_MIN_PAGES`` requests while other workers took part is not
    judged: its share of a crawl is whatever it took (one joining a short crawl late may get 4
    requests, one of them a 503), and the other workers' samples judge the site."""

    def requests(self) -> int:
        return self.stat("downloader/request_count")

    def too_few_in_a_cluster(self) -> bool:
        return small_share_of_a_cluster(self.stat, int_setting(self.settings, "NEWSBOT_MONITOR_MIN_PAGES"))

    @monitors.name("error rate")
    def test_error_rate(self) -> None:
        if self.too_few_in_a_cluster():
            return
        maximum = float_setting(self.settings, "NEWSBOT_MONITOR_MAX_ERROR_RATE")
        parts = {
            "failed downloads": max(0, self.stat("downloader/exception_count") - sum(
                self.stat(f"newsbot/source/{reason}") for reason in SOURCE_DOWNLOAD_FAILURES)),
            "HTTP errors": self.stat("httperror/response_ignored_count") - sum(
                self.stat(f"httperror/response_ignored_status_count/{status}") for status in MISSING_PAGE_STATUSES),
            "unreadable pages": sum(self.stats_under("newsbot/malformed/").values()),
        }
        errors = sum(parts.values())
        share = errors / self.requests() if self.requests() else 0.0
        detail = ", ".join(f"{name} {n}" for name, n in parts.items() if n)
        self.assertLessEqual(share, maximum, f"{errors} errors in {self.requests()} requests ({percent(share)}:"
                                             f" {detail}), above {percent(maximum)}")

    @monitors.name("retry rate")
    def test_retry_rate(self) -> None:
        if self.too_few_in_a_cluster():
            return
        maximum = float_setting(self.settings, "NEWSBOT_MONITOR_MAX_RETRY_RATE")
        # a teaser's source page (and its host's robots.txt) retried: the outlet's trouble, not the site's
        retries = max(0, self.stat("retry/count") - self.stat(SOURCE_RETRIES))
        share = retries / self.requests() if self.requests() else 0.0
        self.assertLessEqual(share, maximum, f"{retries} retries in {self.requests()} requests ({percent(share)}),"
                                             f" above {percent(maximum)}")


@monitors.name("Item validation")
class ValidationMonitor(NewsbotMonitor):
    """Every item matched the record's JSON Schema (``newsbot/schemas/article.json``); the
    invalid ones were dropped, not written."""

    @monitors.name("items match the schema")
    def test_items_match_the_schema(self) -> None:
        invalid = self.stat("spidermon/validation/items/errors")
        if not invalid:
            return
        fields = self.stats_under("spidermon/validation/fields/errors/")
        detail = ", ".join(f"{key} {n}" for key, n in sorted(fields.items()) if "/" in key)
        self.fail(f"{invalid} of {self.stat('spidermon/validation/items')} items did not match the record's schema"
                  f" and were dropped ({detail})")
