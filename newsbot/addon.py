"""The newsbot add-on: settings that depend on other settings, decided once per crawl.

Enabled in ``ADDONS`` of :mod:`newsbot.settings`. It runs after ``-s`` and ``-o/-O``
options are applied, so it can see what the user chose:

* no ``-o/-O`` and no ``FEEDS``: the default feed
  ``<NEWSBOT_DATA_DIR>/data/%(name)s/%(time)s.jsonl`` (a new file per run, utf-8);
* ``NEWSBOT_MIRROR`` is validated here, so a bad value stops the crawl before it starts.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings

from newsbot.mirror import DEMO, mirror_base

FEED_TEMPLATE = "data/%(name)s/%(time)s.jsonl"


def data_dir(settings: BaseSettings) -> Path:
    """``NEWSBOT_DATA_DIR`` as an absolute path (default: the current directory)."""
    return Path(settings.get("NEWSBOT_DATA_DIR") or ".").expanduser().resolve()


class NewsbotAddon:
    """Default feed and early validation of newsbot settings (see module docstring)."""

    def update_settings(self, settings: BaseSettings) -> None:
        if settings.get("NEWSBOT_MIRROR") != DEMO:
            mirror_base(settings.get("NEWSBOT_MIRROR"))  # raises ValueError with a fix
        if not settings.getdict("FEEDS"):
            feed = (data_dir(settings) / FEED_TEMPLATE).as_uri().replace("%25", "%")
            settings.set("FEEDS", {feed: {"format": "jsonlines", "encoding": "utf-8"}}, priority="addon")
