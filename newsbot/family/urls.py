"""The URL scheme of the family, and the request meta keys that carry a classified URL.

Verified on stored captures (../shared/corpus/aggregator_facts.md):

* home        ``https://www.<site>/`` (Arabic) and ``/<ed>/`` (``/fr/``, ``/en/``)
* article     ``/[<ed>/]<outlet_slug>/<id>``      e.g. ``/fr/h24info/1165387``
* listing     ``/[<ed>/]<outlet_slug>[?page=N]``  e.g. ``/aps?page=2``
* RSS         ``/[<ed>/]rss`` and ``/[<ed>/]<outlet_slug>/rss``

Every URL newsbot keeps or fingerprints is canonical (:func:`canonical_url`, w3lib
does the URL work): one article, one URL, one ``article_id``. An article's URL is rebuilt
from its parts (:func:`article_url_of`), so spellings the site answers alike are one
article: a query (``?page=2``, ``?print=1``: the article page ignores it) and leading zeros
in the id (``/012345`` is ``/12345``) are dropped (issue 9).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

from newsbot.family.wording import LANGUAGES, Language

META_KIND = "newsbot_kind"
"""Request meta: the :class:`PageKind` the request was made for (the spider routes on it)."""
META_ARTICLE_ID = "newsbot_article_id"
"""Request meta of article requests: the ``article_id`` (the incremental middleware reads it)."""

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
"""An outlet slug as it appears in URLs (``h24info``, ``le360``)."""

RESERVED_SEGMENTS = frozenset(
    {"rss", "search", "author", "about", "contact", "admin", "login", "tag", "css", "js",
     "images", "img", "static", "ar", "fr", "en"}
)
"""Path segments that look like an outlet slug but are site pages (search, about, ...)."""

# Tracking parameters that never change the page (utm_* is matched by prefix).
TRACKING_PARAMETERS = ("fbclid", "gclid", "mc_cid", "mc_eid", "ref", "xtor")


class PageKind(str, Enum):
    """What a URL of a site is."""

    HOME = "home"
    LISTING = "listing"
    ARTICLE = "article"
    FEED = "feed"


@dataclass(frozen=True)
class Edition:
    """One edition of a site: ``code`` (``ar``, ``fr``, ``en``), its language and the
    path prefix it lives under (``""`` for Arabic at the root, ``"fr/"``)."""

    code: str
    language: Language

    @property
    def prefix(self) -> str:
        return "" if self.code == "ar" else f"{self.code}/"


def edition(code: str) -> Edition:
    """The edition ``code`` (``ar`` at the root, ``fr`` under /fr/, ``en`` under /en/)."""
    return Edition(code=code, language=LANGUAGES[code])


def article_id(site: str, edition_code: str, outlet_slug: str, number: int) -> str:
    """The id of an article: ``site:edition:outlet_slug:number``.

    >>> article_id("maghress", "fr", "h24info", 1165387)
    'maghress:fr:h24info:1165387'
    """
    return f"{site}:{edition_code}:{outlet_slug}:{number}"


@dataclass(frozen=True)
class SiteUrl:
    """A URL of a site, classified: what page it is and of which edition and outlet."""

    url: str  # canonical form
    kind: PageKind
    edition: str
    outlet_slug: str | None = None
    article_number: int | None = None
    page: int = 1
    site: str = ""

    @property
    def article_id(self) -> str | None:
        """The :func:`article_id` of an article URL, None for other pages."""
        if self.kind != PageKind.ARTICLE or self.outlet_slug is None or self.article_number is None:
            return None
        return article_id(self.site, self.edition, self.outlet_slug, self.article_number)

    def meta(self) -> dict[str, object]:
        """The request meta that carries this classification (:data:`META_KIND`,
        :data:`META_ARTICLE_ID` for articles)."""
        meta: dict[str, object] = {META_KIND: self.kind}
        if self.article_id:
            meta[META_ARTICLE_ID] = self.article_id
        return meta


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: what a link to an article may be.

    >>> is_web_url("https://www.h24info.ma/actu/1"), is_web_url("HTTP://x.ma/"), is_web_url("javascript:void(0)")
    (True, True, False)
    >>> is_web_url("mailto:redaction@x.ma"), is_web_url("data:text/html,hi"), is_web_url("https:///nohost")
    (False, False, False)
    """
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def strip_tracking(url: str) -> str:
    """``url`` without ``utm_*`` and other tracking query parameters.

    >>> strip_tracking("https://www.maghress.com/fr/le360/1?utm_source=fb&page=2")
    'https://www.maghress.com/fr/le360/1?page=2'
    """
    parts = urlsplit(url)
    if not parts.query:
        return url
    names = {kv.split("=", 1)[0] for kv in parts.query.split("&")}
    drop = [n for n in names if n.lower().startswith("utm_") or n.lower() in TRACKING_PARAMETERS]
    if not drop:
        return url
    return url_query_cleaner(url, drop, remove=True, keep_fragments=True)


def canonical_site_url(url: str, host: str, *, strip_trailing_slash: bool = False) -> str:
    """The one spelling of a URL of an aggregator site served at ``host``.

    https, the ``www.`` host in lower case, no fragment, no tracking parameters,
    percent-encoding normalised (raw Arabic and ``%D8%..`` are one URL); a trailing
    slash is removed only when asked (article URLs), so ``/fr/`` stays ``/fr/``.

    >>> canonical_site_url("http://MAGHRESS.com/fr/lematin/12345/?utm_source=x#c", "www.maghress.com", strip_trailing_slash=True)
    'https://www.maghress.com/fr/lematin/12345'
    >>> canonical_site_url("http://maghress.com/fr/", "www.maghress.com")
    'https://www.maghress.com/fr/'
    """
    parts = urlsplit(strip_tracking(url.strip()))
    path = parts.path or "/"
    if strip_trailing_slash and len(path) > 1:
        path = path.rstrip("/") or "/"
    rebuilt = urlunsplit(("https", host, path, parts.query, ""))
    # canonicalize_url sorts query arguments and fixes percent-encoding; it keeps the path.
    return canonicalize_url(rebuilt, keep_blank_values=True)


def article_url_of(host: str, ed: Edition, outlet_slug: str, number: int) -> str:
    """The canonical URL of an article: https, ``host``, the id without leading zeros, no query,
    no fragment, no trailing slash.

    >>> article_url_of("www.maghress.com", edition("fr"), "h24info", int("012345"))
    'https://www.maghress.com/fr/h24info/12345'
    """
    return f"https://{host}{page_path(ed, outlet_slug, number)}"


def canonical_url(url: str, host: str, editions: Sequence[Edition]) -> str:
    """The one spelling of a URL of the site served at ``host``: an article URL rebuilt from
    its parts (:func:`article_url_of`: any query and leading zeros of the id dropped), any
    other URL by :func:`canonical_site_url` (a listing keeps ``?page=N``).

    >>> fr = (edition("ar"), edition("fr"))
    >>> canonical_url("http://maghress.com/fr/h24info/0012345/?page=2&utm_source=x", "www.maghress.com", fr)
    'https://www.maghress.com/fr/h24info/12345'
    >>> canonical_url("http://maghress.com/fr/h24info?page=2", "www.maghress.com", fr)
    'https://www.maghress.com/fr/h24info?page=2'
    """
    article = article_parts(urlsplit(url.strip()).path, editions)
    if article:
        ed, slug, number = article
        return article_url_of(host, next(e for e in editions if e.code == ed), slug, number)
    return canonical_site_url(url, host)


# --- the scheme: paths of each page kind, and classification --------------------------------


def page_path(ed: Edition, outlet_slug: str | None = None, number: int | None = None, *, feed: bool = False) -> str:
    """The path of a page of edition ``ed``: home (no slug), listing (slug), article (slug and
    number) or feed (``feed=True``, with or without slug).

    >>> fr = edition("fr")
    >>> page_path(fr), page_path(fr, "h24info"), page_path(fr, "h24info", 7), page_path(fr, feed=True)
    ('/fr/', '/fr/h24info', '/fr/h24info/7', '/fr/rss')
    """
    outlet = f"{outlet_slug}/" if outlet_slug else ""
    if feed:
        return f"/{ed.prefix}{outlet}rss"
    if number is not None:
        return f"/{ed.prefix}{outlet}{number}"
    return f"/{ed.prefix}{outlet_slug or ''}"


def is_slug(segment: str) -> bool:
    """True for a path segment that can be an outlet slug (not a reserved site page)."""
    return bool(SLUG.fullmatch(segment)) and segment not in RESERVED_SEGMENTS


def slug_problem(segment: str) -> str | None:
    """Why ``segment`` cannot be an outlet slug (its spelling, or a reserved word), or None.

    >>> slug_problem("h24info") is None
    True
    >>> slug_problem("rss")
    "'rss' is a reserved word of the sites' URLs (a site page or an edition, not an outlet)"
    >>> slug_problem("H24 Info")
    "'H24 Info' is not spelt as an outlet slug: lower-case letters, digits, '-' and '_' as in the URL"
    """
    if not SLUG.fullmatch(segment):
        return f"{segment!r} is not spelt as an outlet slug: lower-case letters, digits, '-' and '_' as in the URL"
    if segment in RESERVED_SEGMENTS:
        return f"{segment!r} is a reserved word of the sites' URLs (a site page or an edition, not an outlet)"
    return None


_OTHER_EDITION = re.compile(r"^/(fr|en|ar)(/|$)")  # an edition prefix (of a site without that edition)


def split_edition(path: str, editions: Sequence[Edition]) -> tuple[str | None, str]:
    """``(edition code, rest of the path)``; None for an edition the site does not have."""
    for ed in editions:
        if ed.prefix and (path == f"/{ed.prefix}" or path == f"/{ed.prefix[:-1]}" or path.startswith(f"/{ed.prefix}")):
            return ed.code, path[len(ed.prefix) :]
    if _OTHER_EDITION.match(path):
        return None, path
    return ("ar" if any(ed.code == "ar" for ed in editions) else None), path


_ARTICLE_REST = re.compile(rf"/?({SLUG.pattern})/(\d+)/?")


def article_parts(path: str, editions: Sequence[Edition]) -> tuple[str, str, int] | None:
    """``(edition, outlet_slug, number)`` of an article path, or None."""
    ed, rest = split_edition(path, editions)
    match = _ARTICLE_REST.fullmatch(rest)
    if ed is None or not match or not is_slug(match.group(1)):
        return None
    return ed, match.group(1), int(match.group(2))


def classify(url: str, *, site: str, host: str, editions: Sequence[Edition]) -> SiteUrl | None:
    """What page of the site at ``host`` the URL ``url`` (already known to be on one of the
    site's hosts) is, or None for pages that are none of :class:`PageKind`."""
    parts = urlsplit(url)
    article = article_parts(parts.path, editions)
    if article:
        ed, slug, number = article
        canonical = article_url_of(host, next(e for e in editions if e.code == ed), slug, number)
        return SiteUrl(canonical, PageKind.ARTICLE, ed, slug, number, site=site)
    ed, rest = split_edition(parts.path, editions)
    if ed is None:
        return None
    segments = [s for s in rest.split("/") if s]
    home = next(e for e in editions if e.code == ed)
    if not segments:
        return SiteUrl(f"https://{host}{page_path(home)}", PageKind.HOME, ed, site=site)
    canonical = canonical_site_url(url, host)
    if segments == ["rss"]:
        return SiteUrl(canonical, PageKind.FEED, ed, site=site)
    if len(segments) == 2 and segments[1] == "rss" and is_slug(segments[0]):
        return SiteUrl(canonical, PageKind.FEED, ed, segments[0], site=site)
    if len(segments) == 1 and is_slug(segments[0]):
        page = dict(parse_qsl(parts.query)).get("page", "1")
        return SiteUrl(canonical, PageKind.LISTING, ed, segments[0], page=int(page) if page.isdigit() else 1, site=site)
    return None
