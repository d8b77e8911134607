"""The mirror handler: ``NEWSBOT_MIRROR`` values, and one demo replica per crawl."""

from __future__ import annotations

import asyncio
import urllib.request

import pytest
from scrapy.utils.test import get_crawler

from newsbot.demo.mirror import MirrorDownloadHandler, mirror_base


@pytest.mark.parametrize("value", ["127.0.0.1:8000", "ftp://127.0.0.1:21", "http://127.0.0.1:abc", "http://:8870",
                                   "http://127.0.0.1:8000/path", "http://127.0.0.1:8000/?q=1", "http://127.0.0.1:0"])
def test_bad_mirror_addresses_are_refused_with_an_example(value):
    with pytest.raises(ValueError, match="NEWSBOT_MIRROR=http://127.0.0.1:8000"):
        mirror_base(value)


def test_good_mirror_addresses():
    assert mirror_base("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert mirror_base("https://staging.example:8443") == "https://staging.example:8443"
    assert mirror_base(None) is None


def test_one_demo_replica_serves_both_schemes_of_a_crawl():
    crawler = get_crawler(settings_dict={
        "NEWSBOT_MIRROR": "demo",
        "NEWSBOT_DOWNLOAD_HANDLER": "scrapy.core.downloader.handlers.datauri.DataURIDownloadHandler",
    })
    http, https = MirrorDownloadHandler(crawler), MirrorDownloadHandler(crawler)
    assert http.mirror == https.mirror and http.mirror.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(f"{http.mirror}/robots.txt", timeout=10) as answer:
        assert answer.status == 200
    asyncio.run(http.close())
    urllib.request.urlopen(f"{https.mirror}/robots.txt", timeout=10).close()  # still served for the other one
    asyncio.run(https.close())
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{https.mirror}/robots.txt", timeout=5)
