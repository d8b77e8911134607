"""Known ticker markup cut out of article pages before parsing (newsbot.pages.furniture.KnownFurniture):
the page reads the same, whatever the markup around or inside the ticker."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from newsbot.pages.article import parse_article
from newsbot.pages.furniture import KnownFurniture, furniture_boxes, furniture_headlines
from newsbot.pages.markup import PageTree

TICKER = ('<div id="ticker" class="newsticker"><marquee><a href="/fr/a/1">Pluie sur Fès</a>&nbsp;&nbsp;'
          '<a href="/fr/b/2">Budget voté à Rabat</a>&nbsp;&nbsp;<a href="/fr/c/3">Le port de Tanger agrandi</a>'
          '</marquee></div>')


def page(ticker: str = TICKER, before: str = "", title: str = "Un titre", number: int = 1) -> HtmlResponse:
    html = (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><div id="wrapper">'
            f'<div id="header"><a href="/fr/">Accueil</a></div>{before}{ticker}'
            f'<div id="content"><span class="articletitle">{title} {number}</span>'
            f'<span class="articledate">Publié dans H24 Info le 20 - 10 - 2021</span>'
            f'<div class="articlecontent">Premier paragraphe du texte {number}.<br/>Pluie sur Fès<br/>Fin.</div>'
            '<div class="mostread"><a href="/fr/d/4">Les plus lus</a></div></div></div></body></html>')
    return HtmlResponse(f"https://www.maghress.com/fr/h24info/{number}", body=html.encode(), encoding="utf-8")


def read(response: HtmlResponse, known: KnownFurniture | None) -> tuple:
    tree = PageTree(response, furniture=known)
    boxes = furniture_boxes(tree)
    fields = parse_article(tree, "fr")
    return ([(b.key, b.headlines()) for b in boxes], fields.title, fields.body_lines, fields.date_text, tree.cut is not None)


@pytest.mark.parametrize("before, ticker", [
    ("", TICKER),
    ("<p>Une ligne du bandeau ouverte", TICKER),  # an unclosed <p> before the ticker
    ("", TICKER.replace("<marquee>", '<marquee><div class="inner">').replace("</marquee>", "</div></marquee>")),
    ("<!-- <div id=\"ticker\"> ancien bandeau -->", TICKER),  # the start tag in a comment first
    ("", "<section id='ticker'>" + TICKER[36:-6] + "</section>"),
    ("", TICKER.replace("</marquee>", "</marquee></div>")),  # one end tag too many: closes #wrapper either way
])
def test_a_known_ticker_is_cut_and_the_page_reads_the_same(before, ticker):
    known = KnownFurniture()
    first = read(page(ticker, before, number=1), known)
    assert first[-1] is False  # read whole the first time
    for number in (2, 3):
        uncut = read(page(ticker, before, number=number), None)
        cut = read(page(ticker, before, number=number), known)
        assert cut[:-1] == uncut[:-1]
    assert cut[0][0][1] == ["Pluie sur Fès", "Budget voté à Rabat", "Le port de Tanger agrandi"]


@pytest.mark.parametrize("ticker", [
    TICKER[:-6],  # never closed: the element runs on into the content
    TICKER.replace("<marquee>", "<marquee><div>"),  # an inner element never closed
])
def test_ticker_markup_that_is_not_exactly_its_element_is_never_cut(ticker):
    known = KnownFurniture()
    read(page(ticker, number=1), known)
    uncut = read(page(ticker, number=2), None)
    cut = read(page(ticker, number=2), known)
    assert cut == uncut  # same reading, and tree.cut is False in both


def test_another_ticker_is_read_whole_and_the_known_ones_are_bounded():
    known = KnownFurniture(size=2)
    tickers = [TICKER.replace("Pluie", f"Neige {n}") for n in range(3)]
    for ticker in tickers:
        read(page(ticker, number=1), known)
    assert [read(page(t, number=2), known)[-1] for t in reversed(tickers)] == [True, True, False]  # the oldest forgotten
    assert furniture_headlines(page(tickers[2]))[0] == "Neige 2 sur Fès"
