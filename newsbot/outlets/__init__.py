"""The outlet-page extractor: the article text of any news page (an outlet's own page that an
aggregator teaser links to), or None where the page holds no single article.

Pure: HTML in, text out, no Scrapy. Public API (the contract the spider builds on)::

    from newsbot.outlets import extract, extract_text, OutletText

>>> paragraphs = "".join(f"<p>Le port de Tanger a vu passer {n} navires cette semaine, selon le port.</p>" for n in range(10, 16))
>>> page = f"<html><body><article>{paragraphs}</article></body></html>"
>>> result = extract(page, "https://example.org/a/1")
>>> result.text.split("\\n\\n")[0]
'Le port de Tanger a vu passer 10 navires cette semaine, selon le port.'
>>> 0.0 <= result.confidence <= 1.0
True
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from newsbot.text.normalize import join_paragraphs, normalize_text

TRAFILATURA = f"trafilatura {trafilatura.__version__}"
MIN_CHARS = 200
"""Shorter extracted text is no article (a menu, a stub), whatever the extractor says."""


@dataclass(frozen=True)
class OutletText:
    """The article text of an outlet page.

    ``text``: paragraphs joined by ``"\\n\\n"``, each normalised like newsbot bodies
    (:func:`newsbot.text.normalize_text`); ``extractor``: name and version of the candidate
    chosen (``"trafilatura 2.3.1"``); ``confidence``: in [0, 1], low where the text is likely wrong.
    """

    text: str
    extractor: str
    confidence: float


def extract(html: str | bytes, url: str, teaser: str | None = None) -> OutletText | None:
    """The article of the outlet page ``html`` (str, or bytes in the page's encoding), fetched
    from ``url``; ``teaser`` (optional): the aggregator's teaser text. None for pages holding no
    article (listing, index or home pages, paywall or cookie stubs, empty pages)."""
    raw = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=False)
    if not raw:
        return None
    text = join_paragraphs(normalize_text(line) for line in raw.split("\n"))
    if not text or len(text) < MIN_CHARS:  # a stub, a menu or an empty page: no article
        return None
    return OutletText(text=text, extractor=TRAFILATURA, confidence=0.5)


def extract_text(html: str | bytes, url: str) -> str:
    """The body text of the outlet page ``html`` at ``url``: :func:`extract`'s text, ``""`` where
    it gives None.

    >>> extract_text("<html><body><p>Menu</p></body></html>", "https://example.org/")
    ''
    """
    result = extract(html, url)
    return result.text if result else ""


__all__ = ["OutletText", "extract", "extract_text"]
