"""The article page of a "*ress" aggregator: response in, raw article fields out.

Reads only the article spans of the template (:mod:`newsbot.family.selectors`; verified
markup): the headline (``articletitle``), the dateline (``articlenewspaper``, ``Publié dans
<a>H24 Info</a> le 20 - 10 - 2021``), every part of the body (``articlecontent``, in page
order) and the "read it at its source" link. The classes are matched on any element (a
template that moves them to a ``div`` or ``p`` still reads), outermost first: an
``articlecontent`` inside another is not read twice.

The ticker banner, the flag notice, the "most read" list and the closing source
sentence sit outside these spans, so they never reach a field. Normalisation
(entities, NFC, spaces) and the body rules are the loader's job; this module keeps lines raw.
The page is parsed once: the response's cached selector is shared with every other reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import TextResponse

from newsbot.family import selectors
from newsbot.family.wording import LANGUAGES, TEMPLATE_LINES, Language
from newsbot.pages.markup import PageTree, element_lines, outermost, page_tree, text_of
from newsbot.text import fold_for_match, normalize_text
from newsbot.text.teaser import teaser_mark

# The union of XPath node-sets is in page order: the first link of either kind.
_FIRST_SOURCE_HREF = etree.XPath("($boxes//a | $links)[@href][1]/@href")
# Compiled once (element.xpath() compiles its expression on every call).
_OUTLET_LINK_TEXTS = etree.XPath("descendant-or-self::a//text()", smart_strings=False)


@dataclass
class ArticleFields:
    """Raw fields of one article page (strings as on the page, not yet normalised).

    ``body_lines`` holds one entry per ``<br>`` line or ``<p>`` block of every
    ``articlecontent`` element (empty lines included), whitespace untouched.
    """

    url: str
    title: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    date_text: str | None = None
    body_lines: list[str] = field(default_factory=list)
    source_url: str | None = None

    @property
    def is_teaser(self) -> bool:
        """True when the body is only the aggregator's teaser, ending in ``(...)`` or ``…``
        (:func:`newsbot.text.teaser.teaser_mark`)."""
        for line in reversed(self.body_lines):
            text = normalize_text(line)
            if text:
                return teaser_mark(text)
        return False


def parse_article(page: TextResponse | PageTree, language: str) -> ArticleFields:
    """Read the article spans of an aggregator article page (a response, or the
    :class:`~newsbot.pages.markup.PageTree` of one).

    ``language`` (``fr``, ``ar``, ``en``) picks the dateline words tried first; the
    others are tried after it, since sites mix them. Missing spans give None fields
    and an empty body; the caller decides what a page without title means.
    """
    tree = page_tree(page)
    response = tree.response
    assert response is not None, "an article is read from a response"
    found = {name: outermost(tree.by_class(name)) for name in selectors.ARTICLE_CLASSES}
    fields = ArticleFields(url=response.url)
    titles = found[selectors.TITLE_CLASS]
    fields.title = normalize_text(text_of(titles)) if titles else None
    datelines = found[selectors.DATELINE_CLASS]
    if datelines:
        fields.dateline = text_of(datelines[:1])
        outlet_link = normalize_text(" ".join(_OUTLET_LINK_TEXTS(datelines[0])))
        outlet, date_text = split_dateline(fields.dateline, language)
        fields.outlet = outlet_link or outlet
        # A dateline in another word order still holds the date: the date parser finds it.
        fields.date_text = date_text or normalize_text(fields.dateline)
    for part in found[selectors.BODY_CLASS]:
        fields.body_lines.extend(element_lines(part))
        fields.body_lines.append("")  # parts are separate paragraphs
    fields.source_url = _source_url(response, tree)
    return fields


def in_template(page: TextResponse | PageTree) -> bool:
    """True when ``page`` is an article page of the "*ress" template (a title span and a body
    span): a teaser's "source" that leads back to an aggregator (this one, a sister site, or a
    replica serving it) is no outlet page, and its text is not taken for the outlet's.

    >>> from scrapy.http import HtmlResponse
    >>> page = '<span class="articletitle">T</span><span class="articlecontent">B (...)</span>'
    >>> in_template(HtmlResponse("https://a.example/1", body=page.encode(), encoding="utf-8"))
    True
    >>> in_template(HtmlResponse("https://a.example/1", body=b"<article><h1>T</h1><p>B</p></article>", encoding="utf-8"))
    False
    """
    tree = page_tree(page)
    return bool(tree.by_class(selectors.TITLE_CLASS)) and bool(tree.by_class(selectors.BODY_CLASS))


def split_dateline(dateline: str | None, language: str) -> tuple[str | None, str | None]:
    """Split a "published in" line into (outlet, date text).

    >>> split_dateline("Publié dans H24 Info le 20 - 10 - 2021", "fr")
    ('H24 Info', '20 - 10 - 2021')
    >>> split_dateline("نشر في الدستور يوم ٠٣ - ١١ - ٢٠٢١", "ar")
    ('الدستور', '٠٣ - ١١ - ٢٠٢١')
    >>> split_dateline("Publié dans H24 Info, le 20 - 10 - 2021", "fr")
    ('H24 Info', '20 - 10 - 2021')
    """
    text = normalize_text(dateline)
    if not text:
        return None, None
    for lang in _languages_from(language):
        match = _DATELINE_PATTERNS[lang.code].match(text)
        if match:
            return match.group("outlet").strip(" ,;:-–—"), match.group("date").strip()
    return None, None


def _languages_from(first: str) -> list[Language]:
    ordered = [LANGUAGES[first]] if first in LANGUAGES else []
    return ordered + [lang for code, lang in LANGUAGES.items() if code != first]


def _dateline_pattern(lang: Language) -> re.Pattern[str]:
    prefix = "|".join(map(re.escape, lang.dateline_prefix))
    connector = "|".join(map(re.escape, lang.dateline_connector))
    return re.compile(rf"^(?:{prefix})\s+(?P<outlet>.+?)\s+(?:{connector})\s+(?P<date>.*[0-9٠-٩].*)$", re.IGNORECASE)


_DATELINE_PATTERNS = {code: _dateline_pattern(lang) for code, lang in LANGUAGES.items()}
_SOURCE_SENTENCES = frozenset(fold_for_match(line) for line in TEMPLATE_LINES)


def _source_url(response: TextResponse, tree: PageTree) -> str | None:
    href = _source_link(tree)
    sel = tree.selector
    if href is None:
        # Template changed: fall back to the link whose text is the closing sentence.
        for link in sel.css("a[href]"):
            if fold_for_match(" ".join(link.css("::text").getall())) in _SOURCE_SENTENCES:
                href = link.attrib["href"]
                break
    if href is None or not href.strip():
        return None
    # response.urljoin, with the base URL found when the page was parsed (Scrapy's reads the text).
    return urljoin(tree.base_url, href.strip()) if tree.base_url is not None else response.urljoin(href.strip())



def _source_link(tree: PageTree) -> str | None:
    """The ``href`` of the first source link in page order: an ``a`` inside a
    ``div.articlesource`` or an ``a.sourcelink`` (:data:`newsbot.family.selectors.SOURCE_LINK`),
    found through the page's class index, not a scan."""
    boxes = [el for el in tree.by_class(selectors.SOURCE_BOX_CLASS) if el.tag == "div"]
    links = [el for el in tree.by_class(selectors.SOURCE_LINK_CLASS) if el.tag == "a"]
    if not boxes and not links:
        return None
    found = _FIRST_SOURCE_HREF(tree.root, boxes=boxes, links=links)
    return str(found[0]) if found else None
