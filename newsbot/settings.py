"""Scrapy settings for newsbot. Every value can be overridden with ``-s NAME=VALUE``.

Settings of newsbot's own components start with ``NEWSBOT_``; the README lists them.
"""

from newsbot.items import PUBLIC_FIELDS

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"
ADDONS = {"newsbot.addon.NewsbotAddon": 0}

# --- a good citizen ------------------------------------------------------------------
USER_AGENT = "newsbot/1.0 (+https://github.com/newsbot-project/newsbot)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
# Cloudflare sits in front of these sites: its 52x answers are transient too.
RETRY_HTTP_CODES = [500, 502, 503, 504, 520, 521, 522, 523, 524, 408, 429]
RETRY_TIMES = 3
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# --- downloading -----------------------------------------------------------------------
DOWNLOAD_HANDLERS = {
    "http": "newsbot.mirror.MirrorDownloadHandler",
    "https": "newsbot.mirror.MirrorDownloadHandler",
}
NEWSBOT_DOWNLOAD_HANDLER = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
NEWSBOT_MIRROR = None  # "http://127.0.0.1:PORT" or "demo"
DOWNLOADER_MIDDLEWARES = {
    # after HttpCompressionMiddleware (590) has inflated the body
    "newsbot.middlewares.charset.CharsetMiddleware": 585,
}
NEWSBOT_FALLBACK_ENCODINGS = ["windows-1256", "windows-1252"]
REQUEST_FINGERPRINTER_CLASS = "newsbot.fingerprint.CanonicalRequestFingerprinter"
SPIDER_MIDDLEWARES = {
    "newsbot.middlewares.errors.PageErrorMiddleware": 950,
}

EXTENSIONS = {
    "newsbot.extensions.stats_file.StatsFileExtension": 900,
}
NEWSBOT_STATS_FILE = None  # path: the final stats as JSON

# --- output ------------------------------------------------------------------------------
# FEEDS: with no -o/-O the add-on writes <NEWSBOT_DATA_DIR>/data/<spider>/<time>.jsonl
NEWSBOT_DATA_DIR = "."
FEED_EXPORT_ENCODING = "utf-8"  # Arabic written as Arabic, not \u escapes
FEED_EXPORT_FIELDS = list(PUBLIC_FIELDS)
