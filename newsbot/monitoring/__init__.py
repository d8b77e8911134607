"""The health of a crawl, in one place: what is counted while it runs, what is judged when it
closes, and what a cron job, Scrapyd or CI sees of the judgement.

* :mod:`~newsbot.monitoring.pages`: a page that fails to read is logged, counted
  (``newsbot/malformed/<Error>``) and the crawl goes on;
* :mod:`~newsbot.monitoring.counters`: per site and edition counters (field coverage,
  rejected article pages, listings without entries) in the crawl's stats;
* :mod:`~newsbot.monitoring.monitors`: the close-of-spider monitors (spidermon), one per
  question: pages downloaded, items written, finish reason, field coverage, article pages
  rejected, listings without entries, error and retry rates, item validation
  (:mod:`newsbot.pipelines.validation` checks items against ``newsbot/schemas/article.json``);
* :mod:`~newsbot.monitoring.suite`: the suite spidermon runs at close;
* :mod:`~newsbot.monitoring.report`: the verdict line in the log, ``<feed>.report.json``
  and the stats :mod:`newsbot.commands.crawl` turns into the exit status.
"""

NOT_STARTED_STAT = "newsbot/not_started"
"""Stat set (to the reason) by a component that stops a crawl before it fetched anything
because it must not run as started (a cluster worker whose ``-a`` options differ from the
seeding worker's): the monitors do not judge such a crawl, the reason is in its log."""

