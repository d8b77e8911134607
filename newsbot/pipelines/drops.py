"""Dropped items: why, and of which kept item they are a copy.

Every pipeline of newsbot drops an item by raising :class:`PipelineDrop` with a
``reason`` (``empty_body``, ``missing_title``, ``duplicate_url``, ``duplicate_of``,
``near_duplicate``); duplicates name the kept item's URL in ``duplicate_of`` and
near-duplicates carry the estimated Jaccard ``similarity``. :func:`reject_record` turns a
drop into the line of the rejects feed (``NEWSBOT_REJECTS_FEED``); :func:`drop_reason`
also names drops of other pipelines (plain ``DropItem``).
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

DROP_STAT = "newsbot/dropped/{reason}"


class PipelineDrop(DropItem):
    """``DropItem`` with a machine-readable ``reason`` (a stats and rejects-feed key).

    >>> drop = PipelineDrop("near_duplicate", "same story as https://www.maghress.com/fr/le360/2",
    ...                     duplicate_of="https://www.maghress.com/fr/le360/2", similarity=0.91)
    >>> drop.reason, str(drop)
    ('near_duplicate', 'near_duplicate: same story as https://www.maghress.com/fr/le360/2')
    """

    def __init__(
        self, reason: str, detail: str = "", *, duplicate_of: str | None = None, similarity: float | None = None
    ) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.duplicate_of = duplicate_of
        self.similarity = similarity


def drop_reason(exception: BaseException) -> str:
    """The reason of a drop: a :class:`PipelineDrop`'s own, ``dropped`` for any other."""
    return getattr(exception, "reason", None) or "dropped"


def reject_record(url: str | None, exception: BaseException) -> dict[str, Any]:
    """The rejects-feed line of a dropped item: ``{url, reason, duplicate_of?, similarity?}``.

    >>> reject_record("https://www.maghress.com/fr/le360/3", PipelineDrop("duplicate_of",
    ...               duplicate_of="https://www.maghress.com/fr/le360/2"))
    {'url': 'https://www.maghress.com/fr/le360/3', 'reason': 'duplicate_of', 'duplicate_of': 'https://www.maghress.com/fr/le360/2'}
    """
    record: dict[str, Any] = {"url": url, "reason": drop_reason(exception)}
    if getattr(exception, "duplicate_of", None):
        record["duplicate_of"] = exception.duplicate_of  # type: ignore[attr-defined]
    if getattr(exception, "similarity", None) is not None:
        record["similarity"] = exception.similarity  # type: ignore[attr-defined]
    return record
