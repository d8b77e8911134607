"""The state store: where it lives, both backends behaving alike, and bad state never
stopping a crawl. Redis tests use database 14 of the tests' own Redis (the ``redis_server``
fixture) and a namespace of their own (``redis`` marker)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import secrets
import sqlite3

import pytest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsbot.spiders.sites import MaghressSpider
from newsbot.state import StateError, crawl_state, open_state, state_uri
from newsbot.state.base import PENDING_TTL
from newsbot.state.guard import GuardedState
from newsbot.state.sqlite import SqliteState

REDIS_DB = 14


@pytest.fixture
def redis_url(redis_server) -> str:
    """Database 14 of the tests' own Redis (skips when there is none)."""
    return redis_server.url(REDIS_DB)


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def store(request, tmp_path):
    if request.param == "sqlite":
        opened = open_state(f"sqlite:///{tmp_path}/state.db", "test")
        yield opened
        opened.close()
        return
    import redis

    url = request.getfixturevalue("redis_url")  # only here: the SQLite runs need no Redis
    namespace = f"newsbot-test-{secrets.token_hex(4)}"
    opened = open_state(url, namespace)
    yield opened
    opened.close()
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{namespace}:*"))
    if keys:
        client.delete(*keys)


# --- where the state lives -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("settings", "uri"),
    [
        ({}, "sqlite:///$XDG_DATA_HOME/newsbot/.newsbot/state.db"),  # the user's data directory (tests: a tmp one)
        ({"NEWSBOT_DATA_DIR": "."}, "sqlite:///.newsbot/state.db"),
        ({"NEWSBOT_DATA_DIR": "/srv/newsbot"}, "sqlite:////srv/newsbot/.newsbot/state.db"),
        ({"NEWSBOT_DATA_DIR": "jobs"}, "sqlite:///jobs/.newsbot/state.db"),
        ({"NEWSBOT_CLUSTER": "redis://10.0.0.5:6379/3"}, "redis://10.0.0.5:6379/3"),
        ({"NEWSBOT_STATE": "sqlite:///x.db", "NEWSBOT_CLUSTER": "redis://10.0.0.5:6379/3"}, "sqlite:///x.db"),
        ({"NEWSBOT_STATE": "redis://r:6379/1", "NEWSBOT_DATA_DIR": "/srv"}, "redis://r:6379/1"),
    ],
)
def test_state_uri_resolution(settings, uri):
    assert state_uri(Settings(settings)) == os.path.expandvars(uri)


@pytest.mark.parametrize("value", ["postgres://db/state", "/var/lib/state.db", "sqlite://state.db"])
def test_a_bad_state_uri_fails_fast_with_the_fix(value):
    with pytest.raises(ValueError, match=r"NEWSBOT_STATE=.*(sqlite:///|redis://)"):
        state_uri(Settings({"NEWSBOT_STATE": value}))


# --- both backends ---------------------------------------------------------------------------------------
def test_article_statuses_and_item_is_never_downgraded(store):
    store.record_articles([("maghress:fr:le360:1", "item"), ("maghress:fr:le360:2", "dropped:near_duplicate")])
    store.record_articles([("maghress:fr:le360:1", "dropped:duplicate_url"), ("maghress:fr:le360:2", "item")])
    assert store.article_statuses(["maghress:fr:le360:1", "maghress:fr:le360:2", "maghress:fr:le360:3"]) == {
        "maghress:fr:le360:1": "item",
        "maghress:fr:le360:2": "item",
    }


def test_documents_fingerprints_and_bands(store):
    store.add_document("https://a/1", "run1", "maghress", b"F" * 16, b"\x01" * 512, [11, -12, 13])
    store.add_document("https://a/2", "run1", "masress", b"G" * 16, b"\x02" * 512, [13, 14])
    assert [(d.url, d.run) for d in store.find_fingerprint(b"F" * 16)] == [("https://a/1", "run1")]
    assert store.find_fingerprint(b"H" * 16) == []
    found = store.find_bands([-12, 14])
    assert [(d.url, d.signature[:1]) for d in found] == [("https://a/1", b"\x01"), ("https://a/2", b"\x02")]
    # the same URL kept again by a later run replaces its document and its bands
    store.add_document("https://a/1", "run2", "maghress", b"F" * 16, b"\x03" * 512, [15])
    assert store.find_bands([11, -12]) == []
    assert [(d.url, d.run) for d in store.find_bands([15])] == [("https://a/1", "run2")]
    assert store.document_count() == 2


def test_indexing_since_a_mark_is_refused_when_a_possible_copy_came_in_between(store):
    """The optimistic check-and-index of processes sharing a store (newsbot.pipelines.dedupe)."""
    assert store.index_mark() == 0
    assert store.add_document("https://a/1", "run", "maghress", b"F" * 16, b"\x01" * 512, [11, 12]) is True
    mark = store.index_mark()
    assert mark >= 1
    # another process indexes a document in bucket 12 after the mark: refused, nothing written
    assert store.add_document("https://a/2", "run", "maghress", b"G" * 16, b"\x02" * 512, [20, 21]) is True
    assert store.add_document("https://a/3", "run", "maghress", b"H" * 16, b"\x03" * 512, [21, 30], since=mark) is False
    assert store.document_run("https://a/3") is None and store.document_count() == 2
    # ... or the same fingerprint
    assert store.add_document("https://a/3", "run", "maghress", b"G" * 16, b"\x03" * 512, [40], since=mark) is False
    # other buckets, another fingerprint: indexed; a mark taken after the newcomers: indexed
    assert store.add_document("https://a/3", "run", "maghress", b"H" * 16, b"\x03" * 512, [11, 40], since=mark) is True
    assert store.add_document("https://a/4", "run", "maghress", b"I" * 16, b"\x04" * 512, [21],
                              since=store.index_mark()) is True
    assert [d.url for d in store.find_bands([21])] == ["https://a/2", "https://a/4"]
    assert store.document_count() == 4


def test_look_up_reads_an_items_url_copies_and_near_copies_at_once(store):
    empty = store.look_up("https://a/1", b"F" * 16, [11, 12], "fr/x/1")
    assert (empty.url_run, empty.status, empty.mark, empty.same, empty.near) == (None, None, 0, [], [])
    store.record_articles([("fr/x/1", "item")])
    assert store.look_up("https://a/1", b"F" * 16, [], "fr/x/1").status == "item"
    store.add_document("https://a/1", "run1", "maghress", b"F" * 16, b"\x01" * 512, [11, 12], b"\x05\x00\x00\x00")
    store.add_document("https://a/2", "run2", "masress", b"G" * 16, b"\x02" * 512, [12, 13])
    found = store.look_up("https://a/1", b"G" * 16, [12, 40])
    assert found.url_run == "run1" and found.mark == store.index_mark()
    assert [(d.url, d.run) for d in found.same] == [("https://a/2", "run2")]
    assert [(d.url, d.signature[:1], d.shingles) for d in found.near] == [
        ("https://a/1", b"\x01", b"\x05\x00\x00\x00"), ("https://a/2", b"\x02", b"")]
    assert store.look_up("https://a/9", b"H" * 16, []).near == []


def test_look_up_indexes_an_item_it_finds_nothing_against(store):
    """StateStore.look_up(index=...): an item with nothing it could duplicate is indexed in the
    same step (in Redis the same round trip), as add_document would; anything found leaves it
    to the caller."""
    from newsbot.state.base import NewDocument

    new = NewDocument("run1", "maghress", b"\x01" * 512, b"\x05\x00\x00\x00")
    first = store.look_up("https://a/1", b"F" * 16, [11, 12], "fr/x/1", index=new)
    assert first.indexed and (first.url_run, first.same, first.near, first.mark) == (None, [], [], 0)
    assert store.document_run("https://a/1") == "run1" and store.index_mark() == 1
    again = store.look_up("https://a/1", b"F" * 16, [11, 12], "fr/x/1", index=new)  # its own URL: found
    assert not again.indexed and again.url_run == "run1" and store.index_mark() == 1
    assert [(d.url, d.shingles) for d in again.near] == [("https://a/1", b"\x05\x00\x00\x00")]
    near = store.look_up("https://a/2", b"G" * 16, [12, 40], index=new)  # shares a band: judged by the caller
    assert not near.indexed and [d.url for d in near.near] == ["https://a/1"] and store.index_mark() == 1
    store.record_articles([("fr/x/3", "item")])
    done = store.look_up("https://a/3", b"H" * 16, [50], "fr/x/3", index=new)  # its article yielded an item
    assert not done.indexed and done.status == "item"
    revisit = NewDocument("run1", "maghress", b"\x01" * 512, item_ok=True)  # a re-visit or a fresh run
    assert store.look_up("https://a/3", b"H" * 16, [50], "fr/x/3", index=revisit).indexed
    assert [d.url for d in store.find_bands([50])] == ["https://a/3"] and store.index_mark() == 2


def test_document_run_tells_which_run_kept_a_url(store):
    assert store.document_run("https://a/1") is None
    store.add_document("https://a/1", "run1", "maghress", b"F" * 16, b"\x01" * 512, [11])
    assert store.document_run("https://a/1") == "run1"
    store.add_document("https://a/1", "run2", "maghress", b"F" * 16, b"\x01" * 512, [11])
    assert store.document_run("https://a/1") == "run2"
    assert store.document_run("https://a/2") is None


def test_pending_records_are_seen_only_once_committed(store):
    store.add_pending("run1/a", [("a:1", "item"), ("a:2", "dropped:near_duplicate"), ("a:3", "dropped:empty_body")])
    store.add_pending("run1/a", [("a:1", "dropped:duplicate_url"), ("a:2", "item"), ("a:3", "dropped:duplicate_of")])
    store.add_pending("run1/b", [("b:1", "item")])  # another process of the same run id
    assert store.article_statuses(["a:1", "a:2", "a:3", "b:1"]) == {}
    assert store.commit_pending("run1/a") == (2, 1)
    # item never downgraded; a later drop reason replaces an earlier one, as in one dict
    assert store.article_statuses(["a:1", "a:2", "a:3", "b:1"]) == {"a:1": "item", "a:2": "item", "a:3": "dropped:duplicate_of"}
    assert store.commit_pending("run1/a") == (0, 0)  # forgotten once committed
    assert store.discard_pending("run1/b") == 1
    assert store.commit_pending("run1/b") == (0, 0)
    assert store.article_statuses(["b:1"]) == {}


def test_pending_records_never_downgrade_a_recorded_item(store):
    store.record_articles([("a:1", "item")])
    store.add_pending("run2/a", [("a:1", "dropped:duplicate_url"), ("a:2", "dropped:duplicate_url")])
    assert store.commit_pending("run2/a") == (0, 2)
    assert store.article_statuses(["a:1", "a:2"]) == {"a:1": "item", "a:2": "dropped:duplicate_url"}


def test_pending_records_of_a_silent_process_are_forgotten(tmp_path):
    store = open_state(f"sqlite:///{tmp_path}/state.db", "test")
    store.add_pending("killed/a", [("a:1", "item")])
    store.add_pending("alive/b", [("b:1", "item")])
    store._db.execute("UPDATE pending SET updated = updated - ? WHERE key = 'killed/a'", (PENDING_TTL + 60,))
    assert store.commit_pending("alive/b") == (1, 0)
    assert store._db.execute("SELECT COUNT(*) FROM pending").fetchone() == (0,)
    assert store.article_statuses(["a:1", "b:1"]) == {"b:1": "item"}
    store.close()


@pytest.mark.redis
def test_redis_pending_records_expire(redis_url):
    import redis

    url = redis_url
    store = open_state(url, f"newsbot-test-{secrets.token_hex(4)}")
    try:
        store.add_pending("run1/a", [("a:1", "item")])
        ttl = redis.Redis.from_url(url).ttl(f"{store.namespace}:pending:run1/a")
        assert PENDING_TTL - 60 < ttl <= PENDING_TTL
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(f"{store.namespace}:*"))
        if keys:
            client.delete(*keys)
        store.close()


def test_boilerplate_counts_distinct_titles_per_site(store):
    assert store.count_titles("maghress", [b"p1", b"p2"], b"t1") == ({b"p1": 1, b"p2": 1}, 0)
    assert store.count_titles("maghress", [b"p1"], b"t1") == ({b"p1": 1}, 0)
    assert store.count_titles("maghress", [b"p1"], b"t2") == ({b"p1": 2}, 0)
    assert store.count_titles("masress", [b"p1"], b"t3") == ({b"p1": 1}, 0)
    store.learn_paragraph("maghress", b"p1", "Suivez-nous.")
    assert store.count_titles("maghress", [b"p2"], b"t2") == ({b"p2": 2}, 1)  # and the learned count
    assert store.count_titles("maghress", [], b"t2") == ({}, 1)
    assert store.learned_paragraphs("maghress") == {b"p1": "Suivez-nous."}
    assert store.learned_paragraphs("masress") == {}
    assert store.learned_count("maghress") == 1 and store.learned_count("masress") == 0
    assert store.add_site_items("maghress", 0) == 0
    assert store.add_site_items("maghress", 3) == 3
    assert store.add_site_items("maghress", 1) == 4


def test_meta(store):
    assert store.get_meta("lsh") is None
    store.set_meta("lsh", "14x9")
    assert store.get_meta("lsh") == "14x9"


@pytest.mark.redis
def test_redis_namespaces_keep_projects_apart(redis_url):
    url = redis_url
    one, two = (open_state(url, f"newsbot-test-{secrets.token_hex(4)}") for _ in range(2))
    try:
        one.record_articles([("maghress:fr:le360:1", "item")])
        assert two.article_statuses(["maghress:fr:le360:1"]) == {}
    finally:
        import redis

        client = redis.Redis.from_url(url)
        for store in (one, two):
            keys = list(client.scan_iter(f"{store.namespace}:*"))
            if keys:
                client.delete(*keys)
            store.close()


# --- the SQLite file ------------------------------------------------------------------------------------------
def test_sqlite_file_is_created_in_wal_mode(tmp_path):
    store = open_state(f"sqlite:///{tmp_path}/deep/dir/state.db", "test")
    store.close()
    db = sqlite3.connect(tmp_path / "deep" / "dir" / "state.db")
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def _writer(path: str, worker: int) -> None:
    store = SqliteState(f"sqlite:///{path}", "test")
    for n in range(200):
        store.record_articles([(f"maghress:fr:w{worker}:{n}", "item")])
        store.add_document(f"https://w{worker}/{n}", f"run{worker}", "maghress", os.urandom(16), b"", [n])
    store.close()


def test_several_processes_share_one_file(tmp_path):
    path = str(tmp_path / "state.db")
    SqliteState(f"sqlite:///{path}", "test").close()
    workers = [multiprocessing.get_context("spawn").Process(target=_writer, args=(path, w)) for w in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    store = SqliteState(f"sqlite:///{path}", "test")
    assert store.document_count() == 600
    assert len(store.article_statuses([f"maghress:fr:w{w}:{n}" for w in range(3) for n in range(200)])) == 600
    store.close()


def test_another_namespace_in_the_file_is_refused(tmp_path):
    open_state(f"sqlite:///{tmp_path}/state.db", "newsbot").close()
    with pytest.raises(StateError, match="belongs to namespace 'newsbot', not 'other'"):
        open_state(f"sqlite:///{tmp_path}/state.db", "other")


# --- bad state never stops a crawl -------------------------------------------------------------------------
def test_corrupt_file_gives_one_error_line_and_a_memory_store(tmp_path, caplog):
    path = tmp_path / "state.db"
    path.write_bytes(b"this is not an SQLite database, it was overwritten by mistake" * 100)
    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": f"sqlite:///{path}"})
    with caplog.at_level(logging.ERROR, logger="newsbot.state.guard"):
        state = crawl_state(crawler)
        state.store.record_articles([("maghress:fr:le360:1", "item")])
        assert state.store.article_statuses(["maghress:fr:le360:1"]) == {"maghress:fr:le360:1": "item"}
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert str(path) in errors[0].getMessage() and "goes on without state" in errors[0].getMessage()
    assert state.store.failed and not state.store.persistent
    assert crawler.stats.get_value("newsbot/state/errors") == 1


def test_an_error_during_the_run_falls_back_once(tmp_path, caplog):
    store = GuardedState(open_state(f"sqlite:///{tmp_path}/state.db", "test"))
    store.record_articles([("a:1", "item")])
    store._store._db.close()  # the file goes away under the crawl (disk unmounted, ...)
    with caplog.at_level(logging.ERROR, logger="newsbot.state.guard"):
        store.record_articles([("a:2", "item")])
        store.record_articles([("a:3", "item")])
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 1
    assert store.article_statuses(["a:1", "a:2", "a:3"]) == {"a:2": "item", "a:3": "item"}


@pytest.mark.redis
def test_unreachable_redis_gives_one_error_line(caplog):
    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": "redis://127.0.0.1:1/0"})
    with caplog.at_level(logging.ERROR, logger="newsbot.state.guard"):
        state = crawl_state(crawler)
    assert state.store.failed
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith("State store redis://127.0.0.1:1/0 failed (ConnectionError: ")


# --- through real crawls ----------------------------------------------------------------------------------
def test_corrupt_state_file_never_loses_the_feed(tmp_path):
    from tests.crawling import SNAPSHOTS, crawl_snapshot

    state = tmp_path / ".newsbot" / "mirror-state.db"  # the default place under NEWSBOT_DATA_DIR for a mirrored crawl
    state.parent.mkdir()
    state.write_bytes(b"\x00garbage, not a database" * 4096)
    # one article of the snapshot is boilerplate only: below the coverage monitor's default
    result = crawl_snapshot("maghress", SNAPSHOTS / "pipelines", tmp_path, settings={"NEWSBOT_MONITOR_MIN_COVERAGE": 0.9})
    assert result.returncode == 0 and result.stats["finish_reason"] == "finished"
    assert len(result.items) == 12  # every story, deduplicated and cleaned within the run
    errors = [line for line in result.log.splitlines() if " ERROR: " in line]
    assert len(errors) == 1 and str(state) in errors[0] and "the feed is not affected" in errors[0]
    assert result.stat("newsbot/state/errors") == 1


def test_a_bad_state_setting_stops_the_crawl_before_it_starts(tmp_path):
    from tests.crawling import run_crawl

    result = run_crawl("maghress", tmp_path, mirror="demo", settings={"NEWSBOT_STATE": "/var/lib/newsbot.db"})
    assert result.returncode != 0 and result.items == []
    assert "NEWSBOT_STATE='/var/lib/newsbot.db' is not a state store: write sqlite:///" in result.log
