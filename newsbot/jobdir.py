"""``JOBDIR`` that survives a hard kill: the scheduler and dupefilter of a single-process crawl.

Scrapy's ``JOBDIR`` keeps two files that must agree: the set of request fingerprints seen
(``requests.seen``, appended as requests are scheduled) and the queue of requests not yet
downloaded (``requests.queue``, whose index is written only when the crawl closes cleanly).
After SIGKILL, a power cut or the OOM killer the seen set is on disk and the queue is not, so
every later run filters its start requests as seen, crawls nothing and ends ``finished``
(shared case NB-17, issue 9). newsbot does not repair that pair; it does not need it:

* :class:`RunDupeFilter` (``DUPEFILTER_CLASS``) remembers the requests of *this process*
  only: it never reads nor writes ``requests.seen``, so start pages, feeds and listings are
  fetched again by every run, whatever the previous one left;
* :class:`JobScheduler` (``SCHEDULER``) keeps the requests it holds on disk in
  ``JOBDIR/requests.queue`` as Scrapy's does (memory stays flat), but starts every run from an
  empty queue: what a previous run left there (all of it after Ctrl-C, an unreadable part
  after a kill) is deleted, with one INFO line;
* what is *done* lives where it is durable: an article that is in the feed is recorded in the
  state store (:mod:`newsbot.extensions.seen`, which commits after flushing the feed and, at
  start, records the lines of an appended feed that the killed run wrote but did not commit),
  and the incremental middleware skips it before it is scheduled.

So a resumed run is a new discovery from the start pages in which every article already in
the feed is skipped: the result does not depend on the moment of the kill. The cost is the
listings and feeds fetched again (a few percent of the pages of a site).

In cluster mode (``NEWSBOT_CLUSTER``) the add-on replaces both classes with the cluster's
(:mod:`newsbot.cluster`), whose queue and seen set live in Redis.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.core.scheduler import Scheduler

from newsbot.config import int_setting
from newsbot.dupefilter import SpillingDupeFilter

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class RunDupeFilter(SpillingDupeFilter):
    """Scrapy's fingerprint dupefilter (newsbot's canonical fingerprints,
    ``REQUEST_FINGERPRINTER_CLASS``), for this process only, with or without ``JOBDIR``; its
    memory is bounded (:class:`~newsbot.dupefilter.SpillingDupeFilter`,
    ``NEWSBOT_DUPEFILTER_MEMORY``). Stat: ``dupefilter/filtered``.

    >>> from scrapy import Request
    >>> seen = RunDupeFilter()
    >>> seen.request_seen(Request("https://www.maghress.com/fr/")), seen.request_seen(Request("https://www.maghress.com/fr/"))
    (False, True)
    >>> seen.file is None
    True
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunDupeFilter:
        # No path: requests.seen is neither read (a killed run's set runs ahead of its lost
        # queue) nor written.
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter,
                   memory=int_setting(crawler.settings, "NEWSBOT_DUPEFILTER_MEMORY"))


class JobScheduler(Scheduler):
    """Scrapy's scheduler (disk queues under ``JOBDIR``) that never resumes a queue left by
    an earlier process: with ``JOBDIR`` set, ``JOBDIR/requests.queue`` is emptied when the
    crawl opens (see the module docstring for why that makes resume safe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stale_queue = _clear_queue_dir(self.dqdir) if self.dqdir else False

    def open(self, spider: Spider) -> Deferred[None] | None:
        if self._stale_queue:
            logger.info(
                "JOBDIR: the request queue a previous run left in %s is not reused; discovery starts again"
                " from the start pages, and the articles already done are skipped (state store)",
                self.dqdir, extra={"spider": spider},
            )
        return super().open(spider)


def _clear_queue_dir(dqdir: str) -> bool:
    """Empty the disk queue directory ``dqdir``; True when it held anything."""
    path = Path(dqdir)
    stale = any(path.iterdir())
    if stale:
        shutil.rmtree(path)
        path.mkdir(parents=True)
    return stale


SCHEDULER = f"{__name__}.JobScheduler"
DUPEFILTER = f"{__name__}.RunDupeFilter"


def configure_jobdir(settings: Any) -> None:
    """Add-on step: ``SCHEDULER`` and ``DUPEFILTER_CLASS`` of a single-process crawl, at the
    ``addon`` priority (a ``-s`` value wins; the cluster step, which runs after, replaces them).

    >>> from scrapy.settings import Settings
    >>> settings = Settings({"SCHEDULER": "scrapy.core.scheduler.Scheduler"}, priority="default")
    >>> configure_jobdir(settings)
    >>> settings["SCHEDULER"], settings["DUPEFILTER_CLASS"]
    ('newsbot.jobdir.JobScheduler', 'newsbot.jobdir.RunDupeFilter')
    """
    settings.set("SCHEDULER", SCHEDULER, priority="addon")
    settings.set("DUPEFILTER_CLASS", DUPEFILTER, priority="addon")
