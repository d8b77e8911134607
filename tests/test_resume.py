"""``JOBDIR`` resume after hard kills (issue 9, shared cases NB-17 and NB-19): the same
``scrapy crawl maghress -s JOBDIR=job -o feed.jsonl`` command, SIGKILLed 5 times at seeded
random moments (early, during discovery, then at growing feed sizes) and run to its end,
leaves a feed with every article of a 1,000-article generated replica once, every line
valid JSON. The driver is ``bench/resume.py`` (which prints the same figures by hand, on 2,000
articles by default: the kill moments scale with the size, half of it makes the same five cuts
in half the crawl)."""

from __future__ import annotations

from bench.replica_gen import ReplicaSite
from bench.replica_server import ServerProcess
from bench.resume import resume_outcome

ARTICLES = 1000


def test_killed_five_times_and_resumed_the_feed_holds_every_article_once(tmp_path, capsys):
    site = ReplicaSite(articles=ARTICLES)
    lines: list[str] = []
    with ServerProcess(articles=ARTICLES) as server:
        outcome = resume_outcome(server.url, tmp_path, site, kills=5, log=lines.append)
    with capsys.disabled():
        print("\n[JOBDIR resume] " + "\n[JOBDIR resume] ".join(lines))
        print(f"[JOBDIR resume] {outcome.figures()}")
    killed = [run for run in outcome.runs if run.ended.startswith("killed")]
    assert len(killed) == 5, outcome.runs  # every kill landed before the crawl could end
    assert killed[0].feed_lines == 0  # the first one during discovery: the moment that lost whole crawls
    assert sum(run.cut_tail for run in killed) >= 2  # the feed was left with a cut line, and repaired
    final = (tmp_path / "final.log").read_text(encoding="utf-8")
    assert outcome.exit_code == 0, final[-3000:]
    assert "dupefilter/filtered': 4" not in final and "Resuming crawl" not in final
    assert outcome.invalid_lines == 0
    assert outcome.duplicated == 0
    assert outcome.lost == []
    assert outcome.unknown == []
    # one record per article of the site, near-duplicate groups aside (978 groups of 1,000)
    assert outcome.expected <= outcome.articles <= ARTICLES and outcome.records == outcome.articles
