"""Headlines of a site's ticker banner and "most read" lists, to recognise body lines made
of them (outlets paste them into bodies). Pure: no Scrapy; the boilerplate pipeline keeps
one :class:`HeadlineIndex` per site, fed by the spider from every page it reads.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsbot.text.normalize import fold_normalized, normalize_text

MIN_LONE_HEADLINE_WORDS = 3
"""A line that is one known headline is boilerplate only from this many words on: "CAN 2025"
alone may be a real subtitle."""


class HeadlineIndex:
    """Headlines seen in a site's ticker and "most read" lists during a crawl.

    :meth:`is_headline_line` tells whether a body line is made only of such headlines
    (however they are separated); a sentence that merely quotes one keeps it. Each
    headline is normalised and folded once, the first time it is added: a ticker read on
    every page costs a set look-up per headline afterwards.

    >>> index = HeadlineIndex(["Pluie sur Fès", "Le port de Tanger s'agrandit"])
    >>> index.is_headline_line("Pluie sur Fès Le port de Tanger s’agrandit")
    True
    >>> index.is_headline_line("Le maire a commenté « Pluie sur Fès » hier.")
    False
    >>> index.strip_edges("Fin du texte de l'article. Pluie sur Fès")
    "Fin du texte de l'article."
    """

    def __init__(self, headlines: Iterable[str] | None = None) -> None:
        self._raw: set[str] = set()
        self._folded: set[tuple[str, ...]] = set()
        self._lengths: dict[str, set[int]] = {}
        self._texts: dict[str, None] = {}  # insertion order: edges are stripped the same way every run
        self.add_all(headlines or ())

    def __len__(self) -> int:
        return len(self._folded)

    def add_all(self, headlines: Iterable[str]) -> int:
        """Add headlines as read on a page (raw or normalised); how many were new."""
        before = len(self._folded)
        for headline in headlines:
            if headline not in self._raw:
                self._raw.add(headline)
                self.add(headline)
        return len(self._folded) - before

    def add(self, headline: str | None) -> None:
        text = normalize_text(headline)
        if not text:
            return
        words = tuple(fold_normalized(text).split())
        if not words or words in self._folded:
            return
        self._folded.add(words)
        self._texts[text] = None
        self._lengths.setdefault(words[0], set()).add(len(words))

    def is_headline_line(self, line: str | None) -> bool:
        """True when ``line`` is one known headline (of 3 words or more) or a run of them."""
        text = normalize_text(line)
        return bool(text) and self.is_headline_folded(fold_normalized(text))

    def is_headline_folded(self, folded: str) -> bool:
        """:meth:`is_headline_line` of a line already folded (``Paragraph.folded``)."""
        head = folded.split(None, 1)
        if not head or head[0] not in self._lengths:
            return False  # most body lines: every known headline's first word is in _lengths
        words = folded.split()
        if tuple(words) in self._folded:
            return len(words) >= MIN_LONE_HEADLINE_WORDS
        reached = [False] * (len(words) + 1)
        reached[0] = True
        for start in range(len(words)):
            if not reached[start]:
                continue
            for length in self._lengths.get(words[start], ()):
                if tuple(words[start : start + length]) in self._folded:
                    reached[start + length] = True
        return reached[-1]

    def strip_edges(self, text: str | None) -> str | None:
        """``text`` without known headlines glued to its start or end."""
        current = normalize_text(text)
        changed = True
        while current and changed:
            changed = False
            for headline in self._texts:
                if current.endswith(headline) and len(headline) < len(current):
                    current, changed = normalize_text(current[: -len(headline)]), True
                elif current.startswith(headline) and len(headline) < len(current):
                    current, changed = normalize_text(current[len(headline) :]), True
                if changed:
                    break
        return current
