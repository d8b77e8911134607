"""Per site and edition counters the monitors judge: field coverage, rejected article pages,
listings without entries. Kept in the crawl's stats, read back by :func:`edition_counts`.

Stats (``<site>/<edition>``, e.g. ``maghress/fr``; ``?`` when a page's edition is unknown):

* ``newsbot/monitor/<site>/<edition>/items``: items the spider made, counted as they leave
  it (written or not): the template's output, before any pipeline cleaned or judged it. An
  article whose teaser is followed to its source page (:mod:`newsbot.spiders.source`) is
  counted as its article page sends the source request with the pending item, not again when
  the source page (or its failure) gives it back: an outlet page is no page of the site;
* ``.../items/<field>``: of those, items whose ``<field>`` (each of
  ``NEWSBOT_MONITOR_COVERAGE_FIELDS``) is neither null nor empty;
* ``.../articles/rejected/<reason>``: article pages the spider rejected (``missing_title``, ...);
* ``.../listings``: home and listing pages read; ``.../listings/empty``: those with no entry
  at all; ``.../listings/untemplated``: those whose entries are main-column links because
  the template's teasers did not match.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter, is_item
from scrapy import Request

from newsbot.config import list_setting
from newsbot.middlewares.offsite import META_SOURCE
from newsbot.signals import listing_read, page_rejected
from newsbot.sites import classify_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator, Mapping

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

PREFIX = "newsbot/monitor"
UNKNOWN_EDITION = "?"


@dataclass
class EditionCounts:
    """What one edition of one site gave in a crawl (see the module docstring)."""

    site: str
    edition: str
    items: int = 0
    covered: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    listings: int = 0
    empty_listings: int = 0
    untemplated_listings: int = 0

    @property
    def name(self) -> str:
        """``site edition``, as messages name it (``maghress fr``)."""
        return f"{self.site} {self.edition}"

    @property
    def article_pages(self) -> int:
        """Article pages read: items made plus pages rejected (for any reason)."""
        return self.items + sum(self.rejected.values())

    def coverage(self, name: str) -> float | None:
        """Share of items with ``name`` filled; None without items."""
        return self.covered.get(name, 0) / self.items if self.items else None


def edition_counts(stats: Mapping[str, Any]) -> list[EditionCounts]:
    """The counters of every site and edition in ``stats``, sorted.

    >>> [(c.name, c.items, c.covered, c.rejected, c.listings) for c in edition_counts({
    ...     "newsbot/monitor/maghress/fr/items": 3, "newsbot/monitor/maghress/fr/items/title": 3,
    ...     "newsbot/monitor/maghress/fr/articles/rejected/missing_title": 1,
    ...     "newsbot/monitor/maghress/fr/listings": 2, "item_scraped_count": 3})]
    [('maghress fr', 3, {'title': 3}, {'missing_title': 1}, 2)]
    """
    found: dict[tuple[str, str], EditionCounts] = {}
    for key, value in stats.items():
        if not key.startswith(PREFIX + "/"):
            continue
        site, edition, *rest = key[len(PREFIX) + 1:].split("/")
        counts = found.setdefault((site, edition), EditionCounts(site, edition))
        match rest:
            case ["items"]:
                counts.items = value
            case ["items", name]:
                counts.covered[name] = value
            case ["articles", "rejected", reason]:
                counts.rejected[reason] = value
            case ["listings"]:
                counts.listings = value
            case ["listings", "empty"]:
                counts.empty_listings = value
            case ["listings", "untemplated"]:
                counts.untemplated_listings = value
    return [found[key] for key in sorted(found)]


class MonitorCountersMiddleware:
    """Spider middleware keeping the counters of the module docstring: items from the
    spider's output, rejected pages and listings from newsbot's signals."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.fields = list_setting(crawler.settings, "NEWSBOT_MONITOR_COVERAGE_FIELDS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MonitorCountersMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.page_rejected, signal=page_rejected)
        crawler.signals.connect(middleware.listing_read, signal=listing_read)
        return middleware

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        source_page = META_SOURCE in response.meta
        for output in result:
            self._count_output(output, response, source_page)
            yield output

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        source_page = META_SOURCE in response.meta
        async for output in result:
            self._count_output(output, response, source_page)
            yield output

    def _count_output(self, output: Any, response: Response, source_page: bool) -> None:
        if isinstance(output, Request):
            pending = output.cb_kwargs.get("item") if META_SOURCE in output.meta else None
            if pending is not None:
                self._count_item(pending, response)  # the article page's item, waiting for its source page
        elif is_item(output) and not source_page:
            self._count_item(output, response)

    def _count_item(self, item: Any, response: Response) -> None:
        adapter = ItemAdapter(item)
        site = adapter.get("site")
        if not site:  # the loader sets it from the classified URL: classify again only without it
            where = classify_url(response.url)
            site = where.site if where else UNKNOWN_EDITION
        base = f"{PREFIX}/{site}/{adapter.get('edition') or UNKNOWN_EDITION}/items"
        self.stats.inc_value(base)
        for name in self.fields:
            if adapter.get(name) not in (None, ""):
                self.stats.inc_value(f"{base}/{name}")

    def page_rejected(self, response: Response, reason: str, spider: Spider) -> None:
        self.stats.inc_value(f"{self._where(response, spider)}/articles/rejected/{reason}")

    def listing_read(self, response: Response, entries: int, teasers: bool, spider: Spider) -> None:
        base = f"{self._where(response, spider)}/listings"
        self.stats.inc_value(base)
        if not entries:
            self.stats.inc_value(f"{base}/empty")
        elif not teasers:
            self.stats.inc_value(f"{base}/untemplated")

    @staticmethod
    def _where(response: Response, spider: Spider) -> str:
        """``newsbot/monitor/<site>/<edition>`` of a page: its URL's, or that of the URL
        that redirected to it."""
        for url in (response.url, *response.meta.get("redirect_urls", ())):
            where = classify_url(url)
            if where is not None and where.edition:
                return f"{PREFIX}/{where.site}/{where.edition}"
        return f"{PREFIX}/{spider.name}/{UNKNOWN_EDITION}"
