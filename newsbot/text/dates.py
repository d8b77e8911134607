"""Dates of datelines and feeds, parsed with dateparser plus the Maghreb month names.

dateparser (1.5) knows the Algerian/Tunisian month names (جانفي, جويلية, أوت, ...) only
under the ``ar-DZ``/``ar-TN`` locales and the Moroccan ones (يوليوز, غشت, شتنبر, ...) only
under ``ar-MA``; with ``languages=["ar"]`` they give None (shared case NB-04). So Arabic
text is tried with plain Arabic first, then with each Maghreb locale in turn: the
library's own month tables, no list of ours.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

import dateparser

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Locales whose regional month names dateparser keeps apart (see module docstring).
_ARABIC_LOCALES = ("ar-MA", "ar-DZ", "ar-TN")
# A numeric day-month-year, the shape of every *ress dateline: "20 - 10 - 2021".
_NUMERIC_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)")
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
# A written date inside longer text ("Publié le mercredi 20 octobre 2021 à 14h30", "نشر في 20
# أكتوبر 2021", "October 20, 2021"): dateparser gives up on the whole string, not on this part.
_WRITTEN_DATES = (
    re.compile(r"(?<!\d)\d{1,2}(?:er)?\s+[^\W\d_]{3,}\.?,?\s+\d{4}(?!\d)"),  # 3+ letters: not "de", "et"
    re.compile(r"(?<![^\W\d_])[^\W\d_]{3,}\.?\s+\d{1,2},?\s+\d{4}(?!\d)"),
)

_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    # A bare year or month must never become a date made of today's day and month.
    "REQUIRE_PARTS": ["day", "month", "year"],
    # Datelines are absolute: "12 يوم 2021" must not become "12 days ago".
    "PARSERS": ["custom-formats", "absolute-time"],
}


def western_digits(text: str) -> str:
    """Arabic-Indic and Persian digits replaced by ASCII digits.

    >>> western_digits("٢٠ - ١٠ - ٢٠٢١")
    '20 - 10 - 2021'
    """
    return text.translate(_DIGITS)


def parse_date(text: str | None, language: str | None = None) -> dt.date | None:
    """Parse a calendar date written in a dateline or teaser; None when unsure.

    Accepts numeric day-month-year with any of ``-``, ``/``, ``.`` and spaces
    (``"20 - 10 - 2021"``, ``"٢٠/١٠/٢٠٢١"``), and written months in French, English and
    Arabic, Maghreb variants included (``"20 جويلية 2021"``, ``"12 شتنبر 2021"``,
    ``"18 sept. 2018"``). Text around the date is ignored (labels, weekday, time); the
    day, month and year must all be present.

    >>> parse_date("Publié dans H24 Info le 20 - 10 - 2021", "fr")
    datetime.date(2021, 10, 20)
    >>> parse_date("4 يوليوز 2021", "ar")
    datetime.date(2021, 7, 4)
    >>> parse_date("Publié le mercredi 20 octobre 2021 à 14h30", "fr")
    datetime.date(2021, 10, 20)
    >>> parse_date("2021", "fr") is None
    True
    """
    if not text:
        return None
    text = western_digits(text).strip()
    match = _NUMERIC_DMY.search(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if not _YEAR.search(text):
        return None  # dateparser would fill a missing year with the current one
    # The written date alone first, the whole text after; every part in the edition's language
    # before any language is guessed: guessing loads every locale dateparser has (seconds, once
    # per process), which a dateline in its own language never needs.
    parts = list(dict.fromkeys([*(m.group(0) for pattern in _WRITTEN_DATES for m in pattern.finditer(text)), text]))
    for kwargs in _attempts(language):
        for part in parts:
            parsed = dateparser.parse(part, settings=_SETTINGS, **kwargs)
            if parsed is not None:
                return parsed.date()
    return None


def _attempts(language: str | None) -> list[dict]:
    if language == "ar":
        return [{"languages": ["ar"]}] + [{"locales": [loc]} for loc in _ARABIC_LOCALES]
    if language:
        return [{"languages": [language]}, {}]
    return [{}]


def parse_feed_date(text: str | None) -> dt.date | None:
    """Date of an RSS ``pubDate`` (RFC 822, e.g. ``"Fri, 12 Nov 2021 16:48:00 +0100"``).

    The calendar date is the one written in the feed (the outlet's local day).
    Falls back to :func:`parse_date` for feeds that write dates another way.
    """
    if not text:
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError):
        return parse_date(text)


def utc_now() -> dt.datetime:
    """The current time in UTC, without microseconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso_utc(moment: dt.datetime) -> str:
    """``2026-11-29T15:04:05Z`` for an aware datetime."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
