"""A Scrapy extension that measures the crawl window of the process it runs in.

Enabled by ``-s BENCH_PROBE_FILE=path.json``; both the newsbot crawl and the bare spider
load it, so both are measured the same way. From ``engine_started`` to ``spider_closed``:

* ``wall_s``: wall-clock seconds (``time.perf_counter``);
* ``cpu_s``: user + system CPU seconds of the whole process, all threads
  (``resource.getrusage(RUSAGE_SELF)``), so interpreter start-up and imports are left out;
* ``maxrss_mib``: the process's peak resident set size so far: ``VmHWM`` of
  ``/proc/self/status`` on Linux (``ru_maxrss`` elsewhere). Not ``ru_maxrss`` on Linux: it
  keeps the peak of the image before ``exec``, i.e. of the parent that spawned the crawl
  (``vfork``), so a crawl started by a big bench process would report the bench's size;
* ``responses`` / ``items``: ``downloader/response_count`` and ``item_scraped_count``;
* ``marks`` (with ``-s BENCH_PROBE_MARKS=10000,20000``): ``{responses: VmHWM MiB}`` read when
  the crawl's response count reaches each mark, so one crawl gives the peak RSS a crawl of
  that many pages would have had (the peak at the close of a shorter crawl of the same pages,
  less the few closing steps).
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured


def peak_rss_mib() -> float:
    """Peak resident set size of this process image, MiB (see module docstring)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CrawlProbe:
    """See module docstring."""

    def __init__(self, crawler: Any, path: Path, marks: list[int] | None = None) -> None:
        self.crawler = crawler
        self.path = path
        self.started: tuple[float, float] | None = None
        self.marks = sorted(marks or [])
        self.at_marks: dict[int, float] = {}
        self.responses = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlProbe:
        path = crawler.settings.get("BENCH_PROBE_FILE")
        if not path:
            raise NotConfigured
        marks = [int(m) for m in crawler.settings.getlist("BENCH_PROBE_MARKS")]
        probe = cls(crawler, Path(path), marks)
        crawler.signals.connect(probe.engine_started, signal=signals.engine_started)
        crawler.signals.connect(probe.spider_closed, signal=signals.spider_closed)
        if marks:
            crawler.signals.connect(probe.response_received, signal=signals.response_received)
        return probe

    def response_received(self) -> None:
        self.responses += 1
        if self.marks and self.responses >= self.marks[0]:
            self.at_marks[self.marks.pop(0)] = peak_rss_mib()

    def engine_started(self) -> None:
        self.started = (time.perf_counter(), _cpu_s())

    def spider_closed(self, spider: Any, reason: str) -> None:
        wall0, cpu0 = self.started or (time.perf_counter(), _cpu_s())
        stats = self.crawler.stats
        self.path.write_text(json.dumps({
            "wall_s": time.perf_counter() - wall0,
            "cpu_s": _cpu_s() - cpu0,
            "maxrss_mib": peak_rss_mib(),
            "responses": stats.get_value("downloader/response_count", 0),
            "items": stats.get_value("item_scraped_count", 0),
            "finish_reason": reason,
            "marks": self.at_marks,
        }))
