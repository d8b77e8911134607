"""Read, repair and merge JSON Lines feeds safely (a crawl killed mid-write leaves a cut last line).

A hard-killed crawl can leave its feed with a truncated last line (shared case NB-19).
:func:`repair_feed` cuts it off before a run appends to the feed (``-o``), so every line
stays valid JSON; :func:`lines_backwards` reads a feed's complete lines from its end (the
seen-articles extension records the last lines a killed run wrote as done). Feeds of
different runs can hold the same article (a killed run whose feed was overwritten, or one
new file per run): :func:`read_feed` reads every valid record and reports the bad lines;
:func:`merge_feeds` keeps one record per article. ``scrapy mergefeeds OUT FEED...`` runs it
from the command line.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class FeedReport:
    """What reading one feed found: ``records`` kept, ``bad_lines`` (1-based line numbers of
    lines that are not a JSON object, e.g. a last line cut by a kill), ``invalid_utf8`` (lines
    kept with their invalid bytes replaced by U+FFFD) and, after a merge, ``unkeyed`` (records
    without the key, kept as they are)."""

    path: Path
    records: int = 0
    bad_lines: list[int] = field(default_factory=list)
    invalid_utf8: list[int] = field(default_factory=list)
    unkeyed: int = 0


class MergeError(ValueError):
    """A merge that would not do what was asked (e.g. a key no record has); OUT is untouched."""


def read_feed(path: Path, report: FeedReport | None = None) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON Lines file, in order; bad lines are skipped and, when
    ``report`` is given, recorded in it. Blank lines are ignored. A line that is not valid
    UTF-8 is read with its invalid bytes replaced by U+FFFD and recorded in
    ``report.invalid_utf8``.

    >>> import tempfile, os
    >>> p = Path(tempfile.mkdtemp()) / "feed.jsonl"
    >>> _ = p.write_text('{"url": "a"}\\n{"url": "b"}\\n{"url": "c", "title": "Arti', encoding="utf-8")
    >>> report = FeedReport(p)
    >>> [r["url"] for r in read_feed(p, report)], report.bad_lines
    (['a', 'b'], [3])
    """
    with path.open("rb") as raw_lines:
        for number, raw in enumerate(raw_lines, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                if report is not None:
                    report.invalid_utf8.append(number)
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            if not isinstance(record, dict):
                if report is not None:
                    report.bad_lines.append(number)
                continue
            if report is not None:
                report.records += 1
            yield record


BLOCK = 1 << 16
"""Bytes read at a time when a feed is read from its end."""


def is_regular_file(path: Path) -> bool:
    """True for an existing regular file (not a device such as ``/dev/null``, nor a pipe)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def complete_size(path: Path) -> int:
    """The size of ``path`` up to and including its last newline: the bytes of its complete
    lines (0 for a missing or empty file, one without any newline, or no regular file: a
    device or a pipe is never read).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "feed.jsonl"
    >>> _ = p.write_bytes(b'{"url": "a"}\\n{"url": "b", "ti')
    >>> complete_size(p)
    13
    """
    if not is_regular_file(path):
        return 0
    with path.open("rb") as f:
        end = f.seek(0, os.SEEK_END)
        pos = end
        while pos > 0:
            size = min(BLOCK, pos)
            pos -= size
            f.seek(pos)
            newline = f.read(size).rfind(b"\n")
            if newline >= 0:
                return pos + newline + 1
        return 0


def repair_feed(path: Path) -> int:
    """Cut off a last line that has no newline (a line a killed crawl was writing, shared case
    NB-19), so that records appended next start on a line of their own; the number of bytes
    removed (0 when the file ends with a newline, is empty or is missing). Only a JSON Lines
    file whose writer puts each record and its newline in one write may be repaired so: its
    complete lines are then whole records.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "feed.jsonl"
    >>> _ = p.write_bytes(b'{"url": "a"}\\n{"url": "b", "ti')
    >>> repair_feed(p), p.read_bytes(), repair_feed(p)
    (16, b'{"url": "a"}\\n', 0)
    """
    if not is_regular_file(path):
        return 0
    size = path.stat().st_size
    keep = complete_size(path)
    if keep < size:
        with path.open("r+b") as f:
            f.truncate(keep)
            os.fsync(f.fileno())
    return size - keep


def lines_backwards(path: Path) -> Iterator[bytes]:
    """The complete, non-blank lines of ``path`` (without their newline), last first; a last
    line without newline (cut by a kill) is left out. Reads :data:`BLOCK` bytes at a time, so
    reading the last lines of a big feed costs only those lines.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "feed.jsonl"
    >>> _ = p.write_bytes(b'{"n": 1}\\n\\n{"n": 2}\\n{"n": 3, "cu')
    >>> list(lines_backwards(p))
    [b'{"n": 2}', b'{"n": 1}']
    """
    end = complete_size(path)
    if not end:
        return
    with path.open("rb") as f:
        pos, rest = end, b""
        while pos > 0:
            size = min(BLOCK, pos)
            pos -= size
            f.seek(pos)
            parts = (f.read(size) + rest).split(b"\n")
            rest = parts[0]
            for line in reversed(parts[1:]):
                if line.strip():
                    yield line
        if rest.strip():
            yield rest


def merge_feeds(paths: Iterable[Path], out: Path, key: str = "url") -> tuple[int, list[FeedReport]]:
    """Write to ``out`` the records of ``paths`` (in order), one per ``key`` (the first seen).

    Records without ``key`` are kept as they are (counted in each report's ``unkeyed``); a
    key whose value is a list or an object is compared by its JSON. ``out`` gets the mode
    (permissions) of the first feed. Returns (records written, one report per feed). Raises
    :class:`MergeError`, leaving ``out`` as it was, when records were read and none has ``key``
    (a misspelt ``--key`` would otherwise keep every record).
    """
    paths = [Path(p) for p in paths]
    seen: set[Any] = set()
    reports = []
    written = keyed = 0
    fields: dict[str, None] = {}
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and moved into place at the end: OUT may be one of the inputs, and a
    # failed merge must not leave a half-written OUT.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=out.parent, prefix=f".{out.name}.", delete=False) as sink:
        try:
            for path in paths:
                report = FeedReport(Path(path))
                reports.append(report)
                for record in read_feed(Path(path), report):
                    value = record.get(key)
                    if value is not None:
                        keyed += 1
                        value = _hashable(value)
                        if value in seen:
                            continue
                        seen.add(value)
                    else:
                        report.unkeyed += 1
                        fields.update(dict.fromkeys(record))
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    written += 1
            if written and not keyed:
                known = ", ".join(list(fields)[:12]) or "none"
                raise MergeError(f"no record has the field {key!r} to merge on (fields found: {known})")
            if paths:
                os.chmod(sink.name, stat.S_IMODE(paths[0].stat().st_mode))
        except BaseException:
            os.unlink(sink.name)
            raise
    os.replace(sink.name, out)
    return written, reports


def _hashable(value: Any) -> Any:
    """``value`` as a set member: lists and objects by their JSON (keys sorted).

    >>> _hashable("u1"), _hashable(["b", {"y": 1, "x": 2}])
    ('u1', ('json', '["b", {"x": 2, "y": 1}]'))
    """
    if isinstance(value, (list, dict)):
        return ("json", json.dumps(value, ensure_ascii=False, sort_keys=True))
    return value
