"""Scrapy settings for newsbot. Every value can be overridden with ``-s NAME=VALUE``.

Settings of newsbot's own components start with ``NEWSBOT_``; the README lists them. This
module is the one table of their defaults: :mod:`newsbot.config` reads a setting missing
from a ``Settings`` object here, and no other module writes a ``NEWSBOT_*`` default.
"""

import os

import platformdirs

from newsbot.items import PUBLIC_FIELDS

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"
COMMANDS_MODULE = "newsbot.commands"
# The Scrapyd check first: it judges the paths a job was given, before the newsbot add-on
# derives others from them (the state file of a mirrored crawl).
ADDONS = {"newsbot.scrapyd_job.ScrapydJobAddon": 0, "newsbot.addon.NewsbotAddon": 10}

# --- a good citizen ------------------------------------------------------------------
USER_AGENT = "newsbot/1.0 (+https://github.com/newsbot-project/newsbot)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOADER = "newsbot.downloader.SlotDownloader"  # holds CONCURRENT_REQUESTS_PER_DOMAIN in a burst (Scrapy 2.19 does not)
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
# A page yields at most one item: Scrapy starts this many workers per response to process its
# output (100 by default), so a small number saves a hundred tasks a page and changes nothing.
CONCURRENT_ITEMS = 8
# An aggregator page is well under 1 MiB: a bigger one is a broken page or a decompression
# bomb (shared case NB-20); Scrapy drops it with a warning instead of parsing it for minutes.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# Cloudflare sits in front of these sites: its 52x answers are transient too.
RETRY_HTTP_CODES = [500, 502, 503, 504, 520, 521, 522, 523, 524, 408, 429]
RETRY_TIMES = 3
# A page lost after its retries gets one line from newsbot.middlewares.lost (URL, reason, retries)
# instead of Scrapy's ERROR "Gave up retrying" followed by a second line for the same page.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control (scrapy.extensions.remote_control.RemoteControl): an HTTP endpoint
# on localhost that runs any Python code sent to it inside the crawl, with a token file left in
# the user's profile after a kill. Off; for one run, to drive it with Scrapy's MCP server:
# -s REMOTE_CONTROL_ENABLED=True.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "newsbot.logformatter.NewsbotLogFormatter"  # a dropped item in one line (URL, reason); the item at DEBUG

# --- downloading -----------------------------------------------------------------------
# DOWNLOAD_HANDLERS: Scrapy's own; with rendering on, the add-on sets scrapy-playwright's for
# http and https (see below) unless DOWNLOAD_HANDLERS already names one for the scheme.
# A copy of the sites instead of the sites: "http://127.0.0.1:PORT", or "demo" for the replica
# bundled with newsbot. The add-on then wraps each http/https handler in the mirror handler
# (newsbot/demo/mirror.py), and mirrored crawls keep their own state file.
NEWSBOT_MIRROR = None
# The handlers the mirror downloads with: by default the add-on sets them to what
# DOWNLOAD_HANDLERS would have used (Scrapy's "fallback" add-on pattern); only read when mirroring.
NEWSBOT_MIRROR_HTTP_HANDLER = None
NEWSBOT_MIRROR_HTTPS_HANDLER = None
DOWNLOADER_MIDDLEWARES = {
    # after HttpCompressionMiddleware (590) has inflated the body
    "newsbot.middlewares.charset.CharsetMiddleware": 585,
    # redirects to another spelling of the same URL are not lost to the dupefilter
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newsbot.middlewares.redirect.CanonicalRedirectMiddleware": 600,
    # a 200 page that redirects by script (+ <noscript> refresh): after charset (585) and MetaRefresh (580)
    "newsbot.middlewares.redirect.ScriptRedirectMiddleware": 575,
    # a page lost (timeout, failed download) after its retries: one line and newsbot/rejected/<reason>
    "newsbot.middlewares.lost.LostDownloadMiddleware": 40,
    # off-site: an allowed host on another port than its scheme's default is off-site too
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "newsbot.middlewares.offsite.PortAwareOffsiteMiddleware": 50,
    # a compressed body cut short is rejected, not read as a whole page, and a decompression bomb
    # is counted as newsbot/rejected/too_large (same place as Scrapy's)
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newsbot.middlewares.compression.StrictHttpCompressionMiddleware": 590,
    # robots.txt answering 5xx: the host fully disallowed for the run (RFC 9309 §2.3.1.4)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsbot.middlewares.robots.ServerErrorRobotsTxtMiddleware": 100,
    # cluster mode only: outside RetryMiddleware (550), sees a request once retries are spent
    "newsbot.cluster.middlewares.ClusterFailureMiddleware": 50,
    # NEWSBOT_ARCHIVE only: next to the download handler, the exchange as sent and received
    "newsbot.archive.middleware.ArchiveMiddleware": 950,
}
NEWSBOT_FALLBACK_ENCODINGS = ["windows-1256", "windows-1252"]
# Follow to the source: an article whose body is a teaser (ending in "(...)" or "…", or shorter than
# NEWSBOT_TEASER_MAX_CHARS characters) gets the text of its source_url page (the one request allowed
# off the site's hosts, under robots.txt and DOWNLOAD_MAXSIZE) when that page holds the teaser's words.
# -a follow_source=0 turns it off for one run.
NEWSBOT_FOLLOW_SOURCE = True
NEWSBOT_TEASER_MAX_CHARS = 100
REQUEST_FINGERPRINTER_CLASS = "newsbot.fingerprint.CanonicalRequestFingerprinter"
# SCHEDULER and DUPEFILTER_CLASS: the add-on sets newsbot.jobdir's (cluster mode gives its own):
# Scrapy's, with a resume after a kill that loses nothing and a dupefilter of bounded memory.
NEWSBOT_DUPEFILTER_MEMORY = 10_000  # request fingerprints it holds in memory (about 90 bytes each); older ones on disk
SPIDER_MIDDLEWARES = {
    # HTTP error answers: one line and newsbot/rejected/http_<status> (Scrapy's httperror/* stats kept)
    "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": None,
    "newsbot.middlewares.lost.HttpErrorMiddleware": 50,
    "newsbot.monitoring.pages.PageErrorMiddleware": 950,  # a page that fails to read: logged, counted, crawl goes on
    "newsbot.monitoring.counters.MonitorCountersMiddleware": 900,  # per site/edition counters the monitors judge
    "newsbot.cluster.middlewares.ClusterSeedMiddleware": 25,  # cluster mode only: seed once per crawl
    # incremental runs: article pages done in an earlier run are not scheduled
    "newsbot.middlewares.incremental.IncrementalMiddleware": 800,
    # NEWSBOT_ARCHIVE only: requests an article page leads to (its outlet page) are archived too
    "newsbot.archive.middleware.FedRequestsMiddleware": 700,
    # NEWSBOT_REPLAY only (scrapy reextract): the archived article pages instead of the spider's start
    "newsbot.archive.replay.ReplayStartMiddleware": 990,
}
# `scrapy check`: the contracts in the callbacks' docstrings (@sample, @fields, @follows: newsbot/contracts.py)
SPIDER_CONTRACTS = {
    "newsbot.contracts.SampleContract": 10,
    "newsbot.contracts.FieldsContract": 10,
    "newsbot.contracts.FollowsContract": 10,
}

# --- JavaScript pages (scrapy-playwright; newsbot/render, README "JavaScript pages") ------
# On: the add-on sets DOWNLOAD_HANDLERS http/https to scrapy-playwright's handler (started on
# the first browser request) and PLAYWRIGHT_*; only pages that need a browser get one, the
# rest goes through that handler's plain HTTP/1.1 path.
NEWSBOT_RENDER_ENABLED = True
NEWSBOT_CHROMIUM = None  # Chromium executable; else the NEWSBOT_CHROMIUM env var; else Playwright's own
NEWSBOT_RENDER_MAX_PAGES = 2  # open pages per browser context (PLAYWRIGHT_MAX_PAGES_PER_CONTEXT)
NEWSBOT_RENDER_MAX_CONTEXTS = 1  # browser contexts at once (PLAYWRIGHT_MAX_CONTEXTS)
NEWSBOT_RENDER_TIMEOUT = 20  # seconds for a page to load (navigation timeout)
NEWSBOT_RENDER_WAIT = 5  # seconds to wait after load for a listing's entries to appear

EXTENSIONS = {
    "newsbot.extensions.store_lock.StoreLockExtension": 100,  # one crawl of a spider at a time on a SQLite store
    "newsbot.extensions.stats_file.StatsFileExtension": 900,
    "newsbot.monitoring.extension.MonitorsExtension": 880,  # spidermon: the monitors at close (before the stats file)
    "newsbot.cluster.extension.ClusterWorkerExtension": 500,  # cluster mode only
    "newsbot.extensions.rejects.RejectsExtension": 510,  # newsbot/dropped/<reason>; NEWSBOT_REJECTS_FEED
    "newsbot.extensions.seen.SeenArticlesExtension": 520,  # records done articles once the feeds are stored
    "newsbot.extensions.progress.ProgressExtension": 530,  # progress per site and edition; NEWSBOT_PROGRESS_INTERVAL
    "newsbot.extensions.gc_freeze.GcFreezeExtension": 540,  # NEWSBOT_GC_FREEZE
}
# gc.freeze() once the engine has started: full collections skip what lives for the whole crawl
NEWSBOT_GC_FREEZE = True
NEWSBOT_STATS_FILE = None  # path: the final stats as JSON
# seconds between two sets of progress lines in the log (per site and edition, ids share and ETA;
# cluster mode: the whole crawl's too); 0: none during the crawl, the end-of-crawl table only
NEWSBOT_PROGRESS_INTERVAL = 60

# --- cluster mode (scrapy-redis; newsbot/cluster, README "Distributed crawling") --------
# redis://HOST:6379/DB: workers on any number of machines split one crawl through that Redis
# (queue, seen requests; the state store too unless NEWSBOT_STATE is given). The add-on then
# sets SCHEDULER, DUPEFILTER_CLASS, DOWNLOADER, REDIS_URL, SCHEDULER_SERIALIZER, MAX_IDLE_TIME_BEFORE_CLOSE
# (default 30 s) and swaps in the dedupe pipeline that shares the run id across workers.
NEWSBOT_CLUSTER = None
NEWSBOT_CLUSTER_CRAWL = None  # name of the shared crawl in Redis (default: the spider name)
NEWSBOT_CLUSTER_PREFETCH = 3  # taken requests a worker may keep waiting for a download slot (taken two at a time)
NEWSBOT_CLUSTER_POLITENESS = True  # DOWNLOAD_DELAY, CONCURRENT_REQUESTS_PER_DOMAIN, AutoThrottle per site for all workers
NEWSBOT_CLUSTER_WORKER_TIMEOUT = 20  # seconds without heartbeat: a worker is dead, its requests go back

# --- item pipelines, state store, incremental runs (README "Pipelines and state") -----------
ITEM_PIPELINES = {
    "newsbot.pipelines.boilerplate.BoilerplatePipeline": 300,  # clean first ...
    "newsbot.pipelines.validation.ValidationPipeline": 350,  # the record checked against its JSON Schema ...
    "newsbot.pipelines.revision.RevisionPipeline": 380,  # ... its revision: a re-visit with an unchanged text stops here ...
    "newsbot.pipelines.dedupe.DedupePipeline": 400,  # ... then dedupe: banners never enter a fingerprint
}
NEWSBOT_VALIDATION_ENABLED = True  # items that do not match newsbot/schemas/article.json are dropped as "invalid"
NEWSBOT_BOILERPLATE_ENABLED = True
NEWSBOT_BOILERPLATE_MIN_REPEATS = 5  # a paragraph in this many articles of a site (different titles) is boilerplate
NEWSBOT_BOILERPLATE_WARMUP = 50  # items of a site held until the learner has seen this many (counting earlier runs)
NEWSBOT_BOILERPLATE_FORGET_DAYS = 30  # candidate paragraphs not proved boilerplate within this many days are forgotten
NEWSBOT_DEDUPE_ENABLED = True
NEWSBOT_NEAR_DUPLICATE_THRESHOLD = 0.8  # estimated Jaccard similarity (MinHash, 3-word shingles) of a near-duplicate
NEWSBOT_REJECTS_FEED = None  # path (may use %(name)s, %(time)s): dropped items and rejected pages as JSON Lines
NEWSBOT_INCREMENTAL_ENABLED = True  # skip article pages that yielded or were dropped in an earlier run (-a fresh=1: one run without)
# Re-visits: article pages that yielded an item and were first seen in the last N days are fetched
# again; an item is written only when the text changed, with revision 2, 3... (0: off; -a revisit_days=N for one run)
NEWSBOT_REVISIT_DAYS = 0
# Where the state lives: None = redis NEWSBOT_CLUSTER if set, else sqlite:///<NEWSBOT_DATA_DIR>/.newsbot/state.db
# (a mirrored crawl: .newsbot/demo-state.db or mirror-state.db there, set by the add-on);
# or sqlite:///path.db, sqlite:////abs/path.db, sqlite:///:memory: (nothing kept), redis://host:6379/0.
NEWSBOT_STATE = None
NEWSBOT_STATE_NAMESPACE = None  # key prefix in the store (default BOT_NAME): one Redis, several projects
NEWSBOT_RUN_ID = None  # id of this run in the dedupe index (default: new per process)
# Seconds between commits of the articles done while a crawl runs, each after its appended
# local JSON Lines feeds are flushed to disk (a hard kill loses at most this much); 0: only at the end.
NEWSBOT_STATE_COMMIT_INTERVAL = 2.0

# --- monitors (spidermon; newsbot/monitoring, README "Monitors, report and exit status") ----
# At close the monitors judge the crawl; a failure is logged, written to the report and makes
# `scrapy crawl` exit 1. -s SPIDERMON_ENABLED=False turns them off (and validation's stats).
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["newsbot.monitoring.suite.CrawlMonitorSuite"]
NEWSBOT_MONITOR_COVERAGE_FIELDS = ["title", "outlet", "published", "body"]  # judged per site and edition
NEWSBOT_MONITOR_MIN_COVERAGE = 0.98  # share of an edition's items with each of those fields filled
NEWSBOT_MONITOR_MAX_REJECTED = 0.2  # share of an edition's article pages the spider rejected (out_of_range aside)
# An edition with fewer article pages read (a small incremental run) is judged on coverage only for
# fields found in none of its items, and not on its share of rejected pages (a broken page fetched
# again by every run would be all of it).
NEWSBOT_MONITOR_MIN_PAGES = 10
NEWSBOT_MONITOR_MAX_EMPTY_LISTINGS = 0.5  # share of an edition's home/listing pages with no entry
NEWSBOT_MONITOR_MAX_ERROR_RATE = 0.2  # failed downloads, HTTP errors (404 and 410 aside) and unreadable pages per request
NEWSBOT_MONITOR_MAX_RETRY_RATE = 0.2  # retries per request
# finish reasons that pass: the end of the crawl, or a limit the user set (CLOSESPIDER_ITEMCOUNT, ...)
NEWSBOT_MONITOR_FINISH_REASONS = ["finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"]
NEWSBOT_REPORT_FILE = None  # path of the JSON report; None: <feed>.report.json next to the first local feed

# --- audit trail (newsbot/archive, README "Audit trail") -----------------------------------
# A directory: every aggregator article page and every outlet page fetched for a record is
# written there with its request as WARC records (gzip, warcio); each record's warc_record_id
# names its page's response record. None: no archive (warc_record_id null).
NEWSBOT_ARCHIVE = None
NEWSBOT_ARCHIVE_MAX_SIZE = 1_000_000_000  # bytes of a WARC file before the next one is started
# A WARC file or a directory of them that every request is answered from, never the network
# (set by `scrapy reextract ARCHIVE`; the add-on then starts from the archived article pages,
# with a state store in memory, no robots.txt, no browser). None: a normal crawl.
NEWSBOT_REPLAY = None

# --- output ------------------------------------------------------------------------------
# FEEDS: with no -o/-O the add-on writes <NEWSBOT_DATA_DIR>/data/<spider>/<time>.jsonl
# Default: the NEWSBOT_DATA_DIR environment variable, else the user's data directory
# (platformdirs: ~/.local/share/newsbot on Linux, $XDG_DATA_HOME/newsbot when that is set), an
# absolute path whatever the working directory. Under Scrapyd a relative value stops the job.
NEWSBOT_DATA_DIR = os.environ.get("NEWSBOT_DATA_DIR") or platformdirs.user_data_dir("newsbot", appauthor=False)
FEED_STORAGES = {  # a feed file that cannot be written fails in one line, and scrapy crawl exits 1
    "": "newsbot.feedstorage.CheckedFileFeedStorage",
    "file": "newsbot.feedstorage.CheckedFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"  # Arabic written as Arabic, not \u escapes
FEED_EXPORT_FIELDS = list(PUBLIC_FIELDS)
