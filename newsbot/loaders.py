"""The article item loader: normalisation of every field (itemloaders processors), and the
stateless body rules, applied once (:func:`newsbot.text.body.clean_lines`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from itemloaders import ItemLoader, unbound_method
from itemloaders.processors import Identity, MapCompose, TakeFirst
from itemloaders.utils import arg_to_iter

from newsbot.family.urls import SiteUrl
from newsbot.items import ArticleItem
from newsbot.pages.article import ArticleFields
from newsbot.text import normalize_text
from newsbot.text.body import clean_lines
from newsbot.text.teaser import AGGREGATOR_EXTRACTOR, aggregator_confidence

if TYPE_CHECKING:
    from newsbot.outlets import OutletText


def iso_date(value: dt.date | str | None) -> str | None:
    """``datetime.date(2021, 10, 20)`` -> ``"2021-10-20"``; strings pass unchanged."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class ArticleLoader(ItemLoader):
    """Loads :class:`~newsbot.items.ArticleItem`.

    Text fields: entities decoded, NFC, bidi and zero-width marks removed, no-break
    spaces made plain, whitespace collapsed (:func:`newsbot.text.normalize_text`).
    ``body`` arrives cleaned and joined (:func:`load_article`): paragraphs separated by a
    blank line, which the default processor would collapse, so it passes as is.
    """

    default_item_class = ArticleItem
    default_input_processor = MapCompose(normalize_text)
    default_output_processor = TakeFirst()

    published_in = MapCompose(iso_date)
    body_in = Identity()


# Every field names its processors on the loader: otherwise itemloaders looks them up in the
# item's field metadata, building an ItemAdapter on every add_value (a third of the cost of
# loading an article).
for _field in fields(ArticleItem):
    for _suffix, _default in (("_in", ArticleLoader.default_input_processor), ("_out", ArticleLoader.default_output_processor)):
        if not hasattr(ArticleLoader, _field.name + _suffix):
            setattr(ArticleLoader, _field.name + _suffix, _default)
del _field, _suffix, _default

LOADED_FIELDS = ("title", "outlet", "published", "body", "source_url")
"""The fields of an article item that go through :class:`ArticleLoader` (what the page says)."""
# Their input and output processors, looked up once: an ItemLoader looks both up again on every
# add_value and load_item (a quarter of the cost of loading an article, for five values).
_PROCESSORS = {name: (unbound_method(getattr(ArticleLoader, f"{name}_in")), unbound_method(getattr(ArticleLoader, f"{name}_out")))
               for name in LOADED_FIELDS}


def loaded_value(name: str, value: Any) -> Any:
    """What :class:`ArticleLoader` makes of ``value`` for field ``name`` (one of
    :data:`LOADED_FIELDS`): ``loader.add_value(name, value)`` then ``load_item()``, the same
    processors applied the same way, without a loader. None when nothing is left (the field
    stays null).

    >>> loaded_value("title", "\u00a0Pluie sur F&egrave;s "), loaded_value("outlet", "   "), loaded_value("published", dt.date(2021, 10, 20))
    ('Pluie sur Fès', None, '2021-10-20')
    """
    processor_in, processor_out = _PROCESSORS[name]
    processed = processor_in(arg_to_iter(value))
    return processor_out(arg_to_iter(processed)) if processed else None


def load_article(fields: ArticleFields, where: SiteUrl, *, language: str, published: dt.date | None,
                 crawled_at: str, warc_record_id: str | None = None) -> ArticleItem:
    """The item of one article page, from the raw fields its page extractor read and the
    classified URL of the page (``where``: canonical ``url``, site, edition, outlet slug,
    ``article_id``). The body's raw lines go through the stateless body rules once.

    What the page says goes through the loader; the fields that come from the classified URL
    and the crawl (already canonical, made by newsbot itself) are set on the item as they are:
    ``crawled_at`` and ``warc_record_id`` (the page's archived response, :func:`newsbot.archive.provenance`).
    """
    parts = clean_lines(fields.body_lines)
    item = ArticleItem(title=loaded_value("title", fields.title), outlet=loaded_value("outlet", fields.outlet),
                       published=loaded_value("published", published), body=loaded_value("body", parts.body),
                       source_url=loaded_value("source_url", fields.source_url))
    item.article_id, item.url, item.site = where.article_id, where.url, where.site
    item.edition, item.language, item.outlet_slug = where.edition, language, where.outlet_slug
    is_teaser = fields.is_teaser
    item.body_source = "aggregator_teaser" if is_teaser else "aggregator"
    item.extractor = AGGREGATOR_EXTRACTOR
    item.extraction_confidence = aggregator_confidence(item.body, is_teaser)
    item.crawled_at, item.warc_record_id = crawled_at, warc_record_id
    item.body_parts, item.body_folded = parts, parts.folded or None
    return item


def load_outlet_body(item: ArticleItem, outlet: OutletText) -> ArticleItem:
    """A copy of the aggregator's ``item`` with the body of its outlet page (``outlet``, from
    :func:`newsbot.outlets.extract`): the outlet's paragraphs through the same stateless body
    rules as an aggregator body (:func:`newsbot.text.body.clean_lines`: "read also" lines and
    the like removed), ``body_source`` ``"outlet"``, the outlet extractor's ``extractor`` and
    ``extraction_confidence``. The aggregator's ``url``, ``title``, ``outlet``, ``published``,
    ``source_url``, ``crawled_at`` and ``warc_record_id`` (the aggregator page's record) stay."""
    parts = clean_lines(outlet.text.split("\n"))
    return replace(item, body=parts.body, body_source="outlet", extractor=outlet.extractor,
                   extraction_confidence=round(min(1.0, max(0.0, float(outlet.confidence))), 3),
                   body_parts=parts, body_folded=parts.folded or None)
