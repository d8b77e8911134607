"""Text normalisation (:mod:`newsbot.text`, :mod:`newsbot.text.body`, the item loader),
with shared cases NB-10 (no-break spaces, bidi marks, empty paragraphs) and NB-12 (every
field present, null when unknown) read by path."""

from __future__ import annotations

import io
import json

import pytest
from itemadapter import ItemAdapter
from parsel import Selector
from scrapy.exporters import JsonLinesItemExporter

from newsbot import settings
from newsbot.text.body import clean_lines, is_read_also, is_template_line
from newsbot.items import PUBLIC_FIELDS, ArticleItem
from newsbot.loaders import load_article
from newsbot.sites import get_site
from newsbot.pages.article import ArticleFields
from newsbot.pages.markup import element_lines, text_of
from newsbot.text import fold_for_match, join_paragraphs, normalize_text, split_paragraphs
from tests.crawling import shared


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\u00a0Le\u00a0Maroc bat l\u2019\u00c9gypte\u00a0", "Le Maroc bat l’Égypte"),
        ("\u200f\u200fالرباط: افتتاح الخط\u200f ", "الرباط: افتتاح الخط"),
        ("L&#8217;&Eacute;gypte &amp; le Maroc", "L’Égypte & le Maroc"),
        ("fla\u200bsh\u200c \u2060info\ufeff", "flash info"),
        ("e\u0301dition", "édition"),  # NFC
        ("\u061cعلامة\u202b مضمنة\u202c\u2066", "علامة مضمنة"),
        ("a\u202f:\u2007b\t\n c", "a : b c"),
        ("&nbsp;\u00a0 ", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_text(raw, clean):
    assert normalize_text(raw) == clean


def test_paragraphs_join_with_a_blank_line_and_split_back():
    body = join_paragraphs(["Premier.", None, "", "Second."])
    assert body == "Premier.\n\nSecond."
    assert split_paragraphs(body) == ["Premier.", "Second."]
    assert join_paragraphs([None, ""]) is None and split_paragraphs(None) == []


@pytest.mark.parametrize(
    "line",
    [
        "Lire aussi: Afghanistan: carnage dans une mosquée chiite",
        "Lire aussi : Espaces verts : les villes misent sur les essences locales",
        "À lire aussi : Culture : les festivals d'automne",
        "A lire aussi : Tourisme intérieur",
        "LIRE AUSSI",
        "Read also: Reading clubs grow in popularity",
        "Also read: Riyadh parks extend opening hours",
        "اقرأ أيضا: تمديد ساعات عمل النقل الحضري",
        "إقرأ أيضاً: ارتفاع عدد المتبرعين بالدم",
        "إقرأ أيضا: تظاهرات ثقافية",
        "اقرأ أيضاً.. خطة لتوسيع المساحات الخضراء",
        "اقرأ كذلك: الحرفيون يطالبون بفضاءات دائمة",
        "\u200fاقرأ ايضا\u00a0: عنوان",
    ],
)
def test_read_also_lines_in_every_spelling(line):
    assert is_read_also(line)
    assert clean_lines([line]).texts == []


@pytest.mark.parametrize(
    "line",
    ["Il faut lire aussi le rapport.", "Les lecteurs peuvent lire aussi en ligne.", "قرأ أيضا الوزير البيان", "", None],
)
def test_sentences_that_merely_mention_reading_are_kept(line):
    assert not is_read_also(line)


def test_template_lines_of_the_sites():
    assert is_template_line("Cliquez ici pour lire l'article depuis sa source.")
    assert is_template_line("اضغط هنا لقراءة الخبر من مصدره")
    assert is_template_line("Thank you for reporting!")
    assert not is_template_line("Cliquez ici pour voir la vidéo.")


def test_fold_for_match_unifies_spellings():
    assert fold_for_match("إقرأ أيضاً:") == fold_for_match("اقرأ ايضا") == "اقرا ايضا"
    assert fold_for_match("  À LIRE   aussi !") == "a lire aussi"


def test_nb10_nbsp_bidi_marks_and_empty_paragraphs():
    page = Selector(text=shared("cases", "NB-10.html").read_text(encoding="utf-8"))
    assert normalize_text(text_of([page.css("h1")[0].root])) == "Le Maroc bat l’Égypte"
    heading = normalize_text(text_of([page.css("h2")[0].root]))
    assert heading == "الرباط: افتتاح الخط"
    lines = element_lines(page.css("div.body")[0].root)
    body = clean_lines(lines).body
    # The report's value is "Corps : premier paragraphe.\nSecond paragraphe."; newsbot joins
    # paragraphs with a blank line (issue 2's item contract).
    assert body == "Corps : premier paragraphe.\n\nSecond paragraphe."


def test_loader_keeps_raw_lines_and_drops_empty_and_read_also_ones():
    fields = ArticleFields(
        url="https://www.maghress.com/fr/h24info/1",
        title=" Titre&nbsp;: test ",
        outlet="H24 Info",
        body_lines=["  Premier   paragraphe.\u00a0", "", "Lire aussi : autre chose", "\u00a0", "Second\tparagraphe."],
        source_url="https://www.h24info.ma/a/",
    )
    item = load(fields)
    assert item.title == "Titre : test"
    assert item.body == "Premier paragraphe.\n\nSecond paragraphe."
    assert item.body_parts.texts == ["Premier paragraphe.", "Second paragraphe."]  # for the pipelines
    assert item.body_folded == "premier paragraphe second paragraphe"  # folded once, for dedupe
    assert item.body_source == "aggregator"


def test_teaser_only_body():
    fields = ArticleFields(url="u", title="T", body_lines=["Début de l'article et la suite (...)", ""])
    assert load(fields).body_source == "aggregator_teaser"


def load(fields: ArticleFields, published=None) -> ArticleItem:
    where = get_site("maghress").classify("https://www.maghress.com/fr/h24info/1")
    return load_article(fields, where, language="fr", published=published, crawled_at="2026-11-29T15:04:05Z")


def test_nb12_every_field_is_present_and_null_when_unknown():
    shared("cases", "NB-12.html")  # the report's page: a whitespace-only span lost its key
    item = load(ArticleFields(url="https://www.maghress.com/fr/h24info/1", title="Titre de l'article",
                              outlet="   ", body_lines=["   "]))
    adapter = ItemAdapter(item)
    for name in PUBLIC_FIELDS:
        assert name in adapter  # no KeyError for any pipeline
    out = io.BytesIO()
    exporter = JsonLinesItemExporter(out, fields_to_export=settings.FEED_EXPORT_FIELDS,
                                     encoding=settings.FEED_EXPORT_ENCODING)
    exporter.start_exporting()
    exporter.export_item(item)
    exporter.finish_exporting()
    record = json.loads(out.getvalue())
    assert list(record) == list(PUBLIC_FIELDS)
    assert record["title"] == "Titre de l'article"
    assert (record["outlet"], record["published"], record["body"], record["source_url"]) == (None, None, None, None)
    assert "body_parts" not in record and "body_folded" not in record


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Le\x00Maroc", "Le Maroc"),
        ("Le\x01\x02\x03Maroc\x08!", "Le Maroc !"),
        ("\x00\x1b", None),
        ("bat\x7fl\x80\x84\x86\x9fÉgypte", "bat l Égypte"),
        ("الرباط\x00افتتاح\u200f", "الرباط افتتاح"),
        ("a\tb\x0bc\x1cd\x85e", "a b c d e"),  # whitespace controls, as before
        ("Sans\u200bcontrôle", "Sanscontrôle"),  # zero-width characters are still removed
    ],
)
def test_control_characters_become_spaces(raw, clean):
    from newsbot.text.normalize import fold_for_match, normalize_text

    assert normalize_text(raw) == clean
    assert fold_for_match(raw) == fold_for_match(clean)
