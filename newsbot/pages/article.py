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

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from newsbot.family import selectors
from newsbot.family.wording import LANGUAGES, TEMPLATE_LINES, Language
from newsbot.pages.markup import element_lines, text_of
from newsbot.text import fold_for_match, normalize_text

TEASER_MARK = re.compile(r"[(\[]\s*(?:\.\.\.|…)\s*[)\]]\s*$")

# One scan of the page for the three article classes; the exact class test and the
# "outermost" rule run in Python on the few elements found.
_ARTICLE_CANDIDATES = etree.XPath(
    "//*[" + " or ".join(f"contains(@class, '{name}')" for name in selectors.ARTICLE_CLASSES) + "]"
)


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
        """True when the body is only the aggregator's teaser, ending in ``(...)``."""
        for line in reversed(self.body_lines):
            text = normalize_text(line)
            if text:
                return bool(TEASER_MARK.search(text))
        return False


def parse_article(response: TextResponse, language: str) -> ArticleFields:
    """Read the article spans of an aggregator article page.

    ``language`` (``fr``, ``ar``, ``en``) picks the dateline words tried first; the
    others are tried after it, since sites mix them. Missing spans give None fields
    and an empty body; the caller decides what a page without title means.
    """
    sel = response.selector
    found = article_elements(sel.root)
    fields = ArticleFields(url=response.url)
    titles = found[selectors.TITLE_CLASS]
    fields.title = normalize_text(text_of(titles)) if titles else None
    datelines = found[selectors.DATELINE_CLASS]
    if datelines:
        fields.dateline = text_of(datelines[:1])
        outlet_link = normalize_text(" ".join(datelines[0].xpath("descendant-or-self::a//text()")))
        outlet, date_text = split_dateline(fields.dateline, language)
        fields.outlet = outlet_link or outlet
        # A dateline in another word order still holds the date: the date parser finds it.
        fields.date_text = date_text or normalize_text(fields.dateline)
    for part in found[selectors.BODY_CLASS]:
        fields.body_lines.extend(element_lines(part))
        fields.body_lines.append("")  # parts are separate paragraphs
    fields.source_url = _source_url(response, sel)
    return fields


def article_elements(root: etree._Element) -> dict[str, list[etree._Element]]:
    """The elements of each article class (:data:`newsbot.family.selectors.ARTICLE_CLASSES`),
    in page order, minus those inside another element of the same class."""
    found: dict[str, list[etree._Element]] = {name: [] for name in selectors.ARTICLE_CLASSES}
    if not isinstance(root, etree._Element):
        return found
    for element in _ARTICLE_CANDIDATES(root):
        classes = set((element.get("class") or "").split())
        for name in selectors.ARTICLE_CLASSES:
            if name in classes:
                found[name].append(element)
    for name, elements in found.items():
        if len(elements) > 1:
            inside = set(elements)
            found[name] = [el for el in elements if not any(a in inside for a in el.iterancestors())]
    return found


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


def _source_url(response: TextResponse, sel: Selector) -> str | None:
    href = sel.css(selectors.SOURCE_LINK).get()
    if href is None:
        # Template changed: fall back to the link whose text is the closing sentence.
        for link in sel.css("a[href]"):
            if fold_for_match(" ".join(link.css("::text").getall())) in _SOURCE_SENTENCES:
                href = link.attrib["href"]
                break
    if href is None or not href.strip():
        return None
    return response.urljoin(href.strip())
