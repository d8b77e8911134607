"""``extract_speedup``: newsbot's work on one aggregator article page against ``trafilatura.extract``.

Both sides get the same generated article pages (UTF-8 bytes; trafilatura the decoded
string, as ``trafilatura.extract(html)`` is usually called) and are timed page by page with
``time.perf_counter`` in this process, alternately, ``rounds`` times; a page's time is its
median over the rounds, and the result the median over pages, in milliseconds.

newsbot's side is :func:`newsbot_extract`, the one function to adapt when newsbot's modules
move: it does per page what a crawl does to read and clean a page once it is downloaded (no
network, no engine): the spider's callback (page parsed once, furniture read, fields
extracted, the loader's stateless body rules) and the boilerplate pipeline. Deduplication is
not extraction; ``bench/run.py`` measures it in its own step.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.replica_gen import Key, ReplicaSite


@dataclass(frozen=True)
class Page:
    """A generated article page: its URL on the real site, bytes, and the clean body."""

    key: Key
    url: str
    body: bytes
    gold: str


def sample_pages(site: ReplicaSite, count: int) -> list[Page]:
    """``count`` article pages spread evenly over both editions' listed articles (4 French to 1 Arabic)."""
    keys = site.keys("fr") + site.keys("ar")
    step = max(1, len(keys) // count)
    out = []
    for key in keys[::step][:count]:
        out.append(Page(key, key.url, site.article_html(key), "\n\n".join(site.article(key).paragraphs)))
    return out


# --- newsbot ----------------------------------------------------------------------------------------
NEWSBOT_OVERRIDES = {
    "NEWSBOT_STATE": "sqlite:///:memory:",  # nothing on disk, nothing kept
    "NEWSBOT_BOILERPLATE_WARMUP": 0,  # no item is held: each page is measured on its own
    # Extraction and cleaning, as the issue defines the comparison: the dedupe pipeline is
    # not cleaning (it is measured on its own, step "dedupe" of bench/run.py).
    "NEWSBOT_DEDUPE_ENABLED": False,
    # Nor is validating the record against its schema (a check of what was extracted; the crawl
    # step counts it).
    "NEWSBOT_VALIDATION_ENABLED": False,
    "NEWSBOT_RENDER_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}


def newsbot_extract(pages: list[Page], bodies: list[str | None] | None = None) -> list[float]:
    """Milliseconds per page of newsbot's reading and cleaning of article pages, in page order.

    Per page, timed: the ``HtmlResponse`` built from the bytes (with the request the
    spider itself makes for that article, from ``-a ids=...``), the ``response_received``
    signal, the request's callback (which hands the page's ticker and "most read" headlines
    to the boilerplate pipeline), and every enabled item pipeline's ``process_item`` on what it
    yields: the boilerplate pipeline (``NEWSBOT_DEDUPE_ENABLED=False`` here, see module docstring). Built as a crawl builds them: project settings, the spider class from
    Scrapy's spider loader, the pipelines from ``ITEM_PROCESSOR``; state in memory,
    ``NEWSBOT_BOILERPLATE_WARMUP=0``. A fresh crawler per call. ``bodies`` (optional)
    receives each page's item body, None when no item came out.
    """
    with tempfile.TemporaryDirectory(prefix="newsbot-extract-") as data_dir:  # where the add-on puts the default feed
        return asyncio.run(_newsbot_extract(pages, bodies, data_dir))


async def _newsbot_extract(pages: list[Page], bodies: list[str | None] | None, data_dir: str) -> list[float]:
    from itemadapter import ItemAdapter, is_item
    from scrapy import signals
    from scrapy.exceptions import DropItem
    from scrapy.http import HtmlResponse
    from scrapy.spiderloader import get_spider_loader
    from scrapy.utils.misc import build_from_crawler, load_object
    from scrapy.utils.test import get_crawler

    import newsbot.settings

    settings = {name: getattr(newsbot.settings, name) for name in dir(newsbot.settings) if name.isupper()}
    settings.update(NEWSBOT_OVERRIDES, NEWSBOT_DATA_DIR=data_dir)
    spidercls = get_spider_loader(_settings(settings)).load("maghress")
    crawler = get_crawler(spidercls, settings)
    ids = ",".join(f"{p.key.edition}/{p.key.slug}:{p.key.number}-{p.key.number}" for p in pages)
    spider = spidercls.from_crawler(crawler, ids=ids)
    crawler.spider = spider
    requests = {request.url: request async for request in spider.start()}
    pipelines = build_from_crawler(load_object(crawler.settings["ITEM_PROCESSOR"]), crawler)
    crawler.signals.send_catch_log(signals.spider_opened, spider=spider)
    await pipelines.open_spider_async()
    timings = []
    for page in pages:
        request = requests[page.url]
        started = time.perf_counter()
        response = HtmlResponse(url=page.url, body=page.body, request=request,
                                headers={"Content-Type": "text/html; charset=utf-8"})
        crawler.signals.send_catch_log(signals.response_received, response=response, request=request, spider=spider)
        body = None
        for result in await _results((request.callback or spider.parse)(response)):
            if is_item(result):
                try:
                    body = ItemAdapter(await pipelines.process_item_async(result)).get("body")
                except DropItem:
                    pass
        timings.append((time.perf_counter() - started) * 1000)
        if bodies is not None:
            bodies.append(body)
    await pipelines.close_spider_async()
    return timings


def _settings(values: dict[str, Any]) -> Any:
    from scrapy.settings import Settings

    return Settings(values)


async def _results(output: Any) -> list[Any]:
    """A callback's output as a list, whether it is a generator or an async generator."""
    if inspect.isasyncgen(output):
        return [x async for x in output]
    return list(output or ())


# --- trafilatura -------------------------------------------------------------------------------------
def trafilatura_extract(pages: list[Page], bodies: list[str | None] | None = None) -> list[float]:
    """Milliseconds per page of ``trafilatura.extract(html)`` (default options) on the decoded pages."""
    import trafilatura

    texts = [p.body.decode("utf-8") for p in pages]
    timings = []
    for text in texts:
        started = time.perf_counter()
        out = trafilatura.extract(text)
        timings.append((time.perf_counter() - started) * 1000)
        if bodies is not None:
            bodies.append(out)
    return timings


# --- comparison ----------------------------------------------------------------------------------------
@dataclass
class ExtractResult:
    newsbot_ms: float
    trafilatura_ms: float
    newsbot_f1: float
    trafilatura_f1: float
    pages: int

    @property
    def speedup(self) -> float:
        return self.trafilatura_ms / self.newsbot_ms


def word_f1(found: str | None, gold: str) -> float:
    """Bag-of-words F1 of an extracted body against the clean text (the usual body-extraction score)."""
    a, b = Counter(re.findall(r"\w+", (found or "").lower())), Counter(re.findall(r"\w+", gold.lower()))
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def compare(pages: list[Page], rounds: int = 3,
            newsbot: Callable[..., list[float]] = newsbot_extract) -> ExtractResult:
    """Alternate newsbot and trafilatura over ``pages`` ``rounds`` times (after a warm-up)."""
    newsbot(pages[:5])
    trafilatura_extract(pages[:5])
    per_page: dict[str, list[list[float]]] = {"newsbot": [], "trafilatura": []}
    outputs: dict[str, list[str | None]] = {"newsbot": [], "trafilatura": []}
    for r in range(rounds):
        per_page["newsbot"].append(newsbot(pages, outputs["newsbot"] if r == 0 else None))
        per_page["trafilatura"].append(trafilatura_extract(pages, outputs["trafilatura"] if r == 0 else None))

    def median_ms(runs: list[list[float]]) -> float:
        return statistics.median(statistics.median(times) for times in zip(*runs, strict=True))

    def mean_f1(found: list[str | None]) -> float:
        return statistics.fmean(word_f1(f, p.gold) for f, p in zip(found, pages, strict=True))

    return ExtractResult(median_ms(per_page["newsbot"]), median_ms(per_page["trafilatura"]),
                         mean_f1(outputs["newsbot"]), mean_f1(outputs["trafilatura"]), len(pages))
