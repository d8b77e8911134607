"""Page furniture that lists other articles: the ticker banner and the "most read" box.

Markup read (:data:`newsbot.family.selectors.FURNITURE_BOXES`; the ticker's place at the top
of every page is verified, the element names are the replicas'): ``#ticker`` and
``.newsticker`` (the banner of latest headlines), ``.mostread`` (the sidebar list). The
texts of their links are real titles of other articles, which outlets sometimes paste into
a body; the boilerplate pipeline removes body lines made of them
(:class:`newsbot.text.headlines.HeadlineIndex`).

The same ticker is on every page of a site for a while: a :class:`FurnitureBox` has a
``key`` (a hash of its text and its number of links: the separators between the headlines are
part of the text, so the same text cut into other links is another key) so a reader that has
seen the box can skip reading its links again. The text and the count come from libxml2 and
the hash is Python's own (no copy of the text into UTF-8 bytes first): the key is only ever
compared within one process.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from newsbot.family import selectors
from newsbot.pages.markup import PageTree, outermost, page_tree
from newsbot.text import normalize_text

_IN_PAGE_ORDER = etree.XPath("$boxes")  # a node-set comes back in page order
# Two XPaths, not one concat(): concat copies the box's text once more.
_BOX_LINK_COUNT = etree.XPath("count(.//a)")
_BOX_TEXT = etree.XPath("string(.)", smart_strings=False)
_LINKS = etree.XPath(".//a")
_TEXTS = etree.XPath(".//text()")


@dataclass(frozen=True)
class FurnitureBox:
    """One ticker or "most read" box of a page: ``key`` (an int, equal for equal markup in
    one process: :func:`box_key`) and its element, whose links :meth:`headlines` reads."""

    key: int
    element: etree._Element

    def headlines(self) -> list[str]:
        """The texts of the box's links, normalised, in page order (empty ones left out)."""
        texts = (normalize_text(" ".join(_TEXTS(link))) for link in _LINKS(self.element))
        return [t for t in texts if t]


def furniture_boxes(page: TextResponse | Selector | PageTree) -> list[FurnitureBox]:
    """The furniture boxes of a page (outermost, in page order); ``[]`` for a page without.

    Takes the response, a selector, or the page's :class:`~newsbot.pages.markup.PageTree`
    (the page is parsed once and its class index shared with the other extractors).
    """
    tree = page_tree(page)
    ticker = tree.by_id(selectors.FURNITURE_ID)
    found = [ticker] if ticker is not None else []
    for name in selectors.FURNITURE_CLASSES:
        found += tree.by_class(name)
    if not found:
        return []
    boxes = outermost(_IN_PAGE_ORDER(tree.root, boxes=found))
    return [FurnitureBox(box_key(box), box) for box in boxes]


def box_key(box: etree._Element) -> int:
    """The key of a furniture box: a hash of its number of links and its text, equal for the
    same box on every page of a crawl (Python's hash of a string changes between processes).

    >>> from lxml import html
    >>> one = html.fromstring('<div><a>Pluie sur Fès</a>&nbsp;&nbsp;<a>Budget voté</a></div>')
    >>> cut = html.fromstring('<div><a>Pluie sur Fès&nbsp;&nbsp;Budget voté</a></div>')
    >>> box_key(one) == box_key(html.fromstring(html.tostring(one))), box_key(one) == box_key(cut)
    (True, False)
    """
    return hash((_BOX_LINK_COUNT(box), _BOX_TEXT(box)))


def furniture_headlines(page: TextResponse | Selector) -> list[str]:
    """The headlines of the ticker and "most read" lists of a page, normalised, in page
    order, without repeats; ``[]`` for a page without them.

    >>> html = ('<div id="ticker"><a href="/a/1">Pluie sur Fès</a>&nbsp;&nbsp;&nbsp;&nbsp;'
    ...         '<a href="/a/2">Budget&nbsp;voté</a></div><ul class="mostread"><li><a href="/a/1">'
    ...         'Pluie sur Fès</a></li></ul><a href="/fr/">Accueil</a>')
    >>> furniture_headlines(Selector(text=html))
    ['Pluie sur Fès', 'Budget voté']
    """
    return list(dict.fromkeys(h for box in furniture_boxes(page) for h in box.headlines()))
