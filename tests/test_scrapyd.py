"""newsbot under a real Scrapyd (issue 4, section 1), end to end.

One Scrapyd (the pip package, a subprocess from the venv) on a free port of 127.0.0.1 with
a temporary scrapyd.conf (basic auth, items/logs/eggs/dbs in tmp) serves the whole module.
The egg is built with ``scrapyd-deploy --build-egg`` from a copy of the checkout and
uploaded with ``scrapyd-deploy`` through a ``[deploy:...]`` target whose credentials come
from the environment. Jobs are scheduled through ``schedule.json`` against replica servers
(``NEWSBOT_MIRROR``) and polled with ``listjobs.json``; their feeds are read where Scrapyd's
``items_dir`` says. Scrapyd is stopped at the end and no job process is left.
"""

from __future__ import annotations

import doctest
import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsbot.items import PUBLIC_FIELDS
from newsbot.demo.replica import ReplicaServer
from newsbot.sites import SITES
from tests.crawling import ROOT, TEST_CRAWL_SETTINGS, run_crawl, shared
from tests.gold import load_jsonl
from tests.maghreb_snapshot import EXPECTED, write_snapshot
from tests.maghreb_snapshot import GENERATOR as STAND_IN
from tests.redis_server import missing_reason
from tests.scrapyd_server import BIN, Scrapyd, build_egg, free_port

pytestmark = pytest.mark.scrapyd

VERSION = "r1"
GUARD = ROOT / "scripts" / "schedule_if_idle.py"
DEMO_MANIFEST = Path("newsbot", "demo", "site", "manifest.json")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The egg, built from a copy of the checkout. Until the demo replica is generated in
    ``newsbot/demo/site``, the copy gets the tests' Maghreb snapshot there instead, so that
    reading package data from the zipped egg is tested on every clone."""
    if not (BIN / "scrapyd").exists() or not (BIN / "scrapyd-deploy").exists():
        pytest.skip(f"scrapyd / scrapyd-deploy not installed in {BIN} (pip install -r requirements.txt)")

    def prepare(project: Path) -> None:
        if not (project / DEMO_MANIFEST).exists():
            write_snapshot(project / DEMO_MANIFEST.parent)

    return build_egg(tmp_path_factory.mktemp("egg"), prepare)


@pytest.fixture(scope="module")
def scrapyd(built, tmp_path_factory) -> Iterator[Scrapyd]:
    egg, project = built
    server = Scrapyd(tmp_path_factory.mktemp("scrapyd")).start()
    try:
        server.deploy(project, egg, VERSION)
        yield server
    finally:
        server.stop()
    assert server.process.poll() is not None


@pytest.fixture(scope="module")
def maghreb(tmp_path_factory) -> Iterator[ReplicaServer]:
    server = ReplicaServer(write_snapshot(tmp_path_factory.mktemp("maghreb"))).start()
    yield server
    server.stop()


def job_settings(tmp: Path, mirror: str) -> list[tuple[str, str]]:
    return [
        *(("setting", f"{key}={value}") for key, value in TEST_CRAWL_SETTINGS.items()),  # as direct test crawls
        ("setting", f"NEWSBOT_MIRROR={mirror}"),
        ("setting", f"NEWSBOT_DATA_DIR={tmp / 'data'}"),
        ("setting", f"NEWSBOT_STATS_FILE={tmp / 'stats.json'}"),
    ]


def read_feed(path: Path) -> list[dict[str, Any]]:
    raw = path.read_bytes()
    assert b"\\u0" not in raw, "the feed escapes non-ASCII text: FEED_EXPORT_ENCODING is not utf-8"
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    for record in records:
        assert list(record) == list(PUBLIC_FIELDS)  # every public field, in order, nothing else
    return records


def without_time(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({k: v for k, v in r.items() if k != "crawled_at"} for r in records), key=lambda r: r["url"])


# --- packaging ---------------------------------------------------------------------------


def test_egg_holds_every_module_and_data_file(built):
    egg, project = built
    packed = set(zipfile.ZipFile(egg).namelist())
    source = {
        path.relative_to(project).as_posix()
        for path in (project / "newsbot").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith((".pyc", ".pyo"))
    }
    assert source - packed == set()
    assert {name for name in packed if not name.startswith(("newsbot/", "EGG-INFO/"))} == set()  # no tests, scripts
    assert {f"newsbot/sites/{name}.py" for name in SITES} <= packed
    demo = {p for p in source if p.startswith("newsbot/demo/site/")}
    assert demo and demo <= packed  # the demo replica (or the tests' stand-in): manifest.json and files/
    entry_points = zipfile.ZipFile(egg).read("EGG-INFO/entry_points.txt").decode()
    assert "settings = newsbot.settings" in entry_points


def test_deploy_uploads_every_spider(scrapyd):
    assert scrapyd.deployed["status"] == "ok"
    assert scrapyd.deployed["spiders"] == len(SITES)
    status, answer = scrapyd.api("listspiders.json?project=newsbot")
    assert status == 200 and answer["spiders"] == sorted(SITES)
    assert scrapyd.api("listversions.json?project=newsbot")[1]["versions"] == [VERSION]


def test_requests_without_the_right_credentials_are_refused(scrapyd):
    assert scrapyd.api("daemonstatus.json", auth=None)[0] == 401
    assert scrapyd.api("daemonstatus.json", auth=(scrapyd.username, "wrong"))[0] == 401
    assert scrapyd.api("listjobs.json", auth=None)[0] == 401
    status, _ = scrapyd.api("schedule.json", {"project": "newsbot", "spider": "maghress"}, auth=None)
    assert status == 401
    jobs = scrapyd.api("listjobs.json?project=newsbot")[1]
    assert jobs["pending"] == [] and jobs["running"] == []  # nothing was scheduled
    assert scrapyd.api("daemonstatus.json")[0] == 200


# --- jobs ----------------------------------------------------------------------------------


def test_job_writes_the_expected_items_to_scrapyds_feed(scrapyd, maghreb, tmp_path):
    """Spider arguments and settings through schedule.json; the egg's code parses Maghreb
    month names (NB-25: "20 جويلية 2021" is 2021-07-20 under Scrapyd, from the zipped egg)."""
    job = scrapyd.schedule("maghress", [*job_settings(tmp_path, maghreb.url), ("editions", "ar")])
    record = scrapyd.wait(job)
    log = scrapyd.log("maghress", job)
    assert record["items_url"] == f"/items/newsbot/maghress/{job}.jl"
    assert without_time(read_feed(scrapyd.feed("maghress", job))) == without_time(EXPECTED), log[-3000:]
    stats = json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "finished"
    assert stats.get("log_count/ERROR", 0) == 0, log[-3000:]
    assert "Deprecat" not in log
    # It ran the deployed egg, a zip file, not a checkout.
    egg = scrapyd.workdir / "eggs" / "newsbot" / f"{VERSION}.egg"
    assert zipfile.is_zipfile(egg) and f"newsbot from {egg}/newsbot" in log
    assert f"items go to file://{scrapyd.feed('maghress', job)}" in log
    # -a editions=ar reached the spider: the French edition was never asked for.
    assert not any(" /fr/" in key for key in maghreb.hits())


def test_job_without_a_data_dir_keeps_its_state_in_the_scrapyd_users_data_directory(scrapyd, maghreb):
    """A stock job (no NEWSBOT_DATA_DIR anywhere) runs: its state goes to the per-user data
    directory of the user Scrapyd runs as (platformdirs, under Scrapyd's HOME here)."""
    job = scrapyd.schedule("maghress", [("setting", f"NEWSBOT_MIRROR={maghreb.url}"), ("editions", "ar")])
    scrapyd.wait(job)
    log = scrapyd.log("maghress", job)
    data = scrapyd.workdir / "home" / ".local" / "share" / "newsbot"
    assert without_time(read_feed(scrapyd.feed("maghress", job))) == without_time(EXPECTED), log[-3000:]
    assert f"data in {data}\n" in log
    assert (data / ".newsbot" / "mirror-state.db").is_file()
    assert "] ERROR:" not in log
    # nothing was written relative to Scrapyd's working directory (default feed, state)
    assert not (scrapyd.workdir / "data").exists() and not (scrapyd.workdir / ".newsbot").exists()


def test_job_with_a_relative_data_dir_stops_before_crawling(scrapyd, maghreb):
    job = scrapyd.schedule("maghress", [("setting", f"NEWSBOT_MIRROR={maghreb.url}"), ("editions", "ar"),
                                        ("setting", "NEWSBOT_DATA_DIR=newsbot-data")])
    scrapyd.wait(job)
    log = scrapyd.log("maghress", job)
    assert "NEWSBOT_DATA_DIR='newsbot-data' would be relative to Scrapyd's working directory" in log
    assert "-d setting=NEWSBOT_DATA_DIR=/var/lib/newsbot" in log
    assert "Spider opened" not in log
    assert not scrapyd.feed("maghress", job).exists()
    assert not (scrapyd.workdir / "newsbot-data").exists()


def test_reference_replica_under_scrapyd_gives_the_gold_and_a_direct_crawls_items(scrapyd, tmp_path):
    snapshot = shared("sites", "reference")
    server = ReplicaServer(snapshot).start()
    # Rendering (section 2, tested on its own) stays off: the JavaScript-only articles are
    # then absent, and no browser runs on this shared machine.
    no_render = ("setting", "NEWSBOT_RENDER_ENABLED=False")
    try:
        job = scrapyd.schedule("maghress", [*job_settings(tmp_path / "job", server.url), no_render])
        # the direct crawl runs while Scrapyd runs the job (each on its own state)
        direct = run_crawl("maghress", tmp_path / "direct", mirror=server.url,
                           settings={"NEWSBOT_RENDER_ENABLED": False})
        scrapyd.wait(job)
    finally:
        server.stop()
    items = read_feed(scrapyd.feed("maghress", job))
    assert direct.returncode == 0, direct.log[-3000:]
    # The gold: every article reachable without JavaScript; of a duplicates group one page
    # (both when no dedupe pipeline runs; which one depends on crawl order); nothing else.
    group_of: dict[str, str] = {}
    for gold in load_jsonl(snapshot / "gold" / "articles.jsonl"):
        if gold["site"] == "maghress" and not gold.get("needs_js"):
            for url in (gold["url"], *gold.get("duplicates", [])):
                group_of[url] = gold["url"]
    for reject in load_jsonl(snapshot / "gold" / "rejects.jsonl"):
        if reject["reason"] in ("duplicate_of", "near_duplicate"):
            group_of.setdefault(reject["url"], group_of.get(reject["duplicate_of"], reject["url"]))
    urls = [item["url"] for item in items]
    assert len(urls) == len(set(urls))
    assert set(urls) <= set(group_of), set(urls) - set(group_of)
    assert {group_of[url] for url in urls} == set(group_of.values())
    # The same as a direct crawl, up to the page kept of a duplicates group.
    assert Counter(group_of[url] for url in urls) == Counter(group_of.get(i["url"], i["url"]) for i in direct.items)
    direct_by_url = {i["url"]: i for i in without_time(direct.items)}
    for item in without_time(items):
        if item["url"] in direct_by_url:
            assert item == direct_by_url[item["url"]]
    # the teaser followed to its outlet page inside the job, as in the direct crawl
    teasers = [item for item in items if item["body_source"] != "aggregator"]
    assert [(t["url"], t["body_source"]) for t in teasers] == [("https://www.maghress.com/fr/lobservateur/1076688", "outlet")]
    assert not teasers[0]["body"].endswith("(...)")


def test_demo_replica_is_read_from_the_zipped_egg(scrapyd, built, tmp_path):
    """``NEWSBOT_MIRROR=demo`` inside a Scrapyd job: the demo snapshot is package data read
    with importlib.resources from the egg (NB-25's "Not a directory" otherwise)."""
    manifest = json.loads((built[1] / DEMO_MANIFEST).read_text(encoding="utf-8"))
    generated = manifest.get("generator") != STAND_IN
    job = scrapyd.schedule("maghress", job_settings(tmp_path / "job", "demo"))
    # the direct crawl runs while Scrapyd runs the job (each on its own state)
    direct = run_crawl("maghress", tmp_path / "direct", mirror="demo") if generated else None
    scrapyd.wait(job)
    log = scrapyd.log("maghress", job)
    items = read_feed(scrapyd.feed("maghress", job))
    assert "NEWSBOT_MIRROR=demo: serving the demo replica" in log
    if generated:  # the real demo replica: the job gives what a direct crawl of it gives
        assert direct.returncode == 0 and direct.items, direct.log[-3000:]
        assert without_time(items) == without_time(direct.items), log[-3000:]
    else:  # the stand-in (see the ``built`` fixture)
        assert without_time(items) == without_time(EXPECTED), log[-3000:]
    stats = json.loads((tmp_path / "job" / "stats.json").read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "finished" and stats.get("log_count/ERROR", 0) == 0, log[-3000:]
    stats = json.loads((tmp_path / "job" / "stats.json").read_text(encoding="utf-8"))
    assert stats["finish_reason"] == "finished" and stats.get("log_count/ERROR", 0) == 0, log[-3000:]


# --- secrets --------------------------------------------------------------------------------
EXAMPLE_CONF = ROOT / "deploy" / "scrapyd.conf.example"


def run_example_conf(tmp: Path, conf: str) -> tuple[subprocess.Popen, Path, int]:
    """Scrapyd started in ``tmp`` with ``conf`` (the example, its directories and port moved to
    ``tmp`` and a free port), no credentials in its environment."""
    port = free_port()
    conf = conf.replace("/var/lib/scrapyd", str(tmp)).replace("http_port    = 6800", f"http_port    = {port}")
    (tmp / "scrapyd.conf").write_text(conf, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPYD_") and k != "PYTHONPATH"}
    env["HOME"] = str(tmp)
    out = tmp / "scrapyd.out"
    with out.open("wb") as sink:
        process = subprocess.Popen([str(BIN / "scrapyd")], cwd=tmp, env=env, stdout=sink, stderr=subprocess.STDOUT)
    return process, out, port


def test_the_example_scrapyd_conf_as_copied_does_not_start_scrapyd(tmp_path):
    """``deploy/scrapyd.conf.example`` copied as it is: Scrapyd refuses to start (no
    unauthenticated Scrapyd); with the README's two lines filled in it starts and wants them."""
    text = EXAMPLE_CONF.read_text(encoding="utf-8")
    process, out, port = run_example_conf(tmp_path, text)
    try:
        assert process.wait(60) == 1
    finally:
        process.kill()
    log = out.read_text(encoding="utf-8")
    assert "Failed to load application: Bad value substitution: option 'username'" in log
    assert "interpolation key 'set_a_username'" in log and "web console available" not in log

    filled = tmp_path / "filled"
    filled.mkdir()
    # what README step 1 does with sed
    text = re.sub(r"(?m)^username *=.*", "username = newsbot", text)
    text = re.sub(r"(?m)^password *=.*", "password = Xk3-long-random", text)
    server = Scrapyd(filled, password="Xk3-long-random")
    process, out, server.port = run_example_conf(filled, text)
    server.process = process
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            try:
                if server.api("daemonstatus.json")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert server.api("daemonstatus.json")[0] == 200, out.read_text(encoding="utf-8")
        assert server.api("daemonstatus.json", auth=None)[0] == 401
        assert "Basic authentication enabled" in out.read_text(encoding="utf-8")
    finally:
        process.terminate()
        process.wait(30)


def _redis_with_password(workdir: Path, password: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--requirepass", password],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return process, port


def test_a_redis_password_reaches_jobs_through_a_settings_module_not_the_log(built, maghreb, tmp_path):
    """README: the password lives in a settings module only the Scrapyd user reads, named in
    scrapyd.conf's [settings] section; nothing secret is scheduled, logged or on a command line."""
    if reason := missing_reason(opt_in=False):
        pytest.skip(reason)
    import redis

    password = "pw-" + os.urandom(8).hex()
    redis_process, port = _redis_with_password(tmp_path, password)
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    (private / "newsbot_secrets.py").write_text(
        "from newsbot.settings import *  # noqa: F403\n"
        f'NEWSBOT_STATE = "redis://:{password}@127.0.0.1:{port}/0"\n', encoding="utf-8")
    egg, project = built
    server = Scrapyd(tmp_path / "scrapyd", env={"PYTHONPATH": str(private)},
                     conf_extra="\n[settings]\nnewsbot = newsbot_secrets\n")
    try:
        server.start()
        server.deploy(project, egg, VERSION)
        job = server.schedule("maghress", [*job_settings(tmp_path, maghreb.url), ("editions", "ar")])
        server.wait(job)
        log = server.log("maghress", job)
        assert without_time(read_feed(server.feed("maghress", job))) == without_time(EXPECTED), log[-3000:]
        client = redis.Redis(port=port, password=password)
        # the job's state went to that Redis
        assert sum(client.hlen(key) for key in client.scan_iter("*:articles")) == len(EXPECTED)
        client.close()
        assert "redis://:***@127.0.0.1" in log  # the store is named, masked
    finally:
        server.stop()
        redis_process.terminate()
        redis_process.wait(10)
    assert password not in log
    assert password not in server.output()  # Scrapyd's own log: every job's command line


# --- the cron guard --------------------------------------------------------------------------


def test_guard_examples():
    """The guard's doctests (scripts/ is not a package, so pytest does not collect them)."""
    spec = importlib.util.spec_from_file_location("schedule_if_idle", GUARD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert doctest.testmod(module).failed == 0


class SilentServer:
    """Accepts connections on 127.0.0.1 and never answers: a job mirrored to it keeps running."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def stop(self) -> None:
        self.sock.close()
        for conn in self.connections:
            conn.close()
        self.thread.join(5)


def guard(scrapyd: Scrapyd, tmp: Path, *args: str, auth: str = "env") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPYD_")}
    env["HOME"] = str(tmp)  # no ~/.netrc of the user
    cmd = [sys.executable, str(GUARD), *args, "--url", scrapyd.url]
    if auth == "env":
        env.update(SCRAPYD_USERNAME=scrapyd.username, SCRAPYD_PASSWORD=scrapyd.password)
    elif auth == "file":
        auth_file = tmp / "scrapyd.auth"
        auth_file.write_text(f"{scrapyd.username}:{scrapyd.password}\n", encoding="utf-8")
        auth_file.chmod(0o600)
        cmd += ["--auth-file", str(auth_file)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)


def wait_running(scrapyd: Scrapyd, job: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(j["id"] == job for j in scrapyd.api("listjobs.json?project=newsbot")[1]["running"]):
            return
        time.sleep(0.1)
    raise TimeoutError(job)


def test_guard_skips_while_the_spiders_job_is_pending_or_running(scrapyd, maghreb, tmp_path):
    silent = SilentServer()
    try:
        # max_proc = 1: the hanging maghress job runs, the djazairess job after it waits.
        hanging = scrapyd.schedule("maghress", job_settings(tmp_path / "hang", silent.url), jobid="hanging")
        wait_running(scrapyd, hanging)
        waiting = scrapyd.schedule("djazairess", job_settings(tmp_path / "wait", silent.url), jobid="waiting")

        run = guard(scrapyd, tmp_path, "maghress")
        assert (run.returncode, run.stderr) == (0, "")
        assert run.stdout.startswith("skipped maghress: job hanging is running since ")
        run = guard(scrapyd, tmp_path, "djazairess", auth="file")
        assert (run.returncode, run.stdout) == (0, "skipped djazairess: job waiting is pending\n")
        jobs = scrapyd.api("listjobs.json?project=newsbot")[1]
        assert [j["id"] for j in jobs["running"]] == ["hanging"]
        assert [j["id"] for j in jobs["pending"]] == ["waiting"]

        run = guard(scrapyd, tmp_path, "maghress", auth="none")
        assert run.returncode == 1 and "HTTP 401" in run.stderr and run.stdout == ""

        for job in (waiting, hanging):
            assert scrapyd.api("cancel.json", {"project": "newsbot", "job": job, "signal": "KILL"})[0] == 200
        scrapyd.wait(hanging)
    finally:
        silent.stop()

    # Idle again: the guard schedules, with spider arguments and settings passed through.
    run = guard(scrapyd, tmp_path, "maghress", "-d", "editions=ar",
                *(f"-d{k}={v}" for k, v in job_settings(tmp_path / "cron", maghreb.url)), auth="file")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("scheduled maghress job ")
    job = run.stdout.split()[-1]
    scrapyd.wait(job)
    assert without_time(read_feed(scrapyd.feed("maghress", job))) == without_time(EXPECTED)
