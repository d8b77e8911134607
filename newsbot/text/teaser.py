"""Teasers and how far an aggregator body can be trusted: pure rules, no Scrapy.

An aggregator article page sometimes holds only the first lines of the outlet's article,
ending in ``(...)`` or ``…`` (a *teaser*), with a link to the outlet's page. The spider then
fetches that page (:mod:`newsbot.outlets` extracts its text) and takes the outlet's body only
when it holds the teaser's own words (:func:`outlet_holds_teaser`), so that a home page, a
cookie wall or another article is never taken for the article.

* :func:`teaser_mark`, :func:`teaser_words`: the mark that ends a teaser, the text without it;
* :func:`follow_reason`: why a body is followed to its source (marked, or short), or None;
* :func:`outlet_holds_teaser`: the acceptance rule of an outlet body;
* :func:`aggregator_confidence`: ``extraction_confidence`` of a body read from the aggregator's
  own template (:data:`AGGREGATOR_EXTRACTOR`).
"""

from __future__ import annotations

import re

from newsbot import __version__
from newsbot.text.normalize import fold_for_match, normalize_text

AGGREGATOR_EXTRACTOR = f"newsbot-ress {__version__}"
"""``extractor`` of a body read from the aggregator's page (the shared "*ress" template)."""

TEASER_MARK = re.compile(r"\s*(?:[(\[]\s*(?:\.\.\.|…)\s*[)\]]|…)\s*$")
"""What ends a teaser: ``(...)``, ``(…)``, ``[...]`` or a bare ``…`` (an ellipsis character; three
dots are too common in full texts)."""

MARK_TAIL_CHARS = 64
"""How much of a text's end :data:`TEASER_MARK` is looked for in: the mark and the spaces around
it are a few characters, and searching a whole body for a pattern that opens with ``\\s*``
tries it at every space of the text (a tenth of the reading of an article page)."""

SHORT_BODY_CHARS = 150
"""A body under this many characters (about two sentences) is trusted less: it may be cut."""
CONFIDENCE_FULL = 1.0
CONFIDENCE_SHORT = 0.6
CONFIDENCE_TEASER = 0.3
MIN_TEASER_CHARS = 20
"""A teaser whose words fold to fewer characters proves nothing about a page that holds them."""


def teaser_mark(text: str | None) -> bool:
    """True when ``text`` ends with a teaser mark (:data:`TEASER_MARK`).

    >>> teaser_mark("Les travaux ont commencé (...)"), teaser_mark("Les travaux ont commencé…")
    (True, True)
    >>> teaser_mark("Il a dit : « Nous verrons... »"), teaser_mark(None)
    (False, False)
    """
    return bool(text) and TEASER_MARK.search(text[-MARK_TAIL_CHARS:]) is not None


def teaser_words(teaser: str | None) -> str:
    """The teaser's text without its mark, normalised (:func:`newsbot.text.normalize_text`);
    ``""`` when nothing is left.

    >>> teaser_words("Les travaux du port  ont commencé lundi (...)")
    'Les travaux du port ont commencé lundi'
    >>> teaser_words("بدأت الأشغال يوم الاثنين…")
    'بدأت الأشغال يوم الاثنين'
    """
    text = normalize_text(teaser) or ""
    mark = TEASER_MARK.search(text, max(0, len(text) - MARK_TAIL_CHARS))
    return (text[: mark.start()] if mark else text).strip()


def follow_reason(body: str | None, is_teaser: bool, max_chars: int) -> str | None:
    """Why an aggregator ``body`` is followed to its source: ``"teaser"`` when the page marks it
    as one (``is_teaser``, or a teaser mark at its end), ``"short"`` when it has fewer than
    ``max_chars`` characters (``NEWSBOT_TEASER_MAX_CHARS``; 0: never), None otherwise.

    >>> follow_reason("Début de l'article (...)", False, 100), follow_reason("Un texte court.", False, 100)
    ('teaser', 'short')
    >>> follow_reason("Un texte court.", False, 0) is None, follow_reason("x" * 100, False, 100) is None
    (True, True)
    """
    if is_teaser or teaser_mark(body):
        return "teaser"
    if body is not None and len(body) < max_chars:
        return "short"
    return None


def outlet_holds_teaser(outlet_text: str | None, teaser: str | None) -> bool:
    """The acceptance rule of an outlet page's body: True when ``outlet_text`` holds the
    teaser's words (:func:`teaser_words`) in their order, both folded for matching
    (:func:`newsbot.text.fold_for_match`: case, accents, punctuation, spaces, paragraph
    breaks and Arabic letter variants ignored). A teaser may end in a word cut in the middle:
    the words without its last one are tried too. A teaser of fewer than
    :data:`MIN_TEASER_CHARS` folded characters proves nothing: False.

    >>> page = "Les travaux du port de Safi ont commencé lundi.\\n\\nIls dureront deux ans."
    >>> outlet_holds_teaser(page, "Les travaux du port de Safi ont commencé lundi. Ils dure (...)")
    True
    >>> outlet_holds_teaser(page, "Les travaux du port de Tanger ont commencé (...)")
    False
    >>> outlet_holds_teaser("Accueil Politique Sport", "Accueil (...)"), outlet_holds_teaser(None, "Début (...)")
    (False, False)
    """
    words = fold_for_match(teaser_words(teaser)).split()
    page = fold_for_match(outlet_text)
    if not page or len(" ".join(words)) < MIN_TEASER_CHARS:
        return False
    padded = f" {page} "
    if f" {' '.join(words)} " in padded:
        return True
    head = " ".join(words[:-1])
    return len(head) >= MIN_TEASER_CHARS and f" {head} " in padded


def aggregator_confidence(body: str | None, is_teaser: bool) -> float:
    """``extraction_confidence`` of a body read from the aggregator's page: the template's
    spans are read exactly, so the doubt is only whether the text is whole. 1.0 for a normal
    body; 0.6 under :data:`SHORT_BODY_CHARS` characters (it may be cut); 0.3 for a teaser (the
    page holds only the first lines of the article); 0.0 without body.

    >>> aggregator_confidence("x" * 400, False), aggregator_confidence("Un texte court.", False)
    (1.0, 0.6)
    >>> aggregator_confidence("x" * 400 + " (...)", True), aggregator_confidence(None, False)
    (0.3, 0.0)
    """
    if not body:
        return 0.0
    if is_teaser or teaser_mark(body):
        return CONFIDENCE_TEASER
    if len(body) < SHORT_BODY_CHARS:
        return CONFIDENCE_SHORT
    return CONFIDENCE_FULL
