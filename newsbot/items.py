"""The article record newsbot writes, one JSON object per line of a feed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from itemadapter import ItemAdapter
from itemadapter.adapter import DataclassAdapter

from newsbot.text.body import CleanBody

PUBLIC_FIELDS = (
    "article_id", "url", "site", "edition", "language", "outlet", "outlet_slug", "title",
    "published", "body", "body_source", "extractor", "extraction_confidence", "source_url", "crawled_at",
    "revision", "warc_record_id",
)


@dataclass
class ArticleItem:
    """One article republished by an aggregator.

    Every field is always present in the feed (null when unknown), in this order:

    * ``article_id``: ``site:edition:outlet_slug:id``, e.g. ``maghress:fr:h24info:1165387``;
    * ``url``: canonical aggregator URL, ``https://www.maghress.com/fr/h24info/1165387``;
    * ``site`` (``maghress``), ``edition`` (``fr``), ``language`` (``fr``);
    * ``outlet``: display name from the dateline (``H24 Info``), ``outlet_slug`` from the URL;
    * ``title``; ``published``: ISO date from the dateline (``2021-10-20``) or null;
    * ``body``: paragraphs joined by a blank line;
    * ``body_source``: ``aggregator``; ``aggregator_teaser`` when the page holds only a teaser
      ending in ``(...)`` or ``…`` (and its source page did not give the article); ``outlet`` when
      the body is the outlet page's text, fetched from ``source_url`` for a teaser;
    * ``extractor``: what read the body, ``"name version"``: ``newsbot-ress 1.0.0`` (the
      aggregator's template, :data:`newsbot.text.teaser.AGGREGATOR_EXTRACTOR`) or the outlet
      extractor's candidate that won (``trafilatura 2.3.1``, :mod:`newsbot.outlets`);
    * ``extraction_confidence``: in [0, 1], low where the body is likely wrong or partial
      (:func:`newsbot.text.teaser.aggregator_confidence`, or the outlet extractor's);
    * ``source_url``: the "read it at its source" link, absolute, otherwise as written; an
      http(s) URL or null (a ``javascript:`` or ``mailto:`` link is not kept);
    * ``crawled_at``: UTC time of the response, ``2026-11-29T15:04:05Z`` (the WARC-Date of its
      archived response when archived);
    * ``revision``: which version of the article's text this record holds: 1 for the first,
      2, 3... for each changed text a re-visit found (``-a revisit_days=N``,
      :mod:`newsbot.pipelines.revision`); never null;
    * ``warc_record_id``: the WARC-Record-ID of the page's archived response,
      ``<urn:uuid:...>`` (:mod:`newsbot.archive`), null when ``NEWSBOT_ARCHIVE`` is unset.

    Internal fields (not exported, see ``FEED_EXPORT_FIELDS``), set by the loader and kept in
    step with ``body`` by the boilerplate pipeline, so no later component cleans or folds the
    body again: ``body_parts``, the body's paragraphs, each normalised and folded once, with
    what the loader's stateless rules removed (:class:`newsbot.text.body.CleanBody`);
    ``body_folded``, the whole body folded for matching (:func:`newsbot.text.fold_for_match`;
    None: fold ``body`` yourself); ``learned_boilerplate``, the paragraphs the boilerplate
    pipeline knows as its site's learned boilerplate (``{key: text}``, the learner's own
    mapping), which the dedupe pipeline leaves out of the texts it compares. Set by the re-visit policy: ``revisit``, True when the page
    was fetched again because its article was first seen within ``revisit_days``
    (:mod:`newsbot.middlewares.incremental`); ``stored_record``, ``(article_id, record)``: what
    the store held of the article when its request was made (a
    :class:`~newsbot.state.base.SeenArticle` or None), read by the revision pipeline instead of
    a second look-up; ``content_hash``, the hash of the written title
    and body (:func:`newsbot.pipelines.revision.content_hash`), recorded in the state.
    """

    article_id: str | None = None
    url: str | None = None
    site: str | None = None
    edition: str | None = None
    language: str | None = None
    outlet: str | None = None
    outlet_slug: str | None = None
    title: str | None = None
    published: str | None = None
    body: str | None = None
    body_source: str | None = None
    extractor: str | None = None
    extraction_confidence: float | None = None
    source_url: str | None = None
    crawled_at: str | None = None
    revision: int = 1
    warc_record_id: str | None = None
    # Left out of the repr: Scrapy logs an item's repr (dropped items at WARNING).
    body_parts: CleanBody | None = field(default=None, repr=False)
    body_folded: str | None = field(default=None, repr=False)
    revisit: bool = field(default=False, repr=False)
    content_hash: str | None = field(default=None, repr=False)
    learned_boilerplate: Mapping[bytes, str] | None = field(default=None, repr=False)
    stored_record: tuple[str, Any] | None = field(default=None, repr=False)  # (article_id, SeenArticle | None)


INTERNAL_FIELDS = ("body_parts", "body_folded", "revisit", "content_hash", "learned_boilerplate", "stored_record")
assert PUBLIC_FIELDS == tuple(f.name for f in fields(ArticleItem) if f.name not in INTERNAL_FIELDS)


class ArticleItemAdapter(DataclassAdapter):
    """itemadapter's dataclass adapter for :class:`ArticleItem` exactly, with the field table
    built once: the generic one tries every adapter class and builds it again for each
    ``ItemAdapter(item)``, which the pipelines, extensions and exporters make for every item
    (about 5 µs each). Registered first in ``ItemAdapter.ADAPTER_CLASSES`` (itemadapter's way
    of adding an adapter) when this module is imported; any other item goes on as before.

    >>> ItemAdapter(ArticleItem(title="T")).adapter.__class__.__name__, ItemAdapter(ArticleItem(title="T"))["title"]
    ('ArticleItemAdapter', 'T')
    """

    _FIELDS = {f.name: f for f in fields(ArticleItem)}

    def __init__(self, item: Any) -> None:  # noqa: D107 - no call to DataclassAdapter's: the table is the class's
        self.item = item
        self._fields_dict = self._FIELDS

    @classmethod
    def is_item(cls, item: Any) -> bool:
        return type(item) is ArticleItem

    @classmethod
    def is_item_class(cls, item_class: type) -> bool:
        return item_class is ArticleItem


if ArticleItemAdapter not in ItemAdapter.ADAPTER_CLASSES:
    ItemAdapter.ADAPTER_CLASSES.appendleft(ArticleItemAdapter)
