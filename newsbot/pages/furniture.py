"""Page furniture that lists other articles: the ticker banner and the "most read" box.

Markup read (:data:`newsbot.family.selectors.FURNITURE_BOXES`; the ticker's place at the top
of every page is verified, the element names are the replicas'): ``#ticker`` and
``.newsticker`` (the banner of latest headlines), ``.mostread`` (the sidebar list). The
texts of their links are real titles of other articles, which outlets sometimes paste into
a body; the boilerplate pipeline removes body lines made of them
(:class:`newsbot.text.headlines.HeadlineIndex`).

The same ticker is on every page of a site for a while: a :class:`FurnitureBox` has a
``key`` (a hash of its markup, computed in C) so a reader that has seen the box can skip
reading its links again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from newsbot.family import selectors
from newsbot.text import normalize_text

# One cheap scan (substring tests in C); the exact class test and the "outermost" rule run in
# Python on the few elements found.
_CANDIDATES = etree.XPath(
    f"//*[@id='{selectors.FURNITURE_ID}' or "
    + " or ".join(f"contains(@class, '{name}')" for name in selectors.FURNITURE_CLASSES) + "]"
)
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


def furniture_boxes(page: TextResponse | Selector) -> list[FurnitureBox]:
    """The furniture boxes of a page (outermost, in page order); ``[]`` for a page without.

    Takes the response (its cached selector is reused, so the page is parsed once) or a
    selector.
    """
    sel = page.selector if isinstance(page, TextResponse) else page
    root = sel.root
    if not isinstance(root, etree._Element):
        return []
    boxes = [el for el in _CANDIDATES(root) if _is_box(el)]
    if len(boxes) > 1:
        inside = set(boxes)
        boxes = [el for el in boxes if not any(a in inside for a in el.iterancestors())]
    return [FurnitureBox(hashlib.blake2b(etree.tostring(box, with_tail=False), digest_size=16).digest(), box)
            for box in boxes]


def _is_box(element: etree._Element) -> bool:
    if element.get("id") == selectors.FURNITURE_ID:
        return True
    classes = (element.get("class") or "").split()
    return any(name in classes for name in selectors.FURNITURE_CLASSES)


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
