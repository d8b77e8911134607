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

The ticker is also more than half of an article page's bytes (200 headlines: 28 KB of 52 KB),
so a page whose ticker markup is byte for byte one already read has it cut out before libxml2
parses the page (:class:`KnownFurniture`): the box's key and headlines come from the first
reading, and every extractor sees an empty ``#ticker`` element in its place.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from newsbot.family import selectors
from newsbot.pages.markup import PageTree, outermost, page_tree, parse_html_bytes
from newsbot.text import normalize_text

_IN_PAGE_ORDER = etree.XPath("$boxes")  # a node-set comes back in page order
# Two XPaths, not one concat(): concat copies the box's text once more.
_BOX_LINK_COUNT = etree.XPath("count(.//a)")
_BOX_TEXT = etree.XPath("string(.)", smart_strings=False)
_LINKS = etree.XPath(".//a")
_TEXTS = etree.XPath(".//text()")
_NODES = etree.XPath("count(//node())")
_DESCENDANTS = etree.XPath("count(.//node())")
_ALL_TEXT = etree.XPath("string(/)", smart_strings=False)
_WITH_ID = etree.XPath("//*[@id=$id]")
# The start tag of the element whose id is the ticker's, and the start and end tags of any
# element (their names are compared in Python: the ticker may be a div, a section...).
_FURNITURE_START = re.compile(
    rb"<([A-Za-z][A-Za-z0-9]*)\s[^>]*?\bid\s*=\s*[\"']?" + re.escape(selectors.FURNITURE_ID.encode()) + rb"[\"'\s/>]")
_TAGS = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9]*)[\s/>]")
_FURNITURE_ID = selectors.FURNITURE_ID.encode()


def furniture_start(body: bytes) -> re.Match[bytes] | None:
    """The first start tag of the ticker's element in ``body`` (``_FURNITURE_START.search(body)``),
    the pattern tried from the last ``>`` before the first ``ticker`` bytes of the page only: no
    ``>`` lies between a match's ``<`` and its id, so none starts earlier (a search from the top
    tries the pattern at every tag of the page's head, 25 µs for 2 KB).

    >>> furniture_start(b'<p title="ticker">x</p><div class="a" id="ticker">').start()
    23
    """
    first = body.find(_FURNITURE_ID)
    if first < 0:
        return None
    return _FURNITURE_START.search(body, body.rfind(b">", 0, first) + 1)


@dataclass(frozen=True)
class FurnitureBox:
    """One ticker or "most read" box of a page: ``key`` (an int, equal for equal markup in
    one process: :func:`box_key`) and its element, whose links :meth:`headlines` reads."""

    key: int
    element: etree._Element | None
    known: tuple[str, ...] | None = None  # the headlines, for a box cut out before parsing

    def headlines(self) -> list[str]:
        """The texts of the box's links, normalised, in page order (empty ones left out)."""
        if self.element is None:
            return list(self.known or ())
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
    boxes = []
    for element in outermost(_IN_PAGE_ORDER(tree.root, boxes=found)):
        if element is ticker and tree.cut is not None:
            boxes.append(tree.cut)  # the placeholder left where the known ticker was cut out
            continue
        box = FurnitureBox(box_key(element), element)
        if element is ticker and tree.uncut is not None and tree.furniture is not None:
            tree.furniture.learn(tree, box)
        boxes.append(box)
    return boxes


class KnownFurniture:
    """Ticker markup read before in this crawl, cut out of later pages before they are parsed
    (one per spider; :class:`~newsbot.pages.markup.PageTree` takes it for article pages).

    The first page with a given ticker is parsed whole; :meth:`learn` then checks that the
    ticker's bytes are exactly its element (parsed alone they give the same box, and the page
    parsed without them gives the same document minus the box) and keeps its key and headlines
    under those bytes. A later page holding the same bytes at the ticker's place gets them
    replaced by the element's empty start and end tags (:meth:`cut`): same document, less to
    parse. Markup that fails the checks is never cut. At most ``size`` tickers are kept (a site
    changes its ticker as news comes in; each edition has its own).
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._known: OrderedDict[bytes, FurnitureBox] = OrderedDict()
        self._refused: OrderedDict[bytes, None] = OrderedDict()

    def cut(self, body: bytes) -> tuple[bytes, FurnitureBox | None, tuple[bytes, int, int] | None]:
        """``(bytes to parse, the box cut out or None, (body, start, end) of a ticker not known
        yet or None)`` for a page's ``body``."""
        start_tag = furniture_start(body)
        if start_tag is None:
            return body, None, None
        start = start_tag.start()
        for markup, box in self._known.items():  # a few: cheaper than finding the end tag
            if body.startswith(markup, start):
                self._known.move_to_end(markup)
                open_end = body.index(b">", start) + 1
                return b"".join((body[:open_end], placeholder_end(body, start), body[start + len(markup):])), box, None
        found = ticker_span(body)
        if found is None:
            return body, None, None
        start, open_end, end = found
        markup = body[start:end]
        if markup in self._refused:
            return body, None, None
        return body, None, (body, start, end)

    def learn(self, tree: PageTree, box: FurnitureBox) -> None:
        """Keep ``box`` (the ticker of ``tree``, parsed whole) for the pages holding its markup,
        when the checks of the class docstring hold."""
        assert tree.uncut is not None and box.element is not None and tree.root is not None
        body, start, end = tree.uncut
        tree.uncut = None
        markup = body[start:end]
        found = ticker_span(body)
        open_end = found[1] if found is not None else start
        cut_body = b"".join((body[:open_end], placeholder_end(body, start), body[end:]))
        alone = _WITH_ID(parse_html_bytes(markup), id=selectors.FURNITURE_ID)
        headlines = box.headlines()
        cut_root = parse_html_bytes(cut_body)
        same = (
            len(alone) == 1 and box_key(alone[0]) == box.key
            and FurnitureBox(box.key, alone[0]).headlines() == headlines
            and _NODES(cut_root) == _NODES(tree.root) - _DESCENDANTS(box.element)
            and _ALL_TEXT(cut_root) == _ALL_TEXT(tree.root).replace(_BOX_TEXT(box.element), "", 1)
        )
        kept = self._known if same else self._refused
        kept[markup] = FurnitureBox(box.key, None, tuple(headlines)) if same else None
        if len(kept) > self.size:
            kept.popitem(last=False)


def ticker_span(body: bytes) -> tuple[int, int, int] | None:
    """Where the ticker element is in a page's bytes: ``(start, end of its start tag, end)``,
    its end tag matched by counting the start and end tags of its name; None when there is
    no ticker or its end is not found.

    >>> ticker_span(b'<body><div id="ticker" class="newsticker"><div><a>x</a></div></div><p>y</p>')
    (6, 42, 67)
    """
    match = furniture_start(body)
    if match is None:
        return None
    name = match.group(1).lower()
    open_end = body.find(b">", match.start())
    if open_end < 0:
        return None
    open_end += 1
    depth = 1
    for tag in _TAGS.finditer(body, open_end):
        if tag.group(2).lower() != name:
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = body.find(b">", tag.start())
            return (match.start(), open_end, end + 1) if end >= 0 else None
    return None


def placeholder_end(body: bytes, start: int) -> bytes:
    """The end tag closing the element that starts at ``start`` (its name as written)."""
    match = _FURNITURE_START.match(body, start)
    assert match is not None
    return b"</" + match.group(1) + b">"


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
