"""The newsbot add-on: settings that depend on other settings, decided once per crawl.

Enabled in ``ADDONS`` of :mod:`newsbot.settings`. It runs after ``-s`` and ``-o/-O``
options are applied, so it can see what the user chose. Its steps, in order:

* every ``NEWSBOT_*`` value, the http/https download handlers and the output paths checked
  (:func:`newsbot.config.validate_settings`);
* ``NEWSBOT_REPLAY`` set (``scrapy reextract``): every request answered from a WARC archive,
  starting from its article pages, with a state store in memory
  (:func:`newsbot.archive.replay.configure_replay`); before the steps that read what it sets;
* the scheduler and dupefilter of a single-process crawl, which make ``JOBDIR`` resume safe
  after a hard kill (:func:`newsbot.jobdir.configure_jobdir`);
* ``NEWSBOT_CLUSTER=redis://...``: scheduler, dupefilter, downloader and idle close of the
  cluster mode (:func:`newsbot.cluster.configure_cluster`);
* ``NEWSBOT_RENDER_ENABLED`` (default on): scrapy-playwright's handler for http/https and
  ``PLAYWRIGHT_*`` settings (:func:`newsbot.render.configure`);
* ``NEWSBOT_MIRROR`` set: the mirror handler around the http/https handlers, and a state
  file of the mirrored crawl's own (:func:`newsbot.demo.mirror.configure_mirror`); after
  rendering, whose handler it wraps;
* ``NEWSBOT_STATE`` checked (:func:`newsbot.state.state_uri`);
* no ``-o/-O`` and no ``FEEDS``: the default feed
  ``<NEWSBOT_DATA_DIR>/data/%(name)s/%(time)s.jsonl`` (a new file per run, utf-8).

A bad value raises ValueError naming the setting and what to write; it is logged as one
ERROR line and the crawl stops before any request.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings

from newsbot.archive.replay import configure_replay
from newsbot.cluster import configure_cluster
from newsbot.config import setting_or_default, validate_settings
from newsbot.demo.mirror import configure_mirror
from newsbot.errors import report_configuration_error
from newsbot.jobdir import configure_jobdir
from newsbot.render import configure as configure_rendering
from newsbot.state import state_uri

FEED_TEMPLATE = "data/%(name)s/%(time)s.jsonl"


def data_dir(settings: BaseSettings) -> Path:
    """``NEWSBOT_DATA_DIR`` as an absolute path (default: the user's data directory, see
    :mod:`newsbot.settings`; a relative value is taken from the current directory)."""
    return Path(setting_or_default(settings, "NEWSBOT_DATA_DIR")).expanduser().resolve()


class NewsbotAddon:
    """Checks newsbot's settings and derives the ones that depend on others (see the module docstring)."""

    def update_settings(self, settings: BaseSettings) -> None:
        try:
            self._update_settings(settings)
        except ValueError as error:
            report_configuration_error("bad setting", error)
            raise

    def _update_settings(self, settings: BaseSettings) -> None:
        validate_settings(settings)  # SettingError with a fix
        configure_replay(settings)  # NEWSBOT_REPLAY: handlers, state in memory, no robots/browser; SettingError with a fix
        configure_jobdir(settings)  # SCHEDULER, DUPEFILTER_CLASS (the cluster step replaces them)
        configure_cluster(settings)  # NEWSBOT_CLUSTER: scrapy-redis settings; ValueError with a fix
        configure_rendering(settings)  # DOWNLOAD_HANDLERS, PLAYWRIGHT_*; RenderSettingError with a fix
        configure_mirror(settings)  # only with NEWSBOT_MIRROR; ValueError with a fix
        state_uri(settings)  # NEWSBOT_STATE: raises ValueError with the accepted forms
        if not settings.getdict("FEEDS"):
            # A plain path, not a file:// URI: Scrapy would not unquote a space ("%20") of the
            # directory. (A "%" of the directory needs nothing: Scrapy only fills %(...)s.)
            feed = f"{data_dir(settings)}/{FEED_TEMPLATE}"
            settings.set("FEEDS", {feed: {"format": "jsonlines", "encoding": "utf-8"}}, priority="addon")
