"""Choosing between the candidates of one page, refusing pages that hold no article, and the
confidence: every rule reads the features of :mod:`newsbot.outlets.features`, none knows a site.

trafilatura (``fast``) is the first candidate: the better one alone on real pages. readability-lxml
is asked for a second opinion only where trafilatura's text shows a sign of a known failure
(:func:`doubts`), which keeps the median cost near trafilatura's own; the two then agree (keep
trafilatura), or one holds the other plus something, and what that something looks like decides
(:func:`choose`).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsbot.outlets.blocks import Block
from newsbot.outlets.candidates import Candidate
from newsbot.outlets.features import (
    contained,
    edge_share,
    is_cut,
    link_share,
    linked_heads,
    median_words,
    repeated_tail,
    supported,
)

Shingles = set[tuple[str, ...]]

MIN_CHARS = 250
"""Less text than this is no article (a stub, a menu, an error page), whatever the extractor says."""
SHORT_SHARE = 1.5
"""The page's ``<p>`` text more than this many times the first candidate's: it may have missed part
of the article (cut at an inline box), ask the second."""
WALL_CHARS = 2000
"""A block this long holding most of a text is a wall: no paragraph structure, as articles have;
a page's text run together (a script's text, a page without markup) rather than an article."""
LEAD_LINES = 3
LEAD_WORDS = 6
"""Short lines above the first paragraph that are metadata, not body (see :func:`without_headline`)."""
TEASER_FOUND = 0.8
TEASER_MISSING = 0.5
"""Share of the teaser's shingles a candidate must hold to count as containing it / below which it
does not."""


@dataclass(frozen=True)
class Page:
    """What the choice reads of the page itself: the text of its ``<p>`` elements (characters),
    its ``<title>`` (normalised, "" when none), its ``og:title`` (same) and whether it declares
    a paywall."""

    p_chars: int
    title: str
    paywall: bool
    og_title: str = ""

    def is_headline(self, text: str) -> bool:
        """Is ``text`` the page's headline: its ``og:title``, or (most of) its ``<title>``, which
        often adds the site's name?"""
        if len(text) < 10:
            return False
        return text == self.og_title or (text in self.title and len(text) * 2 >= len(self.title))


@dataclass(frozen=True)
class Choice:
    """The candidate kept and why: ``rule`` (the name of the rule that decided, see
    :func:`choose`), ``agreement`` (how much the two candidates' texts hold of each other, in
    [0, 1]; None when only one was run or found text) and ``teaser`` (share of the teaser's
    shingles in the text kept; None without a teaser)."""

    candidate: Candidate
    rule: str
    agreement: float | None
    teaser: float | None


def doubts(first: Candidate, page: Page, teaser: Shingles | None) -> str | None:
    """Why trafilatura's text needs a second opinion, or None when it shows no sign of a known
    failure. Each sign is what a failure leaves in the text:

    * ``"items"``: list items (related links, sharing and tag lists come as lists);
    * ``"links"``: a block that is mostly link text (navigation, "read more" links);
    * ``"short"``: the page has far more paragraph text than was extracted (cut short at an
      inline newsletter or ad box);
    * ``"headline"``: the text opens on a heading or the page title (the article's header,
      with byline and standfirst, taken in);
    * ``"teaser"``: the aggregator's teaser is not in the text;
    * ``"wall"``: the text is one unbroken wall (:func:`is_wall`).
    """
    if teaser and contained(teaser, first.shingles) < TEASER_FOUND:
        return "teaser"
    if is_wall(first):
        return "wall"
    if any(b.kind == "item" for b in first.blocks):
        return "items"
    if any(b.link_density > 0.5 for b in first.blocks):
        return "links"
    if page.p_chars > SHORT_SHARE * first.chars:
        return "short"
    opening = first.blocks[0]
    if opening.kind == "heading" or page.is_headline(opening.text):
        return "headline"
    return None


def choose(first: Candidate, second: Candidate | None, teaser: Shingles | None) -> Choice:
    """Keep ``first`` (trafilatura) or ``second`` (readability), by these rules in order:

    1. ``"teaser"``: one contains the aggregator's teaser and the other does not: the one that does.
    2. ``"furniture"``: second's text lies within first's, which has 15-50 % more, mostly at its
       edges: the extra is page furniture around the article (headline block, sharing, related
       links, newsletter box, copyright): second.
    3. ``"wall"``: first is a wall of text (:func:`is_wall`) that holds second: second, the
       part of it with paragraph structure.
    4. ``"missed-prose"``: first's text lies within second's, which is more than twice as long
       and whose extra is prose (paragraphs of 40 words or more, few links): first was cut
       short: second.
    5. ``"first"``: otherwise first, the better extractor on its own.
    """
    if second is None:
        return Choice(first, "first", None, _teaser_share(first, teaser))
    first_sh, second_sh = first.shingles, second.shingles
    first_in, second_in = contained(first_sh, second_sh), contained(second_sh, first_sh)
    agreement = max(first_in, second_in)
    if teaser:
        first_t, second_t = contained(teaser, first_sh), contained(teaser, second_sh)
        if second_t >= TEASER_FOUND and first_t < TEASER_MISSING:
            return Choice(second, "teaser", agreement, second_t)
        if first_t >= TEASER_FOUND and second_t < TEASER_MISSING:
            return Choice(first, "teaser", agreement, first_t)
    if second_in >= 0.95 and 0.5 <= first_in <= 0.85:
        support = supported(first.blocks, second_sh)
        if edge_share(first.blocks, support) >= 0.5:
            return Choice(second, "furniture", agreement, _teaser_share(second, teaser))
    if is_wall(first) and second_in >= 0.95 and not is_wall(second):
        return Choice(second, "wall", agreement, _teaser_share(second, teaser))
    if first_in >= 0.95 and second_in <= 0.5:
        extra = [b for b, kept in zip(second.blocks, supported(second.blocks, first_sh)) if not kept]
        if median_words(extra) >= 40 and link_share(extra) < 0.2:
            return Choice(second, "missed-prose", agreement, _teaser_share(second, teaser))
    return Choice(first, "first", agreement, _teaser_share(first, teaser))


def without_headline(candidate: Candidate, page: Page) -> Candidate:
    """``candidate`` without what stands above its first paragraph: the page's headline (a
    record has the title in its own field) and up to :data:`LEAD_LINES` short lines (of
    :data:`LEAD_WORDS` words or fewer: byline, date, dateline, kicker) when a paragraph of prose
    (12 words or more) follows them."""
    blocks = candidate.blocks
    if len(blocks) > 1 and page.is_headline(blocks[0].text):
        blocks = blocks[1:]
    lead = 0
    while lead < min(LEAD_LINES, len(blocks) - 1) and len(blocks[lead].text.split()) <= LEAD_WORDS:
        lead += 1
    if lead and len(blocks[lead].text.split()) >= 12:
        blocks = blocks[lead:]
    return Candidate(candidate.extractor, blocks) if blocks is not candidate.blocks else candidate


def is_wall(candidate: Candidate) -> bool:
    """Is most of the text (80 % or more) one block of :data:`WALL_CHARS` characters or more?"""
    longest = max((len(b.text) for b in candidate.blocks), default=0)
    return longest >= WALL_CHARS and longest >= 0.8 * candidate.chars


def is_listing(candidate: Candidate) -> bool:
    """Is this text a listing, index or home page rather than one article? Any of:

    * most of it (half or more) is link text;
    * a run of linked headlines: four or more, a quarter of its blocks or more;
    * glued teasers: two or more blocks, a third of them or more, cut short by an ellipsis
      (before their "read more" link, if any); or one with its "read more" link in a short
      text (under 1,000 characters: a lone teaser; an article cut short by an ellipsis alone
      is a stub, left to the confidence); or three blocks or more, a third of them, ending
      with the same link text.

    >>> headlines = Candidate("x", tuple(Block(f"Titre {n}", "heading", 7) for n in range(5)))
    >>> is_listing(headlines)
    True
    """
    blocks = candidate.blocks
    heads = linked_heads(blocks)
    cut = sum(1 for b in blocks if is_cut(b))
    linked_cut = sum(1 for b in blocks if b.tail_link and is_cut(b))
    tails = repeated_tail(blocks)
    return (
        link_share(blocks) >= 0.5
        or (heads >= 4 and heads * 4 >= len(blocks))
        or (cut >= 2 and cut * 3 >= len(blocks))
        or (linked_cut >= 1 and candidate.chars < 1000)
        or (tails >= 3 and tails * 3 >= len(blocks))
    )


def confidence(choice: Choice, page: Page) -> float:
    """How far to trust the text, in [0, 1]: a product of factors, one per feature the choice read:

    * agreement of the two candidates, ``(agreement - 0.5) / 0.4`` clipped to [0, 1]: texts
      that hold each other (0.9 or more) are right together far more often than by chance,
      texts that share half or less tell that at least one is wrong; 0.9 when trafilatura's
      text showed no sign of failure (:func:`doubts`) and was not checked;
    * length: below 600 characters, ``sqrt(chars / 600)`` (short texts are stubs or parts);
    * link text: ``1 - link share``;
    * a wall of text (:func:`is_wall`): 0.4 (a page's text run together, seldom an article);
    * a text that ends cut short by an ellipsis (:func:`~newsbot.outlets.features.is_cut`): 0.5
      (the start of an article behind a paywall, or a teaser);
    * teaser, when given: ``0.4 + 0.6 * share of the teaser in the text`` (a text without the
      teaser is likely another page's);
    * a declared paywall: 0.7 (the page may show only the start of the article; many sites
      declare one and still serve the whole text, so on its own it does not flag a page, but
      with a short text it does).

    Capped at 0.95: no extraction is certain.
    """
    candidate = choice.candidate
    if choice.agreement is None:
        value = 0.9
    else:
        value = min(1.0, max(0.0, (choice.agreement - 0.5) / 0.4))
    value *= min(1.0, candidate.chars / 600) ** 0.5
    value *= 1.0 - candidate.link_density
    if is_wall(candidate):
        value *= 0.4
    if is_cut(candidate.blocks[-1]):
        value *= 0.5
    if choice.teaser is not None:
        value *= 0.4 + 0.6 * choice.teaser
    if page.paywall:
        value *= 0.7
    return round(max(0.0, min(0.95, value)), 3)


def _teaser_share(candidate: Candidate, teaser: Shingles | None) -> float | None:
    if not teaser:
        return None
    return contained(teaser, candidate.shingles)
