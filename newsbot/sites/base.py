"""What one "*ress" aggregator site is, as data: hosts, editions, URL scheme, wording.

All six sister sites run the same template, so a site module only says which domain
it lives on, which editions it has and which outlets are known; the URL scheme, the
dateline words and the template sentences of each language are shared here.

URL scheme (verified on stored captures, see ../shared/corpus/aggregator_facts.md):

* home        ``https://www.<site>/`` (Arabic) and ``/<ed>/`` (``/fr/``, ``/en/``)
* article     ``/[<ed>/]<outlet_slug>/<id>``      e.g. ``/fr/h24info/1165387``
* listing     ``/[<ed>/]<outlet_slug>[?page=N]``  e.g. ``/aps?page=2``
* RSS         ``/[<ed>/]rss`` and ``/[<ed>/]<outlet_slug>/rss``
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from urllib.parse import parse_qsl, urlsplit

from newsbot.urls import canonical_site_url

_SLUG = r"[a-z0-9][a-z0-9_-]*"

# Path segments that look like an outlet slug but are site pages (search, about, ...).
RESERVED_SEGMENTS = frozenset(
    {"rss", "search", "author", "about", "contact", "admin", "login", "tag", "css", "js",
     "images", "img", "static", "ar", "fr", "en"}
)


@dataclass(frozen=True)
class Language:
    """Template wording of one language, shared by every site of the family.

    ``dateline_prefix``/``dateline_connector`` frame the outlet in the "published in"
    line: fr ``Publié dans <outlet> le <date>`` (verified), ar ``نشر في <outlet> يوم
    <date>`` and en ``Published in <outlet> on <date>`` (assumed). ``template_lines``
    are whole lines of site furniture (flag notice, closing source sentence);
    ``next_words`` the text of a listing's next-page link.
    """

    code: str
    dateline_prefix: tuple[str, ...]
    dateline_connector: tuple[str, ...]
    template_lines: tuple[str, ...]
    next_words: tuple[str, ...]


FRENCH = Language(
    code="fr",
    dateline_prefix=("Publié dans", "Publie dans"),
    dateline_connector=("le",),
    template_lines=(
        "Merci d'avoir signalé!",
        "Cette image sera automatiquement bloquée après qu'elle soit signalée par plusieurs personnes.",
        "Cliquez ici pour lire l'article depuis sa source.",
        "Signaler cette image",
    ),
    next_words=("Suivant", "Suivante", "Page suivante", "»"),
)
ARABIC = Language(
    code="ar",
    dateline_prefix=("نشر في", "نُشر في"),
    dateline_connector=("يوم", "في"),
    template_lines=(
        "شكرا على التبليغ!",
        "سيتم حجب هذه الصورة تلقائيا بعد أن يتم التبليغ عنها من طرف عدة أشخاص.",
        "اضغط هنا لقراءة الخبر من مصدره",
        "اضغط هنا لقراءة الخبر من مصدره.",
        "التبليغ عن الصورة",
    ),
    next_words=("التالي", "التالية", "الصفحة التالية", "»"),
)
ENGLISH = Language(
    code="en",
    dateline_prefix=("Published in",),
    dateline_connector=("on",),
    template_lines=(
        "Thank you for reporting!",
        "This image will be automatically blocked after it is reported by several people.",
        "Click here to read the story from its source",
        "Click here to read the story from its source.",
        "Report this image",
    ),
    next_words=("Next", "Next page", "»"),
)
LANGUAGES = {lang.code: lang for lang in (FRENCH, ARABIC, ENGLISH)}


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


class PageKind(str, Enum):
    HOME = "home"
    LISTING = "listing"
    ARTICLE = "article"
    FEED = "feed"


@dataclass(frozen=True)
class SiteUrl:
    """A URL of a site, classified: what page it is and of which edition and outlet."""

    url: str  # canonical form
    kind: PageKind
    edition: str
    outlet_slug: str | None = None
    article_number: int | None = None
    page: int = 1


@dataclass(frozen=True)
class SiteProfile:
    """A sister site: ``name`` (spider name, ``maghress``), ``domain`` (``maghress.com``),
    its editions (first = default for ``ids``), the outlet slugs known so far per
    edition (informative: outlet lists are open), and which page kinds need a browser."""

    name: str
    domain: str
    editions: tuple[Edition, ...]
    known_outlets: dict[str, frozenset[str]] = field(default_factory=dict)
    render_kinds: frozenset[PageKind] = frozenset()

    @property
    def host(self) -> str:
        return f"www.{self.domain}"

    @property
    def hosts(self) -> tuple[str, str]:
        return (self.host, self.domain)

    @property
    def base_url(self) -> str:
        return f"https://{self.host}/"

    def edition(self, code: str) -> Edition:
        for ed in self.editions:
            if ed.code == code:
                return ed
        raise KeyError(code)

    @property
    def edition_codes(self) -> tuple[str, ...]:
        return tuple(ed.code for ed in self.editions)

    # --- URLs of this site -------------------------------------------------------
    def home_url(self, ed: str) -> str:
        return f"{self.base_url}{self.edition(ed).prefix}"

    def feed_url(self, ed: str, outlet_slug: str | None = None) -> str:
        outlet = f"{outlet_slug}/" if outlet_slug else ""
        return f"{self.base_url}{self.edition(ed).prefix}{outlet}rss"

    def listing_url(self, ed: str, outlet_slug: str) -> str:
        return f"{self.base_url}{self.edition(ed).prefix}{outlet_slug}"

    def article_url(self, ed: str, outlet_slug: str, number: int) -> str:
        return f"{self.base_url}{self.edition(ed).prefix}{outlet_slug}/{number}"

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return host in self.hosts

    def canonical_url(self, url: str) -> str:
        """See :func:`newsbot.urls.canonical_site_url`; article URLs lose a trailing slash."""
        return canonical_site_url(url, self.host, strip_trailing_slash=bool(self._article(url)))

    def classify(self, url: str) -> SiteUrl | None:
        """What page of this site ``url`` is, or None for other sites and other pages.

        >>> from newsbot.sites import get_site
        >>> get_site("maghress").classify("http://maghress.com/fr/h24info/1165387/")
        SiteUrl(url='https://www.maghress.com/fr/h24info/1165387', kind=<PageKind.ARTICLE: 'article'>, edition='fr', outlet_slug='h24info', article_number=1165387, page=1)
        """
        if not self.owns(url):
            return None
        parts = urlsplit(url)
        canonical = self.canonical_url(url)
        article = self._article(url)
        if article:
            ed, slug, number = article
            return SiteUrl(canonical, PageKind.ARTICLE, ed, slug, int(number))
        ed, rest = self._split_edition(parts.path)
        if ed is None:
            return None
        segments = [s for s in rest.split("/") if s]
        if not segments:
            return SiteUrl(self.home_url(ed), PageKind.HOME, ed)
        if segments == ["rss"]:
            return SiteUrl(canonical, PageKind.FEED, ed)
        if len(segments) == 2 and segments[1] == "rss" and self._is_slug(segments[0]):
            return SiteUrl(canonical, PageKind.FEED, ed, segments[0])
        if len(segments) == 1 and self._is_slug(segments[0]):
            page = dict(parse_qsl(parts.query)).get("page", "1")
            return SiteUrl(canonical, PageKind.LISTING, ed, segments[0], page=int(page) if page.isdigit() else 1)
        return None

    def _split_edition(self, path: str) -> tuple[str | None, str]:
        for ed in self.editions:
            if ed.prefix and (path == f"/{ed.prefix}" or path == f"/{ed.prefix[:-1]}" or path.startswith(f"/{ed.prefix}")):
                return ed.code, path[len(ed.prefix) :]
        if re.match(r"^/(fr|en|ar)(/|$)", path):
            return None, path  # an edition this site does not have
        return ("ar" if "ar" in self.edition_codes else None), path

    def _article(self, url: str) -> tuple[str, str, str] | None:
        if not self.owns(url):
            return None
        ed, rest = self._split_edition(urlsplit(url).path)
        match = re.fullmatch(rf"/?({_SLUG})/(\d+)/?", rest)
        if ed is None or not match or not self._is_slug(match.group(1)):
            return None
        return ed, match.group(1), match.group(2)

    @staticmethod
    def _is_slug(segment: str) -> bool:
        return bool(re.fullmatch(_SLUG, segment)) and segment not in RESERVED_SEGMENTS
