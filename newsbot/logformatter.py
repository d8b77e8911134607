"""newsbot's log formatter (``LOG_FORMATTER``): a dropped item in one short line.

Scrapy's :meth:`~scrapy.logformatter.LogFormatter.dropped` writes the whole item after the
reason, a line of about 2.5 KB per duplicate in a daily log. Here the line names the item's
URL and the reason (``Dropped https://www.maghress.com/fr/le360/2: near_duplicate: estimated
Jaccard similarity 0.91 with https://...``), at the level Scrapy would use
(``DEFAULT_DROPITEM_LOG_LEVEL``, or the exception's ``log_level``); the item itself is logged
at DEBUG, for whoever needs it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter, is_item
from scrapy.logformatter import LogFormatter, LogFormatterResult

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


def item_url(item: Any) -> str | None:
    """The ``url`` field of an item, or None.

    >>> item_url({"url": "https://www.maghress.com/fr/le360/2", "title": "x"}), item_url("not an item")
    ('https://www.maghress.com/fr/le360/2', None)
    """
    return ItemAdapter(item).get("url") if is_item(item) else None


class NewsbotLogFormatter(LogFormatter):
    """Scrapy's log formatter with :meth:`dropped` in one line (see the module docstring)."""

    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)  # the level Scrapy decides
        url = item_url(item)
        logger.debug("Dropped item %s: %r", url or "(no url)", item)
        return {
            "level": result["level"],
            "msg": "Dropped %(url)s: %(exception)s",
            "args": {"url": url or "an item without url", "exception": exception},
        }
