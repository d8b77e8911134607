"""Typed getters of newsbot's settings: booleans, bounded numbers, codec lists, names and
class paths, with the defaults and bounds of every ``NEWSBOT_*`` number in one table."""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsbot.config.errors import SettingError

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


BOOLEANS: dict[str, bool] = {
    "NEWSBOT_RENDER_ENABLED": True,
    "NEWSBOT_BOILERPLATE_ENABLED": True,
    "NEWSBOT_DEDUPE_ENABLED": True,
    "NEWSBOT_INCREMENTAL_ENABLED": True,
}
"""Boolean settings and their defaults."""


@dataclass(frozen=True)
class Number:
    """A numeric setting: ``default``, whole or not, and its bounds (``minimum``/``maximum``
    inclusive, ``above`` exclusive); ``unit`` is said in the error message."""

    default: float
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
    "NEWSBOT_BOILERPLATE_MIN_REPEATS": Number(5, integer=True, minimum=2, unit="articles"),
    "NEWSBOT_BOILERPLATE_WARMUP": Number(50, integer=True, minimum=0, unit="items"),
    "NEWSBOT_BOILERPLATE_FORGET_DAYS": Number(30, above=0, unit="days"),
    "NEWSBOT_NEAR_DUPLICATE_THRESHOLD": Number(0.8, above=0, maximum=1, unit="estimated Jaccard similarity"),
    "NEWSBOT_RENDER_MAX_PAGES": Number(2, integer=True, above=0),
    "NEWSBOT_RENDER_MAX_CONTEXTS": Number(1, integer=True, above=0),
    "NEWSBOT_RENDER_TIMEOUT": Number(20, above=0),
    "NEWSBOT_RENDER_WAIT": Number(5, minimum=0),
    "NEWSBOT_CLUSTER_PREFETCH": Number(2, integer=True, minimum=1, unit="requests"),
    "NEWSBOT_CLUSTER_WORKER_TIMEOUT": Number(20, minimum=6, unit="seconds, three heartbeats at least"),
}
"""Numeric settings, their defaults and bounds."""

_TRUE, _FALSE = ("1", "true", "True"), ("0", "false", "False")


def bool_setting(settings: BaseSettings, name: str) -> bool:
    """A boolean setting (default from :data:`BOOLEANS`); the values Scrapy's
    ``getbool`` accepts: True/False, 1/0, ``"true"``/``"false"``, ``"True"``/``"False"``.

    >>> from scrapy.settings import Settings
    >>> bool_setting(Settings({"NEWSBOT_DEDUPE_ENABLED": "false"}), "NEWSBOT_DEDUPE_ENABLED")
    False
    >>> bool_setting(Settings({"NEWSBOT_DEDUPE_ENABLED": "maybe"}), "NEWSBOT_DEDUPE_ENABLED")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_DEDUPE_ENABLED='maybe' must be True or False, e.g. -s NEWSBOT_DEDUPE_ENABLED=False
    """
    default = BOOLEANS[name]
    raw = settings.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise SettingError(f"{name}={raw!r} must be True or False, e.g. -s {name}={not default}")


def _number(settings: BaseSettings, name: str) -> float:
    spec = NUMBERS[name]
    raw = settings.get(name)
    if raw is None or raw == "":
        return spec.default
    try:
        value = float(raw) if not isinstance(raw, bool) else math.nan
    except (TypeError, ValueError):
        value = math.nan
    good = math.isfinite(value) and (not spec.integer or value == int(value))
    good = good and (spec.minimum is None or value >= spec.minimum)
    good = good and (spec.above is None or value > spec.above)
    good = good and (spec.maximum is None or value <= spec.maximum)
    if not good:
        raise SettingError(f"{name}={raw!r} must be {spec.describe()}, e.g. -s {name}={_plain(spec.default)}")
    return value


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


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


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
    raw = settings.get(name)
    names = [str(n).strip() for n in settings.getlist(name)]
    for encoding in names:
        try:
            codecs.lookup(encoding)
        except (LookupError, ValueError):
            shown = raw if isinstance(raw, str) else ",".join(names)
            raise SettingError(
                f"{name}={shown!r}: {encoding!r} is not an encoding Python knows; give codec names,"
                f" e.g. -s {name}=windows-1256,windows-1252"
            ) from None
    return names


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
    raw = settings.get(name)
    if raw is None or raw == "":
        return None
    pattern, allowed, example = NAMES[name]
    if not pattern.match(str(raw)):
        raise SettingError(f"{name}={raw!r}: use {allowed} only, e.g. -s {name}={example}")
    return str(raw)


def class_setting(settings: BaseSettings, name: str, example: str) -> str | None:
    """An importable ``package.module.Class`` path (``NEWSBOT_DOWNLOAD_HANDLER``), or None when unset."""
    from scrapy.utils.misc import load_object

    raw = settings.get(name)
    if raw is None or raw == "":
        return None
    try:
        load_object(raw)
    except (ImportError, NameError, AttributeError, ValueError, TypeError) as exc:
        raise SettingError(f"{name}={raw!r} cannot be imported ({exc}); give a class path, e.g. -s {name}={example}") from None
    return str(raw)
