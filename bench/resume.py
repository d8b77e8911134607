"""Kill a ``JOBDIR`` crawl with SIGKILL at seeded random moments, resume it with the same
command each time, and count what the final feed lost or holds twice (issue 9, NB-17/NB-19).

    python bench/resume.py [--articles 2000] [--kills 5] [--seed 9] [--reference] [--workdir DIR]

The site is the generated maghress-like replica of :mod:`bench.replica_gen` (French edition,
``--articles`` articles), served by :class:`bench.replica_server.ServerProcess` on 127.0.0.1.
The command, run in ``DIR`` every time (a real ``scrapy crawl`` process)::

    scrapy crawl maghress -a editions=fr -s JOBDIR=job -o feed.jsonl -s NEWSBOT_MIRROR=http://127.0.0.1:PORT ...

The first kill comes when the server has answered a random 10-60 requests of the run (home
pages, feeds, the first listings and articles: the moment that lost whole crawls before),
the others when the feed has reached a random number of lines in successive windows of the
expected total (early to late). newsbot writes each line in one write, so a kill seldom cuts
one; after two of the kills (seeded) the first half of the feed's last line is appended
again, as a kill in the middle of writing a line leaves it (shared case NB-19). After the
last kill the same command runs to its end. It prints one line per run and the figures, last:
``kills=5 articles=1960 expected=1960 lost=0 duplicated=0 invalid_lines=0 ...``.

What is expected: every listed article of the edition, except that of a group of
near-duplicates (an article and the copies the generator made of it, 40 in 2,000) one
member at least is there (the dedupe pipeline keeps the first of a group it sees, which
depends on the order of the crawl, killed or not). ``lost`` counts articles outside groups
that are missing plus groups with no member; ``duplicated`` the records beyond the first of
an ``article_id`` or ``url``; ``invalid_lines`` the lines that are not a JSON object.
``--reference`` also runs one uninterrupted crawl of the same site (own directory and
state) and prints how the two sets of ``article_id`` differ (they can only differ inside
near-duplicate groups).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.replica_gen import Key, ReplicaSite  # noqa: E402
from bench.replica_server import ServerProcess  # noqa: E402

SEED = 9
EDITION = "fr"
FIRST_KILL_PAGES = (10, 60)
CUT_LINES = 2
POLL_S = 0.02


@dataclass
class Run:
    """One process of the job: how it ended and the feed at that moment."""

    ended: str  # "killed after 23 pages", "killed at 120+ lines", "exit 0"
    feed_lines: int
    cut_tail: bool  # the feed ended in the middle of a line (a line cut by the kill, or made so)
    seconds: float


@dataclass
class Outcome:
    """The final feed against what the site holds (see the module docstring)."""

    runs: list[Run] = field(default_factory=list)
    records: int = 0
    articles: int = 0
    expected: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: int = 0
    invalid_lines: int = 0
    unknown: list[str] = field(default_factory=list)
    exit_code: int | None = None
    ids: set[str] = field(default_factory=set)

    @property
    def kills(self) -> int:
        return sum(run.ended.startswith("killed") for run in self.runs)

    def figures(self) -> str:
        return (f"kills={self.kills} articles={self.articles} expected={self.expected} lost={len(self.lost)}"
                f" duplicated={self.duplicated} invalid_lines={self.invalid_lines} unknown={len(self.unknown)}"
                f" cut_lines={sum(r.cut_tail for r in self.runs if r.ended.startswith('killed'))}"
                f" final_exit={self.exit_code}")


def article_id(key: Key) -> str:
    return f"maghress:{key.edition}:{key.slug}:{key.number}"


def groups(site: ReplicaSite, edition: str = EDITION) -> list[set[str]]:
    """The edition's listed articles as ``article_id`` groups: a near-duplicate, its original
    and their other copies in one group, every other article alone."""
    parent: dict[str, str] = {}

    def root(a: str) -> str:
        while parent.setdefault(a, a) != a:
            a = parent[a]
        return a

    for key in site.keys(edition):
        root(article_id(key))
        original = site._original(key)  # noqa: SLF001 (the generator's own record of the copy)
        if original is not None:
            parent[root(article_id(key))] = root(article_id(original))
    found: dict[str, set[str]] = {}
    for a in parent:
        found.setdefault(root(a), set()).add(a)
    return list(found.values())


def command(server_url: str, workdir: Path, extra: list[str] | None = None) -> list[str]:
    """The job's command, the same for every run."""
    return [sys.executable, "-m", "scrapy", "crawl", "maghress", "-a", f"editions={EDITION}",
            "-s", "JOBDIR=job", "-o", "feed.jsonl", "-s", f"NEWSBOT_MIRROR={server_url}",
            "-s", f"NEWSBOT_DATA_DIR={workdir}", "-s", "AUTOTHROTTLE_START_DELAY=0", *(extra or [])]


def environment() -> dict[str, str]:
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}


class FeedWatch:
    """Counts the lines of a growing feed, reading only what was added."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.lines = 0

    def poll(self) -> int:
        try:
            with self.path.open("rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return self.lines
        self.offset += len(data)
        self.lines += data.count(b"\n")
        return self.lines

    def reset(self) -> None:  # the next run may have cut a line off: count again
        self.offset = self.lines = 0


def cut_tail(path: Path) -> bool:
    if not path.exists() or not path.stat().st_size:
        return False
    with path.open("rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) != b"\n"


def served(server_url: str) -> int:
    """Requests the replica server has answered so far (this one included)."""
    with urllib.request.urlopen(f"{server_url}/__bench__/count", timeout=10) as reply:
        return int(json.loads(reply.read())["served"])


def cut_last_line(path: Path) -> None:
    """Append the first half of the feed's last line, without newline: a line cut by a kill."""
    lines = path.read_bytes().splitlines()
    if lines:
        with path.open("ab") as f:
            f.write(lines[-1][: len(lines[-1]) // 2])


def kill_plan(rng: random.Random, kills: int, expected: int) -> list[tuple[str, int]]:
    """``("pages", n)`` for the first kill, then ``("lines", n)`` in successive windows."""
    plan: list[tuple[str, int]] = [("pages", rng.randint(*FIRST_KILL_PAGES))]
    windows = kills - 1
    for i in range(windows):
        low, high = 0.02 + 0.95 * i / windows, 0.02 + 0.95 * (i + 1) / windows
        plan.append(("lines", int(expected * rng.uniform(low, high - 0.02))))
    return plan[:kills]


def run_job(server_url: str, workdir: Path, expected: int, kills: int = 5, seed: int = SEED,
            timeout: float = 300, log=print) -> tuple[list[Run], int]:
    """Run the job, killing it as :func:`kill_plan` says, then to its end: (runs, exit code)."""
    rng = random.Random(seed)
    plan = kill_plan(rng, kills, expected)
    cut_after = set(rng.sample(range(1, len(plan)), min(CUT_LINES, len(plan) - 1)))
    feed = workdir / "feed.jsonl"
    watch = FeedWatch(feed)
    runs: list[Run] = []
    cmd = command(server_url, workdir)
    deadline = time.monotonic() + timeout
    for number, (kind, value) in enumerate(plan):
        watch.reset()
        started = time.monotonic()
        pages_before, polls = served(server_url), 0
        with (workdir / f"run{len(runs) + 1}.log").open("w") as out:
            proc = subprocess.Popen(cmd, cwd=workdir, env=environment(), stdout=out, stderr=subprocess.STDOUT)
            while proc.poll() is None and time.monotonic() < deadline:
                if kind == "pages":
                    polls += 1  # the count answers count themselves
                    if served(server_url) - pages_before - polls >= value:
                        break
                if kind == "lines" and watch.poll() >= value:
                    break
                time.sleep(POLL_S)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                how = f"killed after {value}+ pages" if kind == "pages" else f"killed at {value}+ lines"
                if number in cut_after and feed.exists() and not cut_tail(feed):
                    cut_last_line(feed)
            else:
                how = f"exit {proc.returncode} before its kill"
        watch.reset()
        runs.append(Run(how, watch.poll(), cut_tail(feed), time.monotonic() - started))
        log(f"run {len(runs)}: {how}; feed {runs[-1].feed_lines} lines{', last one cut' if runs[-1].cut_tail else ''}"
            f" ({runs[-1].seconds:.1f} s)")
    started = time.monotonic()
    with (workdir / "final.log").open("w") as out:
        done = subprocess.run(cmd, cwd=workdir, env=environment(), stdout=out, stderr=subprocess.STDOUT,
                              timeout=max(deadline - time.monotonic(), 30))
    watch.reset()
    runs.append(Run(f"exit {done.returncode}", watch.poll(), cut_tail(feed), time.monotonic() - started))
    log(f"run {len(runs)}: to the end, exit {done.returncode}; feed {runs[-1].feed_lines} lines"
        f" ({runs[-1].seconds:.1f} s)")
    return runs, done.returncode


def judge(feed: Path, article_groups: list[set[str]]) -> Outcome:
    """Count the final feed against the groups (see the module docstring)."""
    outcome = Outcome(expected=len(article_groups))
    seen_ids: set[str] = set()
    seen_urls: set[str] = set()
    for line in feed.read_bytes().split(b"\n") if feed.exists() else []:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            outcome.invalid_lines += 1
            continue
        outcome.records += 1
        aid, url = record.get("article_id"), record.get("url")
        if aid in seen_ids or url in seen_urls:
            outcome.duplicated += 1
        seen_ids.add(aid)
        seen_urls.add(url)
    known = set().union(*article_groups) if article_groups else set()
    outcome.ids = seen_ids
    outcome.articles = len(seen_ids)
    outcome.unknown = sorted(str(a) for a in seen_ids - known)
    outcome.lost = sorted(min(group) for group in article_groups if not group & seen_ids)
    return outcome


def resume_outcome(server_url: str, workdir: Path, site: ReplicaSite, kills: int = 5, seed: int = SEED,
                   log=print) -> Outcome:
    """The whole experiment in ``workdir`` (empty): the job killed and resumed, then judged."""
    article_groups = groups(site)
    runs, code = run_job(server_url, workdir, len(article_groups), kills=kills, seed=seed, log=log)
    outcome = judge(workdir / "feed.jsonl", article_groups)
    outcome.runs, outcome.exit_code = runs, code
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--reference", action="store_true", help="also run one uninterrupted crawl and compare")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a new temporary directory")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newsbot-resume-"))
    site = ReplicaSite(articles=args.articles)
    with ServerProcess(articles=args.articles) as server:
        job = workdir / "job"
        job.mkdir(parents=True, exist_ok=True)
        outcome = resume_outcome(server.url, job, site, kills=args.kills, seed=args.seed)
        print(f"workdir: {workdir}")
        if args.reference:
            ref_dir = workdir / "reference"
            ref_dir.mkdir(exist_ok=True)
            subprocess.run(command(server.url, ref_dir), cwd=ref_dir, env=environment(), check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            reference = judge(ref_dir / "feed.jsonl", groups(site))
            only_killed, only_ref = outcome.ids - reference.ids, reference.ids - outcome.ids
            alone = {a for group in groups(site) if len(group) == 1 for a in group}
            print(f"uninterrupted crawl: {reference.articles} articles, lost={len(reference.lost)};"
                  f" only in the killed job: {len(only_killed)} {sorted(only_killed)[:6]},"
                  f" only in the uninterrupted crawl: {len(only_ref)} {sorted(only_ref)[:6]};"
                  f" of them outside near-duplicate groups: {len((only_killed | only_ref) & alone)}")
        if outcome.lost:
            print(f"lost: {outcome.lost[:20]}")
        print(outcome.figures())


if __name__ == "__main__":
    main()
