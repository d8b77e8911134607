"""The README's main job, word for word: ``scrapy crawl maghress -s NEWSBOT_MIRROR=demo -O demo.jsonl``.

Run as a user runs it (the ``scrapy`` command, in an empty directory, the project on
PYTHONPATH), against the demo replica shipped in ``newsbot/demo/site`` and served
in-process; the feed must equal the demo's gold file, every field but ``crawled_at``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawling import ROOT
from tests.gold import COMPARED_FIELDS, load_jsonl, mismatches

DEMO_COMMAND = "scrapy crawl maghress -s NEWSBOT_MIRROR=demo -O demo.jsonl"
DEMO_ITEMS = 13  # the number the README states
DEMO_GOLD = ROOT / "newsbot" / "demo" / "site" / "gold" / "articles.jsonl"
ALL_FIELDS = (*COMPARED_FIELDS, "article_id", "body_source", "extractor", "extraction_confidence", "revision", "warc_record_id")


def scrapy_command() -> list[str]:
    """``scrapy`` as installed beside this Python (the venv's console script)."""
    script = Path(sys.executable).with_name("scrapy")
    if script.exists():
        return [str(script)]
    found = shutil.which("scrapy")
    return [found] if found else [sys.executable, "-m", "scrapy"]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    workdir = tmp_path_factory.mktemp("demo")
    argv = scrapy_command() + shlex.split(DEMO_COMMAND)[1:]
    # No scrapy.cfg in an empty directory: the settings module names the project instead.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newsbot.settings"}
    env.pop("NEWSBOT_DATA_DIR", None)
    proc = subprocess.run(argv, cwd=workdir, env=env, capture_output=True, text=True, timeout=180)
    return proc, workdir / "demo.jsonl"


def test_demo_command_succeeds_with_a_clean_log(demo_run):
    proc, feed = demo_run
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert feed.exists()
    assert "Traceback" not in log
    assert not re.search(r"\] (WARNING|ERROR|CRITICAL):", log), log[-3000:]  # a first run is quiet
    assert "Deprecat" not in log
    assert "NEWSBOT_MIRROR=demo: serving the demo replica at http://127.0.0.1:" in log


def test_demo_feed_equals_the_demo_gold(demo_run):
    _, feed = demo_run
    items = load_jsonl(feed)
    gold = {g["url"]: g for g in load_jsonl(DEMO_GOLD)}
    assert len(items) == DEMO_ITEMS == len(gold)
    assert sorted(item["url"] for item in items) == sorted(gold)
    problems = {item["url"]: diff for item in items if (diff := mismatches(item, gold[item["url"]], ALL_FIELDS))}
    assert problems == {}


def test_demo_feed_is_utf8_json_lines_with_every_field(demo_run):
    _, feed = demo_run
    raw = feed.read_bytes()
    assert "مراكش".encode() in raw and b"\\u0" not in raw  # Arabic written as Arabic (shared case NB-18)
    for line in raw.decode("utf-8").splitlines():
        record = json.loads(line)
        assert list(record) == [
            "article_id", "url", "site", "edition", "language", "outlet", "outlet_slug", "title",
            "published", "body", "body_source", "extractor", "extraction_confidence", "source_url", "crawled_at",
            "revision", "warc_record_id",
        ]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["crawled_at"])
        assert "Lire aussi" not in record["body"] and "اقرأ أيضا" not in record["body"]


def test_demo_replica_has_what_the_issue_asks_for():
    """Both editions, a few outlets each, a ticker banner on every page, "read also"
    lines, a second listing page: checked on the shipped files themselves."""
    site = ROOT / "newsbot" / "demo" / "site"
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    gold = load_jsonl(DEMO_GOLD)
    assert {g["edition"] for g in gold} == {"ar", "fr"}
    for edition in ("ar", "fr"):
        assert 2 <= len({g["outlet_slug"] for g in gold if g["edition"] == edition}) <= 3
    pages = [e for e in manifest["entries"] if e["kind"] in ("article", "listing", "home")]
    for entry in pages:
        assert 'class="newsticker"' in (site / entry["file"]).read_text(encoding="utf-8"), entry["path"]
    bodies = "".join((site / e["file"]).read_text(encoding="utf-8") for e in pages if e["kind"] == "article")
    assert "Lire aussi" in bodies and "اقرأ أيضا" in bodies
    assert any("?page=2" in e["path"] for e in manifest["entries"])


def test_readme_states_the_demo_command_and_its_item_count():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    if "<!-- section:quickstart -->" in readme:
        pytest.skip("the README's quickstart section is not written yet")
    assert DEMO_COMMAND in readme
    assert re.search(rf"\b{DEMO_ITEMS}\b", readme), f"the README should say the demo yields {DEMO_ITEMS} items"


def test_demo_crawl_runs_no_remote_control(demo_run):
    """Scrapy 2.19's remote control (Python code over HTTP) is off in newsbot's crawls (issue 8)."""
    proc, _ = demo_run
    enabled = (proc.stdout + proc.stderr).split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "newsbot.extensions.seen.SeenArticlesExtension" in enabled
    assert "remote_control" not in enabled


def test_demo_crawl_freezes_what_lives_for_the_whole_crawl(demo_run):
    """newsbot.extensions.gc_freeze: the objects alive at the engine's start (modules, tables,
    components: hundreds of thousands) are kept out of the garbage collector's full passes."""
    proc, _ = demo_run
    frozen = re.search(r"'newsbot/gc/frozen': (\d+)", proc.stdout + proc.stderr)
    assert frozen and int(frozen.group(1)) > 100_000, (proc.stdout + proc.stderr)[-3000:]
