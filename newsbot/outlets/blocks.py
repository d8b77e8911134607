"""Blocks of text out of an HTML (or trafilatura XML) element: one per paragraph, list item,
heading, quote or table cell, each with how much of it is link text.

Both candidates' outputs go through this one reader, so the features that choose between
them (:mod:`newsbot.outlets.choice`) count the same things the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from newsbot.text.normalize import normalize_text

# Elements that start a new block. HTML names plus trafilatura's XML ones (head, item, list,
# quote, row, cell, ref is a link): the same reader serves both.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul "
    "head item list quote row cell".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6 head".split())
ITEM_TAGS = frozenset("li item dt dd".split())
LINK_TAGS = frozenset(("a", "ref"))
SKIPPED_TAGS = frozenset("script style noscript template iframe svg button select option textarea".split())
CELL_TAGS = frozenset(("td", "th", "cell"))


@dataclass(frozen=True, slots=True)
class Block:
    """One block of text: ``text`` normalised (:func:`newsbot.text.normalize_text`), ``kind``
    (``"p"``, ``"heading"``, ``"item"`` or ``"cell"``), ``link_chars``: how many of its
    characters are link text (``link_chars / len(text)`` is its link density), and
    ``tail_link``: the link text it ends with ("" when it ends otherwise; set by
    :func:`mark_links`), the "read more" of a teaser."""

    text: str
    kind: str
    link_chars: int
    tail_link: str = ""

    @property
    def link_density(self) -> float:
        """Share of the block's characters inside links, in [0, 1]."""
        return min(1.0, self.link_chars / len(self.text)) if self.text else 0.0


class _Reader:
    """Walks an element tree once, cutting blocks at block-level elements and ``<br>``."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.kind = "p"

    def flush(self) -> None:
        text = normalize_text("".join(self.parts))
        if text:
            self.blocks.append(Block(text, self.kind, min(self.link_chars, len(text))))
        self.parts, self.link_chars, self.kind = [], 0, "p"

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.parts.append(text)
            if in_link:
                self.link_chars += len(text.strip())

    def walk(self, element: etree._Element, in_link: bool = False) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rpartition("}")[2].lower()
        if tag in SKIPPED_TAGS or not tag:  # comments and processing instructions too (tag is not a str)
            return
        block = tag in BLOCK_TAGS
        link = in_link or tag in LINK_TAGS
        if block:
            self.flush()
            if tag in HEADING_TAGS:
                self.kind = "heading"
            elif tag in ITEM_TAGS:
                self.kind = "item"
            elif tag in CELL_TAGS:
                self.kind = "cell"
        elif tag == "br" or tag == "lb":
            self.flush()
        self.add(element.text, link)
        for child in element:
            self.walk(child, link)
            self.add(child.tail, link)
        if block:
            self.flush()


def read_blocks(element: etree._Element | None) -> list[Block]:
    """The blocks of ``element`` in document order (empty ones dropped).

    >>> from lxml import html
    >>> page = html.fromstring('<div><p>Un <a href="/x">lien</a> ici.</p><ul><li><a href="/y">Autre article</a></li></ul></div>')
    >>> [(b.text, b.kind, round(b.link_density, 2)) for b in read_blocks(page)]
    [('Un lien ici.', 'p', 0.33), ('Autre article', 'item', 1.0)]
    """
    reader = _Reader()
    if element is not None:
        reader.walk(element)
        reader.flush()
    return reader.blocks


_SEPARATED = re.compile(r"\s+[|•·]\s+")


@dataclass(frozen=True)
class LinkTexts:
    """A page's link texts (normalised, three characters or more), keyed by their first and by
    their last three characters: :func:`mark_links` looks blocks up in them."""

    by_head: dict[str, list[str]]
    by_tail: dict[str, list[str]]

    def __contains__(self, text: str) -> bool:
        return text in self.by_head.get(text[:3], ())


def link_texts(tree: etree._Element) -> LinkTexts:
    """The link texts of ``tree`` (every ``<a>``)."""
    by_head: dict[str, list[str]] = {}
    by_tail: dict[str, list[str]] = {}
    for anchor in tree.iter("a"):
        text = normalize_text(anchor.text_content())
        if text and len(text) >= 3:
            by_head.setdefault(text[:3], []).append(text)
            by_tail.setdefault(text[-3:], []).append(text)
    return LinkTexts(by_head, by_tail)


def mark_links(blocks: list[Block], links: LinkTexts) -> list[Block]:
    """``blocks`` with their links found from the page's link texts: a block that is a link
    text, or starts with one (a list item "title of the linked article + its teaser"), counts
    that link's characters in ``link_chars`` (trafilatura's text has lost its links); one that
    ends with a link text (a teaser's "read more") gets it as ``tail_link``. Links inside a
    sentence are not looked for: the measures are meant for link lists and teasers, not prose.
    A block of four or more pieces joined by ``|``, ``•`` or ``·`` counts the pieces that are
    link texts (a menu run into one line).

    >>> links = LinkTexts({"Aut": ["Autre article"]}, {"ite": ["Lire la suite"]})
    >>> marked = mark_links([Block("Autre article", "item", 0), Block("Un début (...) Lire la suite", "p", 0)], links)
    >>> [(b.link_chars, b.tail_link) for b in marked]
    [(13, ''), (13, 'Lire la suite')]
    >>> menu = LinkTexts({"Acc": ["Accueil"], "Spo": ["Sport"], "Cul": ["Culture"]}, {})
    >>> mark_links([Block("Accueil | Sport | Culture | Météo", "p", 0)], menu)[0].link_chars
    19
    """
    marked = []
    for block in blocks:
        text = block.text
        pieces = _SEPARATED.split(text) if len(text) < 5000 else ()
        if len(pieces) >= 4:  # a menu: link texts joined by separators ("Accueil | Sport | ...")
            menu = sum(len(piece) for piece in pieces if piece in links)
            if menu > block.link_chars:
                block = Block(text, block.kind, menu, block.tail_link)
        head = max((len(t) for t in links.by_head.get(text[:3], ()) if text.startswith(t)), default=0)
        tail = max((t for t in links.by_tail.get(text[-3:], ()) if text.endswith(t) and len(t) < len(text)),
                   key=len, default="")
        if head or tail:
            link_chars = max(block.link_chars, head + len(tail))
            block = Block(text, block.kind, min(link_chars, len(text)), tail)
        marked.append(block)
    return marked
