"""Cleaning one body, line by line (pure: no Scrapy, no state).

A body arrives as raw lines (``ArticleItem.body_lines``: one per ``<br>`` line or ``<p>``
block, whitespace untouched). Each line is, in this order:

1. a ticker banner by shape (:func:`newsbot.boilerplate.ticker_parts`, on the raw line):
   removed, except body text it was glued to;
2. normalised as the loader does (:func:`newsbot.loaders.clean_paragraph`: empty and
   "read also" lines go);
3. a template line, or a template sentence glued to its start or end: removed;
4. made only of headlines of the site's ticker and "most read" lists: removed;
5. learned boilerplate (its :func:`paragraph_key` is in ``learned``): removed.

What is left is rebuilt into ``body`` with :func:`newsbot.text.join_paragraphs`, so a
paragraph means the same here as in the loader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from newsbot.boilerplate import HeadlineIndex, is_template_line, strip_template_sentences, ticker_parts
from newsbot.loaders import clean_paragraph
from newsbot.state.base import text_key
from newsbot.text import fold_for_match, normalize_text

REMOVED_KINDS = ("ticker", "read_also", "template", "headlines", "learned")


def paragraph_key(paragraph: str) -> bytes:
    """The key learned boilerplate is stored under: the paragraph folded for matching
    (case, punctuation, Arabic letter variants ignored), hashed to 8 bytes."""
    return text_key(fold_for_match(paragraph))


@dataclass
class CleanedBody:
    """``lines``: the kept lines (raw when untouched, else the remaining text), one per
    ``paragraphs`` entry; ``removed``: how many lines went, per kind (:data:`REMOVED_KINDS`)."""

    lines: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)


def clean_body(
    raw_lines: Iterable[str], headlines: HeadlineIndex | None = None, learned: Container[bytes] = ()
) -> CleanedBody:
    """Clean a body's raw lines (see module docstring for the order of the checks).

    >>> sep = "\\u00a0" * 4
    >>> banner = sep.join(["Pluie sur Fès", "Budget voté en commission", "", "Nouveau train pour Oujda",
    ...                    "Festival de musique à Essaouira", "Grève des taxis à Rabat"]) + sep
    >>> body = clean_body(["Premier paragraphe.", banner, "Lire aussi: Un autre sujet", "",
    ...                    "Dernier paragraphe.", "Cliquez ici pour lire l'article depuis sa source."])
    >>> body.paragraphs, dict(body.removed)
    (['Premier paragraphe.', 'Dernier paragraphe.'], {'ticker': 1, 'read_also': 1, 'template': 1})
    """
    result = CleanedBody()
    for raw in raw_lines:
        ticker = ticker_parts(raw) if raw else None
        if ticker is None:
            pieces = [raw]
        else:
            result.removed["ticker"] += 1
            before, _, after = ticker
            pieces = [p for p in (before, after) if p]
            if headlines is not None:
                pieces = [p for p in (headlines.strip_edges(p) for p in pieces) if p]
        for piece in pieces:
            paragraph = _clean_line(piece, headlines, learned, result.removed)
            if paragraph is not None:
                result.lines.append(piece if paragraph == normalize_text(piece) else paragraph)
                result.paragraphs.append(paragraph)
    return result


def _clean_line(
    line: str, headlines: HeadlineIndex | None, learned: Container[bytes], removed: Counter[str]
) -> str | None:
    if normalize_text(line) is None:
        return None
    paragraph = clean_paragraph(line)
    if paragraph is None:
        removed["read_also"] += 1
        return None
    if is_template_line(paragraph):
        removed["template"] += 1
        return None
    stripped = strip_template_sentences(paragraph)
    if stripped != paragraph:
        removed["template"] += 1
        if stripped is None:
            return None
        paragraph = stripped
    if headlines is not None and headlines.is_headline_line(paragraph):
        removed["headlines"] += 1
        return None
    if learned and paragraph_key(paragraph) in learned:
        removed["learned"] += 1
        return None
    return paragraph


def clean_title(title: str | None) -> str | None:
    """A title without template sentences (ticker and "most read" entries are real titles of
    other articles, so only the template patterns apply); None when nothing is left.

    >>> clean_title("Merci d'avoir signalé! Pluie sur Fès")
    'Pluie sur Fès'
    """
    return strip_template_sentences(title)
