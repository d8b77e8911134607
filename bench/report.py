"""The results table of ``bench/run.py``: rows, environment, and its section of BENCHMARKS.md."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import math
import os
import platform
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- bench/run.py -->", "<!-- /bench/run.py -->"
KEYS = ("crawl_ratio", "extract_speedup", "rss_growth", "dedupe_ms_at_1m", "date_speedup")


@dataclass
class Row:
    """One line of the table: what was compared, side A and side B (with units), the
    resulting number (a ratio, or the value itself) and its target (None: for information)."""

    method: str
    a: str
    b: str
    value: float
    target: str | None = None

    def met(self) -> str:
        if self.target is None or math.isnan(self.value):
            return ""
        op, bound = self.target.split(" ")
        return "yes" if (self.value >= float(bound) if op == "≥" else self.value <= float(bound)) else "**no**"


def table(rows: list[Row]) -> str:
    lines = ["| method | A | B | ratio / value | target | met |", "|---|---:|---:|---:|---:|:---:|"]
    for row in rows:
        value = "n/a" if math.isnan(row.value) else f"{row.value:.3g}" if abs(row.value) < 1000 else f"{row.value:,.0f}"
        lines.append(f"| {row.method} | {row.a} | {row.b} | {value} | {row.target or ''} | {row.met()} |")
    return "\n".join(lines)


def last_line(values: dict[str, float]) -> str:
    """``crawl_ratio=... extract_speedup=... rss_growth=... dedupe_ms_at_1m=... date_speedup=...``
    (``nan`` for what was not measured)."""
    return " ".join(f"{key}={values.get(key, float('nan')):.3f}" for key in KEYS)


def environment() -> list[str]:
    """Versions and machine, one ``- name: value`` line each."""
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "absent"

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        commit = f"{commit}{' + uncommitted changes' if dirty else ''}" if commit else "unknown"
    except OSError:
        commit = "unknown"
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = match.group(1).strip() if match else cpu
    import psutil

    return [
        f"- commit of the checkout: {commit}",
        f"- Python {platform.python_version()}, Scrapy {version('scrapy')}, trafilatura {version('trafilatura')},"
        f" datasketch {version('datasketch')}, dateparser {version('dateparser')}, lxml {version('lxml')}",
        f"- machine: {os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GiB RAM,"
        f" {platform.system()} {platform.release()}",
    ]


def section(command: str, rows: list[Row], details: list[str], env: list[str], elapsed_s: float,
            loads: tuple[float, float]) -> str:
    """The BENCHMARKS.md section (between the markers) for one run."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        BEGIN,
        "## Issue 7 set: crawl, extraction, memory, dedupe, dates (`bench/run.py`)",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Run {when}, {elapsed_s / 60:.1f} min end to end; load average {loads[0]:.1f} at start, {loads[1]:.1f} at end"
        " (other jobs shared the machine).",
        *env,
        "",
        table(rows),
        "",
        *details,
        END,
    ])


def write_section(path: Path, text: str) -> None:
    """Replace the marked section of ``path`` (or append it), keeping the rest of the file."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")
