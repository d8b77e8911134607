"""Page furniture that lists other articles: the ticker banner and the "most read" box.

Markup read (:data:`newsbot.family.selectors.FURNITURE_BOXES`; the ticker's place at the top
of every page is verified, the element names are the replicas'): ``#ticker`` and
``.newsticker`` (the banner of latest headlines), ``.mostread`` (the sidebar list). The
texts of their links are real titles of other articles, which outlets sometimes paste into
a body; the boilerplate pipeline removes body lines made of them
(:class:`newsbot.text.headlines.HeadlineIndex`).

The same ticker is on every page of a site for a while: a :class:`FurnitureBox` has a
``key`` (a hash of its text and its number of links, computed in C: the separators between
the headlines are part of the text, so the same text cut into other links is another key) so
a reader that has seen the box can skip reading its links again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from newsbot.family import selectors
from newsbot.pages.markup import PageTree, outermost, page_tree
from newsbot.text import normalize_text

_IN_PAGE_ORDER = etree.XPath("$boxes")  # a node-set comes back in page order
_BOX_TEXT = etree.XPath("concat(count(.//a), '|', string(.))")
_LINKS = etree.XPath(".//a")
_TEXTS = etree.XPath(".//text()")


@dataclass(frozen=True)
class FurnitureBox:
    """One ticker or "most read" box of a page: ``key`` (16 bytes, equal for equal markup)
    and its element, whose links :meth:`headlines` reads."""

    key: bytes
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
    return [FurnitureBox(hashlib.blake2b(_BOX_TEXT(box).encode(), digest_size=16).digest(), box) for box in boxes]


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
