"""Dates of datelines, teasers and feeds (:mod:`newsbot.text.dates`), with the shared cases
NB-04, NB-05, NB-07 and NB-08 read by path (skipped when ../shared is absent).

Datelines are absolute day-month-year dates: a string without a year, a relative date
("5 hours ago") or a bare year gives None, never a date made up from today.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from newsbot.text.dates import iso_utc, parse_date, parse_feed_date, western_digits
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
