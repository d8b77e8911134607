"""newsbot's command-line tools on simple errors: one line on stderr saying what is wrong
and what to do, exit code 1 or 2, never a traceback (``python -m newsbot.cluster``,
``python -m newsbot.demo.replica``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.crawling import ROOT


def tool(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def one_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize("command", ["status", "reset"])
def test_cluster_tool_with_redis_down(command):
    proc = tool("newsbot.cluster", command, "redis://127.0.0.1:1/0", "maghress")
    assert proc.returncode == 1 and proc.stdout == ""
    line = one_line(proc)
    assert line.startswith("python -m newsbot.cluster: cannot use Redis at redis://127.0.0.1:1/0 (ConnectionError: ")
    assert "start redis-server there" in line


def test_cluster_tool_with_a_bad_url_is_a_usage_error():
    proc = tool("newsbot.cluster", "status", "redis://127.0.0.1:6379/abc")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "error: NEWSBOT_CLUSTER='redis://127.0.0.1:6379/abc': the database must be a number" in proc.stderr


@pytest.mark.parametrize("snapshot", ["/nonexistent", "/etc"])
def test_replica_without_a_snapshot(snapshot):
    proc = tool("newsbot.demo.replica", snapshot)
    assert proc.returncode == 2
    assert one_line(proc) == (
        f"python -m newsbot.demo.replica: {snapshot} has no manifest.json: give a snapshot directory, e.g. newsbot/demo/site"
    )


def test_replica_with_a_broken_manifest(tmp_path):
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    proc = tool("newsbot.demo.replica", str(tmp_path))
    assert proc.returncode == 2
    assert "manifest.json is not a snapshot manifest (JSONDecodeError" in one_line(proc)


def test_replica_on_a_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = tool("newsbot.demo.replica", "newsbot/demo/site", "--port", str(port))
    assert proc.returncode == 1 and proc.stdout == ""
    assert one_line(proc) == (
        f"python -m newsbot.demo.replica: cannot listen on 127.0.0.1:{port} (Address already in use):"
        " choose another with --port, or leave it out for any free port"
    )


def test_replica_port_out_of_range():
    proc = tool("newsbot.demo.replica", "newsbot/demo/site", "--port", "99999")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "'99999' is not a port: give 1-65535, or 0 for any free port" in proc.stderr


def test_the_replica_keeps_its_former_command():
    proc = tool("newsbot.replica", "/nonexistent")
    assert proc.returncode == 2 and "/nonexistent has no manifest.json" in one_line(proc)
