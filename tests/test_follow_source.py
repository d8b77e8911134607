"""Follow to the source (issue 10): the acceptance rule, the reasons a teaser is kept, the
off-site judgement of source requests, the pending item's round trip through the cluster and
``JOBDIR`` queues, and ``-a follow_source=0`` in a real crawl.

The crawls of the cases snapshot with following on are in ``test_crawl_cases`` (a source that
works, a 404, a home page, another article, robots.txt, a redirect off the host), those of the
reference snapshot in ``test_crawl_reference`` and ``test_cluster_split``.
"""

from __future__ import annotations

import pickle
from collections import Counter
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from newsbot.cluster.serializer import dumps, loads
from newsbot.config import SettingError, validate_settings
from newsbot.items import ArticleItem
from newsbot.loaders import load_outlet_body
from newsbot.middlewares.offsite import META_SOURCE, PortAwareOffsiteMiddleware, SourceOffSite, follows_source
from newsbot.outlets import OutletText
from newsbot.sites import get_site
from newsbot.spiders.arguments import ArgumentError, CrawlArguments
from newsbot.spiders.sites import MaghressSpider  # type: ignore[attr-defined]
from newsbot.spiders.source import SOURCE_PRIORITY, source_failure
from newsbot.text.body import clean_lines
from newsbot.text.teaser import (
    AGGREGATOR_EXTRACTOR,
    aggregator_confidence,
    follow_reason,
    outlet_holds_teaser,
    teaser_mark,
    teaser_words,
)
from tests.cases_snapshot import GOLD, crawl_cases, hit

SAFI_TEASER = ("Les professionnels de la pêche côtière de Safi se montrent optimistes pour la saison de la sardine, "
               "après plusieurs semaines (...)")
SAFI_PAGE = ("Les professionnels de la pêche côtière de Safi se montrent optimistes pour la saison de la sardine, après "
             "plusieurs semaines de sorties en mer jugées encourageantes.\n\nSelon les armateurs, les prises sont en hausse.")


# --- the acceptance rule --------------------------------------------------------------------
@pytest.mark.parametrize(("page", "teaser", "holds"), [
    (SAFI_PAGE, SAFI_TEASER, True),
    # case, accents, apostrophes and punctuation of the two texts differ: folded alike
    (SAFI_PAGE.upper().replace("é", "e").replace(",", " ;"), SAFI_TEASER, True),
    # the teaser runs over a paragraph break of the outlet's page
    ("Premier paragraphe du port de Tanger.\n\nIl accueille des navires depuis lundi soir.",
     "Premier paragraphe du port de Tanger. Il accueille des navires (...)", True),
    # the teaser's last word cut in the middle, with a bare ellipsis
    (SAFI_PAGE, "Les professionnels de la pêche côtière de Safi se montrent optim…", True),
    # Arabic: hamza, ta marbuta and diacritics written otherwise on the outlet's page
    ("إنطلقت حملة التلقيح ضد الأنفلونزا الموسمية في كل الولايات.", "انطلقت حملةُ التلقيح ضد الانفلونزا الموسمية (...)", True),
    # another article, the outlet's home page, a cookie wall
    ("La fédération de handball a dévoilé le calendrier de la saison.", SAFI_TEASER, False),
    ("Politique Economie Sport Culture\n\nHandball : le calendrier\n\nClimat : un hiver sec", SAFI_TEASER, False),
    ("Nous utilisons des cookies pour améliorer votre expérience. Accepter Refuser", SAFI_TEASER, False),
    # the teaser's words out of order, or only some of them
    ("de Safi se montrent optimistes Les professionnels de la pêche côtière pour la saison", SAFI_TEASER, False),
    # a word of the page that merely begins like the teaser's last word is not the word
    ("Le port de Tanger Med accueille les navires", "Le port de Tanger Med accueille les nav (...)", True),
    ("Le port de Tangerois accueille", "Le port de Tanger (...)", False),
    # a teaser too short to prove anything, and no page at all
    (SAFI_PAGE, "Les (...)", False),
    ("", SAFI_TEASER, False),
    (None, SAFI_TEASER, False),
])
def test_outlet_holds_teaser(page, teaser, holds):
    assert outlet_holds_teaser(page, teaser) is holds


def test_teaser_words_drop_the_mark_only():
    assert teaser_words(SAFI_TEASER).endswith("après plusieurs semaines")
    assert teaser_words("Il a dit « nous verrons... »") == "Il a dit « nous verrons... »"
    assert teaser_words("Fin de la phrase [...]") == "Fin de la phrase"
    assert teaser_words(None) == ""


def test_teaser_mark_and_follow_reason():
    assert teaser_mark("Début de l'article (…)") and teaser_mark("Début de l'article …")
    assert not teaser_mark("Une phrase finie.") and not teaser_mark("Trois points à la fin...")
    assert follow_reason("x" * 500 + " (...)", False, 100) == "teaser"
    assert follow_reason("x" * 500, True, 100) == "teaser"  # the page extractor said so
    assert follow_reason("x" * 99, False, 100) == "short"
    assert follow_reason("x" * 100, False, 100) is None
    assert follow_reason("x" * 99, False, 0) is None


def test_aggregator_confidence_is_the_documented_rule():
    assert AGGREGATOR_EXTRACTOR.startswith("newsbot-ress ")
    assert aggregator_confidence("x" * 150, False) == 1.0
    assert aggregator_confidence("x" * 149, False) == 0.6
    assert aggregator_confidence("x" * 3000 + " (...)", False) == 0.3
    assert aggregator_confidence("", False) == 0.0


# --- why a teaser is kept -------------------------------------------------------------------
def _failure(exception: BaseException) -> Failure:
    return Failure(exception)


@pytest.mark.parametrize(("exception", "reason"), [
    (HttpError(Response("https://lobservateur.info/x", status=404), "Ignoring non-200 response"), "http_error"),
    (SourceOffSite("source https://a.example/x redirected off its host"), "off_site"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots"),
    (IgnoreRequest("redirect loop: back to a URL of the chain"), "unreachable"),
    (IgnoreRequest("<200 https://a.example/x> body (900 B compressed, 9000 B decompressed so far) exceeded "
                   "DOWNLOAD_MAXSIZE (8192 B) during decompression."), "too_large"),
    (IgnoreRequest("truncated_body: the gzip stream ends before its end-of-stream marker"), "unreachable"),
    (DownloadTimeoutError("took longer than 30.0 seconds"), "unreachable"),
    (ConnectionRefusedError(), "unreachable"),
    (DownloadCancelledError("Expected to receive 9000000 bytes which is larger than download max size (8388608)"),
     "too_large"),
])
def test_source_failure_reasons(exception, reason):
    assert source_failure(_failure(exception)) == reason


# --- the off-site judgement -----------------------------------------------------------------
@pytest.fixture
def offsite():
    crawler = get_crawler(MaghressSpider)
    crawler.spider = crawler._create_spider()
    middleware = PortAwareOffsiteMiddleware.from_crawler(crawler)
    middleware.spider_opened(crawler.spider)
    return middleware, crawler


def _source_request(url: str, source: str | None = None) -> Request:
    request = Request(url, errback=lambda f: None, dont_filter=True)
    request.meta[META_SOURCE] = source or url
    return request


def test_a_source_request_is_the_one_request_allowed_off_the_site(offsite):
    middleware, crawler = offsite
    source = "https://lobservateur.info/ampArticle/103930"
    middleware.request_scheduled(_source_request(source), crawler.spider)  # not judged when scheduled ...
    assert middleware.process_request(_source_request(source)) is None  # ... allowed when downloaded
    # a redirect that stays on the outlet's host (another path, https) is allowed too
    assert middleware.process_request(_source_request("https://lobservateur.info/article/103930",
                                                      "http://lobservateur.info/ampArticle/103930")) is None
    # one to another host (or another port of it) is refused in a way that reaches the errback
    for target in ("https://www.autre-site.example/article/1", "https://lobservateur.info:8443/ampArticle/103930"):
        with pytest.raises(SourceOffSite):
            middleware.process_request(_source_request(target, source))
    assert crawler.stats.get_value("offsite/filtered") == 2
    # the same URL without the source mark is an ordinary off-site request
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request(source))
    # the source host's robots.txt is allowed (robots.txt is obeyed there), another host's is not
    robots = Request("https://lobservateur.info/robots.txt", meta={"dont_obey_robotstxt": True})
    assert middleware.process_request(robots) is None
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("https://other.example/robots.txt", meta={"dont_obey_robotstxt": True}))
    assert middleware.process_request(Request("https://www.maghress.com/fr/h24info/1")) is None


def test_follows_source_needs_the_same_host_and_port():
    source = urlsplit("https://lobservateur.info/a")
    assert follows_source(urlsplit("http://lobservateur.info/b"), source)
    assert follows_source(urlsplit("https://lobservateur.info:443/b"), source)
    assert not follows_source(urlsplit("https://lobservateur.info.evil.example/a"), source)
    assert not follows_source(urlsplit("ftp://lobservateur.info/a"), source)


# --- the spider's side ------------------------------------------------------------------------
def _spider(settings: dict | None = None, **args: str):
    crawler = get_crawler(MaghressSpider, settings_dict=settings or {})
    return crawler._create_spider(**args)


def _teaser_item(body: str = SAFI_TEASER, source: str | None = "https://lobservateur.info/ampArticle/103930") -> ArticleItem:
    parts = clean_lines([body])
    return ArticleItem(
        article_id="maghress:fr:lobservateur:1076680", url="https://www.maghress.com/fr/lobservateur/1076680",
        site="maghress", edition="fr", language="fr", outlet="L'Observateur du Maroc", outlet_slug="lobservateur",
        title="Safi : la saison de la sardine", published="2021-11-08", body=parts.body,
        body_source="aggregator_teaser", extractor=AGGREGATOR_EXTRACTOR, extraction_confidence=0.3,
        source_url=source, crawled_at="2026-12-03T08:00:00Z", body_parts=parts, body_folded=parts.folded)


def test_a_teaser_becomes_a_source_request_carrying_its_item():
    spider = _spider()
    item = _teaser_item()
    [request] = list(spider.follow_source(item))
    assert isinstance(request, Request) and request.url == item.source_url
    assert request.meta[META_SOURCE] == request.url and request.dont_filter and request.priority == SOURCE_PRIORITY
    assert request.cb_kwargs == {"item": item}
    assert request.callback == spider.parse_source and request.errback == spider._source_failed
    # a normal body, a short body, a teaser without source, following off
    full = _teaser_item(body="x" * 300)
    full.body_source = "aggregator"
    assert list(spider.follow_source(full)) == [full]
    short = _teaser_item(body="Un texte court sans marque.")
    short.body_source = "aggregator"
    assert isinstance(next(iter(spider.follow_source(short))), Request)
    no_source = _teaser_item(source=None)
    assert list(spider.follow_source(no_source)) == [no_source]
    assert spider.crawler.stats.get_value("newsbot/source/no_source") == 1
    off = _spider(follow_source="0")
    assert list(off.follow_source(item)) == [item]
    assert off.crawler.stats.get_value("newsbot/source/disabled") == 1


def test_the_argument_wins_over_the_setting():
    assert _spider({"NEWSBOT_FOLLOW_SOURCE": False})._following is False
    assert _spider({"NEWSBOT_FOLLOW_SOURCE": False}, follow_source="1")._following is True
    assert _spider({"NEWSBOT_FOLLOW_SOURCE": True}, follow_source="no")._following is False
    assert _spider()._following is True  # the default
    with pytest.raises(ArgumentError, match="follow_source=maybe: write follow_source=1 or follow_source=0"):
        CrawlArguments.parse(get_site("maghress"), {"follow_source": "maybe"})


@pytest.mark.parametrize(("name", "value"), [("NEWSBOT_FOLLOW_SOURCE", "perhaps"), ("NEWSBOT_TEASER_MAX_CHARS", "-1"),
                                             ("NEWSBOT_TEASER_MAX_CHARS", "ten")])
def test_bad_settings_fail_fast(name, value):
    from scrapy.settings import Settings

    with pytest.raises(SettingError, match=name):
        validate_settings(Settings({name: value}))


def _outlet_response(body: str, url: str = "https://lobservateur.info/ampArticle/103930") -> HtmlResponse:
    request = _source_request(url)
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=request)


def test_parse_source_takes_the_outlet_text_only_when_it_holds_the_teaser():
    spider = _spider()
    item = _teaser_item()
    paragraphs = "".join(f"<p>{p}</p>" for p in SAFI_PAGE.split("\n\n"))
    page = (f"<html><head><title>Safi</title></head><body><nav><a href='/'>Accueil</a></nav><article><h1>Safi</h1>"
            f"{paragraphs}<p>Lire aussi : Pêche, les quotas revus</p>"
            "<p>Les conserveries de la ville ont, de leur côté, recruté des saisonniers supplémentaires pour faire face"
            " à l'afflux de poisson débarqué chaque matin au port.</p></article></body></html>")
    [taken] = list(spider.parse_source(_outlet_response(page), item))
    assert taken.body_source == "outlet" and SAFI_PAGE.split("\n\n")[0] in taken.body
    assert "Lire aussi" not in taken.body  # the same stateless body rules as an aggregator body
    assert not taken.extractor.startswith("newsbot-ress ") and 0 <= taken.extraction_confidence <= 1
    assert (taken.url, taken.title, taken.published, taken.source_url, taken.crawled_at) == (
        item.url, item.title, item.published, item.source_url, item.crawled_at)
    assert taken.body_folded == " ".join(p.folded for p in taken.body_parts.paragraphs)
    assert item.body_source == "aggregator_teaser"  # the pending item itself is not changed
    other = page.replace("Safi", "Agadir").replace("sardine", "crevette")
    [kept] = list(spider.parse_source(_outlet_response(other), item))
    assert kept is item
    [kept] = list(spider.parse_source(_outlet_response("<html><body><p>Accueil</p></body></html>"), item))
    assert kept is item
    not_html = Response("https://lobservateur.info/a.pdf", body=b"%PDF-1.4", request=_source_request("https://lobservateur.info/a.pdf"))
    assert list(spider.parse_source(not_html, item)) == [item]
    assert Counter({k: v for k, v in spider.crawler.stats.get_stats().items() if k.startswith("newsbot/source/")}) == Counter({
        "newsbot/source/used": 1, "newsbot/source/no_teaser_text": 1, "newsbot/source/not_article": 2})


def test_the_errback_keeps_the_teaser():
    spider = _spider()
    item = _teaser_item()
    [request] = list(spider.follow_source(item))
    failure = Failure(IgnoreRequest("Forbidden by robots.txt"))
    failure.request = request
    assert list(spider._source_failed(failure)) == [item]
    assert spider.crawler.stats.get_value("newsbot/source/robots") == 1


def test_load_outlet_body_clamps_the_confidence():
    item = _teaser_item()
    out = load_outlet_body(item, OutletText("Un texte.\n\nLire aussi: Autre chose\n\nLa suite.", "readability-lxml 0.8.4.1", 1.7))
    assert (out.body, out.extractor, out.extraction_confidence) == ("Un texte.\n\nLa suite.", "readability-lxml 0.8.4.1", 1.0)


# --- the pending item survives the queues -----------------------------------------------------
def test_the_source_request_round_trips_through_the_cluster_and_jobdir_queues():
    spider = _spider()
    item = _teaser_item()
    [request] = list(spider.follow_source(item))
    data = request.to_dict(spider=spider)
    for back in (loads(dumps(data)), pickle.loads(pickle.dumps(data, protocol=4))):  # Redis; JOBDIR (scrapy.squeues)
        again = request_from_dict(back, spider=spider)
        assert again.url == request.url and again.meta == request.meta and again.dont_filter
        assert again.callback == spider.parse_source and again.errback == spider._source_failed
        pending = again.cb_kwargs["item"]
        assert pending == item
        assert pending.body_parts.texts == item.body_parts.texts and pending.body_folded == item.body_folded


# --- -a follow_source=0 in a real crawl -------------------------------------------------------
def test_follow_source_0_writes_the_teasers_and_fetches_no_outlet_page(tmp_path):
    result, hits = crawl_cases("maghress", tmp_path, args={"editions": "fr", "follow_source": "0"})
    assert result.returncode == 0, result.log[-3000:]
    teasers = {g["url"]: g for g in GOLD if "teaser_only" in g["cases"]}
    got = {item["url"]: item for item in result.items if item["url"] in teasers}
    assert sorted(got) == sorted(teasers)
    for url, item in got.items():
        assert (item["body"], item["body_source"]) == (teasers[url]["teaser"], "aggregator_teaser")
        assert (item["extractor"], item["extraction_confidence"]) == (AGGREGATOR_EXTRACTOR, 0.3)
    assert result.stat("newsbot/source/disabled") == len(teasers)
    assert result.stat("newsbot/source/requested") == 0
    assert not [k for k in hits if k.startswith("lobservateur.info ")]
    assert hit(hits, "www.maghress.com", "/fr/lobservateur/1076680") == 1


# --- what an outlet's host may do: a real crawl of a small snapshot -----------------------------
_ARTICLE = ('<html><head><meta charset="utf-8"></head><body><span class="articletitle">{t}</span>'
            '<span class="articlenewspaper">{d}</span><span class="articlecontent">{b}</span>'
            '<div class="articlesource"><a href="{s}">Cliquez ici pour lire l\'article depuis sa source.</a></div>'
            '</body></html>')
_FR_DATELINE = 'Publié dans <a href="/fr/varia">Varia</a> le 06 - 10 - 2021'
_AR_DATELINE = 'نشر في <a href="/varia">فاريا</a> يوم 06 - 10 - 2021'
_AR_PARAGRAPHS = [
    "أعلنت المديرية الإقليمية للتجهيز عن انطلاق أشغال توسيع الطريق الرابطة بين المدينة والمطار، على طول اثني عشر كيلومترا.",
    "وتشمل الأشغال إحداث ممرات للراجلين وتجديد الإنارة العمومية، على أن تنتهي قبل فصل الصيف المقبل.",
    "وأكد المسؤولون أن حركة السير ستبقى مفتوحة طيلة مدة الأشغال، مع تحويلات مؤقتة في بعض المقاطع.",
]


def _outlet_article(title: str, paragraphs: list[str], lang: str = "fr") -> str:
    direction = ' dir="rtl"' if lang == "ar" else ""
    paras = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"{direction}><head><meta charset="utf-8"><title>{title}</title></head>'
            f'<body><header><a href="/">Accueil</a></header><article><h1>{title}</h1>{paras}</article>'
            '<footer><a href="/contact">Contact</a></footer></body></html>')


def test_outlet_hosts_that_fail_keep_the_teaser_and_not_the_crawl(tmp_path):
    from tests.crawling import crawl_snapshot, write_snapshot

    host = "www.maghress.com"
    teasers = {n: f"{what} de la nouvelle station de dessalement de Dakhla {how} selon le calendrier prévu (...)"
               for n, what, how in (("1", "Les travaux", "avancent"), ("2", "Le chantier", "progresse"),
                                    ("3", "Les essais", "commencent"))}
    teaser = teasers["2"]
    big = _outlet_article("Dakhla", [teaser[:-6] + " et seront achevés au printemps."]
                          + [f"Un long paragraphe numéro {n}. " * 50 for n in range(400)])
    arabic_teaser = _AR_PARAGRAPHS[0][:70].rsplit(" ", 1)[0] + " (...)"
    # the outlet writes hamza and ta marbuta otherwise than the aggregator's teaser
    arabic_page = _outlet_article("توسيع الطريق", [p.replace("أعلنت", "اعلنت") for p in _AR_PARAGRAPHS], lang="ar")
    snapshot = write_snapshot(tmp_path / "snapshot", {
        (host, "/robots.txt"): (200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow:\n"),
        (host, "/fr/varia/1"): (200, {}, _ARTICLE.format(t="Dakhla : le dessalement", d=_FR_DATELINE, b=teasers["1"],
                                                        s="https://en-panne.example/article/1")),
        (host, "/fr/varia/2"): (200, {}, _ARTICLE.format(t="Dakhla : les travaux", d=_FR_DATELINE, b=teasers["2"],
                                                        s="https://lourd.example/article/2")),
        (host, "/fr/varia/3"): (200, {}, _ARTICLE.format(t="Dakhla : le chantier", d=_FR_DATELINE, b=teasers["3"],
                                                        s="https://instable.example/article/3")),
        (host, "/varia/4"): (200, {}, _ARTICLE.format(t="توسيع الطريق نحو المطار", d=_AR_DATELINE, b=arabic_teaser,
                                                     s="https://arabe.example/article/4")),
        ("en-panne.example", "/robots.txt"): (503, {"Content-Type": "text/plain"}, "Service Unavailable"),
        ("en-panne.example", "/article/1"): (200, {}, _outlet_article("Dakhla", [teasers["1"][:-6] + "."])),
        ("lourd.example", "/article/2"): (200, {}, big),
        ("instable.example", "/article/3"): (503, {}, "Service Unavailable"),
        ("arabe.example", "/article/4"): (200, {}, arabic_page),
    })
    result = crawl_snapshot("maghress", snapshot, tmp_path / "crawl", args={"ids": "fr/varia:1-3,ar/varia:4"},
                            settings={"NEWSBOT_BOILERPLATE_WARMUP": 0, "DOWNLOAD_MAXSIZE": 100_000,
                                      "DOWNLOAD_WARNSIZE": 0})
    # every article written, the crawl not failed by its outlets' trouble (exit 0, no ERROR line)
    assert result.returncode == 0, result.log[-3000:]
    assert " ERROR: " not in result.log, [line for line in result.log.splitlines() if " ERROR: " in line]
    items = {item["url"].rsplit("/", 1)[1]: item for item in result.items}
    assert sorted(items) == ["1", "2", "3", "4"]
    for number in ("1", "2", "3"):
        assert (items[number]["body_source"], items[number]["body"]) == ("aggregator_teaser", teasers[number])
    assert items["4"]["body_source"] == "outlet" and items["4"]["body"].split("\n\n")[-1] == _AR_PARAGRAPHS[-1]
    sources = {k: v for k, v in result.stats.items() if k.startswith("newsbot/source/")}
    assert sources == {"newsbot/source/requested": 4, "newsbot/source/robots": 1, "newsbot/source/too_large": 1,
                       "newsbot/source/http_error": 1, "newsbot/source/used": 1,
                       "newsbot/source/retries": 6}  # RETRY_TIMES 3 for the 503 robots.txt and the 503 page
    assert result.stat("newsbot/robots/server_error") == 1
    assert "robots.txt of en-panne.example answered 503" in result.log
    assert not any(k.startswith("newsbot/rejected/") for k in result.stats)  # an outlet page is no page of the site


def test_a_jobdir_crawl_queues_the_source_request_on_disk(tmp_path):
    """Under ``JOBDIR`` the source request, its pending item in ``cb_kwargs``, goes through the
    disk queue (pickled): the teaser's article comes out with its outlet text."""
    result, hits = crawl_cases("maghress", tmp_path / "crawl", args={"editions": "fr"},
                               settings={"JOBDIR": str(tmp_path / "job")})
    assert result.returncode == 0, result.log[-3000:]
    assert "Unable to serialize request" not in result.log
    assert result.stat("scheduler/enqueued/disk") > 0 and result.stat("scheduler/enqueued/memory", 0) == 0
    [safi] = [g for g in GOLD if g.get("full_text_at") and "source_reason" not in g]
    item = result.by_url()[safi["url"]]
    assert (item["body_source"], item["body"]) == ("outlet", safi["body"])
    assert hit(hits, "lobservateur.info", "/ampArticle/103930") == 1


def test_an_aggregator_page_as_source_is_refused_and_redirected_ids_stay_done():
    """A source link leading back to an aggregator's article page (the site itself, a sister
    site): not the outlet's page. The ids that redirected to the article page (NB-14) are
    recorded as done with the item the source page gives."""
    from newsbot.extensions.seen import _article_ids

    spider = _spider()
    item = _teaser_item()
    aggregator = ('<html><body><span class="articletitle">Safi</span><span class="articlecontent">'
                  f'{SAFI_PAGE}</span></body></html>')
    assert list(spider.parse_source(_outlet_response(aggregator), item)) == [item]
    assert spider.crawler.stats.get_value("newsbot/source/not_article") == 1
    article_page = HtmlResponse(item.url, body=b"<html></html>", request=Request(
        item.url, meta={"redirect_urls": ["https://www.maghress.com/fr/lobservateur/1076679"]}))
    [request] = list(spider.follow_source(item, article_page))
    source_page = HtmlResponse(request.url, body=b"<html></html>", request=request)
    assert _article_ids(item, source_page) == ["maghress:fr:lobservateur:1076680", "maghress:fr:lobservateur:1076679"]
    failure = Failure(ConnectionRefusedError())
    failure.request = request  # an errback's item: Scrapy hands the failure as the response
    assert _article_ids(item, failure)[1:] == ["maghress:fr:lobservateur:1076679"]
