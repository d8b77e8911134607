"""Off-site requests: Scrapy's ``OffsiteMiddleware``, with the port in the judgement, and the
one request allowed off the site's hosts: an article's source page.

Scrapy judges a request by its host name only, so ``https://www.maghress.com:8443/`` is on
site for it. The sites are served on the default ports: a request (a redirect, most often)
to an allowed host on another port is filtered as off-site, logged and counted as Scrapy does
(``offsite/filtered``). A spider without ``allowed_domains`` is left as Scrapy leaves it.

A source request (:mod:`newsbot.spiders.source`: ``meta[META_SOURCE]`` holds the URL the
spider asked for) is allowed to that URL, to a redirect of it that stays on the same host and
on the default port of its scheme (``http`` to ``https``, another path), and to that host's
``robots.txt`` (robots.txt is obeyed there too). A redirect to any other host is refused with
:class:`SourceOffSite` when it is about to be downloaded, not when it is scheduled, so the
request's errback runs and the article waiting for it is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import ParseResult, SplitResult, urlsplit

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from newsbot.sites.base import DEFAULT_PORTS

if TYPE_CHECKING:
    from scrapy import Request, Spider

META_SOURCE = "newsbot_source"
"""Request meta: the source URL (``source_url`` of an article) this request follows."""
META_ARTICLE_REDIRECTS = "newsbot_article_redirects"
"""Source request meta: the aggregator URLs that redirected to its article's page (that page's
``redirect_urls``), so the article ids they name are recorded as done with the item
(:mod:`newsbot.extensions.seen`), as when the article page gives its item itself."""
SOURCE_RETRIES = "newsbot/source/retries"
"""Stat: retries of source pages and of their hosts' robots.txt (:func:`count_source_retries`)."""


def count_source_retries(stats: Any, meta: dict[str, Any]) -> None:
    """Add the retries (``meta["retry_times"]``) a source page or its host's robots.txt took to
    :data:`SOURCE_RETRIES`: the retry-rate monitor leaves an outlet's trouble out of the crawl's."""
    retries = meta.get("retry_times", 0)
    if retries:
        stats.inc_value(SOURCE_RETRIES, retries)


class SourceOffSite(IgnoreRequest):
    """A source request redirected off the source page's host."""


def _origin(parts: SplitResult | ParseResult) -> tuple[str, int | None] | None:
    """``(host, port)`` with the scheme's default port as None; None for a bad port."""
    try:
        port = parts.port
    except ValueError:
        return None
    if port == DEFAULT_PORTS.get(parts.scheme.lower()):
        port = None
    return (parts.hostname or "").lower(), port


def follows_source(url_parts: SplitResult | ParseResult, source_parts: SplitResult | ParseResult) -> bool:
    """True when a request to ``url_parts`` may follow the source URL ``source_parts``: same
    host, each on the default port of its scheme (or the same explicit port), http(s).

    >>> from urllib.parse import urlsplit as u
    >>> follows_source(u("https://lobservateur.info/article/1"), u("http://lobservateur.info/ampArticle/1"))
    True
    >>> follows_source(u("https://www.lobservateur.info/a"), u("https://lobservateur.info/a"))
    False
    """
    if url_parts.scheme.lower() not in DEFAULT_PORTS:
        return False
    here, source = _origin(url_parts), _origin(source_parts)
    return here is not None and here == source


class PortAwareOffsiteMiddleware(OffsiteMiddleware):
    """Replaces ``scrapy.downloadermiddlewares.offsite.OffsiteMiddleware`` in ``DOWNLOADER_MIDDLEWARES``."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._source_hosts: set[str] = set()

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        if META_SOURCE in request.meta:
            return  # judged when downloaded (process_request), where a refusal reaches its errback
        super().request_scheduled(request, spider)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        source = request.meta.get(META_SOURCE)
        if source is not None:
            parts = urlparse_cached(request)
            if request.url != source and not follows_source(parts, urlsplit(source)):
                self.stats.inc_value("offsite/filtered")
                raise SourceOffSite(f"source {source} redirected off its host, to {request.url}")
            self._source_hosts.add(parts.netloc)
            return None
        if request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == "/robots.txt" \
                and urlparse_cached(request).netloc in self._source_hosts:
            return None  # the robots.txt of a source page's host: obeyed there too
        return super().process_request(request)

    def should_follow(self, request: Request, spider: Spider) -> bool:
        """On an allowed domain (Scrapy's rule) and, when the spider names its domains, on the
        default port of the URL's scheme."""
        if not super().should_follow(request, spider):
            return False
        if not getattr(spider, "allowed_domains", None):
            return True
        parts = urlparse_cached(request)
        try:
            port = parts.port
        except ValueError:
            return False
        return port is None or port == DEFAULT_PORTS.get(parts.scheme.lower())
