"""What one "*ress" aggregator site is, as data: its domain, editions and known outlets.

All six sister sites run the same template (:mod:`newsbot.family`: URL scheme, wording,
markup), so a site module only says which domain it lives on, which editions it has and
which outlets are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from newsbot.family.urls import (
    Edition,
    PageKind,
    SiteUrl,
    canonical_url,
    classify,
    page_path,
)

DEFAULT_PORTS: Final = {"http": 80, "https": 443}


@dataclass(frozen=True)
class SiteProfile:
    """A sister site: ``name`` (spider name, ``maghress``), ``domain`` (``maghress.com``),
    its editions (first = default for ``ids``), the outlet slugs known so far per
    edition (informative: outlet lists are open), which page kinds need a browser, and
    ``samples``: paths of one page of each kind that ``scrapy check`` fetches (the spider
    contracts, :mod:`newsbot.contracts`)."""

    name: str
    domain: str
    editions: tuple[Edition, ...]
    known_outlets: dict[str, frozenset[str]] = field(default_factory=dict)
    render_kinds: frozenset[PageKind] = frozenset()
    samples: tuple[str, ...] = ()

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

    # --- URLs of this site (the scheme is newsbot.family.urls) -------------------------------
    def home_url(self, ed: str) -> str:
        return f"https://{self.host}{page_path(self.edition(ed))}"

    def feed_url(self, ed: str, outlet_slug: str | None = None) -> str:
        return f"https://{self.host}{page_path(self.edition(ed), outlet_slug, feed=True)}"

    def listing_url(self, ed: str, outlet_slug: str) -> str:
        return f"https://{self.host}{page_path(self.edition(ed), outlet_slug)}"

    def article_url(self, ed: str, outlet_slug: str, number: int) -> str:
        return f"https://{self.host}{page_path(self.edition(ed), outlet_slug, number)}"

    def sample_url(self, kind: PageKind) -> str | None:
        """The URL of the first of ``samples`` that is a page of ``kind``, or None.

        >>> from newsbot.sites import get_site
        >>> get_site("maghress").sample_url(PageKind.FEED)
        'https://www.maghress.com/hespress/rss'
        """
        for path in self.samples:
            where = self.classify(f"https://{self.host}{path}")
            if where is not None and where.kind == kind:
                return where.url
        return None

    def owns(self, url: str) -> bool:
        """True for a URL on one of the site's hosts, on its scheme's default port.

        >>> from newsbot.sites import get_site
        >>> site = get_site("maghress")
        >>> site.owns("https://maghress.com/fr/"), site.owns("https://www.maghress.com:443/"), site.owns("https://www.maghress.com:8443/")
        (True, True, False)
        """
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:  # not a port number
            return False
        return (parts.hostname or "").lower() in self.hosts and port in (None, DEFAULT_PORTS.get(parts.scheme.lower()))

    def canonical_url(self, url: str) -> str:
        """See :func:`newsbot.family.urls.canonical_url` (an article URL is rebuilt from its
        parts: no query, no trailing slash, no leading zeros in the id)."""
        return canonical_url(url, self.host, self.editions)

    def classify(self, url: str) -> SiteUrl | None:
        """What page of this site ``url`` is, or None for other sites and other pages.

        >>> from newsbot.sites import get_site
        >>> where = get_site("maghress").classify("http://maghress.com/fr/h24info/1165387/")
        >>> where.url, where.kind.value, where.article_id
        ('https://www.maghress.com/fr/h24info/1165387', 'article', 'maghress:fr:h24info:1165387')
        """
        if not self.owns(url):
            return None
        return classify(url, site=self.name, host=self.host, editions=self.editions)
