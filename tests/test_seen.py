"""The seen-articles extension on its own (crawls are in test_incremental.py): records wait in
the state store, not in memory, and become seen articles only when the run's feeds are stored
(shared cases NB-17, NB-19)."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from newsbot.extensions import seen
from newsbot.extensions.seen import SeenArticlesExtension
from newsbot.items import ArticleItem
from newsbot.pipelines.drops import PipelineDrop
from newsbot.spiders.sites import MaghressSpider

SPIDER = MaghressSpider()


def extension(state_file, **settings) -> SeenArticlesExtension:
    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": f"sqlite:///{state_file}", **settings})
    return SeenArticlesExtension.from_crawler(crawler)


def item(number: int) -> ArticleItem:
    return ArticleItem(article_id=f"maghress:fr:le360:{number}", url=f"https://www.maghress.com/fr/le360/{number}")


def statuses(ext: SeenArticlesExtension, numbers) -> dict[str, str]:
    return ext.state.store.article_statuses([f"maghress:fr:le360:{n}" for n in numbers])


def pending_count(ext: SeenArticlesExtension) -> int:
    return ext.state.store._store._db.execute("SELECT COUNT(*) FROM pending").fetchone()[0]


def test_records_are_kept_in_the_store_not_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(seen, "PENDING_BUFFER", 10)
    ext = extension(tmp_path / "state.db")
    for n in range(25):
        ext.item_scraped(item(n), None, SPIDER)
    assert len(ext._buffer) == 5  # 20 written to the store's pending records
    assert pending_count(ext) == 20
    assert statuses(ext, range(25)) == {}  # not seen before the commit
    ext.commit()
    assert len(statuses(ext, range(25))) == 25
    assert ext.crawler.stats.get_value("newsbot/state/recorded/item") == 25
    assert pending_count(ext) == 0


def test_an_item_is_never_downgraded_to_dropped(tmp_path, monkeypatch):
    monkeypatch.setattr(seen, "PENDING_BUFFER", 2)  # the item and its drop in different writes
    ext = extension(tmp_path / "state.db")
    ext.item_scraped(item(1), None, SPIDER)
    ext.item_dropped(item(2), None, PipelineDrop("near_duplicate"), SPIDER)
    ext.item_dropped(item(1), None, PipelineDrop("duplicate_url"), SPIDER)  # second arrival (NB-14)
    ext.item_dropped(item(2), None, PipelineDrop("duplicate_of"), SPIDER)
    ext.commit()
    assert statuses(ext, [1, 2]) == {"maghress:fr:le360:1": "item", "maghress:fr:le360:2": "dropped:duplicate_of"}
    assert ext.crawler.stats.get_value("newsbot/state/recorded/dropped") == 1


def test_nothing_is_recorded_when_a_feed_failed(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(seen, "PENDING_BUFFER", 2)
    ext = extension(tmp_path / "state.db")
    for n in range(3):
        ext.item_scraped(item(n), None, SPIDER)
    ext.crawler.stats.set_value("feedexport/failed_count/FileFeedStorage", 1)
    ext.commit()
    assert statuses(ext, range(3)) == {}
    assert "3 articles are not recorded as seen" in caplog.text
    assert pending_count(ext) == 0


def test_a_killed_run_records_nothing_even_under_the_same_run_id(tmp_path, monkeypatch):
    monkeypatch.setattr(seen, "PENDING_BUFFER", 1)
    killed = extension(tmp_path / "state.db", NEWSBOT_RUN_ID="daily")
    killed.item_scraped(item(1), None, SPIDER)  # written to the store's pending records, never committed
    killed.state.store.close()
    after = extension(tmp_path / "state.db", NEWSBOT_RUN_ID="daily")
    after.item_scraped(item(2), None, SPIDER)
    after.commit()
    assert statuses(after, [1, 2]) == {"maghress:fr:le360:2": "item"}
