"""``python -m newsbot.cluster status|reset [REDIS_URL] [CRAWL ...]``: look at or reset cluster crawls.

The Redis is the first argument when it is a URL (``redis://...``), else ``--redis URL``, else
the ``NEWSBOT_CLUSTER`` environment variable, else ``NEWSBOT_CLUSTER`` of the project settings
(``SCRAPY_SETTINGS_MODULE`` or ``scrapy.cfg``). ``--namespace`` names the state namespace of the
crawls (``NEWSBOT_STATE_NAMESPACE``; default: the project's, ``newsbot``, the live crawls;
``newsbot-demo`` or ``newsbot-mirror`` for mirrored ones).

``status CRAWL`` prints, per crawl named (or every crawl found), what the workers do (queued
requests, requests in flight, seen and failed fingerprints, live workers) and how far the
crawl has come: the table the workers log at their end, added up over every worker that
published its counts (:mod:`newsbot.cluster.progress`): pages, items, rejects and pages/min
per site and edition, and for an ``ids`` backfill the share done and an ETA. ``status
REDIS_URL`` (the URL first, as before) prints one JSON line per crawl instead (with
``progress``: those counts; ``--json`` does that in either form). ``reset`` deletes a
crawl's keys (queue, seen set, seed lock, worker registry, requests in flight, progress); it
refuses while workers of that crawl are alive unless ``--force`` is given. The state store
(seen articles, signatures, boilerplate) is not touched: it belongs to every run, not to one
crawl.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from scrapy.settings import BaseSettings, Settings

from newsbot.cluster import progress
from newsbot.cluster.config import cluster_url, worker_timeout
from newsbot.cluster.crawl import ClusterCrawl, redis_client
from newsbot.cluster.keys import DEFAULT_NAMESPACE, ClusterKeys, prefix
from newsbot.cluster.outage import REDIS_ERRORS
from newsbot.config import masked_url
from newsbot.monitoring.progress import duration, summary_table


def crawls_in(server, namespace: str = DEFAULT_NAMESPACE) -> list[str]:  # noqa: ANN001 - a redis.Redis
    """Names of the crawls of ``namespace`` that have keys in ``server``."""
    keys = server.scan_iter(match=f"{prefix(namespace)}:*", count=1000)
    names = {ClusterKeys.crawl_of(k.decode(), namespace) for k in keys}
    return sorted(n for n in names if n)


def namespaces_of(server, crawl: str) -> list[str]:  # noqa: ANN001 - a redis.Redis
    """The namespaces that hold keys of the crawl ``crawl`` (a demo's: ``newsbot-demo``)."""
    keys = server.scan_iter(match=f"*:cluster:{crawl}:*", count=1000)
    return sorted({key.decode().split(":cluster:", 1)[0] for key in keys})


def handle_of(server, crawl: str, namespace: str = DEFAULT_NAMESPACE) -> ClusterCrawl:  # noqa: ANN001 - a redis.Redis
    """The crawl ``crawl`` as a worker with the default ``NEWSBOT_CLUSTER_WORKER_TIMEOUT`` sees it."""
    return ClusterCrawl(server, ClusterKeys(crawl, namespace), timeout=worker_timeout(Settings()))


def describe(server, crawl: str, namespace: str = DEFAULT_NAMESPACE) -> dict[str, Any]:  # noqa: ANN001
    """A crawl's state as a dict (what ``status --json`` prints); ``progress``: the workers'
    published counts added up (:meth:`Snapshot.to_dict
    <newsbot.monitoring.progress.Snapshot.to_dict>`, and ``running``: how many of those workers
    are alive), None when none has published."""
    handle = handle_of(server, crawl, namespace)
    keys = handle.keys
    seeded = server.get(keys.seeded)
    published = progress.read(server, keys)
    whole = progress.crawl_snapshot(published)
    live = handle.live_workers()
    return {
        "crawl": crawl,
        "queued": handle.queued(),
        "seen": int(server.scard(keys.dupefilter)),
        "failed": int(server.scard(keys.failed)),
        "in_flight": sum(int(server.hlen(k)) for k in server.scan_iter(match=keys.inflight_prefix + "*")),
        "seeded_by": json.loads(seeded).get("worker") if seeded else None,
        "seed": _seed_state(json.loads(seeded) if seeded else None, live),
        "workers": live,
        "progress": {**whole.to_dict(), "running": progress.still_running(published, live)} if whole is not None else None,
    }


def _seed_state(seed: dict[str, Any] | None, live: dict[str, Any]) -> str | None:
    """``done`` (every start request queued), ``seeding`` (its worker is queuing them),
    ``unfinished`` (its worker stopped first: start workers again to seed the rest), or None."""
    if seed is None:
        return None
    if seed.get("done"):
        return "done"
    return "seeding" if seed.get("worker") in live else "unfinished"


def report(state: dict[str, Any], namespace: str) -> str:
    """What ``status CRAWL`` prints for one crawl: a line on its workers and queue, then its
    progress table (see the module docstring).

    >>> print(report({"crawl": "maghress", "queued": 0, "in_flight": 0, "seen": 0, "failed": 0,
    ...               "workers": {}, "progress": None}, "newsbot"))
    crawl maghress (namespace newsbot): 0 live workers, 0 queued, 0 in flight, 0 seen, 0 failed
    no progress published (no worker has run since the crawl was seeded, or its counts expired)
    >>> from newsbot.monitoring.progress import Snapshot
    >>> stopped = {"crawl": "maghress", "queued": 7, "in_flight": 0, "seen": 40, "failed": 0, "workers": {},
    ...            "progress": {**Snapshot(12.0, responses=33, written=30, workers=2).to_dict(), "running": 0}}
    >>> print(report(stopped, "newsbot").splitlines()[1])
    progress: 2 workers (none running, stopped with 7 queued: start workers again to resume), 12s since the first started:
    >>> print(report({**stopped, "seed": "unfinished"}, "newsbot").splitlines()[1])
    progress: 2 workers (none running, seeding stopped before the end: start workers again to seed the rest), 12s since the first started:
    """
    live = state["workers"]
    lines = [f"crawl {state['crawl']} (namespace {namespace}): {len(live)} live worker{'' if len(live) == 1 else 's'},"
             f" {state['queued']:,} queued, {state['in_flight']:,} in flight, {state['seen']:,} seen, {state['failed']:,} failed"]
    if state["progress"] is None:
        lines.append("no progress published (no worker has run since the crawl was seeded, or its counts expired)")
        return "\n".join(lines)
    whole = progress.Snapshot.from_dict(state["progress"])
    running = state["progress"].get("running", 0)
    if running > 0:
        how = f"{running} still running"
    elif state.get("seed") == "unfinished":  # the seeding worker stopped before it had queued every start request
        how = "none running, seeding stopped before the end: start workers again to seed the rest"
    elif state["queued"]:  # every worker left early (Ctrl-C, CLOSESPIDER_*): resumable
        how = f"none running, stopped with {state['queued']:,} queued: start workers again to resume"
    else:
        how = "all finished"
    lines.append(summary_table(whole, f"progress: {whole.workers} worker{'' if whole.workers == 1 else 's'}"
                                      f" ({how}), {duration(whole.elapsed)} since the first started"))
    return "\n".join(lines)


def project_settings() -> BaseSettings:
    """The project's settings (``SCRAPY_SETTINGS_MODULE`` or ``scrapy.cfg``), or empty ones outside a project."""
    from scrapy.utils.project import get_project_settings

    try:
        return get_project_settings()
    except Exception:  # noqa: BLE001 - no project here: the URL must come from elsewhere
        return Settings()


def _redis_url(args: argparse.Namespace, parser: argparse.ArgumentParser, settings: BaseSettings) -> str:
    """The Redis to use: a URL first argument, ``--redis``, env ``NEWSBOT_CLUSTER``, the settings'."""
    if args.targets and "://" in args.targets[0]:
        raw, args.crawls, args.legacy = args.targets[0], args.targets[1:], True
    else:
        raw = args.redis or os.environ.get("NEWSBOT_CLUSTER") or settings.get("NEWSBOT_CLUSTER")
        args.crawls, args.legacy = args.targets, False
        if not raw:
            parser.error("no Redis given: write its URL first (status redis://HOST:6379/0 CRAWL), or --redis URL,"
                         " or set NEWSBOT_CLUSTER in the environment or the project settings (workers read"
                         " only -s NEWSBOT_CLUSTER=URL or the settings, never the environment)")
    try:
        url = cluster_url(raw)
    except ValueError as exc:
        parser.error(str(exc))
    assert url is not None
    return url


def main(argv: list[str] | None = None) -> int:
    """Run the command; exit 0, 1 (Redis unusable, or live workers refuse a reset) or 2 (usage),
    with one line on stderr saying what is wrong and what to do."""
    parser = argparse.ArgumentParser(prog="python -m newsbot.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("status", "reset"))
    parser.add_argument("targets", nargs="*", metavar="[REDIS_URL] CRAWL",
                        help="the Redis URL (the workers' NEWSBOT_CLUSTER; optional, see --redis), then crawl names"
                             " (NEWSBOT_CLUSTER_CRAWL, default the spider name)")
    parser.add_argument("--redis", metavar="URL", help="the Redis URL when it is not the first argument"
                        " (default: NEWSBOT_CLUSTER from the environment, else from the project settings)")
    parser.add_argument("--force", action="store_true", help="reset even while workers are alive")
    parser.add_argument("--json", action="store_true", help="status: one JSON line per crawl")
    parser.add_argument("--namespace", default=None,
                        help="NEWSBOT_STATE_NAMESPACE of the crawls (default: the project's, newsbot; mirrored crawls:"
                             " newsbot-demo, newsbot-mirror)")
    args = parser.parse_args(argv)
    settings = project_settings()
    url = _redis_url(args, parser, settings)
    if args.namespace is None:
        args.namespace = settings.get("NEWSBOT_STATE_NAMESPACE") or DEFAULT_NAMESPACE
    try:
        return _run(args, parser, redis_client(Settings({"NEWSBOT_CLUSTER": url})))
    except REDIS_ERRORS as exc:
        print(
            f"{parser.prog}: cannot use Redis at {masked_url(str(url))} ({type(exc).__name__}: {exc}):"
            " start redis-server there, or give the URL the workers use (their NEWSBOT_CLUSTER)",
            file=sys.stderr,
        )
        return 1


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser, server) -> int:  # noqa: ANN001 - a redis.Redis
    if args.command == "status":
        crawls = args.crawls or crawls_in(server, args.namespace)
        if not crawls and not (args.legacy or args.json):
            print(f"no crawl in namespace {args.namespace} (a mirrored crawl's: --namespace newsbot-mirror or newsbot-demo)")
        found = set(crawls_in(server, args.namespace)) if args.crawls else set(crawls)
        for crawl in crawls:
            elsewhere = [n for n in namespaces_of(server, crawl) if n != args.namespace] if crawl not in found else []
            if elsewhere and not (args.legacy or args.json):
                print(f"crawl {crawl}: nothing in namespace {args.namespace}; found in {', '.join(elsewhere)}:"
                      f" add --namespace {elsewhere[0]}")
                continue
            state = describe(server, crawl, args.namespace)
            if args.legacy or args.json:
                print(json.dumps(state, ensure_ascii=False, sort_keys=True))
            else:
                print(report(state, args.namespace))
        return 0
    if not args.crawls:
        parser.error("reset needs the crawl name(s), e.g. maghress (see the status command)")
    status = 0
    for crawl in args.crawls:
        live = handle_of(server, crawl, args.namespace).live_workers()
        if live and not args.force:
            print(f"{crawl}: {len(live)} worker(s) alive ({', '.join(live)}): stop them first or use --force", file=sys.stderr)
            status = 1
            continue
        names = list(server.scan_iter(match=ClusterKeys(crawl, args.namespace).pattern, count=1000))
        deleted = server.delete(*names) if names else 0
        print(f"{crawl}: reset ({deleted} key(s) deleted)")
    return status


if __name__ == "__main__":
    sys.exit(main())
