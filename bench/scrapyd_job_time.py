"""Scrapyd job time vs a direct ``scrapy crawl`` of the same replica snapshot.

    python bench/scrapyd_job_time.py [--rounds 3] [--snapshot DIR] [--spider maghress]

Builds the egg (``scrapyd-deploy --build-egg``), starts a private Scrapyd on 127.0.0.1
(``tests/scrapyd_server.py``), deploys, then alternates, for each round, a direct crawl
(``python -m scrapy crawl SPIDER -O feed``, wall time of the process) and a Scrapyd job of
the same spider and settings (wall time from ``schedule.json`` to ``listjobs.json`` saying
finished, and the job's own start-to-end time as Scrapyd reports it). Each run gets a fresh
``NEWSBOT_DATA_DIR``, so none is incremental. Rendering is off unless ``--render``.
Default snapshot: ``../shared/sites/reference`` when present, else the tests' tiny
Maghreb snapshot. Prints medians and the ratios against the direct crawl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsbot.demo.replica import ReplicaServer  # noqa: E402
from tests.crawling import SHARED, run_crawl  # noqa: E402
from tests.maghreb_snapshot import write_snapshot  # noqa: E402
from tests.scrapyd_server import Scrapyd, build_egg  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--snapshot", type=Path)
    parser.add_argument("--spider", default="maghress")
    parser.add_argument("--render", action="store_true", help="keep rendering on (Chromium)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scrapyd-"))
    snapshot = args.snapshot or (SHARED / "sites" / "reference")
    if not (snapshot / "manifest.json").exists():
        snapshot = write_snapshot(work / "maghreb")
    settings = {} if args.render else {"NEWSBOT_RENDER_ENABLED": "False"}

    egg, project = build_egg(work / "egg")
    replica = ReplicaServer(snapshot).start()
    scrapyd = Scrapyd(work / "scrapyd").start()
    direct_times, job_walls, job_own, counts = [], [], [], set()
    try:
        scrapyd.deploy(project, egg, "bench")
        for n in range(args.rounds):
            began = time.monotonic()
            result = run_crawl(args.spider, work / f"direct{n}", mirror=replica.url, settings=settings)
            direct_times.append(time.monotonic() - began)
            assert result.returncode == 0, result.log[-2000:]
            params = [("setting", f"NEWSBOT_MIRROR={replica.url}"),
                      ("setting", f"NEWSBOT_DATA_DIR={work / f'job{n}'}"),
                      *(("setting", f"{k}={v}") for k, v in settings.items())]
            began = time.monotonic()
            job = scrapyd.schedule(args.spider, params)
            record = scrapyd.wait(job)
            job_walls.append(time.monotonic() - began)
            job_own.append((_time(record["end_time"]) - _time(record["start_time"])).total_seconds())
            items = [line for line in scrapyd.feed(args.spider, job).read_text(encoding="utf-8").splitlines() if line]
            counts.add((len(result.items), len(items)))
    finally:
        scrapyd.stop()
        replica.stop()
        shutil.rmtree(work, ignore_errors=True)

    direct, wall, own = (statistics.median(x) for x in (direct_times, job_walls, job_own))
    print(f"snapshot {snapshot}, spider {args.spider}, {args.rounds} rounds, items (direct, job): {sorted(counts)}")
    print(f"direct scrapy crawl (process wall time)     median {direct:6.2f} s  runs {_fmt(direct_times)}")
    print(f"Scrapyd job, schedule.json -> finished      median {wall:6.2f} s  runs {_fmt(job_walls)}"
          f"  ratio {wall / direct:.2f}x")
    print(f"Scrapyd job, its own start -> end           median {own:6.2f} s  runs {_fmt(job_own)}"
          f"  ratio {own / direct:.2f}x")


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _fmt(values: list[float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
