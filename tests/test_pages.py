"""Page extractors (:mod:`newsbot.pages`) on single files: pages of the cases snapshot
(``tests/snapshots/cases``, served headers included) and the founding page as rebuilt in
``../shared/sites/reference`` (skipped when ../shared is absent)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from scrapy.http import HtmlResponse, XmlResponse

from newsbot.text.dates import parse_date
from newsbot.loaders import load_article
from newsbot.sites import get_site
from newsbot.pages.article import parse_article, split_dateline
from newsbot.pages.feed import parse_feed
from newsbot.pages.listing import ListingEntry, parse_listing
from newsbot.text import normalize_text
from tests.cases_snapshot import CASES
from tests.crawling import shared

MANIFEST = json.loads((CASES / "manifest.json").read_text(encoding="utf-8"))
MA, DZ, EG = "https://www.maghress.com", "https://www.djazairess.com", "https://www.masress.com"


def page(url: str):
    """The snapshot's response for ``url``, as the downloader would build it."""
    host, path = url.split("://", 1)[1].split("/", 1)
    entry = next(e for e in MANIFEST["entries"] if e["host"] == host and e["path"] == "/" + path)
    cls = XmlResponse if "xml" in entry["headers"]["Content-Type"] else HtmlResponse
    return cls(url, headers=entry["headers"], body=(CASES / entry["file"]).read_bytes())


def paragraphs(lines: list[str]) -> list[str]:
    return [p for p in map(normalize_text, lines) if p]


# --- article pages ------------------------------------------------------------------------------
def test_article_with_br_lines_and_a_read_also_line():
    fields = parse_article(page(f"{MA}/fr/h24info/1165381"), "fr")
    assert fields.title == "Marrakech : 5 000 arbres plantés dans les quartiers est"
    assert fields.outlet == "H24 Info"
    assert fields.dateline == "Publié dans H24 Info le 28 - 10 - 2021"
    assert fields.date_text == "28 - 10 - 2021"
    assert paragraphs(fields.body_lines) == [
        "Une campagne de plantation de 5 000 arbres a été lancée samedi dans les quartiers est de Marrakech, à l'initiative de la commune et de plusieurs associations de riverains.",
        "Les essences retenues, principalement des oliviers et des caroubiers, ont été choisies pour leur faible besoin en eau, a indiqué un responsable des espaces verts.",
        "Lire aussi : Espaces verts : les villes misent sur les essences locales",  # the loader drops it
        "Une seconde phase est prévue au printemps dans les quartiers ouest de la ville.",
    ]
    assert fields.source_url == "https://www.h24info.ma/actu/1165381/"
    assert not fields.is_teaser


def test_entities_and_invisible_characters_raw_in_lines_clean_in_the_title():
    fields = parse_article(page(f"{MA}/fr/h24info/1165384"), "fr")
    assert fields.title == "Festival : la musique andalouse à l’honneur à Tétouan"
    assert "jeudi\u00a0soir" in fields.body_lines[1]  # lines stay raw for the pipelines
    assert paragraphs(fields.body_lines)[1] == (
        "« Nous avons voulu mettre en avant les jeunes ensembles », a déclaré le directeur artistique,"
        " qui annonce quatre soirées de concerts gratuits."
    )
    assert paragraphs(fields.body_lines)[0].startswith("La douzième édition du festival")  # NFC é


def test_arabic_page_with_invisible_marks():
    fields = parse_article(page(f"{MA}/assahifa/2236410"), "ar")
    assert fields.title == "موسم فلاحي جديد: توقعات متفائلة"
    assert paragraphs(fields.body_lines) == [
        "يستعد الفلاحون لانطلاق الموسم الفلاحي الجديد وسط توقعات متفائلة بفضل التساقطات الأخيرة.",
        "وأكدت مصادر مهنية أن أسعار البذور عرفت استقرارا مقارنة بالموسم الماضي.",
    ]
    assert fields.source_url == "https://assahifa.com/?p=2236410"


def test_several_content_spans_and_a_source_url_kept_as_written():
    fields = parse_article(page(f"{MA}/fr/le360/2042500"), "fr")
    assert paragraphs(fields.body_lines) == [
        "Les professionnels du tourisme de Chefchaouen observent une fréquentation soutenue en ce mois d'octobre, portée par la clémence du temps.",
        "Les maisons d'hôtes de la médina affichent un taux de remplissage proche de celui de l'été, selon l'association locale des hébergeurs.",
        "Plusieurs randonnées encadrées sont proposées dans le parc naturel voisin.",
        "A lire aussi : Tourisme intérieur : les petites villes tirent leur épingle du jeu",
    ]
    assert fields.source_url == "https://fr.le360.ma/tourisme/2042500?utm_source=maghress&utm_medium=referral"


def test_percent_encoded_source_url_is_not_rewritten():
    fields = parse_article(page(f"{MA}/hespress/75869"), "ar")
    assert fields.source_url == (
        "https://www.hespress.com/%d8%ae%d8%b7-%d8%ac%d8%af%d9%8a%d8%af-%d9%84%d9%84%d8%ad%d8%a7%d9%81%d9%84%d8%a7%d8%aa-75869.html"
    )
    assert (fields.outlet, fields.date_text) == ("هسبريس", "10 - 11 - 2021")


def test_page_without_dateline_or_source_link():
    fields = parse_article(page(f"{MA}/fr/lesiteinfo/1485440"), "fr")
    assert fields.title == "Kénitra : la gare routière en travaux pour six mois"
    assert (fields.outlet, fields.dateline, fields.date_text, fields.source_url) == (None, None, None, None)
    assert len(paragraphs(fields.body_lines)) == 2


def test_empty_title_span():
    fields = parse_article(page(f"{MA}/fr/fnh/1167810"), "fr")
    assert fields.title is None
    assert fields.outlet == "Finances News Hebdo"
    assert paragraphs(fields.body_lines)[0].startswith("Le marché obligataire a connu une semaine calme")


def test_teaser_only_page():
    fields = parse_article(page(f"{MA}/fr/lobservateur/1076680"), "fr")
    assert fields.is_teaser
    assert paragraphs(fields.body_lines) == [
        "Les professionnels de la pêche côtière de Safi se montrent optimistes pour la saison de la sardine, après plusieurs semaines (...)"
    ]
    assert fields.source_url == "https://lobservateur.info/ampArticle/103930"


def test_future_dateline_is_read_as_written():
    fields = parse_article(page(f"{MA}/fr/le360/2042520"), "fr")
    assert (fields.outlet, fields.date_text) == ("Le360", "15 - 03 - 2099")  # the spider leaves published null


def test_arabic_indic_digits_in_the_dateline():
    fields = parse_article(page(f"{DZ}/aps/385070"), "ar")
    assert fields.outlet == "وكالة الأنباء الجزائرية"
    assert fields.date_text == "٢٧ - ١٠ - ٢٠٢١"


def test_unclosed_tags():
    fields = parse_article(page(f"{DZ}/aps/385010"), "ar")
    assert (fields.outlet, fields.date_text) == ("وكالة الأنباء الجزائرية", "12 - 10 - 2021")
    assert paragraphs(fields.body_lines) == [
        "شرعت مصالح بلدية وهران في أشغال تهيئة عدد من الحدائق العمومية، تشمل تجديد الإنارة وغرس الأشجار.",
        "وتهدف العملية إلى توفير فضاءات للترفيه لفائدة العائلات، خاصة في الأحياء الجديدة.",
        "ومن المنتظر أن تنتهي الأشغال قبل حلول فصل الربيع.",
    ]
    assert fields.source_url == "https://www.aps.dz/ar/385010"


def test_ticker_pasted_into_the_body_keeps_its_separators_raw():
    fields = parse_article(page(f"{EG}/dostor/238230"), "ar")
    banner = fields.body_lines[0]
    assert banner.startswith("افتتاح معرض للفنون التشكيلية في القاهرة\u00a0\u00a0\u00a0\u00a0تطوير")
    assert banner.count("\u00a0" * 4) == 7
    assert paragraphs(fields.body_lines)[1:] == [
        "افتتح في القاهرة معرض للفنون التشكيلية يضم أعمال أكثر من ثلاثين فنانا شابا.",
        "ويستمر المعرض لمدة أسبوعين، ويتضمن لوحات ومنحوتات وأعمالا رقمية.",
    ]


def test_english_dateline():
    fields = parse_article(page(f"{EG}/en/egyptindependent/123450"), "en")
    assert fields.dateline == "Published in Egypt Independent on 25 - 10 - 2021"
    assert (fields.outlet, fields.date_text) == ("Egypt Independent", "25 - 10 - 2021")
    assert paragraphs(fields.body_lines)[1] == "Read also: Reading clubs grow in popularity among young Egyptians"


def test_windows_1256_page_decoded_by_its_header():
    fields = parse_article(page(f"{MA}/ma5tv/1716720"), "ar")
    assert (fields.title, fields.outlet) == ("افتتاح معرض للكتاب المستعمل بمدينة فاس", "ماروك 5 تيفي")


@pytest.mark.parametrize(
    ("dateline", "language", "expected"),
    [
        ("Publié dans L'Observateur du Maroc le 08 - 11 - 2021", "fr", ("L'Observateur du Maroc", "08 - 11 - 2021")),
        ("نشر في اليوم السابع يوم 18 - 10 - 2021", "ar", ("اليوم السابع", "18 - 10 - 2021")),
        ("Published in Saudi Gazette on 28 - 10 - 2021", "ar", ("Saudi Gazette", "28 - 10 - 2021")),  # other words tried too
        ("Publié dans H24 Info", "fr", (None, None)),
        ("", "fr", (None, None)),
    ],
)
def test_split_dateline(dateline, language, expected):
    assert split_dateline(dateline, language) == expected


# --- listings and home pages ------------------------------------------------------------------------
def test_listing_first_page():
    listing = parse_listing(page(f"{DZ}/aps"))
    assert listing.entries == [
        ListingEntry(f"{DZ}/aps/385090", "انطلاق حملة التلقيح ضد الأنفلونزا الموسمية", dt.date(2021, 11, 6)),
        ListingEntry(f"{DZ}/aps/385070", "توزيع حصص سكنية جديدة بولاية قسنطينة", dt.date(2021, 10, 27)),
        ListingEntry(f"{DZ}/aps/385040", "اجتماع تنسيقي حول الدخول المدرسي", dt.date(2021, 10, 20)),
        ListingEntry(f"{DZ}/aps/385010", "تهيئة حدائق عمومية بمدينة وهران", dt.date(2021, 10, 12)),
    ]
    assert listing.next_url == f"{DZ}/aps?page=2"
    assert f"{DZ}/aps/rss" in listing.links and f"{DZ}/aps/384930" not in listing.links
    assert listing.has_scripts


def test_listing_second_page():
    listing = parse_listing(page(f"{DZ}/aps?page=2"))
    assert [e.url for e in listing.entries] == [f"{DZ}/aps/384990", f"{DZ}/aps/384960", f"{DZ}/aps/384930"]
    assert [e.published for e in listing.entries] == [dt.date(2021, 10, 2), dt.date(2021, 9, 21), dt.date(2021, 9, 14)]
    assert listing.next_url is None


def test_listing_links_are_absolute_and_as_written():
    listing = parse_listing(page(f"{MA}/fr/le360"))
    assert [e.url for e in listing.entries] == [
        f"{MA}/fr/le360/2042520",
        "http://www.maghress.com/fr/le360/2042510/",  # canonicalised by the spider, not here
        f"{MA}/fr/le360/2042500",
    ]
    h24 = parse_listing(page(f"{MA}/fr/h24info"))
    assert h24.entries[0].url == f"{MA}/fr/h24info/1165381?utm_source=fb&utm_medium=social"


def test_home_page_entries_and_links():
    home = parse_listing(page(f"{MA}/fr/"))
    assert [e.url for e in home.entries] == [
        f"{MA}/fr/le360/2042520",
        f"{MA}/fr/lobservateur/1076680",
        f"{MA}/fr/barlamanefr/2342560",
        f"{MA}/fr/lesiteinfo/1485450",
        "http://www.maghress.com/fr/h24info/1165381",
        f"{MA}/fr/lesiteinfo/1485440",
        f"{MA}/fr/h24info/1165384",
        f"{MA}/fr/le360/2042500",
        f"{MA}/fr/h24info/1165386",
    ]
    assert home.entries[0].published == dt.date(2099, 3, 15)
    assert home.next_url is None
    assert f"{MA}/fr/admin/" in home.links and f"{MA}/fr/archives" in home.links


# --- feeds ---------------------------------------------------------------------------------------------
def test_rss_with_raw_ampersands_and_html_entities():
    entries = parse_feed(page(f"{MA}/fr/rss"))
    assert [(e.url, e.creator, e.published) for e in entries] == [
        (f"{MA}/fr/le360/2042520", "Le360", dt.date(2099, 3, 15)),
        (f"{MA}/fr/lobservateur/1076680", "L'Observateur du Maroc", dt.date(2021, 11, 8)),
        (f"{MA}/fr/barlamanefr/2342560", "Barlamane", dt.date(2021, 10, 31)),
        (f"{MA}/fr/lesiteinfo/1485450", "Le Site info", dt.date(2021, 10, 30)),
        ("https://maghress.com/fr/h24info/1165381#comments", "H24 Info", dt.date(2021, 10, 28)),
        (f"{MA}/fr/lesiteinfo/1485440", "Le Site info", dt.date(2021, 10, 21)),
        (f"{MA}/fr/h24info/1165384", "H24 Info", dt.date(2021, 10, 19)),
        (f"{MA}/fr/le360/2042500?utm_source=rss&utm_medium=feed", "Le360", dt.date(2021, 10, 18)),  # raw & in the XML
        (f"{MA}/fr/h24info/1165386", "H24 Info", dt.date(2021, 10, 5)),
    ]
    assert entries[6].title == "Festival : la musique andalouse à l’honneur à Tétouan"  # &nbsp; &agrave; in XML


def test_arabic_outlet_feed():
    entries = parse_feed(page(f"{DZ}/elkhabar/rss"))
    assert [(e.url, e.title, e.creator, e.published) for e in entries] == [
        (f"{DZ}/elkhabar/69430", "معرض للصناعات التقليدية بالعاصمة", "الخبر", dt.date(2021, 11, 1)),
        (f"{DZ}/elkhabar/69410", "تحسن في تموين الأسواق بالخضر والفواكه", "الخبر", dt.date(2021, 10, 16)),
    ]


# --- the founding page ----------------------------------------------------------------------------------
def test_founding_page_rebuilt_in_the_reference_snapshot():
    path = shared("sites", "reference", "files", "www.maghress.com", "fr", "h24info", "1165387.html")
    response = HtmlResponse("https://www.maghress.com/fr/h24info/1165387", body=path.read_bytes(),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    fields = parse_article(response, "fr")
    assert fields.title == "Moscou reconnait les efforts des talibans, craint pour son pré carré"
    assert fields.outlet == "H24 Info"
    assert parse_date(fields.date_text, "fr") == dt.date(2021, 10, 20)
    item = load_article(fields, get_site("maghress").classify(response.url), language="fr",
                        published=dt.date(2021, 10, 20), crawled_at="2026-11-29T15:04:05Z")
    assert item.published == "2021-10-20"
    assert item.body.startswith("La Russie a reconnu mercredi")
    assert item.body.endswith("comme le gouvernement légitime de l'Afghanistan.")
    assert "Lire aussi" not in item.body
    assert "Cliquez ici" not in item.body and "Merci d'avoir signalé" not in item.body
    assert item.source_url == "https://www.h24info.ma/monde/moscou-reconnait-les-efforts-des-talibans-craint-pour-son-pre-carre/"
