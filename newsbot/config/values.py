"""Typed getters of newsbot's settings: booleans, bounded numbers, codec lists, names and
class paths, with the bounds of every ``NEWSBOT_*`` number in one table.

Defaults are not written here: a setting missing from the ``Settings`` given (or set to
``None`` or ``""``) falls back to its value in :mod:`newsbot.settings`, the one table of
defaults, so ``bool_setting(Settings(), "NEWSBOT_DEDUPE_ENABLED")`` is True as in a crawl.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import newsbot.settings as _defaults
from newsbot.config.errors import SettingError

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def default(name: str) -> Any:
    """The default of the ``NEWSBOT_*`` setting ``name``: its value in :mod:`newsbot.settings`.

    >>> default("NEWSBOT_RENDER_TIMEOUT")
    20

    Raises AttributeError for a name that module does not declare.
    """
    return getattr(_defaults, name)


def setting_or_default(settings: BaseSettings, name: str) -> Any:
    """``settings[name]``, or its :func:`default` when missing, None or ``""`` (unchecked).

    >>> from scrapy.settings import Settings
    >>> setting_or_default(Settings(), "NEWSBOT_RENDER_WAIT"), setting_or_default(Settings({"NEWSBOT_RENDER_WAIT": "0"}), "NEWSBOT_RENDER_WAIT")
    (5, '0')
    """
    raw = settings.get(name)
    return default(name) if raw is None or raw == "" else raw


BOOLEANS: frozenset[str] = frozenset({
    "NEWSBOT_GC_FREEZE",
    "NEWSBOT_RENDER_ENABLED",
    "NEWSBOT_BOILERPLATE_ENABLED",
    "NEWSBOT_DEDUPE_ENABLED",
    "NEWSBOT_INCREMENTAL_ENABLED",
    "NEWSBOT_VALIDATION_ENABLED",
    "NEWSBOT_FOLLOW_SOURCE",
    "NEWSBOT_CLUSTER_POLITENESS",
})
"""Boolean settings (read with :func:`bool_setting`)."""


@dataclass(frozen=True)
class Number:
    """The bounds of a numeric setting: whole or not, ``minimum``/``maximum`` inclusive,
    ``above`` exclusive; ``unit`` is said in the error message."""

    integer: bool = False
    minimum: float | None = None
    above: float | None = None
    maximum: float | None = None
    unit: str = ""

    def describe(self) -> str:
        """What a good value is, e.g. ``"a number above 0 and at most 1"``."""
        bounds = []
        if self.above is not None:
            bounds.append(f"above {_plain(self.above)}")
        if self.minimum is not None:
            bounds.append(f"of {_plain(self.minimum)} or more")
        if self.maximum is not None:
            bounds.append(f"at most {_plain(self.maximum)}")
        kind = "a whole number" if self.integer else "a number"
        unit = f" ({self.unit})" if self.unit else ""
        return " ".join([kind, " and ".join(bounds)]).strip() + unit


NUMBERS: dict[str, Number] = {
    "NEWSBOT_BOILERPLATE_MIN_REPEATS": Number(integer=True, minimum=2, unit="articles"),
    "NEWSBOT_BOILERPLATE_WARMUP": Number(integer=True, minimum=0, unit="items"),
    "NEWSBOT_BOILERPLATE_FORGET_DAYS": Number(above=0, unit="days"),
    "NEWSBOT_STATE_COMMIT_INTERVAL": Number(minimum=0, unit="seconds; 0: only at the end of the crawl"),
    "NEWSBOT_NEAR_DUPLICATE_THRESHOLD": Number(above=0, maximum=1, unit="estimated Jaccard similarity"),
    "NEWSBOT_REVISIT_DAYS": Number(integer=True, minimum=0, maximum=3660, unit="days; 0: no re-visits"),
    "NEWSBOT_TEASER_MAX_CHARS": Number(integer=True, minimum=0, unit="characters; 0: only bodies marked as teasers"),
    "NEWSBOT_RENDER_MAX_PAGES": Number(integer=True, above=0),
    "NEWSBOT_RENDER_MAX_CONTEXTS": Number(integer=True, above=0),
    "NEWSBOT_RENDER_TIMEOUT": Number(above=0),
    "NEWSBOT_RENDER_WAIT": Number(minimum=0),
    "NEWSBOT_DUPEFILTER_MEMORY": Number(integer=True, minimum=1, unit="request fingerprints"),
    "NEWSBOT_ARCHIVE_MAX_SIZE": Number(integer=True, minimum=1, unit="bytes of a WARC file before the next one"),
    "NEWSBOT_CLUSTER_PREFETCH": Number(integer=True, minimum=1, unit="requests"),
    "NEWSBOT_CLUSTER_WORKER_TIMEOUT": Number(minimum=6, unit="seconds, three heartbeats at least"),
    "NEWSBOT_MONITOR_MIN_COVERAGE": Number(minimum=0, maximum=1, unit="share of items"),
    "NEWSBOT_MONITOR_MAX_REJECTED": Number(minimum=0, maximum=1, unit="share of article pages"),
    "NEWSBOT_MONITOR_MIN_PAGES": Number(integer=True, minimum=1, unit="article pages"),
    "NEWSBOT_PROGRESS_INTERVAL": Number(minimum=0, unit="seconds; 0: no progress lines during the crawl"),
    "NEWSBOT_MONITOR_MAX_EMPTY_LISTINGS": Number(minimum=0, maximum=1, unit="share of listing pages"),
    "NEWSBOT_MONITOR_MAX_ERROR_RATE": Number(minimum=0, maximum=1, unit="share of requests"),
    "NEWSBOT_MONITOR_MAX_RETRY_RATE": Number(minimum=0, maximum=1, unit="share of requests"),
}
"""Numeric settings and their bounds (read with :func:`int_setting`/:func:`float_setting`)."""

_TRUE, _FALSE = ("1", "true", "True"), ("0", "false", "False")


def bool_setting(settings: BaseSettings, name: str) -> bool:
    """A boolean setting of :data:`BOOLEANS`; the values Scrapy's ``getbool`` accepts: True/False, 1/0, ``"true"``/``"false"``, ``"True"``/``"False"``.

    >>> from scrapy.settings import Settings
    >>> bool_setting(Settings({"NEWSBOT_DEDUPE_ENABLED": "false"}), "NEWSBOT_DEDUPE_ENABLED")
    False
    >>> bool_setting(Settings({"NEWSBOT_DEDUPE_ENABLED": "maybe"}), "NEWSBOT_DEDUPE_ENABLED")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_DEDUPE_ENABLED='maybe' must be True or False, e.g. -s NEWSBOT_DEDUPE_ENABLED=False
    """
    assert name in BOOLEANS, name
    raw = setting_or_default(settings, name)
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise SettingError(f"{name}={raw!r} must be True or False, e.g. -s {name}={not default(name)}")


def _number(settings: BaseSettings, name: str) -> float:
    spec = NUMBERS[name]
    raw = setting_or_default(settings, name)
    try:
        number = float(raw) if not isinstance(raw, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    good = math.isfinite(number) and (not spec.integer or number == int(number))
    good = good and (spec.minimum is None or number >= spec.minimum)
    good = good and (spec.above is None or number > spec.above)
    good = good and (spec.maximum is None or number <= spec.maximum)
    if not good:
        raise SettingError(f"{name}={raw!r} must be {spec.describe()}, e.g. -s {name}={_plain(default(name))}")
    return number


def int_setting(settings: BaseSettings, name: str) -> int:
    """A whole-number setting of :data:`NUMBERS`, checked against its bounds.

    >>> from scrapy.settings import Settings
    >>> int_setting(Settings({"NEWSBOT_BOILERPLATE_WARMUP": "0"}), "NEWSBOT_BOILERPLATE_WARMUP")
    0
    >>> int_setting(Settings({"NEWSBOT_BOILERPLATE_WARMUP": "-1"}), "NEWSBOT_BOILERPLATE_WARMUP")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_BOILERPLATE_WARMUP='-1' must be a whole number of 0 or more (items), e.g. -s NEWSBOT_BOILERPLATE_WARMUP=50
    """
    assert NUMBERS[name].integer, name
    return int(_number(settings, name))


def float_setting(settings: BaseSettings, name: str) -> float:
    """A numeric setting of :data:`NUMBERS`, checked against its bounds (NaN and infinities
    are refused).

    >>> from scrapy.settings import Settings
    >>> float_setting(Settings(), "NEWSBOT_NEAR_DUPLICATE_THRESHOLD")
    0.8
    >>> float_setting(Settings({"NEWSBOT_NEAR_DUPLICATE_THRESHOLD": "2"}), "NEWSBOT_NEAR_DUPLICATE_THRESHOLD")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_NEAR_DUPLICATE_THRESHOLD='2' must be a number above 0 and at most 1 (estimated Jaccard similarity), e.g. -s NEWSBOT_NEAR_DUPLICATE_THRESHOLD=0.8
    """
    return float(_number(settings, name))


def _plain(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


# --- text settings ----------------------------------------------------------------------------------
def encodings_setting(settings: BaseSettings, name: str = "NEWSBOT_FALLBACK_ENCODINGS") -> list[str]:
    """A list of codec names (a list, or a comma-separated string), each known to Python.

    >>> from scrapy.settings import Settings
    >>> encodings_setting(Settings({"NEWSBOT_FALLBACK_ENCODINGS": "windows-1256,latin-1"}))
    ['windows-1256', 'latin-1']
    >>> encodings_setting(Settings({"NEWSBOT_FALLBACK_ENCODINGS": "nosuch-enc"}))
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_FALLBACK_ENCODINGS='nosuch-enc': 'nosuch-enc' is not an encoding Python knows; give codec names, e.g. -s NEWSBOT_FALLBACK_ENCODINGS=windows-1256,windows-1252
    """
    raw = setting_or_default(settings, name)
    names = [str(n).strip() for n in (raw.split(",") if isinstance(raw, str) else raw)]
    for encoding in names:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):
            shown = raw if isinstance(raw, str) else ",".join(names)
            raise SettingError(
                f"{name}={shown!r}: {encoding!r} is not an encoding Python knows; give codec names,"
                f" e.g. -s {name}={','.join(default(name))}"
            ) from None
    return names


_WORD = re.compile(r"^[A-Za-z0-9_]+$")
LISTS: dict[str, tuple[tuple[str, ...] | None, str]] = {
    # the record's fields: the default FEED_EXPORT_FIELDS (newsbot.items.PUBLIC_FIELDS)
    "NEWSBOT_MONITOR_COVERAGE_FIELDS": (tuple(_defaults.FEED_EXPORT_FIELDS), "title,published"),
    "NEWSBOT_MONITOR_FINISH_REASONS": (None, "finished,closespider_itemcount"),
}
"""List settings: the values allowed (None: any word) and an example (read with :func:`list_setting`)."""


def list_setting(settings: BaseSettings, name: str) -> list[str]:
    """A non-empty list of words of :data:`LISTS`: a list, a comma-separated string, or a JSON list.

    >>> from scrapy.settings import Settings
    >>> list_setting(Settings({"NEWSBOT_MONITOR_COVERAGE_FIELDS": "title, body"}), "NEWSBOT_MONITOR_COVERAGE_FIELDS")
    ['title', 'body']
    >>> list_setting(Settings({"NEWSBOT_MONITOR_COVERAGE_FIELDS": '["date"]'}), "NEWSBOT_MONITOR_COVERAGE_FIELDS")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_MONITOR_COVERAGE_FIELDS='["date"]': 'date' is not one of article_id, url, site, edition, language, outlet, outlet_slug, title, published, body, body_source, extractor, extraction_confidence, source_url, crawled_at, revision, warc_record_id, e.g. -s NEWSBOT_MONITOR_COVERAGE_FIELDS=title,published
    """
    allowed, example = LISTS[name]
    raw = setting_or_default(settings, name)
    values: Any = raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            values = json.loads(text) if text.startswith("[") else text.split(",")
        except ValueError:
            values = None
    if not isinstance(values, (list, tuple)) or not values:
        raise SettingError(f"{name}={raw!r} must be a list of names, e.g. -s {name}={example}")
    words = [str(value).strip() for value in values]
    for word in words:
        if allowed is not None and word not in allowed:
            raise SettingError(f"{name}={raw!r}: {word!r} is not one of {', '.join(allowed)}, e.g. -s {name}={example}")
        if not _WORD.match(word):
            raise SettingError(f"{name}={raw!r}: {word!r} is not a name (letters, digits, '_'), e.g. -s {name}={example}")
    return words


NAMES = {
    "NEWSBOT_STATE_NAMESPACE": (re.compile(r"^[A-Za-z0-9_.:-]+$"), "letters, digits, '.', ':', '_' and '-'", "newsbot"),
    "NEWSBOT_RUN_ID": (re.compile(r"^[A-Za-z0-9_.:+-]+$"), "letters, digits, '.', ':', '+', '_' and '-'", "daily-2026-11-29"),
}


def name_setting(settings: BaseSettings, name: str) -> str | None:
    """A name-like setting (``NEWSBOT_STATE_NAMESPACE``, ``NEWSBOT_RUN_ID``), or None when unset.

    >>> from scrapy.settings import Settings
    >>> name_setting(Settings({"NEWSBOT_RUN_ID": "run 1"}), "NEWSBOT_RUN_ID")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_RUN_ID='run 1': use letters, digits, '.', ':', '+', '_' and '-' only, e.g. -s NEWSBOT_RUN_ID=daily-2026-11-29
    """
    raw = setting_or_default(settings, name)
    if raw is None:
        return None
    pattern, allowed, example = NAMES[name]
    if not pattern.match(str(raw)):
        raise SettingError(f"{name}={raw!r}: use {allowed} only, e.g. -s {name}={example}")
    return str(raw)


def class_setting(settings: BaseSettings, name: str, example: str) -> str | None:
    """An importable ``package.module.Class`` path (``NEWSBOT_MIRROR_HTTPS_HANDLER``), or None when unset.

    >>> from scrapy.settings import Settings
    >>> class_setting(Settings({"NEWSBOT_MIRROR_HTTPS_HANDLER": "nosuch.Handler"}), "NEWSBOT_MIRROR_HTTPS_HANDLER", "a.B")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_MIRROR_HTTPS_HANDLER='nosuch.Handler' cannot be imported (No module named 'nosuch'); give a class path, e.g. -s NEWSBOT_MIRROR_HTTPS_HANDLER=a.B
    """
    raw = setting_or_default(settings, name)
    if raw is None:
        return None
    problem = _import_problem(raw)
    if problem:
        raise SettingError(f"{name}={raw!r} cannot be imported ({problem}); give a class path, e.g. -s {name}={example}")
    return raw


def handler_setting(settings: BaseSettings, scheme: str) -> Any:
    """The download handler of ``scheme`` (a class or its path; None: the scheme is off), as
    Scrapy finds it: ``DOWNLOAD_HANDLERS`` over ``DOWNLOAD_HANDLERS_BASE``. A path that cannot
    be imported raises :class:`SettingError` (Scrapy would log a traceback, then fail every
    request of the scheme).

    >>> from scrapy.settings import Settings
    >>> handler_setting(Settings(), "https")
    'scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler'
    >>> handler_setting(Settings({"DOWNLOAD_HANDLERS": {"https": "nosuch.Handler"}}), "https")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: DOWNLOAD_HANDLERS: the https handler 'nosuch.Handler' cannot be imported (No module named 'nosuch'); give a class path, e.g. -s DOWNLOAD_HANDLERS='{"https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"}'
    """
    handler = settings.getwithbase("DOWNLOAD_HANDLERS").get(scheme)
    problem = None if handler is None else _import_problem(handler)
    if problem:
        example = '{"%s": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"}' % scheme
        raise SettingError(
            f"DOWNLOAD_HANDLERS: the {scheme} handler {handler!r} cannot be imported ({problem});"
            f" give a class path, e.g. -s DOWNLOAD_HANDLERS='{example}'"
        )
    return handler


def _import_problem(path: Any) -> str | None:
    """Why ``path`` (an import path, or already an object) cannot be loaded; None when it can."""
    from scrapy.utils.misc import load_object

    try:
        load_object(path)
    except (ImportError, NameError, AttributeError, ValueError, TypeError) as exc:
        return str(exc)
    return None
