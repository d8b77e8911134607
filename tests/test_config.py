"""Settings read one way and checked up front (:mod:`newsbot.config`): unit tests of the
getters, then a table of bad values end to end through ``scrapy crawl`` (each must stop
the crawl before any request, with one ERROR line naming the setting, no traceback)."""

from __future__ import annotations

import os

import pytest
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from newsbot.config import (
    SettingError,
    bool_setting,
    check_names,
    encodings_setting,
    float_setting,
    int_setting,
    name_setting,
    output_path_setting,
    redis_url,
    unwritable,
    validate_settings,
)
from tests.cases_snapshot import crawl_all, crawl_cases


# --- the getters ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "value"), [(None, True), ("", True), ("False", False), ("false", False), ("0", False),
                                            (0, False), ("1", True), (True, True), ("true", True)])
def test_booleans_accept_what_scrapy_accepts(raw, value):
    settings = Settings({"NEWSBOT_DEDUPE_ENABLED": raw} if raw is not None else {})
    assert bool_setting(settings, "NEWSBOT_DEDUPE_ENABLED") is value


@pytest.mark.parametrize("raw", ["maybe", "yes", "2", "TRUE ", "off"])
def test_a_bad_boolean_names_the_setting_and_an_example(raw):
    with pytest.raises(SettingError) as error:
        bool_setting(Settings({"NEWSBOT_INCREMENTAL_ENABLED": raw}), "NEWSBOT_INCREMENTAL_ENABLED")
    assert str(error.value) == (
        f"NEWSBOT_INCREMENTAL_ENABLED={raw!r} must be True or False, e.g. -s NEWSBOT_INCREMENTAL_ENABLED=False"
    )


def test_numbers_within_their_bounds():
    settings = Settings({"NEWSBOT_NEAR_DUPLICATE_THRESHOLD": "1", "NEWSBOT_BOILERPLATE_WARMUP": "0",
                         "NEWSBOT_BOILERPLATE_MIN_REPEATS": 3.0, "NEWSBOT_BOILERPLATE_FORGET_DAYS": "0.5"})
    assert float_setting(settings, "NEWSBOT_NEAR_DUPLICATE_THRESHOLD") == 1.0
    assert int_setting(settings, "NEWSBOT_BOILERPLATE_WARMUP") == 0
    assert int_setting(settings, "NEWSBOT_BOILERPLATE_MIN_REPEATS") == 3
    assert float_setting(settings, "NEWSBOT_BOILERPLATE_FORGET_DAYS") == 0.5
    assert int_setting(Settings(), "NEWSBOT_BOILERPLATE_WARMUP") == 50  # default when unset


def test_getters_fall_back_to_the_defaults_of_newsbot_settings(monkeypatch):
    import newsbot.settings

    assert bool_setting(Settings(), "NEWSBOT_DEDUPE_ENABLED") is True
    assert encodings_setting(Settings()) == ["windows-1256", "windows-1252"]
    monkeypatch.setattr(newsbot.settings, "NEWSBOT_RENDER_WAIT", 7)  # the table is read, not a copy of it
    assert float_setting(Settings(), "NEWSBOT_RENDER_WAIT") == 7
    with pytest.raises(SettingError, match=r"e\.g\. -s NEWSBOT_RENDER_WAIT=7$"):
        float_setting(Settings({"NEWSBOT_RENDER_WAIT": "-1"}), "NEWSBOT_RENDER_WAIT")


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("NEWSBOT_NEAR_DUPLICATE_THRESHOLD", "2", "must be a number above 0 and at most 1 (estimated Jaccard similarity)"),
        ("NEWSBOT_NEAR_DUPLICATE_THRESHOLD", "0", "must be a number above 0 and at most 1 (estimated Jaccard similarity)"),
        ("NEWSBOT_NEAR_DUPLICATE_THRESHOLD", "abc", "must be a number above 0 and at most 1 (estimated Jaccard similarity)"),
        ("NEWSBOT_NEAR_DUPLICATE_THRESHOLD", "nan", "must be a number above 0 and at most 1 (estimated Jaccard similarity)"),
        ("NEWSBOT_BOILERPLATE_WARMUP", "-1", "must be a whole number of 0 or more (items)"),
        ("NEWSBOT_BOILERPLATE_WARMUP", "2.5", "must be a whole number of 0 or more (items)"),
        ("NEWSBOT_BOILERPLATE_MIN_REPEATS", "1", "must be a whole number of 2 or more (articles)"),
        ("NEWSBOT_BOILERPLATE_FORGET_DAYS", "abc", "must be a number above 0 (days)"),
        ("NEWSBOT_BOILERPLATE_FORGET_DAYS", "inf", "must be a number above 0 (days)"),
        ("NEWSBOT_CLUSTER_WORKER_TIMEOUT", "2", "must be a number of 6 or more (seconds, three heartbeats at least)"),
        ("NEWSBOT_CLUSTER_PREFETCH", "0", "must be a whole number of 1 or more (requests)"),
        ("NEWSBOT_RENDER_WAIT", "-1", "must be a number of 0 or more"),
        ("NEWSBOT_REVISIT_DAYS", "-1", "must be a whole number of 0 or more and at most 3660 (days; 0: no re-visits)"),
        ("NEWSBOT_REVISIT_DAYS", "1.5", "must be a whole number of 0 or more and at most 3660 (days; 0: no re-visits)"),
    ],
)
def test_a_bad_number_names_the_setting_the_value_and_an_example(name, raw, message):
    getter = int_setting if name in ("NEWSBOT_BOILERPLATE_WARMUP", "NEWSBOT_BOILERPLATE_MIN_REPEATS",
                                     "NEWSBOT_CLUSTER_PREFETCH", "NEWSBOT_REVISIT_DAYS") else float_setting
    with pytest.raises(SettingError) as error:
        getter(Settings({name: raw}), name)
    assert str(error.value).startswith(f"{name}={raw!r} {message}, e.g. -s {name}=")


def test_encodings_are_looked_up():
    assert encodings_setting(Settings({"NEWSBOT_FALLBACK_ENCODINGS": ["windows-1256", "cp1252"]})) == ["windows-1256", "cp1252"]
    with pytest.raises(SettingError, match=r"'nosuch-enc' is not an encoding Python knows.*e\.g\. -s NEWSBOT_FALLBACK_ENCODINGS="):
        encodings_setting(Settings({"NEWSBOT_FALLBACK_ENCODINGS": "windows-1256,nosuch-enc"}))


@pytest.mark.parametrize(
    "url",
    ["redis://127.0.0.1:6379/0", "redis://127.0.0.1/3", "redis://127.0.0.1:6379", "redis://127.0.0.1:6379/",
     "rediss://user:pw@redis.example:6380/2", "unix:///run/redis/redis.sock?db=1", "redis://[::1]:6379/0"],
)
def test_good_redis_urls(url):
    assert redis_url(url, "NEWSBOT_STATE") == url


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("redis://127.0.0.1:6379/notanumber", "the database must be a number"),
        ("redis://127.0.0.1:6379/abc", "the database must be a number"),
        ("redis://127.0.0.1:6379/0/1", "the database must be a number"),
        ("redis://127.0.0.1:6379/0?db=x", "the database (?db=) must be a number"),
        ("redis://127.0.0.1:http/0", "the port must be a number from 1 to 65535"),
        ("redis://127.0.0.1:0/0", "the port must be a number from 1 to 65535"),
        ("redis://:6379/0", "the host is missing"),
        ("unix://", "give the socket's path"),
        ("127.0.0.1:6379", "is not a Redis URL"),
    ],
)
@pytest.mark.parametrize("name", ["NEWSBOT_STATE", "NEWSBOT_CLUSTER"])
def test_bad_redis_urls_name_the_setting_and_a_good_example(url, problem, name):
    with pytest.raises(SettingError) as error:
        redis_url(url, name)
    message = str(error.value)
    assert message.startswith(f"{name}={url!r}") and problem in message
    assert message.endswith(f"e.g. -s {name}=redis://127.0.0.1:6379/0")


def test_a_password_is_never_shown():
    with pytest.raises(SettingError) as error:
        redis_url("redis://:s3cret@127.0.0.1:6379/x", "NEWSBOT_STATE")
    assert "s3cret" not in str(error.value) and "redis://:***@127.0.0.1:6379/x" in str(error.value)


def test_names():
    assert name_setting(Settings({"NEWSBOT_STATE_NAMESPACE": "news-bot.prod"}), "NEWSBOT_STATE_NAMESPACE") == "news-bot.prod"
    assert name_setting(Settings(), "NEWSBOT_RUN_ID") is None
    with pytest.raises(SettingError, match=r"NEWSBOT_STATE_NAMESPACE='a b': use .* only, e\.g\. -s NEWSBOT_STATE_NAMESPACE=newsbot"):
        name_setting(Settings({"NEWSBOT_STATE_NAMESPACE": "a b"}), "NEWSBOT_STATE_NAMESPACE")


def test_unknown_newsbot_settings_are_refused_with_the_closest_name():
    check_names(Settings({"NEWSBOT_DEDUPE_ENABLED": "False", "DOWNLOAD_DELAY": 1}))  # known, or not ours
    with pytest.raises(SettingError, match="NEWSBOT_STAT_FILE='x' is not a newsbot setting: did you mean NEWSBOT_STATS_FILE"):
        check_names(Settings({"NEWSBOT_STAT_FILE": "x"}))


# --- output paths ----------------------------------------------------------------------------------
def test_output_paths_are_created_and_probed(tmp_path):
    target = tmp_path / "a" / "b" / "stats.json"
    assert unwritable(target) is None and target.parent.is_dir() and list(target.parent.iterdir()) == []
    assert unwritable(tmp_path) == f"{tmp_path} is a directory"
    (tmp_path / "file").write_text("x")
    assert "cannot create directory" in unwritable(tmp_path / "file" / "sub" / "x.json")
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert "cannot write in" in unwritable(locked / "x.json")


def test_rejects_feed_template(tmp_path):
    settings = Settings({"NEWSBOT_REJECTS_FEED": str(tmp_path / "rejects" / "%(name)s-%(time)s.jsonl")})
    assert output_path_setting(settings, "NEWSBOT_REJECTS_FEED", "r.jsonl", ("name", "time"))
    assert (tmp_path / "rejects").is_dir()  # the directory before the placeholder: created
    with pytest.raises(SettingError, match=r"bad placeholder \(KeyError\('nme'\)\); use %\(name\)s and %\(time\)s only"):
        output_path_setting(Settings({"NEWSBOT_REJECTS_FEED": "%(nme)s.jsonl"}), "NEWSBOT_REJECTS_FEED", "r.jsonl", ("name", "time"))


def test_the_default_feed_needs_a_writable_data_dir(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(SettingError, match="NEWSBOT_DATA_DIR=.* is a file, not a directory"):
        validate_settings(Settings({"NEWSBOT_DATA_DIR": str(tmp_path / "file")}))
    with pytest.raises(SettingError, match=r"NEWSBOT_DATA_DIR='/proc/nope' cannot hold the default feed .* or a feed file with -O FILE"):
        validate_settings(Settings({"NEWSBOT_DATA_DIR": "/proc/nope"}))
    validate_settings(Settings({"NEWSBOT_DATA_DIR": "/proc/nope", "FEEDS": {str(tmp_path / "f.jsonl"): {"format": "jsonlines"}}}))
    with pytest.raises(SettingError, match=r"FEEDS: the feed 'file:///proc/nope/%\(name\)s.jsonl' cannot be written"):
        validate_settings(Settings({"FEEDS": {"file:///proc/nope/%(name)s.jsonl": {"format": "jsonlines"}}}))
    validate_settings(Settings({"FEEDS": {"stdout:": {"format": "jsonlines"}, "s3://bucket/x.jsonl": {}}}))


def test_the_project_defaults_are_valid(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "newsbot.settings")
    validate_settings(get_project_settings())


# --- end to end: one line, nothing fetched ---------------------------------------------------------
BAD = {  # setting -> (value, what the one ERROR line must say besides NAME=value)
    "NEWSBOT_BOILERPLATE_ENABLED": ("maybe", "must be True or False, e.g. -s NEWSBOT_BOILERPLATE_ENABLED=False"),
    "NEWSBOT_DEDUPE_ENABLED": ("maybe", "must be True or False, e.g. -s NEWSBOT_DEDUPE_ENABLED=False"),
    "NEWSBOT_INCREMENTAL_ENABLED": ("maybe", "must be True or False, e.g. -s NEWSBOT_INCREMENTAL_ENABLED=False"),
    "NEWSBOT_RENDER_ENABLED": ("maybe", "must be True or False, e.g. -s NEWSBOT_RENDER_ENABLED=False"),
    "NEWSBOT_NEAR_DUPLICATE_THRESHOLD": ("2", "e.g. -s NEWSBOT_NEAR_DUPLICATE_THRESHOLD=0.8"),
    "NEWSBOT_NEAR_DUPLICATE_THRESHOLD#abc": ("abc", "e.g. -s NEWSBOT_NEAR_DUPLICATE_THRESHOLD=0.8"),
    "NEWSBOT_BOILERPLATE_WARMUP": ("-1", "e.g. -s NEWSBOT_BOILERPLATE_WARMUP=50"),
    "NEWSBOT_BOILERPLATE_FORGET_DAYS": ("abc", "e.g. -s NEWSBOT_BOILERPLATE_FORGET_DAYS=30"),
    "NEWSBOT_BOILERPLATE_MIN_REPEATS": ("1", "e.g. -s NEWSBOT_BOILERPLATE_MIN_REPEATS=5"),
    "NEWSBOT_RENDER_TIMEOUT": ("0", "e.g. -s NEWSBOT_RENDER_TIMEOUT=20"),
    "NEWSBOT_RENDER_MAX_PAGES": ("two", "e.g. -s NEWSBOT_RENDER_MAX_PAGES=2"),
    "NEWSBOT_CLUSTER_PREFETCH": ("0", "e.g. -s NEWSBOT_CLUSTER_PREFETCH=3"),
    "NEWSBOT_REVISIT_DAYS": ("week", "e.g. -s NEWSBOT_REVISIT_DAYS=0"),
    "NEWSBOT_FALLBACK_ENCODINGS": ("nosuch-enc", "e.g. -s NEWSBOT_FALLBACK_ENCODINGS=windows-1256,windows-1252"),
    "NEWSBOT_STATS_FILE": ("/proc/nope/s.json", "cannot be written"),
    "NEWSBOT_REJECTS_FEED": ("/proc/nope/r.jsonl", "cannot be written"),
    "NEWSBOT_REJECTS_FEED#placeholder": ("rejects/%(nme)s.jsonl", "use %(name)s and %(time)s only"),
    "NEWSBOT_STATE": ("redis://127.0.0.1:6379/notanumber", "e.g. -s NEWSBOT_STATE=redis://127.0.0.1:6379/0"),
    "NEWSBOT_STATE#port": ("redis://127.0.0.1:99999/0", "the port must be a number from 1 to 65535"),
    "NEWSBOT_CLUSTER": ("redis://127.0.0.1:6379/abc", "e.g. -s NEWSBOT_CLUSTER=redis://127.0.0.1:6379/0"),
    "NEWSBOT_CLUSTER#down": ("redis://127.0.0.1:1/0", "cannot use this Redis (ConnectionError"),
    "NEWSBOT_RUN_ID": ("run 1", "e.g. -s NEWSBOT_RUN_ID="),
    "NEWSBOT_MIRROR": ("127.0.0.1:8000", "is not a mirror address: give scheme, host and port only"),
    "NEWSBOT_MIRROR_HTTPS_HANDLER": ("nosuch.Handler", "cannot be imported (No module named 'nosuch'); give a class path"),
    "DOWNLOAD_HANDLERS": ('{"https": "nosuch.Handler"}',
                          "DOWNLOAD_HANDLERS: the https handler 'nosuch.Handler' cannot be imported"),
    "NEWSBOT_DEDUP_ENABLED": ("False", "did you mean NEWSBOT_DEDUPE_ENABLED?"),
    "NEWSBOT_DOWNLOAD_HANDLER": ("nosuch.Handler", "is not a newsbot setting"),  # removed: DOWNLOAD_HANDLERS does it
    # a password in a value is masked in the line (and nowhere else in the log)
    "NEWSBOT_CLUSTR": ("redis://:s3cret@10.0.0.5:6379/0",
                       "did you mean NEWSBOT_CLUSTER? e.g. -s NEWSBOT_CLUSTER=redis://:***@10.0.0.5:6379/0"),
    "NEWSBOT_STATE#password": ("redis://newsbot:s3cret@127.0.0.1:6379/x", "the database must be a number"),
    # Scrapy's own settings, judged by the type of Scrapy's default (before Scrapy sets up logging)
    "DOWNLOAD_MAXSIZE": ("lots", "must be a number (Scrapy's default is 1073741824), e.g. -s DOWNLOAD_MAXSIZE=1073741824"),
    "COOKIES_ENABLED": ("maybe", "must be True or False (Scrapy's default is True), e.g. -s COOKIES_ENABLED=True"),
    "LOG_LEVEL": ("LOUD", "is not a log level: write DEBUG, INFO, WARNING, ERROR or CRITICAL, e.g. -s LOG_LEVEL=INFO"),
}
SECRET = "s3cret"
NAMED_IN_THE_MESSAGE = {"DOWNLOAD_HANDLERS"}  # the message names the entry, not NAME=value


@pytest.fixture(scope="module")
def bad_runs(tmp_path_factory):
    jobs = {}
    for key, (value, _) in BAD.items():
        name = key.split("#")[0]
        jobs[key] = ("maghress", tmp_path_factory.mktemp("bad"), {"settings": {name: value}, "timeout": 60})
    return crawl_all(jobs, workers=3)


@pytest.mark.parametrize("key", sorted(BAD))
def test_a_bad_setting_stops_the_crawl_before_any_request_with_one_line(bad_runs, key):
    result, hits = bad_runs[key]
    name, (value, message) = key.split("#")[0], BAD[key]
    assert result.returncode == 1, result.log[-3000:]
    assert hits == {}  # not even robots.txt
    assert result.items == [] and not result.feed.exists()
    errors = [line for line in result.log.splitlines() if "ERROR" in line or "CRITICAL" in line]
    assert len(errors) == 1, result.log[-3000:]
    if name not in NAMED_IN_THE_MESSAGE:
        shown = value.replace(SECRET, "***")
        assert f"{name}={shown!r}" in errors[0] or f"{name}={shown}" in errors[0], errors[0]
    assert message in errors[0], errors[0]
    assert SECRET not in result.log
    assert "nothing crawled" in errors[0]
    assert "Traceback" not in result.log


def test_an_unwritable_feed_stops_the_crawl_before_any_request(tmp_path):
    result, hits = crawl_cases("maghress", tmp_path, feed_name="/proc/nope/f.jsonl", timeout=60)
    assert result.returncode == 1 and hits == {}
    errors = [line for line in result.log.splitlines() if "ERROR" in line or "CRITICAL" in line]
    assert len(errors) == 1, result.log[-3000:]
    assert "FEEDS: the feed '/proc/nope/f.jsonl' cannot be written (cannot create directory /proc/nope" in errors[0]
    assert "e.g. -O feed.jsonl" in errors[0] and "Traceback" not in result.log
