"""Unit tests of the boilerplate cleaning (pure functions; texts written for these tests)."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from newsbot.text.body import is_read_also, is_template_line, paragraph_key, strip_template_sentences, ticker_parts
from newsbot.text.headlines import HeadlineIndex
from newsbot.pages.furniture import furniture_headlines
from newsbot.pipelines.boilerplate import clean_body
from newsbot.text.body import clean_lines, clean_title
from newsbot.pipelines.learning import BoilerplateLearner
from newsbot.state.guard import memory_store

NBSP4 = "\u00a0" * 4
HEADLINES_FR = [
    "Le port de Tanger Med bat un record de conteneurs",
    "Rabat accueille un forum sur l'eau potable",
    "La récolte d'olives s'annonce abondante à Meknès",
    "Un festival de jazz anime les ruelles d'Essaouira",
    "Grève des contrôleurs aériens à Casablanca",
]
MIXED = [  # French-edition tickers mix French, English and Spanish headlines
    "Le port de Tanger Med bat un record de conteneurs",
    "New tram line opens in Casablanca",
    "Marruecos inaugura una planta solar en Uarzazat",
    "Heavy rain expected over the Rif this weekend",
    "La récolte d'olives s'annonce abondante à Meknès",
    "El Gobierno aprueba un plan para el agua",
]
HEADLINES_AR = [
    "افتتاح سوق أسبوعي جديد في مدينة تازة",
    "ارتفاع منسوب المياه في سد الوحدة",
    "انطلاق حملة لتشجير ضواحي مدينة إفران",
    "تنظيم مهرجان للفروسية في الجديدة",
    "وصول أولى رحلات الصيف إلى مطار وجدة",
]


# --- ticker lines by shape ------------------------------------------------------------------
def test_banner_with_empty_items_and_nbsp_separators():
    line = NBSP4.join(HEADLINES_FR[:2]) + NBSP4 * 2 + NBSP4.join(HEADLINES_FR[2:]) + NBSP4 * 3
    assert ticker_parts(line) == (None, HEADLINES_FR, None)


def test_banner_with_plain_spaces_and_a_repeated_headline():
    line = "    ".join([*HEADLINES_FR, HEADLINES_FR[0]]) + "    "
    assert ticker_parts(line) == (None, [*HEADLINES_FR, HEADLINES_FR[0]], None)


def test_mixed_language_french_edition_banner():
    assert ticker_parts(NBSP4.join(MIXED) + NBSP4) == (None, MIXED, None)


def test_arabic_banner():
    assert ticker_parts(NBSP4.join(HEADLINES_AR) + NBSP4 * 2) == (None, HEADLINES_AR, None)


@pytest.mark.parametrize(
    "line",
    [
        NBSP4.join(HEADLINES_FR[:4]),  # four headlines only
        "Une phrase    avec    trop    d'espaces    ici    et    là.",  # words, not headlines
        "2019    2020    2021    2022    2023",  # a table row
        "    Un paragraphe indenté de quatre espaces.",
    ],
)
def test_lines_that_are_not_banners(line):
    assert ticker_parts(line) is None


def test_banner_glued_to_body_text_keeps_the_text():
    paragraph = "Le conseil communal a adopté le budget après un long débat sur les transports. " * 5
    before, headlines, after = ticker_parts(paragraph.strip() + NBSP4 + NBSP4.join(HEADLINES_FR) + NBSP4)
    assert before == paragraph.strip() and headlines == HEADLINES_FR and after is None


# --- a whole body -------------------------------------------------------------------------------
def test_banner_pasted_in_the_middle_of_a_body():
    lines = [
        "La flotte de taxis accueille ses premiers véhicules électriques.",
        "",
        NBSP4.join(MIXED) + NBSP4,
        "",
        "Vingt bornes de recharge seront installées près des gares.",
        "",
    ]
    body = clean_body(lines)
    assert body.texts == [
        "La flotte de taxis accueille ses premiers véhicules électriques.",
        "Vingt bornes de recharge seront installées près des gares.",
    ]
    assert dict(body.removed) == {"ticker": 1}


def test_line_made_of_headlines_seen_in_the_ticker():
    index = HeadlineIndex(HEADLINES_FR)
    lines = ["Premier paragraphe de l'article.", f"{HEADLINES_FR[1]} {HEADLINES_FR[3]}", HEADLINES_FR[4]]
    body = clean_body(lines, index)
    assert body.texts == ["Premier paragraphe de l'article."]
    assert dict(body.removed) == {"headlines": 2}


def test_an_article_quoting_one_headline_keeps_it():
    index = HeadlineIndex(HEADLINES_FR)
    sentence = f"Le ministre a cité l'article « {HEADLINES_FR[1]} » devant les députés."
    assert clean_body([sentence], index).texts == [sentence]
    assert not index.is_headline_line(sentence)


def test_a_short_headline_alone_is_not_removed():
    index = HeadlineIndex(["CAN 2025", *HEADLINES_FR])
    assert clean_body(["CAN 2025"], index).texts == ["CAN 2025"]
    assert index.is_headline_line(f"CAN 2025 {HEADLINES_FR[0]}")


def test_headlines_match_across_apostrophes_case_and_hamza():
    index = HeadlineIndex(["Rabat accueille un forum sur l'eau potable", "إقرأ الخبر عن سد الوحدة اليوم"])
    assert index.is_headline_line("RABAT accueille un forum sur l’eau potable.")
    assert index.is_headline_line("اقرأ الخبر عن سد الوحدة اليوم")


# --- template sentences and "read also" --------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Merci d'avoir signalé!", None),
        ("Cette image sera automatiquement bloquée après qu'elle soit signalée par plusieurs personnes.", None),
        ("Le marché ouvrira en mai. Cliquez ici pour lire l’article depuis sa source.", "Le marché ouvrira en mai."),
        (
            "Merci d'avoir signalé! Cette image sera automatiquement bloquée après qu'elle soit signalée par"
            " plusieurs personnes. Le marché ouvrira en mai.",
            "Le marché ouvrira en mai.",
        ),
        ("شكرا على التبليغ!", None),
        ("وتفتح المكتبة أبوابها طيلة الأسبوع. اضغط هنا لقراءة الخبر من مصدره", "وتفتح المكتبة أبوابها طيلة الأسبوع."),
        ("سيتم حجب هذه الصورة تلقائيا بعد أن يتم التبليغ عنها من طرف عدة أشخاص. افتتاح المكتبة", "افتتاح المكتبة"),
        ("Click here to read the story from its source", None),
        ("Le maire a dit: merci d'avoir signalé ce problème.", "Le maire a dit: merci d'avoir signalé ce problème."),
    ],
)
def test_template_sentences_french_arabic_english(text, expected):
    assert strip_template_sentences(text) == expected


@pytest.mark.parametrize(
    "line",
    ["Lire aussi: Un autre sujet", "À lire aussi - Un autre sujet", "LIRE AUSSI", "Read also: Another story",
     "Read more", "اقرأ أيضا: خبر آخر", "إقرأ أيضاً: خبر آخر", "اقرأ كذلك", "إقرأ ايضا خبر آخر"],
)
def test_read_also_lines_in_every_spelling(line):
    assert is_read_also(line)
    assert clean_body(["Un paragraphe.", line]).texts == ["Un paragraphe."]


def test_whole_template_lines_are_recognised_in_every_language():
    assert is_template_line("Cliquez ici pour lire l'article depuis sa source.")
    assert is_template_line("اضغط هنا لقراءة الخبر من مصدره")
    assert is_template_line("Thank you for reporting!")
    assert not is_template_line("Cliquez ici pour lire le rapport complet.")


def test_title_is_cleaned_with_template_patterns_only():
    index_headline = HEADLINES_FR[0]
    assert clean_title("Merci d'avoir signalé! Un marché couvert pour les pêcheurs") == "Un marché couvert pour les pêcheurs"
    assert clean_title("شكرا على التبليغ! حملة لتنظيف الشواطئ") == "حملة لتنظيف الشواطئ"
    assert clean_title(index_headline) == index_headline  # a ticker headline is a real title


# --- ticker and "most read" headlines of a page ----------------------------------------------------------
def test_furniture_headlines_of_a_page():
    html = (
        '<html><body><div id="ticker" class="newsticker"><marquee>'
        + "".join(f'<a href="/fr/x/{i}">{h}</a>&nbsp;&nbsp;&nbsp;&nbsp;' for i, h in enumerate(MIXED))
        + '</marquee></div><div id="main"><a href="/fr/y/1">Un lien du corps</a></div>'
        '<ul class="mostread"><li><a href="/fr/x/9">Les prix du poisson baissent à Agadir</a></li></ul></body></html>'
    )
    response = HtmlResponse("https://www.maghress.com/fr/", body=html.encode(), encoding="utf-8")
    assert furniture_headlines(response) == [*MIXED, "Les prix du poisson baissent à Agadir"]


# --- learned boilerplate ------------------------------------------------------------------------------
def test_paragraph_learned_after_five_articles_with_different_titles():
    learner = BoilerplateLearner(memory_store("test"), min_repeats=5)
    follow = "Suivez-nous sur WhatsApp pour ne rien manquer."
    learned = []
    for title in ["Titre 1", "Titre 1", "Titre 2", "Titre 3", "Titre 4"]:  # a repeated title counts once
        learned += learner.observe("maghress", title, clean_lines([f"Texte de {title}.", follow]).paragraphs)
    assert learned == []
    (new,) = learner.observe("maghress", "Titre 5", clean_lines(["Texte de Titre 5.", follow]).paragraphs)
    assert (new.text, new.earlier) == (follow, 4)
    assert set(learner.learned("maghress")) == {paragraph_key(follow)}
    assert learner.learned("masress") == {}  # per site
    body = clean_body(["Un autre texte.", "SUIVEZ-NOUS sur WhatsApp pour ne rien manquer"], learned=learner.learned("maghress"))
    assert body.texts == ["Un autre texte."] and dict(body.removed) == {"learned": 1}


def test_learned_boilerplate_survives_in_the_store(tmp_path):
    from newsbot.state import open_state

    uri = f"sqlite:///{tmp_path}/state.db"
    first = BoilerplateLearner(open_state(uri), min_repeats=2)
    first.observe("maghress", "Un", clean_lines(["Abonnez-vous à notre lettre."]).paragraphs)
    first.observe("maghress", "Deux", clean_lines(["Abonnez-vous à notre lettre."]).paragraphs)
    assert first.see_item("maghress") == 1
    first.save()  # the pipeline saves the count at the end of the crawl
    first.store.close()
    second = BoilerplateLearner(open_state(uri), min_repeats=2)
    assert list(second.learned("maghress").values()) == ["Abonnez-vous à notre lettre."]
    assert second.items_seen("maghress") == 1
    second.store.close()


def test_min_repeats_below_two_is_refused():
    with pytest.raises(ValueError, match="NEWSBOT_BOILERPLATE_MIN_REPEATS=1"):
        BoilerplateLearner(memory_store("test"), min_repeats=1)


@pytest.mark.parametrize(
    "text",
    [
        "Merci d'avoir signalé ce problème, a dit le maire.",
        "Le guide répète: cliquez ici pour lire l'article depuis sa source du ministère",
    ],
)
def test_sentences_that_only_begin_like_a_template_are_kept(text):
    assert strip_template_sentences(text) == text
