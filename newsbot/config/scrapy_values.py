"""Scrapy's own settings given a value Scrapy would only trip over later, with a traceback.

``-s DOWNLOAD_MAXSIZE=lots`` or ``-s LOG_LEVEL=LOUD`` passes Scrapy's command line and fails
while the crawler is being built, in a ``ValueError`` traceback (three of them, for a download
handler's setting). :func:`check_scrapy_values` judges every such value up front, by the type
of Scrapy's default (``scrapy.settings.default_settings``): a number where the default is a
number, True or False where it is a boolean, a log level's name for ``LOG_LEVEL``. Settings
whose default is anything else (strings, dicts, None) are left to Scrapy.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from newsbot.config.errors import SettingError
from newsbot.config.secrets import mask_secrets

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

def check_scrapy_values(settings: BaseSettings) -> None:
    """Raise :class:`SettingError` for the first of Scrapy's own settings whose value cannot be
    read as its default's type (a number: any number, since Scrapy reads some settings with an
    integer default as floats, ``DOWNLOAD_DELAY=0.5``), or an unknown ``LOG_LEVEL``.

    >>> from scrapy.settings import Settings
    >>> check_scrapy_values(Settings({"DOWNLOAD_DELAY": "0.5", "COOKIES_ENABLED": "false", "LOG_LEVEL": "INFO"}))
    >>> check_scrapy_values(Settings({"DOWNLOAD_MAXSIZE": "lots"}))
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: DOWNLOAD_MAXSIZE='lots' must be a number (Scrapy's default is 1073741824), e.g. -s DOWNLOAD_MAXSIZE=1073741824
    >>> check_scrapy_values(Settings({"LOG_LEVEL": "LOUD"}))
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: LOG_LEVEL='LOUD' is not a log level: write DEBUG, INFO, WARNING, ERROR or CRITICAL, e.g. -s LOG_LEVEL=INFO
    """
    from scrapy.settings import default_settings

    for name in sorted(settings):
        if name.startswith("NEWSBOT_"):  # newsbot's own: newsbot.config.validate_settings
            continue
        known = getattr(default_settings, name, None)
        value = settings[name]
        if value is None or value == known or isinstance(value, (bool, int, float)) and not isinstance(known, bool):
            continue
        shown = mask_secrets(str(value))
        if isinstance(known, bool):
            try:
                settings.getbool(name)
            except ValueError:
                raise SettingError(f"{name}={shown!r} must be True or False (Scrapy's default is {known}),"
                                   f" e.g. -s {name}={known}") from None
        elif isinstance(known, (int, float)):
            try:
                float(value)
            except (TypeError, ValueError):
                raise SettingError(f"{name}={shown!r} must be a number (Scrapy's default is {known}),"
                                   f" e.g. -s {name}={known}") from None
    level = settings.get("LOG_LEVEL")
    if isinstance(level, str) and level not in logging.getLevelNamesMapping():  # what logging takes: names
        raise SettingError(f"LOG_LEVEL={mask_secrets(level)!r} is not a log level: write DEBUG, INFO, WARNING, ERROR"
                           " or CRITICAL, e.g. -s LOG_LEVEL=INFO")
