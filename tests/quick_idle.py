"""``python -m tests.quick_idle crawl SPIDER ...``: ``scrapy``, with the engine looking at an idle
spider every second instead of every 5 s (the cluster tests' workers, through
``run_crawl(..., quick_idle=True)``).

A cluster worker closes as soon as the whole crawl is complete, which an idle worker's
scheduler asks every 0.02 to 0.2 s (:mod:`newsbot.cluster.extension`), so this matters less than when
workers waited for the engine's idle check; it still shortens the other waits that ride on the
engine's heartbeat. The decisions stay the product's, and so does everything else. Tests about
how soon workers look at the queue again and leave at the end (``tests/test_cluster_spread.py``)
run plain ``scrapy``, Scrapy's 5 s.
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
