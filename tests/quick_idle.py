"""``python -m tests.quick_idle crawl SPIDER ...``: ``scrapy``, with the engine looking at an idle
spider every second instead of every 5 s (the cluster tests' workers, through
``run_crawl(..., quick_idle=True)``).

A cluster worker closes once the whole crawl has been idle for ``MAX_IDLE_TIME_BEFORE_CLOSE``
seconds (5 at least), which it judges each time Scrapy's engine reports the spider idle: on the
engine's heartbeat, every 5 s, so a worker closes 5 to 10 s after the crawl's end (9 s, often),
at 1 s 5 to 6 s after. The decision stays the product's (:mod:`newsbot.cluster.extension`),
and so does everything else. Tests about how soon an idle worker looks at the queue again
(``tests/test_cluster_spread.py``) run plain ``scrapy``, Scrapy's 5 s.
"""

IDLE_CHECK_S = 1.0


def quicken_engine() -> None:
    """Make crawls started from now on in this process look at an idle spider every :data:`IDLE_CHECK_S` s."""
    from scrapy.core.engine import ExecutionEngine

    # Read when a crawl starts its engine: a class attribute in Scrapy 2.19, no setting. Fail
    # loudly if an upgrade renames it, rather than quietly testing at 5 s.
    assert isinstance(ExecutionEngine._SLOT_HEARTBEAT_INTERVAL, float), "Scrapy's engine heartbeat moved"
    ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = IDLE_CHECK_S


def main() -> None:
    from scrapy.cmdline import execute

    quicken_engine()
    execute()


if __name__ == "__main__":  # only there: pytest imports this module for its doctests
    main()
