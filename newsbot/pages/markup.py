"""Helpers to read text out of lxml elements the way a reader sees lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
    # An explicit stack, not recursion: pages nest markup thousands deep (unclosed tags).
    todo: list[tuple[str, Any]] = [("node", element)]
    while todo:
        action, value = todo.pop()
        if action == "text":
            lines[-1] += value
        elif action == "newline":
            lines.append("")
        else:
            todo.extend(reversed(_steps(value)))
    return lines


def _steps(node: etree._Element) -> list[tuple[str, Any]]:
    """What reading ``node`` does, in order: its text, then each child and the child's tail."""
    steps: list[tuple[str, Any]] = [("text", node.text)] if node.text else []
    for child in node:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag == "br":
            steps.append(("newline", None))
        elif tag in BLOCK_TAGS:
            steps += [("newline", None), ("node", child), ("newline", None)]
        elif tag is not None and tag not in SKIP_TAGS:  # comments and skipped tags give nothing
            steps.append(("node", child))
        if child.tail:
            steps.append(("text", child.tail))
    return steps


def text_of(elements: Iterable[etree._Element]) -> str:
    """All text of ``elements`` (scripts and styles left out), joined with spaces."""
    return " ".join(" ".join(element_lines(el)) for el in elements)
