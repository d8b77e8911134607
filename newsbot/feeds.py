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
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class FeedReport:
    """What reading one feed found: ``records`` kept, ``bad_lines`` (1-based line numbers of
    lines that are not a JSON object, e.g. a last line cut by a kill)."""

    path: Path
    records: int = 0
    bad_lines: list[int] = field(default_factory=list)


def read_feed(path: Path, report: FeedReport | None = None) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON Lines file, in order; bad lines are skipped and, when
    ``report`` is given, recorded in it. Blank lines are ignored.

    >>> import tempfile, os
    >>> p = Path(tempfile.mkdtemp()) / "feed.jsonl"
    >>> _ = p.write_text('{"url": "a"}\\n{"url": "b"}\\n{"url": "c", "title": "Arti', encoding="utf-8")
    >>> report = FeedReport(p)
    >>> [r["url"] for r in read_feed(p, report)], report.bad_lines
    (['a', 'b'], [3])
    """
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
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

    Records without ``key`` are kept as they are. Returns (records written, one report per feed).
    """
    seen: set[Any] = set()
    reports = []
    written = 0
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
                        if value in seen:
                            continue
                        seen.add(value)
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                    written += 1
        except BaseException:
            os.unlink(sink.name)
            raise
    os.replace(sink.name, out)
    return written, reports
