"""The parts of a crash-safe ``JOBDIR`` resume on their own (the kills are in test_resume.py):
newsbot's scheduler and dupefilter reuse nothing an earlier process left in ``JOBDIR``; an
appended feed's cut last line is removed on open; its last lines not recorded are recorded
before the first request; done articles are committed while the crawl runs, after the feed
is synced (shared cases NB-17, NB-19)."""

from __future__ import annotations

import json
import shutil

from scrapy import Request
from scrapy.utils.test import get_crawler

from newsbot.addon import NewsbotAddon
from newsbot.extensions import seen
from newsbot.extensions.seen import SeenArticlesExtension
from newsbot.feeds import lines_backwards, read_feed, repair_feed
from newsbot.feedstorage import CheckedFileFeedStorage
from newsbot.items import ArticleItem
from newsbot.jobdir import JobScheduler, RunDupeFilter
from newsbot.spiders.sites import MaghressSpider
from tests.crawling import shared

SPIDER = MaghressSpider()


def article_id(number: int) -> str:
    return f"maghress:fr:le360:{number}"


def record(number: int) -> dict[str, str]:
    return {"article_id": article_id(number), "url": f"https://www.maghress.com/fr/le360/{number}"}


def write_feed(path, numbers, cut: str = "") -> None:
    path.write_text("".join(json.dumps(record(n)) + "\n" for n in numbers) + cut, encoding="utf-8")


# --- scheduler and dupefilter --------------------------------------------------------------
def test_the_addon_sets_the_scheduler_and_dupefilter_and_the_cluster_replaces_them():
    from scrapy.settings import Settings

    from newsbot.settings import __dict__ as project

    settings = Settings()
    settings.setmodule(project, priority="project")
    NewsbotAddon().update_settings(settings)
    assert (settings["SCHEDULER"], settings["DUPEFILTER_CLASS"]) == ("newsbot.jobdir.JobScheduler", "newsbot.jobdir.RunDupeFilter")
    settings = Settings()
    settings.setmodule(project, priority="project")
    settings.set("NEWSBOT_CLUSTER", "redis://127.0.0.1:1/13", priority="cmdline")
    NewsbotAddon().update_settings(settings)
    assert settings["SCHEDULER"] == "newsbot.cluster.scheduler.ClusterScheduler"


def test_a_killed_runs_seen_requests_never_filter_the_next_runs(tmp_path):
    """The bug of issue 9: requests.seen on disk, the queue lost; the next run's start pages
    must not be filtered."""
    (tmp_path / "requests.seen").write_bytes(b"\x00\x14" + b"x" * 20)
    crawler = get_crawler(MaghressSpider, {"JOBDIR": str(tmp_path)})
    dupefilter = RunDupeFilter.from_crawler(crawler)
    home = Request("https://www.maghress.com/fr/")
    assert dupefilter.request_seen(home) is False and dupefilter.request_seen(home) is True
    dupefilter.close("finished")
    assert (tmp_path / "requests.seen").read_bytes() == b"\x00\x14" + b"x" * 20  # neither read nor written


def test_the_queue_a_previous_run_left_is_not_resumed(tmp_path, caplog):
    caplog.set_level("INFO", logger="newsbot.jobdir")
    queue = tmp_path / "requests.queue"
    (queue / "www.maghress.com-0").mkdir(parents=True)
    (queue / "www.maghress.com-0" / "p0").write_bytes(b"half a pickle")
    (queue / "active.json").write_text("[0]")
    crawler = get_crawler(MaghressSpider, {"JOBDIR": str(tmp_path), "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue"})
    crawler.spider = SPIDER
    scheduler = JobScheduler.from_crawler(crawler)
    scheduler.open(SPIDER)
    assert len(scheduler) == 0 and not (queue / "active.json").exists()
    assert "is not reused; discovery starts again" in caplog.text
    scheduler.close("shutdown")


# --- the feed -------------------------------------------------------------------------------
def test_nb19_cut_last_line_is_removed_and_its_article_fetched_again(tmp_path):
    feed = tmp_path / "feed.jsonl"
    shutil.copy(shared("cases", "NB-19.jsonl"), feed)
    assert repair_feed(feed) > 0
    assert [r["url"] for r in read_feed(feed)] == ["https://www.example.ma/a/1", "https://www.example.ma/a/2"]
    assert feed.read_bytes().endswith(b"\n") and repair_feed(feed) == 0


def test_an_appended_feed_is_repaired_when_it_opens_not_an_overwritten_one(tmp_path, caplog):
    crawler = get_crawler(MaghressSpider)
    crawler.stats.open_spider()
    for overwrite in (False, True):
        feed = tmp_path / f"feed-{overwrite}.jsonl"
        write_feed(feed, [1, 2], cut='{"article_id": "maghress:fr:le360:3", "ti')
        storage = CheckedFileFeedStorage.from_crawler(crawler, str(feed), feed_options={"format": "jsonl", "overwrite": overwrite})
        file = storage.open(SPIDER)
        file.write(json.dumps(record(4)).encode() + b"\n")
        assert storage.sync()
        expected = [record(n) for n in ([1, 2, 4] if not overwrite else [4])]
        assert list(read_feed(feed)) == expected
        storage.store(file)
    assert crawler.stats.get_value("newsbot/feed/repaired") == 1
    assert "ended with a line cut by a stopped crawl" in caplog.text


def test_lines_backwards_reads_a_big_feed_from_its_end(tmp_path, monkeypatch):
    from newsbot import feeds

    monkeypatch.setattr(feeds, "BLOCK", 7)  # lines span blocks
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, range(50), cut='{"article_id": "cu')
    assert [json.loads(line)["article_id"] for line in lines_backwards(feed)] == [article_id(n) for n in reversed(range(50))]


# --- recording ------------------------------------------------------------------------------
class FakeSlot:
    def __init__(self, storage):
        self.storage, self.uri_template = storage, "feed"


def extension_with_feed(tmp_path, feed, **settings):
    """The extension of a crawl whose one feed is ``feed``, appended to (as with ``-o``)."""
    from scrapy.extensions.feedexport import FeedExporter

    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": f"sqlite:///{tmp_path / 'state.db'}", **settings})
    crawler.stats.open_spider()
    storage = CheckedFileFeedStorage.from_crawler(crawler, str(feed), feed_options={"format": "jsonlines"})
    exporter = FeedExporter.__new__(FeedExporter)
    exporter.slots, exporter.feeds = [FakeSlot(storage)], {"feed": {"batch_item_count": 0}}

    class Extensions:
        middlewares = [exporter]

    crawler.extensions = Extensions()
    return SeenArticlesExtension.from_crawler(crawler), storage


def statuses(ext, numbers):
    return ext.state.store.article_statuses([article_id(n) for n in numbers])


def test_the_lines_a_killed_run_did_not_record_are_recorded_before_the_first_request(tmp_path, monkeypatch):
    monkeypatch.setattr(seen, "CONFIRM_LINES", 5)
    feed = tmp_path / "feed.jsonl"
    write_feed(feed, range(40), cut='{"article_id": "maghress:fr:le360:40", "ti')
    ext, _ = extension_with_feed(tmp_path, feed)
    ext.state.store.record_articles([(article_id(n), "item") for n in range(30)])  # committed by the killed run
    ext.state.store.record_articles([(article_id(n), "dropped:near_duplicate") for n in (50,)])
    ext.spider_opened(SPIDER)
    assert statuses(ext, range(30, 41)) == {article_id(n): "item" for n in range(30, 40)}  # not the cut one
    assert ext.crawler.stats.get_value("newsbot/state/recorded/from_feed") == 10


def test_a_correction_a_killed_revisit_run_wrote_is_recorded_with_its_revision(tmp_path, monkeypatch):
    """A re-visit wrote revision 2 of an article recorded at revision 1, then was killed before
    its commit: the line is recorded with its revision and text hash, so the next re-visit
    does not write the same correction again."""
    from newsbot.pipelines.revision import content_hash

    monkeypatch.setattr(seen, "CONFIRM_LINES", 5)
    feed = tmp_path / "feed.jsonl"
    corrected = {**record(3), "title": "Titre", "body": "Texte corrigé.", "revision": 2}
    feed.write_text("".join(json.dumps({**record(n), "revision": 1}) + "\n" for n in range(10))
                    + json.dumps(corrected) + "\n", encoding="utf-8")
    ext, _ = extension_with_feed(tmp_path, feed)
    ext.state.store.record_articles([(article_id(n), "item", 1, "0" * 32) for n in range(10)])
    ext.spider_opened(SPIDER)
    version = ext.state.store.article_versions([article_id(3)])[article_id(3)]
    assert (version.revision, version.content_hash) == (2, content_hash("Titre", "Texte corrigé."))
    assert ext.crawler.stats.get_value("newsbot/state/recorded/from_feed") == 1
    assert ext.state.store.article_versions([article_id(4)])[article_id(4)].revision == 1


def test_done_articles_are_committed_while_the_crawl_runs_after_the_feed_is_synced(tmp_path):
    feed = tmp_path / "feed.jsonl"
    ext, storage = extension_with_feed(tmp_path, feed, NEWSBOT_STATE_COMMIT_INTERVAL=0.01)
    file = storage.open(SPIDER)
    for n in range(3):
        file.write(json.dumps(record(n)).encode() + b"\n")  # the feed exporter writes, then the extension notes
        ext._last_commit = float("-inf")  # an interval later
        ext.item_scraped(ArticleItem(**record(n)), None, SPIDER)
    # items 0 and 1 are committed (the third checkpoint ran before item 2 was noted), and are on disk
    assert statuses(ext, range(3)) == {article_id(0): "item", article_id(1): "item"}
    assert [r["article_id"] for r in read_feed(feed)] == [article_id(n) for n in range(3)]
    ext.feed_exporter_closed()
    assert len(statuses(ext, range(3))) == 3 and ext.crawler.stats.get_value("newsbot/state/recorded/item") == 3


def test_an_overwritten_feed_is_recorded_only_at_the_end(tmp_path):
    feed = tmp_path / "feed.jsonl"
    ext, storage = extension_with_feed(tmp_path, feed, NEWSBOT_STATE_COMMIT_INTERVAL=0.01)
    storage.write_mode = "wb"  # as -O
    for n in range(3):
        ext._last_commit = float("-inf")
        ext.item_scraped(ArticleItem(**record(n)), None, SPIDER)
    assert statuses(ext, range(3)) == {}
