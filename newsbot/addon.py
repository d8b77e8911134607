"""The newsbot add-on: settings that depend on other settings, decided once per crawl.

Enabled in ``ADDONS`` of :mod:`newsbot.settings`. It runs after ``-s`` and ``-o/-O``
options are applied, so it can see what the user chose:

* no ``-o/-O`` and no ``FEEDS``: the default feed
  ``<NEWSBOT_DATA_DIR>/data/%(name)s/%(time)s.jsonl`` (a new file per run, utf-8);
* ``NEWSBOT_MIRROR`` is validated here, so a bad value stops the crawl before it starts;
* ``NEWSBOT_RENDER_ENABLED`` (default on): scrapy-playwright's handler and ``PLAYWRIGHT_*``
  settings (:func:`newsbot.render.configure`); bad ``NEWSBOT_RENDER_*``/``NEWSBOT_CHROMIUM``
  values stop the crawl with what to change;
* ``NEWSBOT_CLUSTER=redis://...``: scheduler, dupefilter and idle close of the cluster mode
  (:func:`newsbot.cluster.configure_cluster`).
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings

from newsbot.cluster import configure_cluster
from newsbot.config import validate_settings
from newsbot.errors import report_configuration_error
from newsbot.demo.mirror import DEMO, mirror_base
from newsbot.render import configure as configure_rendering
from newsbot.state import state_uri

FEED_TEMPLATE = "data/%(name)s/%(time)s.jsonl"


def data_dir(settings: BaseSettings) -> Path:
    """``NEWSBOT_DATA_DIR`` as an absolute path (default: the current directory)."""
    return Path(settings.get("NEWSBOT_DATA_DIR") or ".").expanduser().resolve()


class NewsbotAddon:
    """Default feed and early validation of newsbot settings (see module docstring)."""

    def update_settings(self, settings: BaseSettings) -> None:
        try:
            self._update_settings(settings)
        except ValueError as error:
            report_configuration_error("bad setting", error)
            raise

    def _update_settings(self, settings: BaseSettings) -> None:
        validate_settings(settings)  # every NEWSBOT_* value and output path: SettingError with a fix
        if settings.get("NEWSBOT_MIRROR") != DEMO:
            mirror_base(settings.get("NEWSBOT_MIRROR"))  # raises ValueError with a fix
        configure_cluster(settings)  # NEWSBOT_CLUSTER: scrapy-redis settings; ValueError with a fix
        configure_rendering(settings)  # raises RenderSettingError with a fix
        state_uri(settings)  # NEWSBOT_STATE: raises ValueError with the accepted forms
        if not settings.getdict("FEEDS"):
            # A plain path, not a file:// URI: Scrapy would not unquote a space ("%20") of the
            # directory. (A "%" of the directory needs nothing: Scrapy only fills %(...)s.)
            feed = f"{data_dir(settings)}/{FEED_TEMPLATE}"
            settings.set("FEEDS", {feed: {"format": "jsonlines", "encoding": "utf-8"}}, priority="addon")
