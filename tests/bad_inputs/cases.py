"""The bad-input corpus: one :class:`Case` per bad input, with the outcome newsbot must give.

Every case is served on ``www.maghress.com`` by one replica (:func:`build`: a snapshot
written at test time, served by :class:`newsbot.demo.replica.ReplicaServer`) and crawled
in one run of the ``maghress`` spider (``tests/test_bad_inputs.py``). The home pages
(``/`` and ``/fr/``) link every case's URL unless the case says otherwise; ``/rss`` and
``/fr/rss`` are start URLs of the spider.

An outcome (``expect``) is one of:

* ``item``: the URL gives one record, equal to its line in ``gold.jsonl``;
* ``rejected/<reason>``: no record, ``newsbot/rejected/<reason>`` counts it, and exactly one
  log line (INFO or above) names the URL, with ``says`` in it;
* ``dropped/<reason>``: a record was made and a pipeline dropped it (``newsbot/dropped/<reason>``),
  one log line as above;
* ``forbidden``: robots.txt disallows it: never fetched, counted in ``robotstxt/forbidden``;
* ``handled``: not a page of its own that could be lost (a feed, a listing, a redirect to
  another case): what it must do is in ``check`` of the test (by case name).

Cases built on ``../shared/cases`` files (``shared``) are left out, with a reason, when
``../shared`` is absent. Texts are made up for newsbot (:mod:`tests.bad_inputs.texts`).
"""

from __future__ import annotations

import gzip
import html
import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.bad_inputs.texts import AR, FR
from tests.crawling import SHARED, write_snapshot

HOST = "www.maghress.com"
SITE = f"https://{HOST}"
HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold.jsonl"
BOMB_SIZE = 50 * 1024 * 1024  # inflated size of the decompression bombs (shared case NB-20)
SETTINGS: dict[str, Any] = {
    "DOWNLOAD_MAXSIZE": 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 512 * 1024,
    "DOWNLOAD_TIMEOUT": 1,  # the timeout case answers after 3 s
    "REDIRECT_MAX_TIMES": 5,
    # The corpus is mostly bad pages: the monitors would rightly fail such a crawl.
    "NEWSBOT_MONITOR_MIN_COVERAGE": 0,
    "NEWSBOT_MONITOR_MAX_REJECTED": 1,
    "NEWSBOT_MONITOR_MAX_ERROR_RATE": 1,
    "NEWSBOT_MONITOR_MAX_RETRY_RATE": 1,
    "NEWSBOT_MONITOR_MAX_EMPTY_LISTINGS": 1,
}
"""What the corpus crawl runs with (besides the test harness's own settings)."""


@dataclass(frozen=True)
class Route:
    """One answer of the replica: ``path`` (with query) on ``host``, its status, headers,
    body, and optional ``sequence`` of statuses / ``delay`` in seconds / ``cut`` (bytes sent
    before the connection drops; see the replica)."""

    path: str
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str | None] = field(default_factory=dict)
    sequence: tuple[int, ...] | None = None
    delay: float | None = None
    cut: int | None = None
    host: str = HOST


@dataclass(frozen=True)
class Case:
    """One bad input (see the module docstring for ``expect``)."""

    name: str
    url: str
    expect: str
    routes: tuple[Route, ...]
    says: str = ""
    note: str = ""
    stats: dict[str, int] = field(default_factory=dict)  # other counters this case adds
    linked: bool = True  # linked from its edition's home page
    links: tuple[str, ...] = ()  # links the home page gives instead of ``url`` (spellings, chains)
    shared: str | None = None  # the ../shared/cases file it serves

    @property
    def edition(self) -> str:
        return "fr" if "/fr/" in self.url else "ar"

    @property
    def reason(self) -> str | None:
        return self.expect.split("/", 1)[1] if self.expect.startswith(("rejected/", "dropped/")) else None


# --- pages ---------------------------------------------------------------------------------
def dateline(lang: str, outlet: str, date: str, slug: str = "") -> str:
    slug = slug or ("lematin" if lang == "fr" else "hespress")
    link = f'<a href="{"/fr" if lang == "fr" else ""}/{slug}">{html.escape(outlet)}</a>'
    return f"Publié dans {link} le {date}" if lang == "fr" else f"نشر في {link} يوم {date}"


def article(lang: str, text: int, *, title: str | None = None, date: str | None = "12 - 10 - 2021",
            line: str | None = None, body: str | None = None, charset: str | None = "utf-8",
            source: str | None = "https://www.example-outlet.ma/article") -> str:
    """An article page of the family's template: ``text`` picks a made-up text of
    :mod:`texts`; ``title``/``body`` (HTML) replace its parts, ``line`` the whole dateline
    (``date=None``: no dateline), ``charset`` the ``<meta>`` one (None: no meta)."""
    head, outlet, paragraphs = (FR if lang == "fr" else AR)[text]
    title = html.escape(head) if title is None else title
    body = "<br />\n".join(html.escape(p) for p in paragraphs) if body is None else body
    if line is None and date is not None:
        line = dateline(lang, outlet, date)
    meta = f'<meta charset="{charset}">' if charset else ""
    info = f'<div class="articleinfo"><span class="articlenewspaper">{line}</span></div>' if line is not None else ""
    closing = "Cliquez ici pour lire l'article depuis sa source." if lang == "fr" else "اضغط هنا لقراءة الخبر من مصدره"
    src = f'<div class="articlesource"><a href="{source}" class="sourcelink">{closing}</a></div>' if source else ""
    home = "/fr/" if lang == "fr" else "/"
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}"><head>{meta}'
            f"<title>{title} - Maghress</title></head>\n<body><div id=\"wrapper\">"
            f'<div id="header"><a href="{home}">Maghress</a></div>\n<div id="content"><div id="main"><div class="article">\n'
            f'<h1 class="title"><span class="articletitle">{title}</span></h1>\n{info}\n'
            f'<span class="articlecontent">{body}</span>\n{src}\n</div></div></div></div></body></html>\n')


def paragraphs(lang: str, text: int) -> list[str]:
    return (FR if lang == "fr" else AR)[text][2]


def fr(number: int, slug: str = "lematin") -> str:
    return f"{SITE}/fr/{slug}/{number}"


def ar(number: int, slug: str = "hespress") -> str:
    return f"{SITE}/{slug}/{number}"


def path(url: str) -> str:
    return url.removeprefix(SITE)


def page(url: str, body: bytes | str, status: int = 200, **kwargs: Any) -> Route:
    return Route(path(url), body, status, **kwargs)


def redirect(url: str, to: str, status: int = 302) -> Route:
    return Route(path(url), b"", status, {"Location": to})


def rss(items: str, *, head: str = '<?xml version="1.0" encoding="utf-8"?>\n', title: str = "Maghress") -> str:
    return (f'{head}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>{title}</title>'
            f"<link>{SITE}/</link>\n{items}\n</channel></rss>\n")


def bomb(encoding: str) -> bytes:
    """:data:`BOMB_SIZE` zero bytes compressed with ``encoding`` (NB-20's recipe)."""
    zeros = bytes(BOMB_SIZE)
    if encoding == "gzip":
        return gzip.compress(zeros, 9)
    if encoding == "deflate":
        return zlib.compress(zeros, 9)
    if encoding == "br":
        import brotli

        return brotli.compress(zeros)
    if encoding == "zstd":
        from backports import zstd

        return zstd.compress(zeros)
    if encoding == "gzip, gzip":
        return gzip.compress(gzip.compress(zeros, 9), 9)
    raise ValueError(encoding)


def script_stub(to: str, *, script: str | None = 'window.location.replace("{to}");', noscript: bool = True,
                text: str = "") -> str:
    """A 200 page that only sends its reader to ``to``: a script location change (``script``,
    ``{to}`` filled in; None: none) and/or a ``<noscript>`` meta refresh, around ``text``."""
    js = f'<script type="text/javascript">{script.format(to=to)}</script>' if script else ""
    refresh = f'''<noscript><meta http-equiv="refresh" content="0;URL='{to}'"></noscript>''' if noscript else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8">{js}{refresh}</head>'
            f"<body><p>{html.escape(text)}</p></body></html>\n")


def cut_short(data: bytes, keep: float = 2 / 3) -> bytes:
    """The first ``keep`` of a compressed body: a stream that never reaches its end."""
    return data[: int(len(data) * keep)]


def brotli_bytes(data: bytes) -> bytes:
    import brotli

    return brotli.compress(data)


def zstd_bytes(data: bytes) -> bytes:
    from backports import zstd

    return zstd.compress(data)


def long_article() -> bytes:
    """An article page of about 450 KB (more than one zstd block), its words drawn at random."""
    rng = random.Random(364)
    words = "le port la ville un marché une route l'école de l'eau au souk".split()
    body = "<br />\n".join(" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(1500))
    return article("fr", 28, body=body).encode()


def http_file(name: str) -> tuple[int, dict[str, str | None], bytes]:
    """Status, headers and body of a raw HTTP response file of ``../shared/cases``."""
    raw = (SHARED / "cases" / name).read_bytes()
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str | None] = {"Content-Type": None}
    for line in lines[1:]:
        key, value = line.split(":", 1)
        if key.lower() != "content-length":
            headers[key.strip()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def shared_bytes(name: str) -> bytes:
    return (SHARED / "cases" / name).read_bytes()


def nb15_groups() -> list[list[str]]:
    """The URL spellings of shared case NB-15, one list per article."""
    groups: list[list[str]] = []
    for line in (SHARED / "cases" / "NB-15.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            groups.append([])
        elif line.strip():
            groups[-1].append(line.strip())
    return groups


BIDI = "\u200f\u202b\u2067\u061c\u200e"
_RNG = random.Random(9)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(_RNG.randrange(256) for _ in range(3000))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(_RNG.randrange(256) for _ in range(2000))


def _cases() -> list[Case | Callable[[], Case]]:
    """The corpus. Entries that read ``../shared`` are functions, called only when it is there."""
    fr_ar = "windows-1256"
    cases: list[Case | Callable[[], Case]] = [
        # --- controls --------------------------------------------------------------------
        Case("good_fr", fr(900001), "item", (page(fr(900001), article("fr", 0)),), note="a plain good article"),
        Case("good_ar", ar(900001), "item", (page(ar(900001), article("ar", 0)),), note="a plain good article"),
        # --- truncated and broken HTML ----------------------------------------------------
        Case("truncated_in_body", fr(900011), "item",
             (page(fr(900011), article("fr", 1)[: article("fr", 1).index("<br />") + 30]),),
             note="the page stops inside the body's second line: what came is kept"),
        Case("truncated_before_title", fr(900012), "rejected/missing_title",
             (page(fr(900012), article("fr", 1)[:200]),), says="missing_title",
             note="the page stops in its <head>"),
        Case("truncated_utf8_char", ar(900011), "item",
             (page(ar(900011), article("ar", 1).encode()[: article("ar", 1).encode().index(b"<br />") - 2]),),
             note="cut inside the last Arabic letter of the first line: that letter is lost, nothing else"),
        Case("unclosed_tags", fr(900013), "item",
             (page(fr(900013), article("fr", 2, body="<p><b>" + html.escape(paragraphs("fr", 2)[0]) + "<p><i>"
                                               + html.escape(paragraphs("fr", 2)[1]) + "<div>")),),
             note="<p>, <b>, <i> and <div> never closed: the source box ends up inside the body, its sentence is dropped"),
        # --- title -------------------------------------------------------------------------
        Case("no_title", fr(900021), "rejected/missing_title",
             (page(fr(900021), article("fr", 3, title="")),), says="missing_title"),
        Case("blank_title", fr(900022), "rejected/missing_title",
             (page(fr(900022), article("fr", 3, title="&nbsp; \u200f\u200b &#160;")),), says="missing_title",
             note="only no-break spaces, bidi and zero-width marks"),
        # --- dates -------------------------------------------------------------------------
        Case("no_dateline", fr(900031), "item", (page(fr(900031), article("fr", 4, date=None)),),
             says="No date", stats={"newsbot/published/unknown": 1}),
        Case("february_31", fr(900032), "item", (page(fr(900032), article("fr", 5, date="31 - 02 - 2021")),),
             says="No date", stats={"newsbot/published/unknown": 1}, note="published null, not 3 March"),
        Case("future_date", fr(900033), "item", (page(fr(900033), article("fr", 6, date="14 - 07 - 2099")),),
             says="after the crawl time", stats={"newsbot/published/future": 1}),
        Case("month_13", ar(900031), "item", (page(ar(900031), article("ar", 2, date="05 - 13 - 2021")),),
             says="No date", stats={"newsbot/published/unknown": 1}),
        Case("year_only", ar(900032), "item", (page(ar(900032), article("ar", 3, date="2021")),),
             says="No date", stats={"newsbot/published/unknown": 1}, note="never today's day and month"),
        # --- body --------------------------------------------------------------------------
        Case("empty_body", fr(900041), "dropped/empty_body", (page(fr(900041), article("fr", 7, body="")),),
             says="empty_body"),
        Case("blank_body", fr(900042), "dropped/empty_body",
             (page(fr(900042), article("fr", 8, body="&nbsp;<br /> <br />\u200b<p> </p>")),), says="empty_body"),
        Case("boilerplate_only", fr(900043), "dropped/empty_body",
             (page(fr(900043), article("fr", 9, body='Lire aussi : <a href="/fr/lematin/1">Un autre titre</a><br />'
                                                    'À lire aussi: <a href="/fr/lematin/2">Encore un titre</a>')),),
             says="empty_body", note="only 'read also' lines"),
        Case("script_in_body", fr(900044), "item",
             (page(fr(900044), article("fr", 10, body="<script>var x = '<br/>pub';</script><style>p{color:red}</style>"
                                                     + html.escape(paragraphs("fr", 10)[0]) + "<!-- commentaire --><br />"
                                                     + html.escape(paragraphs("fr", 10)[1]))),),
             note="script, style and comment in the body are no text"),
        # --- not HTML ----------------------------------------------------------------------
        Case("binary_as_html", fr(900051), "rejected/not_html", (page(fr(900051), PNG, headers={"Content-Type": "text/html"}),),
             says="not_html", note="PNG bytes labelled text/html"),
        Case("pdf", fr(900052), "rejected/not_html",
             (page(fr(900052), PDF, headers={"Content-Type": "application/pdf"}),), says="not_html"),
        Case("empty_page", fr(900053), "rejected/empty_page", (page(fr(900053), b""),), says="empty_page",
             note="200 with no body at all"),
        Case("gzip_without_encoding", ar(900051), "rejected/not_html",
             (page(ar(900051), gzip.compress(article("ar", 4).encode())),), says="not_html",
             note="gzip bytes served as text/html without Content-Encoding"),
        # --- sizes -------------------------------------------------------------------------
        Case("oversize", fr(900061), "rejected/too_large",
             (page(fr(900061), article("fr", 11, body=html.escape(paragraphs("fr", 11)[0]) + "<br />" + "x" * (1536 * 1024))),),
             says="larger than download max size", note="1.5 MiB page, DOWNLOAD_MAXSIZE 1 MiB"),
        *[Case(f"bomb_{name}", fr(900062 + i), "rejected/too_large",
               (page(fr(900062 + i), bomb(encoding), headers={"Content-Encoding": encoding}),), says="exceeded DOWNLOAD_MAXSIZE",
               note=f"50 MiB of zeros, Content-Encoding: {encoding}")
          for i, (name, encoding) in enumerate([("gzip", "gzip"), ("deflate", "deflate"), ("br", "br"),
                                                ("gzip_gzip", "gzip, gzip"), ("zstd", "zstd")])],
        # --- redirects ---------------------------------------------------------------------
        Case("redirect_loop", fr(900071), "rejected/redirect_loop",
             (redirect(fr(900071), fr(900072)), redirect(fr(900072), fr(900071))), says="redirect loop"),
        Case("redirect_to_self", fr(900073), "rejected/redirect_loop", (redirect(fr(900073), fr(900073)),),
             says="redirect loop"),
        Case("redirect_chain_too_long", fr(900080), "rejected/redirect_loop",
             tuple(redirect(fr(900080 + i), fr(900081 + i)) for i in range(8)), says="redirect loop",
             note="more than REDIRECT_MAX_TIMES (5) hops"),
        Case("redirect_off_site", fr(900074), "rejected/redirected_away",
             (redirect(fr(900074), "https://www.example.org/story/900074", 301),), says="it redirects"),
        Case("redirect_to_home", fr(900075), "rejected/redirected_away", (redirect(fr(900075), f"{SITE}/fr/", 301),),
             says="it redirects"),
        Case("redirect_no_location", fr(900076), "rejected/http_301", (page(fr(900076), b"", 301),), says="http_301"),
        Case("redirect_to_article", fr(900078), "item",
             (redirect(fr(900077), fr(900078), 301), page(fr(900078), article("fr", 12))), links=(fr(900077),),
             note="only the redirecting URL is linked: the item has the target's URL"),
        # --- HTTP errors -------------------------------------------------------------------
        Case("http_404", fr(900091), "rejected/http_404", (page(fr(900091), b"<h1>Introuvable</h1>", 404),), says="http_404"),
        Case("http_410", fr(900092), "rejected/http_410", (page(fr(900092), b"<h1>Supprime</h1>", 410),), says="http_410"),
        Case("http_403", ar(900091), "rejected/http_403", (page(ar(900091), b"<h1>403</h1>", 403),), says="http_403"),
        Case("http_500", fr(900093), "rejected/http_500", (page(fr(900093), b"<h1>Erreur</h1>", 500),), says="http_500",
             note="retried RETRY_TIMES, then given up"),
        Case("http_503_then_200", fr(900094), "item",
             (page(fr(900094), article("fr", 13), sequence=(503, 200)),), note="retried once"),
        Case("http_500_twice_then_200", ar(900092), "item",
             (page(ar(900092), article("ar", 5), sequence=(500, 500, 200)),)),
        Case("listing_404", f"{SITE}/fr/aujourdhui", "rejected/http_404",
             (page(f"{SITE}/fr/aujourdhui", b"<h1>Introuvable</h1>", 404),), says="http_404",
             note="an outlet listing: any page lost is counted, not only articles"),
        Case("feed_500", f"{SITE}/fr/atlasinfo/rss", "rejected/http_500",
             (page(f"{SITE}/fr/atlasinfo/rss", b"<h1>Erreur</h1>", 500),), says="http_500", note="an outlet feed"),
        Case("listing_as_pdf", f"{SITE}/fr/lebrief", "rejected/not_html",
             (page(f"{SITE}/fr/lebrief", PDF, headers={"Content-Type": "application/pdf"}),), says="not_html",
             note="a listing that is a PDF: no links read from it"),
        Case("connection_cut", fr(900096), "rejected/data_loss",
             (page(fr(900096), article("fr", 14), cut=300),), says="data_loss",
             note="the connection drops after 300 of the announced bytes (data loss); retried, then lost"),
        Case("timeout", fr(900095), "rejected/timeout", (page(fr(900095), article("fr", 14), delay=3),),
             says="timeout", note="answers after 3 s; DOWNLOAD_TIMEOUT 1 s"),
        # --- charsets ----------------------------------------------------------------------
        Case("header_1256_meta_utf8", ar(900101), "item",
             (page(ar(900101), article("ar", 6).encode(fr_ar), headers={"Content-Type": f"text/html; charset={fr_ar}"}),),
             note="the header is right, the meta lies"),
        Case("header_utf8_meta_1256", ar(900102), "item",
             (page(ar(900102), article("ar", 7, charset=fr_ar).encode(fr_ar)),), stats={"newsbot/charset/repaired": 1},
             note="the header lies (utf-8), the meta is right"),
        Case("no_charset_1256", ar(900103), "item",
             (page(ar(900103), article("ar", 8, charset=None).encode(fr_ar), headers={"Content-Type": "text/html"}),),
             stats={"newsbot/charset/repaired": 1}, note="no charset anywhere, Arabic windows-1256"),
        Case("cp1252_under_utf8", fr(900101), "item",
             (page(fr(900101), article("fr", 15, charset=None).encode("cp1252")),), stats={"newsbot/charset/repaired": 1},
             note="French windows-1252 under a utf-8 header"),
        Case("utf8_under_1252", fr(900102), "item",
             (page(fr(900102), article("fr", 16, charset="windows-1252"),
                   headers={"Content-Type": "text/html; charset=windows-1252"}),), stats={"newsbot/charset/repaired": 1},
             note="UTF-8 French declared windows-1252 everywhere"),
        Case("invalid_utf8_byte", ar(900104), "item",
             (page(ar(900104), article("ar", 9).encode().replace("<br />".encode(), b"\xff<br />", 1)),),
             note="one stray byte in a UTF-8 page: stays UTF-8, one U+FFFD where the byte was (README: Charsets)"),
        Case("bom_vs_header", ar(900105), "item",
             (page(ar(900105), b"\xef\xbb\xbf" + article("ar", 10, charset=None).encode(),
                   headers={"Content-Type": f"text/html; charset={fr_ar}"}),), note="a UTF-8 BOM wins over the header"),
        Case("utf16_bom", ar(900106), "item",
             (page(ar(900106), article("ar", 11, charset=None).encode("utf-16"), headers={"Content-Type": "text/html"}),),
             note="UTF-16 with its BOM, no charset declared"),
        Case("unknown_meta_charset", fr(900103), "item",
             (page(fr(900103), article("fr", 17, charset="x-nonsense-8"), headers={"Content-Type": "text/html"}),),
             note="a charset name no codec has; the body is UTF-8"),
        Case("bidi_marks", ar(900107), "item",
             (page(ar(900107), article("ar", 12, title=BIDI + html.escape(AR[12][0]) + "\u202c\u2069",
                                       body=BIDI + html.escape(paragraphs("ar", 12)[0]) + "\u200f<br />\u2066"
                                       + html.escape(paragraphs("ar", 12)[1]) + "\u2069")),),
             note="RLM, RLE, RLI, ALM, LRM, PDF, PDI around the title and lines"),
        Case("control_characters", fr(900104), "item",
             (page(fr(900104), article("fr", 18, body=html.escape(paragraphs("fr", 18)[0]).replace(" ", "\x00", 1)
                                       + "\x07<br />\ufeff" + html.escape(paragraphs("fr", 18)[1]).replace(" ", "\u200b ", 2))),),
             note="NUL, BEL, a stray BOM and zero-width spaces in the body"),
        # --- robots.txt --------------------------------------------------------------------
        Case("robots_section_listing", f"{SITE}/fr/lagazette", "forbidden",
             (page(f"{SITE}/fr/lagazette", "<html><body><a href='/fr/lagazette/900111'>x</a></body></html>"),),
             note="robots.txt disallows /fr/lagazette"),
        Case("robots_section_article", fr(900111, "lagazette"), "forbidden",
             (page(fr(900111, "lagazette"), article("fr", 19)),)),
        # --- listings and feeds -------------------------------------------------------------
        Case("listing_next_is_itself", f"{SITE}/fr/lopinion", "handled",
             (page(f"{SITE}/fr/lopinion",
                   '<html><head><meta charset="utf-8"></head><body><div id="main">'
                   '<div class="teaser"><a class="teasertitle" href="/fr/lopinion/900121">Un</a></div>'
                   '<div class="pagination"><a class="next" href="/fr/lopinion">Suivant</a>'
                   '<a href="https://maghress.com/fr/lopinion#haut">Page 1</a></div></div></body></html>'),
              page(fr(900121, "lopinion"), article("fr", 20))),
             note="its next link (and a page link) point to itself: fetched once, its article read"),
        Case("listing_article", fr(900121, "lopinion"), "item", (), linked=False,
             note="linked only from the self-linking listing"),
        Case("url_spellings", fr(900131), "item", (page(fr(900131), article("fr", 21)),),
             links=(fr(900131), fr(900131) + "/", fr(900131) + "#commentaires", fr(900131) + "?utm_source=fb",
                    "http://maghress.com/fr/lematin/900131", "https://WWW.MAGHRESS.COM/fr/lematin/900131"),
             note="six spellings of one article: one request, one record"),
        Case("malformed_rss", f"{SITE}/fr/rss", "handled",
             (page(f"{SITE}/fr/rss", rss(
                 f"<item><title>Un <b>titre & co</title><link>{fr(900141)}?utm_source=rss&utm_medium=flux</link>"
                 "<pubDate>Mon, 11 Oct 2021 08:00:00 +0100</pubDate></item>"
                 "<item><title>Sans lien &eacute;</title></item>"
                 f"<item><title>Coupé</title><link>{fr(900142)}</link>").rsplit("</channel>", 1)[0],
                   headers={"Content-Type": "application/rss+xml; charset=utf-8"}),
              page(fr(900141), article("fr", 19)), page(fr(900142), article("fr", 7))),
             linked=False, note="raw &, an unclosed <b>, an item without link, cut before </channel>"),
        Case("rss_item_article", fr(900141), "item", (), linked=False, note="linked only from the malformed /fr/rss"),
        Case("rss_cut_item_article", fr(900142), "item", (), linked=False,
             note="linked only from the last, unclosed item of the malformed /fr/rss"),
        Case("xxe_rss", f"{SITE}/rss", "handled",
             (page(f"{SITE}/rss", rss(f"<item><title>&xxe; خبر</title><link>{ar(900141)}</link></item>",
                                      head='<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss [\n'
                                           '<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'),
                   headers={"Content-Type": "application/rss+xml; charset=utf-8"}),
              page(ar(900141), article("ar", 13))),
             linked=False, note="an external entity (file:///etc/passwd) is never read"),
        Case("xxe_rss_article", ar(900141), "item", (), linked=False, note="linked only from /rss"),
        Case("billion_laughs_rss", f"{SITE}/fr/lematin/rss", "handled",
             (page(f"{SITE}/fr/lematin/rss", rss(
                 f"<item><title>&lol9;</title><link>{fr(900151)}</link></item>",
                 head='<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
                      + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
                      + "]>\n"),
                   headers={"Content-Type": "application/rss+xml; charset=utf-8"}),
              page(fr(900151), article("fr", 8))),
             note="entities nested 9 deep (10^9 'lol'): never expanded"),
        Case("billion_laughs_article", fr(900151), "item", (), linked=False, note="linked only from the feed"),
    ]
    cases += _public_bug_cases()
    cases += [_nb_http("NB-01.http", ar(900201), {"newsbot/charset/repaired": 1}),
              _nb_http("NB-02.http", ar(900202)), _nb_http("NB-03.http", ar(900203)),
              _nb_html("NB-10.html", fr(900201)), _nb_html("NB-12.html", fr(900202)),
              _nb14, _nb15_fr, _nb15_ar, _nb_feed("NB-21.xml.gz.gz", "lesechos", "application/x-gzip"),
              _nb_feed("NB-23.xml", "albayane", "application/xml")]
    return cases


def _public_bug_cases() -> list[Case | Callable[[], Case]]:
    """Issue 9 section 1's kinds (tests/test_public_bugs.py has their own tests): redirects by
    script, empty and HTML feeds, robots.txt answering 5xx, Hijri datelines, compressed bodies
    cut short, article URL variants."""
    bare = f"https://{HOST.removeprefix('www.')}"  # the site's other host: its robots.txt answers 503
    rss_type = {"Content-Type": "application/rss+xml; charset=utf-8"}
    return [
        # --- redirects by script (scrapy/scrapy#1422) --------------------------------------------
        Case("script_redirect_noscript", fr(900302), "item",
             (page(fr(900301), script_stub(path(fr(900302)), text="Redirection en cours...")),
              page(fr(900302), article("fr", 22))), links=(fr(900301),), stats={"newsbot/redirect/script": 1},
             note="a 200 page: window.location.replace and a <noscript> meta refresh to the same article; the item has the target's URL"),
        Case("script_redirect_script_only", ar(900302), "item",
             (page(ar(900301), script_stub(path(ar(900302)).replace("/", "\\/"), noscript=False,
                                           script='document.location.href = "{to}";')),
              page(ar(900302), article("ar", 16))), links=(ar(900301),), stats={"newsbot/redirect/script": 1},
             note="only a script (document.location.href, escaped slashes) in a page with no text"),
        Case("script_redirect_noscript_only", fr(900304), "item",
             (page(fr(900303), script_stub(fr(900304), script=None)), page(fr(900304), article("fr", 23))),
             links=(fr(900303),), stats={"newsbot/redirect/script": 1},
             note="only a <noscript> meta refresh, in an empty page"),
        Case("script_redirect_off_site", fr(900305), "rejected/redirected_away",
             (page(fr(900305), script_stub("https://www.example-outlet.ma/actualite/900305")),
              Route("/actualite/900305", article("fr", 24), host="www.example-outlet.ma")),
             says="off the site", note="script and <noscript> refresh to another site: not followed"),
        Case("script_location_in_article", fr(900306), "item",
             (page(fr(900306), article("fr", 24).replace(
                 "</head>", '<script>if (window.innerWidth < 600) { window.location = "/m/fr/lematin/900306"; }</script></head>')),),
             note="an ordinary article with a mobile switch script: read, the script not followed"),
        # --- feeds that are no feed (scrapy/scrapy#4211) -----------------------------------------
        Case("empty_feed", f"{SITE}/fr/lesiteinfo/rss", "handled", (page(f"{SITE}/fr/lesiteinfo/rss", b"", headers=rss_type),),
             says="skipped: empty", stats={"newsbot/feed/empty": 1}, note="an outlet feed answering 200 with no body"),
        Case("blank_feed", f"{SITE}/alalam/rss", "handled",
             (page(f"{SITE}/alalam/rss", "\ufeff\r\n  \n", headers=rss_type),), says="skipped: empty",
             stats={"newsbot/feed/empty": 1}, note="a BOM and blank lines"),
        Case("html_as_feed", f"{SITE}/fr/infomediaire/rss", "handled",
             (page(f"{SITE}/fr/infomediaire/rss", "<!DOCTYPE html><html><body><h1>Page introuvable</h1></body></html>"),),
             says="skipped: html", stats={"newsbot/feed/html": 1}, note="an HTML error page served with 200 (text/html)"),
        Case("html_labelled_rss", f"{SITE}/fr/fnh/rss", "handled",
             (page(f"{SITE}/fr/fnh/rss", home("fr", []), headers=rss_type),), says="skipped: html",
             stats={"newsbot/feed/html": 1}, note="a home page served as application/rss+xml"),
        Case("feed_without_items", f"{SITE}/kech24/rss", "handled",
             (page(f"{SITE}/kech24/rss", rss(""), headers=rss_type),), says="skipped: no_entries",
             stats={"newsbot/feed/no_entries": 1}, note="a well-formed RSS channel with no <item>"),
        # --- robots.txt answering 5xx (RFC 9309 §2.3.1.4, scrapy/scrapy#2443) ---------------------
        Case("robots_503_other_host", f"{bare}/fr/lematin/900341", "forbidden",
             (redirect(fr(900341), f"{bare}/fr/lematin/900341", 301),
              Route("/robots.txt", "<h1>Service indisponible</h1>", 503, host=HOST.removeprefix("www.")),
              Route("/fr/lematin/900341", article("fr", 25), host=HOST.removeprefix("www."))),
             links=(fr(900341),), says="answered 503", stats={"newsbot/robots/server_error": 1},
             note="www redirects to the bare host, whose robots.txt answers 503 (retried): that host is"
                  " disallowed for the run, one ERROR line; www is not"),
        # --- Hijri datelines ----------------------------------------------------------------------
        Case("hijri_numeric", ar(900351), "item", (page(ar(900351), article("ar", 17, date="21 - 04 - 1444")),),
             stats={"newsbot/dates/hijri": 1}, note="21 Rabi' al-Thani 1444: published 2022-11-15"),
        Case("hijri_arabic_indic", ar(900352), "item",
             (page(ar(900352), article("ar", 18, date="١٢ - ٠٩ - ١٤٤٥")),), stats={"newsbot/dates/hijri": 1},
             note="Arabic-Indic digits, 12 Ramadan 1445: published 2024-03-22"),
        Case("hijri_written", ar(900353), "item", (page(ar(900353), article("ar", 19, date="5 رمضان 1445")),),
             stats={"newsbot/dates/hijri": 1}, note="a written Hijri month: published 2024-03-15"),
        Case("hijri_out_of_range", fr(900351), "item", (page(fr(900351), article("fr", 26, date="21 - 04 - 1200")),),
             says="hijri_out_of_range", stats={"newsbot/dates/hijri_out_of_range": 1, "newsbot/published/unknown": 1},
             note="a Hijri year outside hijridate's table: published null, never year 1200"),
        Case("hijri_invalid_month", fr(900352), "item", (page(fr(900352), article("fr", 27, date="05 - 13 - 1444")),),
             says="hijri_invalid", stats={"newsbot/dates/hijri_invalid": 1, "newsbot/published/unknown": 1},
             note="month 13 of a Hijri year: published null"),
        # --- compressed bodies cut short (scrapy/scrapy#1900) -------------------------------------
        Case("truncated_gzip", fr(900361), "rejected/truncated_body",
             (page(fr(900361), cut_short(gzip.compress(article("fr", 28).encode())), headers={"Content-Encoding": "gzip"}),),
             says="truncated_body", note="the gzip stream stops at two thirds: no half article recorded"),
        Case("truncated_deflate", fr(900362), "rejected/truncated_body",
             (page(fr(900362), cut_short(zlib.compress(article("fr", 28).encode())), headers={"Content-Encoding": "deflate"}),),
             says="truncated_body"),
        Case("truncated_br", fr(900363), "rejected/truncated_body",
             (page(fr(900363), cut_short(brotli_bytes(article("fr", 28).encode())), headers={"Content-Encoding": "br"}),),
             says="truncated_body"),
        Case("truncated_gzip_trailer", ar(900361), "rejected/truncated_body",
             (page(ar(900361), gzip.compress(article("ar", 20).encode())[:-4], headers={"Content-Encoding": "gzip"}),),
             says="truncated_body", note="only the last 4 bytes of the gzip trailer are missing: still cut short"),
        Case("truncated_zstd", fr(900364), "rejected/truncated_body",
             (page(fr(900364), cut_short(zstd_bytes(long_article())), headers={"Content-Encoding": "zstd"}),),
             says="truncated_body", note="a 450 KB page whose zstd stream stops at two thirds (Scrapy kept the"
                                         " first 256 KiB it inflated as the page)"),
        Case("plain_labelled_gzip", fr(900365), "rejected/undecodable_body",
             (page(fr(900365), article("fr", 28), headers={"Content-Encoding": "gzip"}),), says="undecodable_body",
             note="a plain HTML page labelled Content-Encoding: gzip"),
        Case("garbage_labelled_br", ar(900362), "rejected/undecodable_body",
             (page(ar(900362), PNG, headers={"Content-Encoding": "br"}),), says="undecodable_body",
             note="random bytes labelled Content-Encoding: br"),
        # --- article URL variants: a query, leading zeros ---------------------------------------
        Case("url_query_page", fr(900371), "item", (page(fr(900371), article("fr", 28)),), links=(fr(900371) + "?page=2",),
             note="linked only as ?page=2: the record has the plain URL"),
        Case("url_leading_zeros", ar(900371), "item", (page(ar(900371), article("ar", 20)),),
             links=(f"{SITE}/hespress/0900371",), note="linked only as /0900371"),
        Case("url_query_and_zeros", fr(900372), "item", (page(fr(900372), article("fr", 25)),),
             links=(fr(900372), fr(900372) + "?page=2", f"{SITE}/fr/lematin/0900372",
                    f"{SITE}/fr/lematin/000900372?page=3&utm_source=x"),
             note="plain, ?page=2, /0900372 and /000900372?page=3: one request, one record"),
        Case("script_redirect_to_variant", fr(900308), "item",
             (page(fr(900307), script_stub("/fr/lematin/0900308?page=2")), page(fr(900308), article("fr", 29)),
              page(f"{SITE}/fr/lematin/0900308?page=2", article("fr", 29))),
             links=(fr(900307),), stats={"newsbot/redirect/script": 1},
             note="a script redirect to /0900308?page=2: the record has the plain URL and id"),
        Case("redirect_to_variant", fr(900310), "item",
             (redirect(fr(900309), f"{SITE}/fr/lematin/00900310?page=2", 301), page(fr(900310), article("fr", 30)),
              page(f"{SITE}/fr/lematin/00900310?page=2", article("fr", 30))),
             links=(fr(900309),), note="an HTTP redirect to /00900310?page=2: the record has the plain URL and id"),
    ]


def _nb_http(name: str, url: str, stats: dict[str, int] | None = None) -> Callable[[], Case]:
    def make() -> Case:
        status, headers, body = http_file(name)
        return Case(f"shared_{name.split('.')[0]}", url, "rejected/missing_title",
                    (page(url, body, status, headers=headers),), says="missing_title", stats=stats or {}, shared=name,
                    note=f"../shared/cases/{name} served at an article URL (its page is no aggregator article)")
    return make


def _nb_html(name: str, url: str) -> Callable[[], Case]:
    def make() -> Case:
        return Case(f"shared_{name.split('.')[0]}", url, "rejected/missing_title", (page(url, shared_bytes(name)),),
                    says="missing_title", shared=name, note=f"../shared/cases/{name} served at an article URL")
    return make


def _nb_feed(name: str, slug: str, content_type: str) -> Callable[[], Case]:
    def make() -> Case:
        url = f"{SITE}/fr/{slug}/rss"
        return Case(f"shared_{name.split('.')[0]}", url, "handled",
                    (page(url, shared_bytes(name), headers={"Content-Type": content_type}),), shared=name,
                    note=f"../shared/cases/{name} as an outlet feed: read, its off-site URLs not followed")
    return make


def _nb14() -> Case:
    shared_bytes("NB-14.txt")  # its routes, on article URLs: /sbn = 900211, /sbn/ = 900211/, /bn = 900212
    return Case("shared_NB-14", fr(900211), "item",
                (page(fr(900211), article("fr", 3, title="Retry puis redirection")),
                 Route(path(fr(900212)), b"", 302, {"Location": fr(900211)}, sequence=(503, 302))),
                links=(fr(900211), fr(900211) + "/", fr(900212)), shared="NB-14.txt",
                stats={"newsbot/dropped/duplicate_url": 1},
                note="a 503 retried, then redirected to an article already fetched: one record (the second"
                     " arrival dropped as duplicate_url; the redirecting id is then recorded as done)")


def _nb15_fr() -> Case:
    group = nb15_groups()[0]
    return Case("shared_NB-15_fr", f"{SITE}/fr/lematin/12345", "item",
                (page(f"{SITE}/fr/lematin/12345", article("fr", 9)),),
                links=tuple(group), shared="NB-15.txt", note="NB-15's six spellings: one request, one record")


def _nb15_ar() -> Case:
    group = nb15_groups()[1]
    return Case("shared_NB-15_ar", f"{SITE}/hespress/75869", "item",
                (page(f"{SITE}/hespress/75869", article("ar", 14)),),
                links=tuple(group), shared="NB-15.txt", note="NB-15's Arabic spellings: one request, one record")


def corpus() -> tuple[list[Case], list[str]]:
    """The cases to crawl, and why others were left out (``../shared`` absent)."""
    cases, skipped = [], []
    for entry in _cases():
        if isinstance(entry, Case):
            cases.append(entry)
        elif not (SHARED / "cases").is_dir():
            skipped.append(f"{entry.__name__}: {SHARED / 'cases'} is absent")
        else:
            cases.append(entry())
    return cases, skipped


ROBOTS = "User-agent: *\nDisallow: /fr/lagazette\n"


def home(lang: str, cases: list[Case]) -> str:
    links = []
    for case in cases:
        if case.linked and case.edition == lang:
            links += case.links or (case.url,)
    teasers = "\n".join(f'<div class="teaser"><a class="teasertitle" href="{html.escape(u)}">Article</a></div>' for u in links)
    return f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body><div id="main">\n{teasers}\n</div></body></html>\n'


def build(root: Path, cases: list[Case]) -> Path:
    """Write the corpus snapshot into ``root`` (``manifest.json`` and ``files/``)."""
    pages: dict[tuple[str, str], tuple[Any, ...]] = {
        (HOST, "/robots.txt"): (200, {"Content-Type": "text/plain"}, ROBOTS),
        (HOST, "/"): (200, {}, home("ar", cases)),
        (HOST, "/fr/"): (200, {}, home("fr", cases)),
    }
    for case in cases:
        for route in case.routes:
            extra = {k: v for k, v in (("sequence", list(route.sequence or ())), ("delay", route.delay),
                                       ("cut", route.cut)) if v}
            pages[(route.host, route.path)] = (route.status, route.headers, route.body, extra)
    pages.setdefault((HOST, "/fr/rss"), (200, {"Content-Type": "application/rss+xml"}, rss("")))
    pages.setdefault((HOST, "/rss"), (200, {"Content-Type": "application/rss+xml"}, rss("")))
    return write_snapshot(root, pages)


def load_gold() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
