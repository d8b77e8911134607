"""The audit trail (issue 10): ``-s NEWSBOT_ARCHIVE=DIR`` keeps the pages behind the records as
WARC files, and ``scrapy reextract DIR -O FEED`` rebuilds the same records from them, offline.

End to end: real ``scrapy crawl`` runs against replica servers on 127.0.0.1 (the demo site, the
bad-input corpus: compressed bodies, charsets, redirects, script redirects), then ``scrapy
reextract`` on the archive they left, the two feeds compared field by field.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from newsbot.archive.reader import ArchiveError, load_response, scan_archive
from newsbot.archive.replay import NotArchived, ReplayDownloadHandler
from tests.bad_inputs.cases import SETTINGS as CORPUS_SETTINGS
from tests.bad_inputs.cases import build, corpus
from tests.cases_snapshot import MONITOR_SETTINGS, crawl_cases
from tests.crawling import ROOT, TEST_CRAWL_SETTINGS, CrawlResult, crawl_snapshot, run_crawl

DEMO = ROOT / "newsbot" / "demo" / "site"
RECORD_ID = r"^<urn:uuid:[0-9a-f-]{36}>$"


def reextract(archive: Path, workdir: Path, *options: str, settings: dict[str, Any] | None = None,
              feed: str = "reextracted.jsonl") -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """``scrapy reextract ARCHIVE -O FEED`` in ``workdir``: the process and the feed's records."""
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / feed
    cmd = [sys.executable, "-m", "scrapy", "reextract", str(archive), "-O", str(out), *options,
           "-s", f"NEWSBOT_DATA_DIR={workdir}"]
    for key, value in {**TEST_CRAWL_SETTINGS, **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=180)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return proc, records


def warc_records(directory: Path) -> dict[Path, list[Any]]:
    """Every record of every WARC file of ``directory``, read with warcio's ArchiveIterator:
    ``{file: [(type, headers, the HTTP message's first line or None)]}``."""
    found = {}
    for file in sorted(directory.glob("*.warc.gz")):
        with file.open("rb") as stream:
            found[file] = [(r.rec_type, dict(r.rec_headers.headers), _first_line(r.http_headers)) for r in ArchiveIterator(stream)]
    return found


def _first_line(headers: Any) -> str | None:
    """``HTTP/1.1 200 OK`` or ``GET /path HTTP/1.1`` (warcio keeps the method as the protocol)."""
    return f"{headers.protocol} {headers.statusline}" if headers is not None else None


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory) -> tuple[CrawlResult, Path, subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """A crawl of the demo replica with NEWSBOT_ARCHIVE (small files, so that they rotate), then
    ``scrapy reextract`` of its archive directory."""
    workdir = tmp_path_factory.mktemp("demo-archive")
    archive = workdir / "archive"
    crawl = crawl_snapshot("maghress", DEMO, workdir / "crawl",
                           settings={"NEWSBOT_ARCHIVE": str(archive), "NEWSBOT_ARCHIVE_MAX_SIZE": 15000})
    proc, records = reextract(archive, workdir / "reextract")
    return crawl, archive, proc, records


def test_reextract_gives_the_same_records_as_the_crawl(demo_archive):
    crawl, _, proc, records = demo_archive
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert len(crawl.items) == 13
    # every field equal, crawled_at and warc_record_id included, in the feed's field order
    assert sorted(records, key=lambda r: r["url"]) == sorted(crawl.items, key=lambda r: r["url"])
    assert [list(r) for r in records] == [list(crawl.items[0])] * len(records)
    log = proc.stdout + proc.stderr
    assert "Traceback" not in log and "] WARNING:" not in log and "] ERROR:" not in log, log[-3000:]
    assert "Re-extracting 13 archived article pages of maghress" in log


def test_each_record_names_its_pages_response_record(demo_archive):
    crawl, archive, _, _ = demo_archive
    responses = {r.record_id: r for r in scan_archive(archive).responses}
    for item in crawl.items:
        assert item["warc_record_id"] is not None
        response = responses[item["warc_record_id"]]
        assert (response.url, response.status, response.date) == (item["url"], 200, item["crawled_at"])
    assert crawl.stat("newsbot/archive/responses") == 13
    assert crawl.stat("newsbot/archive/files") == len(list(archive.glob("*.warc.gz"))) > 1


def test_the_archive_reads_with_warcio_as_request_response_pairs(demo_archive):
    crawl, archive, _, _ = demo_archive
    files = warc_records(archive)
    assert len(files) > 1  # NEWSBOT_ARCHIVE_MAX_SIZE rotated them
    pairs = 0
    for file, records in files.items():
        assert file.name.startswith("maghress-") and file.name.endswith(".warc.gz")
        kinds = [kind for kind, _, _ in records]
        assert kinds[0] == "warcinfo" and "warcinfo" not in kinds[1:]
        assert kinds[1:] == ["response", "request"] * (len(kinds[1:]) // 2)
        for (_, response, status), (_, request, request_line) in zip(records[1::2], records[2::2], strict=True):
            assert request["WARC-Concurrent-To"] == response["WARC-Record-ID"]
            assert request["WARC-Target-URI"] == response["WARC-Target-URI"]
            assert request["WARC-Date"] == response["WARC-Date"]
            path = response["WARC-Target-URI"].removeprefix("https://www.maghress.com")
            assert (status, request_line) == ("HTTP/1.1 200 OK", f"GET {path} HTTP/1.1")
            pairs += 1
    assert pairs == len(crawl.items)  # article pages only: no listing, feed, home page or robots.txt


def test_archiving_off_leaves_warc_record_id_null(tmp_path):
    crawl = crawl_snapshot("maghress", DEMO, tmp_path)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert len(crawl.items) == 13
    assert {item["warc_record_id"] for item in crawl.items} == {None}
    assert not crawl.stat("newsbot/archive/responses") and not list(tmp_path.rglob("*.warc*"))


def test_the_bad_input_corpus_round_trips(tmp_path):
    """Compressed bodies (gzip, deflate, br, zstd), charsets repaired, HTTP and script
    redirects, retried pages: the archive keeps the bodies as sent and the headers as received,
    so the same middlewares read them the same way again."""
    cases, _ = corpus()
    snapshot = build(tmp_path / "snapshot", cases)
    archive = tmp_path / "archive"
    crawl = crawl_snapshot("maghress", snapshot, tmp_path / "crawl", settings={**CORPUS_SETTINGS, "NEWSBOT_ARCHIVE": str(archive)},
                           timeout=120)
    assert crawl.returncode == 0, crawl.log[-3000:]
    proc, records = reextract(archive, tmp_path / "reextract", settings=CORPUS_SETTINGS)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert len(crawl.items) == 48
    assert sorted(records, key=lambda r: r["url"]) == sorted(crawl.items, key=lambda r: r["url"])
    archived = {r.url for r in scan_archive(archive).responses}
    assert any("Content-Encoding" in dict(load_response(r).headers) for r in scan_archive(archive).responses)
    assert not any(url.endswith(("/rss", "/robots.txt")) or url.rstrip("/").endswith(".com") for url in archived)


def test_teasers_followed_to_their_source_round_trip(tmp_path):
    """The cases snapshot's teasers: an outlet page that gives the article (after a 301), one
    that answers 404, a home page, another article, one robots.txt forbids. Every response the
    spider got on the way to a record is archived (the outlet's 301, 200 and 404 included), so
    the outlet's body, and every teaser kept, come out again; the page robots.txt forbade was
    never fetched, is not in the archive, and its teaser stays a teaser all the same."""
    archive = tmp_path / "archive"
    crawl, _ = crawl_cases("maghress", tmp_path / "crawl", settings={"NEWSBOT_ARCHIVE": str(archive)})
    assert crawl.returncode == 0, crawl.log[-3000:]
    proc, records = reextract(archive, tmp_path / "reextract", settings=MONITOR_SETTINGS)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert sorted(records, key=lambda r: r["url"]) == sorted(crawl.items, key=lambda r: r["url"])
    sources = Counter(item["body_source"] for item in crawl.items)
    assert sources["outlet"] >= 1 and sources["aggregator_teaser"] >= 3
    outlet_answers = {(r.url.split("/")[2], r.status) for r in scan_archive(archive).responses if "maghress" not in r.url}
    assert {200, 301, 404} <= {status for _, status in outlet_answers}
    teaser_ids = {item["warc_record_id"] for item in crawl.items if item["body_source"] != "aggregator"}
    pages = {r.record_id: r.url for r in scan_archive(archive).responses}
    assert all(pages[record_id].startswith("https://www.maghress.com/") for record_id in teaser_ids)  # the aggregator's page
    assert log.count(": not_archived (") == crawl.stat("newsbot/source/robots") >= 1


def test_an_archive_cut_by_a_kill_reads_up_to_its_last_whole_record(demo_archive, tmp_path):
    _, archive, _, _ = demo_archive
    file = sorted(archive.glob("*.warc.gz"))[0]
    data = file.read_bytes()
    whole = scan_archive(file).responses
    for cut in range(0, len(data), 61):
        (tmp_path / "cut.warc.gz").write_bytes(data[:cut])
        scan = scan_archive(tmp_path / "cut.warc.gz")
        ids = [r.record_id for r in scan.responses]
        assert ids == [r.record_id for r in whole[:len(ids)]]
        for response in scan.responses:
            assert load_response(response).body  # every record listed reads whole
        left = cut - _end_of_whole_records(data[:cut])  # bytes of a record the cut left half-written
        assert scan.cut_files == ({tmp_path / "cut.warc.gz": left} if left else {})


def _end_of_whole_records(data: bytes) -> int:
    """Where the last whole gzip member of ``data`` ends."""
    end = 0
    while end < len(data):
        inflater = zlib.decompressobj(wbits=31)
        inflater.decompress(data[end:])
        if not inflater.eof:
            break
        end = len(data) - len(inflater.unused_data)
    return end


def test_reextract_of_a_cut_archive_warns_and_rebuilds_the_whole_pages(demo_archive, tmp_path):
    _, archive, _, _ = demo_archive
    first = sorted(archive.glob("*.warc.gz"))[0]
    data = first.read_bytes()
    whole = scan_archive(first).responses
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / first.name).write_bytes(data[:whole[-1].offset + 40])  # the last response cut
    proc, records = reextract(tmp_path / "in", tmp_path, settings={"NEWSBOT_MONITOR_MIN_PAGES": 100})
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert f"{first.name} ends inside a record" in log
    assert sorted(r["url"] for r in records) == sorted(r.url for r in whole[:-1])


@pytest.mark.parametrize(("make", "says"), [
    (lambda p: p / "missing", "no such file or directory"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "no WARC file (*.warc.gz, *.warc) in this directory"),
    (lambda p: (p / "x.warc.gz").write_bytes(b"not a warc at all") and p / "x.warc.gz", "not a WARC file"),
])
def test_an_unreadable_archive_is_a_usage_error(tmp_path, make, says):
    archive = make(tmp_path)
    proc, records = reextract(archive, tmp_path / "out")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert f"cannot re-extract: {archive}: " in proc.stderr and says in proc.stderr
    assert "Traceback" not in proc.stderr and records == []


def test_a_request_the_archive_does_not_hold_fails_with_its_reason(demo_archive):
    _, archive, _, _ = demo_archive
    crawler = get_crawler(settings_dict={"NEWSBOT_REPLAY": str(archive)})
    handler = ReplayDownloadHandler(crawler)
    known = scan_archive(archive).responses[0]
    request = Request(known.url)
    response = asyncio.run(handler.download_request(request))
    assert (response.status, request.meta["newsbot_warc_record_id"]) == (200, known.record_id)
    assert b"articletitle" in response.body
    with pytest.raises(NotArchived, match="not_archived: https://www.example-outlet.ma/a/1"):
        asyncio.run(handler.download_request(Request("https://www.example-outlet.ma/a/1")))


def test_a_killed_crawl_leaves_every_record_of_its_feed_in_the_archive(tmp_path):
    """SIGKILL while the crawl writes: the archive reads without error, and every record the
    appended feed holds names a response record the archive holds (pages are archived, then
    synced at each state checkpoint, before their records are written and recorded)."""
    from bench.replica_server import ServerProcess

    archive = tmp_path / "archive"
    with ServerProcess(articles=400) as server:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "maghress", "-a", "editions=fr", "-o", "feed.jsonl",
               "-s", f"NEWSBOT_MIRROR={server.url}", "-s", f"NEWSBOT_DATA_DIR={tmp_path}",
               "-s", "AUTOTHROTTLE_START_DELAY=0", "-s", f"NEWSBOT_ARCHIVE={archive}"]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}
        with (tmp_path / "crawl.log").open("w") as log:
            proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
            feed = tmp_path / "feed.jsonl"
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                if feed.exists() and feed.read_bytes().count(b"\n") >= 60:
                    break
                time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, (tmp_path / "crawl.log").read_text()[-3000:]
    scan = scan_archive(archive)
    held = {r.record_id: r.url for r in scan.responses}
    lines = feed.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines[:-1]]  # the last line may be cut by the kill
    assert len(records) >= 59
    assert [r["url"] for r in records if held.get(r["warc_record_id"]) != r["url"]] == []


def test_a_bad_archive_setting_stops_the_crawl_with_what_to_write(tmp_path):
    (tmp_path / "file").write_text("x")
    crawl = run_crawl("maghress", tmp_path, mirror="demo", settings={"NEWSBOT_ARCHIVE": str(tmp_path / "file")})
    assert crawl.returncode == 1 and crawl.items == []
    assert f"NEWSBOT_ARCHIVE='{tmp_path / 'file'}' cannot hold the WARC files ({tmp_path / 'file'} is a file)" in crawl.log


def test_archive_errors_name_the_path(tmp_path):
    with pytest.raises(ArchiveError, match="no such file or directory"):
        scan_archive(tmp_path / "nope.warc.gz")
