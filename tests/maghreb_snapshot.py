"""A tiny replica of maghress.com's Arabic edition, written by this project (made-up texts),
for tests that need a site on any clone: two articles whose datelines use Maghreb month
names (``20 جويلية 2021``: Algerian/Tunisian, ``12 شتنبر 2021``: Moroccan, shared case
NB-04/NB-25), a home page listing them, an RSS feed and robots.txt.

``write_snapshot(root)`` writes ``manifest.json`` and ``files/`` in the layout of
``../shared/sites`` (served by :class:`newsbot.demo.replica.ReplicaServer`); ``EXPECTED`` holds the
records a crawl of it must write (every public field but ``crawled_at``).
"""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime
from pathlib import Path

from newsbot import __version__

HOST = "www.maghress.com"
GENERATOR = "tests/maghreb_snapshot.py"

ARTICLES = [
    {
        "path": "/hespress/101",
        "outlet": "هسبريس",
        "outlet_slug": "hespress",
        "dateline_date": "20 جويلية 2021",
        "teaser_date": "20 - 07 - 2021",
        "title": "افتتاح الدورة الجديدة لمعرض الكتاب بالرباط",
        "lines": [
            "افتتحت صباح اليوم الدورة الجديدة لمعرض الكتاب بمشاركة دور نشر من عدة بلدان.",
            "ويستمر المعرض عشرة أيام ويضم ندوات وقراءات شعرية.",
        ],
        "source_url": "https://www.hespress.com/culture/101.html",
        "published": "2021-07-20",
    },
    {
        "path": "/alalam/102",
        "outlet": "العلم",
        "outlet_slug": "alalam",
        "dateline_date": "12 شتنبر 2021",
        "teaser_date": "12 - 09 - 2021",
        "title": "أمطار غزيرة منتظرة في شمال المملكة",
        "lines": [
            "توقعت مديرية الأرصاد الجوية تساقطات مطرية مهمة نهاية الأسبوع.",
            "ودعت السائقين إلى الحذر على الطرق الجبلية.",
        ],
        "source_url": "https://alalam.ma/102",
        "published": "2021-09-12",
    },
]

EXPECTED = [
    {
        "article_id": f"maghress:ar:{a['outlet_slug']}:{a['path'].rsplit('/', 1)[1]}",
        "url": f"https://{HOST}{a['path']}",
        "site": "maghress",
        "edition": "ar",
        "language": "ar",
        "outlet": a["outlet"],
        "outlet_slug": a["outlet_slug"],
        "title": a["title"],
        "published": a["published"],
        "body": "\n\n".join(a["lines"]),
        "body_source": "aggregator",
        "extractor": f"newsbot-ress {__version__}",
        "extraction_confidence": 1.0 if len("\n\n".join(a["lines"])) >= 150 else 0.6,  # README: a short body may be cut
        "source_url": a["source_url"],
        "revision": 1,
        "warc_record_id": None,
    }
    for a in ARTICLES
]

_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<div id="header"><a href="/">الرئيسية</a> | <a href="/rss">RSS</a></div>
<div id="ticker" class="newsticker"><a href="{ticker}">عاجل: {ticker_title}</a>&nbsp;&nbsp;&nbsp;&nbsp;</div>
<div id="content"><div id="main">
{main}
</div></div>
<div id="footer">&copy; Maghress</div>
</body>
</html>
"""

_ARTICLE = """<div class="article">
<h1 class="title"><span class="articletitle">{title}</span></h1>
<div class="articleinfo"><span class="articlenewspaper">نشر في <a href="/{slug}">{outlet}</a> يوم {date}</span></div>
<span class="articlecontent">{body}</span>
<div class="articlesource"><a href="{source}" class="sourcelink">اضغط هنا لقراءة الخبر من مصدره</a></div>
</div>"""

_TEASER = """<div class="teaser"><a class="teasertitle" href="{path}">{title}</a>
<span class="teaserdate">{date}</span></div>"""

_RSS_ITEM = """<item><title>{title}</title><link>https://{host}{path}</link>
<dc:creator>{outlet}</dc:creator><pubDate>{pubdate}</pubDate><guid>https://{host}{path}</guid></item>"""


def write_snapshot(root: Path) -> Path:
    """Write the snapshot under ``root`` (created) and return ``root``."""
    files = root / "files"
    files.mkdir(parents=True, exist_ok=True)
    entries = []

    def add(path: str, name: str, content: str, content_type: str, kind: str) -> None:
        (files / name).write_text(content, encoding="utf-8")
        entries.append({"host": HOST, "path": path, "status": 200, "headers": {"Content-Type": content_type},
                        "file": f"files/{name}", "kind": kind})

    html = "text/html; charset=utf-8"
    ticker = ARTICLES[1]
    for number, a in enumerate(ARTICLES, 1):
        main = _ARTICLE.format(title=a["title"], slug=a["outlet_slug"], outlet=a["outlet"], date=a["dateline_date"],
                               body="<br />\n".join(a["lines"]), source=a["source_url"])
        add(a["path"], f"article{number}.html",
            _PAGE.format(title=a["title"], ticker=ticker["path"], ticker_title=ticker["title"], main=main), html, "article")
    teasers = "\n".join(_TEASER.format(path=a["path"], title=a["title"], date=a["teaser_date"]) for a in ARTICLES)
    add("/", "home.html", _PAGE.format(title="مغرس", ticker=ticker["path"], ticker_title=ticker["title"], main=teasers),
        html, "home")
    items = "\n".join(
        _RSS_ITEM.format(title=a["title"], host=HOST, path=a["path"], outlet=a["outlet"],
                         pubdate=_rfc822(a["published"])) for a in ARTICLES
    )
    rss = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           f"<channel><title>مغرس</title><link>https://{HOST}/</link>\n{items}\n</channel></rss>\n")
    add("/rss", "rss.xml", rss, "application/rss+xml; charset=utf-8", "rss")
    add("/robots.txt", "robots.txt", "User-agent: *\nDisallow: /admin/\n", "text/plain; charset=utf-8", "robots")
    manifest = {
        "snapshot": "maghreb-months", "generator": GENERATOR, "default_host": HOST,
        "sites": [{"site": "maghress.com", "host": HOST, "aliases": ["maghress.com"], "kind": "aggregator",
                   "editions": ["ar"]}],
        "entries": entries,
    }
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return root


def _rfc822(iso_date: str) -> str:
    moment = dt.datetime.fromisoformat(f"{iso_date}T10:00:00+01:00")
    return format_datetime(moment)
