"""The article item loader: normalisation of every field (itemloaders processors)."""

from __future__ import annotations

import datetime as dt

from itemloaders import ItemLoader
from itemloaders.processors import Identity, MapCompose, TakeFirst

from newsbot.boilerplate import is_read_also
from newsbot.items import ArticleItem
from newsbot.pages.article import ArticleFields
from newsbot.text import join_paragraphs, normalize_text


def clean_paragraph(line: str) -> str | None:
    """A normalised body paragraph, or None for an empty or "read also" line."""
    text = normalize_text(line)
    if text is None or is_read_also(text):
        return None
    return text


def iso_date(value: dt.date | str | None) -> str | None:
    """``datetime.date(2021, 10, 20)`` -> ``"2021-10-20"``; strings pass unchanged."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class ArticleLoader(ItemLoader):
    """Loads :class:`~newsbot.items.ArticleItem`.

    Text fields: entities decoded, NFC, bidi and zero-width marks removed, no-break
    spaces made plain, whitespace collapsed (:func:`newsbot.text.normalize_text`).
    ``body`` takes raw lines (one per ``<br>`` line or ``<p>`` block), drops empty and
    "read also" lines and joins the rest with a blank line; ``body_lines`` keeps the
    raw lines for later pipelines.
    """

    default_item_class = ArticleItem
    default_input_processor = MapCompose(normalize_text)
    default_output_processor = TakeFirst()

    published_in = MapCompose(iso_date)
    body_in = MapCompose(clean_paragraph)
    body_out = join_paragraphs
    body_lines_in = Identity()
    body_lines_out = Identity()


def load_article(
    fields: ArticleFields,
    *,
    site: str,
    edition: str,
    language: str,
    outlet_slug: str,
    article_number: int,
    url: str,
    published: dt.date | None,
    crawled_at: str,
) -> ArticleItem:
    """The item of one article page, from the raw fields its page extractor read."""
    loader = ArticleLoader()
    loader.add_value("article_id", f"{site}:{edition}:{outlet_slug}:{article_number}")
    loader.add_value("url", url)
    loader.add_value("site", site)
    loader.add_value("edition", edition)
    loader.add_value("language", language)
    loader.add_value("outlet", fields.outlet)
    loader.add_value("outlet_slug", outlet_slug)
    loader.add_value("title", fields.title)
    loader.add_value("published", published)
    loader.add_value("body", fields.body_lines)
    loader.add_value("body_lines", fields.body_lines)
    loader.add_value("body_source", "aggregator_teaser" if fields.is_teaser else "aggregator")
    loader.add_value("source_url", fields.source_url)
    loader.add_value("crawled_at", crawled_at)
    return loader.load_item()
