"""What a crawl takes from a page it should not trust (issue 8, section 3), end to end on a copy
of the demo replica: a source link that is no http(s) URL, a redirect to the site's host on
another port, and a feed gzipped over and over (see also tests/test_feeds.py)."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest

from tests.crawling import ROOT, crawl_snapshot
from tests.gold import load_jsonl

DEMO = ROOT / "newsbot" / "demo" / "site"
MA = "https://www.maghress.com"
SETTINGS = {"NEWSBOT_BOILERPLATE_WARMUP": 0, "NEWSBOT_RENDER_ENABLED": False}


@pytest.fixture(scope="module")
def untrusted(tmp_path_factory):
    """A crawl of the French demo edition: two articles link their source with ``javascript:``
    and ``mailto:``, one redirects to ``www.maghress.com:8443``, and the le360 feed is a gzip
    bomb (gzipped three times, 9 MiB inflated: over DOWNLOAD_MAXSIZE, 8 MiB, in total)."""
    site = tmp_path_factory.mktemp("untrusted") / "site"
    shutil.copytree(DEMO, site)
    pages = site / "files" / "www.maghress.com" / "fr"
    for path, link, bad in (("h24info/1165520.html", "https://www.h24info.ma/actu/1165520/", "javascript:void(0)"),
                            ("le360/2042690.html", "https://fr.le360.ma/societe/2042690", "mailto:redaction@le360.ma")):
        text = (pages / path).read_text(encoding="utf-8")
        assert text.count(f'href="{link}"') == 1
        (pages / path).write_text(text.replace(f'href="{link}"', f'href="{bad}"'), encoding="utf-8")
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    [entry] = [e for e in manifest["entries"] if e["path"] == "/fr/lematin/310201"]
    entry.update(status=301, headers={"Location": f"{MA}:8443/fr/lematin/310201"})
    (site / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    feed = pages / "le360" / "rss.xml"
    text = feed.read_text(encoding="utf-8")
    body = text.replace("<channel>", "<channel><!--" + " " * 9 * 1024 * 1024 + "-->", 1).encode()
    for _ in range(3):
        body = gzip.compress(body, mtime=0)
    assert len(body) < 20_000
    feed.write_bytes(body)
    return crawl_snapshot("maghress", site, tmp_path_factory.mktemp("crawl"), args={"editions": "fr"},
                          settings=SETTINGS)


def test_a_source_link_that_is_not_http_is_left_null_and_counted(untrusted):
    assert untrusted.returncode == 0, untrusted.log[-3000:]
    items = untrusted.by_url()
    assert items[f"{MA}/fr/h24info/1165520"]["source_url"] is None
    assert items[f"{MA}/fr/le360/2042690"]["source_url"] is None
    assert untrusted.stat("newsbot/source_url/not_http") == 2
    gold = {g["url"]: g for g in load_jsonl(DEMO / "gold" / "articles.jsonl")}
    for url, item in items.items():
        if url not in (f"{MA}/fr/h24info/1165520", f"{MA}/fr/le360/2042690"):
            assert item["source_url"] == gold[url]["source_url"]


def test_a_feed_gzipped_over_and_over_is_capped_by_download_maxsize_in_total(untrusted):
    assert untrusted.stat("newsbot/feed/too_large") == 1
    assert (f"WARNING: Feed {MA}/fr/le360/rss skipped: its gzip layers inflate to more than 8388608 bytes"
            " (DOWNLOAD_MAXSIZE)") in untrusted.log
    # its articles still come from the outlet's listing
    assert {f"{MA}/fr/le360/2042690", f"{MA}/fr/le360/2042711"} <= set(untrusted.by_url())


def test_a_redirect_to_the_sites_host_on_another_port_is_refused_as_off_site(untrusted):
    gold = {g["url"] for g in load_jsonl(DEMO / "gold" / "articles.jsonl") if g["edition"] == "fr"}
    assert sorted(untrusted.by_url()) == sorted(gold - {f"{MA}/fr/lematin/310201"})
    assert untrusted.stat("offsite/filtered") == 1
    assert untrusted.stat("newsbot/rejected/redirected_away") == 1
    assert (f"No item from {MA}/fr/lematin/310201: it redirects (301) to {MA}:8443/fr/lematin/310201,"
            " which is not an article of the site") in untrusted.log
