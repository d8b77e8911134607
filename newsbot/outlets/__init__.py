"""The outlet-page extractor: the article text of any news page (the outlet's own page an
aggregator teaser links to, in any language or direction), or None where the page holds no
single article.

Pure: HTML in, text out, no Scrapy. The page is parsed once; trafilatura extracts, readability-lxml
gives a second opinion where trafilatura's text shows a sign of a known failure, and transparent
features choose between them and give the confidence (:mod:`newsbot.outlets.choice`). Listing,
index and home pages, and text too short to be an article, give None.

>>> paragraphs = "".join(f"<p>Le port de Tanger a vu passer {n} navires cette semaine, selon le port.</p>" for n in range(10, 16))
>>> page = f"<html><body><article>{paragraphs}</article></body></html>"
>>> result = extract(page, "https://example.org/a/1")
>>> result.text.split("\\n\\n")[0]
'Le port de Tanger a vu passer 10 navires cette semaine, selon le port.'
>>> result.extractor.split()[0], 0.0 <= result.confidence <= 1.0
('trafilatura', True)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from lxml import etree

from newsbot.outlets.candidates import Candidate, parse, run_readability, run_trafilatura
from newsbot.outlets.choice import (
    MIN_CHARS,
    Choice,
    Page,
    choose,
    confidence,
    doubts,
    is_listing,
    without_headline,
)
from newsbot.outlets.features import declares_paywall, teaser_shingles
from newsbot.text.normalize import normalize_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutletText:
    """The article text of an outlet page.

    ``text``: paragraphs joined by ``"\\n\\n"``, each normalised like newsbot bodies
    (:func:`newsbot.text.normalize_text`); ``extractor``: name and version of the candidate
    chosen (``"trafilatura 2.3.1"``, ``"readability-lxml 0.9"``); ``confidence``: in [0, 1],
    low where the text is likely wrong.
    """

    text: str
    extractor: str
    confidence: float


def extract(html: str | bytes, url: str, teaser: str | None = None) -> OutletText | None:
    """The article of the outlet page ``html`` (str, or bytes in the page's declared charset)
    fetched from ``url``. ``teaser`` (optional): the aggregator's teaser text, a feature of the
    choice (the candidate holding it is preferred) and of the confidence.

    None for pages holding no article: listing, index or home pages, stubs (paywall, cookie
    wall, error page) with less than :data:`~newsbot.outlets.choice.MIN_CHARS` characters of
    text, empty or unparsable pages. Never raises on a bad page: the reason is logged.
    """
    tree = parse(html)
    if tree is None:
        logger.debug("outlet page %s: not HTML", url)
        return None
    page = read_page(tree)
    teaser_sh = teaser_shingles(teaser)
    first = run_trafilatura(tree, url)
    reason = "none" if first is None else doubts(first, page, teaser_sh)
    second = run_readability(tree, url) if reason else None
    if first is None:
        if second is None:
            return None
        choice = choose(second, None, teaser_sh)
    else:
        choice = choose(first, second, teaser_sh)
    kept = without_headline(choice.candidate, page)
    if kept.chars < MIN_CHARS:
        logger.debug("outlet page %s: %d characters of text, no article", url, kept.chars)
        return None
    if is_listing(kept):
        logger.debug("outlet page %s: a listing, no article", url)
        return None
    return OutletText(text=kept.text, extractor=kept.extractor, confidence=confidence(replace(choice, candidate=kept), page))


def extract_text(html: str | bytes, url: str) -> str:
    """The body text of the outlet page ``html`` at ``url``: :func:`extract`'s text, ``""`` where
    it gives None.

    >>> extract_text("<html><body><p>Menu</p></body></html>", "https://example.org/")
    ''
    """
    result = extract(html, url)
    return result.text if result else ""


def read_page(tree: etree._Element) -> Page:
    """The page-level features of :class:`~newsbot.outlets.choice.Page`."""
    p_chars = sum(len(text.strip()) for p in tree.iter("p") for text in p.itertext())
    title = normalize_text(tree.findtext(".//title")) or ""
    og_title = next((normalize_text(m.get("content")) or "" for m in tree.iter("meta") if m.get("property") == "og:title"), "")
    return Page(p_chars=p_chars, title=title, paywall=declares_paywall(tree), og_title=og_title)


__all__ = ["Candidate", "Choice", "OutletText", "extract", "extract_text"]
