"""The outlet-page extractor (:mod:`newsbot.outlets`): made-up outlet pages in French and Arabic
extract to exactly their paragraphs, listing and home pages and paywall stubs give nothing, the
choice rules and the confidence read the features they say, bad input loses nothing; and the
quality script's metric, on a few real pages of ../shared when it is beside the checkout."""

from __future__ import annotations

import random

import pytest

from newsbot.outlets import OutletText, extract, extract_text
from newsbot.outlets.blocks import Block, read_blocks
from newsbot.outlets.candidates import READABILITY, TRAFILATURA, Candidate
from newsbot.outlets.choice import Choice, Page, choose, confidence, doubts, is_listing, without_headline
from newsbot.outlets.features import teaser_shingles
from tests.outlets import pages

URL = "https://www.courrier-detroit.example/economie/2031/03/12/tanger-med.html"


# --- whole pages ----------------------------------------------------------------------------------
@pytest.mark.parametrize("build", [pages.french_article, pages.arabic_article], ids=["french", "arabic-rtl"])
def test_an_article_page_gives_exactly_its_paragraphs(build):
    html, paragraphs = build()
    result = extract(html, URL)
    assert isinstance(result, OutletText)
    assert result.text == "\n\n".join(paragraphs)  # no headline, byline, related links, comments, footer
    assert result.extractor in (TRAFILATURA, READABILITY)
    assert result.extractor.split()[1][0].isdigit()  # "name version"
    assert 0.5 <= result.confidence <= 1.0
    assert extract_text(html, URL) == result.text


def test_bytes_are_read_in_the_pages_charset():
    html, paragraphs = pages.arabic_article()
    assert extract_text(html.encode("utf-8"), URL) == "\n\n".join(paragraphs)
    html, paragraphs = pages.french_article()
    latin = html.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("«", '"').replace("»", '"')
    expected = "\n\n".join(paragraphs).replace("«", '"').replace("»", '"')
    assert extract_text(latin.encode("iso-8859-1"), URL) == expected


def test_the_teaser_of_the_article_keeps_a_high_confidence_and_another_lowers_it():
    html, paragraphs = pages.french_article()
    own = extract(html, URL, teaser=paragraphs[0][:120] + " (...)")
    other = extract(html, URL, teaser="Le conseil municipal de Fès a voté le budget de la ville pour l'an prochain (...)")
    assert own is not None and other is not None
    assert own.text == other.text == "\n\n".join(paragraphs)
    assert own.confidence >= 0.8
    assert other.confidence < 0.5  # a page without the teaser is likely another story


@pytest.mark.parametrize("build", [pages.listing_page, pages.home_page], ids=["listing", "home"])
def test_listing_and_home_pages_give_nothing(build):
    html = build()
    assert extract(html, URL) is None
    assert extract_text(html, URL) == ""


@pytest.mark.parametrize("count", [1, 2, 8])
def test_teasers_cut_short_with_a_read_more_link_give_nothing(count):
    html = pages.teaser_list_page(count)
    assert extract(html, URL) is None
    assert extract(html, URL, teaser=pages.TEASERS[0][1][:60] + " (...)") is None


def test_a_home_page_gives_nothing_even_with_the_teaser_of_its_lead_story():
    teaser = pages.FRENCH_PARAGRAPHS[0][:100] + " (...)"
    assert extract(pages.home_page(), URL, teaser=teaser) is None


def test_a_paywall_stub_is_never_taken_for_the_article():
    stub = pages.paywall_stub()
    for teaser in (None, pages.PAYWALL_TEASER + " (...)"):
        result = extract(stub, URL, teaser=teaser)
        assert result is None or result.confidence < 0.5, result


def test_a_declared_paywall_with_the_whole_text_lowers_the_confidence_without_refusing():
    html, paragraphs = pages.french_article()
    closed = html.replace("</head>", '<script type="application/ld+json">{"isAccessibleForFree": false}</script></head>')
    open_result, closed_result = extract(html, URL), extract(closed, URL)
    assert closed_result is not None and open_result is not None
    assert closed_result.text == "\n\n".join(paragraphs)
    assert closed_result.confidence <= 0.7 < open_result.confidence


@pytest.mark.parametrize("html", ["", "   ", "not a page at all", "<html><body></body></html>", b"\x00\xff\xfe" * 50,
                                  "<html><body><p>Menu</p><p>Accueil</p></body></html>", "<p>" * 3000])
def test_bad_input_gives_nothing_and_raises_nothing(html):
    assert extract(html, URL) is None
    assert extract_text(html, URL) == ""


# --- blocks, choice and confidence, on made-up candidates ------------------------------------------
WORDS = ("port navire quai ville région marché emploi budget conseil maire projet route école musée "
         "récolte pluie saison tribunal ministre syndicat usine avion gare train pêcheur festival "
         "théâtre joueur stade club douane banque prix loyer quartier hôpital médecin université").split()
LINKS = "a reçu ouvre annonce prépare attend refuse signe lance présente suit".split()


def _prose(n: int, seed: int = 0) -> list[str]:
    """``n`` made-up paragraphs of 45 words each, different from each other (seeded)."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS if k % 3 else LINKS) for k in range(45)).capitalize() + "." for _ in range(n)]


def _candidate(extractor: str, texts: list[str], kind: str = "p", links: bool = False) -> Candidate:
    return Candidate(extractor, tuple(Block(t, kind, len(t) if links else 0) for t in texts))


PAGE = Page(p_chars=1000, title="Le port de Tanger rouvre | Journal", paywall=False, og_title="Le port de Tanger rouvre")


def test_blocks_follow_block_elements_and_count_link_text():
    from lxml import html

    tree = html.fromstring("<div><h2>Titre</h2><p>Texte <b>gras</b><br>suite</p><ul><li><a href='/'>Lien</a> seul</li></ul>"
                           "<script>var x;</script><table><tr><td>A</td><td>B</td></tr></table></div>")
    assert [(b.text, b.kind, b.link_chars) for b in read_blocks(tree)] == [
        ("Titre", "heading", 0), ("Texte gras", "p", 0), ("suite", "p", 0), ("Lien seul", "item", 4),
        ("A", "cell", 0), ("B", "cell", 0)]


def test_furniture_around_the_text_makes_the_second_candidate_win():
    article = _prose(6)
    related = [" ".join(words.split()[:6]) for words in _prose(20, seed=4)]  # short lines below the article
    first = _candidate(TRAFILATURA, article + related)
    second = _candidate(READABILITY, article)
    choice = choose(first, second, None)
    assert (choice.candidate, choice.rule) == (second, "furniture")


def test_extra_text_inside_the_article_keeps_the_first_candidate():
    article = _prose(6)
    embedded = _prose(2, seed=3)  # a quoted post, a table: text the second candidate does not keep
    first = _candidate(TRAFILATURA, article[:3] + embedded + article[3:])
    second = _candidate(READABILITY, article)
    choice = choose(first, second, None)
    assert choice.candidate is first and choice.rule == "first"


def test_prose_the_first_candidate_missed_makes_the_second_win():
    article = _prose(12)
    first = _candidate(TRAFILATURA, article[:4])
    second = _candidate(READABILITY, article)
    assert choose(first, second, None).rule == "missed-prose"
    comments = [f"Bravo {k} !" for k in range(30)]  # more text, but not prose: no
    assert choose(first, _candidate(READABILITY, article[:4] + comments), None).candidate is first


def test_the_candidate_holding_the_teaser_wins():
    first = _candidate(TRAFILATURA, _prose(6, seed=1))
    second = _candidate(READABILITY, _prose(6, seed=2))
    teaser = teaser_shingles(_prose(1, seed=2)[0][:90] + "...")
    choice = choose(first, second, teaser)
    assert (choice.candidate, choice.rule) == (second, "teaser")
    assert choice.teaser == 1.0


def test_doubts_name_the_sign_of_failure():
    clean = _candidate(TRAFILATURA, _prose(5))
    assert doubts(clean, PAGE, None) is None
    assert doubts(_candidate(TRAFILATURA, _prose(5) + ["Partager"], kind="item"), PAGE, None) == "items"
    assert doubts(Candidate(TRAFILATURA, clean.blocks + (Block("Lire aussi", "p", 10),)), PAGE, None) == "links"
    assert doubts(clean, Page(p_chars=10 * clean.chars, title="", paywall=False), None) == "short"
    assert doubts(_candidate(TRAFILATURA, ["Le port de Tanger rouvre", *_prose(5)]), PAGE, None) == "headline"
    assert doubts(clean, PAGE, teaser_shingles("Rien à voir avec le texte extrait ici")) == "teaser"
    assert doubts(_candidate(TRAFILATURA, [" ".join(_prose(20))]), PAGE, None) == "wall"


def test_the_headline_and_the_lines_above_the_first_paragraph_leave_the_body():
    body = _prose(3)
    candidate = _candidate(TRAFILATURA, ["Le port de Tanger rouvre", "Par Samia Benali", "12 mars 2031", *body])
    assert [b.text for b in without_headline(candidate, PAGE).blocks] == body


def test_menus_run_into_one_line_count_as_link_text():
    from newsbot.outlets.blocks import link_texts, mark_links
    from lxml import html

    tree = html.fromstring('<div><a href="/a">Accueil</a> | <a href="/b">Sport</a> | <a href="/c">Culture</a> | '
                           '<a href="/d">Météo</a><p>Un texte qui ne contient aucun lien.</p></div>')
    blocks = mark_links(read_blocks(tree), link_texts(tree))
    assert [round(b.link_density, 2) for b in blocks] == [0.73, 0.0]  # 24 of 33 characters: separators are not links


def test_listings_are_link_text_or_linked_headlines():
    headlines = [Block(f"Titre de l'article {k}", "heading", 20) for k in range(5)]
    teasers = [Block(p, "p", 0) for p in _prose(5)]
    assert is_listing(Candidate("x", tuple(b for pair in zip(headlines, teasers) for b in pair)))
    assert not is_listing(_candidate("x", _prose(8)))
    assert is_listing(_candidate("x", _prose(3), links=True))
    cut = [Block(p[:-1] + " (...)", "p", 0) for p in _prose(3)]
    assert is_listing(Candidate("x", tuple(cut[:2]) + tuple(Block(p, "p", 0) for p in _prose(4))))  # 2 of 6 cut
    assert not is_listing(Candidate("x", tuple(cut[:1]) + tuple(Block(p, "p", 0) for p in _prose(4))))  # a stub's end
    lone = Block(_prose(1)[0][:200] + " (...) Lire la suite", "p", 13, "Lire la suite")
    assert is_listing(Candidate("x", (Block("Titre 01 - 03 - 2031", "p", 0), lone)))


def test_confidence_follows_agreement_length_links_and_teaser():
    text = _candidate(TRAFILATURA, _prose(6))
    assert confidence(Choice(text, "first", 1.0, None), PAGE) == 0.95
    assert confidence(Choice(text, "first", None, None), PAGE) == 0.9
    assert confidence(Choice(text, "first", 0.5, None), PAGE) == 0.0
    assert confidence(Choice(text, "first", 1.0, 0.0), PAGE) == 0.4
    short = _candidate(TRAFILATURA, _prose(1))
    assert confidence(Choice(short, "first", 1.0, None), PAGE) < 0.95
    linked = _candidate(TRAFILATURA, _prose(6), links=True)
    assert confidence(Choice(linked, "first", 1.0, None), PAGE) == 0.0


# --- the maintainers' reference replica (../shared) ------------------------------------------------
def test_the_reference_outlet_page_gives_its_gold_body_and_its_aggregator_listings_nothing():
    import json

    from tests.crawling import shared

    replica = shared("sites", "reference")
    entries = json.loads((replica / "manifest.json").read_text(encoding="utf-8"))["entries"]
    gold = [json.loads(line) for line in (replica / "gold" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    full = next(g for g in gold if "teaser_only" in (g.get("cases") or []))
    outlet = next(e for e in entries if e["kind"] == "outlet_page")
    page = (replica / outlet["file"]).read_bytes()
    result = extract(page, f"https://{outlet['host']}{outlet['path']}", teaser=full["body"][:150] + " (...)")
    assert result is not None and result.text == full["body"]
    assert result.confidence >= 0.8
    not_articles = [e for e in entries if e["kind"] in ("home", "listing")]
    kept = [e["path"] for e in not_articles if extract((replica / e["file"]).read_bytes(), f"https://{e['host']}{e['path']}")]
    assert len(kept) <= len(not_articles) // 20, kept  # a menu-only listing may pass, flagged by its confidence


# --- the quality script's metric, and a few real pages ---------------------------------------------
def test_the_metric_counts_shingles_with_multiplicity_and_averages_pages():
    from bench.extraction_quality import aggregate, page_counts, page_f1

    assert page_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    assert page_counts("a b c d e", "") == (0.0, 0.0, 1.0)
    assert page_counts("x y z w x y z w", "x y z w") == (0.2, 0.0, 0.8)  # 5 true shingles, 1 predicted
    assert page_f1((0.5, 0.25, 0.25)) == pytest.approx(2 / 3)
    # precision over pages with output, recall over pages with ground truth
    f1, precision, recall = aggregate([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)])
    assert (precision, recall) == (1.0, 0.5)
    assert f1 == pytest.approx(2 / 3)


def test_a_few_benchmark_pages_score_as_well_as_plain_trafilatura():
    from bench.extraction_quality import DATA, aggregate, load_pages, newsbot_side, page_counts, trafilatura_side
    from tests.crawling import shared

    shared("benchmarks", "article-extraction", "ground-truth.json")
    ids = sorted(p.name.split(".")[0] for p in (DATA / "html").glob("*.html.gz"))[:12]
    sample = load_pages(DATA, ids)
    ours = [page_counts(p.truth, newsbot_side(p)[0]) for p in sample]
    plain = [page_counts(p.truth, trafilatura_side(p)[0]) for p in sample]
    assert aggregate(ours)[0] >= 0.9
    assert aggregate(ours)[0] >= aggregate(plain)[0] - 0.02
    assert all(conf is not None and 0.0 <= conf <= 1.0 for conf in (newsbot_side(p)[1] for p in sample[:3]))
    assert {newsbot_side(p)[2] for p in sample[:3]} <= {"trafilatura", "readability-lxml"}
