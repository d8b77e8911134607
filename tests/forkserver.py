"""Start the tests' ``scrapy crawl`` processes by forking one that has imported everything already.

``python -m scrapy crawl`` spends 1.5 to 2.5 s of CPU importing Scrapy, newsbot and the libraries
behind them (dateparser, trafilatura, numpy, Playwright's client ...) before its first request,
and the suite runs a few hundred crawls on 2 cores: a third of its CPU time. So each pytest
process keeps one fork server, ``python -m tests.forkserver SOCKET``, which imports those modules
(and installs no reactor, starts no thread), and :func:`run` asks it for each crawl: the server
forks, the child takes the crawl's working directory, environment and argv, writes its output
to two files and runs ``scrapy.cmdline.execute``, then exits as ``python -m scrapy`` would
(threads joined, ``atexit`` run): the same command, started in a tenth of a second.

Per crawl the server forks twice: a waiter that sends the crawl's pid, waits for it and sends its
exit status, and the crawl itself, so the server only accepts and forks. ``NEWSBOT_TEST_FORK=0``
(or a platform without ``fork``) runs every crawl as a plain subprocess instead. Tests that need
a real ``exec`` (the README's commands, process groups, signals sent while starting) use
``subprocess`` themselves.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class _Crawl(Exception):
    """Raised in a crawl's child to leave the server's loop and run the crawl at top level."""

    def __init__(self, request: dict[str, Any]) -> None:
        super().__init__()
        self.request = request


# --- the server ---------------------------------------------------------------------------------
def _preload() -> None:
    """Import what every crawl imports: Scrapy's command line, newsbot's settings, spiders and
    every component the settings name."""
    from scrapy.cmdline import execute  # noqa: F401
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.misc import load_object
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    SpiderLoader.from_settings(settings)  # imports every spider module
    for name in ("ITEM_PIPELINES", "EXTENSIONS", "DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ADDONS"):
        for path in settings.getdict(name):
            if isinstance(path, str):
                try:
                    load_object(path)
                except Exception:  # noqa: BLE001 - a crawl reports it; the server only preloads
                    pass
    import tests.quick_idle  # noqa: F401
    if "twisted.internet.reactor" in sys.modules:  # a crawl must install its own reactor
        raise SystemExit("tests.forkserver: importing the crawl's modules installed a reactor")


def _serve(path: str) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # waiters are reaped by the kernel
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    listener.settimeout(2.0)
    parent = os.getppid()
    print("ready", flush=True)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != parent:  # the pytest process is gone (killed): do not outlive it
                listener.close()
                os.unlink(path)
                os.rmdir(os.path.dirname(path))
                return
            continue
        conn.settimeout(None)
        if os.fork():
            conn.close()
            continue
        # the waiter: it never returns into the server's loop (a client gone before its request: exit)
        try:
            listener.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            request = json.loads(conn.makefile("r", encoding="utf-8").readline())
            pid = os.fork()
        except BaseException:  # noqa: BLE001
            os._exit(1)
        if pid == 0:
            conn.close()
            raise _Crawl(request)
        try:
            conn.sendall(f"{pid}\n".encode())
            _, status = os.waitpid(pid, 0)
            conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
        finally:
            os._exit(0)


def _run_crawl(request: dict[str, Any]) -> int:
    """In the crawl's child: become ``python -m MODULE ARGS...`` in ``cwd`` with ``env``."""
    import importlib

    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.path[0] = request["cwd"]  # what ``python -m`` puts first
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        out = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, fd)
        os.close(out)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    import newsbot.settings

    importlib.reload(newsbot.settings)  # it reads NEWSBOT_DATA_DIR from the environment
    from scrapy.cmdline import execute

    if request["module"] == "tests.quick_idle":
        from tests.quick_idle import quicken_engine

        quicken_engine()
    try:
        execute(["scrapy", *request["args"]])
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    return 0


def main() -> None:
    try:
        _preload()
        _serve(sys.argv[1])
    except _Crawl as crawl:
        code = _run_crawl(crawl.request)
        sys.stdout.flush()
        sys.stderr.flush()
        sys.exit(code)  # the interpreter's own exit: threads joined, atexit handlers run


# --- the client ---------------------------------------------------------------------------------
class ForkServer:
    """One server process per pytest process, started on first use, stopped at exit."""

    _lock = threading.Lock()
    _instance: ForkServer | None = None

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="newsbot-fork-")
        self.socket = os.path.join(self.dir, "s")
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newsbot.settings", "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.forkserver", self.socket], cwd=ROOT, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            self.process.kill()
            raise RuntimeError("tests.forkserver did not start")
        atexit.register(self.stop)

    @classmethod
    def get(cls) -> ForkServer | None:
        """The server of this process, or None when crawls run as plain subprocesses."""
        if os.environ.get("NEWSBOT_TEST_FORK", "1") == "0" or not hasattr(os, "fork"):
            return None
        with cls._lock:
            if cls._instance is None or cls._instance.process.poll() is not None:
                cls._instance = cls()
            return cls._instance

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        for name in os.listdir(self.dir):
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)

    def run(self, module: str, args: list[str], cwd: Path, env: dict[str, str], timeout: float,
            stdout: Path, stderr: Path) -> int:
        """Run ``python -m MODULE ARGS`` as a fork; its exit code (negative: killed by that
        signal). ``subprocess.TimeoutExpired`` after ``timeout`` s (the crawl is killed)."""
        request = {"module": module, "args": args, "cwd": str(cwd), "env": env,
                   "stdout": str(stdout), "stderr": str(stderr)}
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(self.socket)
            conn.sendall(json.dumps(request).encode() + b"\n")
            conn.settimeout(timeout)
            answers = conn.makefile("r", encoding="utf-8")
            pid = int(answers.readline())
            try:
                line = answers.readline()
            except TimeoutError:
                os.kill(pid, signal.SIGKILL)
                raise subprocess.TimeoutExpired([module, *args], timeout) from None
            if not line:
                raise RuntimeError(f"tests.forkserver lost the crawl {pid}")
            return int(line)


def run(module: str, args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str]:
    """``python -m MODULE ARGS`` in ``cwd`` with the environment ``env``: its exit code and its
    output (stdout, then stderr), forked from the server or, without one, as a subprocess."""
    server = ForkServer.get()
    if server is None:
        proc = subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout)
        return proc.returncode, proc.stdout + proc.stderr
    with tempfile.TemporaryDirectory(prefix="newsbot-crawl-") as tmp:
        out, err = Path(tmp, "stdout"), Path(tmp, "stderr")
        code = server.run(module, args, cwd, env, timeout, out, err)
        read = lambda path: path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""  # noqa: E731
        return code, read(out) + read(err)


if __name__ == "__main__":
    main()
