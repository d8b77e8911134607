"""Home and outlet listing pages: teaser entries, the next-page link, every link.

Markup read (:mod:`newsbot.family.selectors`; assumed, as the replicas write it, the live
listing markup is not public): ``div.teaser`` blocks holding ``a.teasertitle`` (link and
headline) and ``span.teaserdate`` (``DD - MM - YYYY``), and ``div.pagination a.next`` or a
link named "Suivant"/"التالي"/"Next" to ``?page=N``. When a template has no ``div.teaser``,
links in the main column (outside the ticker, the menus and the "most read" box)
are the entries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from parsel import Selector
from scrapy.http import TextResponse

from newsbot.family import selectors
from newsbot.family.wording import NEXT_WORDS
from newsbot.pages.markup import PageTree, page_tree
from newsbot.text import normalize_text
from newsbot.text.dates import parse_date

_NEXT_WORDS = {w.casefold() for w in NEXT_WORDS}


@dataclass
class ListingEntry:
    """One teaser of a listing: absolute ``url``, ``title`` and ``published`` date if shown."""

    url: str
    title: str | None = None
    published: dt.date | None = None


@dataclass
class ListingFields:
    """What a home or listing page offers: its own ``entries``, ``next_url`` (absolute or
    None), every link of the page (absolute, in page order), whether it has scripts and
    whether the entries are the template's teasers (``from_teasers``; False: main-column links)."""

    url: str
    entries: list[ListingEntry] = field(default_factory=list)
    next_url: str | None = None
    links: list[str] = field(default_factory=list)
    has_scripts: bool = False
    from_teasers: bool = False


def parse_listing(page: TextResponse | PageTree) -> ListingFields:
    """Read a home page or an outlet listing page (see module docstring for markup), from
    its response or the :class:`~newsbot.pages.markup.PageTree` already parsed of it."""
    tree = page_tree(page)
    response, sel = tree.response, tree.selector
    if response is None or sel is None:
        raise ValueError("parse_listing needs the page's response (its links are resolved against its URL)"
                         " and a tree not yet released")
    fields = ListingFields(url=response.url)
    for teaser in sel.css(selectors.TEASER):
        href = teaser.css(selectors.TEASER_LINK).get()
        if not href:
            continue
        title = normalize_text(" ".join(teaser.css(selectors.TEASER_TITLE).getall()))
        date = parse_date(normalize_text(" ".join(teaser.css(selectors.TEASER_DATE).getall())))
        fields.entries.append(ListingEntry(response.urljoin(href.strip()), title, date))
    fields.from_teasers = bool(fields.entries)
    if not fields.entries:
        main = sel.css(selectors.MAIN_COLUMN) or [sel]
        for link in main[0].xpath(f".//a[@href][not({selectors.FURNITURE_XPATH})]"):
            title = normalize_text(" ".join(link.css("::text").getall()))
            fields.entries.append(ListingEntry(response.urljoin(link.attrib["href"].strip()), title))
    fields.next_url = _next_url(response, sel)
    fields.links = [response.urljoin(h.strip()) for h in sel.css("a::attr(href)").getall() if h.strip()]
    fields.has_scripts = bool(sel.xpath("//body//script"))
    return fields


def _next_url(response: TextResponse, sel: Selector) -> str | None:
    href = sel.css(selectors.NEXT_LINK).get()
    if href is None:
        for link in sel.css(selectors.PAGER_LINKS):
            if (normalize_text(" ".join(link.css("::text").getall())) or "").casefold() in _NEXT_WORDS:
                href = link.attrib.get("href")
                break
    return response.urljoin(href.strip()) if href and href.strip() else None
