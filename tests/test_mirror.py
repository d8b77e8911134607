"""The mirror (:mod:`newsbot.demo.mirror`): ``NEWSBOT_MIRROR`` values, the add-on step that
installs the mirror handler only when it is set and wraps the handler that would have run,
the mirrored crawl's own state file, and one demo replica per crawl."""

from __future__ import annotations

import asyncio
import logging
import urllib.request
from importlib.resources import files
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsbot.addon import NewsbotAddon
from newsbot.demo.mirror import HttpMirrorDownloadHandler, HttpsMirrorDownloadHandler, MirrorDownloadHandler, mirror_base
from newsbot.render.config import PLAYWRIGHT_HANDLER

HTTP11 = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
DATA_URI = "scrapy.core.downloader.handlers.datauri.DataURIDownloadHandler"
MIRRORS = {"http": "newsbot.demo.mirror.HttpMirrorDownloadHandler", "https": "newsbot.demo.mirror.HttpsMirrorDownloadHandler"}


@pytest.mark.parametrize("value", ["127.0.0.1:8000", "ftp://127.0.0.1:21", "http://127.0.0.1:abc", "http://:8870",
                                   "http://127.0.0.1:8000/path", "http://127.0.0.1:8000/?q=1", "http://127.0.0.1:0"])
def test_bad_mirror_addresses_are_refused_with_an_example(value):
    with pytest.raises(ValueError, match="NEWSBOT_MIRROR=http://127.0.0.1:8000"):
        mirror_base(value)


def test_good_mirror_addresses():
    assert mirror_base("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert mirror_base("https://staging.example:8443") == "https://staging.example:8443"
    assert mirror_base("demo") == "demo"
    assert mirror_base(None) is None


# --- the add-on step ----------------------------------------------------------------------------
def crawl_settings(data_dir: Path, **options: object) -> Settings:
    """The settings of ``scrapy crawl -s NAME=VALUE ...`` once the newsbot add-on has run."""
    settings = Settings()
    settings.setmodule("newsbot.settings", priority="project")
    settings.set("NEWSBOT_DATA_DIR", str(data_dir), priority="cmdline")
    for name, value in options.items():
        settings.set(name, value, priority="cmdline")
    NewsbotAddon().update_settings(settings)
    return settings


def handlers(settings: Settings) -> dict[str, str]:
    """The http and https handlers Scrapy will load."""
    merged = settings.getwithbase("DOWNLOAD_HANDLERS")
    return {scheme: merged[scheme] for scheme in ("http", "https")}


def test_the_default_crawl_has_scrapys_handlers_and_no_mirror(tmp_path):
    assert handlers(crawl_settings(tmp_path, NEWSBOT_RENDER_ENABLED=False)) == {"http": HTTP11, "https": HTTP11}
    rendering = crawl_settings(tmp_path)  # rendering on: scrapy-playwright's, as its documentation sets it
    assert handlers(rendering) == {"http": PLAYWRIGHT_HANDLER, "https": PLAYWRIGHT_HANDLER}
    assert rendering["NEWSBOT_MIRROR_HTTPS_HANDLER"] is None and rendering["NEWSBOT_STATE"] is None
    assert "newsbot.demo.mirror" not in str(dict(rendering.getwithbase("DOWNLOAD_HANDLERS")))


@pytest.mark.parametrize(("render", "inner"), [("False", HTTP11), ("True", PLAYWRIGHT_HANDLER)])
def test_the_mirror_wraps_the_handler_that_would_have_run(tmp_path, render, inner):
    settings = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo", NEWSBOT_RENDER_ENABLED=render)
    assert handlers(settings) == MIRRORS
    assert settings["NEWSBOT_MIRROR_HTTP_HANDLER"] == settings["NEWSBOT_MIRROR_HTTPS_HANDLER"] == inner


def test_a_users_download_handler_is_kept_and_wrapped_when_mirroring(tmp_path, caplog):
    chosen = '{"https": "%s"}' % DATA_URI
    with caplog.at_level(logging.WARNING, logger="newsbot.render.config"):
        plain = crawl_settings(tmp_path, DOWNLOAD_HANDLERS=chosen)
    assert handlers(plain) == {"http": PLAYWRIGHT_HANDLER, "https": DATA_URI}  # only the scheme not chosen
    assert "is not scrapy-playwright's handler: https pages that need JavaScript will not be rendered" in caplog.text
    mirrored = crawl_settings(tmp_path, DOWNLOAD_HANDLERS=chosen, NEWSBOT_MIRROR="http://127.0.0.1:8000")
    assert handlers(mirrored) == MIRRORS
    assert mirrored["NEWSBOT_MIRROR_HTTPS_HANDLER"] == DATA_URI
    assert mirrored["NEWSBOT_MIRROR_HTTP_HANDLER"] == PLAYWRIGHT_HANDLER
    # the handler the mirror wraps can also be given directly; a scheme turned off stays off
    given = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo", NEWSBOT_MIRROR_HTTPS_HANDLER=DATA_URI,
                           DOWNLOAD_HANDLERS='{"http": null}')
    assert given["NEWSBOT_MIRROR_HTTPS_HANDLER"] == DATA_URI and handlers(given)["http"] is None


def test_mirrored_crawls_keep_their_own_state_file(tmp_path):
    demo = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo")
    assert demo["NEWSBOT_STATE"] == f"sqlite:///{tmp_path}/.newsbot/demo-state.db"
    other = crawl_settings(tmp_path, NEWSBOT_MIRROR="http://127.0.0.1:8000")
    assert other["NEWSBOT_STATE"] == f"sqlite:///{tmp_path}/.newsbot/mirror-state.db"
    explicit = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo", NEWSBOT_STATE="sqlite:///:memory:")
    assert explicit["NEWSBOT_STATE"] == "sqlite:///:memory:"
    cluster = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo", NEWSBOT_CLUSTER="redis://127.0.0.1:6379/0")
    assert cluster["NEWSBOT_STATE"] is None  # the state follows the cluster into its Redis ...


def test_mirrored_crawls_on_redis_keep_their_own_namespace(tmp_path):
    cluster = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo", NEWSBOT_CLUSTER="redis://127.0.0.1:6379/0")
    assert cluster["NEWSBOT_STATE_NAMESPACE"] == "newsbot-demo"  # ... under a namespace of its own
    state = crawl_settings(tmp_path, NEWSBOT_MIRROR="http://127.0.0.1:8000", NEWSBOT_STATE="redis://127.0.0.1:6379/1")
    assert state["NEWSBOT_STATE_NAMESPACE"] == "newsbot-mirror"
    named = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo", NEWSBOT_STATE_NAMESPACE="newsbot",
                           NEWSBOT_CLUSTER="redis://127.0.0.1:6379/0")
    assert named["NEWSBOT_STATE_NAMESPACE"] == "newsbot-demo"  # never the live crawls' namespace
    again = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo", NEWSBOT_STATE_NAMESPACE="nb-demo",
                           NEWSBOT_CLUSTER="redis://127.0.0.1:6379/0")
    assert again["NEWSBOT_STATE_NAMESPACE"] == "nb-demo"
    live = crawl_settings(tmp_path, NEWSBOT_CLUSTER="redis://127.0.0.1:6379/0")
    assert live["NEWSBOT_STATE_NAMESPACE"] is None  # BOT_NAME, newsbot
    sqlite = crawl_settings(tmp_path, NEWSBOT_MIRROR="demo")
    assert sqlite["NEWSBOT_STATE_NAMESPACE"] is None  # a file of its own is enough


def test_a_bad_mirror_stops_the_crawl_with_the_fix(tmp_path):
    with pytest.raises(ValueError, match="NEWSBOT_MIRROR='127.0.0.1:8000' is not a mirror address"):
        crawl_settings(tmp_path, NEWSBOT_MIRROR="127.0.0.1:8000")


# --- the handler --------------------------------------------------------------------------------
def test_the_handler_needs_a_mirror():
    from scrapy.exceptions import NotConfigured

    with pytest.raises(NotConfigured, match="NEWSBOT_MIRROR is not set"):
        HttpsMirrorDownloadHandler(get_crawler())


def demo_handlers(**settings: object) -> tuple[MirrorDownloadHandler, MirrorDownloadHandler]:
    if not files("newsbot.demo").joinpath("site", "manifest.json").is_file():
        pytest.skip("newsbot/demo/site has no snapshot yet")
    crawler = get_crawler(settings_dict={
        "NEWSBOT_MIRROR": "demo",
        # any inner handler will do: nothing is downloaded (and HTTP/1.1 needs a reactor)
        "NEWSBOT_MIRROR_HTTP_HANDLER": DATA_URI, "NEWSBOT_MIRROR_HTTPS_HANDLER": DATA_URI, **settings,
    })
    return HttpMirrorDownloadHandler(crawler), HttpsMirrorDownloadHandler(crawler)


def test_one_demo_replica_serves_both_schemes_of_a_crawl():
    http, https = demo_handlers()
    assert type(http.inner).__name__ == type(https.inner).__name__ == "DataURIDownloadHandler"
    assert http.mirror == https.mirror and http.mirror.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(f"{http.mirror}/robots.txt", timeout=10) as answer:
        assert answer.status == 200
    asyncio.run(http.close())
    urllib.request.urlopen(f"{https.mirror}/robots.txt", timeout=10).close()  # still served for the other one
    asyncio.run(https.close())
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{https.mirror}/robots.txt", timeout=5)


def test_demo_mirror_routes_the_browser_to_the_resolved_address():
    http, handler = demo_handlers(PLAYWRIGHT_ABORT_REQUEST="newsbot.render.abort.should_abort")
    try:
        request = Request("https://www.maghress.com/fr/atelier", meta={"playwright": True})
        handler._browser_route.attach(request)
        init = request.meta["playwright_page_init_callback"]
        assert init.route.mirror == handler.mirror
        assert init.route.abort.__name__ == "should_abort"
        assert init.route.timeout_ms == 20000  # NEWSBOT_RENDER_TIMEOUT's default
        handler._browser_route.attach(request)  # a retried copy is not routed twice
        assert request.meta["playwright_page_init_callback"] is init
    finally:
        asyncio.run(http.close())
        asyncio.run(handler.close())  # stops the demo replica
