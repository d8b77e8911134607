"""JavaScript pages (issue 4, section 2): the rendering pieces, without a crawl.

Settings resolution and the download handlers and scrapy-playwright settings the add-on
derives from them, the escalation decisions on parsed listings and ``render_kinds``. The
crawls themselves are in ``tests/test_render.py``; the mirror's browser route in
``tests/test_mirror.py``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsbot.pages.listing import ListingFields, parse_listing
from newsbot.render import RenderConfig, Renderer, RenderSettingError, configure
from newsbot.render.config import PLAYWRIGHT_HANDLER
from newsbot.family.urls import PageKind, edition
from newsbot.sites.base import SiteProfile

ATELIER = "https://www.maghress.com/fr/atelier"


def test_configure_switches_to_playwright_only_when_enabled():
    settings = Settings()
    settings.setmodule("newsbot.settings", priority="project")
    config = configure(settings)
    assert config.enabled
    assert settings.getdict("DOWNLOAD_HANDLERS") == {"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER}
    assert settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT") == 2
    assert settings.getint("PLAYWRIGHT_MAX_CONTEXTS") == 1
    assert settings.getfloat("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT") == 20000
    assert settings["PLAYWRIGHT_ABORT_REQUEST"] == "newsbot.render.abort.should_abort"
    extensions = {getattr(k, "__name__", k): v for k, v in settings.getdict("EXTENSIONS").items()}
    assert extensions["RenderMemoryUsage"] == 0 and extensions["MemoryUsage"] is None

    off = Settings()
    off.setmodule("newsbot.settings", priority="project")
    off.set("NEWSBOT_RENDER_ENABLED", "False", priority="cmdline")
    configure(off)
    assert off.getdict("DOWNLOAD_HANDLERS") == {}  # Scrapy's own
    assert off.getwithbase("DOWNLOAD_HANDLERS")["https"].endswith("HTTP11DownloadHandler")
    assert "PLAYWRIGHT_LAUNCH_OPTIONS" not in off


def test_configure_keeps_a_handler_and_playwright_settings_the_user_chose(caplog):
    settings = Settings()
    settings.setmodule("newsbot.settings", priority="project")
    data = "scrapy.core.downloader.handlers.datauri.DataURIDownloadHandler"
    subclass = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    settings.set("DOWNLOAD_HANDLERS", {"https": data, "http": subclass}, priority="cmdline")
    settings.set("PLAYWRIGHT_MAX_CONTEXTS", 3, priority="cmdline")
    configure(settings)
    assert settings.getdict("DOWNLOAD_HANDLERS") == {"https": data, "http": subclass}
    assert settings.getint("PLAYWRIGHT_MAX_CONTEXTS") == 3
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [f"DOWNLOAD_HANDLERS['https']={data} is not scrapy-playwright's handler:"
                        " https pages that need JavaScript will not be rendered"]


def test_chromium_from_setting_or_environment():
    assert RenderConfig.from_settings(Settings(), environ={}).chromium is None
    sh = shutil.which("sh")
    assert RenderConfig.from_settings(Settings(), environ={"NEWSBOT_CHROMIUM": "sh"}).chromium == sh
    # the setting wins over the environment
    config = RenderConfig.from_settings(Settings({"NEWSBOT_CHROMIUM": sh}), environ={"NEWSBOT_CHROMIUM": "/x"})
    assert config.chromium == sh
    launch = replace(RenderConfig.from_settings(Settings(), environ={}), chromium=sh).launch_options()
    assert launch["executable_path"] == sh and launch["headless"] is True
    offline = {"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"}
    assert offline <= set(launch["args"])
    assert ("--no-sandbox" in launch["args"]) == (os.geteuid() == 0)
    with pytest.raises(RenderSettingError, match="NEWSBOT_RENDER_ENABLED=False"):
        RenderConfig.from_settings(Settings({"NEWSBOT_CHROMIUM": "/nonexistent/chromium"}), environ={})
    # with rendering off, the browser path is not checked
    off = Settings({"NEWSBOT_RENDER_ENABLED": False, "NEWSBOT_CHROMIUM": "/x"})
    assert not RenderConfig.from_settings(off, environ={}).enabled
    with pytest.raises(RenderSettingError, match="NEWSBOT_RENDER_MAX_CONTEXTS='two' must be a whole number above 0"):
        RenderConfig.from_settings(Settings({"NEWSBOT_RENDER_MAX_CONTEXTS": "two"}), environ={})


def _renderer(site: SiteProfile, **settings) -> Renderer:
    return Renderer(get_crawler(settings_dict={"NEWSBOT_CHROMIUM": "", **settings}), site)


def _listing(body: str, url: str = ATELIER, **meta) -> tuple[HtmlResponse, ListingFields]:
    request = Request(url, meta={"newsbot_kind": PageKind.LISTING, "depth": 1, **meta})
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8", request=request)
    return response, parse_listing(response)


def _errback(failure):  # stands for a spider method
    return None


SITE = SiteProfile(name="maghress", domain="maghress.com", editions=(edition("fr"),))


def test_escalation_only_for_listings_with_scripts_and_no_entries():
    renderer = _renderer(SITE)
    scripted = '<html><body><div id="main"></div><script>document.write("x")</script></body></html>'
    response, page = _listing(scripted)
    request = renderer.escalate(response, page, errback=_errback)
    assert request.url == ATELIER and request.dont_filter and request.errback is _errback
    assert request.meta["playwright"] is True and request.meta["playwright_include_page"] is False
    assert request.meta["newsbot_kind"] == PageKind.LISTING and "depth" not in request.meta
    assert renderer.stats.get_value("newsbot/render/escalated") == 1

    with_entries = (
        '<html><body><div class="teaser"><a class="teasertitle" href="/fr/a/1">A</a></div>'
        "<script></script></body></html>"
    )
    assert renderer.escalate(*_listing(with_entries), errback=_errback) is None
    assert renderer.escalate(*_listing('<html><body><div id="main"></div></body></html>'), errback=_errback) is None
    # a rendered listing still empty is reported, never rendered again
    assert renderer.escalate(*_listing(scripted, playwright=True), errback=_errback) is None
    assert renderer.stats.get_value("newsbot/render/empty") == 1

    off = _renderer(SITE, NEWSBOT_RENDER_ENABLED=False)
    assert off.escalate(*_listing(scripted), errback=_errback) is None
    assert off.stats.get_value("newsbot/render/unrendered") == 1


def test_render_kinds_of_a_site_profile_are_always_rendered():
    site = SiteProfile(name="maghress", domain="maghress.com", editions=(edition("fr"),),
                       render_kinds=frozenset({PageKind.LISTING}))
    renderer = _renderer(site)
    listing = renderer.for_kind(Request(ATELIER, meta={"newsbot_kind": PageKind.LISTING}), PageKind.LISTING, _errback)
    assert listing.meta["playwright"] is True and listing.errback is _errback
    article = renderer.for_kind(Request(f"{ATELIER}/1"), PageKind.ARTICLE, _errback)
    assert "playwright" not in article.meta
    assert renderer.stats.get_value("newsbot/render/by_kind") == 1
    off = _renderer(site, NEWSBOT_RENDER_ENABLED=False)
    assert "playwright" not in off.for_kind(Request(ATELIER), PageKind.LISTING, _errback).meta
