"""Scrapy's own tools on a plain URL (issue 8, section 2), through real subprocesses against the
bundled demo replica: ``scrapy parse URL`` prints an article's item or the requests a listing
or feed leads to, ``scrapy shell URL`` picks the site's spider, and ``scrapy check`` runs the
spider contracts offline, failing on a page that stopped reading right."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from newsbot.demo.replica import ReplicaServer
from tests.crawling import ROOT
from tests.gold import load_jsonl

DEMO = ROOT / "newsbot" / "demo" / "site"
MA = "https://www.maghress.com"
ARTICLE = f"{MA}/fr/h24info/1165520"


def scrapy(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """``scrapy ARGS`` run as a user runs it in the project, its data in ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newsbot.settings",
           "NEWSBOT_DATA_DIR": str(workdir)}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=workdir, env=env, capture_output=True,
                          text=True, timeout=120)


def parsed(stdout: str) -> tuple[list[dict], list[str]]:
    """The items and the request URLs ``scrapy parse --nocolour`` printed."""
    items_text = stdout.split("# Scraped Items ", 1)[1].split("\n", 1)[1].split("# Requests ", 1)[0]
    requests_text = stdout.split("# Requests ", 1)[1].split("\n", 1)[1]
    return ast.literal_eval(items_text.strip()), re.findall(r"<GET (\S+)>", requests_text)


def test_parse_an_article_url_prints_its_item(tmp_path):
    proc = scrapy(tmp_path, "parse", ARTICLE, "-s", "NEWSBOT_MIRROR=demo", "--nocolour")
    assert proc.returncode == 0, proc.stderr[-3000:]
    items, requests = parsed(proc.stdout)
    gold = {g["url"]: g for g in load_jsonl(DEMO / "gold" / "articles.jsonl")}[ARTICLE]
    assert len(items) == 1 and requests == []
    item = items[0]
    assert list(item) == sorted(item)  # pprint sorts the keys
    assert set(item) == {"article_id", "url", "site", "edition", "language", "outlet", "outlet_slug", "title",
                         "published", "body", "body_source", "extractor", "extraction_confidence", "source_url", "crawled_at",
                         "revision", "warc_record_id"}  # no internal field
    assert {k: v for k, v in item.items() if k != "crawled_at"} == {k: gold[k] for k in item if k != "crawled_at"}
    assert not list(tmp_path.rglob("*.jsonl"))  # no default feed written
    assert "Warning" not in proc.stderr, proc.stderr[-3000:]  # Scrapy's parse command warned of its own wrapper


def test_parse_a_feed_url_prints_the_articles_it_links(tmp_path):
    proc = scrapy(tmp_path, "parse", f"{MA}/hespress/rss", "-s", "NEWSBOT_MIRROR=demo", "--nocolour")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert parsed(proc.stdout) == ([], [f"{MA}/hespress/75901", f"{MA}/hespress/75880"])


def test_parse_a_listing_url_prints_the_pages_it_leads_to(tmp_path):
    proc = scrapy(tmp_path, "parse", f"{MA}/fr/lematin", "-s", "NEWSBOT_MIRROR=demo", "--nocolour")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert parsed(proc.stdout) == ([], [
        f"{MA}/fr/rss", f"{MA}/fr/h24info", f"{MA}/fr/le360", f"{MA}/fr/lematin", f"{MA}/fr/lematin/310201",
        f"{MA}/fr/le360/2042711", f"{MA}/fr/lematin/310188", f"{MA}/fr/le360/2042690", f"{MA}/fr/lematin/310175",
        f"{MA}/fr/h24info/1165520", f"{MA}/fr/lematin/rss", f"{MA}/fr/lematin?page=2",
    ])


def test_shell_picks_the_spider_of_the_urls_site(tmp_path):
    code = "(spider.name, response.status, response.css('.articletitle::text').get())"
    proc = scrapy(tmp_path, "shell", ARTICLE, "-s", "NEWSBOT_MIRROR=demo", "-c", code)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "('maghress', 200, 'Rabat : de nouvelles pistes cyclables dans les quartiers sud')"


def test_check_passes_on_the_demo_replica(tmp_path):
    proc = scrapy(tmp_path, "check", "maghress", "-s", "NEWSBOT_MIRROR=demo", "-v")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    checks = sorted(re.findall(r"^\[maghress\] (\S+ \(@\w+ post-hook\)) \.\.\. ok$", proc.stderr, re.M))
    assert checks == [
        "parse_article (@fields post-hook)", "parse_article (@returns post-hook)",
        "parse_article (@returns post-hook)", "parse_feed (@follows post-hook)", "parse_feed (@returns post-hook)",
        "parse_listing (@follows post-hook)", "parse_listing (@returns post-hook)",
    ]
    assert "Ran 7 contracts" in proc.stderr and proc.stderr.rstrip().endswith("OK")


def test_check_fails_when_the_templates_drift(tmp_path):
    """A copy of the demo whose article dateline span was renamed and whose listing links no
    article any more: two contracts fail, naming what is missing; exit status 1."""
    site = tmp_path / "site"
    shutil.copytree(DEMO, site)
    article = site / "files" / "www.maghress.com" / "fr" / "h24info" / "1165520.html"
    text = article.read_text(encoding="utf-8")
    assert text.count("articlenewspaper") == 1
    article.write_text(text.replace("articlenewspaper", "articlemeta"), encoding="utf-8")
    listing = site / "files" / "www.maghress.com" / "fr" / "lematin.html"
    text, links = re.subn(r'href="/fr/\w+/\d+"', 'href="#"', listing.read_text(encoding="utf-8"))
    assert links == 21
    listing.write_text(text, encoding="utf-8")
    server = ReplicaServer(site).start()
    try:
        proc = scrapy(tmp_path / "run", "check", "maghress", "-s", f"NEWSBOT_MIRROR={server.url}")
    finally:
        server.stop()
    assert proc.returncode == 1, proc.stderr
    failures = re.findall(r"^FAIL: \[maghress\] (.*)$", proc.stderr, re.M)
    assert sorted(failures) == ["parse_article (@fields post-hook)", "parse_listing (@follows post-hook)"]
    assert f"ContractFail: {ARTICLE}: no outlet, published extracted" in proc.stderr
    assert "ContractFail: follows no article page" in proc.stderr
    assert "FAILED (failures=2)" in proc.stderr
