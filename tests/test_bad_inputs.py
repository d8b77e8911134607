"""The bad-input corpus (``tests/bad_inputs/``, issue 9): every case crawled in ONE run.

One ``scrapy crawl maghress`` over a replica serving every case (``tests/bad_inputs/cases.py``)
must finish cleanly, write every good article exactly as ``gold.jsonl`` has it, and give every
bad page one log line (URL and reason) and one count (``newsbot/rejected/<reason>``, or
``newsbot/dropped/<reason>`` for an item a pipeline dropped), with the reason the case expects.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from newsbot.items import PUBLIC_FIELDS
from tests.bad_inputs.cases import GOLD, SITE, load_gold
from tests.bad_inputs.cases import corpus as corpus_cases
from tests.bad_inputs.run import CorpusCrawl, crawl_corpus, expected_counts, public
from tests.crawling import SHARED


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> CorpusCrawl:
    return crawl_corpus(tmp_path_factory.mktemp("bad-inputs"))


def by_name(corpus: CorpusCrawl, name: str):
    return next(c for c in corpus.cases if c.name == name)


def test_the_corpus_is_big_enough(corpus):
    bad = [c for c in corpus.cases if c.expect != "item"]
    assert len(corpus.cases) >= 50 and len(bad) >= 30, len(corpus.cases)
    assert len({c.name for c in corpus.cases}) == len(corpus.cases)
    assert len({c.url for c in corpus.cases}) == len(corpus.cases)


def test_the_readme_lists_every_case_with_its_outcome():
    readme = (GOLD.parent / "README.md").read_text(encoding="utf-8")
    cases, _ = corpus_cases()
    missing = [c.name for c in cases if f"| `{c.name}` | `{c.url.removeprefix(SITE)}` | `{c.expect}` |" not in readme]
    assert missing == [], "add their rows to tests/bad_inputs/README.md"


def test_the_shared_cases_are_in_it(corpus):
    if corpus.skipped:
        pytest.skip(f"{len(corpus.skipped)} cases left out: {SHARED / 'cases'} is absent (../shared beside the checkout)")
    assert {c.shared for c in corpus.cases if c.shared} == {
        "NB-01.http", "NB-02.http", "NB-03.http", "NB-10.html", "NB-12.html", "NB-14.txt", "NB-15.txt",
        "NB-21.xml.gz.gz", "NB-23.xml"}


def test_the_crawl_finishes_cleanly(corpus):
    result = corpus.result
    assert result.returncode == 0, result.log[-3000:]
    assert result.stat("finish_reason", None) == "finished"
    assert "Traceback" not in result.log and "Deprecat" not in result.log
    # the one ERROR a case asks for: a robots.txt answering 5xx (RFC 9309 says: say it loudly)
    wanted = [c.says for c in corpus.cases if c.expect == "forbidden" and c.says]
    errors = [line for line in result.log.splitlines() if re.search(r"\] (ERROR|CRITICAL):", line)]
    assert [line for line in errors if not any(w in line for w in wanted)] == [], errors
    assert all(sum(w in line for line in errors) == 1 for w in wanted), errors
    assert not {k: n for k, n in result.stats.items() if k.startswith("newsbot/malformed/")}


def test_every_good_article_is_in_the_feed_exactly(corpus):
    wanted = {c.url for c in corpus.cases if c.expect == "item"}
    gold = {g["url"]: g for g in load_gold() if g["url"] in wanted}
    assert set(gold) == wanted, f"{GOLD} lacks {wanted - set(gold)}: python -m tests.bad_inputs.run --write-gold"
    urls = [item["url"] for item in corpus.result.items]
    assert len(urls) == len(set(urls)), [u for u, n in Counter(urls).items() if n > 1]
    assert set(urls) == wanted, (wanted - set(urls), set(urls) - wanted)
    problems = {item["url"]: public(item) for item in corpus.result.items if public(item) != gold[item["url"]]}
    assert problems == {}


def test_every_record_has_every_field_in_order(corpus):
    for line in corpus.result.feed.read_text(encoding="utf-8").splitlines():
        assert tuple(json.loads(line)) == PUBLIC_FIELDS


def test_every_bad_page_is_logged_once_with_its_reason(corpus):
    problems = {}
    for case in corpus.cases:
        if case.expect == "forbidden" or (case.expect in ("item", "handled") and not case.says):
            continue
        lines = corpus.lines_about(case.url)
        saying = [line for line in lines if case.says in line]
        if case.expect in ("item", "handled"):
            ok = len(saying) == 1
        else:  # the loss: one line naming the URL, and no other line of warning or worse about it
            ok = len(saying) == 1 and not [line for line in lines if line not in saying and "] INFO: " not in line]
        if not ok:
            problems[case.name] = lines
    assert problems == {}


def test_every_bad_page_is_counted_once_under_its_reason(corpus):
    assert corpus.counts() == expected_counts(corpus.cases), "counts by reason differ from the cases' reasons"
    assert corpus.result.stat("robotstxt/forbidden") == sum(c.expect == "forbidden" for c in corpus.cases)


def test_other_counters_match_the_cases(corpus):
    expected = Counter()
    for case in corpus.cases:
        expected.update(case.stats)
    for key, count in expected.items():
        assert corpus.result.stat(key) == count, key


def test_no_bad_page_yields_an_item(corpus):
    urls = {item["url"] for item in corpus.result.items}
    assert not [c.name for c in corpus.cases if c.expect not in ("item", "handled") and c.url in urls]


def test_what_was_fetched(corpus):
    assert all(corpus.hit(c.url) == 0 for c in corpus.cases if c.expect == "forbidden")
    assert corpus.hit(by_name(corpus, "listing_next_is_itself").url) == 1  # its next link is itself
    assert corpus.hit(by_name(corpus, "url_spellings").url) == 1  # six spellings, one request
    assert corpus.hit(by_name(corpus, "http_500").url) == 4  # RETRY_TIMES = 3
    assert corpus.hit(by_name(corpus, "timeout").url) == 4
    assert corpus.hit(by_name(corpus, "http_503_then_200").url) == 2
    assert corpus.hit(by_name(corpus, "http_404").url) == 1  # a 404 is not retried
    for name in ("redirect_loop", "redirect_to_self"):
        assert corpus.hit(by_name(corpus, name).url) == 1, name
    # a compressed body cut short or undecodable is not retried; URL variants of an article are one request
    for name in ("truncated_gzip", "truncated_deflate", "truncated_br", "truncated_gzip_trailer", "truncated_zstd",
                 "plain_labelled_gzip", "garbage_labelled_br", "url_query_page", "url_leading_zeros", "url_query_and_zeros"):
        assert corpus.hit(by_name(corpus, name).url) == 1, name


def test_script_redirects(corpus):
    """Followed on the site (the stub fetched once, its target once), never off it, never from
    an ordinary article that only changes location on small screens."""
    for name in ("script_redirect_noscript", "script_redirect_script_only", "script_redirect_noscript_only"):
        case = by_name(corpus, name)
        assert corpus.hit(case.links[0]) == 1 and corpus.hit(case.url) == 1, name
    # a redirect to another spelling of an article: that spelling fetched once, the record canonical
    for name, spelling in (("script_redirect_to_variant", "/fr/lematin/0900308?page=2"),
                           ("redirect_to_variant", "/fr/lematin/00900310?page=2")):
        case = by_name(corpus, name)
        assert corpus.hit(SITE + spelling) == 1 and corpus.hit(case.url) == 0, name
    assert corpus.hit("https://www.example-outlet.ma/actualite/900305") == 0
    assert not [k for k in corpus.hits if "/m/fr/" in k]
    assert corpus.result.stat("newsbot/rejected/missing_title") == sum(c.expect == "rejected/missing_title" for c in corpus.cases)


def test_robots_txt_5xx_disallows_only_its_host(corpus):
    """The bare host's robots.txt answers 503 (asked once, retried RETRY_TIMES): its page is never
    fetched; www (whose robots.txt answers 200) is crawled as usual."""
    case = by_name(corpus, "robots_503_other_host")
    assert corpus.hit(case.url) == 0 and corpus.hit(case.links[0]) == 1
    assert corpus.hit(case.url.rsplit("/fr/", 1)[0] + "/robots.txt") == 4
    assert corpus.result.stat("newsbot/robots/server_error") == 1


def test_hijri_datelines(corpus):
    published = {item["url"]: item["published"] for item in corpus.result.items}
    assert published[by_name(corpus, "hijri_numeric").url] == "2022-11-15"
    assert published[by_name(corpus, "hijri_arabic_indic").url] == "2024-03-22"
    assert published[by_name(corpus, "hijri_written").url] == "2024-03-15"
    assert published[by_name(corpus, "hijri_out_of_range").url] is None
    assert published[by_name(corpus, "hijri_invalid_month").url] is None


def test_feed_entities_are_never_expanded(corpus):
    """XXE and "billion laughs": the feeds' articles are read; no entity is expanded, so no
    local file is read and nothing inflates (the crawl finished in time, memory bounded)."""
    feed_text = corpus.result.feed.read_text(encoding="utf-8")
    assert "root:" not in feed_text and "root:x:0" not in corpus.result.log
    assert "lollol" not in feed_text and "lollol" not in corpus.result.log
    for name in ("xxe_rss_article", "billion_laughs_article", "rss_item_article", "rss_cut_item_article"):
        assert by_name(corpus, name).url in {item["url"] for item in corpus.result.items}, name


def test_shared_retry_then_redirect_writes_the_article_once(corpus):
    """Shared case NB-14 (scrapy/scrapy#6895): a 503 retried, then redirected to an article
    already fetched. The retry's dont_filter reaches the redirect, so the article is fetched a
    second time; the dedupe pipeline drops that second arrival: one record."""
    if corpus.skipped:
        pytest.skip(f"{SHARED / 'cases'} is absent")
    case = by_name(corpus, "shared_NB-14")
    assert [item["url"] for item in corpus.result.items].count(case.url) == 1
    assert corpus.result.stat("newsbot/dropped/duplicate_url") == 1


def test_shared_feeds_are_read_and_their_offsite_urls_not_followed(corpus):
    """Shared cases NB-21 (a sitemap gzipped twice, served as application/x-gzip) and NB-23
    (raw & and HTML entities): read without error; their URLs are on another site."""
    if corpus.skipped:
        pytest.skip(f"{SHARED / 'cases'} is absent")
    for name in ("shared_NB-21", "shared_NB-23"):
        assert corpus.hit(by_name(corpus, name).url) == 1, name
    assert "newsbot/feed/too_large" not in corpus.result.stats
    assert not [k for k in corpus.hits if "example.ma" in k]
