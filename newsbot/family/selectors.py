"""The markup of the family's pages that newsbot reads, as CSS and XPath.

Verified (public scrapers of maghress, the founding page): the article spans
``articletitle``, ``articlenewspaper`` (the dateline), ``articlecontent`` (the body), and the
ticker of latest headlines at the top of every page. Assumed (the replicas write them; the
live markup is not public): the source link's box, listing teasers, pagination, the "most
read" box and the page columns. Extractors in :mod:`newsbot.pages` and the rendering
decisions in :mod:`newsbot.render` read only these names.
"""

from __future__ import annotations

# --- article pages -----------------------------------------------------------------------------
TITLE_CLASS = "articletitle"
"""The headline (``<span class="articletitle">``), matched on any tag."""
DATELINE_CLASS = "articlenewspaper"
"""The dateline, ``Publié dans <a>H24 Info</a> le 20 - 10 - 2021``, matched on any tag."""
BODY_CLASS = "articlecontent"
"""Each part of the body, in page order, matched on any tag; one inside another is read once."""
ARTICLE_CLASSES = (TITLE_CLASS, DATELINE_CLASS, BODY_CLASS)
DATELINE_OUTLET = "a ::text"
"""Inside the dateline: the outlet's name, when linked."""
SOURCE_BOX_CLASS = "articlesource"
SOURCE_LINK_CLASS = "sourcelink"
SOURCE_LINK = f"div.{SOURCE_BOX_CLASS} a::attr(href), a.{SOURCE_LINK_CLASS}::attr(href)"
"""The "read it at its source" link; without it, the link whose text is the closing sentence."""

# --- listing pages (home and outlet listings) ---------------------------------------------------
TEASER = "div.teaser, li.teaser"
"""One entry of a listing: what a rendered listing must show before it is read."""
TEASER_LINK = "a.teasertitle::attr(href), a::attr(href)"
TEASER_TITLE = "a.teasertitle ::text"
TEASER_DATE = ".teaserdate ::text"
MAIN_COLUMN = "#main, #content"
"""Where a listing without teasers has its entries (links outside :data:`FURNITURE_XPATH`)."""
FURNITURE_XPATH = (
    "ancestor::*[@id='ticker' or @id='header' or @id='sidebar' or @id='footer'"
    " or contains(concat(' ', normalize-space(@class), ' '), ' mostread ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' newsticker ')]"
)
"""Page furniture whose links are not a listing's own entries (relative to a link)."""
NEXT_LINK = "div.pagination a.next::attr(href), a[rel~=next]::attr(href), link[rel=next]::attr(href)"
PAGER_LINKS = "div.pagination a, .pager a, a"
"""Links whose text may say "next page" (:data:`newsbot.family.wording.NEXT_WORDS`)."""

# --- furniture on every page ---------------------------------------------------------------------
FURNITURE_ID = "ticker"
FURNITURE_CLASSES = ("newsticker", "mostread")
"""The ticker banner of latest headlines (``#ticker``, ``.newsticker``) and the "most read"
box (``.mostread``): their links are titles of other articles."""

CLASSES = (*ARTICLE_CLASSES, SOURCE_BOX_CLASS, SOURCE_LINK_CLASS, *FURNITURE_CLASSES)
"""Every class the family's page extractors look up (:class:`newsbot.pages.markup.PageTree`
finds them all in one scan of a page)."""
