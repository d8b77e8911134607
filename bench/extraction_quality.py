"""Quality of the outlet-page extractor on real pages, next to plain trafilatura, in one run.

Data: ``../shared/benchmarks/article-extraction/`` (181 real article pages with hand-checked
bodies, from scrapinghub's article-extraction-benchmark; its README gives the metric). Both
sides get each page as the decoded string with its URL:

* newsbot: ``newsbot.outlets.extract_text(html, url)``;
* trafilatura: ``trafilatura.extract(html, url=url, include_comments=False)`` (the benchmark
  scores the article body: reader comments are not part of it). This is the 0.960 of the
  shared README.

Metric, as that README describes it (implemented here, no code of the benchmark's):
``\\w+`` tokens (Unicode), overlapping 4-token shingles counted with multiplicity; per page
TP/FP/FN over shingles, divided by their sum (each page weighs the same); precision averaged
over pages with output, recall over pages with ground truth, F1 their harmonic mean; ± the
standard deviation over 1000 bootstrap resamples of the pages (seeded).

Time: each page is extracted by one side then the other, ``--rounds`` times; a page's time is
its median over the rounds, the figure the median over pages, in milliseconds of CPU time of
this process (``time.process_time``: on a shared machine the wall clock also counts the waits
for a core, which other jobs make vary; compare the ratio, measured in the same run).

Confidence: the share of pages with F1 < 0.8 whose confidence is below 0.5 (flagged), and the
share of all pages flagged.

Robustness: the pages are also scored in two halves (by the first hex digit of their id, even
or odd) so a gain that holds on one half only shows.

Prints a table, writes it into its section of BENCHMARKS.md (``--no-write`` leaves the file
alone) and ends with one line:
``newsbot_f1=<f1> trafilatura_f1=<f1> newsbot_ms=<median> trafilatura_ms=<median>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from newsbot.outlets import extract  # noqa: E402

DATA = Path(os.environ.get("NEWSBOT_SHARED", ROOT.parent / "shared")) / "benchmarks" / "article-extraction"
BEGIN, END = "<!-- bench/extraction_quality.py -->", "<!-- /bench/extraction_quality.py -->"
FLAG_BELOW = 0.5
"""Confidence below this flags a page."""
BAD_F1 = 0.8
"""A page extracted with F1 below this is a bad page, one the confidence should flag."""

_TOKEN = re.compile(r"\w+")
Counts = tuple[float, float, float]


# --- the metric -------------------------------------------------------------------------------------
def shingle_counts(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """The ``n``-token shingles of ``text`` with their multiplicity (one shorter shingle for a
    text of fewer than ``n`` tokens, none for an empty one).

    >>> shingle_counts("a b c d e a b c d")[("a", "b", "c", "d")]
    2
    """
    tokens = _TOKEN.findall(text or "")
    if len(tokens) <= n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_counts(truth: str, predicted: str) -> Counts:
    """(TP, FP, FN) of one page over shingles, divided by their sum (all 0 when both are empty).

    >>> page_counts("one two three four five", "one two three four")
    (0.5, 0.0, 0.5)
    """
    true, pred = shingle_counts(truth), shingle_counts(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_recall(counts: Counts) -> tuple[float, float]:
    """A page's precision and recall (1.0 each for an exact match)."""
    tp, fp, fn = counts
    if fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def page_f1(counts: Counts) -> float:
    """A page's F1 (0 when nothing matches)."""
    precision, recall = precision_recall(counts)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def aggregate(pages: Sequence[Counts]) -> tuple[float, float, float]:
    """(F1, precision, recall): precision averaged over pages with output (TP + FP > 0), recall
    over pages with ground truth (TP + FN > 0), F1 their harmonic mean."""
    precisions = [precision_recall(c)[0] for c in pages if c[0] + c[1] > 0]
    recalls = [precision_recall(c)[1] for c in pages if c[0] + c[2] > 0]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


def bootstrap_sd(pages: Sequence[Counts], resamples: int = 1000, seed: int = 0) -> tuple[float, float, float]:
    """Standard deviations of (F1, precision, recall) over ``resamples`` bootstrap resamples."""
    rng = random.Random(seed)
    values = [aggregate([pages[rng.randrange(len(pages))] for _ in pages]) for _ in range(resamples)]
    return tuple(statistics.stdev(v[k] for v in values) for k in range(3))  # type: ignore[return-value]


# --- the data ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    """One benchmark page: its id, original URL, HTML (decoded) and the true body."""

    id: str
    url: str
    html: str
    truth: str


def load_pages(data: Path = DATA, ids: Iterable[str] | None = None) -> list[Page]:
    """The benchmark's pages (all, or those of ``ids``), in id order. FileNotFoundError when
    ``data`` is absent."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    wanted = sorted(truth) if ids is None else list(ids)
    return [
        Page(key, truth[key]["url"], gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8"),
             truth[key].get("articleBody", ""))
        for key in wanted
    ]


def newsbot_side(page: Page) -> tuple[str, float | None, str]:
    """newsbot's text of the page ("" where it refuses it), its confidence and the extractor
    chosen (None and "refused" then)."""
    result = extract(page.html, page.url)
    return (result.text, result.confidence, result.extractor.split()[0]) if result else ("", None, "refused")


def trafilatura_side(page: Page) -> tuple[str, float | None, str]:
    """Plain trafilatura's text of the page (no confidence)."""
    return trafilatura.extract(page.html, url=page.url, include_comments=False) or "", None, "trafilatura"


@dataclass
class Side:
    """One extractor's results: per page counts, median time in ms, confidences."""

    name: str
    counts: list[Counts]
    ms: list[float]
    confidence: list[float | None]
    extractor: list[str]

    def f1s(self) -> list[float]:
        return [page_f1(c) for c in self.counts]


def run(pages: Sequence[Page], rounds: int = 1) -> tuple[Side, Side]:
    """Both sides on every page, alternately, ``rounds`` times (a page's time: its median)."""
    sides = {"newsbot": newsbot_side, "trafilatura": trafilatura_side}
    results = {name: Side(name, [], [], [], []) for name in sides}
    for page in pages:
        times: dict[str, list[float]] = {name: [] for name in sides}
        outputs: dict[str, tuple[str, float | None, str]] = {}
        for _ in range(rounds):
            for name, side in sides.items():
                start = time.process_time()
                outputs[name] = side(page)
                times[name].append((time.process_time() - start) * 1000)
        for name, side_result in results.items():
            text, conf, extractor = outputs[name]
            side_result.counts.append(page_counts(page.truth, text))
            side_result.ms.append(statistics.median(times[name]))
            side_result.confidence.append(conf)
            side_result.extractor.append(extractor)
    return results["newsbot"], results["trafilatura"]


def flagged(side: Side) -> tuple[float, float, int]:
    """(share of bad pages flagged, share of all pages flagged, number of bad pages). A page
    refused (no text, so no confidence) counts as flagged."""
    flags = [c is None or c < FLAG_BELOW for c in side.confidence]
    bad = [f1 < BAD_F1 for f1 in side.f1s()]
    bad_count = sum(bad)
    caught = sum(1 for f, b in zip(flags, bad) if f and b)
    return (caught / bad_count if bad_count else 1.0), sum(flags) / len(flags), bad_count


# --- the report -------------------------------------------------------------------------------------
def report(pages: Sequence[Page], newsbot: Side, plain: Side, resamples: int) -> tuple[list[str], str]:
    """The table (markdown lines) and the last line."""
    lines = ["| extractor | F1 | precision | recall | median CPU ms/page | pages F1 < 0.8 |",
             "|---|---:|---:|---:|---:|---:|"]
    for side, label in ((newsbot, "newsbot.outlets.extract_text"), (plain, "trafilatura.extract (include_comments=False)")):
        f1, precision, recall = aggregate(side.counts)
        sd = bootstrap_sd(side.counts, resamples)
        bad = sum(1 for f in side.f1s() if f < BAD_F1)
        lines.append(f"| {label} | {f1:.4f} ± {sd[0]:.4f} | {precision:.4f} ± {sd[1]:.4f} | {recall:.4f} ± {sd[2]:.4f} "
                     f"| {statistics.median(side.ms):.1f} | {bad} |")
    caught, share, bad = flagged(newsbot)
    ratio = statistics.median(newsbot.ms) / statistics.median(plain.ms)
    halves = []
    for parity, name in ((0, "even"), (1, "odd")):
        keep = [k for k, page in enumerate(pages) if int(page.id[0], 16) % 2 == parity]
        n_f1 = aggregate([newsbot.counts[k] for k in keep])[0]
        t_f1 = aggregate([plain.counts[k] for k in keep])[0]
        halves.append(f"{name} half ({len(keep)} pages): newsbot {n_f1:.4f}, trafilatura {t_f1:.4f}")
    chosen = ", ".join(f"{name} {count}" for name, count in Counter(newsbot.extractor).most_common())
    lines += [
        "",
        f"- text kept by newsbot, pages per extractor: {chosen}",
        f"- pages: {len(pages)}; cost: newsbot's median time is {ratio:.2f}x trafilatura's (target ≤ 1.5x)",
        f"- confidence < {FLAG_BELOW}: flags {caught:.0%} of the {bad} pages newsbot extracts with F1 < {BAD_F1},"
        f" and {share:.0%} of all pages",
        f"- by halves of the ids (first hex digit even / odd): {'; '.join(halves)}",
    ]
    last = (f"newsbot_f1={aggregate(newsbot.counts)[0]:.4f} trafilatura_f1={aggregate(plain.counts)[0]:.4f} "
            f"newsbot_ms={statistics.median(newsbot.ms):.2f} trafilatura_ms={statistics.median(plain.ms):.2f}")
    return lines, last


def write_section(path: Path, lines: list[str], command: str) -> None:
    """Replace this script's marked section of ``path`` (or append it), keeping the rest."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    text = "\n".join([
        BEGIN,
        "## Outlet-page extraction quality (`bench/extraction_quality.py`)",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Run {when}, load average {load:.1f} at the end; trafilatura {trafilatura.__version__}. F1, precision and"
        " recall as the benchmark's README defines them (± bootstrap standard deviation).",
        "",
        *lines,
        END,
    ])
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the benchmark folder (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="timed extractions of each page per side (default: 3)")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default: 1000)")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        parser.error(f"{args.data} holds no ground-truth.json: put ../shared beside the checkout or pass --data")
    pages = load_pages(args.data)
    newsbot, plain = run(pages, rounds=args.rounds)
    lines, last = report(pages, newsbot, plain, args.resamples)
    for line in lines:
        out(line)
    if not args.no_write:
        write_section(ROOT / "BENCHMARKS.md", lines, "python bench/extraction_quality.py" +
                      (f" --rounds {args.rounds}" if args.rounds != 3 else ""))
    out(last)
    return 0


if __name__ == "__main__":
    sys.exit(main())
