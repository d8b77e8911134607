"""Spider arguments (``-a name=value``): parsed and checked by :class:`CrawlArguments`, and
end to end through ``scrapy crawl`` over the cases snapshot (``tests/snapshots/cases``).

Expected items come from the snapshot's gold file; a duplicate page counts as the
article it copies (the dedupe pipeline may keep either).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

import pytest

from newsbot.sites import get_site
from newsbot.spiders.arguments import MAX_IDS_PER_RANGE, ArgumentError, CrawlArguments, IdRange
from tests.cases_snapshot import CASES, crawl_all, expected_urls, folded_urls, hit

MAGHRESS = get_site("maghress")
MA, DZ = "www.maghress.com", "www.djazairess.com"


# --- CrawlArguments.parse --------------------------------------------------------------------------
def parse(**raw: object) -> CrawlArguments:
    return CrawlArguments.parse(MAGHRESS, raw)


def test_defaults_cover_every_edition_and_outlet():
    assert parse() == CrawlArguments(editions=("ar", "fr"))
    args = parse()
    assert (args.outlets, args.since, args.until, args.ids, args.fresh) == (None, None, None, (), False)


def test_editions_are_a_comma_list_in_the_given_order():
    assert parse(editions="fr").editions == ("fr",)
    assert parse(editions=" fr, ar ,fr").editions == ("fr", "ar")


def test_outlets_are_slugs_and_an_unseen_one_is_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="newsbot.spiders.arguments"):
        args = parse(outlets="h24info,nosuchoutlet")
    assert args.outlets == frozenset({"h24info", "nosuchoutlet"})
    assert [r.getMessage() for r in caplog.records] == [
        "outlets: 'nosuchoutlet' has not been seen on maghress yet; crawling it anyway"
    ]


def test_since_and_until_are_iso_dates_and_may_be_equal():
    args = parse(since="2021-10-01", until="2021-10-31")
    assert (args.since, args.until) == (dt.date(2021, 10, 1), dt.date(2021, 10, 31))
    assert parse(since="2021-10-20", until="2021-10-20").since == dt.date(2021, 10, 20)


def test_ids_with_and_without_edition():
    args = parse(ids="fr/h24info:1165380-1165390, hespress:75869")
    assert args.ids == (IdRange("fr", "h24info", 1165380, 1165390), IdRange("ar", "hespress", 75869, 75869))
    assert len(args.ids[0]) == 11
    assert CrawlArguments.parse(get_site("masress"), {"ids": "dostor:1-2"}).ids[0].edition == "ar"


def test_fresh_flag_and_scrapyd_private_arguments():
    assert parse(fresh="1").fresh is True and parse(fresh="no").fresh is False
    assert parse().revisit_days is None  # NEWSBOT_REVISIT_DAYS then
    assert parse(revisit_days="7").revisit_days == 7 and parse(revisit_days=" 0 ").revisit_days == 0
    assert parse(_job="abc123").editions == ("ar", "fr")  # scrapyd passes _job; it is not ours


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ({"editions": "xx"}, ["editions=xx", "-a editions=fr"]),
        ({"editions": ""}, ["editions=", "-a editions=fr"]),
        ({"outlets": "H24 Info"}, ["outlets=H24 Info", "-a outlets=h24info,le360"]),
        ({"outlets": ","}, ["outlets=,", "-a outlets="]),
        ({"since": "20-10-2021"}, ["since=20-10-2021", "YYYY-MM-DD", "-a since=2021-10-01"]),
        ({"until": "2021-02-30"}, ["until=2021-02-30", "-a until=2021-10-01"]),
        ({"since": "2021-10-31", "until": "2021-10-01"}, ["since=2021-10-31", "until=2021-10-01", "-a since="]),
        ({"ids": "foo"}, ["ids=foo", "[EDITION/]SLUG:FROM-TO", "-a ids="]),
        ({"ids": "en/h24info:1-2"}, ["ids=en/h24info:1-2", "no edition 'en'", "-a ids="]),
        ({"ids": "h24info:9-1"}, ["ids=h24info:9-1", "ends before it starts", "-a ids="]),
        ({"ids": "rss:1-2"}, ["ids=rss:1-2", "'rss' is a reserved word", "-a ids="]),
        ({"ids": "fr:1"}, ["ids=fr:1", "'fr' is a reserved word", "-a ids="]),
        ({"ids": "fr/admin:1"}, ["ids=fr/admin:1", "'admin' is a reserved word", "-a ids="]),
        ({"outlets": "rss"}, ["outlets=rss", "-a outlets=h24info,le360"]),
        ({"ids": "H24:1-2"}, ["ids=H24:1-2", "-a ids="]),
        ({"ids": f"h24info:1-{MAX_IDS_PER_RANGE + 1}"}, ["at most", "-a ids="]),
        ({"fresh": "maybe"}, ["fresh=maybe", "fresh=1"]),
        ({"revisit_days": "week"}, ["revisit_days=week", "whole number of days", "-a revisit_days=7"]),
        ({"revisit_days": "-1"}, ["revisit_days=-1", "-a revisit_days=7"]),
        ({"revisit_days": "1.5"}, ["revisit_days=1.5", "-a revisit_days=7"]),
        ({"revisit_days": "100000"}, ["revisit_days=100000", "to 3660", "-a revisit_days=7"]),
        ({"color": "blue"}, ["unknown spider argument color", "editions, outlets, since, until, ids, fresh", "-a "]),
    ],
)
def test_a_bad_value_names_the_argument_and_a_good_example(raw, names):
    with pytest.raises(ArgumentError) as error:
        CrawlArguments.parse(MAGHRESS, raw)
    for name in names:
        assert name in str(error.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("rss", "outlets=rss: 'rss' is a reserved word of the sites' URLs (a site page or an edition, not an outlet)"
                " (example: -a outlets=h24info,le360)"),
        ("h24info,Le 360", "outlets=h24info,Le 360: 'Le 360' is not spelt as an outlet slug: lower-case letters, digits,"
                           " '-' and '_' as in the URL (example: -a outlets=h24info,le360)"),
    ],
)
def test_outlets_say_why_a_slug_is_refused(value, message):
    with pytest.raises(ArgumentError) as error:
        CrawlArguments.parse(MAGHRESS, {"outlets": value})
    assert str(error.value) == message


def test_ids_say_that_editions_and_outlets_are_ignored(caplog):
    with caplog.at_level("WARNING"):
        args = CrawlArguments.parse(MAGHRESS, {"ids": "fr/h24info:1-2", "outlets": "le360"})
    assert args.ids and "ids replaces normal discovery, so outlets is ignored" in caplog.text


# --- end to end -----------------------------------------------------------------------------------------
GOOD = {
    "editions": ("maghress", {"editions": "fr"}),
    "outlets": ("maghress", {"outlets": "h24info,nosuchoutlet"}),
    "range": ("maghress", {"since": "2021-10-19", "until": "2021-10-30"}),
    "since_cut": ("djazairess", {"since": "2021-10-15"}),
    "ids": ("maghress", {"ids": "fr/h24info:1165380-1165388,hespress:75868-75870"}),
}
BAD = {  # name -> (arguments, what the error line must name)
    "editions=xx": ({"editions": "xx"}, "editions=xx"),
    "outlets=H24 Info": ({"outlets": "H24 Info"}, "outlets=H24 Info"),
    "since=20-10-2021": ({"since": "20-10-2021"}, "since=20-10-2021"),
    "since>until": ({"since": "2021-10-31", "until": "2021-10-01"}, "since=2021-10-31 is after until=2021-10-01"),
    "ids=foo": ({"ids": "foo"}, "ids=foo"),
    "revisit_days=week": ({"revisit_days": "week"}, "revisit_days=week"),
    "unknown": ({"color": "blue"}, "unknown spider argument color"),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    jobs = {name: (spider, tmp_path_factory.mktemp(name), {"args": args}) for name, (spider, args) in GOOD.items()}
    jobs |= {name: ("maghress", tmp_path_factory.mktemp("bad"), {"args": args}) for name, (args, _) in BAD.items()}
    return crawl_all(jobs)


def test_editions_limits_the_crawl_to_them(runs):
    result, hits = runs["editions"]
    assert result.returncode == 0, result.log[-2000:]
    assert folded_urls(result.items) == expected_urls(lambda g: g["site"] == "maghress" and g["edition"] == "fr")
    # the French edition's pages, and the source pages of its teasers (outlet hosts)
    outlets = {p["host"] for p in json.loads((CASES / "manifest.json").read_text(encoding="utf-8"))["sites"] if p["kind"] == "outlet"}
    assert [k for k in hits if not k.startswith(f"{MA} /fr/") and k != f"{MA} /robots.txt"
            and k.split(" ", 1)[0] not in outlets] == []


def test_outlets_limits_the_crawl_and_warns_about_an_unseen_slug(runs):
    result, hits = runs["outlets"]
    assert result.returncode == 0, result.log[-2000:]
    assert folded_urls(result.items) == expected_urls(lambda g: g["site"] == "maghress" and g["outlet_slug"] == "h24info")
    assert re.search(r"WARNING: outlets: 'nosuchoutlet' has not been seen on maghress yet", result.log)
    assert hit(hits, MA, "/fr/h24info") == 1 and hit(hits, MA, "/fr/h24info/rss") == 1
    assert hit(hits, MA, "/fr/le360") == 0 and hit(hits, MA, "/hespress") == 0


def test_since_and_until_are_inclusive_and_unknown_dates_are_kept(runs):
    result, _ = runs["range"]
    assert result.returncode == 0, result.log[-2000:]
    since, until = "2021-10-19", "2021-10-30"
    want = expected_urls(lambda g: g["site"] == "maghress" and (g["published"] is None or since <= g["published"] <= until))
    assert {"https://www.maghress.com/fr/h24info/1165384", "https://www.maghress.com/fr/lesiteinfo/1485450"} <= want
    assert folded_urls(result.items) == want
    published = {item["published"] for item in result.items}
    assert min(p for p in published if p) == since and max(p for p in published if p) == until
    assert None in published
    assert result.stat("newsbot/published/unknown") == 1  # kept and counted
    assert result.stat("newsbot/rejected/out_of_range") > 0


def test_since_stops_paginating_a_date_ordered_listing(runs):
    result, hits = runs["since_cut"]
    assert result.returncode == 0, result.log[-2000:]
    assert hit(hits, DZ, "/aps") == 1
    assert hit(hits, DZ, "/aps?page=2") == 0  # page 1 already reaches back before since
    assert result.stat("newsbot/listing/stopped_since") == 1
    want = expected_urls(lambda g: g["site"] == "djazairess" and (g["published"] or "9999") >= "2021-10-15")
    assert folded_urls(result.items) == want


def test_ids_replace_discovery_default_to_the_first_edition_and_count_404s(runs):
    result, hits = runs["ids"]
    assert result.returncode == 0, result.log[-2000:]
    assert folded_urls(result.items) == {
        "https://www.maghress.com/fr/h24info/1165381",
        "https://www.maghress.com/fr/h24info/1165384",
        "https://www.maghress.com/fr/h24info/1165386",
        "https://www.maghress.com/hespress/75869",  # no edition given: maghress's first, ar
    }
    assert result.stat("newsbot/ids/not_found") == 6 + 2
    assert sorted(k for k in hits if k != f"{MA} /robots.txt") == [  # no home page, listing or feed
        f"{MA} /fr/h24info/1165381", f"{MA} /fr/h24info/1165384", f"{MA} /fr/h24info/1165386", f"{MA} /hespress/75869",
    ]


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_argument_stops_the_crawl_before_any_request(runs, name):
    result, hits = runs[name]
    assert result.returncode != 0
    assert hits == {}  # not even robots.txt
    assert not result.feed.exists() and result.items == []
    errors = [line for line in result.log.splitlines() if "ERROR" in line or "CRITICAL" in line]
    assert len(errors) == 1, result.log[-3000:]
    assert BAD[name][1] in errors[0] and "example: -a " in errors[0]
    assert "Traceback" not in result.log
