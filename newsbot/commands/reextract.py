"""``scrapy reextract ARCHIVE -O FEED``: the records of a past crawl rebuilt from its WARC archive.

ARCHIVE is a ``.warc.gz`` file or a directory of them written by a crawl with
``NEWSBOT_ARCHIVE``. The spider of the site whose article pages the archive holds runs with
``NEWSBOT_REPLAY=ARCHIVE`` (:mod:`newsbot.archive.replay`): every request is answered from the
archive, never the network, from the archived article pages, with a fresh state store in
memory, through the current extractors and pipelines. Each record keeps the ``crawled_at`` and
``warc_record_id`` of its archived page. ``-o``/``-O``, ``-a`` and ``-s`` work as for ``scrapy crawl``.

Exit status as ``scrapy crawl`` (:mod:`newsbot.commands.crawl`), and 2 when the archive is
missing, unreadable, not WARC, holds no article page, or holds pages of several sites and no
``--spider`` says which.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.exceptions import UsageError

from newsbot.archive.reader import ArchiveError, scan_archive
from newsbot.commands.crawl import FAILED_CRAWL, crawl_failed
from newsbot.commands.crawl import Command as CrawlCommand
from newsbot.family.urls import PageKind
from newsbot.sites import classify_url

if TYPE_CHECKING:
    import argparse


def archived_sites(path: Path) -> set[str]:
    """The sites whose article pages (answering 2xx) the archive at ``path`` holds.
    Raises :class:`~newsbot.archive.reader.ArchiveError` for an unreadable archive."""
    sites = set()
    for response in scan_archive(path).responses:
        where = classify_url(response.url)
        if where is not None and where.kind == PageKind.ARTICLE and 200 <= response.status < 300:
            sites.add(where.site)
    return sites


class Command(CrawlCommand):
    """``scrapy reextract`` (module docstring)."""

    def syntax(self) -> str:
        return "[options] ARCHIVE"

    def short_desc(self) -> str:
        return "Rebuild the records of a crawl from its WARC archive (NEWSBOT_ARCHIVE), offline"

    def long_desc(self) -> str:
        return (
            "Run the spider of the archived site with every request answered from ARCHIVE (a .warc.gz file"
            " or a directory of them written with -s NEWSBOT_ARCHIVE=DIR), never the network, starting from"
            " the archived article pages, with a fresh state store in memory: every archived article is"
            " written again with the current extractors, keeping its crawled_at and warc_record_id."
            " Exit status: as scrapy crawl; 2 when the archive cannot be read or holds no article page."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", metavar="NAME", help="the spider to run when the archive holds several sites")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            raise UsageError("give one archive: a .warc.gz file or a directory of them (NEWSBOT_ARCHIVE)")
        path = Path(args[0]).expanduser().resolve()
        try:
            sites = archived_sites(path)
        except ArchiveError as error:
            raise UsageError(f"cannot re-extract: {error}", print_help=False) from None
        if opts.spider:
            opts.replay_spider = opts.spider
        elif len(sites) == 1:
            opts.replay_spider = sites.pop()
        elif not sites:
            raise UsageError(f"cannot re-extract {args[0]}: it holds no aggregator article page", print_help=False)
        else:
            raise UsageError(f"{args[0]} holds article pages of several sites ({', '.join(sorted(sites))}):"
                             " give one with --spider NAME", print_help=False)
        self.settings.set("NEWSBOT_REPLAY", str(path), priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.crawler_process
        names = self.crawler_process.spider_loader.list()
        if opts.replay_spider not in names:
            raise UsageError(f"no spider named {opts.replay_spider!r}: the spiders are {', '.join(sorted(names))}",
                             print_help=False)
        crawler = self._create_crawler(opts.replay_spider)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawl_failed(crawler):
            self.exitcode = FAILED_CRAWL
