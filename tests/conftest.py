"""Shared fixtures: replica servers on 127.0.0.1 for snapshot directories."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsbot.demo.replica import ReplicaServer


@pytest.fixture
def replica() -> Iterator[Callable[[Path], ReplicaServer]]:
    """Factory: ``replica(snapshot_dir)`` serves a snapshot until the test ends."""
    servers: list[ReplicaServer] = []

    def start(root: Path) -> ReplicaServer:
        server = ReplicaServer(root).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
