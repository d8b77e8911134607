"""Page furniture that lists other articles: the ticker banner and the "most read" box.

Markup read (verified for the ticker's place at the top of every page; the element names
are the replicas'): ``#ticker a`` and ``.newsticker a`` (the banner of latest headlines),
``.mostread a`` (the sidebar list). Their texts are real titles of other articles, which
outlets sometimes paste into a body; the boilerplate pipeline removes body lines made of
them (:class:`newsbot.boilerplate.HeadlineIndex`).
"""

from __future__ import annotations

from parsel import Selector
from scrapy.http import TextResponse

from newsbot.text import normalize_text

FURNITURE_LINKS = "#ticker a, .newsticker a, .mostread a"


def furniture_headlines(page: TextResponse | Selector) -> list[str]:
    """The headlines of the ticker and "most read" lists of a page, normalised, in page
    order, without repeats; ``[]`` for a page without them.

    Takes the response (its cached selector is reused, so the spider's own parse does not
    build the tree again) or a selector.

    >>> html = ('<div id="ticker"><a href="/a/1">Pluie sur Fès</a>&nbsp;&nbsp;&nbsp;&nbsp;'
    ...         '<a href="/a/2">Budget&nbsp;voté</a></div><ul class="mostread"><li><a href="/a/1">'
    ...         'Pluie sur Fès</a></li></ul><a href="/fr/">Accueil</a>')
    >>> furniture_headlines(Selector(text=html))
    ['Pluie sur Fès', 'Budget voté']
    """
    sel = page.selector if isinstance(page, TextResponse) else page
    texts = (normalize_text(" ".join(link.css("::text").getall())) for link in sel.css(FURNITURE_LINKS))
    return list(dict.fromkeys(t for t in texts if t))
