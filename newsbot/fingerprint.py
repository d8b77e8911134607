"""Request fingerprints on canonical URLs: one article, one fingerprint.

Scrapy's fingerprint treats ``http://maghress.com/x/1/``, ``https://www.maghress.com/x/1``
and ``...?utm_source=fb`` as three pages (shared case NB-15). This fingerprinter
canonicalises URLs of the aggregator sites first (:meth:`SiteProfile.canonical_url`);
other URLs are fingerprinted as Scrapy does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.utils.request import RequestFingerprinter

from newsbot.sites import site_for_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler


def canonical_request_url(url: str) -> str:
    """``url`` in canonical form when it belongs to a site of the family, else unchanged."""
    site = site_for_url(url)
    return site.canonical_url(url) if site else url


class CanonicalRequestFingerprinter:
    """``REQUEST_FINGERPRINTER_CLASS`` for newsbot (also used by the cluster dupefilter)."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self._scrapy = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CanonicalRequestFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        canonical = canonical_request_url(request.url)
        if canonical != request.url:
            request = request.replace(url=canonical)
        return self._scrapy.fingerprint(request)
