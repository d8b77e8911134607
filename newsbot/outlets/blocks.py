"""Blocks of text out of an HTML (or trafilatura XML) element: one per paragraph, list item,
heading, quote or table cell, each with how much of it is link text.

Both candidates' outputs go through this one reader, so the features that choose between
them (:mod:`newsbot.outlets.choice`) count the same things the same way.
"""

from __future__ import annotations

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
    (``"p"``, ``"heading"``, ``"item"`` or ``"cell"``) and ``link_chars``: how many of its
    characters are link text (``link_chars / len(text)`` is its link density)."""

    text: str
    kind: str
    link_chars: int

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


def link_texts(tree: etree._Element) -> dict[str, list[str]]:
    """The page's link texts (normalised, three characters or more), keyed by their first
    three characters: :func:`mark_links` looks blocks up in it."""
    found: dict[str, list[str]] = {}
    for anchor in tree.iter("a"):
        text = normalize_text(anchor.text_content())
        if text and len(text) >= 3:
            found.setdefault(text[:3], []).append(text)
    return found


def mark_links(blocks: list[Block], links: dict[str, list[str]]) -> list[Block]:
    """``blocks`` from an output that lost its links (trafilatura's text), with ``link_chars``
    set from the page's link texts: a block that is a link text, or starts with one (a list
    item "title of the linked article + its teaser"), counts that link's characters. Links
    inside a sentence are not found: the measure is meant for link lists, not prose.

    >>> links = {"Aut": ["Autre article"]}
    >>> [b.link_chars for b in mark_links([Block("Autre article", "item", 0), Block("Autre chose", "p", 0)], links)]
    [13, 0]
    """
    marked = []
    for block in blocks:
        longest = max((len(t) for t in links.get(block.text[:3], ()) if block.text.startswith(t)), default=0)
        marked.append(Block(block.text, block.kind, max(block.link_chars, longest)) if longest else block)
    return marked
