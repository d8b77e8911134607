"""The names a crawl's verdict is told by (light: imported by ``scrapy crawl`` itself).

See :mod:`newsbot.monitoring.report` for where they are written.
"""

VERDICT_PREFIX = "newsbot verdict:"
"""Start of the one log line that gives the verdict (``scripts/schedule_if_idle.py`` reads it)."""
PASSED_STAT = "newsbot/monitors/passed"
FAILED_STAT = "newsbot/monitors/failed"
"""Stats: monitor checks passed and failed; ``scrapy crawl`` exits 1 when the second is not 0."""
