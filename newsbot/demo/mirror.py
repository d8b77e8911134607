"""``NEWSBOT_MIRROR``: send every request to a copy of the sites, keep the real URLs.

With ``NEWSBOT_MIRROR=http://127.0.0.1:8000`` a request for
``https://www.maghress.com/fr/h24info/1165387`` is downloaded from
``http://127.0.0.1:8000/fr/h24info/1165387`` with ``Host: www.maghress.com``; the
response carries the original URL again, so items, logs, redirects, robots.txt and
request fingerprints only ever see the real site. Every host goes to the mirror, an outlet's
too (the source page of a teaser, :mod:`newsbot.spiders.source`: ``Host: lobservateur.info``),
so a replica that holds outlet pages serves them by their ``Host``. ``NEWSBOT_MIRROR=demo`` starts the
demo replica that ships with newsbot (``newsbot/demo/site``, :mod:`newsbot.demo.replica`)
in-process and mirrors to it.

Nothing of this runs unless ``NEWSBOT_MIRROR`` is set: :func:`configure_mirror`, a step of
the newsbot add-on, then

* wraps the http and https download handlers: the handler ``DOWNLOAD_HANDLERS`` would have
  used for the scheme (Scrapy's, scrapy-playwright's when rendering is on, or the user's) is
  saved in ``NEWSBOT_MIRROR_HTTP_HANDLER``/``NEWSBOT_MIRROR_HTTPS_HANDLER`` unless already
  given, and the scheme gets :class:`HttpMirrorDownloadHandler`/:class:`HttpsMirrorDownloadHandler`,
  which download through it (Scrapy's "fallback" pattern for add-ons);
* gives the crawl its own state file, ``.newsbot/demo-state.db`` (``demo``) or
  ``.newsbot/mirror-state.db``, under ``NEWSBOT_DATA_DIR``, so a replica never marks a live
  article as done; an explicit ``NEWSBOT_STATE``, or the Redis of ``NEWSBOT_CLUSTER``, is kept;
* in Redis (a Redis ``NEWSBOT_STATE``, or cluster mode), where live and mirrored crawls share
  one server, gives it a namespace of its own: ``NEWSBOT_STATE_NAMESPACE`` (default
  ``BOT_NAME``) with ``-demo`` or ``-mirror`` appended (``newsbot-demo``), for the state's
  keys and the cluster's queue and seen set alike.

The rewriting happens in a download handler, below the scheduler: a downloader
middleware returning a new Request would send it through the dupefilter again. Browser
requests keep their real URL and get a page route to the mirror instead
(:mod:`newsbot.demo.routing`).
"""

from __future__ import annotations

import logging
import weakref
from importlib.resources import files
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.python import global_object_name

from newsbot.config import handler_setting, setting_or_default
from newsbot.demo.replica import ReplicaServer
from newsbot.demo.routing import MirrorRoute, mirror_url
from newsbot.state import DEFAULT_FILE, REDIS_SCHEMES, data_file_uri, state_namespace, state_uri

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

DEMO = "demo"


def mirror_base(value: str | None) -> str | None:
    """Validate a ``NEWSBOT_MIRROR`` value (``http://host:port`` or ``demo``): the base
    URL requests go to (None when unset; ``demo`` is returned as is).

    Raises ValueError with what to write instead.

    >>> mirror_base("http://127.0.0.1:8000/")
    'http://127.0.0.1:8000'
    """
    if not value:
        return None
    if value == DEMO:
        return DEMO
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


def configure_mirror(settings: BaseSettings) -> None:
    """Add-on step: with ``NEWSBOT_MIRROR`` set, wrap the http/https download handlers in
    the mirror's and give the crawl its own state file (see the module docstring); unset,
    do nothing. Run it after every step that sets ``DOWNLOAD_HANDLERS`` (rendering).

    Raises ValueError (a bad ``NEWSBOT_MIRROR``) or :class:`~newsbot.config.SettingError`
    (a handler that cannot be imported) with what to write instead.
    """
    mirror = mirror_base(settings.get("NEWSBOT_MIRROR"))
    if mirror is None:
        return
    handlers = settings["DOWNLOAD_HANDLERS"]
    for mirror_handler in (HttpMirrorDownloadHandler, HttpsMirrorDownloadHandler):
        scheme = mirror_handler.scheme
        wrapped = handler_setting(settings, scheme)  # what Scrapy would use: DOWNLOAD_HANDLERS over its base
        if wrapped is None or _is_mirror(wrapped):
            continue  # the scheme is off, or already mirrored
        _set_if_unset(settings, mirror_handler.fallback_setting, wrapped)
        # at the priority of the entry it replaces: a user's -s DOWNLOAD_HANDLERS is wrapped, not lost
        priority = max(handlers.getpriority(scheme) or 0, SETTINGS_PRIORITIES["addon"])
        handlers.set(scheme, global_object_name(mirror_handler), priority=priority)
    # A replica must never mark a live article as done: the default state file gets a name of
    # its own; an explicit NEWSBOT_STATE, or the Redis of NEWSBOT_CLUSTER, is kept.
    if state_uri(settings) == data_file_uri(settings, DEFAULT_FILE):
        own = DEFAULT_FILE.replace("state.db", "demo-state.db" if mirror == DEMO else "mirror-state.db")
        _set_if_unset(settings, "NEWSBOT_STATE", data_file_uri(settings, own))
    if state_uri(settings).startswith(REDIS_SCHEMES) or settings.get("NEWSBOT_CLUSTER"):
        _mirror_namespace(settings, "demo" if mirror == DEMO else "mirror")


def _mirror_namespace(settings: BaseSettings, kind: str) -> None:
    """Append ``-<kind>`` to the state namespace (unless it ends so already): a mirrored crawl
    never writes into the namespace of live crawls in a Redis they share."""
    namespace = state_namespace(settings)
    suffix = f"-{kind}"
    if not namespace.endswith(suffix):
        priority = max(settings.getpriority("NEWSBOT_STATE_NAMESPACE") or 0, SETTINGS_PRIORITIES["addon"])
        settings.set("NEWSBOT_STATE_NAMESPACE", namespace + suffix, priority=priority)


def _set_if_unset(settings: BaseSettings, name: str, value: object) -> None:
    """Give ``name`` ``value`` when it is unset (None or blank), at no lower priority than the
    unset value's: newsbot/settings.py declares these names as None at project priority,
    which an add-on value would not outrank."""
    if not str(settings.get(name) or "").strip():
        settings.set(name, value, priority=max(settings.getpriority(name) or 0, SETTINGS_PRIORITIES["addon"]))


def _is_mirror(handler: object) -> bool:
    cls = load_object(handler)
    return isinstance(cls, type) and issubclass(cls, MirrorDownloadHandler)


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
    """Download handler of one scheme that sends every request to ``NEWSBOT_MIRROR``.

    Installed by :func:`configure_mirror` as :class:`HttpMirrorDownloadHandler` and
    :class:`HttpsMirrorDownloadHandler`. Settings: ``NEWSBOT_MIRROR`` (``demo`` or
    ``http://host:port``; unset: :class:`~scrapy.exceptions.NotConfigured`), the scheme's
    :attr:`fallback_setting`, the handler that really downloads (unset: Scrapy's own for
    the scheme), and, for browser requests, ``PLAYWRIGHT_ABORT_REQUEST`` and
    ``NEWSBOT_RENDER_TIMEOUT`` (:class:`~newsbot.demo.routing.MirrorRoute`).
    """

    lazy = False
    scheme: ClassVar[str]
    fallback_setting: ClassVar[str]

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        value = mirror_base(settings.get("NEWSBOT_MIRROR"))
        if value is None:
            raise NotConfigured("NEWSBOT_MIRROR is not set")
        inner = setting_or_default(settings, self.fallback_setting) or settings.getdict("DOWNLOAD_HANDLERS_BASE")[self.scheme]
        self.inner = build_from_crawler(load_object(inner), crawler)
        self._demo = value == DEMO
        self.mirror = _DEMO_SERVERS.acquire(crawler).url if self._demo else value
        logger.info("Every %s request goes to the mirror %s (URLs keep the real host)", self.scheme, self.mirror)
        self._browser_route = MirrorRoute.from_settings(self.mirror, settings)

    async def download_request(self, request: Request) -> Response:
        if request.meta.get("playwright"):
            # The browser loads the real URL; a page route sends it and every request the
            # page makes to the mirror.
            self._browser_route.attach(request)
            return await self.inner.download_request(request)
        original = urlsplit(request.url)
        headers = request.headers.copy()
        headers["Host"] = original.netloc
        mirrored = request.replace(url=mirror_url(self.mirror, request.url), headers=headers)
        try:
            response = await self.inner.download_request(mirrored)
        finally:
            # download_latency and friends are set on the request really sent; AutoThrottle
            # and the stats read them from the original.
            for key, value in mirrored.meta.items():
                request.meta.setdefault(key, value)
        return response.replace(url=request.url)

    async def close(self) -> None:
        await self.inner.close()
        if self._demo:
            _DEMO_SERVERS.release(self.crawler)


class HttpMirrorDownloadHandler(MirrorDownloadHandler):
    """The mirror handler of ``http``, downloading with ``NEWSBOT_MIRROR_HTTP_HANDLER``."""

    scheme = "http"
    fallback_setting = "NEWSBOT_MIRROR_HTTP_HANDLER"


class HttpsMirrorDownloadHandler(MirrorDownloadHandler):
    """The mirror handler of ``https``, downloading with ``NEWSBOT_MIRROR_HTTPS_HANDLER``."""

    scheme = "https"
    fallback_setting = "NEWSBOT_MIRROR_HTTPS_HANDLER"
