"""Off-site requests: Scrapy's ``OffsiteMiddleware``, with the port in the judgement.

Scrapy judges a request by its host name only, so ``https://www.maghress.com:8443/`` is on
site for it. The sites are served on the default ports: a request (a redirect, most often)
to an allowed host on another port is filtered as off-site, logged and counted as Scrapy does
(``offsite/filtered``). A spider without ``allowed_domains`` is left as Scrapy leaves it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.utils.httpobj import urlparse_cached

from newsbot.sites.base import DEFAULT_PORTS

if TYPE_CHECKING:
    from scrapy import Request, Spider


class PortAwareOffsiteMiddleware(OffsiteMiddleware):
    """Replaces ``scrapy.downloadermiddlewares.offsite.OffsiteMiddleware`` in ``DOWNLOADER_MIDDLEWARES``."""

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
