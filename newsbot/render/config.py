"""Rendering settings, read once: ``NEWSBOT_RENDER_*`` and ``NEWSBOT_CHROMIUM`` into
:class:`RenderConfig`, and from it the download handlers and scrapy-playwright settings
(:func:`configure`, called by the newsbot add-on after ``-s`` options are applied).

Chromium comes from the ``NEWSBOT_CHROMIUM`` setting, else the ``NEWSBOT_CHROMIUM``
environment variable (e.g. ``/usr/bin/chromium`` from ``apt-get install chromium``);
without either, Playwright's own browser (``playwright install chromium``).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from newsbot.config import SettingError, bool_setting, float_setting, int_setting

logger = logging.getLogger(__name__)

PLAYWRIGHT_HANDLER = "newsbot.render.handler.LazyPlaywrightDownloadHandler"
SCHEMES = ("http", "https")  # the schemes scrapy-playwright handles
ABORT_REQUEST = "newsbot.render.abort.should_abort"

# Debian's chromium (and any Chromium on a machine without internet): no first-run
# work, no update or sync traffic; /dev/shm is small in containers.
CHROMIUM_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)


class RenderSettingError(SettingError):
    """A rendering setting has a bad value; the message says what to write instead."""


@dataclass(frozen=True)
class RenderConfig:
    """The rendering settings of one crawl (defaults: :mod:`newsbot.settings`).

    * ``enabled``: ``NEWSBOT_RENDER_ENABLED``;
    * ``chromium``: absolute path of the Chromium executable, or None for Playwright's own;
    * ``max_pages``: ``NEWSBOT_RENDER_MAX_PAGES``, open pages per browser context;
    * ``max_contexts``: ``NEWSBOT_RENDER_MAX_CONTEXTS``, browser contexts at once;
    * ``timeout``: ``NEWSBOT_RENDER_TIMEOUT``, seconds for a page to load;
    * ``wait``: ``NEWSBOT_RENDER_WAIT``, seconds to wait after load for a listing's entries
      to appear (scripts that fetch them); 0 does not wait.

    >>> RenderConfig.from_settings(BaseSettings({"NEWSBOT_RENDER_MAX_PAGES": "3"}), environ={}).max_pages
    3
    >>> RenderConfig.from_settings(BaseSettings({"NEWSBOT_RENDER_TIMEOUT": "0"}), environ={})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsbot.render.config.RenderSettingError: NEWSBOT_RENDER_TIMEOUT='0' must be a number above 0, e.g. ...
    """

    enabled: bool
    chromium: str | None
    max_pages: int
    max_contexts: int
    timeout: float
    wait: float

    @classmethod
    def from_settings(cls, settings: BaseSettings, environ: Mapping[str, str] | None = None) -> RenderConfig:
        """Read and validate; raises :class:`RenderSettingError` naming the setting to fix."""
        environ = os.environ if environ is None else environ
        try:
            enabled = bool_setting(settings, "NEWSBOT_RENDER_ENABLED")
            chromium = settings.get("NEWSBOT_CHROMIUM") or environ.get("NEWSBOT_CHROMIUM") or None
            return cls(
                enabled=enabled,
                chromium=find_chromium(chromium) if chromium and enabled else chromium,
                max_pages=int_setting(settings, "NEWSBOT_RENDER_MAX_PAGES"),
                max_contexts=int_setting(settings, "NEWSBOT_RENDER_MAX_CONTEXTS"),
                timeout=float_setting(settings, "NEWSBOT_RENDER_TIMEOUT"),
                wait=float_setting(settings, "NEWSBOT_RENDER_WAIT"),
            )
        except RenderSettingError:
            raise
        except SettingError as error:  # one kind of error for every rendering setting
            raise RenderSettingError(str(error)) from None

    def launch_options(self) -> dict[str, Any]:
        """``PLAYWRIGHT_LAUNCH_OPTIONS``: headless Chromium, ``executable_path`` when given.

        >>> from dataclasses import replace
        >>> config = replace(RenderConfig.from_settings(BaseSettings(), environ={}), chromium="/usr/bin/chromium")
        >>> config.launch_options()["executable_path"]
        '/usr/bin/chromium'
        """
        args = list(CHROMIUM_ARGS)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(0, "--no-sandbox")  # Chromium refuses to start its sandbox as root
        options: dict[str, Any] = {"headless": True, "args": args}
        if self.chromium:
            options["executable_path"] = self.chromium
        return options

    def playwright_settings(self) -> dict[str, Any]:
        """The ``PLAYWRIGHT_*`` settings of scrapy-playwright that follow from this config."""
        return {
            "PLAYWRIGHT_BROWSER_TYPE": "chromium",
            "PLAYWRIGHT_LAUNCH_OPTIONS": self.launch_options(),
            "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": self.max_pages,
            "PLAYWRIGHT_MAX_CONTEXTS": self.max_contexts,
            "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": self.timeout * 1000,
            "PLAYWRIGHT_ABORT_REQUEST": ABORT_REQUEST,
        }


def find_chromium(value: str) -> str:
    """The absolute path of the Chromium executable named by ``NEWSBOT_CHROMIUM``.

    A bare name (``chromium``) is looked up on ``PATH``. Raises
    :class:`RenderSettingError` when there is no such executable file.
    """
    path = shutil.which(value) if os.sep not in value else value
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return os.path.abspath(path)
    raise RenderSettingError(
        f"NEWSBOT_CHROMIUM={value!r} is not an executable file: install Chromium"
        " (apt-get install chromium) and give its path, e.g. -s NEWSBOT_CHROMIUM=/usr/bin/chromium;"
        " or unset it to use Playwright's own browser (playwright install chromium);"
        " or turn rendering off with -s NEWSBOT_RENDER_ENABLED=False"
    )


def configure(settings: BaseSettings) -> RenderConfig:
    """Switch the crawl to scrapy-playwright when rendering is enabled (add-on step).

    Sets ``DOWNLOAD_HANDLERS`` for http and https to scrapy-playwright's handler, started on
    the first browser request (:mod:`newsbot.render.handler`), as scrapy-playwright's
    documentation does, except for a scheme ``DOWNLOAD_HANDLERS`` already names a handler for
    (the user's choice is kept, with a warning when it cannot render); the ``PLAYWRIGHT_*``
    settings at add-on priority (a project or ``-s`` value wins); and scrapy-playwright's
    memory-usage extension in place of Scrapy's, so ``memusage/*`` stats count the browser too.
    Raises :class:`RenderSettingError`.
    """
    config = RenderConfig.from_settings(settings)
    if not config.enabled:
        return config
    chosen = settings.getdict("DOWNLOAD_HANDLERS")  # the project's and user's, not Scrapy's base
    for scheme in SCHEMES:
        if scheme not in chosen:
            settings["DOWNLOAD_HANDLERS"].set(scheme, PLAYWRIGHT_HANDLER, priority="addon")
        elif not _renders(chosen[scheme]):
            logger.warning(
                "DOWNLOAD_HANDLERS[%r]=%s is not scrapy-playwright's handler: %s pages that need"
                " JavaScript will not be rendered", scheme, chosen[scheme], scheme,
            )
    for name, value in config.playwright_settings().items():
        settings.set(name, value, priority="addon")

    from scrapy.extensions.memusage import MemoryUsage

    from newsbot.render.memory import RenderMemoryUsage

    settings.set_in_component_priority_dict("EXTENSIONS", MemoryUsage, None)
    settings.set_in_component_priority_dict("EXTENSIONS", RenderMemoryUsage, 0)
    return config


def _renders(handler: Any) -> bool:
    """Whether a ``DOWNLOAD_HANDLERS`` value (class or path; None disables the scheme) is
    scrapy-playwright's handler or a subclass of it."""
    if handler is None:
        return True  # the scheme is off: nothing to render, nothing to say
    try:
        cls = load_object(handler)
    except (ImportError, NameError, AttributeError, ValueError, TypeError):
        return False  # newsbot.config refuses it before the crawl starts
    return isinstance(cls, type) and issubclass(cls, ScrapyPlaywrightDownloadHandler)
