"""Running as a Scrapyd job: the job's paths are checked before the crawl starts.

What Scrapyd 1.6 gives a job (read from its ``launcher.py``/``environ.py``/``runner.py``):
it runs ``python -m scrapyd.runner crawl SPIDER -s NAME=VALUE ... -a _job=JOBID -a
name=value ...`` in Scrapyd's own working directory, from the deployed egg (a zip file),
with ``SCRAPY_PROJECT`` (and ``SCRAPYD_EGG_VERSION`` when a version was scheduled) added
to Scrapyd's environment. With ``items_dir`` set it passes
``-s FEEDS={"file:///ITEMS_DIR/PROJECT/SPIDER/JOBID.jl": {"format": "jsonlines"}}``, with
``logs_dir`` ``-s LOG_FILE=...``; ``-d setting=NAME=VALUE`` of ``schedule.json`` become
``-s`` options and other parameters spider arguments. It sets no ``SCRAPY_JOB``,
``SCRAPY_FEED_URI`` or ``SCRAPY_LOG_FILE`` (older Scrapyd versions did).

So under Scrapyd newsbot's feed is Scrapyd's (the default feed of
:class:`newsbot.addon.NewsbotAddon` applies only when Scrapyd has no ``items_dir``), written
with the project's ``FEED_EXPORT_ENCODING`` (utf-8) and ``FEED_EXPORT_FIELDS``. A relative
path would land in whatever directory Scrapyd was started from, and the incremental state
with it, so :class:`ScrapydJobAddon` stops a job whose ``NEWSBOT_DATA_DIR`` (or another
path setting) is set to a relative path, with a message saying what to set. A job given no
``NEWSBOT_DATA_DIR`` runs: the default is the user's data directory, an absolute path.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

import newsbot
from newsbot.config import setting_or_default
from newsbot.errors import report_configuration_error

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

# Settings holding a local path that must not depend on Scrapyd's working directory
# (NEWSBOT_STATE only when it names an SQLite file: sqlite:///relative/path.db).
PATH_SETTINGS = ("NEWSBOT_DATA_DIR", "NEWSBOT_STATE", "NEWSBOT_STATS_FILE", "NEWSBOT_REJECTS_FEED", "JOBDIR")
_SQLITE = "sqlite:///"


class ScrapydSettingError(ValueError):
    """A setting is unusable under Scrapyd; the message says what to set instead."""


@dataclass(frozen=True)
class ScrapydJob:
    """The Scrapyd job this process runs: ``project``, ``job`` id, egg ``version`` (or None)."""

    project: str
    job: str
    version: str | None = None


def scrapyd_job(crawler: Crawler) -> ScrapydJob | None:
    """The Scrapyd job of ``crawler``, or None outside Scrapyd.

    A Scrapyd job is recognised by the ``_job`` spider argument Scrapyd always passes
    together with the ``SCRAPY_PROJECT`` environment variable it always sets.
    """
    job = getattr(getattr(crawler, "spider", None), "_job", None)
    project = os.environ.get("SCRAPY_PROJECT")
    if not job or not project:
        return None
    return ScrapydJob(project=project, job=str(job), version=os.environ.get("SCRAPYD_EGG_VERSION") or None)


def relative_paths(settings: BaseSettings) -> dict[str, str]:
    """``{setting: value}`` of the :data:`PATH_SETTINGS` set to a relative path.

    Unset, ``NEWSBOT_DATA_DIR`` is its default, the user's data directory (absolute).
    ``~`` is expanded first, so ``~/newsbot`` is absolute. ``NEWSBOT_STATE``
    counts when it is an SQLite URI with three slashes (``sqlite:///state.db``: relative).

    >>> from scrapy.settings import Settings
    >>> relative_paths(Settings({"NEWSBOT_DATA_DIR": "/var/lib/newsbot", "JOBDIR": "jobs/1"}))
    {'JOBDIR': 'jobs/1'}
    >>> relative_paths(Settings({"NEWSBOT_DATA_DIR": ""})), relative_paths(Settings({"NEWSBOT_DATA_DIR": "."}))
    ({}, {'NEWSBOT_DATA_DIR': '.'})
    >>> relative_paths(Settings({"NEWSBOT_DATA_DIR": "/srv/nb", "NEWSBOT_STATE": "sqlite:///state.db"}))
    {'NEWSBOT_STATE': 'sqlite:///state.db'}
    >>> relative_paths(Settings({"NEWSBOT_DATA_DIR": "/srv/nb", "NEWSBOT_STATE": "redis://r:6379/0"}))
    {}
    """
    found = {}
    for name in PATH_SETTINGS:
        raw = setting_or_default(settings, name) if name == "NEWSBOT_DATA_DIR" else settings.get(name)
        value = path = str(raw or "")
        if name == "NEWSBOT_STATE":
            path = value[len(_SQLITE):] if value.startswith(_SQLITE) else ""
            if path == ":memory:":
                path = ""
        if path and not Path(path).expanduser().is_absolute():
            found[name] = value
    return found


class ScrapydJobAddon:
    """Add-on (in ``ADDONS``) active only in a Scrapyd job; see the module docstring.

    Raises :class:`ScrapydSettingError` before the crawl starts when a path setting is
    relative; logs, when the spider opens, which job runs, from which egg, and where its
    items go.
    """

    def __init__(self, crawler: Crawler, job: ScrapydJob) -> None:
        self.crawler = crawler
        self.job = job

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScrapydJobAddon:
        job = scrapyd_job(crawler)
        if job is None:
            raise NotConfigured  # not a Scrapyd job: nothing to do, nothing to log
        addon = cls(crawler, job)
        crawler.signals.connect(addon.spider_opened, signal=signals.spider_opened)
        return addon

    def update_settings(self, settings: BaseSettings) -> None:
        relative = relative_paths(settings)
        if relative:
            names = ", ".join(f"{name}={value!r}" for name, value in relative.items())
            message = (
                f"Scrapyd job {self.job.job} of project {self.job.project!r}: {names} would be relative to"
                f" Scrapyd's working directory ({os.getcwd()}). Give absolute paths, e.g."
                " -d setting=NEWSBOT_DATA_DIR=/var/lib/newsbot, or leave NEWSBOT_DATA_DIR unset for the"
                " Scrapyd user's data directory (same for the other settings named)"
            )
            error = ScrapydSettingError(message)
            report_configuration_error("bad setting for a Scrapyd job", error)
            raise error

    def spider_opened(self, spider: Spider) -> None:
        settings = self.crawler.settings
        feeds = list(settings.getdict("FEEDS")) or ["none"]
        logger.info(
            "Scrapyd job %s (project %s, egg version %s), newsbot from %s: items go to %s, data in %s",
            self.job.job, self.job.project, self.job.version or "latest", Path(newsbot.__file__).parent,
            ", ".join(map(str, feeds)), settings.get("NEWSBOT_DATA_DIR"),
        )
