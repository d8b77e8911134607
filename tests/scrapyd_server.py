"""A real Scrapyd (the pip package) for tests and benchmarks: a private config, basic auth,
a free port on 127.0.0.1, every directory in one temporary folder; the egg built with
``scrapyd-deploy --build-egg`` from a copy of the checkout and uploaded with ``scrapyd-deploy``."""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# What the job processes must not inherit from the test run: it would import the checkout
# instead of the egg, or pick other settings.
# XDG_DATA_HOME too: the jobs' default data directory is then the Scrapyd user's, under its HOME.
_HIDDEN_ENV = ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT", "NEWSBOT_DATA_DIR", "SCRAPYD_EGG_VERSION",
               "XDG_DATA_HOME")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_egg(workdir: Path, prepare: Callable[[Path], None] | None = None) -> tuple[Path, Path]:
    """Copy the project (``newsbot/``, ``setup.py``, ``scrapy.cfg``) to ``workdir/project``
    and run ``scrapyd-deploy --build-egg`` there, as a user does in the checkout; the copy
    keeps the build's ``build/`` and ``*.egg-info`` out of the shared working tree.
    ``prepare(project_copy)`` may change the copy first. Returns ``(egg, project_copy)``."""
    project = workdir / "project"
    shutil.copytree(ROOT / "newsbot", project / "newsbot", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("setup.py", "scrapy.cfg"):
        shutil.copy2(ROOT / name, project / name)
    if prepare is not None:
        prepare(project)
    egg = workdir / "newsbot.egg"
    proc = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0 and egg.exists(), proc.stdout + proc.stderr
    return egg, project


@dataclass
class Scrapyd:
    """``Scrapyd(workdir).start()``; ``.api(...)``; ``.deploy(...)``; ``.stop()``."""

    workdir: Path
    username: str = "newsbot"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    max_proc: int = 1
    env: dict[str, str] = field(default_factory=dict)
    conf_extra: str = ""  # appended to scrapyd.conf (e.g. a [settings] section)
    port: int = 0
    process: subprocess.Popen | None = None
    deployed: dict[str, Any] = field(default_factory=dict)  # addversion.json's answer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def items_dir(self) -> Path:
        return self.workdir / "items"

    @property
    def logs_dir(self) -> Path:
        return self.workdir / "logs"

    def start(self, timeout: float = 60) -> Scrapyd:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        for name in ("items", "logs", "eggs", "dbs", "home"):
            (self.workdir / name).mkdir(exist_ok=True)
        # scrapyd reads scrapyd.conf from its working directory (and ~/.scrapyd.conf: HOME is ours).
        (self.workdir / "scrapyd.conf").write_text(
            "[scrapyd]\n"
            "bind_address = 127.0.0.1\n"
            f"http_port = {self.port}\n"
            f"username = {self.username}\n"
            f"password = {self.password}\n"
            f"items_dir = {self.items_dir}\n"
            f"logs_dir = {self.logs_dir}\n"
            f"eggs_dir = {self.workdir / 'eggs'}\n"
            f"dbs_dir = {self.workdir / 'dbs'}\n"
            f"max_proc = {self.max_proc}\n"
            "poll_interval = 0.2\n" + self.conf_extra,
            encoding="utf-8",
        )
        env = {k: v for k, v in os.environ.items() if k not in _HIDDEN_ENV and not k.startswith("SCRAPYD_")}
        env.update(HOME=str(self.workdir / "home"), **self.env)
        self._log = (self.workdir / "scrapyd.out").open("wb")
        self.process = subprocess.Popen(
            [str(BIN / "scrapyd")], cwd=self.workdir, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"scrapyd exited: {self.output()}")
            try:
                if self.api("daemonstatus.json")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"scrapyd did not answer within {timeout}s: {self.output()}")

    def output(self) -> str:
        return (self.workdir / "scrapyd.out").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Cancel what still runs, stop scrapyd and wait for it: no process is left."""
        if self.process is None:
            return
        if self.process.poll() is not None:
            self._log.close()
            return
        try:
            jobs = self.api("listjobs.json")[1]
            for job in jobs.get("running", []) + jobs.get("pending", []):
                self.api("cancel.json", {"project": job["project"], "job": job["id"], "signal": "KILL"})
            for job in jobs.get("running", []):
                _wait_gone(job.get("pid"))
        except OSError:
            pass
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self._log.close()

    def api(
        self, endpoint: str, data: dict[str, Any] | list[tuple[str, str]] | None = None, *,
        auth: tuple[str, str] | None | bool = True,
    ) -> tuple[int, Any]:
        """GET (``data`` None) or POST form ``data`` to an endpoint; ``(status, json or text)``.
        ``auth``: True for the server's credentials, a pair for others, None for none."""
        url = self.url + endpoint
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(url, data=body)
        if auth is True:
            auth = (self.username, self.password)
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def deploy(self, project_copy: Path, egg: Path, version: str) -> dict[str, Any]:
        """``scrapyd-deploy test-PORT --egg EGG --version V`` through a ``[deploy:test-PORT]``
        target (one per server) written like the checkout's ``[deploy:local]``: credentials from
        the environment."""
        target = f"test-{self.port}"
        cfg = project_copy / "scrapy.cfg"
        text = cfg.read_text(encoding="utf-8")
        if f"[deploy:{target}]" not in text:
            cfg.write_text(
                text + f"\n[deploy:{target}]\nurl = {self.url}\nproject = newsbot\n"
                "username = ${SCRAPYD_USERNAME}\npassword = ${SCRAPYD_PASSWORD}\n",
                encoding="utf-8",
            )
        env = {**os.environ, "SCRAPYD_USERNAME": self.username, "SCRAPYD_PASSWORD": self.password}
        proc = subprocess.run(
            [str(BIN / "scrapyd-deploy"), target, "--egg", str(egg), "--version", version],
            cwd=project_copy, env=env, capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        self.deployed = json.loads(proc.stdout)
        return self.deployed

    def wait(self, job: str, timeout: float = 300) -> dict[str, Any]:
        """Poll ``listjobs.json`` until ``job`` is finished; its finished record."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, jobs = self.api("listjobs.json?project=newsbot")
            assert status == 200, jobs
            for record in jobs.get("finished", []):
                if record["id"] == job:
                    return record
            time.sleep(0.2)
        raise TimeoutError(f"job {job} not finished after {timeout}s")

    def schedule(self, spider: str, params: list[tuple[str, str]] | None = None, jobid: str | None = None) -> str:
        data = [("project", "newsbot"), ("spider", spider), *(params or [])]
        if jobid:
            data.append(("jobid", jobid))
        status, answer = self.api("schedule.json", data)
        assert status == 200 and answer.get("status") == "ok", answer
        return answer["jobid"]

    def feed(self, spider: str, job: str) -> Path:
        return self.items_dir / "newsbot" / spider / f"{job}.jl"

    def log(self, spider: str, job: str) -> str:
        path = self.logs_dir / "newsbot" / spider / f"{job}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def _wait_gone(pid: int | None, timeout: float = 30) -> None:
    if not pid:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.1)
