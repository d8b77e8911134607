"""Read and merge JSON Lines feeds safely (a crawl killed mid-write leaves a cut last line).

A hard-killed crawl can leave its feed with a truncated last line (shared case NB-19), and
the next run writes again the articles the killed one had written (the state records a
run's articles only once its feeds are stored). :func:`read_feed` reads every valid
record and reports the bad lines; :func:`merge_feeds` keeps one record per article.
``scrapy mergefeeds OUT FEED...`` runs it from the command line.
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
