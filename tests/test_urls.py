"""Canonical URLs and request fingerprints (:mod:`newsbot.family.urls`, :mod:`newsbot.fingerprint`,
:meth:`SiteProfile.classify`), with shared case NB-15 read by path."""

from __future__ import annotations

import re

import pytest
from scrapy import Request
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from newsbot.fingerprint import CanonicalRequestFingerprinter, canonical_request_url
from newsbot.sites import get_site, site_for_url
from newsbot.family.urls import PageKind
from newsbot.family.urls import canonical_site_url, strip_tracking
from tests.crawling import shared


@pytest.fixture(scope="module")
def fingerprinter() -> CanonicalRequestFingerprinter:
    crawler = get_crawler(settings_dict={"REQUEST_FINGERPRINTER_CLASS": "newsbot.fingerprint.CanonicalRequestFingerprinter"})
    return build_from_crawler(CanonicalRequestFingerprinter, crawler)


def nb15_groups() -> list[tuple[str, list[str]]]:
    """(canonical URL, spellings) per group of NB-15.txt."""
    groups: list[tuple[str, list[str]]] = []
    for line in shared("cases", "NB-15.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            groups.append((re.search(r"url (\S+)", line).group(1), []))
        elif line.strip():
            groups[-1][1].append(line.strip())
    return groups


def test_nb15_each_group_is_one_canonical_url_and_one_fingerprint(fingerprinter):
    groups = nb15_groups()
    assert [len(urls) for _, urls in groups] == [6, 2]
    prints = []
    for canonical, urls in groups:
        for url in urls:
            site = site_for_url(url)
            assert site is not None and site.canonical_url(url) == canonical, url
            assert site.classify(url).url == canonical
            assert canonical_request_url(url) == canonical
        group_prints = {fingerprinter.fingerprint(Request(url)) for url in urls}
        assert len(group_prints) == 1
        prints.append(group_prints.pop())
    assert len(set(prints)) == len(groups)  # two articles, two fingerprints


def test_other_sites_are_fingerprinted_as_scrapy_does(fingerprinter):
    scrapy_default = get_crawler().request_fingerprinter
    for url in ("https://lobservateur.info/ampArticle/103930", "https://www.h24info.ma/actu/1/?utm_source=x"):
        assert canonical_request_url(url) == url  # outlet URLs are never rewritten
        assert fingerprinter.fingerprint(Request(url)) == scrapy_default.fingerprint(Request(url))
    assert fingerprinter.fingerprint(Request("https://www.h24info.ma/a/1")) != fingerprinter.fingerprint(
        Request("https://h24info.ma/a/1")
    )


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://maghress.com/fr/", "https://www.maghress.com/fr/"),  # other site URLs keep their path
        ("https://www.maghress.com/fr/h24info?page=2&utm_medium=x", "https://www.maghress.com/fr/h24info?page=2"),
        ("https://www.maghress.com/rss#top", "https://www.maghress.com/rss"),
        ("https://maghress.com/%D8%A8%D8%AD%D8%AB", "https://www.maghress.com/%D8%A8%D8%AD%D8%AB"),
        ("https://maghress.com/بحث", "https://www.maghress.com/%D8%A8%D8%AD%D8%AB"),
        ("https://www.maghress.com/fr/le360/1?b=2&a=1&fbclid=z", "https://www.maghress.com/fr/le360/1?a=1&b=2"),
    ],
)
def test_canonical_site_url(url, canonical):
    assert canonical_site_url(url, "www.maghress.com") == canonical


def test_strip_tracking_keeps_other_parameters_and_fragments():
    assert strip_tracking("https://x.ma/a?utm_source=fb&id=3&UTM_Medium=y#c") == "https://x.ma/a?id=3#c"
    assert strip_tracking("https://x.ma/a?id=3") == "https://x.ma/a?id=3"


@pytest.mark.parametrize(
    ("site", "url", "kind", "edition", "slug", "number", "page"),
    [
        ("maghress", "https://www.maghress.com/", PageKind.HOME, "ar", None, None, 1),
        ("maghress", "http://maghress.com/fr", PageKind.HOME, "fr", None, None, 1),
        ("maghress", "https://www.maghress.com/fr/rss", PageKind.FEED, "fr", None, None, 1),
        ("maghress", "https://www.maghress.com/hespress/rss", PageKind.FEED, "ar", "hespress", None, 1),
        ("djazairess", "https://www.djazairess.com/aps?page=2", PageKind.LISTING, "ar", "aps", None, 2),
        ("djazairess", "https://djazairess.com/aps/385070/", PageKind.ARTICLE, "ar", "aps", 385070, 1),
        ("masress", "https://www.masress.com/en/egyptindependent/123450", PageKind.ARTICLE, "en", "egyptindependent", 123450, 1),
    ],
)
def test_classify(site, url, kind, edition, slug, number, page):
    where = get_site(site).classify(url)
    assert (where.kind, where.edition, where.outlet_slug, where.article_number, where.page) == (
        kind, edition, slug, number, page)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.maghress.com/fr/admin/",  # reserved segment
        "https://www.maghress.com/search?q=x",
        "https://www.maghress.com/en/le360/1",  # maghress has no English edition
        "https://www.masress.com/fr/",  # nor masress a French one
        "https://www.maghress.com/fr/h24info/1165387/comments",
        "https://www.h24info.ma/fr/h24info/1165387",  # another site
    ],
)
def test_classify_rejects_what_is_not_a_page_of_the_site(url):
    site = site_for_url(url) or get_site("maghress")
    assert site.classify(url) is None


# --- article URL variants (issue 9): a query and leading zeros are one article -------------------

@pytest.mark.parametrize(
    "url",
    [
        "https://www.maghress.com/fr/h24info/12345",
        "https://www.maghress.com/fr/h24info/012345",
        "https://www.maghress.com/fr/h24info/0000012345/",
        "https://www.maghress.com/fr/h24info/12345?page=2",
        "http://maghress.com/fr/h24info/012345/?page=2&utm_source=fb#comments",
        "https://www.maghress.com/fr/h24info/12345?print=1&lang=fr",
    ],
)
def test_article_url_variants_are_one_url_one_id_one_fingerprint(url, fingerprinter):
    site = get_site("maghress")
    canonical = "https://www.maghress.com/fr/h24info/12345"
    where = site.classify(url)
    assert (where.url, where.article_id) == (canonical, "maghress:fr:h24info:12345")
    assert site.canonical_url(url) == canonical == canonical_request_url(url)
    assert fingerprinter.fingerprint(Request(url)) == fingerprinter.fingerprint(Request(canonical))


def test_listings_keep_their_page_and_arabic_articles_lose_zeros():
    site = get_site("maghress")
    assert site.classify("https://www.maghress.com/fr/h24info?page=2").url == "https://www.maghress.com/fr/h24info?page=2"
    assert site.classify("https://www.maghress.com/fr/h24info?page=2").page == 2
    assert site.classify("https://maghress.com/hespress/0055?x=1").url == "https://www.maghress.com/hespress/55"
