"""The fast paths of reading and cleaning a page give exactly what the general ones give.

Each fast path (issue 7, the extraction speed) is checked against the plain definition it
shortcuts, on generated inputs that reach its edges: folding by byte tables against NFKD and
a word scan, a printable line's normalisation against :func:`normalize_text`, the title's
template test against the sentence patterns, the loader's processors against an ItemLoader,
the ticker's start tag against its pattern searched from the top, the base URL against
Scrapy's, and the direct parse of a page's bytes against the condition on its decoded text.
"""

from __future__ import annotations

import codecs
import random
import re
import unicodedata
from itertools import chain

import pytest
from itemadapter import ItemAdapter
from lxml import etree, html
from scrapy.http import HtmlResponse, Request
from scrapy.utils.response import get_base_url

from newsbot.family.wording import TEMPLATE_LINES
from newsbot.items import ArticleItem
from newsbot.loaders import LOADED_FIELDS, ArticleLoader, loaded_value
from newsbot.pages.furniture import _FURNITURE_START, KnownFurniture, furniture_boxes, furniture_start
from newsbot.pages.markup import _UNICODE_ONLY_SPACE, PageTree, base_url, element_lines, parse_html_bytes
from newsbot.text import normalize
from newsbot.text.body import clean_lines, clean_title, strip_template_sentences
from newsbot.text.normalize import fold_for_match, normalize_printable, normalize_text

_WORDS = re.compile(r"\w+")


def long_fold(text: str) -> str:
    """What folding is, without a shortcut: NFKD, combining marks dropped, the Arabic letters
    unified, case-folded, the words joined by one space."""
    base = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_WORDS.findall(base.translate(normalize._ARABIC_FOLD).casefold()))


def test_fold_of_every_character_and_its_neighbours():
    tables = chain(range(0x2200), range(0x0600, 0x0700), bytes(range(256)).decode("windows-1256", "replace"))
    for char in map(chr, range(0x10000)):
        assert normalize._fold(char) == long_fold(char), hex(ord(char))
    for char in (chr(c) if isinstance(c, int) else c for c in tables):
        for text in (f"a{char}é", f"É{char}’x", f"ب{char}أ", f"{char}{char}"):
            assert normalize._fold(text) == long_fold(text), repr(text)


def test_fold_of_mixed_text():
    rng = random.Random(7)
    pools = [range(0x80), range(0x80, 0x370), range(0x300, 0x370), range(0x600, 0x700), range(0x2000, 0x20D0),
             range(0x370, 0x600), range(0xFB00, 0xFB50), range(0xFE70, 0xFF00), range(0x10000, 0x10400)]
    for _ in range(20_000):
        chosen = rng.sample(pools, rng.randint(1, 3))
        text = "".join(chr(rng.choice(rng.choice(chosen))) for _ in range(rng.randint(0, 30)))
        assert normalize._fold(text) == long_fold(text), repr(text)
    for text in ("Le Maroc bat l’Égypte « 2 à 1 » …", "إقرأ أيضاً: وزير الصحة يزور مستشفى", "Œuvre ½ µ ß"):
        assert fold_for_match(text) == long_fold(normalize_text(text) or ""), text


def random_lines(rng: random.Random, count: int) -> list[str]:
    spaces = [" ", "\t", "\n", "\xa0", "\u2000", "\u3000", "\u200b", "\u200e", "\x0b", "\x1c", "\x85", "\u202f"]
    marks = ["\u0301", "\u0308", "\u064b", "\u0651", "\u0327", "\u0344", "\u0340", "\u0f73"]
    letters = ["a", "é", "É", "\u212b", "\u2126", "ا", "أ", "\u1100", "\u1161", "ﬁ", "&", "&amp;", "&nbsp;", "1", ".",
               "\x00", "\x07", "\ufeff", "\u0640", "ǅ", "Lire aussi:", "Cliquez ici pour lire l'article depuis sa source."]
    return ["".join(rng.choice(rng.choice([spaces, marks, letters, letters])) for _ in range(rng.randint(0, 12)))
            for _ in range(count)]


def test_printable_lines_normalised_once():
    for raw in random_lines(random.Random(11), 50_000):
        inner = raw.strip()
        if "&" not in raw and inner.isprintable() and "    " not in inner:
            assert normalize_printable(raw, inner) == normalize_text(raw), repr(raw)


def test_title_template_test():
    rng = random.Random(8)
    words = ["Pluie", "sur", "Fès", "!", ".", "  ", "’", "'", "l’article", "Merci", "d'avoir", "signalé", "اضغط", "هنا",
             "(...)", "…", "\xa0"]
    titles = random_lines(rng, 5_000)
    for _ in range(20_000):
        parts = [rng.choice(words) for _ in range(rng.randint(0, 6))]
        if rng.random() < 0.5:
            line = rng.choice(TEMPLATE_LINES)
            parts.insert(rng.randint(0, len(parts)), line.rstrip(".!") if rng.random() < 0.5 else line)
        titles.append(" ".join(parts))
    titles += [form for line in TEMPLATE_LINES for form in (line, line.upper(), "X. " + line, line + " X", line + "!!")]
    for title in titles:
        assert clean_title(title) == strip_template_sentences(title), repr(title)


def test_body_lines_folded_as_folding_says():
    sep = "\xa0" * 4
    ticker = sep.join(["Pluie sur Fès", "Budget voté en commission", "Nouveau train pour Oujda",
                       "Festival de musique à Essaouira", "Grève des taxis à Rabat"]) + sep
    body = clean_lines(random_lines(random.Random(3), 4_000) + [ticker, "Texte " * 60 + sep + ticker, "  &amp; Le  Maroc  "])
    assert body.paragraphs and all(p.folded == long_fold(p.text) for p in body.paragraphs)


@pytest.mark.parametrize("value", ["\u00a0Pluie sur F&egrave;s ", "   ", None, ["a", " b "], "Le\x00Maroc"])
def test_loaded_values_are_the_loaders(value):
    for name in LOADED_FIELDS:
        loader = ArticleLoader()
        loader.add_value(name, value)
        assert loaded_value(name, value) == getattr(loader.load_item(), name), (name, value)


def test_article_item_adapter_is_the_dataclass_one():
    item = ArticleItem(title="T", body="B")
    adapter = ItemAdapter(item)
    assert type(adapter.adapter).__name__ == "ArticleItemAdapter"
    adapter["outlet"] = "H24 Info"
    assert item.outlet == "H24 Info" and dict(adapter)["title"] == "T"
    assert list(adapter.field_names()) == [f for f in ArticleItem.__dataclass_fields__]
    assert ItemAdapter.get_field_names_from_class(ArticleItem) == list(ArticleItem.__dataclass_fields__)
    with pytest.raises(KeyError):
        adapter["nope"] = 1


def test_ticker_start_tag_found_from_the_last_tag_before_it():
    rng = random.Random(5)
    pieces = [b"<", b">", b"ticker", b" id=", b'id="ticker"', b"<div ", b"<p", b" ", b'"', b"'", b"x", b"id", b"=",
              b"/", b"\n", b"<div class=x id=ticker>", b"tick", b"er"]
    for _ in range(50_000):
        body = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        expected, found = _FURNITURE_START.search(body), furniture_start(body)
        assert (expected and expected.span()) == (found and found.span()), body


def old_element_lines(element: etree._Element) -> list[str]:
    """element_lines as a recursion over the tree (the definition; shallow trees only)."""
    lines = [""]

    def read(node: etree._Element) -> None:
        if node.text:
            lines[-1] += node.text
        for child in node:
            tag = child.tag.lower() if isinstance(child.tag, str) else None
            if tag == "br":
                lines.append("")
            elif tag in {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr",
                         "td", "th", "section", "article", "pre", "figure", "figcaption", "header", "footer", "hr"}:
                lines.append("")
                read(child)
                lines.append("")
            elif tag is not None and tag not in {"script", "style", "noscript", "iframe", "template", "button",
                                                 "select", "textarea"}:
                read(child)
            if child.tail:
                lines[-1] += child.tail

    read(element)
    return lines


def test_element_lines_of_random_markup():
    rng = random.Random(3)
    tags = ["p", "div", "span", "a", "b", "br", "script", "style", "table", "td", "li", "!--", "noscript", "h1", "BR", "P"]

    def markup(depth: int = 0) -> str:
        out = []
        for _ in range(rng.randint(0, 5)):
            tag = rng.choice(tags)
            if rng.random() < 0.4:
                out.append(rng.choice(["x", " y ", "\xa0\xa0\xa0\xa0z", "\n", "é", "&amp;"]))
            elif tag == "!--":
                out.append("<!-- c -->")
            elif tag.lower() == "br":
                out.append(f"<{tag}/>")
            elif depth < 6:
                out.append(f"<{tag}>{markup(depth + 1)}" + (f"</{tag}>" if rng.random() < 0.9 else ""))
        return "".join(out)

    for _ in range(3_000):
        root = html.fromstring(f"<div>{markup()}</div>")
        for element in root.iter(etree.Element):
            assert element_lines(element) == old_element_lines(element)


def html_response(body: bytes, url: str = "https://www.maghress.com/fr/h24info/1", verbatim: bool = False,
                  **kwargs) -> HtmlResponse:
    request = Request(url, meta={"verbatim_url": True} if verbatim else None)
    kwargs.setdefault("headers", {"Content-Type": "text/html; charset=utf-8"})
    return HtmlResponse(request.url, body=body, request=request, **kwargs)


def page_bodies() -> list[bytes]:
    rng = random.Random(6)
    frags = [b"<p>x</p>", b"</zz>" * 120, b"\xff", b"\xc3", b"\xe2\x80", b"\xef\xbf\xbd", "é".encode(), b"\xed\xa0\x80",
             b"\xf4\x90\x80\x80", b"\xc0\x80", b" ", b"\x1c", b"<!-- \xff -->", b"<p title='\xfe'>", b"\x00",
             b"<base href='/fr/'>", b"<BASE HREF=\"http://o.ma/a/\">", "ا".encode() * 3000, b"a" * 5000, b"\xef\xbb\xbf"]
    page = ('<!DOCTYPE html><html><head><title>T</title></head><body><div id="ticker" class="newsticker">'
            + "".join(f'<a href="/fr/x/{i}">Titre {i} à Fès</a>&nbsp;&nbsp;&nbsp;&nbsp;' for i in range(30))
            + '</div><span class="articletitle">Titre</span><span class="articlecontent">Un.<br/>Deux é.</span>'
              "</body></html>").encode()
    bodies = [page, b"", b"  ", b"<p>\xff</p>"]
    bodies += [b"".join(rng.choice(frags) for _ in range(rng.randint(0, 8))) for _ in range(1_500)]
    for _ in range(300):
        at = rng.randrange(len(page) + 1)
        bodies.append(page[:at] + rng.choice(frags) + page[at:])
    return bodies


def test_base_url_is_scrapys():
    for body in page_bodies():
        for url in ("https://www.maghress.com/fr/h24info/1", "https://www.maghress.com/fr/h24 info/é?x=1#f",
                    "http://EXAMPLE.com:80/a/../b"):
            for kwargs in ({}, {"encoding": "windows-1256"}, {"encoding": "utf-16"}, {"verbatim": True}):
                assert base_url(html_response(body, url, **kwargs)) == get_base_url(html_response(body, url, **kwargs))


def direct_as_before(response: HtmlResponse) -> bool:
    """The condition on which a page's bytes went to libxml2 before issue 7's speed-up."""
    body = response.body.strip()
    if not (body and body[0] < 0x80 and body[-1] < 0x80 and body[0] not in _UNICODE_ONLY_SPACE
            and body[-1] not in _UNICODE_ONLY_SPACE and b"\x00" not in body
            and codecs.lookup(response.encoding).name == "utf-8" and "\ufffd" not in response.text):
        return False
    try:
        return parse_html_bytes(body) is not None
    except etree.XMLSyntaxError:
        return False


def test_bytes_parsed_directly_exactly_when_the_text_has_no_replacement_character():
    known = KnownFurniture()
    first = page_bodies()[0]
    furniture_boxes(PageTree(html_response(first), furniture=known))  # the ticker is known from now on
    for body in page_bodies():
        for decoded_first in (False, True):
            response = html_response(body)
            if decoded_first:
                response.text  # as a middleware does
            tree = PageTree(response, furniture=known)
            assert (tree.base_url is not None) == direct_as_before(html_response(body)), (decoded_first, body[:80])
            if tree.base_url is None:
                assert tree.cut is None and tree.uncut is None
