"""The candidate extractors: well-kept libraries run on one parsed page.

The page is parsed once (:func:`parse`, trafilatura's loader: bytes are decoded by their
declared or sniffed charset); each candidate works on that tree (trafilatura on its own copy,
readability-lxml after it, as it drops hidden elements in place) and gives its text as
:class:`~newsbot.outlets.blocks.Block` objects, read by the same reader for both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import version

import lxml.html
import trafilatura
from lxml import etree
from readability import Document
from trafilatura.utils import load_html

from newsbot.outlets.blocks import Block, link_texts, mark_links, read_blocks
from newsbot.outlets.features import shingles, words
from newsbot.text.normalize import PARAGRAPH_SEPARATOR

logger = logging.getLogger(__name__)

TRAFILATURA = f"trafilatura {trafilatura.__version__}"
READABILITY = f"readability-lxml {version('readability-lxml')}"


@dataclass(frozen=True)
class Candidate:
    """What one extractor found on a page: ``extractor`` ("name version") and its ``blocks``."""

    extractor: str
    blocks: tuple[Block, ...]

    @cached_property
    def text(self) -> str:
        """The blocks' texts joined by ``"\n\n"`` (paragraphs of a newsbot body)."""
        return PARAGRAPH_SEPARATOR.join(b.text for b in self.blocks)

    @cached_property
    def shingles(self) -> set[tuple[str, ...]]:
        """The text's word 4-grams (:func:`newsbot.outlets.features.shingles`), computed once."""
        return shingles(words(self.text))

    @cached_property
    def chars(self) -> int:
        """Characters of text, all blocks."""
        return sum(len(b.text) for b in self.blocks)

    @cached_property
    def link_density(self) -> float:
        """Share of the text that is link text, in [0, 1]."""
        return sum(b.link_chars for b in self.blocks) / self.chars if self.chars else 0.0


def parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    """The page as an lxml tree, None when it is empty or not HTML."""
    if not html or not html.strip():  # trafilatura's loader would log an ERROR for an empty document
        return None
    try:
        return load_html(html)
    except (ValueError, etree.LxmlError) as error:  # pragma: no cover - load_html already catches most
        logger.debug("unparsable page: %s", error)
        return None


def run_trafilatura(tree: lxml.html.HtmlElement, url: str) -> Candidate | None:
    """trafilatura's main text (``fast=True``: its own algorithm, without its bundled fallbacks,
    which the choice here replaces; comments left out). Its blocks' link text is found by
    :func:`link_texts` (asking trafilatura to keep links changes what it extracts). None when
    it finds nothing."""
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            fast=True,
            include_comments=False,
            include_links=False,
            include_tables=True,
            with_metadata=False,
            as_dict=False,
        )
    except Exception as error:  # a library error on one odd page must not stop a crawl: logged, no text
        logger.warning("trafilatura failed on %s: %r", url, error)
        return None
    if document is None or document.body is None:
        return None
    blocks = tuple(mark_links(read_blocks(document.body), link_texts(tree)))
    return Candidate(TRAFILATURA, blocks) if blocks else None


# Never the article, by HTML5 semantics (navigation, page footer, complementary content) or
# by nature (code, images as markup, frames): removed before readability reads the page, which
# cuts its time by about a third (its cleaner and scorer visit every element) and leaves its
# text unchanged on the benchmark pages.
NOT_ARTICLE = ("script", "style", "noscript", "template", "svg", "iframe", "nav", "footer", "aside")


def run_readability(tree: lxml.html.HtmlElement, url: str) -> Candidate | None:
    """readability-lxml's main text. None when it finds nothing or fails on the page.

    Changes ``tree`` (elements of :data:`NOT_ARTICLE` and hidden ones removed): run it last.
    ``url`` is only for the log: given to readability it would make every link absolute, a
    fifth of its time, for links the text does not keep."""
    etree.strip_elements(tree, *NOT_ARTICLE, with_tail=False)
    try:
        summary = Document(tree).summary(html_partial=True)
    except Exception as error:  # readability raises its own Unparseable and lxml errors on odd pages
        logger.debug("readability failed on %s: %r", url, error)
        return None
    if not summary:
        return None
    article = lxml.html.fromstring(summary)
    blocks = tuple(mark_links(read_blocks(article), link_texts(article)))
    return Candidate(READABILITY, blocks) if blocks else None
