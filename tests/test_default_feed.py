"""No ``-o``/``-O``: the feed goes to ``<NEWSBOT_DATA_DIR>/data/<spider>/<time>.jsonl``, even when
the directory's name holds a space or a ``%``."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.crawling import ROOT


def test_default_feed_lands_in_the_data_dir_whatever_its_name(tmp_path):
    data_dir = tmp_path / "mes données 100%"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "newsbot.settings"}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "maghress", "-a", "editions=fr",
           "-s", "NEWSBOT_MIRROR=demo", "-s", f"NEWSBOT_DATA_DIR={data_dir}"]
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    feeds = list((data_dir / "data" / "maghress").glob("*.jsonl"))
    assert len(feeds) == 1, sorted(str(p) for p in tmp_path.rglob("*"))
    assert len(feeds[0].read_text(encoding="utf-8").splitlines()) == 7  # the demo's French articles
    assert (data_dir / ".newsbot" / "demo-state.db").exists()
