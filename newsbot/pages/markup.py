"""Helpers to read text out of lxml elements the way a reader sees lines."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

# Elements that start and end a block of text: each is its own line (paragraph).
BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table",
     "tr", "td", "th", "section", "article", "pre", "figure", "figcaption", "header", "footer", "hr"}
)
# Elements whose text is never page text.
SKIP_TAGS = frozenset({"script", "style", "noscript", "iframe", "template", "button", "select", "textarea"})


def element_lines(element: etree._Element) -> list[str]:
    """The raw text lines of ``element``: every ``<br>`` ends a line, every block element
    (``<p>``, ``<div>``, ...) is a line of its own; inline markup (``<a>``, ``<b>``) stays
    inside its line. Whitespace and no-break spaces are kept as they are (a ticker
    pasted into a body is recognised by its runs of spaces); empty lines are kept too.

    >>> from lxml import html
    >>> element_lines(html.fromstring("<span>a<br/>b <a>c</a><p>d</p>e</span>"))
    ['a', 'b c', 'd', 'e']
    """
    lines = [""]
    _walk(element, lines)
    return lines


def _walk(node: etree._Element, lines: list[str]) -> None:
    if node.text:
        lines[-1] += node.text
    for child in node:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag is None:  # comment or processing instruction
            pass
        elif tag == "br":
            lines.append("")
        elif tag in SKIP_TAGS:
            pass
        elif tag in BLOCK_TAGS:
            lines.append("")
            _walk(child, lines)
            lines.append("")
        else:
            _walk(child, lines)
        if child.tail:
            lines[-1] += child.tail


def text_of(elements: Iterable[etree._Element]) -> str:
    """All text of ``elements`` (scripts and styles left out), joined with spaces."""
    return " ".join(" ".join(element_lines(el)) for el in elements)
