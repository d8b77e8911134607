"""Former home of the replica server, now :mod:`newsbot.demo.replica`.

Kept so that ``python -m newsbot.replica SNAPSHOT [--port N]`` and
``from newsbot.replica import ReplicaServer`` go on working; new code uses the new name.
"""

from __future__ import annotations

import sys

from newsbot.demo.replica import ReplicaServer, Snapshot, main

__all__ = ["ReplicaServer", "Snapshot", "main"]

if __name__ == "__main__":
    sys.exit(main())
