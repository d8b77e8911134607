"""The article record newsbot writes, one JSON object per line of a feed."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

PUBLIC_FIELDS = (
    "article_id", "url", "site", "edition", "language", "outlet", "outlet_slug", "title",
    "published", "body", "body_source", "source_url", "crawled_at",
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
    * ``body_source``: ``aggregator``, or ``aggregator_teaser`` when the page holds only a
      teaser ending in ``(...)``;
    * ``source_url``: the "read it at its source" link, absolute, otherwise as written;
    * ``crawled_at``: UTC time of the response, ``2026-11-29T15:04:05Z``.

    Internal fields (not exported, see ``FEED_EXPORT_FIELDS``): ``body_lines``, the raw lines
    of the body before whitespace was collapsed, for pipelines that need line structure;
    ``body_folded``, the body folded for matching
    (:func:`newsbot.text.fold_for_match`), kept in step with ``body`` by whoever sets it so
    later pipelines do not fold it again (None: fold ``body`` yourself).
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
    source_url: str | None = None
    crawled_at: str | None = None
    body_lines: list[str] = field(default_factory=list)
    body_folded: str | None = None


INTERNAL_FIELDS = ("body_lines", "body_folded")
assert PUBLIC_FIELDS == tuple(f.name for f in fields(ArticleItem) if f.name not in INTERNAL_FIELDS)
