"""``NEWSBOT_MIRROR``: send every request to a copy of the sites, keep the real URLs.

With ``NEWSBOT_MIRROR=http://127.0.0.1:8000`` a request for
``https://www.maghress.com/fr/h24info/1165387`` is downloaded from
``http://127.0.0.1:8000/fr/h24info/1165387`` with ``Host: www.maghress.com``; the
response carries the original URL again, so items, logs, redirects, robots.txt and
request fingerprints only ever see the real site. ``NEWSBOT_MIRROR=demo`` starts the
demo replica that ships with newsbot (:mod:`newsbot.demo`) in-process and mirrors to it.

The rewriting happens in a download handler, below the scheduler: a downloader
middleware returning a new Request would send it through the dupefilter again.
"""

from __future__ import annotations

import logging
import weakref
from importlib.resources import files
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.utils.misc import build_from_crawler, load_object

from newsbot.demo.routing import MirrorRoute
from newsbot.demo.replica import ReplicaServer

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

DEMO = "demo"


def mirror_base(value: str | None) -> str | None:
    """Validate a ``NEWSBOT_MIRROR`` value (``http://host:port`` or ``demo``).

    Raises ValueError with what to write instead.
    """
    if not value:
        return None
    parts = urlsplit(value.strip())
    try:
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:  # "http://127.0.0.1:abc"
        port_ok = False
    if (parts.scheme not in ("http", "https") or not parts.hostname or not port_ok
            or parts.path.strip("/") or parts.query or parts.fragment):
        raise ValueError(
            f"NEWSBOT_MIRROR={value!r} is not a mirror address: give scheme, host and port only,"
            " e.g. -s NEWSBOT_MIRROR=http://127.0.0.1:8000, or -s NEWSBOT_MIRROR=demo"
        )
    return f"{parts.scheme}://{parts.netloc}"


class _DemoServers:
    """One demo replica per crawl, shared by the handlers of its schemes (http and https)."""

    def __init__(self) -> None:
        self._servers: weakref.WeakKeyDictionary[Crawler, tuple[ReplicaServer, int]] = weakref.WeakKeyDictionary()

    def acquire(self, crawler: Crawler) -> ReplicaServer:
        server, users = self._servers.get(crawler, (None, 0))
        if server is None:
            server = ReplicaServer(files("newsbot.demo").joinpath("site")).start()
            logger.info("NEWSBOT_MIRROR=demo: serving the demo replica at %s", server.url)
        self._servers[crawler] = (server, users + 1)
        return server

    def release(self, crawler: Crawler) -> None:
        server, users = self._servers.pop(crawler, (None, 0))
        if server is None:
            return
        if users > 1:
            self._servers[crawler] = (server, users - 1)
        else:
            server.stop()


_DEMO_SERVERS = _DemoServers()


class MirrorDownloadHandler(BaseDownloadHandler):
    """Download handler for http/https that honours ``NEWSBOT_MIRROR``.

    Settings: ``NEWSBOT_MIRROR`` (None, ``demo`` or ``http://host:port``) and
    ``NEWSBOT_DOWNLOAD_HANDLER``, the handler that really downloads (Scrapy's
    HTTP/1.1 handler by default; the scrapy-playwright handler when rendering is on,
    which gets browser requests with a page route to the mirror: see
    :mod:`newsbot.demo.routing`).
    """

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self._inner = build_from_crawler(load_object(settings["NEWSBOT_DOWNLOAD_HANDLER"]), crawler)
        self._demo = False
        value = settings.get("NEWSBOT_MIRROR")
        if value == DEMO:
            self._demo = True
            value = _DEMO_SERVERS.acquire(crawler).url
        self.mirror = mirror_base(value)
        self._browser_route: MirrorRoute | None = None
        if self.mirror:
            logger.info("Every request goes to the mirror %s (URLs keep the real host)", self.mirror)
            self._browser_route = MirrorRoute.from_settings(self.mirror, settings)

    @property
    def inner(self) -> Any:
        """The wrapped handler (``NEWSBOT_DOWNLOAD_HANDLER``)."""
        return self._inner

    async def download_request(self, request: Request) -> Response:
        if self._browser_route is not None and request.meta.get("playwright"):
            self._browser_route.attach(request)  # the page's own requests go to the mirror too
        if not self.mirror or request.meta.get("playwright"):
            return await self._inner.download_request(request)
        original = urlsplit(request.url)
        target = f"{self.mirror}{original.path or '/'}" + (f"?{original.query}" if original.query else "")
        headers = request.headers.copy()
        headers["Host"] = original.netloc
        mirrored = request.replace(url=target, headers=headers)
        try:
            response = await self._inner.download_request(mirrored)
        finally:
            # download_latency and friends are set on the request really sent; AutoThrottle
            # and the stats read them from the original.
            for key, value in mirrored.meta.items():
                request.meta.setdefault(key, value)
        return response.replace(url=request.url)

    async def close(self) -> None:
        await self._inner.close()
        if self._demo:
            _DEMO_SERVERS.release(self.crawler)
