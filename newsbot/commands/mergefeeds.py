"""``scrapy mergefeeds OUT FEED [FEED ...]``: one record per article from several feeds."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newsbot.feeds import MergeError, merge_feeds


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] OUT FEED [FEED ...]"

    def short_desc(self) -> str:
        return "Merge JSON Lines feeds into OUT, one record per url; cut or bad lines are skipped"

    def long_desc(self) -> str:
        return (
            "Merge JSON Lines feeds (e.g. the feeds of a killed run and of the run after it) into OUT: "
            "records in feed order, the first record of each url kept, lines that are not a JSON object "
            "(a last line cut by a kill) skipped and reported, lines with invalid UTF-8 kept with U+FFFD and"
            " reported, OUT written with the first feed's permissions. Exits 0 unless a feed cannot be read"
            " or no record has the --key field (exit 2, OUT untouched)."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--key", default="url", help="field naming an article (default: url; or article_id)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) < 2:
            raise UsageError("give the output file and at least one feed")
        out, feeds = Path(args[0]), [Path(a) for a in args[1:]]
        missing = [str(f) for f in feeds if not f.is_file()]
        if missing:
            raise UsageError(f"no such feed: {', '.join(missing)}")
        try:
            written, reports = merge_feeds(feeds, out, key=opts.key)
        except MergeError as error:
            raise UsageError(f"{error}; give it with --key (url or article_id)") from None
        except OSError as error:
            raise UsageError(f"cannot write {out}: {error.strerror or error}") from None
        for report in reports:
            bad = f", {len(report.bad_lines)} bad line(s) skipped: {report.bad_lines}" if report.bad_lines else ""
            utf8 = (f", {len(report.invalid_utf8)} line(s) with invalid UTF-8 kept with U+FFFD: {report.invalid_utf8}"
                    if report.invalid_utf8 else "")
            unkeyed = f", {report.unkeyed} without {opts.key} kept as they are" if report.unkeyed else ""
            print(f"{report.path}: {report.records} records{bad}{utf8}{unkeyed}")
        print(f"{out}: {written} records, one per {opts.key}")
