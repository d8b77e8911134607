"""Dates of datelines and feeds, parsed with dateparser plus the Maghreb month names.

dateparser (1.5) knows the Algerian/Tunisian month names (جانفي, جويلية, أوت, ...) only
under the ``ar-DZ``/``ar-TN`` locales and the Moroccan ones (يوليوز, غشت, شتنبر, ...) only
under ``ar-MA``; with ``languages=["ar"]`` they give None (shared case NB-04). So Arabic
text is tried with plain Arabic first, then with each Maghreb locale in turn: the
library's own month tables, no list of ours.

Hijri datelines (issue 9): some outlets date their articles in the Hijri calendar
(``21 - 04 - 1444``, ``21 ربيع الثاني 1444``). A year before :data:`FIRST_GREGORIAN_YEAR` is
never written as such: one in hijridate's Umm al-Qura table (:data:`HIJRI_YEARS`) is
converted to its Gregorian date (``21 - 04 - 1444`` is 2022-11-15); any other is left
unknown, and :func:`read_date` says why (:attr:`DateReading.problem`) so the spider can
count it.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime
from typing import NamedTuple

import dateparser
from hijridate import Hijri
from hijridate.locales import get_locale

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

FIRST_GREGORIAN_YEAR = 1600
"""A dateline year before this is no Gregorian year of a news article (a Hijri one, or a typo)."""
HIJRI_YEARS = range(1343, 1501)
"""The Hijri years hijridate converts (its Umm al-Qura table: 1924-2077 CE)."""
# A written Hijri date, "21 ربيع الثاني 1444" or "21 Rabi' al-Thani 1444": hijridate's month names.
_HIJRI_MONTHS = {name.casefold(): number for language in ("ar", "en")
                 for number, name in enumerate(get_locale(language).month_names, start=1)}
_WRITTEN_HIJRI = re.compile(
    r"(?<!\d)(\d{1,2})\s+(" + "|".join(re.escape(n) for n in sorted(_HIJRI_MONTHS, key=len, reverse=True))
    + r")\s+(\d{4})(?!\d)", re.IGNORECASE)

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


class DateReading(NamedTuple):  # a tuple: built for every dateline, it costs next to nothing
    """What a dateline says: ``date`` (Gregorian, None when unknown), the ``calendar`` it was
    written in (``gregorian`` or ``hijri``), and ``problem`` when a date was written but is
    left unknown: ``hijri_out_of_range`` (a year before :data:`FIRST_GREGORIAN_YEAR` outside
    :data:`HIJRI_YEARS`), ``hijri_invalid`` (no such day in that Hijri month),
    ``implausible_year`` (a written Gregorian month with such a year)."""

    date: dt.date | None
    calendar: str = "gregorian"
    problem: str | None = None


_NO_DATE = DateReading(None)


def hijri_to_gregorian(year: int, month: int, day: int) -> DateReading:
    """A Hijri (Umm al-Qura) date converted with hijridate, or a :class:`DateReading` without
    date saying why not.

    >>> hijri_to_gregorian(1444, 4, 21).date
    datetime.date(2022, 11, 15)
    >>> hijri_to_gregorian(1200, 4, 21).problem, hijri_to_gregorian(1444, 13, 1).problem
    ('hijri_out_of_range', 'hijri_invalid')
    """
    if year not in HIJRI_YEARS:
        return DateReading(None, "hijri", "hijri_out_of_range")
    try:
        gregorian = Hijri(year, month, day).to_gregorian()  # a date subclass: a plain date out
        return DateReading(dt.date(gregorian.year, gregorian.month, gregorian.day), "hijri")
    except (ValueError, OverflowError):
        return DateReading(None, "hijri", "hijri_invalid")


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
    >>> parse_date("نشر في هسبريس يوم 21 - 04 - 1444", "ar")  # a Hijri year: converted
    datetime.date(2022, 11, 15)
    """
    return read_date(text, language).date


def read_date(text: str | None, language: str | None = None) -> DateReading:
    """:func:`parse_date` with what it found out: the calendar, or why a written date is left
    unknown (see :class:`DateReading`).

    >>> read_date("Publié dans Le360 le 21 - 04 - 1444", "fr")
    DateReading(date=datetime.date(2022, 11, 15), calendar='hijri', problem=None)
    >>> read_date("21 ربيع الثاني 1444", "ar").date
    datetime.date(2022, 11, 15)
    >>> read_date("21 - 04 - 0144", "fr").problem
    'hijri_out_of_range'
    """
    if not text:
        return _NO_DATE
    text = western_digits(text).strip()
    match = _NUMERIC_DMY.search(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year < FIRST_GREGORIAN_YEAR:
            return hijri_to_gregorian(year, month, day)
        try:
            return DateReading(dt.date(year, month, day))
        except ValueError:
            return _NO_DATE
    if not _YEAR.search(text):
        return _NO_DATE  # dateparser would fill a missing year with the current one
    hijri = _WRITTEN_HIJRI.search(text)
    if hijri:
        return hijri_to_gregorian(int(hijri.group(3)), _HIJRI_MONTHS[hijri.group(2).casefold()], int(hijri.group(1)))
    # The written date alone first, the whole text after; every part in the edition's language
    # before any language is guessed: guessing loads every locale dateparser has (seconds, once
    # per process), which a dateline in its own language never needs.
    parts = list(dict.fromkeys([*(m.group(0) for pattern in _WRITTEN_DATES for m in pattern.finditer(text)), text]))
    for kwargs in _attempts(language):
        for part in parts:
            parsed = dateparser.parse(part, settings=_SETTINGS, **kwargs)
            if parsed is not None:
                if parsed.year < FIRST_GREGORIAN_YEAR:  # "21 octobre 1444": which calendar?
                    return DateReading(None, problem="implausible_year")
                return DateReading(parsed.date())
    return _NO_DATE


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
    """``2026-11-29T15:04:05Z`` for an aware datetime (years 1000-9999).

    >>> iso_utc(dt.datetime(2026, 11, 29, 16, 4, 5, 999, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    '2026-11-29T15:04:05Z'
    """
    # isoformat is C and locale-free; strftime costs as much as the rest of an item's fields.
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
