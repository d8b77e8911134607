"""The spider of one "*ress" site: decides what to fetch, nothing else.

Page meaning lives in :mod:`newsbot.pages`, site knowledge in :mod:`newsbot.sites`,
normalisation in :mod:`newsbot.loaders`. Discovery: edition home pages, the outlet
listings they link and their next pages, the site and per-outlet RSS feeds, or, with
``-a ids=...``, id ranges instead.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Iterator
from functools import cached_property
from typing import Any, ClassVar

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsbot.archive.meta import provenance
from newsbot.errors import report_configuration_error
from newsbot.family.urls import META_KIND, PageKind, SiteUrl, is_web_url
from newsbot.items import ArticleItem
from newsbot.loaders import load_article
from newsbot.pages.article import parse_article
from newsbot.pages.feed import FeedProblem, FeedTooLarge, parse_feed
from newsbot.pages.furniture import KnownFurniture, furniture_boxes
from newsbot.pages.listing import ListingFields, parse_listing
from newsbot.pages.markup import PageTree, unreadable
from newsbot.render import Renderer
from newsbot.signals import furniture_read, listing_read, page_rejected
from newsbot.sites.base import SiteProfile
from newsbot.spiders.arguments import ArgumentError, CrawlArguments
from newsbot.spiders.pacing import paced
from newsbot.spiders.source import SourceFollower
from newsbot.text.dates import read_date, utc_now


DECIDED_LINKS = 10_000
"""Links a spider remembers having decided on (:meth:`AggregatorSpider._follow`): bounded."""


class AggregatorSpider(SourceFollower, scrapy.Spider):
    """Crawls every edition of ``site`` (see :class:`CrawlArguments` for ``-a`` options).

    Stats: ``newsbot/rejected/<reason>`` for article pages that yield no item
    (``missing_title``, ``not_article``, ``out_of_range``) and for article or listing pages that
    are no HTML (``not_html``, ``empty_page``; :func:`~newsbot.pages.markup.unreadable`), ``newsbot/published/unknown``
    and ``newsbot/published/future`` for dates left null, ``newsbot/dates/hijri`` for Hijri datelines
    converted to Gregorian and ``newsbot/dates/<problem>`` for datelines left null on purpose
    (:class:`~newsbot.text.dates.DateReading`: ``hijri_out_of_range``, ``hijri_invalid``,
    ``implausible_year``), ``newsbot/source_url/not_http`` for source
    links that are no http(s) URL (left null), ``newsbot/feed/<reason>`` for feed URLs that gave
    nothing to follow (``empty``, ``html``, ``not_feed``, ``no_entries``, and ``too_large`` for a
    gzipped body that inflates past ``DOWNLOAD_MAXSIZE``, all layers together), ``newsbot/ids/not_found`` for
    404s of ``ids`` ranges, ``newsbot/listing/stopped_since`` for paginations cut by ``since``,
    ``newsbot/render/...`` for pages fetched with a browser (see :class:`~newsbot.render.Renderer`),
    ``newsbot/source/...`` for teasers followed to their source page (:mod:`newsbot.spiders.source`).
    A rejected article page also sends :data:`newsbot.signals.page_rejected` (the rejects feed).
    """

    site: ClassVar[SiteProfile]

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> AggregatorSpider:
        """A bad ``-a`` value: one ERROR line, no request, and ``scrapy crawl`` exits 1."""
        try:
            return super().from_crawler(crawler, *args, **kwargs)
        except ArgumentError as error:
            report_configuration_error(f"{cls.name}: bad spider argument", error)
            raise

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        own = {k: kwargs.pop(k) for k in list(kwargs) if not k.startswith("_")}
        self.arguments = CrawlArguments.parse(self.site, own)
        super().__init__(*args, **kwargs)
        self._decided: OrderedDict[str, None] = OrderedDict()
        self._known_furniture = KnownFurniture()  # tickers read before: cut out of article pages
        # One bound method for every request: Scrapy remembers its check of a callback's source
        # per callback object, weakly, so a new bound method per request meant reading and
        # parsing this module's source again for most responses.
        self._callback = self.parse
        self._init_source_follower()

    @cached_property
    def renderer(self) -> Renderer:
        """Which requests go to the browser (``NEWSBOT_RENDER_*`` settings)."""
        return Renderer(self.crawler, self.site)

    # --- what to fetch first ----------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        args = self.arguments
        if args.ids:
            # Paced: a backfill of a million ids is not a million requests in memory at once.
            async for request in paced(self.crawler, self._id_requests()):
                yield request
            return
        for ed in args.editions:
            yield self._request(self.site.classify(self.site.home_url(ed)))
            if args.outlets:
                for slug in sorted(args.outlets):
                    yield self._request(self.site.classify(self.site.listing_url(ed, slug)))
                    yield self._request(self.site.classify(self.site.feed_url(ed, slug)))
            else:
                yield self._request(self.site.classify(self.site.feed_url(ed)))

    def _id_requests(self) -> Iterator[scrapy.Request]:
        for ids in self.arguments.ids:
            for number in range(ids.first, ids.last + 1):
                url = self.site.article_url(ids.edition, ids.outlet_slug, number)
                yield self._request(self.site.classify(url), errback=self._id_failed)

    # --- callbacks -----------------------------------------------------------------------
    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Route a response by the kind of page it is: the kind its request was made for
        (request meta), else the kind of its URL (:meth:`SiteProfile.classify
        <newsbot.sites.base.SiteProfile.classify>`), so ``scrapy parse URL`` reads an article
        URL as an article and a feed URL as a feed; other pages are read as listings. The
        ticker and "most read" boxes of every HTML page are handed to the boilerplate pipeline
        first (signal :data:`newsbot.signals.furniture_read`)."""
        kind = response.meta.get(META_KIND)
        if kind is None:
            where = self.site.classify(response.url)
            kind = where.kind if where is not None else None
        if kind != PageKind.FEED and (why := unreadable(response)) is not None:
            self._reject(response, *why, article=kind == PageKind.ARTICLE)
            return
        # An article page's ticker markup, once read, is cut out before parsing (its links are
        # never followed from an article); a listing's stays: its links may be entries.
        known = self._known_furniture if kind == PageKind.ARTICLE else None
        tree = PageTree(response, furniture=known) if isinstance(response, HtmlResponse) else None
        if tree is not None:
            self._read_furniture(tree)
        if kind == PageKind.ARTICLE:
            yield from self.parse_article(response, tree)
        elif kind == PageKind.FEED:
            yield from self.parse_feed(response)
        else:
            yield from self.parse_listing(response, tree)

    def parse_listing(self, response: Response, tree: PageTree | None = None) -> Iterator[scrapy.Request]:
        """Home or outlet listing: follow article and listing links, then the next page.
        ``tree``: the page as already parsed by :meth:`parse`, if it was.

        @sample listing
        @returns requests 2
        @follows article listing
        """
        page = parse_listing(tree or response)
        rendered = self.renderer.escalate(response, page, errback=self._render_failed)
        if rendered is not None:
            yield rendered
        else:
            self.crawler.signals.send_catch_log(listing_read, response=response, entries=len(page.entries),
                                                teasers=page.from_teasers, spider=self)
        stop = page.next_url is not None and self._older_than_since(page)  # a home page has no next page
        next_url = page.next_url if not stop else None
        for url in page.links:
            # Cut by since: the later pages of this listing are not followed as plain links either.
            if url != page.next_url and not (stop and self._later_page(response.url, url)):
                yield from self._follow(url)
        if next_url:
            yield from self._next_page(response, next_url)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """RSS feed: follow its article links.

        @sample feed
        @returns requests 1
        @follows article
        """
        max_size = response.meta.get("download_maxsize", getattr(self, "download_maxsize", None))
        if max_size is None:
            max_size = self.crawler.settings.getint("DOWNLOAD_MAXSIZE")
        try:
            entries = parse_feed(response, max_size)
        except FeedProblem as problem:  # an empty body, an HTML page, no entry, too large: the crawl goes on
            self.crawler.stats.inc_value(f"newsbot/feed/{problem.reason}")
            if isinstance(problem, FeedTooLarge):
                self.logger.warning("Feed %s skipped: %s (DOWNLOAD_MAXSIZE)", response.url, problem)
            else:
                self.logger.warning("Feed %s skipped: %s: %s", response.url, problem.reason, problem)
            return
        for entry in entries:
            yield from self._follow(entry.url)

    def parse_article(self, response: Response, tree: PageTree | None = None) -> Iterator[ArticleItem | scrapy.Request]:
        """Article page: one item, or a logged and counted reason why not; for a teaser, the
        request of its source page, which gives the item (:mod:`newsbot.spiders.source`).
        ``tree``: the page as already parsed by :meth:`parse`, if it was.

        @sample article
        @returns items 1 1
        @returns requests 0 0
        @fields title outlet published body source_url
        """
        where = self.site.classify(response.url)
        if where is None or where.kind != PageKind.ARTICLE:
            self._reject(response, "not_article", "the page is not an article URL of the site")
            return
        language = self.site.edition(where.edition).language.code
        fields = parse_article(tree or response, language)
        if tree is not None:
            tree.release()  # the item and the feed need the fields only, not the page's tree
        if not fields.title:
            self._reject(response, "missing_title", "no text in span.articletitle")
            return
        fields.source_url = self._source_url(response, fields.source_url)
        published = self._published(response, fields.date_text, language)
        if published and not self._in_range(published):
            self._reject(response, "out_of_range", f"published {published} is outside since/until", level="debug")
            return
        warc_record_id, crawled_at = provenance(response)
        item = load_article(fields, where, language=language, published=published, crawled_at=crawled_at,
                            warc_record_id=warc_record_id)
        yield from self.follow_source(item, response)

    # --- helpers -------------------------------------------------------------------------
    def _read_furniture(self, tree: PageTree) -> None:
        # A method of its own so that no box (which holds an element, and so the whole page's
        # tree) outlives the signal in the callback's frame.
        boxes = furniture_boxes(tree)
        if boxes:
            self.crawler.signals.send_catch_log(furniture_read, site=self.site.name, boxes=boxes, spider=self)

    def _follow(self, url: str) -> Iterable[scrapy.Request]:
        # The ticker, menus and "most read" box link the same URLs from every page: a link
        # decided on lately (followed or not) costs a look-up, not a request through the
        # middlewares and the dupefilter, which stays the judge of what is fetched.
        if url in self._decided:
            self._decided.move_to_end(url)
            return ()
        self._decided[url] = None
        if len(self._decided) > DECIDED_LINKS:
            self._decided.popitem(last=False)
        where = self.site.classify(url)
        if where is None or where.kind == PageKind.HOME or where.edition not in self.arguments.editions:
            return ()
        outlets = self.arguments.outlets
        if outlets is not None and where.outlet_slug is not None and where.outlet_slug not in outlets:
            return ()
        return (self._request(where),)

    def _next_page(self, response: Response, url: str) -> Iterable[scrapy.Request]:
        """The listing's next page, whatever its URL shape (``?page=2``, ``/page/2``, ...),
        as long as it is on the site: it is read as a page of the same listing."""
        where = self.site.classify(url)
        if where is not None and where.kind == PageKind.LISTING:
            return self._follow(url)
        here = self.site.classify(response.url)
        if not self.site.owns(url) or here is None or here.kind != PageKind.LISTING:
            return ()
        canonical = self.site.canonical_url(url)
        return (self._request(SiteUrl(canonical, PageKind.LISTING, here.edition, here.outlet_slug, page=here.page + 1,
                                      site=self.site.name)),)

    def _request(self, where: SiteUrl | None, **kwargs: Any) -> scrapy.Request:
        assert where is not None, "start URLs are built from the site profile"
        request = scrapy.Request(where.url, callback=self._callback, meta=where.meta(), **kwargs)
        return self.renderer.for_kind(request, where.kind, errback=self._render_failed)

    def _source_url(self, response: Response, url: str | None) -> str | None:
        """The source link when it is an http(s) URL; another one (``javascript:``, ``mailto:``,
        ``data:``...) is left null and counted as ``newsbot/source_url/not_http``."""
        if url is None or is_web_url(url):
            return url
        self.crawler.stats.inc_value("newsbot/source_url/not_http")
        self.logger.info("Source link of %s is not an http(s) URL (%.80r); source_url left null", response.url, url)
        return None

    def _published(self, response: Response, date_text: str | None, language: str) -> dt.date | None:
        """The dateline's date; None (counted, the item kept: ``since`` never filters it) when
        there is none, when it is after the crawl time, or when it is written in a way newsbot
        will not guess at (a Hijri year outside hijridate's table, ``newsbot/dates/<problem>``)."""
        reading = read_date(date_text, language)
        published = reading.date
        if reading.problem:
            self.crawler.stats.inc_value(f"newsbot/dates/{reading.problem}")
            self.crawler.stats.inc_value("newsbot/published/unknown")
            self.logger.warning("Dateline of %s (%r) gives no usable date: %s; published left null",
                                response.url, date_text, reading.problem)
            return None
        if published is None:
            self.crawler.stats.inc_value("newsbot/published/unknown")
            self.logger.info("No date in the dateline of %s (%r); published left null", response.url, date_text)
            return None
        if reading.calendar == "hijri":
            self.crawler.stats.inc_value("newsbot/dates/hijri")
            self.logger.debug("Dateline of %s is Hijri (%r): published %s", response.url, date_text, published)
        if published > utc_now().date() + dt.timedelta(days=1):
            self.crawler.stats.inc_value("newsbot/published/future")
            self.logger.warning("Dateline of %s gives %s, after the crawl time; published left null", response.url, published)
            return None
        return published

    def _in_range(self, published: dt.date) -> bool:
        args = self.arguments
        return not ((args.since and published < args.since) or (args.until and published > args.until))

    def _later_page(self, here: str, url: str) -> bool:
        """True when ``url`` is a later page of the listing at ``here`` (``?page=N``, N bigger)."""
        a, b = self.site.classify(here), self.site.classify(url)
        return bool(a and b and b.kind == PageKind.LISTING and (b.edition, b.outlet_slug) == (a.edition, a.outlet_slug)
                    and b.page > a.page)

    def _older_than_since(self, page: ListingFields) -> bool:
        """True when a date-ordered listing page already reaches back before ``since``."""
        since = self.arguments.since
        dates = [e.published for e in page.entries]
        if since is None or not dates or None in dates:
            return False
        if dates != sorted(dates, reverse=True) or dates[-1] >= since:
            return False
        self.crawler.stats.inc_value("newsbot/listing/stopped_since")
        self.logger.info("Not following the next page of %s: its entries reach back before since=%s", page.url, since)
        return True

    def _reject(self, response: Response, reason: str, detail: str, level: str = "warning", article: bool = True) -> None:
        """Log and count a page that gives nothing; an article page also goes to the rejects
        feed and the monitors' counters (signal ``page_rejected``)."""
        self.crawler.stats.inc_value(f"newsbot/rejected/{reason}")
        getattr(self.logger, level)("No %s from %s: %s (%s)", "item" if article else "page", response.url, reason, detail)
        if article:
            self.crawler.signals.send_catch_log(page_rejected, response=response, reason=reason, detail=detail, spider=self)

    def _render_failed(self, failure: Failure) -> None:
        self.renderer.failed(failure)

    def _id_failed(self, failure: Failure) -> None:
        if failure.check(IgnoreRequest) and not failure.check(HttpError):  # dropped on purpose (robots.txt, a body cut short, a redirect
            # loop, over DOWNLOAD_MAXSIZE): what dropped it logged and counted it, once
            self.logger.debug("ids: %s not fetched: %s", failure.request.url, failure.getErrorMessage())
            return
        response = getattr(failure.value, "response", None)
        if response is not None and response.status == 404:
            self.crawler.stats.inc_value("newsbot/ids/not_found")
            self.logger.info("ids: %s answers 404, skipped", response.url)
        else:
            self.crawler.stats.inc_value("newsbot/ids/failed")
            self.logger.warning("ids: %s failed: %s", failure.request.url, failure.getErrorMessage())
