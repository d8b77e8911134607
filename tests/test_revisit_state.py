"""Seen-article versions in the state store (the re-visit policy, issue 9): first-seen time,
revision and content hash, kept alike by both backends, and stores made before migrated."""

from __future__ import annotations

import secrets
import sqlite3
import time

import pytest

from newsbot.state import open_state
from newsbot.state.base import SeenArticle

H1, H2 = "1" * 32, "2" * 32


# both backends, as the store tests: the same fixture
from tests.test_state import redis_url, store  # noqa: E402, F401


def test_versions_are_recorded_kept_and_replaced(store):
    before = time.time()
    store.record_articles([("a:1", "item", 1, H1), ("a:2", "dropped:near_duplicate"), ("a:3", "item")])
    found = store.article_versions(["a:1", "a:2", "a:3", "a:4"])
    assert set(found) == {"a:1", "a:2", "a:3"}
    assert (found["a:1"].status, found["a:1"].revision, found["a:1"].content_hash) == ("item", 1, H1)
    assert found["a:2"] == SeenArticle("dropped:near_duplicate", found["a:2"].first_seen)
    assert (found["a:3"].revision, found["a:3"].content_hash) == (None, None)
    first = found["a:1"].first_seen
    assert before - 1 <= first <= time.time() + 1
    # a later drop keeps the item and its version; a new revision replaces it; first_seen stays
    store.record_articles([("a:1", "dropped:duplicate_url")])
    assert store.article_versions(["a:1"])["a:1"] == SeenArticle("item", first, 1, H1)
    store.record_articles([("a:1", "item", 2, H2), ("a:1", "item")])
    assert store.article_versions(["a:1"])["a:1"] == SeenArticle("item", first, 2, H2)
    assert store.article_statuses(["a:1", "a:2"]) == {"a:1": "item", "a:2": "dropped:near_duplicate"}


def test_pending_records_carry_their_version_to_the_commit(store):
    store.record_articles([("a:1", "item", 1, H1)])
    store.add_pending("run/a", [("a:1", "item", 2, H2), ("a:2", "item", 1, H1), ("a:3", "dropped:empty_body")])
    store.add_pending("run/a", [("a:2", "dropped:duplicate_url")])  # the item and its version stay
    assert store.article_versions(["a:1"])["a:1"].revision == 1  # not before the commit
    assert store.commit_pending("run/a") == (2, 1)
    found = store.article_versions(["a:1", "a:2", "a:3"])
    assert (found["a:1"].revision, found["a:1"].content_hash) == (2, H2)
    assert (found["a:2"].status, found["a:2"].revision, found["a:2"].content_hash) == ("item", 1, H1)
    assert found["a:3"].status == "dropped:empty_body" and found["a:3"].revision is None
    store.add_pending("run/b", [("a:4", "item", 1, H1)])
    assert store.discard_pending("run/b") == 1
    store.add_pending("run/c", [("a:4", "item")])
    store.commit_pending("run/c")
    assert store.article_versions(["a:4"])["a:4"].content_hash is None  # the discarded version is gone


OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (article_id TEXT PRIMARY KEY, status TEXT NOT NULL, updated REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE pending (
    key TEXT NOT NULL, article_id TEXT NOT NULL, status TEXT NOT NULL, updated REAL NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
INSERT INTO meta VALUES ('namespace', 'test'), ('schema', '1');
INSERT INTO articles VALUES ('a:1', 'item', 1700000000.0), ('a:2', 'dropped:duplicate_of', 1700000100.0);
INSERT INTO pending VALUES ('old/a', 'a:3', 'item', 1700000200.0);
"""


def test_a_store_made_before_versions_is_migrated_when_opened(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.close()
    store = open_state(f"sqlite:///{path}", "test")
    try:
        found = store.article_versions(["a:1", "a:2"])
        # the time of the record stands for the first-seen time; no revision or hash is known
        assert found == {"a:1": SeenArticle("item", 1700000000.0), "a:2": SeenArticle("dropped:duplicate_of", 1700000100.0)}
        store.record_articles([("a:1", "item", 1, H1)])
        assert store.article_versions(["a:1"])["a:1"] == SeenArticle("item", 1700000000.0, 1, H1)
        assert store.commit_pending("old/a") == (1, 0)  # a pending record of the old layout
        assert store.article_versions(["a:3"])["a:3"].status == "item"
    finally:
        store.close()
    again = open_state(f"sqlite:///{path}", "test")  # opened twice: migrated once
    assert again.article_versions(["a:1"])["a:1"].revision == 1
    again.close()


@pytest.mark.redis
def test_a_redis_record_made_before_versions_has_no_first_seen_time(redis_server):
    import redis

    url = redis_server.url(14)
    namespace = f"newsbot-test-{secrets.token_hex(4)}"
    client = redis.Redis.from_url(url)
    client.hset(f"{namespace}:articles", "a:1", "item")  # written by newsbot before issue 9
    store = open_state(url, namespace)
    try:
        assert store.article_versions(["a:1"]) == {"a:1": SeenArticle("item")}
        store.record_articles([("a:1", "dropped:duplicate_url")])
        assert store.article_versions(["a:1"]) == {"a:1": SeenArticle("item")}  # still unknown: never re-visited
        store.record_articles([("a:1", "item", 1, H1)])
        assert store.article_versions(["a:1"]) == {"a:1": SeenArticle("item", None, 1, H1)}
    finally:
        store.close()
        keys = list(client.scan_iter(f"{namespace}:*"))
        if keys:
            client.delete(*keys)


# --- the revision pipeline reads the record the incremental middleware looked up ---------------
def test_the_revision_pipeline_takes_the_record_looked_up_with_the_request(tmp_path):
    """The incremental middleware looks the article up when its request is made and hands the
    record to the item (``stored_record``): the revision pipeline asks the store nothing more,
    and falls back to its own look-up for an item of another article (a redirect)."""
    from scrapy.utils.test import get_crawler

    from newsbot.items import ArticleItem
    from newsbot.pipelines.revision import RevisionPipeline, content_hash
    from newsbot.spiders.sites import MaghressSpider
    from newsbot.state import ITEM, SeenArticle, crawl_state

    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": f"sqlite:///{tmp_path / 'state.db'}"})
    pipeline = RevisionPipeline.from_crawler(crawler)
    store = crawl_state(crawler).store
    asked = []
    versions = store.article_versions
    store.article_versions = lambda ids: asked.append(list(ids)) or versions(ids)
    text = content_hash("Titre", "Corps.")
    item = ArticleItem(article_id="maghress:fr:le360:1", title="Titre", body="Corps.",
                       stored_record=("maghress:fr:le360:1", SeenArticle(ITEM, 1.0, 2, text)))
    assert pipeline.process_item(item).revision == 2 and asked == []  # the same text: revision 2 kept
    changed = ArticleItem(article_id="maghress:fr:le360:1", title="Titre", body="Corps corrigé.",
                          stored_record=("maghress:fr:le360:1", SeenArticle(ITEM, 1.0, 2, text)))
    assert pipeline.process_item(changed).revision == 3 and asked == []
    other = ArticleItem(article_id="maghress:fr:le360:2", title="Titre", body="Corps.",
                        stored_record=("maghress:fr:le360:1", None))
    assert pipeline.process_item(other).revision == 1 and asked == [["maghress:fr:le360:2"]]
