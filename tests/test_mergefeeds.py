"""``scrapy mergefeeds``: feeds of a killed run and of the next one become one record per
article; a last line cut by the kill is skipped and reported (shared case NB-19)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from newsbot.feeds import FeedReport, merge_feeds, read_feed
from tests.crawling import ROOT, shared


def mergefeeds(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newsbot.settings"}
    cmd = [sys.executable, "-m", "scrapy", "mergefeeds", *map(str, args)]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def _write(path: Path, records: list[dict], cut: str = "") -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + cut
    path.write_text(text, encoding="utf-8")
    return path


def test_shared_case_nb19_gives_two_records_and_reports_the_cut_line(tmp_path):
    feed = shared("cases", "NB-19.jsonl")
    done = mergefeeds(tmp_path / "out.jsonl", feed, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2 records, 1 bad line(s) skipped: [3]" in done.stdout
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["url"] for r in out] == ["https://www.example.ma/a/1", "https://www.example.ma/a/2"]


def test_killed_run_and_next_run_merge_to_one_record_per_article(tmp_path):
    articles = [{"url": f"https://www.maghress.com/fr/lematin/{n}", "title": f"Titre n° {n} — « été »"} for n in range(1, 6)]
    killed = _write(tmp_path / "killed.jsonl", articles[:3], cut='{"url": "https://www.maghress.com/fr/lematin/4", "tit')
    after = _write(tmp_path / "after.jsonl", articles)  # the next run writes everything again
    done = mergefeeds(tmp_path / "merged.jsonl", killed, after, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "killed.jsonl: 3 records, 1 bad line(s) skipped: [4]" in done.stdout
    merged = (tmp_path / "merged.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line) for line in merged.splitlines()] == articles
    assert "« été »" in merged  # utf-8 kept as text


def test_merge_by_article_id_and_records_without_the_key(tmp_path):
    a = _write(tmp_path / "a.jsonl", [{"article_id": "maghress:fr:x:1"}, {"note": "no key"}])
    b = _write(tmp_path / "b.jsonl", [{"article_id": "maghress:fr:x:1", "late": True}, {"article_id": "maghress:fr:x:2"}])
    written, reports = merge_feeds([a, b], tmp_path / "m.jsonl", key="article_id")
    assert written == 3 and [r.records for r in reports] == [2, 2]
    report = FeedReport(tmp_path / "m.jsonl")
    assert list(read_feed(tmp_path / "m.jsonl", report)) == [
        {"article_id": "maghress:fr:x:1"}, {"note": "no key"}, {"article_id": "maghress:fr:x:2"}
    ]
    assert report.bad_lines == []


def test_missing_feed_is_a_usage_error(tmp_path):
    done = mergefeeds(tmp_path / "out.jsonl", tmp_path / "nope.jsonl", cwd=tmp_path)
    assert done.returncode == 2 and "no such feed" in done.stderr


def test_the_output_may_be_one_of_the_inputs(tmp_path):
    one = _write(tmp_path / "one.jsonl", [{"url": "u1"}, {"url": "u2"}], cut='{"url": "u3", "ti')
    two = _write(tmp_path / "two.jsonl", [{"url": "u2", "late": True}, {"url": "u3"}])
    done = mergefeeds(one, one, two, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in one.read_text(encoding="utf-8").splitlines()]
    assert records == [{"url": "u1"}, {"url": "u2"}, {"url": "u3"}]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_an_unwritable_output_is_a_usage_error(tmp_path):
    feed = _write(tmp_path / "one.jsonl", [{"url": "u1"}])
    done = mergefeeds("/proc/newsbot/out.jsonl", feed, cwd=tmp_path)
    assert done.returncode == 2 and "cannot write /proc/newsbot/out.jsonl" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_output_keeps_the_mode_of_the_input(tmp_path):
    feed = _write(tmp_path / "feed.jsonl", [{"url": "u1"}])
    feed.chmod(0o644)
    done = mergefeeds(tmp_path / "out.jsonl", feed, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.jsonl").stat().st_mode & 0o777 == 0o644
    feed.chmod(0o640)
    merge_feeds([feed], tmp_path / "other.jsonl")
    assert (tmp_path / "other.jsonl").stat().st_mode & 0o777 == 0o640


def test_a_list_valued_key_is_compared_by_its_value(tmp_path):
    feed = _write(tmp_path / "feed.jsonl", [{"ids": ["a", "b"], "n": 1}, {"ids": ["a", "b"], "n": 2},
                                             {"ids": ["b", "a"], "n": 3}, {"ids": {"x": 1}, "n": 4}])
    done = mergefeeds(tmp_path / "out.jsonl", feed, "--key", "ids", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line)["n"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert out == [1, 3, 4]


def test_an_unknown_key_is_refused_and_the_output_left_alone(tmp_path):
    feed = _write(tmp_path / "feed.jsonl", [{"url": "u1", "title": "t"}, {"url": "u1", "title": "t"}])
    (tmp_path / "out.jsonl").write_text("before\n", encoding="utf-8")
    done = mergefeeds(tmp_path / "out.jsonl", feed, "--key", "urll", cwd=tmp_path)
    assert done.returncode == 2
    assert ("no record has the field 'urll' to merge on (fields found: url, title); give it with --key"
            " (url or article_id)") in done.stderr
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "before\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_invalid_utf8_is_kept_replaced_and_reported(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b'{"url": "u1", "title": "ok"}\n{"url": "u2", "title": "caf\xe9"}\n{"title": "sans url"}\n')
    done = mergefeeds(tmp_path / "out.jsonl", feed, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (f"{feed}: 3 records, 1 line(s) with invalid UTF-8 kept with U+FFFD: [2],"
            " 1 without url kept as they are") in done.stdout
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert out[1] == {"url": "u2", "title": "caf\ufffd"}
