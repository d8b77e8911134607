"""What a generated snapshot is made of: sites, editions, outlets and articles, as data.

Every article is described once, with its clean text (the gold answer); the page
renderers add the site furniture and the deliberate defects its ``cases`` name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PREFIX = {"ar": "", "fr": "fr/", "en": "en/"}


@dataclass(frozen=True)
class Outlet:
    """A newspaper republished by the aggregator: ``slug`` in URLs, ``name`` in the
    dateline, ``source`` the pattern of its article URLs (``{n}`` = aggregator id)."""

    slug: str
    name: str
    source: str


@dataclass(frozen=True)
class ReadAlso:
    """A "read also" line copied from the outlet, shown before paragraph ``before``."""

    before: int
    label: str
    headline: str
    href: str


@dataclass
class Article:
    """One aggregator article page and its gold record.

    ``date`` is the day the site lists it under (teasers, RSS, dateline unless
    ``dateline`` is False). ``layout`` picks how the body is marked up: ``br`` lines,
    ``p`` blocks, several ``spans``, ``unclosed`` tags, ``banner`` (ticker pasted
    into the body) or ``teaser`` (only the first words, ending " (...)").
    """

    outlet: str
    number: int
    date: str
    title: str
    paragraphs: list[str]
    read_also: list[ReadAlso] = field(default_factory=list)
    layout: str = "br"
    dateline: bool = True
    arabic_indic: bool = False
    unknown_date: bool = False  # gold published is null (no dateline, or a date after today)
    source: str | None = ""  # "" = the outlet's pattern; None = no source link
    cases: tuple[str, ...] = ()
    hidden: bool = False  # linked only from its outlet listing (not home, RSS, ticker, most read)
    hrefs: dict[str, str] = field(default_factory=dict)  # home/listing/rss/ticker/mostread -> href
    sequence: list[int] | None = None
    status: int = 200
    header_charset: str = "utf-8"
    meta: str = '<meta charset="utf-8">'
    encoding: str = "utf-8"
    title_html: str | None = None  # raw markup of the title (entities, invisible marks)
    paragraphs_html: list[str] | None = None  # raw markup of each paragraph
    full_text_at: str | None = None  # teaser-only page: the outlet page with the full text
    source_reason: str | None = None  # teaser-only page whose source gives nothing: newsbot/source/<reason>
    teaser_words: int = 22
    reject: str | None = None  # duplicate_of, near_duplicate, missing_title, http_error
    original: tuple[str, int] | None = None  # (slug, number) the duplicate copies
    redirect_from: str | None = None  # a trailing-slash path answering 301 to this page
    image: bool = False
    note: str = ""

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)

    @property
    def published(self) -> str | None:
        return None if (self.unknown_date or not self.dateline) else self.date


@dataclass(frozen=True)
class Extra:
    """A non-article page linked from an edition's home page (admin, archives)."""

    path: str
    text: str
    kind: str
    reason: str
    note: str


@dataclass
class Edition:
    code: str
    outlets: list[Outlet]
    articles: list[Article]
    headlines: list[str] = field(default_factory=list)  # extra ticker headlines
    extras: list[Extra] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return PREFIX[self.code]

    def outlet(self, slug: str) -> Outlet:
        return next(o for o in self.outlets if o.slug == slug)


@dataclass
class Site:
    name: str  # spider name, maghress
    title: str  # Maghress
    domain: str
    editions: list[Edition]
    site_editions: tuple[str, ...]  # every edition of the real site (menu links)
    tz: str = "+0100"
    robots: str = "User-agent: *\nDisallow: /search\n"

    @property
    def host(self) -> str:
        return f"www.{self.domain}"

    def url(self, path: str) -> str:
        return f"https://{self.host}/{path.lstrip('/')}"


@dataclass(frozen=True)
class OutletPage:
    """A page on an outlet's own site: ``kind`` ``article`` (the full text of a teaser-only
    article, or another article), ``home`` (the outlet's home page: ``paragraphs`` are its
    headlines) or ``redirect`` (a 301 to ``location``)."""

    host: str
    path: str
    lang: str
    title: str
    paragraphs: tuple[str, ...]
    kind: str = "article"
    location: str | None = None
    note: str = "outlet site page (full text of a teaser-only article)"


@dataclass
class Snapshot:
    name: str
    intro: str
    sites: list[Site]
    page_size: int
    outlet_pages: list[OutletPage] = field(default_factory=list)
    outlet_robots: dict[str, str] = field(default_factory=dict)  # host -> robots.txt (default: allow all)
