"""The dedupe pipeline: one item per story (issue 3, part 2).

In this order, an item is dropped as

* ``duplicate_url``: its canonical URL was already kept in this run (the store's index
  says which run kept it: no set of URLs is held in memory), or yielded an item in an
  earlier run (normally the incremental middleware does not even fetch it then), unless the
  item is a re-visit (its ``revisit`` is set: the revision pipeline let through only a changed
  text, a new revision of the article);
* ``duplicate_of``: the same fingerprint of normalised title and body
  (:func:`~newsbot.text.signatures.content_fingerprint`) was kept under another URL;
* ``near_duplicate``: MinHash over 3-word shingles of the cleaned body (128 permutations,
  LSH, datasketch) finds kept items of any outlet or sister site whose Jaccard similarity
  is at least ``NEWSBOT_NEAR_DUPLICATE_THRESHOLD`` (0.8); the drop carries it as
  ``similarity``. For an item kept earlier in the same run, while it is one of the
  :data:`~newsbot.state.base.RECENT_SHINGLES` documents indexed last (5,000), the store gives
  its shingle set and the similarity is the exact Jaccard; for older items (earlier runs)
  only the stored signature is at hand, and it is the MinHash estimate, whose standard error
  with 128 permutations is about 0.03 near 0.8 (a pair with a true similarity of 0.84 is
  estimated below 0.8 about once in seven).

The first item of a group is kept and every drop names it in ``duplicate_of``. The index,
shingle sets included, lives in the state store only (shared by runs and by concurrent crawl
processes; nothing is remembered in the process), so the workers of a cluster crawl, which
share the store and one run id (:mod:`newsbot.cluster.dedupe`), take the decisions one process
takes; kept items are indexed as soon as they are kept. With ``-a fresh=1`` documents indexed by earlier runs
are ignored (the run deduplicates only within itself) and still updated.

The body is folded for matching once per item: the item's ``body_folded`` when set (the
loader and the boilerplate pipeline keep it in step with ``body``), else ``body`` folded
here; the fingerprint, the MinHash shingles and the exact shingle set all come from that
one string.

The exact similarity leaves out, on both sides, the shingles of the site's learned
boilerplate (the item's ``learned_boilerplate``, from the boilerplate pipeline). An item met
before its outlet's sign-off line was learned keeps the line in its body and in its stored
shingle set, a later copy met after has it removed; without this, whether the two match,
and how many items the crawl keeps, would depend on the order in which one process, or the
workers of a cluster, meet them. The MinHash and the shingle set cover at most the first
:data:`~newsbot.text.signatures.SHINGLE_CAP` shingles (10,000), so a huge page costs a
bounded time and memory; the fingerprint covers the whole text.

Settings: ``NEWSBOT_DEDUPE_ENABLED`` (True), ``NEWSBOT_NEAR_DUPLICATE_THRESHOLD`` (0.8).
An item the look-up finds nothing against (no document of its URL, of its fingerprint or in
its LSH buckets, no earlier item of its article: most items) is indexed by the look-up itself
(:meth:`~newsbot.state.base.StateStore.look_up` with ``index``; in Redis the same round trip).
On a store that other processes write at once (``store.shared``: Redis), the look-ups and the
indexing of any other item are one optimistic step (:meth:`~newsbot.state.base.StateStore.add_document`
with ``since``): when another process indexed a document with the item's fingerprint or one of
its LSH buckets in between, nothing is indexed and the item is looked up again. No lock, no
waiting, and the decisions of one process.

Stats: ``newsbot/dedupe/kept``, ``newsbot/dedupe/candidates`` (LSH candidates compared),
``newsbot/dedupe/lookups_repeated`` (look-ups repeated on a shared store because a possible
copy was indexed meanwhile).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsbot.config import bool_setting, float_setting
from newsbot.pipelines.drops import PipelineDrop
from newsbot.text import fold_for_match
from newsbot.text.signatures import (
    Signer,
    content_fingerprint_folded,
    folded_shingles,
    jaccard,
    shingle_hashes,
    shingle_set_of,
)
from newsbot.state import ITEM, crawl_state, fresh_run
from newsbot.state.base import Lookup, NewDocument, StoredDocument

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

SHINGLE_DTYPE = np.dtype("<u4")
"""How a shingle set is stored: its hashes as little-endian uint32."""

MAX_LOOKUPS = 50
"""Look-ups of one item on a shared store before it is indexed anyway (each repeat means
another process indexed a possible copy of it in the meantime: in practice one or two)."""

_NO_SHINGLES = np.zeros(0, dtype=SHINGLE_DTYPE)


def _without(shingles: np.ndarray, learned: np.ndarray) -> np.ndarray:
    """A sorted shingle set without the ``learned`` ones (both sorted, distinct)."""
    return np.setdiff1d(shingles, learned, assume_unique=True)


class DedupePipeline:
    """Drops exact and near duplicates of items kept in this run or earlier ones."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not bool_setting(settings, "NEWSBOT_DEDUPE_ENABLED"):
            raise NotConfigured("NEWSBOT_DEDUPE_ENABLED is False")
        self.crawler = crawler
        self.stats = crawler.stats
        self.signer = Signer(float_setting(settings, "NEWSBOT_NEAR_DUPLICATE_THRESHOLD"))
        self.state = crawl_state(crawler)
        self.fresh = False
        self._paragraph_shingles: dict[bytes, np.ndarray] = {}
        self._learned_union = _NO_SHINGLES
        self._learned_count = 0
        self._learned_from: Mapping[bytes, str] | None = None
        self._check_index_layout()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self, spider: Spider) -> None:
        self.fresh = fresh_run(spider)

    def _check_index_layout(self) -> None:
        store = self.state.store
        for key, value in (("signature", self.signer.scheme), ("lsh", self.signer.layout)):
            stored = store.get_meta(key)
            if stored is None:
                store.set_meta(key, value)
            elif stored != value:
                logger.warning(
                    "The near-duplicate index of %s was built with %s %s, this run uses %s (another"
                    " NEWSBOT_NEAR_DUPLICATE_THRESHOLD?): near-duplicates of items kept before are not"
                    " found, exact duplicates still are. Go back to the old threshold or start a new state.",
                    self.state.uri, key, stored, value,
                )
                store.set_meta(key, value)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter.get("url")
        store = self.state.store
        folded = adapter.get("body_folded")
        if folded is None:
            folded = fold_for_match(adapter.get("body") or "")
        fingerprint = content_fingerprint_folded(fold_for_match(adapter.get("title") or ""), folded)
        own = shingle_set_of(shingle_hashes(folded_shingles(folded)))
        signature = self.signer.signature(own)  # a repeated shingle changes no minimum
        band_keys = self.signer.band_keys(signature) if signature is not None else []
        stored = signature.tobytes() if signature is not None else b""
        shingles = own.astype(SHINGLE_DTYPE, copy=False).tobytes()
        site = adapter.get("site") or ""
        learned = self._learned_shingles(adapter.get("learned_boilerplate") or {})
        article_id = adapter.get("article_id")
        # Indexed by the look-up itself when the index holds nothing it could duplicate (most
        # items: one step, in Redis one round trip); else judged here and indexed after. An
        # item record of its article makes it a duplicate unless the run is fresh, it is a
        # re-visit (a changed text: see newsbot.pipelines.revision) or it has no article id.
        new = NewDocument(self.state.run_id, site, stored, shingles,
                          item_ok=self.fresh or bool(adapter.get("revisit")) or not article_id)
        for _ in range(MAX_LOOKUPS):
            found = store.look_up(url or "", fingerprint, band_keys, article_id, index=new if url else None)
            if found.indexed:
                break
            self._check(adapter, found, own, signature, learned, new)
            # A store other processes write at once (Redis: cluster workers, crawls side by
            # side): the look-up and the indexing are one step (optimistic: refused when a
            # possible copy was indexed after the look-up, see StateStore.add_document); a
            # plain SQLite store is one crawl's, nothing to check.
            since = found.mark if store.shared else None
            if store.add_document(url, self.state.run_id, site, fingerprint, stored, band_keys, shingles, since=since):
                break
            self.stats.inc_value("newsbot/dedupe/lookups_repeated")
        else:
            logger.warning("Dedupe: %s looked up %d times while other processes indexed possible copies of it;"
                           " indexed without a last look", url, MAX_LOOKUPS)
            store.add_document(url, self.state.run_id, site, fingerprint, stored, band_keys, shingles)
        self.stats.inc_value("newsbot/dedupe/kept")
        return item

    def _learned_shingles(self, learned: Mapping[bytes, str]) -> np.ndarray:
        """The shingle set of the learned boilerplate paragraphs ``learned`` (``{key: text}``),
        each paragraph's shingles computed once per crawl."""
        if not learned:
            return _NO_SHINGLES
        if len(learned) != self._learned_count or learned is not self._learned_from:
            for key, text in learned.items():
                if key not in self._paragraph_shingles:
                    self._paragraph_shingles[key] = shingle_hashes(folded_shingles(fold_for_match(text)))
            self._learned_union = shingle_set_of(np.concatenate([self._paragraph_shingles[k] for k in learned]))
            self._learned_count, self._learned_from = len(learned), learned
        return self._learned_union

    def _check(self, adapter: ItemAdapter, found: Lookup, own: np.ndarray, signature: np.ndarray | None,
               learned: np.ndarray, new: NewDocument) -> None:
        """Raise :class:`PipelineDrop` when the index holds this URL (this run's, or an item of an
        earlier run), a copy (same fingerprint) or a near copy; in that order. The exact
        similarity leaves out the ``learned`` boilerplate shingles on both sides (module docstring)."""
        url = adapter.get("url")
        if url is not None and found.url_run == self.state.run_id:
            raise PipelineDrop("duplicate_url", f"{url} was already kept in this run", duplicate_of=url)
        if not new.item_ok and found.status == ITEM:
            raise PipelineDrop("duplicate_url", f"{url} yielded an item in an earlier run", duplicate_of=url)
        for doc in found.same:
            if self._counts(doc, url):
                raise PipelineDrop("duplicate_of", f"same title and body as {doc.url}", duplicate_of=doc.url)
        if signature is None:
            return
        best: tuple[float, str] | None = None
        for doc in found.near:
            if not self._counts(doc, url):
                continue
            self.stats.inc_value("newsbot/dedupe/candidates")
            if doc.shingles and doc.run == self.state.run_id:
                theirs = np.frombuffer(doc.shingles, dtype=SHINGLE_DTYPE)
                if len(learned):
                    similarity = jaccard(_without(own, learned), _without(theirs, learned))
                else:
                    similarity = jaccard(own, theirs)
            else:
                similarity = self.signer.similarity(signature, doc.signature)
            if similarity >= self.signer.threshold and (best is None or similarity > best[0]):
                best = (similarity, doc.url)
        if best is not None:
            similarity = round(best[0], 3)
            raise PipelineDrop(
                "near_duplicate",
                f"estimated Jaccard similarity {similarity} with {best[1]}",
                duplicate_of=best[1],
                similarity=similarity,
            )

    def _counts(self, doc: StoredDocument, url: str) -> bool:
        """Whether an indexed document is a kept item this one duplicates: never itself (a URL
        re-kept after its run was killed before the feed was stored), and under
        ``fresh=1`` only documents of this run."""
        return doc.url != url and (doc.run == self.state.run_id or not self.fresh)
