"""The revision pipeline: which version of an article's text an item is (issue 9, re-visits).

Every record carries ``revision``: 1 for the first text of an article, 2, 3... for each changed
text. "The text" is the title and body as written, after every cleaning rule
(:func:`content_hash`: 32 hex digits of BLAKE2b over both); the state store keeps, per article
that yielded an item, the revision and hash of its last written text
(:class:`~newsbot.state.base.SeenArticle`, recorded with the article by
:mod:`newsbot.extensions.seen`, so only once the feed holding it is stored).

For an item of an article that has no ``item`` record, ``revision`` is 1. Otherwise:

* a **re-visit** (the incremental middleware fetched the page again, ``-a revisit_days=N``;
  the item's internal ``revisit`` is True): the same hash is dropped as ``unchanged``
  (``PipelineDrop``, logged at DEBUG, counted ``newsbot/revisit/unchanged``, never written);
  another hash is the next revision, counted ``newsbot/revisit/changed`` and written (the
  dedupe pipeline does not take it for a duplicate of its own earlier version). A record
  without hash (written before issue 9) is taken as the first version: the re-visit records
  the hash it finds as revision 1's and writes nothing (``unchanged``, counted also as
  ``newsbot/revisit/baseline``); a later change is revision 2.
* any other item (``-a fresh=1``, ``NEWSBOT_INCREMENTAL_ENABLED=False``, an id redirecting to
  an article done before) keeps the stored revision for the same text and gets the next one
  for another; it goes on to the dedupe pipeline, which drops it as ``duplicate_url`` unless
  the run is ``fresh``.

Runs after the boilerplate pipeline (the text compared is the text written) and validation,
before dedupe (an unchanged re-visit never reaches the dedupe index).
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from newsbot.pipelines.drops import PipelineDrop
from newsbot.state import ITEM, crawl_state

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def content_hash(title: str | None, body: str | None) -> str:
    """The hash of a record's text: BLAKE2b (16 bytes, hex) of the title and the body as
    written, so any change of either is a new text and nothing else is.

    >>> content_hash("Titre", "Un paragraphe.")
    '24ec55390a935028ee0ce3a6ad25f89d'
    >>> content_hash("Titre", "Un paragraphe corrigé.") != content_hash("Titre", "Un paragraphe.")
    True
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update((title or "").encode("utf-8"))
    digest.update(b"\0")
    digest.update((body or "").encode("utf-8"))
    return digest.hexdigest()


class Unchanged(PipelineDrop):
    """The drop of a re-visit whose text is the stored one. ``baseline``: the stored record
    had no hash (written before issue 9), so this one is recorded as the first version's."""

    def __init__(self, url: str | None, revision: int, *, baseline: bool) -> None:
        detail = "no hash recorded before: this text recorded as revision 1" if baseline else f"same text as revision {revision}"
        super().__init__("unchanged", f"re-visit of {url}: {detail}")
        self.baseline = baseline
        self.log_level = "DEBUG"  # one per re-visited page: counted, not worth a line each


class RevisionPipeline:
    """Sets ``revision`` and ``content_hash``; drops unchanged re-visits (module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.state = crawl_state(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RevisionPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        text = content_hash(adapter.get("title"), adapter.get("body"))
        adapter["content_hash"] = text
        article_id = adapter.get("article_id")
        looked_up = adapter.get("stored_record")  # the incremental middleware's look-up, made with the request
        if looked_up is not None and looked_up[0] == article_id:
            seen = looked_up[1]
        else:
            seen = self.state.store.article_versions([article_id]).get(article_id) if article_id else None
        if seen is None or seen.status != ITEM:
            adapter["revision"] = 1
            return item
        stored = seen.revision or 1
        same = seen.content_hash is None or seen.content_hash == text
        adapter["revision"] = stored if same else stored + 1
        if not adapter.get("revisit"):
            return item
        if same:
            self.stats.inc_value("newsbot/revisit/unchanged")
            if seen.content_hash is None:
                self.stats.inc_value("newsbot/revisit/baseline")
            raise Unchanged(adapter.get("url"), stored, baseline=seen.content_hash is None)
        self.stats.inc_value("newsbot/revisit/changed")
        logger.info("Re-visit of %s: the text changed, written as revision %d", adapter.get("url"), stored + 1)
        return item
