"""Re-visits for corrections (issue 9, section 3), through real crawls on one state: run 1
writes every article; the replica's text of one article changes; a run with
``-a revisit_days=7`` fetches again the articles first seen in the last 7 days and writes
exactly the changed one, as revision 2; a run without re-visits writes nothing; an article
first seen before the window is not fetched; a record made before hashes were kept is taken
as the first version. First-seen times are set in the state file by the test (no clock, no
sleeping)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from newsbot.demo.replica import ReplicaServer
from newsbot.pipelines.revision import content_hash
from tests.crawling import run_crawl, write_snapshot

HOST = "www.maghress.com"
ARTICLE = ('<html><head><meta charset="utf-8"></head><body><span class="articletitle">{t}</span>'
           '<span class="articlenewspaper">Publié dans <a href="/fr/varia">Varia</a> le 06 - 10 - 2021</span>'
           '<span class="articlecontent">{b}</span></body></html>')
TITLES = {1: "Le marché couvert rouvre ses portes", 2: "Une nouvelle ligne de bus vers le port",
          3: "La bibliothèque ouvre le dimanche", 4: "Un festival de musique en juillet"}
BODIES = {1: "Les commerçants ont retrouvé leurs étals après six mois de travaux.",
          2: "La ligne 12 reliera la gare au port toutes les vingt minutes.",
          3: "Dès le mois prochain, la bibliothèque ouvrira de neuf heures à midi.",
          4: "Le festival accueillera une vingtaine de groupes sur trois scènes."}
HOME = "".join(f'<div class="teaser"><a class="teasertitle" href="/fr/varia/{n}">{t}</a></div>' for n, t in TITLES.items())
ARGS = {"editions": "fr"}
SETTINGS = {"NEWSBOT_BOILERPLATE_WARMUP": 0}


def url(number: int) -> str:
    return f"https://{HOST}/fr/varia/{number}"


def article_id(number: int) -> str:
    return f"maghress:fr:varia:{number}"


class Site:
    """A replica whose article texts the test rewrites between runs (the server reads the
    files at each request)."""

    def __init__(self, root: Path) -> None:
        pages = {(HOST, "/fr/"): (200, {}, f'<html><body>{HOME}<a href="/fr/varia">Varia</a></body></html>'),
                 (HOST, "/fr/varia"): (200, {}, f"<html><body>{HOME}</body></html>")}
        pages.update({(HOST, f"/fr/varia/{n}"): (200, {}, self.page(n, BODIES[n])) for n in TITLES})
        self.root = write_snapshot(root, pages)
        self.files = {n: root / f"files/{i + 2:03d}.html" for i, n in enumerate(TITLES)}
        self.server = ReplicaServer(root).start()

    @staticmethod
    def page(number: int, body: str) -> str:
        return ARTICLE.format(t=TITLES[number], b=body)

    def correct(self, number: int, body: str) -> None:
        self.files[number].write_text(self.page(number, body), encoding="utf-8")

    def article_hits(self) -> dict[int, int]:
        hits = self.server.hits()
        return {n: hits.get(f"{HOST} /fr/varia/{n}", 0) for n in TITLES if hits.get(f"{HOST} /fr/varia/{n}")}

    def listing_hits(self) -> int:
        hits = self.server.hits()
        return hits.get(f"{HOST} /fr/", 0) + hits.get(f"{HOST} /fr/varia", 0)


@pytest.fixture
def site(tmp_path):
    replica = Site(tmp_path / "snapshot")
    yield replica
    replica.server.stop()


def crawl(site: Site, workdir: Path, name: str, settings: dict | None = None, **args: str):
    site.server.reset()
    result = run_crawl("maghress", workdir, mirror=site.server.url, args={**ARGS, **args},
                       settings={**SETTINGS, **(settings or {})}, feed_name=f"{name}.jsonl")
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats["finish_reason"] == "finished"
    return result


def state(workdir: Path) -> sqlite3.Connection:
    return sqlite3.connect(workdir / ".newsbot" / "mirror-state.db", isolation_level=None)


def test_revisits_write_only_changed_texts_as_new_revisions(site, tmp_path):
    work = tmp_path / "crawl"
    first = crawl(site, work, "1")
    assert sorted(i["url"] for i in first.items) == [url(n) for n in TITLES]
    assert {i["revision"] for i in first.items} == {1}
    with state(work) as db:  # the store keeps each article's revision and the hash of its text
        rows = dict(db.execute("SELECT article_id, content FROM articles WHERE revision = 1").fetchall())
    assert rows == {article_id(n): content_hash(TITLES[n], BODIES[n]) for n in TITLES}

    # article 2 is corrected; article 1 is corrected too, but was first seen 10 days ago
    site.correct(2, BODIES[2] + "<br>Correction : la ligne 12 part de la gare routière.")
    site.correct(1, "Les commerçants ont retrouvé leurs étals après huit mois de travaux.")
    with state(work) as db:
        db.execute("UPDATE articles SET first_seen = ? WHERE article_id = ?", (time.time() - 10 * 86400, article_id(1)))
    second = crawl(site, work, "2", revisit_days="7")
    [item] = second.items
    assert (item["url"], item["revision"]) == (url(2), 2)
    assert item["body"].endswith("Correction : la ligne 12 part de la gare routière.")
    assert site.article_hits() == {2: 1, 3: 1, 4: 1}  # article 1 is out of the window: not fetched
    assert site.listing_hits() == 2  # the home page and the outlet listing, fetched as in every run
    assert second.stat("newsbot/revisit/requested") == 3 and second.stat("newsbot/incremental/skipped") == 1
    assert second.stat("newsbot/revisit/changed") == 1 and second.stat("newsbot/revisit/unchanged") == 2
    assert second.stat("newsbot/dropped/duplicate_url") == 0  # the new revision is no duplicate of the first

    third = crawl(site, work, "3", revisit_days="0")  # as NEWSBOT_REVISIT_DAYS's default: no re-visits
    assert third.items == [] and site.article_hits() == {} and site.listing_hits() == 2
    assert third.stat("newsbot/incremental/skipped") == 4 and third.stat("newsbot/revisit/requested") == 0

    # article 3 is corrected; article 4's record is made as before hashes were kept, and its text changes
    site.correct(3, "Dès la semaine prochaine, la bibliothèque ouvrira de neuf heures à midi.")
    site.correct(4, "Le festival accueillera une trentaine de groupes sur trois scènes.")
    with state(work) as db:
        db.execute("UPDATE articles SET revision = NULL, content = NULL WHERE article_id = ?", (article_id(4),))
    fourth = crawl(site, work, "4", revisit_days="7")
    assert [(i["url"], i["revision"]) for i in fourth.items] == [(url(3), 2)]
    # article 2's revision 2 was recorded: unchanged now; article 4 had no hash: taken as revision 1
    assert fourth.stat("newsbot/revisit/unchanged") == 2 and fourth.stat("newsbot/revisit/baseline") == 1

    site.correct(4, "Le festival accueillera une quarantaine de groupes sur trois scènes.")
    fifth = crawl(site, work, "5", revisit_days="7")
    assert [(i["url"], i["revision"]) for i in fifth.items] == [(url(4), 2)]
    assert fifth.stat("newsbot/revisit/unchanged") == 2
    with state(work) as db:
        versions = dict(db.execute("SELECT article_id, revision FROM articles").fetchall())
    assert versions == {article_id(1): 1, article_id(2): 2, article_id(3): 2, article_id(4): 2}


def test_a_fresh_run_writes_every_article_with_its_revision(site, tmp_path):
    work = tmp_path / "crawl"
    crawl(site, work, "1")
    site.correct(2, "La ligne 12 reliera la gare au port toutes les quinze minutes.")
    fresh = crawl(site, work, "2", fresh="1")
    assert sorted((i["url"], i["revision"]) for i in fresh.items) == [(url(1), 1), (url(2), 2), (url(3), 1), (url(4), 1)]
    rejects = tmp_path / "rejects.jsonl"
    again = crawl(site, work, "3", {"NEWSBOT_REJECTS_FEED": str(rejects)}, revisit_days="7")
    assert again.items == [] and again.stat("newsbot/revisit/unchanged") == 4
    # an unchanged re-visit is no rejection: counted, not listed, no WARNING line
    assert again.stat("newsbot/dropped/unchanged") == 4 and rejects.read_text(encoding="utf-8") == ""
    assert not [line for line in again.log.splitlines() if " WARNING: " in line or " ERROR: " in line]


@pytest.mark.redis
def test_revisits_with_the_state_in_redis(site, redis_server, tmp_path):
    import secrets

    import redis

    url_ = redis_server.url(14)  # the tests' own Redis; database 14 as test_state.py
    namespace = f"newsbot-test-{secrets.token_hex(4)}"
    settings = {**SETTINGS, "NEWSBOT_STATE": url_, "NEWSBOT_STATE_NAMESPACE": namespace}
    client = redis.Redis.from_url(url_)
    work = tmp_path / "crawl"

    def run(name: str, extra: dict | None = None, **args: str):
        site.server.reset()
        result = run_crawl("maghress", work, mirror=site.server.url, args={**ARGS, **args},
                           settings={**settings, **(extra or {})}, feed_name=f"{name}.jsonl")
        assert result.returncode == 0 and result.stat("newsbot/state/errors") == 0, result.log[-3000:]
        return result

    try:
        first = run("1")
        assert len(first.items) == 4
        site.correct(2, "La ligne 12 reliera la gare au port toutes les quinze minutes.")
        site.correct(1, "Les commerçants ont retrouvé leurs étals après huit mois de travaux.")
        versions = f"{namespace}-mirror:versions"  # a mirrored crawl's namespace (newsbot.demo.mirror)
        _, revision, content = client.hget(versions, article_id(1)).decode().split(" ")
        assert (revision, content) == ("1", content_hash(TITLES[1], BODIES[1]))
        client.hset(versions, article_id(1), f"{time.time() - 10 * 86400} {revision} {content}")
        second = run("2", revisit_days="7")
        assert [(i["url"], i["revision"]) for i in second.items] == [(url(2), 2)]
        assert site.article_hits() == {2: 1, 3: 1, 4: 1}
        third = run("3", {"NEWSBOT_REVISIT_DAYS": 7})  # the setting, for every run
        assert third.items == [] and third.stat("newsbot/revisit/unchanged") == 3
    finally:
        keys = list(client.scan_iter(f"{namespace}*"))  # and the mirror's own namespace
        if keys:
            client.delete(*keys)
