"""Dates of datelines, teasers and feeds (:mod:`newsbot.text.dates`), with the shared cases
NB-04, NB-05, NB-07 and NB-08 read by path (skipped when ../shared is absent).

Datelines are absolute day-month-year dates: a string without a year, a relative date
("5 hours ago") or a bare year gives None, never a date made up from today.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from newsbot.text.dates import DateReading, iso_utc, parse_date, parse_feed_date, read_date, western_digits
from tests.crawling import shared


def case_rows(name: str) -> list[dict[str, str]]:
    with shared("cases", f"{name}.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def expected_day(row: dict[str, str]) -> dt.date | None:
    """The calendar day of a row's expected value; None for relative or year-less inputs
    (not dateline shapes: newsbot must give no date rather than a guess)."""
    if row["relative_base"] != "-":
        return None
    return dt.date.fromisoformat(row["expected"][:10])


@pytest.mark.parametrize("name", ["NB-04", "NB-05", "NB-07", "NB-08"])
def test_shared_date_cases(name):
    rows = case_rows(name)
    assert rows
    got = {row["input"]: parse_date(row["input"], row["lang"]) for row in rows}
    want = {row["input"]: expected_day(row) for row in rows}
    assert got == want


def test_maghreb_month_names_parse_whatever_country_the_page_is_from():
    """NB-04: Algerian/Tunisian and Moroccan month names, with ``ar`` alone."""
    assert parse_date("20 جويلية 2021", "ar") == dt.date(2021, 7, 20)
    assert parse_date("12 شتنبر 2021", "ar") == dt.date(2021, 9, 12)
    assert parse_date("نشر في الخبر يوم 3 غشت 2020", "ar") == dt.date(2020, 8, 3)


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        ("20 - 10 - 2021", "fr", dt.date(2021, 10, 20)),
        ("Publié dans H24 Info le 20 - 10 - 2021", "fr", dt.date(2021, 10, 20)),
        ("٢٨ - ١٠ - ٢٠٢١", "ar", dt.date(2021, 10, 28)),
        ("نشر في الدستور يوم ٠٣ - ١١ - ٢٠٢١", "ar", dt.date(2021, 11, 3)),
        ("Published in Egypt Independent on 25 - 10 - 2021", "en", dt.date(2021, 10, 25)),
        ("20/10/2021", None, dt.date(2021, 10, 20)),
        ("20.10.2021", "fr", dt.date(2021, 10, 20)),
        ("Publié le mercredi 20 octobre 2021 à 14h30", "fr", dt.date(2021, 10, 20)),
        ("1er octobre 2021", "fr", dt.date(2021, 10, 1)),
        ("October 20, 2021", "en", dt.date(2021, 10, 20)),
        ("15 - 03 - 2099", "fr", dt.date(2099, 3, 15)),  # parsed; the spider decides it is in the future
    ],
)
def test_dateline_shapes(text, language, day):
    assert parse_date(text, language) == day


@pytest.mark.parametrize(
    "text",
    ["2021", "Publié en 2021", "Rabat, 2021 : bilan", "N° 12 de 2021", "12 يوم 2021", "20 octobre",
     "31 - 02 - 2021", "20 - 13 - 2021", "", None, "hier", "قبل 5 ساعات", "1635000000"],
)
def test_no_date_is_invented(text):
    for language in ("fr", "ar", "en", None):
        assert parse_date(text, language) is None, (text, language)


def test_feed_dates_keep_the_day_written_in_the_feed():
    assert parse_feed_date("Fri, 12 Nov 2021 23:48:00 +0100") == dt.date(2021, 11, 12)
    assert parse_feed_date("Mon, 08 Nov 2021 00:30:00 +0300") == dt.date(2021, 11, 8)
    assert parse_feed_date("2021-10-20T14:30:00+01:00") == dt.date(2021, 10, 20)  # Atom, sitemaps
    assert parse_feed_date("20 - 10 - 2021") == dt.date(2021, 10, 20)
    assert parse_feed_date("") is None and parse_feed_date("not a date") is None


def test_helpers():
    assert western_digits("٢٠٢١/١٠/٢٠ ۱۲") == "2021/10/20 12"
    moment = dt.datetime(2026, 11, 29, 16, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert iso_utc(moment) == "2026-11-29T15:04:05Z"


# --- Hijri datelines (issue 9) -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("نشر في هسبريس يوم 21 - 04 - 1444", "ar", dt.date(2022, 11, 15)),
        ("نشر في هسبريس يوم ٢١ - ٠٤ - ١٤٤٤", "ar", dt.date(2022, 11, 15)),  # Arabic-Indic digits
        ("Publié dans Le360 le 21 - 04 - 1444", "fr", dt.date(2022, 11, 15)),
        ("Published in Al Ahram on 01/09/1445", "en", dt.date(2024, 3, 11)),  # 1 Ramadan 1445
        ("الجمعة 21 ربيع الثاني 1444 هـ", "ar", dt.date(2022, 11, 15)),  # written month, hijridate's names
        ("21 Rabi' al-Thani 1444", "en", dt.date(2022, 11, 15)),
    ],
)
def test_hijri_datelines_are_converted(text, language, expected):
    reading = read_date(text, language)
    assert (reading.date, reading.calendar, reading.problem) == (expected, "hijri", None)
    assert parse_date(text, language) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Publié le 21 - 04 - 1200", "hijri_out_of_range"),  # before hijridate's table
        ("Publié le 21 - 04 - 1550", "hijri_out_of_range"),  # after it, still no Gregorian year of a news article
        ("Publié le 30 - 13 - 1444", "hijri_invalid"),  # no 13th month
        ("Publié le 21 octobre 1444", "implausible_year"),  # a Gregorian month with a Hijri-looking year
    ],
)
def test_years_before_1600_are_never_written_as_such(text, problem):
    reading = read_date(text, "fr")
    assert reading.date is None and reading.problem == problem


def test_gregorian_datelines_are_unchanged():
    assert read_date("Publié dans H24 Info le 20 - 10 - 2021", "fr") == DateReading(dt.date(2021, 10, 20))
    assert read_date("Publié le 20 - 10 - 1999", "fr").calendar == "gregorian"
    assert read_date("31 - 02 - 2021", "fr") == DateReading(None)  # invalid Gregorian: no problem to count
