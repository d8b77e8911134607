"""How far a crawl has come, read from its stats: pages, items and rejects per site and
edition, the share of an ``ids`` backfill done, rates and an estimated time to finish.

Nothing is counted here: a :class:`Snapshot` is built from the counters the crawl already
keeps (:mod:`newsbot.monitoring.counters` per site and edition, Scrapy's
``downloader/response_count`` and ``item_scraped_count``, the spider's ``newsbot/ids/*`` and
the incremental ``newsbot/incremental/skipped``). Snapshots are plain data (JSON in Redis,
:mod:`newsbot.cluster.progress`), add up over workers (:func:`combine`) and are written as
log lines (:func:`progress_lines`) or as one table (:func:`summary_table`).

Per edition: ``pages`` = home and listing pages read + article pages read (items made and
pages rejected); ``items`` = items the spider made (before dedupe: ``items written`` is the
crawl's ``item_scraped_count``); ``rejects`` = article pages the spider rejected.

An ``ids`` backfill's id is done once its page gave an item or a reject, answered 404 or
failed for good (``newsbot/ids/not_found``, ``newsbot/ids/failed``), or was skipped as done in
an earlier run (``newsbot/incremental/skipped``). Ids dropped on purpose before the download
(robots.txt, a body over ``DOWNLOAD_MAXSIZE``) are not counted, so a crawl may end a little
short of 100 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from newsbot.monitoring.counters import edition_counts


@dataclass(frozen=True)
class EditionProgress:
    """Counts of one site and edition (see the module docstring)."""

    site: str
    edition: str
    pages: int = 0
    items: int = 0
    rejects: int = 0

    @property
    def name(self) -> str:
        return f"{self.site} {self.edition}"


@dataclass(frozen=True)
class Snapshot:
    """One worker's (or, combined, a whole crawl's) progress at one moment.

    ``elapsed``: seconds since the crawl (the earliest worker) started; ``responses``:
    ``downloader/response_count`` (feeds, robots.txt and errors included); ``written``:
    ``item_scraped_count``; ``ids_total``: ids in the ``-a ids`` ranges (0: no backfill);
    ``ids_done``: of those, done (``ids_skipped`` of them skipped as done earlier);
    ``workers``: how many workers were added up; ``finished``: worker finish reasons.

    >>> stats = {"newsbot/monitor/maghress/fr/items": 40, "newsbot/monitor/maghress/fr/listings": 5,
    ...          "newsbot/monitor/maghress/fr/articles/rejected/missing_title": 2,
    ...          "downloader/response_count": 52, "item_scraped_count": 39}
    >>> snap = Snapshot.from_stats(stats, elapsed=120)
    >>> snap.editions[0], snap.pages, snap.written
    (EditionProgress(site='maghress', edition='fr', pages=47, items=40, rejects=2), 47, 39)
    >>> Snapshot.from_dict(snap.to_dict()) == snap
    True
    """

    elapsed: float
    editions: tuple[EditionProgress, ...] = ()
    responses: int = 0
    written: int = 0
    ids_total: int = 0
    ids_done: int = 0
    ids_skipped: int = 0
    workers: int = 1
    finished: tuple[str, ...] = field(default=())

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any], *, elapsed: float, ids_total: int = 0) -> Snapshot:
        """The snapshot of a crawl's ``stats`` (a stats dict) after ``elapsed`` seconds."""
        editions = tuple(
            EditionProgress(c.site, c.edition, c.listings + c.article_pages, c.items, sum(c.rejected.values()))
            for c in edition_counts(stats)
        )
        skipped = int(stats.get("newsbot/incremental/skipped", 0)) if ids_total else 0
        done = 0
        if ids_total:
            gone = sum(int(stats.get(f"newsbot/ids/{k}", 0)) for k in ("not_found", "failed"))
            done = min(ids_total, sum(e.items + e.rejects for e in editions) + gone + skipped)
        return cls(
            elapsed=float(elapsed), editions=editions,
            responses=int(stats.get("downloader/response_count", 0)), written=int(stats.get("item_scraped_count", 0)),
            ids_total=ids_total, ids_done=done, ids_skipped=skipped,
        )

    @property
    def pages(self) -> int:
        return sum(e.pages for e in self.editions)

    @property
    def items(self) -> int:
        return sum(e.items for e in self.editions)

    @property
    def rejects(self) -> int:
        return sum(e.rejects for e in self.editions)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what a cluster worker publishes)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Snapshot:
        """Back from :meth:`to_dict`; unknown keys are ignored, missing ones take defaults."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        known["editions"] = tuple(EditionProgress(**e) for e in data.get("editions", ()))
        known["finished"] = tuple(data.get("finished", ()))
        return cls(**known)


def combine(snapshots: Iterable[Snapshot], elapsed: float) -> Snapshot:
    """The whole crawl from its workers' snapshots: counts added up per site and edition,
    ``elapsed`` given (the crawl's, from its first worker's start). ``ids_total`` is the
    largest (every worker runs the same ``-a ids``).

    >>> a = Snapshot(10, (EditionProgress("maghress", "fr", 5, 4, 1),), responses=6, written=4, ids_total=9, ids_done=5)
    >>> b = Snapshot(8, (EditionProgress("maghress", "fr", 3, 3, 0), EditionProgress("maghress", "ar", 2, 2, 0)),
    ...              ids_total=9, ids_done=4, finished=("finished",))
    >>> whole = combine([a, b], elapsed=12)
    >>> [(e.name, e.pages, e.items) for e in whole.editions], whole.ids_done, whole.workers, whole.finished
    ([('maghress ar', 2, 2), ('maghress fr', 8, 7)], 9, 2, ('finished',))
    """
    snapshots = list(snapshots)
    sums: dict[tuple[str, str], list[int]] = {}
    for snap in snapshots:
        for e in snap.editions:
            row = sums.setdefault((e.site, e.edition), [0, 0, 0])
            row[0] += e.pages
            row[1] += e.items
            row[2] += e.rejects
    total = max((s.ids_total for s in snapshots), default=0)
    return Snapshot(
        elapsed=float(elapsed),
        editions=tuple(EditionProgress(site, ed, *sums[(site, ed)]) for site, ed in sorted(sums)),
        responses=sum(s.responses for s in snapshots), written=sum(s.written for s in snapshots),
        ids_total=total, ids_done=min(total, sum(s.ids_done for s in snapshots)),
        ids_skipped=sum(s.ids_skipped for s in snapshots), workers=sum(s.workers for s in snapshots),
        finished=tuple(reason for s in snapshots for reason in s.finished),
    )


# --- rates and times ------------------------------------------------------------------------
def per_minute(count: float, seconds: float) -> float:
    """``count`` per minute over ``seconds`` (0 when no time has passed).

    >>> per_minute(30, 15), per_minute(5, 0)
    (120.0, 0.0)
    """
    return count * 60 / seconds if seconds > 0 else 0.0


def duration(seconds: float | None) -> str:
    """A short human duration: ``45s``, ``12m 05s``, ``3h 07m``, ``2d 04h``; ``?`` for None.

    >>> duration(45.2), duration(725), duration(3 * 3600 + 420), duration(2 * 86400 + 4 * 3600), duration(None)
    ('45s', '12m 05s', '3h 07m', '2d 04h', '?')
    """
    if seconds is None:
        return "?"
    s = round(max(seconds, 0))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    if s < 86400:
        return f"{s // 3600}h {s % 3600 // 60:02d}m"
    return f"{s // 86400}d {s % 86400 // 3600:02d}h"


def eta(remaining: int, rate_per_s: float) -> float | None:
    """Seconds to do ``remaining`` at ``rate_per_s``; None when nothing moves; 0 when done.

    >>> eta(600, 2.0), eta(0, 0.0), eta(5, 0.0) is None
    (300.0, 0.0, True)
    """
    if remaining <= 0:
        return 0.0
    return remaining / rate_per_s if rate_per_s > 0 else None


# --- what the log says ------------------------------------------------------------------------
def progress_lines(now: Snapshot, before: Snapshot | None = None, label: str = "") -> list[str]:
    """The periodic lines: one per site and edition, and one for an ``ids`` backfill.

    Rates are over the time since ``before`` (the previous lines), else over the whole
    crawl; the ETA divides the ids left by the rate ids were done at since ``before``.
    ``label`` goes after ``Progress`` (``[crawl maghress, 2 workers]``).

    >>> before = Snapshot(60, (EditionProgress("maghress", "fr", 100, 90, 2),), ids_total=1000, ids_done=92)
    >>> now = Snapshot(120, (EditionProgress("maghress", "fr", 250, 230, 5),), ids_total=1000, ids_done=235)
    >>> for line in progress_lines(now, before): print(line)
    Progress maghress fr: 250 pages (150/min), 230 items, 5 rejects
    Progress ids: 235 of 1,000 done (23.5 %), 143/min, ETA 5m 21s
    """
    prefix = f"Progress {label} " if label else "Progress "
    span = now.elapsed - before.elapsed if before is not None else now.elapsed
    old = {(e.site, e.edition): e for e in before.editions} if before is not None else {}
    lines = []
    for e in now.editions:
        pages = e.pages - (old[(e.site, e.edition)].pages if (e.site, e.edition) in old else 0)
        lines.append(f"{prefix}{e.name}: {counted(e.pages, 'page')} ({per_minute(pages, span):,.0f}/min),"
                     f" {counted(e.items, 'item')}, {counted(e.rejects, 'reject')}")
    if now.ids_total:
        done = now.ids_done - (before.ids_done if before is not None else 0)
        rate = done / span if span > 0 else 0.0
        lines.append(f"{prefix}ids: {ids_share(now)}, {per_minute(done, span):,.0f}/min,"
                     f" ETA {duration(eta(now.ids_total - now.ids_done, rate))}")
    return lines


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless it is one.

    >>> counted(1, "page"), counted(1_250, "item"), counted(0, "reject")
    ('1 page', '1,250 items', '0 rejects')
    """
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def ids_share(snap: Snapshot) -> str:
    """``235 of 1,000 done (23.5 %)`` (with ``, 40 done earlier`` when some were skipped)."""
    share = 100 * snap.ids_done / snap.ids_total if snap.ids_total else 0.0
    skipped = f", {snap.ids_skipped:,} of them in earlier runs" if snap.ids_skipped else ""
    return f"{snap.ids_done:,} of {snap.ids_total:,} done ({share:.1f} %{skipped})"


def summary_table(snap: Snapshot, title: str) -> str:
    """The end-of-crawl summary: one short table, one row per site and edition and a total,
    rates over the whole crawl; then the ids backfill's share (and ETA while not finished).

    >>> snap = Snapshot(120, (EditionProgress("maghress", "ar", 20, 18, 1), EditionProgress("maghress", "fr", 40, 35, 3)),
    ...                 responses=66, written=50)
    >>> print(summary_table(snap, "Progress at the end (2m 00s)"))
    Progress at the end (2m 00s):
    site      edition  pages  items  rejects  pages/min
    maghress  ar          20     18        1       10.0
    maghress  fr          40     35        3       20.0
    all                   60     53        4       30.0
    66 responses (feeds, robots.txt and errors included), 50 items written
    """
    header = ("site", "edition", "pages", "items", "rejects", "pages/min")
    rows = [(e.site, e.edition, f"{e.pages:,}", f"{e.items:,}", f"{e.rejects:,}", f"{per_minute(e.pages, snap.elapsed):,.1f}")
            for e in snap.editions]
    rows.append(("all", "", f"{snap.pages:,}", f"{snap.items:,}", f"{snap.rejects:,}",
                 f"{per_minute(snap.pages, snap.elapsed):,.1f}"))
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    lines = [f"{title}:"]
    for row in (header, *rows):
        cells = [str(c).ljust(widths[i]) if i < 2 else str(c).rjust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    lines.append(f"{counted(snap.responses, 'response')} (feeds, robots.txt and errors included),"
                 f" {counted(snap.written, 'item')} written")
    if snap.ids_total:
        fetched = snap.ids_done - snap.ids_skipped
        left = snap.ids_total - snap.ids_done
        tail = f", ETA {duration(eta(left, fetched / snap.elapsed if snap.elapsed > 0 else 0.0))}" if left else ""
        lines.append(f"ids: {ids_share(snap)}, {per_minute(fetched, snap.elapsed):,.0f}/min{tail}")
    return "\n".join(lines)


def with_elapsed(snap: Snapshot, elapsed: float) -> Snapshot:
    """``snap`` with another ``elapsed`` (a crawl's, rather than one worker's)."""
    return replace(snap, elapsed=float(elapsed))
