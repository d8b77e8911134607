"""``date_speedup``: ``dateparser.parse`` against newsbot's ``parse_date`` on the replica's datelines.

Input: the date part of every listed article's dateline, as the page writes it and as the
spider hands it to the date parser (``20 - 10 - 2021``, ``٠٣ - ١١ - ٢٠٢١``, and the 5 % with a
written month: ``2 septembre 2021``, ``04 يوليوز 2021``), with the edition's language. Each
call is timed alone (``time.perf_counter``), newsbot and dateparser alternately, ``rounds``
times after a warm-up; a text's time is its median over rounds, the result the median over
texts, in microseconds. dateparser gets ``languages=[language]`` (its fastest fair use: no
language detection) and the settings newsbot would need for these datelines.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import dateparser

DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}


def newsbot_parse_date() -> Callable[..., object]:
    """newsbot's dateline parser, wherever it lives now."""
    try:
        from newsbot.text.dates import parse_date  # after the reshaping
    except ImportError:
        from newsbot.dates import parse_date
    return parse_date


@dataclass
class DateResult:
    newsbot_us: float  # median
    dateparser_us: float
    newsbot_mean_us: float  # means: the few written months weigh here
    dateparser_mean_us: float
    texts: int
    agree: float  # share of texts both parse to the same date
    newsbot_found: float  # share of texts newsbot gives a date for
    dateparser_found: float

    @property
    def speedup(self) -> float:
        return self.dateparser_us / self.newsbot_us


def compare_dates(texts: list[tuple[str, str]], rounds: int = 3) -> DateResult:
    """Time both parsers on ``(text, language)`` pairs (see module docstring)."""
    parse_date = newsbot_parse_date()

    def via_dateparser(text: str, language: str) -> object:
        parsed = dateparser.parse(text, languages=[language], settings=DATEPARSER_SETTINGS)
        return parsed.date() if parsed else None

    for text, language in texts[:20] + [t for t in texts if t[1] == "ar"][:20]:  # warm-up: imports, locale data
        parse_date(text, language)
        via_dateparser(text, language)
    times: dict[str, list[list[float]]] = {"newsbot": [[] for _ in texts], "dateparser": [[] for _ in texts]}
    results: dict[str, list[object]] = {"newsbot": [], "dateparser": []}
    for r in range(rounds):
        for i, (text, language) in enumerate(texts):
            for name, parse in (("newsbot", parse_date), ("dateparser", via_dateparser)):
                started = time.perf_counter()
                value = parse(text, language)
                times[name][i].append((time.perf_counter() - started) * 1e6)
                if r == 0:
                    results[name].append(value)

    def per_text(name: str) -> list[float]:
        return [statistics.median(t) for t in times[name]]

    pairs = list(zip(results["newsbot"], results["dateparser"], strict=True))
    return DateResult(
        statistics.median(per_text("newsbot")), statistics.median(per_text("dateparser")),
        statistics.fmean(per_text("newsbot")), statistics.fmean(per_text("dateparser")), len(texts),
        agree=sum(a == b and a is not None for a, b in pairs) / len(pairs),
        newsbot_found=sum(a is not None for a, _ in pairs) / len(pairs),
        dateparser_found=sum(b is not None for _, b in pairs) / len(pairs),
    )
