"""``python -m newsbot.cluster status|reset REDIS_URL [CRAWL ...]``: look at or reset cluster crawls.

``--namespace`` names the state namespace of the crawls (``NEWSBOT_STATE_NAMESPACE``; default
``newsbot``, the live crawls; ``newsbot-demo`` or ``newsbot-mirror`` for mirrored ones).

``status`` prints, per crawl found in that Redis (or the crawls named), one JSON line:
the queued requests, requests in flight, seen and failed fingerprints, the seeding
worker and the live workers with their share (responses, items). ``reset`` deletes a
crawl's keys (queue, seen set, seed lock, worker registry, requests in flight); it
refuses while workers of that crawl are alive unless ``--force`` is given. The state
store (seen articles, signatures, boilerplate) is not touched: it belongs to every run,
not to one crawl.
"""

from __future__ import annotations

import argparse
import json
import sys

from scrapy.settings import Settings

from newsbot.cluster.config import cluster_url, worker_timeout
from newsbot.cluster.crawl import ClusterCrawl, redis_client
from newsbot.cluster.keys import DEFAULT_NAMESPACE, ClusterKeys, prefix
from newsbot.cluster.outage import REDIS_ERRORS
from newsbot.config import masked_url


def crawls_in(server, namespace: str = DEFAULT_NAMESPACE) -> list[str]:  # noqa: ANN001 - a redis.Redis
    """Names of the crawls of ``namespace`` that have keys in ``server``."""
    keys = server.scan_iter(match=f"{prefix(namespace)}:*", count=1000)
    names = {ClusterKeys.crawl_of(k.decode(), namespace) for k in keys}
    return sorted(n for n in names if n)


def handle_of(server, crawl: str, namespace: str = DEFAULT_NAMESPACE) -> ClusterCrawl:  # noqa: ANN001 - a redis.Redis
    """The crawl ``crawl`` as a worker with the default ``NEWSBOT_CLUSTER_WORKER_TIMEOUT`` sees it."""
    return ClusterCrawl(server, ClusterKeys(crawl, namespace), timeout=worker_timeout(Settings()))


def describe(server, crawl: str, namespace: str = DEFAULT_NAMESPACE) -> dict:  # noqa: ANN001
    """A crawl's state as a dict (what ``status`` prints)."""
    handle = handle_of(server, crawl, namespace)
    keys = handle.keys
    seeded = server.get(keys.seeded)
    return {
        "crawl": crawl,
        "queued": handle.queued(),
        "seen": int(server.scard(keys.dupefilter)),
        "failed": int(server.scard(keys.failed)),
        "in_flight": sum(int(server.hlen(k)) for k in server.scan_iter(match=keys.inflight_prefix + "*")),
        "seeded_by": json.loads(seeded).get("worker") if seeded else None,
        "workers": handle.live_workers(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the command; exit 0, 1 (Redis unusable, or live workers refuse a reset) or 2 (usage),
    with one line on stderr saying what is wrong and what to do."""
    parser = argparse.ArgumentParser(prog="python -m newsbot.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("status", "reset"))
    parser.add_argument("redis_url", help="the NEWSBOT_CLUSTER value, e.g. redis://127.0.0.1:6379/0")
    parser.add_argument("crawls", nargs="*", help="crawl names (NEWSBOT_CLUSTER_CRAWL, default the spider name)")
    parser.add_argument("--force", action="store_true", help="reset even while workers are alive")
    parser.add_argument("--namespace", default=DEFAULT_NAMESPACE,
                        help="NEWSBOT_STATE_NAMESPACE of the crawls (default newsbot; mirrored crawls: newsbot-demo, newsbot-mirror)")
    args = parser.parse_args(argv)
    try:
        url = cluster_url(args.redis_url)
    except ValueError as exc:
        parser.error(str(exc))
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
        for crawl in args.crawls or crawls_in(server, args.namespace):
            print(json.dumps(describe(server, crawl, args.namespace), ensure_ascii=False, sort_keys=True))
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
