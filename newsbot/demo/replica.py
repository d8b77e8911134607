"""Serve a replica snapshot on 127.0.0.1: the ``NEWSBOT_MIRROR`` protocol.

A snapshot is a directory (or package resource) with ``manifest.json`` and ``files/``
in the layout of ``../shared/sites/`` (see its README): entries with ``host``,
``path`` (with query), ``status``, ``headers``, ``file``, an optional ``sequence``
of statuses (the n-th request gets the n-th, the last repeats), an optional ``delay``
(seconds to wait before answering: a slow server, for timeouts) and an optional ``cut``
(bytes of the body sent before the connection is closed, the full length announced: a
download that loses its data).

A request is matched on path and query; the ``Host`` header (or the host of an
absolute-form request target, as proxies receive) picks among sites sharing a path;
apex names are aliases of ``www.`` hosts. ``GET /__replica__/hits`` returns request
counts per ``"host path"``, ``GET /__replica__/reset`` clears them.

``python -m newsbot.demo.replica SNAPSHOT [--port N]`` serves one from the command line
(``python -m newsbot.replica``, its former name, still works). Standard library only: the
tests and ``NEWSBOT_MIRROR=demo`` (:mod:`newsbot.demo.mirror`) start it in-process.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

_ANY_HOST = {"", "127.0.0.1", "localhost", "::1", "[::1]"}
_STOP_POLL_S = 0.05
"""Seconds between the serving thread's looks for :meth:`ReplicaServer.stop`, which waits for
the next one (the standard library's 0.5 s added 0.25 s on average to every crawl of the demo
mirror and every test's replica; an idle look costs microseconds)."""
_NOT_FOUND = (b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n")


class Snapshot:
    """The entries of a snapshot and the request counts; thread-safe."""

    def __init__(self, root: Path | Traversable) -> None:
        self.root = root
        manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
        self.default_host = manifest.get("default_host")
        self.aliases = {a.lower(): s["host"].lower() for s in manifest.get("sites", []) for a in s.get("aliases", [])}
        entries = sorted(manifest["entries"], key=lambda e: e["host"] != self.default_host)
        self.by_host_path: dict[tuple[str, str], dict[str, Any]] = {}
        self.by_path: dict[str, dict[str, Any]] = {}
        for entry in entries:
            self.by_host_path.setdefault((entry["host"].lower(), entry["path"]), entry)
            self.by_path.setdefault(entry["path"], entry)
        self.hosts = {host for host, _ in self.by_host_path}
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()

    def find(self, host: str, target: str) -> dict[str, Any] | None:
        name = host.strip().lower().rsplit(":", 1)[0] if not host.startswith("[") else host
        name = self.aliases.get(name, name)
        for path in dict.fromkeys([target, target.split("?", 1)[0]]):
            if name in self.hosts and name not in _ANY_HOST:
                entry = self.by_host_path.get((name, path))
            else:
                entry = self.by_path.get(path)
            if entry is not None:
                return entry
        return None

    def answer(self, entry: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        key = f"{entry['host']} {entry['path']}"
        with self.lock:
            count = self.hits.get(key, 0)
            self.hits[key] = count + 1
        if entry.get("delay"):
            time.sleep(entry["delay"])  # one thread per request: the others are served meanwhile
        status = entry.get("status", 200)
        sequence = entry.get("sequence")
        if sequence:
            status = sequence[min(count, len(sequence) - 1)]
        if status != entry.get("status", 200) and status >= 400:
            phrase = HTTPStatus(status).phrase
            body = f"<html><head><title>{status} {phrase}</title></head><body><h1>{phrase}</h1></body></html>\n"
            headers = {"Content-Type": "text/html; charset=utf-8", "Retry-After": "1"}
            return status, headers, body.encode()
        return status, dict(entry.get("headers", {})), self.root.joinpath(entry["file"]).read_bytes()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return  # the client gave up (a timeout, a response over its size limit): nothing to report
        super().handle_error(request, client_address)


class ReplicaServer:
    """A :class:`Snapshot` served by a threaded HTTP server on 127.0.0.1 (port 0 = free).

    >>> server = ReplicaServer(Path("snapshot")).start()   # doctest: +SKIP
    >>> server.url                                           # doctest: +SKIP
    'http://127.0.0.1:40123'
    """

    def __init__(self, root: Path | Traversable | Snapshot, port: int = 0) -> None:
        self.snapshot = root if isinstance(root, Snapshot) else Snapshot(root)
        self._server = _Server(("127.0.0.1", port), _handler_for(self.snapshot))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": _STOP_POLL_S},
                                        name="newsbot-replica", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> ReplicaServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def hits(self) -> dict[str, int]:
        with self.snapshot.lock:
            return dict(self.snapshot.hits)

    def reset(self) -> None:
        with self.snapshot.lock:
            self.snapshot.hits.clear()


def _handler_for(snapshot: Snapshot) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two sends: with Nagle's algorithm on, the body would wait
        # for the client's delayed ACK (~40 ms on Linux) on every response.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            pass

        def do_GET(self) -> None:
            self._answer(head=False)

        def do_HEAD(self) -> None:
            self._answer(head=True)

        def _answer(self, head: bool) -> None:
            host, target = self.headers.get("Host", ""), self.path
            if target.startswith(("http://", "https://")):
                parts = urlsplit(target)
                host, target = parts.netloc, (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            control = target.split("?", 1)[0]
            if control == "/__replica__/hits":
                with snapshot.lock:
                    body = json.dumps(snapshot.hits, ensure_ascii=False).encode()
                return self._send(200, {"Content-Type": "application/json"}, body, head)
            if control == "/__replica__/reset":
                with snapshot.lock:
                    snapshot.hits.clear()
                return self._send(200, {"Content-Type": "application/json"}, b"{}", head)
            entry = snapshot.find(host, target)
            if entry is None:
                return self._send(404, {"Content-Type": "text/html; charset=utf-8"}, _NOT_FOUND, head)
            self._send(*snapshot.answer(entry), head, cut=entry.get("cut"))

        def _send(self, status: int, headers: dict[str, str], body: bytes, head: bool, cut: int | None = None) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                try:
                    self.wfile.write(body if cut is None else body[:cut])
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (e.g. a crawler dropping a response over its size limit)
            if cut is not None:
                self.close_connection = True  # the connection drops before the announced length

    return Handler


def main(argv: list[str] | None = None) -> int:
    """Serve until Ctrl-C. Exit 2 with one line on stderr when the snapshot cannot be read,
    1 when the port cannot be listened on."""
    parser = argparse.ArgumentParser(prog="python -m newsbot.demo.replica", description="Serve a replica snapshot on 127.0.0.1.")
    parser.add_argument("snapshot", type=Path, help="directory holding manifest.json")
    parser.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (default: any free port)")
    args = parser.parse_args(argv)
    prog = parser.prog
    try:
        snapshot = Snapshot(args.snapshot)
    except FileNotFoundError:
        print(f"{prog}: {args.snapshot} has no manifest.json: give a snapshot directory, e.g. newsbot/demo/site", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        print(f"{prog}: {args.snapshot}/manifest.json is not a snapshot manifest ({type(exc).__name__}: {exc}):"
              " give a snapshot directory, e.g. newsbot/demo/site", file=sys.stderr)
        return 2
    try:
        server = ReplicaServer(snapshot, args.port)
    except OSError as exc:
        hint = "choose another with --port, or leave it out for any free port"
        print(f"{prog}: cannot listen on 127.0.0.1:{args.port} ({exc.strerror or exc}): {hint}", file=sys.stderr)
        return 1
    print(f"listening on {server.url}", flush=True)
    try:
        server._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._server.server_close()
    return 0


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: give 1-65535, or 0 for any free port")
    return port


if __name__ == "__main__":
    sys.exit(main())
