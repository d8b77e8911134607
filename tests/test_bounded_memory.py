"""Bounded memory of long crawls (issue 7, point 5): start requests paced to the downloader,
request fingerprints spilled to disk past ``NEWSBOT_DUPEFILTER_MEMORY``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, signals
from scrapy.dupefilters import RFPDupeFilter
from scrapy.settings import Settings
from scrapy.utils.request import RequestFingerprinter

from newsbot.dupefilter import FingerprintSet, SpillingDupeFilter
from tests.crawling import crawl_snapshot, write_snapshot

HOST = "www.maghress.com"
ARTICLE = ('<html><head><meta charset="utf-8"></head><body><span class="articletitle">{t}</span>'
           '<span class="articlenewspaper">Publié dans <a href="/fr/varia">Varia</a> le 06 - 10 - 2021</span>'
           '<span class="articlecontent">{b}</span></body></html>')
WORDS = "le conseil la région les habitants un projet une route des écoles nouvelle saison du port".split()


class SchedulerProbe:
    """Test extension: the largest number of requests the scheduler held, as a stat."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.most = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> SchedulerProbe:
        probe = cls(crawler)
        crawler.signals.connect(probe.request_scheduled, signal=signals.request_scheduled)
        return probe

    def request_scheduled(self) -> None:
        scheduler = self.crawler.engine.scheduler
        self.most = max(self.most, len(scheduler) + 1)  # this request is counted after the signal
        self.crawler.stats.set_value("test/scheduler/most", self.most)


def _body(number: int) -> str:
    """A made-up paragraph of its own per article (no near-duplicates)."""
    return " ".join(f"{WORDS[(number * k + k * k) % len(WORDS)]}{number * 31 + k}" for k in range(40))


@pytest.fixture(scope="module")
def varia(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_snapshot(tmp_path_factory.mktemp("varia"), {
        (HOST, f"/fr/varia/{n}"): (200, {}, ARTICLE.format(t=f"Article numéro {n}", b=_body(n))) for n in range(1, 41)
    })


def test_an_ids_crawl_is_paced_and_its_fingerprints_spill(varia: Path, tmp_path: Path) -> None:
    # 40 ids, then 15 of them again: the dupefilter filters those 15 from its spill database
    # (4 fingerprints in memory), and the scheduler never holds the 55 start requests at once.
    project = Settings()
    project.setmodule("newsbot.settings")
    extensions = {**project.getdict("EXTENSIONS"), "tests.test_bounded_memory.SchedulerProbe": 0}
    result = crawl_snapshot("maghress", varia, tmp_path, args={"ids": "fr/varia:1-40,fr/varia:11-25"},
                            settings={"NEWSBOT_BOILERPLATE_WARMUP": 0, "NEWSBOT_DUPEFILTER_MEMORY": 4,
                                      "CONCURRENT_REQUESTS": 2, "AUTOTHROTTLE_ENABLED": False,
                                      "EXTENSIONS": extensions})
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(int(item["url"].rsplit("/", 1)[1]) for item in result.items) == list(range(1, 41))
    assert result.stat("dupefilter/filtered") == 15
    assert result.stat("downloader/request_count") == 41  # robots.txt and 40 articles
    assert result.stat("test/scheduler/most") <= 3, result.stat("test/scheduler/most")
    assert "Duplicate filter: 40 request fingerprints, 40 of them were kept on disk" in result.log


def _requests(numbers: range) -> list[Request]:
    return [Request(f"https://www.maghress.com/fr/varia/{n}") for n in numbers]


def test_fingerprint_set_answers_like_a_set() -> None:
    fps = FingerprintSet(memory=3)
    kept: set[bytes] = set()
    for n in list(range(20)) + list(range(5, 25)):
        fp = n.to_bytes(20, "big")
        assert (fp in fps) == (fp in kept)
        fps.add(fp)
        kept.add(fp)
    assert len(fps) == len(kept) == 25 and fps.spilled == 24
    assert b"\0" * 19 + b"\x63" not in fps
    fps.close()
    assert len(fps) == 0 and 1 .to_bytes(20, "big") not in fps


def test_fingerprint_set_refuses_no_memory() -> None:
    with pytest.raises(ValueError, match="at least one"):
        FingerprintSet(memory=0)


def test_jobdir_file_is_scrapys_both_ways(tmp_path: Path) -> None:
    # requests.seen written by the spilling filter is read back by it and by Scrapy's own filter
    fingerprinter = RequestFingerprinter()
    first = SpillingDupeFilter(str(tmp_path), fingerprinter=fingerprinter, memory=2)
    assert [first.request_seen(r) for r in _requests(range(1, 8))] == [False] * 7
    assert first.request_seen(_requests(range(3, 4))[0])
    first.close("shutdown")
    for again in (SpillingDupeFilter(str(tmp_path), fingerprinter=fingerprinter, memory=2),
                  RFPDupeFilter(str(tmp_path), fingerprinter=fingerprinter)):
        assert [again.request_seen(r) for r in _requests(range(1, 10))] == [True] * 7 + [False] * 2
        again.close("finished")
    resumed = SpillingDupeFilter(str(tmp_path), fingerprinter=fingerprinter, memory=2)
    assert len(resumed._fingerprints) == 9  # noqa: SLF001
    resumed.close("finished")


def test_setting_is_checked(tmp_path: Path, varia: Path) -> None:
    result = crawl_snapshot("maghress", varia, tmp_path, args={"ids": "fr/varia:1-2"},
                            settings={"NEWSBOT_DUPEFILTER_MEMORY": 0})
    assert result.returncode == 1
    assert "NEWSBOT_DUPEFILTER_MEMORY='0' must be a whole number of 1 or more" in result.log, result.log[-2000:]
    assert json.dumps(result.items) == "[]"


def test_paced_without_an_engine_yields_everything() -> None:
    # a spider driven by hand (bench/extraction.py, scrapy check): no engine, nothing waits
    import asyncio

    from scrapy.utils.test import get_crawler

    from newsbot.spiders.pacing import paced

    async def collect() -> list[int]:
        return [n async for n in paced(get_crawler(), range(5))]

    assert asyncio.run(collect()) == [0, 1, 2, 3, 4]
