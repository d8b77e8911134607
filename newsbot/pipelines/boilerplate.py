"""The boilerplate pipeline: the stateful body rules (issue 3, part 1; reshaped in issue 7).

The stateless rules (ticker banners by shape, template sentences, "read also" lines) ran once
in the item loader (:mod:`newsbot.text.body`); this pipeline applies what needs the crawl's
memory, to paragraphs already normalised and folded:

* lines made only of headlines of the site's ticker and "most read" lists
  (:class:`~newsbot.text.headlines.HeadlineIndex`, fed by the spider's
  :data:`~newsbot.signals.furniture_read` signal), and known headlines glued to body text that
  was glued to a ticker;
* learned boilerplate: paragraphs seen in many articles of the site with different titles
  (:mod:`newsbot.pipelines.learning`), with a warm-up (:mod:`newsbot.pipelines.warmup`).

Settings: ``NEWSBOT_BOILERPLATE_ENABLED``, ``NEWSBOT_BOILERPLATE_MIN_REPEATS``,
``NEWSBOT_BOILERPLATE_WARMUP``, ``NEWSBOT_BOILERPLATE_FORGET_DAYS``.
Drops: ``empty_body`` (nothing left after cleaning), ``missing_title`` (the title was only
a template sentence). Stats under ``newsbot/boilerplate/``: ``lines/<kind>`` (lines removed
per kind: ticker, read_also, template, headlines, learned), ``items_cleaned``,
``titles_cleaned``, ``learned`` (paragraphs learned this run), ``late`` (items already
emitted with a paragraph learned afterwards), ``held``, ``headlines`` (ticker and "most
read" headlines collected).
"""

from __future__ import annotations

import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Container, Sequence
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsbot.config import bool_setting, float_setting, int_setting
from newsbot.pipelines.drops import PipelineDrop
from newsbot.pipelines.learning import BoilerplateLearner, observed
from newsbot.pipelines.warmup import WarmupGate
from newsbot.signals import furniture_read
from newsbot.state import crawl_state
from newsbot.text.body import REMOVED_KINDS, CleanBody, Paragraph, clean_lines, clean_piece, clean_title
from newsbot.text.headlines import HeadlineIndex
from newsbot.text.normalize import normalize_text, split_paragraphs

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from newsbot.pages.furniture import FurnitureBox

logger = logging.getLogger(__name__)

SEEN_BOXES = 1024
"""Furniture boxes (by markup) remembered as read: a ticker seen on every page is read once."""


class BoilerplatePipeline:
    """Removes headline lines and learned boilerplate from an item's body (module docstring).

    Items of a site are held until ``NEWSBOT_BOILERPLATE_WARMUP`` items of that site have been
    seen (counting earlier runs: the count is in the state store) or the crawl can bring
    nothing new (:mod:`newsbot.pipelines.warmup`); after that they go on at once with what is
    known.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not bool_setting(settings, "NEWSBOT_BOILERPLATE_ENABLED"):
            raise NotConfigured("NEWSBOT_BOILERPLATE_ENABLED is False")
        self.crawler = crawler
        self.stats = crawler.stats
        self.warmup = int_setting(settings, "NEWSBOT_BOILERPLATE_WARMUP")
        self.forget_days = float_setting(settings, "NEWSBOT_BOILERPLATE_FORGET_DAYS")
        self.state = crawl_state(crawler)
        self.learner = BoilerplateLearner(self.state.store, int_setting(settings, "NEWSBOT_BOILERPLATE_MIN_REPEATS"))
        self.headlines: dict[str, HeadlineIndex] = {}
        self.gate = WarmupGate(crawler)
        self._seen_boxes: OrderedDict[bytes, None] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.furniture_read, signal=furniture_read)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    # --- signals ----------------------------------------------------------------------------
    def furniture_read(self, site: str, boxes: Sequence[FurnitureBox], spider: Spider | None = None) -> None:
        """Collect the ticker and "most read" headlines of a page of ``site``; a box already
        read (same markup) is skipped."""
        index = self.headlines.get(site)
        if index is None:  # not setdefault: that would build an index for every page
            index = self.headlines[site] = HeadlineIndex()
        added = 0
        for box in boxes:
            if box.key in self._seen_boxes:
                self._seen_boxes.move_to_end(box.key)
                continue
            self._seen_boxes[box.key] = None
            if len(self._seen_boxes) > SEEN_BOXES:
                self._seen_boxes.popitem(last=False)
            added += index.add_all(box.headlines())
        if added:
            self.stats.inc_value("newsbot/boilerplate/headlines", added)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.gate.release(None, "closed")  # nothing should be left; never strand an item
        self.learner.save()
        forgotten = self.state.store.forget_candidates(time.time() - self.forget_days * 86400)
        if forgotten:
            logger.info("Forgot %d boilerplate candidates older than %g days", forgotten, self.forget_days)

    # --- items ----------------------------------------------------------------------------------
    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        site = adapter.get("site") or "unknown"
        parts: CleanBody = adapter.get("body_parts") or clean_lines(split_paragraphs(adapter.get("body")))
        title = adapter.get("title")
        seen = self.learner.see_item(site)
        index = self.headlines.get(site)
        known = len(index) if index is not None else 0
        removed: Counter[str] = Counter()
        first = clean_stateful(parts.paragraphs, index, (), removed)
        # Counts the paragraphs, and reads what other processes sharing the store learned (cluster workers).
        for learned in self.learner.observe(site, title, first):
            self.stats.inc_value("newsbot/boilerplate/learned")
            late = learned.earlier - self.gate.held_with(site, learned.key)
            if late > 0:
                self.stats.inc_value("newsbot/boilerplate/late", late)
        if seen < self.warmup:
            self.stats.inc_value("newsbot/boilerplate/held")
            await self.gate.hold(site, {p.key for p in observed(first)})  # only those can become learned
            self.learner.refresh(site)  # what other processes sharing the store learned meanwhile
        else:
            self.gate.release(site, "warm-up done")
        learned_keys = self.learner.learned(site)
        index = self.headlines.get(site)
        if (len(index) if index is not None else 0) != known:  # new headlines came in while held
            removed = Counter()
            first = clean_stateful(parts.paragraphs, index, (), removed)
        kept = clean_stateful(first, None, learned_keys, removed) if learned_keys else first
        return self._finish(item, adapter, parts, kept, removed, title)

    def _finish(self, item: Any, adapter: ItemAdapter, parts: CleanBody, kept: list[Paragraph],
                removed: Counter[str], title: str | None) -> Any:
        removed = parts.removed + removed
        for kind in REMOVED_KINDS:
            if removed[kind]:
                self.stats.inc_value(f"newsbot/boilerplate/lines/{kind}", removed[kind])
        if sum(removed.values()):
            self.stats.inc_value("newsbot/boilerplate/items_cleaned")
        cleaned_title = clean_title(title)
        if cleaned_title != title:
            self.stats.inc_value("newsbot/boilerplate/titles_cleaned")
            if cleaned_title is None:
                raise PipelineDrop("missing_title", f"the title of {adapter.get('url')} is only template text")
            adapter["title"] = cleaned_title
        if not kept:
            raise PipelineDrop("empty_body", f"nothing is left of the body of {adapter.get('url')} after cleaning")
        body = CleanBody(kept, removed)
        adapter["body"] = body.body
        if "body_parts" in adapter.field_names():
            adapter["body_parts"] = body
            adapter["body_folded"] = body.folded
            adapter["learned_boilerplate"] = self.learner.learned(adapter.get("site") or "unknown")
        return item


def clean_body(raw_lines: Sequence[str], headlines: HeadlineIndex | None = None,
               learned: Container[bytes] = ()) -> CleanBody:
    """A body's raw lines through every rule, stateless and stateful, as a crawl cleans them
    (what the item loader does, then this pipeline, without a warm-up).

    >>> index = HeadlineIndex(["Pluie sur Fès toute la nuit", "Budget voté en commission"])
    >>> clean_body(["Premier paragraphe.", "Pluie sur Fès toute la nuit", "Lire aussi: Un autre sujet"], index).texts
    ['Premier paragraphe.']
    """
    parts = clean_lines(raw_lines)
    removed: Counter[str] = Counter()
    kept = clean_stateful(parts.paragraphs, headlines, learned, removed)
    return CleanBody(kept, parts.removed + removed)


def clean_stateful(paragraphs: Sequence[Paragraph], headlines: HeadlineIndex | None, learned: Container[bytes],
                   removed: Counter[str]) -> list[Paragraph]:
    """The paragraphs left after the stateful rules: body text that was glued to a ticker
    loses known headlines at its edges (and goes through the stateless rules again), lines
    made of known ``headlines`` go, then ``learned`` boilerplate (paragraph keys) goes.
    Counts what goes in ``removed`` (``headlines``, ``learned``)."""
    kept = []
    for paragraph in paragraphs:
        if paragraph.source is not None and headlines is not None:
            stripped = headlines.strip_edges(paragraph.source)
            if stripped != normalize_text(paragraph.source):
                again = clean_piece(stripped, removed) if stripped else None
                if again is None:
                    continue
                paragraph = Paragraph(again.text, again.folded, paragraph.source)
        if headlines is not None and headlines.is_headline_folded(paragraph.folded):
            removed["headlines"] += 1
            continue
        if learned and paragraph.key in learned:
            removed["learned"] += 1
            continue
        kept.append(paragraph)
    return kept
