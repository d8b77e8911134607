"""The names a crawl's verdict is told by, and the one rule both the monitors and ``scrapy crawl``
apply (light: imported by ``scrapy crawl`` itself).

See :mod:`newsbot.monitoring.report` for where they are written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

VERDICT_PREFIX = "newsbot verdict:"
"""Start of the one log line that gives the verdict (``scripts/schedule_if_idle.py`` reads it)."""
PASSED_STAT = "newsbot/monitors/passed"
FAILED_STAT = "newsbot/monitors/failed"
"""Stats: monitor checks passed and failed; ``scrapy crawl`` exits 1 when the second is not 0."""


def nothing_to_fetch(stat: Callable[[str], Any]) -> bool:
    """True when a crawl made no request because every article it was given was done in an
    earlier run (an ``ids`` backfill started again), or it is a cluster worker whose crawl
    fetched its pages (:func:`done_by_the_cluster`): no download is then no failure.
    ``stat``: a stat's value by name (0 or None when unset).

    >>> nothing_to_fetch({"newsbot/incremental/skipped": 12}.get), nothing_to_fetch({}.get)
    (True, False)
    """
    done_before = not stat("downloader/request_count") and bool(stat("newsbot/incremental/skipped"))
    return done_before or done_by_the_cluster(stat, "responses")


def done_by_the_cluster(stat: Callable[[str], Any], count: str) -> bool:
    """True when a cluster worker is to be judged on the whole crawl and the crawl did it:
    other workers still run (the last one out judges), or the crawl's ``count``
    (``responses`` or ``written``: stats ``newsbot/cluster/crawl_<count>``, set by the progress
    extension at the end) is above 0. Requests go to whichever worker takes them first, so one
    worker of a short crawl may get none. False outside cluster mode (no such stats).

    >>> done_by_the_cluster({"newsbot/cluster/crawl_written": 3}.get, "written"), done_by_the_cluster({}.get, "written")
    (True, False)
    """
    return bool(stat("newsbot/cluster/others_running") or stat(f"newsbot/cluster/crawl_{count}"))


def small_share_of_a_cluster(stat: Callable[[str], Any], min_requests: int) -> bool:
    """True for a cluster worker that sent fewer than ``min_requests`` requests while other
    workers took part (still running, or the crawl's responses, ``newsbot/cluster/crawl_responses``,
    are more than its own): too small a sample for rates, which the others' samples judge. A
    worker alone is judged like one crawl; False outside cluster mode.

    >>> share = {"downloader/request_count": 4, "downloader/response_count": 4, "newsbot/cluster/crawl_responses": 39}
    >>> small_share_of_a_cluster(share.get, 10), small_share_of_a_cluster({**share, "newsbot/cluster/crawl_responses": 4}.get, 10)
    (True, False)
    """
    if (stat("downloader/request_count") or 0) >= min_requests:
        return False
    crawl = stat("newsbot/cluster/crawl_responses") or 0
    return bool(stat("newsbot/cluster/others_running") or crawl > (stat("downloader/response_count") or 0))
