"""``scrapy parse URL``: Scrapy's command, showing items as the feed has them.

The spider picks the callback from the URL's kind (article, listing, feed), so no
``--callback`` is needed. Items are printed with the public fields only
(``FEED_EXPORT_FIELDS``, in order), not the internal ones the pipelines use, and no
default feed is written (``-o FILE`` still writes one).
"""

from __future__ import annotations

import argparse
import warnings

from itemadapter import ItemAdapter
from scrapy.commands import parse
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils import display


class Command(parse.Command):
    """Scrapy's ``parse`` command with feed-shaped items, no default feed and no monitors."""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        # Scrapy 2.19's own parse command runs the callback inside a wrapper that returns a
        # Deferred, and its spider middleware then warns that the spider's callback "returned a
        # Deferred": a deprecation of Scrapy's command, not of the spider (whose callbacks return
        # iterators), and nothing a user of `scrapy parse` can change.
        warnings.filterwarnings("ignore", message=r".* returned a Deferred\. Returning Deferreds from spider callbacks",
                                category=ScrapyDeprecationWarning)
        # Above the newsbot add-on's default feed, below -o/-O (as `scrapy check` does).
        priority = (SETTINGS_PRIORITIES["spider"] + SETTINGS_PRIORITIES["cmdline"]) // 2
        self.settings.set("FEEDS", {}, priority=priority)
        # One page is no crawl: the close-of-crawl monitors (items written, coverage) would judge
        # it as one and log a false failure.
        self.settings.set("SPIDERMON_ENABLED", False, priority=priority)

    def print_items(self, lvl: int | None = None, colour: bool = True) -> None:
        """The items of depth ``lvl`` (all when None), each with the feed's fields only."""
        items = [item for level in self.items.values() for item in level] if lvl is None else self.items.get(lvl, [])
        assert self.settings is not None
        fields = self.settings.getlist("FEED_EXPORT_FIELDS")
        shown = []
        for item in items:
            adapter = ItemAdapter(item)
            shown.append({name: adapter.get(name) for name in fields} if fields else adapter.asdict())
        print("# Scraped Items ", "-" * 60)
        display.pprint(shown, colorize=colour)
