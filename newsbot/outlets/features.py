"""The transparent features the choice and the confidence read: word shingles and how much of
one text another holds, where one candidate's extra text sits, and the shapes of listing
pages and paywalls.

Texts are compared by word 4-grams ("shingles": lower-cased ``\\w+`` tokens, any script), the
unit that survives a different cut of paragraphs or whitespace between two extractors.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from lxml import etree

from newsbot.outlets.blocks import Block
from newsbot.text.teaser import teaser_mark

_WORD = re.compile(r"\w+")
SHINGLE = 4
"""Words per shingle."""


def words(text: str) -> list[str]:
    """Lower-cased word tokens (``\\w+``, Unicode: Latin, Arabic, Cyrillic... alike).

    >>> words("L'Équipe a gagné, 2-1.")
    ['l', 'équipe', 'a', 'gagné', '2', '1']
    """
    return _WORD.findall(text.lower())


def shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    """The set of word 4-grams of ``tokens`` (one shorter shingle for fewer than 4 tokens).

    >>> sorted(shingles(["a", "b", "c", "d", "e"]))
    [('a', 'b', 'c', 'd'), ('b', 'c', 'd', 'e')]
    """
    if len(tokens) <= SHINGLE:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def contained(part: set[tuple[str, ...]], whole: set[tuple[str, ...]]) -> float:
    """Share of ``part``'s shingles found in ``whole``, in [0, 1] (0 for an empty ``part``).

    >>> contained({("a",), ("b",)}, {("a",)})
    0.5
    """
    return len(part & whole) / len(part) if part else 0.0


def supported(blocks: Iterable[Block], other: set[tuple[str, ...]]) -> list[bool]:
    """For each block: do most (half or more) of its shingles appear in the other text?"""
    return [contained(shingles(words(b.text)), other) >= 0.5 for b in blocks]


def edge_share(blocks: Sequence[Block], support: Sequence[bool]) -> float:
    """Of the characters of the unsupported blocks, the share that sits at the edges: before the
    first supported block or after the last one. Page furniture an extractor takes in beside an
    article (headline and byline above, sharing, newsletter, related links and copyright below)
    sits at the edges; text inside the article that another extractor misses (an embedded
    post, a table) sits between supported blocks. 1.0 when nothing is unsupported.

    >>> b = [Block(t, "p", 0) for t in ("Menu", "Article", "Encart", "Article", "Copyright")]
    >>> round(edge_share(b, [False, True, False, True, False]), 2)  # (4 + 9) / (4 + 6 + 9)
    0.68
    """
    if True not in support:
        return 1.0
    first = support.index(True)
    last = len(support) - 1 - list(reversed(support)).index(True)
    edge = inner = 0
    for index, (block, kept) in enumerate(zip(blocks, support)):
        if not kept:
            if first < index < last:
                inner += len(block.text)
            else:
                edge += len(block.text)
    return edge / (edge + inner) if edge + inner else 1.0


def median_words(blocks: Sequence[Block]) -> float:
    """Median length of the blocks in words (0 for none): prose runs to tens of words a
    paragraph, furniture to a few."""
    if not blocks:
        return 0.0
    counts = sorted(len(b.text.split()) for b in blocks)
    middle = len(counts) // 2
    return float(counts[middle]) if len(counts) % 2 else (counts[middle - 1] + counts[middle]) / 2


def link_share(blocks: Sequence[Block]) -> float:
    """Share of the characters of ``blocks`` that are link text, in [0, 1]."""
    chars = sum(len(b.text) for b in blocks)
    return sum(b.link_chars for b in blocks) / chars if chars else 0.0


def linked_heads(blocks: Sequence[Block]) -> int:
    """Headings and list items that are (or start with) a link: the headlines of a listing's
    teasers ("title linking to the article, then its first lines"). An article's subheads and
    lists are seldom links."""
    return sum(1 for b in blocks if b.kind in ("heading", "item") and b.link_chars >= 0.5 * len(b.text))


_CUT = ("...", "…", "(...)", "[...]", "(…)", "[…]")


def is_cut(block: Block) -> bool:
    """Does the block end as a teaser does: cut short by an ellipsis, before its "read more"
    link if it has one? (Articles do not end paragraphs so; listings of teasers do.)

    >>> is_cut(Block("Le port a rouvert ses quais après (...) Lire la suite", "p", 13, "Lire la suite"))
    True
    """
    text = block.text
    if block.tail_link:
        text = text[: len(text) - len(block.tail_link)]
    return text.rstrip().endswith(_CUT)


def repeated_tail(blocks: Sequence[Block]) -> int:
    """How many blocks end with the same link text (the most common one): a listing's "read
    more" after every teaser. 0 when no block ends with a link."""
    counts = Counter(b.tail_link for b in blocks if b.tail_link)
    return counts.most_common(1)[0][1] if counts else 0


_PAYWALL = re.compile(r'"isAccessibleForFree"\s*:\s*"?(false|False|FALSE)\b')


def declares_paywall(tree: etree._Element) -> bool:
    """Does the page declare its article closed (schema.org ``isAccessibleForFree: false`` in
    its JSON-LD, the markup publishers give search engines for paywalled content)? Read from
    the markup, not from any language's words, so it holds for any site."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text and _PAYWALL.search(script.text):
            return True
    return False


def teaser_shingles(teaser: str | None) -> set[tuple[str, ...]] | None:
    """The shingles of an aggregator teaser, None without one. A teaser cut short (ending in
    "...", "…" or "(...)") may end inside a word: its last word is left out.

    >>> sorted(teaser_shingles("Le port de Tanger a rouv (...)"))
    [('le', 'port', 'de', 'tanger'), ('port', 'de', 'tanger', 'a')]
    """
    if not teaser:
        return None
    tokens = words(teaser)
    # The aggregator's teaser marks have one home (newsbot.text.teaser); three plain dots too here.
    if (teaser_mark(teaser) or teaser.rstrip().endswith("...")) and len(tokens) > 1:
        tokens = tokens[:-1]
    return shingles(tokens) or None
