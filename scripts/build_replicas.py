#!/usr/bin/env python3
"""Generate newsbot's own replica snapshots (the format of ../shared/sites/).

* ``newsbot/demo/site/``: the demo replica that ``-s NEWSBOT_MIRROR=demo`` serves;
* ``tests/snapshots/cases/``: the core edge cases of issue 2, with their gold files.

Deterministic: rerunning it writes the same bytes. ``--check`` builds into a
temporary directory and exits 1 (listing the differences) when the committed
snapshots are not what the generator makes.

    python scripts/build_replicas.py            # write both snapshots
    python scripts/build_replicas.py --check    # verify them (used by the tests)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # newsbot's version, for the gold's extractor

from replicagen import cases, demo  # noqa: E402
from replicagen.snapshot import build  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "demo": (demo.SNAPSHOT, ROOT / "newsbot" / "demo" / "site"),
    "cases": (cases.SNAPSHOT, ROOT / "tests" / "snapshots" / "cases"),
}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def check(names: list[str]) -> int:
    problems = []
    for name in names:
        snap, target = TARGETS[name]
        with tempfile.TemporaryDirectory() as tmp:
            build(snap, Path(tmp))
            want, have = tree(Path(tmp)), tree(target) if target.exists() else {}
        for rel in sorted(set(want) | set(have)):
            if want.get(rel) != have.get(rel):
                state = "missing" if rel not in have else "extra" if rel not in want else "differs"
                problems.append(f"{name}: {rel} {state}")
    for line in problems:
        print(line)
    print("snapshots up to date" if not problems else f"{len(problems)} files differ: run python scripts/build_replicas.py")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="demo, cases (default: both)")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    names = args.names or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown snapshot {', '.join(unknown)}: choose among {', '.join(TARGETS)}")
    if args.check:
        return check(names)
    for name in names:
        snap, target = TARGETS[name]
        builder = build(snap, target)
        print(f"{name}: {len(builder.entries)} entries, {len(builder.gold)} gold items, "
              f"{len(builder.rejects)} rejects -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
