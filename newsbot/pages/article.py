"""The article page of a "*ress" aggregator: response in, raw article fields out.

Reads only the article spans that public scrapers of maghress use (verified markup):

* ``span.articletitle``      the headline;
* ``span.articlenewspaper``  the dateline, ``Publié dans <a>H24 Info</a> le 20 - 10 - 2021``;
* every ``span.articlecontent``, in page order, joined: the body;
* ``div.articlesource a`` / ``a.sourcelink``: the "read it at its source" link.

The classes are matched on any element (a template that moves them to a ``div`` or ``p``
still reads), outermost first: an ``articlecontent`` inside another is not read twice.

The ticker banner, the flag notice, the "most read" list and the closing source
sentence sit outside these spans, so they never reach a field. Normalisation
(entities, NFC, spaces) is the loader's job; this module keeps lines raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsel import Selector
from scrapy.http import TextResponse

from newsbot.pages.markup import element_lines, text_of
from newsbot.sites.base import LANGUAGES, Language
from newsbot.text import fold_for_match, normalize_text

TEASER_MARK = re.compile(r"[(\[]\s*(?:\.\.\.|…)\s*[)\]]\s*$")


@dataclass
class ArticleFields:
    """Raw fields of one article page (strings as on the page, not yet normalised).

    ``body_lines`` holds one entry per ``<br>`` line or ``<p>`` block of every
    ``span.articlecontent`` (empty lines included), whitespace untouched.
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
        lines = [line for line in (normalize_text(x) for x in self.body_lines) if line]
        return bool(lines) and bool(TEASER_MARK.search(lines[-1]))


def parse_article(response: TextResponse, language: str) -> ArticleFields:
    """Read the article spans of an aggregator article page.

    ``language`` (``fr``, ``ar``, ``en``) picks the dateline words tried first; the
    others are tried after it, since sites mix them. Missing spans give None fields
    and an empty body; the caller decides what a page without title means.
    """
    sel = response.selector
    fields = ArticleFields(url=response.url)
    fields.title = _title(sel)
    dateline = _outermost(sel, "articlenewspaper")
    if dateline:
        fields.dateline = text_of([dateline[0].root])
        outlet_link = normalize_text(" ".join(dateline[0].css("a ::text").getall()))
        outlet, date_text = split_dateline(fields.dateline, language)
        fields.outlet = outlet_link or outlet
        # A dateline in another word order still holds the date: the date parser finds it.
        fields.date_text = date_text or normalize_text(fields.dateline)
    for span in _outermost(sel, "articlecontent"):
        fields.body_lines.extend(element_lines(span.root))
        fields.body_lines.append("")  # spans are separate paragraphs
    fields.source_url = _source_url(response, sel)
    return fields


def _outermost(sel: Selector, css_class: str) -> list[Selector]:
    """Elements with ``css_class``, in page order, minus those inside another one."""
    has = f"contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')"
    return list(sel.xpath(f"//*[{has}][not(ancestor::*[{has}])]"))


def _title(sel: Selector) -> str | None:
    spans = _outermost(sel, "articletitle")
    return normalize_text(text_of(s.root for s in spans)) if spans else None


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
        match = _dateline_pattern(lang).match(text)
        if match:
            return match.group("outlet").strip(" ,;:-–—"), match.group("date").strip()
    return None, None


def _languages_from(first: str) -> list[Language]:
    ordered = [LANGUAGES[first]] if first in LANGUAGES else []
    return ordered + [lang for code, lang in LANGUAGES.items() if code != first]


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _dateline_pattern(lang: Language) -> re.Pattern[str]:
    if lang.code not in _PATTERNS:
        prefix = "|".join(map(re.escape, lang.dateline_prefix))
        connector = "|".join(map(re.escape, lang.dateline_connector))
        _PATTERNS[lang.code] = re.compile(
            rf"^(?:{prefix})\s+(?P<outlet>.+?)\s+(?:{connector})\s+(?P<date>.*[0-9٠-٩].*)$", re.IGNORECASE
        )
    return _PATTERNS[lang.code]


_SOURCE_SENTENCES = {fold_for_match(line) for lang in LANGUAGES.values() for line in lang.template_lines}


def _source_url(response: TextResponse, sel: Selector) -> str | None:
    href = sel.css("div.articlesource a::attr(href), a.sourcelink::attr(href)").get()
    if href is None:
        # Template changed: fall back to the link whose text is the closing sentence.
        for link in sel.css("a[href]"):
            if fold_for_match(" ".join(link.css("::text").getall())) in _SOURCE_SENTENCES:
                href = link.attrib["href"]
                break
    if href is None or not href.strip():
        return None
    return response.urljoin(href.strip())
