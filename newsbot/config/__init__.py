"""newsbot's own settings read one way, and every one checked before a crawl starts.

Components read ``NEWSBOT_*`` settings through the typed getters here
(:func:`bool_setting`, :func:`int_setting`, :func:`float_setting`,
:func:`encodings_setting`, :func:`list_setting`, :func:`redis_url`, :func:`setting_or_default`), so a value is
parsed and judged the same wherever it is used. Bounds live in :data:`BOOLEANS` and
:data:`NUMBERS`; defaults only in :mod:`newsbot.settings`, which a getter reads when the
``Settings`` it is given lack the name. This package imports nothing else of newsbot.

:func:`validate_settings`, called by the newsbot add-on after ``-s`` options are applied,
checks every value this package can judge alone: a bad value raises :class:`SettingError`
(a ValueError) whose message names the setting, the bad value and a good example, and the
add-on turns it into one ERROR line and exit code 1 before any request is made
(:func:`newsbot.errors.report_configuration_error`). The add-on steps of the optional parts
check their own settings the same way (``NEWSBOT_CLUSTER*``: :mod:`newsbot.cluster.config`;
``NEWSBOT_STATE``: :func:`newsbot.state.state_uri`; ``NEWSBOT_MIRROR``:
:mod:`newsbot.demo.mirror`; ``NEWSBOT_CHROMIUM``: :mod:`newsbot.render.config`).

Also checked up front: output paths (``NEWSBOT_STATS_FILE``, ``NEWSBOT_REJECTS_FEED``, ``NEWSBOT_REPORT_FILE``,
the ``NEWSBOT_ARCHIVE`` directory,
local ``FEEDS`` files, ``NEWSBOT_DATA_DIR`` when it holds the default feed) must be
writable, the directories being created as the crawl would create them; the http and https
``DOWNLOAD_HANDLERS`` must be importable; a ``NEWSBOT_*`` name that no component knows (a
typo) is refused with the closest known name; a value of one of Scrapy's own settings that is
not of its default's type (a number, True or False, a log level) is refused
(:mod:`newsbot.config.scrapy_values`; ``scrapy crawl`` checks it before Scrapy configures its
logging, which a bad ``LOG_LEVEL`` would break).
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from newsbot.config.errors import SettingError
from newsbot.config.paths import archive_directory, check_data_dir, check_feeds, output_path_setting, unwritable
from newsbot.config.redisurl import masked_url, redis_url
from newsbot.config.scrapy_values import check_scrapy_values
from newsbot.config.secrets import mask_secrets
from newsbot.config.values import (
    BOOLEANS,
    LISTS,
    NAMES,
    NUMBERS,
    Number,
    bool_setting,
    class_setting,
    default,
    encodings_setting,
    float_setting,
    handler_setting,
    int_setting,
    list_setting,
    name_setting,
    setting_or_default,
)

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

__all__ = [
    "BOOLEANS", "NUMBERS", "Number", "SettingError", "archive_directory", "bool_setting", "check_names",
    "check_scrapy_values", "class_setting", "default",
    "encodings_setting", "float_setting", "handler_setting", "int_setting", "known_settings", "list_setting",
    "mask_secrets", "masked_url",
    "name_setting", "output_path_setting", "redis_url", "setting_or_default", "unwritable", "validate_settings",
]

HTTP11_HANDLER = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"  # examples in messages


def known_settings() -> set[str]:
    """Every ``NEWSBOT_*`` setting a component reads: the names declared in :mod:`newsbot.settings`."""
    import newsbot.settings as defaults

    return {name for name in dir(defaults) if name.startswith("NEWSBOT_")}


def check_names(settings: BaseSettings) -> None:
    """Refuse a ``NEWSBOT_*`` setting no component reads (a typo would be ignored silently).
    The value is echoed with any password masked (:func:`mask_secrets`).

    >>> from scrapy.settings import Settings
    >>> check_names(Settings({"NEWSBOT_DEDUP_ENABLED": "False"}))
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_DEDUP_ENABLED='False' is not a newsbot setting: did you mean NEWSBOT_DEDUPE_ENABLED? e.g. -s NEWSBOT_DEDUPE_ENABLED=False
    >>> check_names(Settings({"NEWSBOT_CLUSTR": "redis://:pw@10.0.0.5:6379/0"}))
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_CLUSTR='redis://:***@10.0.0.5:6379/0' is not a newsbot setting: did you mean NEWSBOT_CLUSTER? e.g. -s NEWSBOT_CLUSTER=redis://:***@10.0.0.5:6379/0
    """
    known = known_settings()
    for name, value in settings.items():
        if name.startswith("NEWSBOT_") and name not in known:
            shown = mask_secrets(str(value))
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}? e.g. -s {close[0]}={shown}" if close else "the README lists the settings"
            raise SettingError(f"{name}={shown!r} is not a newsbot setting: {hint}")


def validate_settings(settings: BaseSettings) -> None:
    """Check every ``NEWSBOT_*`` value this package can judge alone, the http/https download
    handlers and the crawl's output paths; raise :class:`SettingError` on the first bad one.
    Called by the newsbot add-on, before its steps check their own settings (see the module
    docstring)."""
    check_names(settings)
    check_scrapy_values(settings)
    for name in sorted(BOOLEANS):
        bool_setting(settings, name)
    for name, spec in NUMBERS.items():
        (int_setting if spec.integer else float_setting)(settings, name)
    encodings_setting(settings)
    for name in NAMES:
        name_setting(settings, name)
    for name in LISTS:
        list_setting(settings, name)
    for scheme in ("http", "https"):
        handler_setting(settings, scheme)
        class_setting(settings, f"NEWSBOT_MIRROR_{scheme.upper()}_HANDLER", HTTP11_HANDLER)
    check_data_dir(settings)
    archive_directory(settings)
    output_path_setting(settings, "NEWSBOT_STATS_FILE", "stats/last.json")
    output_path_setting(settings, "NEWSBOT_REJECTS_FEED", "rejects/%(name)s.jsonl", placeholders=("name", "time"))
    output_path_setting(settings, "NEWSBOT_REPORT_FILE", "reports/last.json")
    check_feeds(settings)
