"""Spider arguments (``-a name=value``) of the aggregator spiders, validated at start.

A bad value raises :class:`ArgumentError` before any request is made; its message
names the argument and gives a good example.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from newsbot.family.urls import slug_problem
from newsbot.sites.base import SiteProfile

logger = logging.getLogger(__name__)

_ID_RANGE = re.compile(r"^(?:(?P<edition>[a-z]{2})/)?(?P<slug>[^:/\s]+):(?P<first>\d+)(?:-(?P<last>\d+))?$")
MAX_IDS_PER_RANGE = 1_000_000
KNOWN = ("editions", "outlets", "since", "until", "ids", "fresh", "revisit_days", "follow_source")
MAX_REVISIT_DAYS = 3660
"""At most ten years of re-visits (a bigger number is a typo, not a policy)."""


class ArgumentError(ValueError):
    """A spider argument has a bad value; the message says what to write instead."""


@dataclass(frozen=True)
class IdRange:
    """Inclusive range of article ids of one outlet: ``fr/h24info:1165380-1165390``."""

    edition: str
    outlet_slug: str
    first: int
    last: int

    def __len__(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class CrawlArguments:
    """The validated arguments of one crawl of ``site``.

    * ``editions``: ``-a editions=fr,ar`` (default: every edition of the site);
    * ``outlets``: ``-a outlets=h24info,le360`` (None: every outlet);
    * ``since``/``until``: ``-a since=2021-10-01 -a until=2021-10-31`` (inclusive, on ``published``);
    * ``ids``: ``-a ids=fr/h24info:1165380-1165390,le360:5-9`` (replaces normal discovery);
    * ``fresh``: ``-a fresh=1`` ignores the incremental state for one run;
    * ``revisit_days``: ``-a revisit_days=7`` fetches again the articles first seen in the last 7
      days (None: ``NEWSBOT_REVISIT_DAYS``; see :mod:`newsbot.middlewares.incremental`);
    * ``follow_source``: ``-a follow_source=0`` keeps teasers as the aggregator gives them instead
      of fetching the outlet's page (None: ``NEWSBOT_FOLLOW_SOURCE``).
    """

    editions: tuple[str, ...]
    outlets: frozenset[str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    ids: tuple[IdRange, ...] = ()
    fresh: bool = False
    revisit_days: int | None = None
    follow_source: bool | None = None

    @classmethod
    def parse(cls, site: SiteProfile, raw: dict[str, object]) -> CrawlArguments:
        """Validate ``raw`` (the ``-a`` values) for ``site``; raise :class:`ArgumentError`."""
        unknown = sorted(k for k in raw if k not in KNOWN and not k.startswith("_"))
        if unknown:
            raise ArgumentError(
                f"unknown spider argument {', '.join(unknown)}: {site.name} takes {', '.join(KNOWN)}"
                f" (example: -a editions={site.edition_codes[-1]} -a since=2021-10-01)"
            )
        editions = _editions(site, raw.get("editions"))
        outlets = _outlets(site, editions, raw.get("outlets"))
        since = _date("since", raw.get("since"))
        until = _date("until", raw.get("until"))
        if since and until and since > until:
            raise ArgumentError(
                f"since={since} is after until={until}: since must be on or before until"
                " (example: -a since=2021-10-01 -a until=2021-10-31)"
            )
        ids = _id_ranges(site, raw.get("ids"))
        ignored = [name for name in ("editions", "outlets") if ids and raw.get(name) is not None]
        if ignored:
            logger.warning("%s: ids replaces normal discovery, so %s is ignored (the ids name their edition and outlet)",
                           site.name, " and ".join(ignored))
        return cls(editions, outlets, since, until, ids, _flag("fresh", raw.get("fresh")),
                   _days("revisit_days", raw.get("revisit_days")),
                   None if raw.get("follow_source") is None else _flag("follow_source", raw.get("follow_source")))


def _split(value: object) -> list[str]:
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _editions(site: SiteProfile, value: object) -> tuple[str, ...]:
    if value is None:
        return site.edition_codes
    chosen = _split(value)
    bad = [e for e in chosen if e not in site.edition_codes]
    if not chosen or bad:
        raise ArgumentError(
            f"editions={value!s}: {site.name} has editions {','.join(site.edition_codes)}"
            f" (example: -a editions={site.edition_codes[-1]})"
        )
    return tuple(dict.fromkeys(chosen))


def _outlets(site: SiteProfile, editions: tuple[str, ...], value: object) -> frozenset[str] | None:
    if value is None:
        return None
    slugs = _split(value)
    if not slugs:
        raise ArgumentError(
            f"outlets={value!s}: outlet slugs are lower-case letters, digits, '-' and '_' as in the"
            f" URL, comma-separated (example: -a outlets=h24info,le360)"
        )
    problems = [problem for s in slugs if (problem := slug_problem(s))]
    if problems:
        raise ArgumentError(f"outlets={value!s}: {'; '.join(problems)} (example: -a outlets=h24info,le360)")
    known = set().union(*(site.known_outlets.get(e, frozenset()) for e in editions))
    for slug in slugs:
        if slug not in known:
            logger.warning("outlets: %r has not been seen on %s yet; crawling it anyway", slug, site.name)
    return frozenset(slugs)


def _date(name: str, value: object) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ArgumentError(f"{name}={value!s} is not a date: write YYYY-MM-DD (example: -a {name}=2021-10-01)") from None


def _flag(name: str, value: object) -> bool:
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ArgumentError(f"{name}={value!s}: write {name}=1 or {name}=0")


def _days(name: str, value: object) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) > MAX_REVISIT_DAYS:
        raise ArgumentError(
            f"{name}={value!s}: write a whole number of days from 0 (no re-visits) to {MAX_REVISIT_DAYS}"
            f" (example: -a {name}=7)"
        )
    return int(text)


def _id_ranges(site: SiteProfile, value: object) -> tuple[IdRange, ...]:
    if value is None:
        return ()
    example = f"-a ids={site.edition_codes[-1]}/outletslug:1165380-1165390"
    ranges = []
    for part in _split(value) or [""]:
        match = _ID_RANGE.match(part)
        if not match:
            raise ArgumentError(f"ids={value!s}: {part!r} is not [EDITION/]SLUG:FROM-TO (example: {example})")
        ed = match.group("edition") or site.edition_codes[0]
        if ed not in site.edition_codes:
            raise ArgumentError(
                f"ids={value!s}: {site.name} has no edition {ed!r} (it has {','.join(site.edition_codes)};"
                f" example: {example})"
            )
        slug = match.group("slug")
        if problem := slug_problem(slug):
            raise ArgumentError(f"ids={value!s}: {problem} (example: {example})")
        first = int(match.group("first"))
        last = int(match.group("last") or first)
        if last < first:
            raise ArgumentError(f"ids={value!s}: range {first}-{last} ends before it starts (example: {example})")
        if last - first + 1 > MAX_IDS_PER_RANGE:
            raise ArgumentError(f"ids={value!s}: at most {MAX_IDS_PER_RANGE} ids per range (example: {example})")
        ranges.append(IdRange(ed, slug, first, last))
    return tuple(ranges)
