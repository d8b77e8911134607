"""The "*ress" page template: article, listing, home, RSS, error and outlet pages.

Markup follows what is known of the sites (see ../shared/sites/README.md): the spans
public scrapers read (``span.articletitle``, ``span.articlenewspaper``,
``span.articlecontent``), the ticker of latest headlines joined by four no-break
spaces, the flag notice, the closing source link, a "most read" box; listings with
``div.teaser`` blocks and ``?page=N`` pagination; RSS 2.0 with ``dc:creator``.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from email.utils import format_datetime

from replicagen.model import PREFIX, Article, Edition, Extra, Outlet, OutletPage, Site

UI = {
    "fr": {
        "dir": "ltr", "home": "Accueil", "papers": "Journaux", "latest": "Dernières nouvelles",
        "mostread": "Les plus lus", "more": "Lire la suite", "search": "Rechercher",
        "about": "Qui sommes-nous", "contact": "Contact", "rights": "Tous droits réservés",
        "next": "Suivant", "prev": "Précédent", "report": "Signaler cette image",
        "flag": ("Merci d'avoir signalé!",
                 "Cette image sera automatiquement bloquée après qu'elle soit signalée par plusieurs personnes."),
        "source": "Cliquez ici pour lire l'article depuis sa source.", "dateline": ("Publié dans", "le"),
        "notfound": ("Page introuvable", "La page demandée n'existe pas ou a été supprimée."),
    },
    "ar": {
        "dir": "rtl", "home": "الرئيسية", "papers": "الصحف", "latest": "آخر الأخبار",
        "mostread": "الأكثر قراءة", "more": "اقرأ المزيد", "search": "بحث",
        "about": "من نحن", "contact": "اتصل بنا", "rights": "جميع الحقوق محفوظة",
        "next": "التالي", "prev": "السابق", "report": "التبليغ عن الصورة",
        "flag": ("شكرا على التبليغ!", "سيتم حجب هذه الصورة تلقائيا بعد أن يتم التبليغ عنها من طرف عدة أشخاص."),
        "source": "اضغط هنا لقراءة الخبر من مصدره", "dateline": ("نشر في", "يوم"),
        "notfound": ("الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة أو تم حذفها."),
    },
    "en": {
        "dir": "ltr", "home": "Home", "papers": "Newspapers", "latest": "Latest news",
        "mostread": "Most read", "more": "Full story", "search": "Search",
        "about": "About us", "contact": "Contact", "rights": "All rights reserved",
        "next": "Next", "prev": "Previous", "report": "Report this image",
        "flag": ("Thank you for reporting!",
                 "This image will be automatically blocked after it is reported by several people."),
        "source": "Click here to read the story from its source", "dateline": ("Published in", "on"),
        "notfound": ("Page not found", "The page you asked for does not exist or was removed."),
    },
}
EDITION_LINK = {"ar": "عربية", "fr": "Français", "en": "English"}
SEPARATOR = "&nbsp;" * 4  # the ticker's separator, after every headline
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class Teaser:
    href: str
    title: str
    date: str  # DD - MM - YYYY
    text: str  # ends with " (...)"


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def dmy(day: dt.date, arabic_indic: bool = False) -> str:
    text = f"{day.day:02d} - {day.month:02d} - {day.year}"
    return text.translate(_INDIC) if arabic_indic else text


def teaser_text(words: str, count: int) -> str:
    return " ".join(words.split()[:count]) + " (...)"


def ticker(links: list[tuple[str, str]]) -> str:
    anchors = "".join(f'<a href="{attr(href)}">{esc(text)}</a>{SEPARATOR}' for href, text in links)
    return (
        '<div id="ticker" class="newsticker"><marquee scrollamount="3" direction="left"'
        f' onmouseover="this.stop()" onmouseout="this.start()">{anchors}</marquee></div>'
    )


def frame(
    site: Site, ed: Edition, *, title: str, main: str, ticker_html: str, mostread: list[tuple[str, str]],
    meta: str = '<meta charset="utf-8">', description: str | None = None,
) -> str:
    ui, pre = UI[ed.code], ed.prefix
    others = " | ".join(
        f'<a href="/{PREFIX[code]}">{EDITION_LINK[code]}</a>' for code in site.site_editions if code != ed.code
    )
    papers = " | ".join(f'<a href="/{pre}{o.slug}">{esc(o.name)}</a>' for o in ed.outlets)
    most = "\n".join(f'<li><a href="{attr(h)}">{esc(t)}</a></li>' for h, t in mostread)
    desc = f'<meta name="description" content="{attr(description)}" />\n' if description else ""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="{ed.code}" dir="{ui['dir']}">
<head>
{meta}
<title>{esc(title)} - {site.title}</title>
{desc}<link rel="alternate" type="application/rss+xml" title="{site.title}" href="/{pre}rss" />
<link rel="stylesheet" type="text/css" href="/css/style{'_ar' if ed.code == 'ar' else ''}.css?v=3" />
<script type="text/javascript" src="/js/jquery-1.4.2.min.js"></script>
</head>
<body>
<div id="wrapper">
<div id="header">
<div id="logo"><a href="/{pre}"><img src="/images/logo_{ed.code}.png" alt="{site.title}" border="0" /></a></div>
<div id="topmenu"><a href="/{pre}">{ui['home']}</a> | {others + ' | ' if others else ''}<a href="/{pre}rss">RSS</a>
<form action="/{pre}search" method="get" style="display:inline"><input type="text" name="q" size="18" /><input type="submit" value="{ui['search']}" /></form></div>
<div id="newspapers"><b>{ui['papers']}</b> : {papers}</div>
</div>
{ticker_html}
<div id="content">
<div id="main">
{main}
</div>
<div id="sidebar">
<div class="box"><h3>{ui['mostread']}</h3>
<ul class="mostread">
{most}
</ul>
</div>
<div class="box ad"><script type="text/javascript">google_ad_client = "pub-0000000"; google_ad_width = 300;</script></div>
</div>
</div>
<div id="footer">
<a href="/{pre}about">{ui['about']}</a> - <a href="/{pre}contact">{ui['contact']}</a> - <a href="/{pre}rss">RSS</a><br />
&copy; {site.title} 2008-2021 - {ui['rights']}
</div>
</div>
</body>
</html>
"""


# --- article pages ------------------------------------------------------------------------
def _paragraph_markup(art: Article) -> list[str]:
    return list(art.paragraphs_html) if art.paragraphs_html else [esc(p) for p in art.paragraphs]


def _read_also_markup(art: Article) -> dict[int, str]:
    return {
        r.before: f'{esc(r.label)} <a href="{attr(r.href)}" target="_blank">{esc(r.headline)}</a>'
        for r in art.read_also
    }


def article_body(art: Article, ticker_text: str) -> str:
    """The ``span.articlecontent`` element(s) of an article, in the article's layout."""
    paras = _paragraph_markup(art)
    extra = _read_also_markup(art)
    ad = '<br /><br />\n<div class="inarticle-ad"><script type="text/javascript">show_ad(468, 60);</script></div>\n'
    if art.layout == "teaser":
        return f'<span class="articlecontent">{esc(teaser_text(" ".join(art.paragraphs), art.teaser_words))}</span>'
    blocks: list[str] = []
    for i, para in enumerate(paras):
        if i in extra:
            blocks.append(("read", extra[i]))
        blocks.append(("text", para))
    if len(paras) in extra:
        blocks.append(("read", extra[len(paras)]))
    if art.layout == "br":
        out = []
        for kind, text in blocks:
            out.append(f"<br />\n{text}<br />\n<br />\n" if kind == "read" else f"{text}<br />\n")
        return '<span class="articlecontent">' + "".join(out).removesuffix("<br />\n") + "</span>"
    if art.layout == "p":
        return '<span class="articlecontent">\n' + "".join(f"<p>{text}</p>\n" for _, text in blocks) + "</span>"
    if art.layout == "unclosed":  # <p> never closed, the stray <b> is in the paragraph markup
        return '<span class="articlecontent">\n' + "".join(f"<p>{text}\n" for _, text in blocks) + "</span>"
    if art.layout in ("spans", "banner"):
        spans = [f'<span class="articlecontent">{text}</span>\n' for _, text in blocks]
        if art.layout == "banner":
            spans.insert(0, f'<span class="articlecontent">{ticker_text}</span>\n')
        return ad.join(spans).rstrip("\n")
    raise ValueError(f"unknown layout {art.layout!r}")


def article_page(
    site: Site, ed: Edition, art: Article, *, ticker_html: str, ticker_text: str, mostread: list[tuple[str, str]],
) -> str:
    ui, outlet = UI[ed.code], ed.outlet(art.outlet)
    title = art.title_html if art.title_html is not None else esc(art.title)
    prefix, connector = ui["dateline"]
    date = dmy(art.day, art.arabic_indic)
    dateline = f'{prefix} <a href="/{ed.prefix}{outlet.slug}">{esc(outlet.name)}</a> {connector} {date}'
    image = (
        f'<div class="articleimage"><img src="https://images.{site.domain}/{outlet.slug}/{art.number}/thumb" alt="" />'
        f'<br /><a href="javascript:void(0)" onclick="flagImage({art.number});" class="flag">{ui["report"]}</a></div>\n'
        if art.image else ""
    )
    source = source_url(art, outlet)
    source_html = (
        f'<div class="articlesource"><a href="{attr(source)}" target="_blank" rel="nofollow" class="sourcelink">'
        f'{esc(ui["source"])}</a></div>\n' if source else ""
    )
    body = article_body(art, ticker_text)
    if art.layout == "unclosed":  # the dateline's <p><i> and the info <div> are never closed either
        info = f'<div class="articleinfo"><p><i><span class="articlenewspaper">{dateline}</span>\n'
    elif art.dateline:
        info = f'<div class="articleinfo"><span class="articlenewspaper">{dateline}</span></div>\n'
    else:
        info = '<div class="articleinfo"></div>\n'
    url = site.url(f"{ed.prefix}{outlet.slug}/{art.number}")
    main = f"""<div id="flagmsg" class="flagnotice" style="display:none">{esc(ui['flag'][0])}<br />
{esc(ui['flag'][1])}</div>
<div class="article">
<h1 class="title"><span class="articletitle">{title}</span></h1>
{info}{image}{body}
<br />
{source_html}<div class="share"><a href="https://www.facebook.com/sharer.php?u={url}">Facebook</a> <a href="https://twitter.com/share?url={url}">Twitter</a></div>
</div>"""
    return frame(
        site, ed, title=art.title or site.title, main=main, ticker_html=ticker_html, mostread=mostread,
        meta=art.meta, description=teaser_text(" ".join(art.paragraphs), art.teaser_words),
    )


def source_url(art: Article, outlet: Outlet) -> str | None:
    if art.source is None:
        return None
    return art.source or outlet.source.format(n=art.number)


# --- listings, home, feeds ----------------------------------------------------------------------
def teasers_html(ed: Edition, teasers: list[Teaser]) -> str:
    more = UI[ed.code]["more"]
    return "\n".join(
        f"""<div class="teaser">
<a class="teasertitle" href="{attr(t.href)}">{esc(t.title)}</a>
<span class="teaserdate">{t.date}</span>
<p class="teasertext">{esc(t.text)} <a class="more" href="{attr(t.href)}">{more}</a></p>
</div>"""
        for t in teasers
    )


def listing_main(ed: Edition, outlet: Outlet, teasers: list[Teaser], page: int, pages: int) -> str:
    ui, base = UI[ed.code], f"/{ed.prefix}{outlet.slug}"
    nav = []
    if page > 1:
        nav.append(f'<a class="prev" href="{base}{"" if page == 2 else f"?page={page - 1}"}">{ui["prev"]}</a>')
    if page < pages:
        nav.append(f'<a class="next" href="{base}?page={page + 1}">{ui["next"]}</a>')
    return f"""<h1 class="newspapertitle">{esc(outlet.name)} <a class="rss" href="{base}/rss"><img src="/images/rss.gif" alt="RSS" /></a></h1>
<div class="teasers" id="teasers">
{teasers_html(ed, teasers)}
</div>
<div class="pagination">{' '.join(nav)}</div>"""


def home_main(ed: Edition, teasers: list[Teaser], extras: list[Extra]) -> str:
    ui = UI[ed.code]
    papers = "\n".join(f'<li><a href="/{ed.prefix}{o.slug}">{esc(o.name)}</a></li>' for o in ed.outlets)
    links = "".join(f'<div class="adminlink"><a href="{attr(x.path)}">{esc(x.text)}</a></div>\n' for x in extras)
    return f"""<h2>{ui['latest']}</h2>
<div class="teasers">
{teasers_html(ed, teasers)}
</div>
<h2>{ui['papers']}</h2>
<ul class="papers">
{papers}
</ul>
{links}""".rstrip("\n")


def simple_main(heading: str, text: str) -> str:
    return f'<div class="page"><h1>{esc(heading)}</h1>\n<p>{esc(text)}</p></div>'


def rss(site: Site, ed: Edition, title: str, link: str, items: list[tuple[Article, str]]) -> str:
    """RSS 2.0; ``items`` are (article, link as written in the feed, raw)."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{xesc(title)}</title>",
        f"<link>{xesc(link)}</link>",
        f"<description>{site.title}</description>",
        f"<language>{ed.code}</language>",
    ]
    for art, href in items:
        outlet = ed.outlet(art.outlet)
        canonical = site.url(f"{ed.prefix}{outlet.slug}/{art.number}")
        when = dt.datetime.combine(art.day, dt.time(8 + art.number % 12, art.number % 60))
        when = when.replace(tzinfo=dt.datetime.strptime(site.tz, "%z").tzinfo)
        title_xml = art.title_html if art.title_html is not None else xesc(art.title)
        out += [
            "<item>",
            f"<title>{title_xml}</title>",
            f"<link>{href}</link>",
            f"<dc:creator>{xesc(outlet.name)}</dc:creator>",
            f"<description>{xesc(teaser_text(' '.join(art.paragraphs), art.teaser_words))}</description>",
            f"<pubDate>{format_datetime(when)}</pubDate>",
            f'<guid isPermaLink="true">{canonical}</guid>',
            "</item>",
        ]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def xesc(text: str) -> str:
    return html.escape(text, quote=False)


def redirect_page(location: str) -> str:
    return (
        "<html><head><title>301 Moved Permanently</title></head><body><h1>Moved Permanently</h1>"
        f'<p>The document has moved <a href="{attr(location)}">here</a>.</p></body></html>\n'
    )


def outlet_page(page: OutletPage) -> str:
    if page.kind == "redirect":
        return redirect_page(page.location or "/")
    if page.kind == "home":
        return outlet_home(page)
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in page.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{page.lang}">
<head>
<meta charset="utf-8">
<title>{esc(page.title)}</title>
</head>
<body>
<div class="site-header"><a href="/">{esc(page.host)}</a></div>
<article>
<h1>{esc(page.title)}</h1>
{paras}
</article>
<footer><a href="/">{esc(page.host)}</a></footer>
</body>
</html>
"""


def outlet_home(page: OutletPage) -> str:
    """An outlet's home page: a menu and a list of headlines, each with its first line."""
    items = "\n".join(
        f'<li><h2><a href="/article/{n}">{esc(h)}</a></h2><p>{esc(t)}</p></li>'
        for n, (h, t) in enumerate(zip(page.paragraphs[::2], page.paragraphs[1::2]), 1)
    )
    menu = "".join(f'<a href="/{m.lower()}">{m}</a> ' for m in ("Politique", "Economie", "Sport", "Culture", "Monde"))
    return f"""<!DOCTYPE html>
<html lang="{page.lang}">
<head>
<meta charset="utf-8">
<title>{esc(page.title)}</title>
</head>
<body>
<div class="site-header"><a href="/">{esc(page.host)}</a> <nav>{menu}</nav></div>
<main>
<ul class="headlines">
{items}
</ul>
</main>
<footer><a href="/">{esc(page.host)}</a></footer>
</body>
</html>
"""
