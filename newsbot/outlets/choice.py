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
    link_share,
    linked_heads,
    median_words,
    supported,
)

Shingles = set[tuple[str, ...]]

MIN_CHARS = 250
"""Less text than this is no article (a stub, a menu, an error page), whatever the extractor says."""
SHORT_SHARE = 1.5
"""The page's ``<p>`` text more than this many times the first candidate's: it may have missed part
of the article (cut at an inline box), ask the second."""
TEASER_FOUND = 0.8
TEASER_MISSING = 0.5
"""Share of the teaser's shingles a candidate must hold to count as containing it / below which it
does not."""


@dataclass(frozen=True)
class Page:
    """What the choice reads of the page itself: the text of its ``<p>`` elements (characters),
    its ``<title>`` (normalised, "" when none) and whether it declares a paywall."""

    p_chars: int
    title: str
    paywall: bool


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
    * ``"teaser"``: the aggregator's teaser is not in the text.
    """
    if teaser and contained(teaser, first.shingles) < TEASER_FOUND:
        return "teaser"
    if any(b.kind == "item" for b in first.blocks):
        return "items"
    if any(b.link_density > 0.5 for b in first.blocks):
        return "links"
    if page.p_chars > SHORT_SHARE * first.chars:
        return "short"
    opening = first.blocks[0]
    if opening.kind == "heading" or (page.title and opening.text in page.title):
        return "headline"
    return None


def choose(first: Candidate, second: Candidate | None, teaser: Shingles | None) -> Choice:
    """Keep ``first`` (trafilatura) or ``second`` (readability), by these rules in order:

    1. ``"teaser"``: one contains the aggregator's teaser and the other does not: the one that does.
    2. ``"furniture"``: second's text lies within first's, which has 15-50 % more, mostly at its
       edges: the extra is page furniture around the article (headline block, sharing, related
       links, newsletter box, copyright): second.
    3. ``"missed-prose"``: first's text lies within second's, which is more than twice as long
       and whose extra is prose (paragraphs of 40 words or more, few links): first was cut
       short: second.
    4. ``"agree"`` / ``"first"``: otherwise first, the better extractor on its own.
    """
    if second is None:
        return Choice(first, "first", None, _teaser_share(first, teaser))
    first_sh, second_sh = first.shingles, second.shingles
    first_in, second_in = contained(first_sh, second_sh), contained(second_sh, first_sh)
    agreement = max(first_in, second_in)
    if teaser:
        first_t, second_t = contained(teaser, first_sh), contained(teaser, second_sh)
        if second_t >= TEASER_FOUND > TEASER_MISSING > first_t:
            return Choice(second, "teaser", agreement, second_t)
        if first_t >= TEASER_FOUND > TEASER_MISSING > second_t:
            return Choice(first, "teaser", agreement, first_t)
    if second_in >= 0.95 and 0.5 <= first_in <= 0.85:
        support = supported(first.blocks, second_sh)
        if edge_share(first.blocks, support) >= 0.5:
            return Choice(second, "furniture", agreement, _teaser_share(second, teaser))
    if first_in >= 0.95 and second_in <= 0.5:
        extra = [b for b, kept in zip(second.blocks, supported(second.blocks, first_sh)) if not kept]
        if median_words(extra) >= 40 and link_share(extra) < 0.2:
            return Choice(second, "missed-prose", agreement, _teaser_share(second, teaser))
    return Choice(first, "agree" if agreement >= 0.9 else "first", agreement, _teaser_share(first, teaser))


def is_listing(candidate: Candidate) -> bool:
    """Is this text a listing, index or home page rather than one article? Either most of it is
    link text, or it is a run of linked headlines (four or more, a quarter of its blocks or
    more): teasers of other articles glued together.

    >>> links = Candidate("x", tuple(Block(f"Titre {n}", "heading", 7) for n in range(5)))
    >>> is_listing(links)
    True
    """
    blocks = candidate.blocks
    heads = linked_heads(blocks)
    return link_share(blocks) >= 0.5 or (heads >= 4 and heads * 4 >= len(blocks))


def confidence(choice: Choice, page: Page) -> float:
    """How far to trust the text, in [0, 1], from the features the choice read:

    * agreement of the two candidates (``0.2 + 0.75 * agreement``: texts that hold each other
      are right together far more often than by chance); 0.9 when trafilatura's text showed no
      sign of failure and was not checked;
    * length: below 600 characters, times ``sqrt(chars / 600)`` (short texts are stubs or parts);
    * link text: times ``1 - link share``;
    * teaser, when given: times ``0.4 + 0.6 * share of the teaser in the text``;
    * a declared paywall: times 0.4 (the page may show only the start of the article).
    """
    candidate = choice.candidate
    value = 0.9 if choice.agreement is None else 0.2 + 0.75 * choice.agreement
    value *= min(1.0, candidate.chars / 600) ** 0.5
    value *= 1.0 - candidate.link_density
    if choice.teaser is not None:
        value *= 0.4 + 0.6 * choice.teaser
    if page.paywall:
        value *= 0.4
    return round(max(0.0, min(1.0, value)), 3)


def _teaser_share(candidate: Candidate, teaser: Shingles | None) -> float | None:
    if not teaser:
        return None
    return contained(teaser, candidate.shingles)
