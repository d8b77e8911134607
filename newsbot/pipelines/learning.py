"""Learned boilerplate: paragraphs that recur in many articles of one site.

A paragraph (after ticker and template cleaning) seen in ``min_repeats`` articles of the
same site with different titles is boilerplate of that site: a signature line, a
newsletter call, a disclaimer an outlet appends. Counts live in the state store, so what a
run learns, the next run starts knowing; candidates that never reach ``min_repeats`` are
forgotten after ``NEWSBOT_BOILERPLATE_FORGET_DAYS``. Different titles are required so that
one story republished twice does not teach its own paragraphs as boilerplate.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from newsbot.state.base import StateStore
from newsbot.text.body import Paragraph
from newsbot.text.normalize import fold_for_match, text_key

logger = logging.getLogger(__name__)

OBSERVED_AT_EACH_END = 100
"""Paragraphs of an item the learner counts: this many at its start and at its end (all of a
normal article). Boilerplate an outlet adds sits at either end; a page of 70,000 lines costs
200 look-ups, not 70,000."""


def observed(paragraphs: Sequence[Paragraph]) -> Sequence[Paragraph]:
    """The paragraphs of an item the learner counts (:data:`OBSERVED_AT_EACH_END`)."""
    if len(paragraphs) <= 2 * OBSERVED_AT_EACH_END:
        return paragraphs
    return [*paragraphs[:OBSERVED_AT_EACH_END], *paragraphs[-OBSERVED_AT_EACH_END:]]


@dataclass(frozen=True)
class Learned:
    """A paragraph just proved to be boilerplate: its ``key``, ``text`` and the number of
    earlier articles (``earlier``) it was seen in before this one."""

    key: bytes
    text: str
    earlier: int


SAVE_ITEMS_EVERY = 20
"""Items of a site counted in memory before the store's counter is updated."""


class BoilerplateLearner:
    """Counts paragraphs per site in ``store`` and remembers the learned ones.

    ``see_item(site)`` counts an item of the site (the warm-up count, kept in the store);
    ``observe(site, title, paragraphs)`` counts its paragraphs and returns what became
    boilerplate; ``learned(site)`` is the current set of learned paragraph keys.
    """

    def __init__(self, store: StateStore, min_repeats: int) -> None:
        if min_repeats < 2:
            raise ValueError(
                f"NEWSBOT_BOILERPLATE_MIN_REPEATS={min_repeats}: a paragraph must recur in at least"
                " 2 articles to be boilerplate (default 5)"
            )
        self.store = store
        self.min_repeats = min_repeats
        self._learned: dict[str, dict[bytes, str]] = {}
        self._stored: dict[str, int] = {}  # site -> the store's count of learned paragraphs when last read
        self._items: dict[str, int] = {}
        self._unsaved: dict[str, int] = {}

    def learned(self, site: str) -> dict[bytes, str]:
        if site not in self._learned:
            self._learned[site] = dict(self.store.learned_paragraphs(site))
        return self._learned[site]

    def refresh(self, site: str) -> dict[bytes, str]:
        """Read ``site``'s learned paragraphs from the store again when other processes write
        it too (``store.shared``: cluster workers, crawls side by side), and return them all: an
        item held through the warm-up must be cleaned with what every one of them learned
        meanwhile, as one process would have. Once a paragraph is learned its candidate count is
        gone from the store, so a process that missed it would count it from scratch and keep it
        in the bodies of its next few items: the pipeline refreshes before each item (one small
        read: how many paragraphs the site has learned, and all of them only when that number
        changed, since they are only ever added; :meth:`observe` has that number from the
        round trip that counts the item's paragraphs). A store only this process writes (SQLite)
        is not read again: what it learned is already here."""
        if not self.store.shared:
            return self.learned(site)
        return self._refresh(site, self.store.learned_count(site))

    def _refresh(self, site: str, count: int) -> dict[bytes, str]:
        """:meth:`refresh` when the store holds ``count`` learned paragraphs of ``site``."""
        if count != self._stored.get(site):  # read before the paragraphs: one learned in between is read next time
            self._learned[site] = {**self.store.learned_paragraphs(site), **self._learned.get(site, {})}
            self._stored[site] = count
        return self._learned[site]

    def items_seen(self, site: str) -> int:
        """Items of ``site`` the learner has seen, in this run and the earlier ones."""
        if site not in self._items:
            self._items[site] = self.store.add_site_items(site, 0)
        return self._items[site]

    def see_item(self, site: str) -> int:
        """Count one more item of ``site``; the new total. The store's counter is updated every
        :data:`SAVE_ITEMS_EVERY` items and by :meth:`save` (a write per item would cost a
        transaction per item, for a warm-up count that a few items more or less do not change)."""
        self.items_seen(site)
        self._unsaved[site] = self._unsaved.get(site, 0) + 1
        self._items[site] += 1
        if self._unsaved[site] >= SAVE_ITEMS_EVERY:
            self._save(site)
        return self._items[site]

    def save(self) -> None:
        """Write the items counted since the last save to the store (at the end of a crawl)."""
        for site in list(self._unsaved):
            self._save(site)

    def _save(self, site: str) -> None:
        count = self._unsaved.pop(site, 0)
        if count:
            # The store's total also holds what concurrent crawls of the site counted meanwhile.
            self._items[site] = self.store.add_site_items(site, count)

    def observe(self, site: str, title: str | None, paragraphs: Sequence[Paragraph]) -> list[Learned]:
        """Count ``paragraphs`` under ``title`` (:func:`observed` of them); the ones that just
        became boilerplate. Then :meth:`refresh`: what other processes learned is known too."""
        known = self.learned(site)
        candidates = {p.key: p.text for p in observed(paragraphs)}
        candidates = {k: p for k, p in candidates.items() if k not in known}
        if not candidates or not title:
            self.refresh(site)
            return []
        counts, stored = self.store.count_titles(site, list(candidates), text_key(fold_for_match(title)))
        new = []
        for key, count in counts.items():
            if count >= self.min_repeats:
                self.store.learn_paragraph(site, key, candidates[key])
                known[key] = candidates[key]
                new.append(Learned(key, candidates[key], count - 1))
                logger.info(
                    "Learned boilerplate of %s (seen in %d articles with different titles): %r",
                    site, count, candidates[key][:120],
                )
        if self.store.shared:
            self._refresh(site, stored)
        return new
