"""A maghress-like site generated from article numbers, for benchmarks (all text made up).

:class:`ReplicaSite` describes ``www.maghress.com`` with a French edition (``/fr/``, the
``articles`` articles the crawl benchmark fetches) and a smaller Arabic one (root, a quarter
as many). Every page is a pure function of its path and the seed, so any article id of any
outlet exists (``-a ids=fr/h24info:1-100000`` crawls work) and nothing is written to disk.

Markup is the project's own replica template (``scripts/replicagen/pages.py``: the spans
newsbot reads, the ticker joined by four no-break spaces, flag notice, source link, "most
read" box, ``div.teaser`` listings with ``div.pagination a.next``, RSS). Per page:

* a ticker of the edition's newest :data:`TICKER` headlines (about 25 KB, the same on every
  page, as on the live site) and a "most read" box;
* a body of made-up sentences (:mod:`bench.replica_text`), about 450 words (log-normal,
  120 to 2,000), in ``<br />`` lines (one page in ten ``<p>`` blocks);
* things for the cleaning to remove: "Lire aussi" lines (half the pages), the outlet's own
  sign-off line (a third: learned as boilerplate), the ticker pasted into the body (3 %),
  the closing source sentence glued to the last paragraph (4 %), a flag notice line (2 %);
* 1.5 % near-duplicates: an article a few places earlier republished by another outlet,
  same title, about 3 % of its words changed;
* a "related articles" box (thumbnail, headline link and date per entry) that brings the
  page to a size drawn uniformly between 30 and 73 KB (what aggregator pages weigh with
  their furniture);
* a dateline ``Publié dans <a>Outlet</a> le 20 - 10 - 2021`` (Arabic ``نشر في ... يوم``, half
  of them in Arabic-Indic digits); 5 % with a written month (``20 octobre 2021``, ``4 يوليوز 2021``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))

from replicagen import pages  # noqa: E402  (the project's replica template)
from replicagen.model import Article, Edition, Outlet, ReadAlso, Site  # noqa: E402

from bench.replica_text import TextGen  # noqa: E402

SEED = 20211020
HOST = "www.maghress.com"
TICKER = 200
MOSTREAD = 10
RELATED_POOL = 500  # teaser items the "related articles" boxes pick from
PER_PAGE = 20  # teasers per listing page
PER_DAY = 40  # articles per day and edition (dates go back from LAST_DAY)
LAST_DAY = dt.date(2021, 10, 31)
PAGE_BYTES = (30_000, 73_000)
HTML = "text/html; charset=utf-8"

FR_OUTLETS = (
    ("adnmed", "ADN Med"), ("albayane", "Al Bayane"), ("atlasinfo", "Atlasinfo"),
    ("aujourdhui", "Aujourd'hui le Maroc"), ("barlamanefr", "Barlamane"), ("fnh", "FNH"), ("h24info", "H24 Info"),
    ("infomediaire", "Infomédiaire"), ("lagazette", "La Gazette"), ("le360", "Le360"), ("lebrief", "LeBrief"),
    ("lematin", "Le Matin"), ("lesechos", "Les Echos"), ("lesiteinfo", "Le Site Info"),
    ("lobservateur", "L'Observateur"), ("lopinion", "L'Opinion"),
)
AR_OUTLETS = (
    ("hespress", "هسبريس"), ("alalam", "العلم"), ("almassae", "المساء"), ("kech24", "كش 24"),
    ("assahifa", "الصحيفة"), ("anfaspress", "أنفاس بريس"), ("alittihad", "الاتحاد الاشتراكي"),
    ("rifpresse", "ريف بريس"),
)
OUTLETS = {"fr": FR_OUTLETS, "ar": AR_OUTLETS}
MONTHS = {
    "fr": ("janvier février mars avril mai juin juillet août septembre octobre novembre décembre").split(),
    # Mashriq names, then the Moroccan ones dateparser knows under ar-MA only
    "ar": ("يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر").split(),
    "ar-MA": ("يناير فبراير مارس أبريل ماي يونيو يوليوز غشت شتنبر أكتوبر نونبر دجنبر").split(),
}


@dataclass(frozen=True)
class Key:
    """One article: edition (``fr``/``ar``), outlet slug and id, as in ``/fr/h24info/1165387``."""

    edition: str
    slug: str
    number: int

    @property
    def path(self) -> str:
        return f"/{_prefix(self.edition)}{self.slug}/{self.number}"

    @property
    def url(self) -> str:
        return f"https://{HOST}{self.path}"


def _prefix(edition: str) -> str:
    return "" if edition == "ar" else f"{edition}/"


def article_key(edition: str, k: int) -> Key:
    """Article ``k`` of an edition (0 = oldest): outlet ``k % len(outlets)``, id ``k // len(outlets) + 1``."""
    outlets = OUTLETS[edition]
    return Key(edition, outlets[k % len(outlets)][0], k // len(outlets) + 1)


@dataclass
class GeneratedArticle:
    """What the generator knows of an article: its clean text (what a perfect extractor
    returns) and how the page was made."""

    key: Key
    outlet: str
    title: str
    paragraphs: list[str]  # clean paragraphs, without read-also, template or sign-off lines
    day: dt.date
    date_text: str  # the date as the dateline writes it
    near_duplicate_of: Key | None
    page_bytes: int  # drawn target size of the page


class ReplicaSite:
    """The generated site. ``articles``: French-edition articles (the Arabic edition has a
    quarter as many); the same ``seed`` gives the same bytes for every page.

    Article ``k`` of an edition (0 = oldest) is outlet ``k % len(outlets)``, id
    ``k // len(outlets) + 1``; ids beyond the edition's count exist too (id-range crawls).
    """

    def __init__(self, articles: int = 2000, seed: int = SEED) -> None:
        self.seed = seed
        self.counts = {"fr": articles, "ar": max(articles // 4, 1)}
        self.outlets = OUTLETS
        self.text = {"fr": TextGen("fr", seed), "ar": TextGen("ar", seed)}
        self.editions = {
            code: Edition(code, [Outlet(s, n, f"https://www.{s}.ma/article/{{n}}") for s, n in self.outlets[code]], [])
            for code in ("ar", "fr")
        }
        self.site = Site("maghress", "Maghress", "maghress.com", list(self.editions.values()), ("ar", "fr"),
                         robots="User-agent: *\nDisallow: /search\n")
        self._titles: dict[Key, str] = {}
        self._articles: dict[Key, GeneratedArticle] = {}

    # --- numbering --------------------------------------------------------------------------------
    def key(self, edition: str, k: int) -> Key:
        return article_key(edition, k)

    def index(self, key: Key) -> int | None:
        slugs = [s for s, _ in self.outlets[key.edition]]
        if key.slug not in slugs or key.number < 1:
            return None
        return (key.number - 1) * len(slugs) + slugs.index(key.slug)

    def keys(self, edition: str = "fr") -> list[Key]:
        """The edition's listed articles, oldest first."""
        return [self.key(edition, k) for k in range(self.counts[edition])]

    def _rng(self, key: Key, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}/{purpose}/{key.edition}/{key.slug}/{key.number}")

    def _listed_index(self, key: Key) -> int | None:
        """``k`` of a listed article (cached), None for ids beyond the edition's count."""
        k = self.index(key)
        return k if k is not None and k < self.counts[key.edition] else None

    def outlet_name(self, edition: str, slug: str) -> str:
        return dict(self.outlets[edition])[slug]

    # --- one article -------------------------------------------------------------------------------
    def title(self, key: Key) -> str:
        cached = self._titles.get(key)
        if cached is None:
            original = self._original(key)
            cached = self.text[key.edition].title(self._rng(original or key, "title"))
            if self._listed_index(key) is not None:
                self._titles[key] = cached
        return cached

    def _original(self, key: Key) -> Key | None:
        """The article this one is a near-duplicate of (1.5 % of articles), else None."""
        k = self.index(key)
        rng = self._rng(key, "dup")
        if k is None or k < 8 or rng.random() >= 0.015:
            return None
        return self.key(key.edition, k - rng.randint(1, 6))  # 1..6 back: always another outlet

    def day(self, key: Key) -> dt.date:
        k = self.index(key) or 0
        return LAST_DAY - dt.timedelta(days=((self.counts[key.edition] - 1 - k) // PER_DAY) % 1500)

    def article(self, key: Key) -> GeneratedArticle:
        """The article's clean text and facts (no HTML); kept for listed articles."""
        cached = self._articles.get(key)
        if cached is None:
            cached = self._make_article(key)
            if self._listed_index(key) is not None:
                self._articles[key] = cached
        return cached

    def _make_article(self, key: Key) -> GeneratedArticle:
        rng = self._rng(key, "body")
        text = self.text[key.edition]
        original = self._original(key)
        if original is not None:
            paragraphs = [text.perturb(p, rng) for p in self.article(original).paragraphs]
        else:
            words = int(min(2000, max(120, rng.lognormvariate(math.log(450), 0.6))))
            paragraphs = text.paragraphs(rng, words)
        day = self.day(key)
        return GeneratedArticle(
            key=key, outlet=self.outlet_name(key.edition, key.slug), title=self.title(key), paragraphs=paragraphs,
            day=day, date_text=self.date_text(key), near_duplicate_of=original,
            page_bytes=int(self._rng(key, "size").uniform(*PAGE_BYTES)),
        )

    def date_text(self, key: Key) -> str:
        """The date as the article's dateline writes it."""
        day = self.day(key)
        rng = self._rng(key, "date")
        written = rng.random() < 0.05
        indic = key.edition == "ar" and rng.random() < 0.5
        if not written:
            return pages.dmy(day, indic)
        if key.edition == "fr":
            return f"{day.day} {MONTHS['fr'][day.month - 1]} {day.year}"
        months = MONTHS["ar-MA" if rng.random() < 0.5 else "ar"]
        return f"{day.day:02d} {months[day.month - 1]} {day.year}"

    # --- pages ----------------------------------------------------------------------------------------
    @cached_property
    def _furniture(self) -> dict[str, dict[str, object]]:
        """Per edition: ticker HTML and text, "most read" links (newest articles)."""
        out: dict[str, dict[str, object]] = {}
        for code in ("ar", "fr"):
            count = self.counts[code]
            newest = [self.key(code, k) for k in range(count - 1, max(count - 1 - TICKER, -1), -1)]
            links = [(k.path, self.title(k)) for k in newest]
            out[code] = {
                "ticker_html": pages.ticker(links),
                "ticker_text": "".join(pages.esc(t) + pages.SEPARATOR for _, t in links),
                "mostread": links[7 : 7 + MOSTREAD],
                "headlines": [t for _, t in links],
            }
        return out

    def article_html(self, key: Key) -> bytes:
        """The article page, as served (UTF-8)."""
        art = self.article(key)
        ed = self.editions[key.edition]
        furniture = self._furniture[key.edition]
        rng = self._rng(key, "page")
        ui = pages.UI[key.edition]
        grammar = self.text[key.edition].grammar
        paragraphs = list(art.paragraphs)
        if rng.random() < 0.35:
            paragraphs.append(grammar["boilerplate"].format(outlet=art.outlet))
        if rng.random() < 0.04:
            paragraphs[-1] += " " + ui["source"]
        if rng.random() < 0.02:
            paragraphs.insert(0, ui["flag"][0])
        read_also = []
        if rng.random() < 0.5 and len(paragraphs) > 1:
            for _ in range(rng.randint(1, 2)):
                target = self.key(key.edition, rng.randrange(self.counts[key.edition]))
                read_also.append(ReadAlso(rng.randrange(1, len(paragraphs)), rng.choice(grammar["read_also"]),
                                          self.title(target), target.path))
        roll = rng.random()
        layout = "banner" if roll < 0.03 else "p" if roll < 0.13 else "br"
        page = pages.article_page(
            self.site, ed,
            Article(outlet=key.slug, number=key.number, date=art.day.isoformat(), title=art.title,
                    paragraphs=paragraphs, read_also=sorted(read_also, key=lambda r: r.before), layout=layout,
                    arabic_indic=bool(re.search("[٠-٩]", art.date_text)), image=rng.random() < 0.5),
            ticker_html=furniture["ticker_html"], ticker_text=furniture["ticker_text"], mostread=furniture["mostread"],
        )
        numeric = pages.dmy(art.day, bool(re.search("[٠-٩]", art.date_text)))
        if art.date_text != numeric:
            connector = ui["dateline"][1]
            page = page.replace(f" {connector} {numeric}</span>", f" {connector} {art.date_text}</span>", 1)
        body = page.encode()
        return self._with_related(body, key, art.page_bytes - len(body), rng)

    @cached_property
    def _related(self) -> dict[str, tuple[str, list[bytes]]]:
        """Per edition: the related box's heading and a pool of entries to pick from."""
        out = {}
        for code, heading in (("fr", "Articles similaires"), ("ar", "مقالات ذات صلة")):
            rng = random.Random(f"{self.seed}/related/{code}")
            items = []
            for _ in range(RELATED_POOL):
                other = self.key(code, rng.randrange(self.counts[code]))
                items.append(
                    f'<li><a href="{other.path}"><img src="https://images.maghress.com/{other.slug}/{other.number}/thumb"'
                    f' alt="" width="90" height="60" /></a> <a href="{other.path}">{pages.esc(self.title(other))}</a>'
                    f' <span class="date">{pages.dmy(self.day(other))}</span></li>\n'.encode()
                )
            out[code] = (heading, items)
        return out

    def _with_related(self, page: bytes, key: Key, room: int, rng: random.Random) -> bytes:
        """A "related articles" box (other articles of the site) filling ``room`` bytes."""
        if room <= 0:
            return page
        heading, pool = self._related[key.edition]
        items: list[bytes] = []
        size = 0
        while size < room:
            item = pool[rng.randrange(len(pool))]
            items.append(item)
            size += len(item)
        box = (f'<div class="box related"><h3>{heading}</h3>\n<ul class="related">\n'.encode()
               + b"".join(items) + b"</ul>\n</div>\n")
        return page.replace(b'<div id="sidebar">', box + b'<div id="sidebar">', 1)

    def listed(self, edition: str, slug: str) -> list[Key]:
        """The listed articles of one outlet, newest first."""
        slugs = [s for s, _ in self.outlets[edition]]
        j = slugs.index(slug)
        count = self.counts[edition]
        last = (count - 1 - j) // len(slugs) + 1 if count > j else 0
        return [Key(edition, slug, n) for n in range(last, 0, -1)]

    def _teaser(self, key: Key) -> pages.Teaser:
        art = self.article(key)
        return pages.Teaser(key.path, art.title, pages.dmy(art.day), pages.teaser_text(" ".join(art.paragraphs), 22))

    def _frame(self, edition: str, title: str, main: str) -> bytes:
        furniture = self._furniture[edition]
        return pages.frame(self.site, self.editions[edition], title=title, main=main,
                           ticker_html=furniture["ticker_html"], mostread=furniture["mostread"]).encode()

    def listing_html(self, edition: str, slug: str, page: int) -> bytes | None:
        """Page ``page`` (1-based) of an outlet listing, or None past its end."""
        listed = self.listed(edition, slug)
        count = max(1, math.ceil(len(listed) / PER_PAGE))
        if not 1 <= page <= count:
            return None
        teasers = [self._teaser(k) for k in listed[(page - 1) * PER_PAGE : page * PER_PAGE]]
        outlet = self.editions[edition].outlet(slug)
        main = pages.listing_main(self.editions[edition], outlet, teasers, page, count)
        return self._frame(edition, outlet.name, main)

    def home_html(self, edition: str) -> bytes:
        count = self.counts[edition]
        newest = [self.key(edition, k) for k in range(count - 1, max(count - 31, -1), -1)]
        main = pages.home_main(self.editions[edition], [self._teaser(k) for k in newest], [])
        return self._frame(edition, self.site.title, main)

    def rss(self, edition: str, slug: str | None = None) -> bytes:
        ed = self.editions[edition]
        if slug is None:
            count = self.counts[edition]
            keys = [self.key(edition, k) for k in range(count - 1, max(count - 21, -1), -1)]
        else:
            keys = self.listed(edition, slug)[:PER_PAGE]
        items = []
        for k in keys:
            art = self.article(k)
            items.append((Article(outlet=k.slug, number=k.number, date=art.day.isoformat(), title=art.title,
                                  paragraphs=art.paragraphs), k.url))
        link = f"https://{HOST}/{_prefix(edition)}{slug or ''}"
        return pages.rss(self.site, ed, self.site.title, link, items).encode()

    # --- routing ---------------------------------------------------------------------------------------
    def route(self, target: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request target (path and query)."""
        path, _, query = target.partition("?")
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", self.site.robots.encode()
        edition, rest = ("fr", path[4:]) if path.startswith("/fr/") or path == "/fr" else ("ar", path[1:])
        parts = [p for p in rest.split("/") if p]
        slugs = {s for s, _ in self.outlets[edition]}
        if not parts:
            return 200, HTML, self.home_html(edition)
        if parts == ["rss"]:
            return 200, "application/rss+xml; charset=utf-8", self.rss(edition)
        if parts[0] in slugs:
            if len(parts) == 1:
                page = re.fullmatch(r"page=(\d+)", query)
                body = self.listing_html(edition, parts[0], int(page.group(1)) if page else 1)
                if body is not None:
                    return 200, HTML, body
            elif len(parts) == 2 and parts[1] == "rss":
                return 200, "application/rss+xml; charset=utf-8", self.rss(edition, parts[0])
            elif len(parts) == 2 and parts[1].isdigit() and int(parts[1]) >= 1:
                return 200, HTML, self.article_html(Key(edition, parts[0], int(parts[1])))
        return 404, HTML, b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n"

    def site_paths(self, edition: str = "fr") -> list[str]:
        """Every page a crawl of the edition can reach (home, feeds, listings, articles)."""
        prefix = f"/{_prefix(edition)}"
        paths = ["/robots.txt", prefix, f"{prefix}rss"]
        for slug, _ in self.outlets[edition]:
            count = max(1, math.ceil(len(self.listed(edition, slug)) / PER_PAGE))
            paths += [f"{prefix}{slug}", f"{prefix}{slug}/rss"]
            paths += [f"{prefix}{slug}?page={p}" for p in range(2, count + 1)]
        return paths + [k.path for k in self.keys(edition)]


def dateline_texts(site: ReplicaSite, per_edition: int | None = None) -> list[tuple[str, str]]:
    """(date text as written in the dateline, language) of the listed articles of both
    editions, in page order (``per_edition`` caps how many per edition)."""
    out = []
    for edition in ("fr", "ar"):
        for key in site.keys(edition)[:per_edition]:
            out.append((site.date_text(key), edition))
    return out
