"""Serve a :class:`~bench.replica_gen.ReplicaSite` fast on 127.0.0.1, and load-test it.

    python bench/replica_server.py serve [--articles 2000] [--port 0]   # prints "listening on http://127.0.0.1:PORT"
    python bench/replica_server.py load http://127.0.0.1:PORT [--seconds 3] [--connections 8] [--ids]

The server speaks the ``NEWSBOT_MIRROR`` protocol (``GET /path`` with the site's ``Host``
header; an absolute-form target works too): ``www.maghress.com``, ``maghress.com`` and a
missing or loopback ``Host`` get the site, any other host a 404. It is one asyncio process
with raw protocol handlers: HTTP/1.1 keep-alive, ``TCP_NODELAY``, no compression, and every
page a crawl of the French edition can reach rendered once at start-up into ready-to-send
response bytes (headers included); other pages (id ranges beyond the listed articles, the
Arabic edition) are rendered on request (about 0.5 ms each). ``GET /__bench__/count`` answers
the number of requests served so far; ``GET /__bench__/log`` the site requests served since the
last ``/__bench__/log`` (and forgets them), as JSON ``[[seconds since start, target], ...]``
(:mod:`bench.cluster` reads pages fetched twice and request rates from it).

``load`` is the check that the server is never the bottleneck: ``--connections`` keep-alive
connections fetch article pages (the listed ones, or with ``--ids`` pages rendered on request)
as fast as they can for ``--seconds``; it prints one JSON line with requests/s and MB/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.replica_gen import HOST, Key, ReplicaSite, article_key  # noqa: E402

SITE_HOSTS = {HOST, HOST.removeprefix("www."), "", "127.0.0.1", "localhost"}
_REASONS = {200: b"OK", 404: b"Not Found", 400: b"Bad Request"}


def response_bytes(status: int, content_type: str, body: bytes, close: bool = False) -> bytes:
    """A complete HTTP/1.1 response."""
    head = (f"HTTP/1.1 {status} {_REASONS.get(status, b'OK').decode()}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n{'Connection: close' + chr(13) + chr(10) if close else ''}\r\n")
    return head.encode() + body


class ReplicaApp:
    """Answers request targets from pre-rendered responses, rendering the rest on demand."""

    def __init__(self, site: ReplicaSite, prerender: bool = True) -> None:
        self.site = site
        self.cache: dict[str, bytes] = {}
        self.served = 0
        self.started = time.monotonic()
        self.log: list[tuple[float, str]] = []
        if prerender:
            for path in site.site_paths("fr"):
                self.cache[path] = response_bytes(*site.route(path))

    def answer(self, host: str, target: str) -> bytes:
        self.served += 1
        if target.startswith(("http://", "https://")):
            scheme_end = target.index("//") + 2
            slash = target.find("/", scheme_end)
            host, target = target[scheme_end : slash if slash >= 0 else None], target[slash:] if slash >= 0 else "/"
        name = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else ""
        if target == "/__bench__/count":
            return response_bytes(200, "application/json", json.dumps({"served": self.served}).encode())
        if target == "/__bench__/log":
            log, self.log = self.log, []
            return response_bytes(200, "application/json", json.dumps(log).encode())
        if name not in SITE_HOSTS:
            return response_bytes(404, "text/html; charset=utf-8", b"<html><body><h1>Not Found</h1></body></html>\n")
        self.log.append((round(time.monotonic() - self.started, 4), target))
        cached = self.cache.get(target)
        return cached if cached is not None else response_bytes(*self.site.route(target))


class HttpProtocol(asyncio.Protocol):
    """Minimal HTTP/1.1 server side: GET/HEAD without bodies, pipelining and keep-alive."""

    def __init__(self, app: ReplicaApp) -> None:
        self.app = app
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.transport is not None:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self.transport.close()
                return
            head, self.buffer = self.buffer[:end].decode("latin-1"), self.buffer[end + 4 :]
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3:
                self.transport.write(response_bytes(400, "text/plain", b"bad request\n", close=True))
                self.transport.close()
                return
            method, target, version = parts
            host, close = "", version == "HTTP/1.0"
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "host":
                    host = value.strip()
                elif name == "connection":
                    close = value.strip().lower() == "close"
            reply = self.app.answer(host, target)
            if method == "HEAD":
                reply = reply[: reply.index(b"\r\n\r\n") + 4]
            self.transport.write(reply)
            if close:
                self.transport.close()
                return


async def serve(site: ReplicaSite, port: int = 0, ready=None) -> None:
    """Serve ``site`` forever on 127.0.0.1:``port``; ``ready(url)`` is called once listening."""
    app = ReplicaApp(site)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HttpProtocol(app), "127.0.0.1", port, backlog=512, reuse_address=True)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    if ready:
        ready(url)
    async with server:
        await server.serve_forever()


class ServerProcess:
    """``python bench/replica_server.py serve`` in a subprocess (its own core): start, url, stop."""

    def __init__(self, articles: int, seed: int | None = None, python: str = sys.executable) -> None:
        cmd = [python, str(Path(__file__).resolve()), "serve", "--articles", str(articles)]
        if seed is not None:
            cmd += ["--seed", str(seed)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.startswith("listening on "):
            self.proc.kill()
            raise RuntimeError(f"replica server did not start: {line!r}")
        self.url = line.split()[-1]

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- load test ---------------------------------------------------------------------------------------
async def _fetch_loop(host: str, port: int, paths: list[str], deadline: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    i = 0
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]
        i += 1
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Encoding: identity\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        body = await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"{path}: {head[:40]!r}")
        counts[0] += 1
        counts[1] += len(head) + len(body)
    writer.close()


async def load(url: str, paths: list[str], seconds: float, connections: int) -> dict[str, float]:
    """Requests/s and MB/s of ``connections`` keep-alive clients fetching ``paths`` in turn."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    counts = [0, 0]
    await _fetch_loop(host, int(port), paths[:1], time.perf_counter() + 0.2, [0, 0])  # warm-up
    started = time.perf_counter()
    deadline = started + seconds
    shares = [paths[i::connections] or paths for i in range(connections)]
    await asyncio.gather(*(_fetch_loop(host, int(port), share, deadline, counts) for share in shares))
    elapsed = time.perf_counter() - started
    return {"requests_per_s": counts[0] / elapsed, "mb_per_s": counts[1] / elapsed / 1e6, "requests": counts[0]}


def load_test(url: str, articles: int, *, seconds: float = 3.0, connections: int = 8, ids: bool = False,
              python: str = sys.executable) -> dict[str, float]:
    """Run :func:`load` in a separate process (so client and server each have a core)."""
    cmd = [python, str(Path(__file__).resolve()), "load", url, "--articles", str(articles),
           "--seconds", str(seconds), "--connections", str(connections)] + (["--ids"] if ids else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load_paths(articles: int, ids: bool) -> list[str]:
    """Article paths to load-test: the listed French ones, or ids beyond them (rendered on request)."""
    if ids:
        return [Key("fr", "h24info", n).path for n in range(10_000_000, 10_000_000 + 100_000)]
    return [article_key("fr", k).path for k in range(articles)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--articles", type=int, default=2000)
    s.add_argument("--seed", type=int, default=None)
    s.add_argument("--port", type=int, default=0)
    lt = sub.add_parser("load")
    lt.add_argument("url")
    lt.add_argument("--articles", type=int, default=2000)
    lt.add_argument("--seconds", type=float, default=3.0)
    lt.add_argument("--connections", type=int, default=8)
    lt.add_argument("--ids", action="store_true")
    args = parser.parse_args()
    if args.command == "serve":
        site = ReplicaSite(args.articles, **({"seed": args.seed} if args.seed is not None else {}))
        try:
            asyncio.run(serve(site, args.port, ready=lambda url: print(f"listening on {url}", flush=True)))
        except KeyboardInterrupt:
            pass
    else:
        result = asyncio.run(load(args.url, load_paths(args.articles, args.ids), args.seconds, args.connections))
        print(json.dumps(result))


if __name__ == "__main__":
    main()
