"""A small maghress replica with texts of our own, written at test time (cluster tests).

Same layout as ``../shared/sites`` (``manifest.json``, ``files/``, ``gold/``), served by
:class:`newsbot.demo.replica.ReplicaServer`, so the cluster tests run without ``../shared``.
French edition (three outlets) and Arabic edition (two outlets), listings of two pages,
site RSS feeds, a ticker and a "most read" box on every page, robots.txt, and the cases
the cluster must keep right: an article answering 503 then 200, an article answering
404, an exact duplicate under a second id, a page disallowed by robots.txt.

All texts are generated here from phrase lists written for these tests (neutral local
news); nothing is copied from elsewhere. The output is deterministic.
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "www.maghress.com"

FR_OUTLETS = {"rabatinfo": "Rabat Info", "soussmatin": "Souss Matin", "atlaseco": "Atlas Éco"}
AR_OUTLETS = {"nabdchamal": "نبض الشمال", "sawtjanoub": "صوت الجنوب"}
PER_OUTLET = 8
PAGE_SIZE = 5

_FR = {
    "cities": ["Agadir", "Tétouan", "Oujda", "Safi", "Errachidia", "Larache", "Khouribga", "Essaouira",
               "Ifrane", "Nador", "Taza", "Guelmim"],
    "subjects": ["Le conseil communal de {c}", "L'association des commerçants de {c}", "Le club de football de {c}",
                 "La chambre d'agriculture de {c}", "L'office du tourisme de {c}", "La bibliothèque municipale de {c}"],
    "verbs": ["a présenté", "a inauguré", "a annoncé", "prépare", "a lancé", "a dévoilé"],
    "objects": ["un programme de rénovation des marchés couverts", "une campagne de plantation d'arbres",
                "un festival de musique andalouse", "un nouveau circuit de bus", "des ateliers d'initiation au numérique",
                "un plan d'entretien des routes rurales", "une exposition de photographies anciennes",
                "un tournoi de jeunes", "un centre d'accueil pour les randonneurs", "une étude sur la gestion de l'eau"],
    "times": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "en début de semaine"],
    "details": ["Le budget prévu s'élève à {n} millions de dirhams.", "Les travaux doivent durer {n} mois selon les responsables.",
                "Près de {n} habitants ont assisté à la réunion de présentation.", "Les inscriptions restent ouvertes pendant {n} jours.",
                "Le projet mobilisera {n} techniciens et bénévoles.", "Une seconde phase est envisagée d'ici {n} ans."],
    "quotes": ["« Nous voulons avancer vite et bien », a déclaré un responsable local.",
               "Les habitants du quartier attendaient cette annonce depuis longtemps.",
               "Un premier bilan sera présenté à la fin de l'année.",
               "Les élus de l'opposition ont demandé plus de transparence sur le calendrier.",
               "Des partenaires privés pourraient rejoindre l'initiative."],
}
_AR = {
    "cities": ["أكادير", "تطوان", "وجدة", "آسفي", "الرشيدية", "العرائش", "خريبكة", "الصويرة", "إفران", "الناظور",
               "تازة", "كلميم"],
    "subjects": ["المجلس الجماعي لمدينة {c}", "نادي {c} لكرة القدم", "المكتب الإقليمي للسياحة في {c}",
                 "المركز الثقافي في {c}", "فريق من طلبة {c}"],
    "verbs": ["أعلن", "أطلق", "قدم", "دشن", "أنهى"],
    # (in the body, in a title)
    "objects": [("برنامجا لإصلاح الأسواق المغطاة", "برنامج لإصلاح الأسواق المغطاة"),
                ("حملة لغرس الأشجار", "حملة لغرس الأشجار"),
                ("مهرجانا للموسيقى الأندلسية", "مهرجان للموسيقى الأندلسية"),
                ("خطا جديدا للحافلات", "خط جديد للحافلات"),
                ("ورشات للتكوين في المجال الرقمي", "ورشات للتكوين في المجال الرقمي"),
                ("مخططا لصيانة الطرق القروية", "مخطط لصيانة الطرق القروية"),
                ("معرضا للصور القديمة", "معرض للصور القديمة"),
                ("دوريا لكرة القدم للشباب", "دوري لكرة القدم للشباب")],
    "times": ["يوم الاثنين", "يوم الثلاثاء", "يوم الأربعاء", "يوم الخميس", "يوم الجمعة", "يوم السبت"],
    "details": ["وتبلغ الميزانية المرصودة {n} مليون درهم.", "ومن المنتظر أن تستمر الأشغال {n} أشهر حسب المسؤولين.",
                "وحضر اللقاء التقديمي نحو {n} من السكان.", "ويظل باب التسجيل مفتوحا لمدة {n} يوما.",
                "وسيشارك في المشروع {n} من التقنيين والمتطوعين."],
    "quotes": ["وقال مسؤول محلي إن الهدف هو التقدم بسرعة وبجودة.", "وكان سكان الحي ينتظرون هذا الإعلان منذ مدة طويلة.",
               "ومن المقرر تقديم حصيلة أولى في نهاية السنة.", "وطالب منتخبو المعارضة بمزيد من الشفافية حول الجدول الزمني.",
               "وقد ينضم شركاء من القطاع الخاص إلى المبادرة."],
}


@dataclass(eq=False)
class Article:
    edition: str
    slug: str
    number: int
    title: str
    outlet: str
    day: str  # DD - MM - YYYY
    paragraphs: list[str]
    source_url: str
    status: int = 200
    sequence: list[int] | None = None
    duplicates: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/{'fr/' if self.edition == 'fr' else ''}{self.slug}/{self.number}"

    @property
    def url(self) -> str:
        return f"https://{HOST}{self.path}"

    def gold(self) -> dict[str, Any]:
        d, m, y = (part.strip() for part in self.day.split("-"))
        record = {
            "site": "maghress", "edition": self.edition, "url": self.url, "title": self.title,
            "outlet": self.outlet, "outlet_slug": self.slug, "published": f"{y}-{m}-{d}",
            "language": self.edition, "body": "\n\n".join(self.paragraphs), "source_url": self.source_url,
        }
        if self.duplicates:
            record["duplicates"] = self.duplicates
        return record


def _articles(rng: random.Random) -> list[Article]:
    articles: list[Article] = []
    for edition, outlets, words in (("fr", FR_OUTLETS, _FR), ("ar", AR_OUTLETS, _AR)):
        pairs = [(c, o) for c in words["cities"] for o in range(len(words["objects"]))]
        rng.shuffle(pairs)
        for o_index, (slug, outlet) in enumerate(outlets.items()):
            for i in range(PER_OUTLET):
                city, obj = pairs.pop()
                number = 400000 + 1000 * o_index + 10 * i + (1 if edition == "ar" else 0) * 100000
                day = f"{1 + (o_index * PER_OUTLET + i) % 27:02d} - 03 - 2025"
                articles.append(_article(rng, words, edition, slug, outlet, number, city, obj, day))
    return articles


def _article(rng: random.Random, w: dict, edition: str, slug: str, outlet: str, number: int,
             city: str, obj: int, day: str) -> Article:
    n = [rng.randint(3, 900) for _ in range(3)]
    subject = rng.choice(w["subjects"]).format(c=city)
    details = rng.sample(w["details"], 3)
    quotes = rng.sample(w["quotes"], 2)
    if edition == "fr":
        body_obj = title_obj = w["objects"][obj]
        lead = f"{subject} {rng.choice(w['verbs'])} {rng.choice(w['times'])} {body_obj}, annonce {outlet} le {day.replace(' ', '')}."
    else:
        body_obj, title_obj = w["objects"][obj]
        lead = f"{rng.choice(w['verbs'])} {subject} {rng.choice(w['times'])} {body_obj}، حسب ما أورده موقع {outlet}."
    paragraphs = [
        f"{lead} {details[0].format(n=n[0])}",
        f"{quotes[0]} {details[1].format(n=n[1])}",
        f"{details[2].format(n=n[2])} {quotes[1]} ({number})",
    ]
    title = f"{city} : {title_obj[0].upper()}{title_obj[1:]}" if edition == "fr" else f"{city}: {title_obj}"
    return Article(edition, slug, number, title, outlet, day, paragraphs, f"https://www.{slug}.example/article-{number}")


# --- pages -------------------------------------------------------------------------------
def _page(edition: str, title: str, main: str, ticker: list[Article], most_read: list[Article]) -> str:
    fr = edition == "fr"
    home, outlets = ("/fr/", FR_OUTLETS) if fr else ("/", AR_OUTLETS)
    prefix = "/fr" if fr else ""
    menu = " | ".join(f'<a href="{prefix}/{s}">{html.escape(n)}</a>' for s, n in outlets.items())
    marquee = "".join(f'<a href="{a.path}">{html.escape(a.title)}</a>&nbsp;&nbsp;&nbsp;&nbsp;' for a in ticker)
    read = "".join(f'<li><a href="{a.path}">{html.escape(a.title)}</a></li>' for a in most_read)
    return f"""<!DOCTYPE html>
<html lang="{edition}" dir="{'ltr' if fr else 'rtl'}">
<head><meta charset="utf-8"><title>{html.escape(title)} - Maghress</title></head>
<body><div id="wrapper">
<div id="header"><div id="logo"><a href="{home}">Maghress</a></div>
<div id="topmenu"><a href="{home}">{'Accueil' if fr else 'الرئيسية'}</a> | <a href="{prefix}/rss">RSS</a></div>
<div id="newspapers">{menu}</div></div>
<div id="ticker" class="newsticker"><marquee>{marquee}</marquee></div>
<div id="content"><div id="main">
{main}
</div>
<div id="sidebar"><div class="box"><h3>{'Les plus lus' if fr else 'الأكثر قراءة'}</h3><ul class="mostread">{read}</ul></div></div>
</div>
<div id="footer"><a href="{prefix}/about">{'Qui sommes-nous' if fr else 'من نحن'}</a></div>
</div></body></html>
"""


def _article_main(a: Article) -> str:
    fr = a.edition == "fr"
    prefix = "/fr" if fr else ""
    dateline = (f'Publié dans <a href="{prefix}/{a.slug}">{html.escape(a.outlet)}</a> le {a.day}' if fr
                else f'نشر في <a href="{prefix}/{a.slug}">{html.escape(a.outlet)}</a> يوم {a.day}')
    notice = ("Merci d'avoir signalé!<br />Cette image sera automatiquement bloquée après qu'elle soit signalée par plusieurs personnes."
              if fr else "شكرا على التبليغ!<br />سيتم حجب هذه الصورة تلقائيا بعد أن يتم التبليغ عنها من طرف عدة أشخاص.")
    closing = "Cliquez ici pour lire l'article depuis sa source." if fr else "اضغط هنا لقراءة الخبر من مصدره"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
    return f"""<div id="flagmsg" class="flagnotice" style="display:none">{notice}</div>
<div class="article">
<h1 class="title"><span class="articletitle">{html.escape(a.title)}</span></h1>
<div class="articleinfo"><span class="articlenewspaper">{dateline}</span></div>
<span class="articlecontent">
{body}
</span>
<div class="articlesource"><a href="{a.source_url}" class="sourcelink" rel="nofollow">{closing}</a></div>
</div>"""


def _listing_main(title: str, entries: list[Article], next_href: str | None, edition: str) -> str:
    teasers = "\n".join(
        f'<div class="teaser"><a class="teasertitle" href="{a.path}">{html.escape(a.title)}</a>'
        f'<span class="teaserdate">{a.day}</span><p class="teasertext">{html.escape(a.paragraphs[0][:90])} (...)</p></div>'
        for a in entries
    )
    word = "Suivant" if edition == "fr" else "التالي"
    pagination = f'<a class="next" href="{next_href}">{word}</a>' if next_href else ""
    return f'<h1 class="newspapertitle">{html.escape(title)}</h1>\n<div class="teasers">\n{teasers}\n</div>\n<div class="pagination">{pagination}</div>'


def _rss(edition: str, entries: list[Article]) -> str:
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{a.url}</link><dc:creator>{html.escape(a.outlet)}</dc:creator>"
        f"<description>{html.escape(a.paragraphs[0][:90])} (...)</description><guid>{a.url}</guid></item>\n"
        for a in entries
    )
    home = f"https://{HOST}/fr/" if edition == "fr" else f"https://{HOST}/"
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Maghress</title><link>{home}</link><description>Maghress</description>\n{items}</channel></rss>\n")


def build_snapshot(root: Path, *, sequences: dict[str, list[int]] | None = None, copies: int = 1) -> Path:
    """Write the snapshot under ``root`` and return ``root``.

    ``sequences`` maps an article path to the statuses its n-th requests get (the last
    repeats), e.g. ``{"/fr/rabatinfo/400010": [503, 503, 503, 200]}``. ``copies``: how
    many articles have an exact copy under a second id of their outlet (listed on the
    outlet's last listing page).
    """
    rng = random.Random(20250301)
    articles = _articles(rng)
    by_edition = {ed: [a for a in articles if a.edition == ed] for ed in ("fr", "ar")}
    # the cases: 503 then 200; a 404 teaser; exact duplicates under another id
    fr = by_edition["fr"]
    fr[1].sequence = [503, 200]
    fr[2].status = 404
    originals = [a for a in articles if a is not fr[1] and a is not fr[2]][4 : 4 + copies]
    copied: list[Article] = []
    for original in originals:
        copy = Article(original.edition, original.slug, original.number + 5, original.title, original.outlet,
                       original.day, list(original.paragraphs), original.source_url)
        original.duplicates = [copy.url]
        copied.append(copy)
        by_edition[copy.edition].append(copy)
    articles.extend(copied)
    for path, seq in (sequences or {}).items():
        next(a for a in articles if a.path == path).sequence = list(seq)

    entries: list[dict[str, Any]] = []
    files = root / "files"

    def add(path: str, body: str, kind: str, ctype: str = "text/html; charset=utf-8", status: int = 200,
            sequence: list[int] | None = None) -> None:
        name = path.strip("/").replace("?", "_") or "index"
        file = files / f"{name}.{'xml' if 'xml' in ctype else 'txt' if 'plain' in ctype else 'html'}"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(body, encoding="utf-8")
        entry = {"host": HOST, "path": path, "status": status, "headers": {"Content-Type": ctype},
                 "file": file.relative_to(root).as_posix(), "kind": kind}
        if sequence:
            entry["sequence"] = sequence
        entries.append(entry)

    for edition, outlets in (("fr", FR_OUTLETS), ("ar", AR_OUTLETS)):
        own = by_edition[edition]
        prefix = "/fr" if edition == "fr" else ""
        ticker, most_read = own[-6:], own[:4]
        latest = sorted(own, key=lambda a: a.number, reverse=True)
        home_main = _listing_main("Maghress", latest[:6], None, edition)
        if edition == "fr":
            home_main += '\n<p><a href="/fr/admin/">Administration</a></p>'
        add(f"{prefix}/", _page(edition, "Maghress", home_main, ticker, most_read), "home")
        add(f"{prefix}/rss", _rss(edition, latest[:10]), "rss", "application/rss+xml; charset=utf-8")
        for slug, name in outlets.items():
            listed = [a for a in own if a.slug == slug and a not in copied]
            pages = [listed[i:i + PAGE_SIZE] for i in range(0, len(listed), PAGE_SIZE)]
            pages[-1].extend(a for a in copied if a.slug == slug and a.edition == edition)
            for p, chunk in enumerate(pages, start=1):
                path = f"{prefix}/{slug}" + (f"?page={p}" if p > 1 else "")
                next_href = f"{prefix}/{slug}?page={p + 1}" if p < len(pages) else None
                add(path, _page(edition, name, _listing_main(name, chunk, next_href, edition), ticker, most_read), "listing")
        for a in own:
            page = _page(edition, a.title, _article_main(a), ticker, most_read)
            add(a.path, page, "article" if a.status == 200 else "error", status=a.status, sequence=a.sequence)
    add("/robots.txt", "User-agent: *\nDisallow: /fr/admin/\nDisallow: /search\n", "robots", "text/plain; charset=utf-8")
    add("/fr/admin/", "<html><body>admin</body></html>", "admin")

    manifest = {"snapshot": "cluster", "generator": "tests/cluster_snapshot.py", "default_host": HOST,
                "sites": [{"site": "maghress.com", "host": HOST, "aliases": ["maghress.com"], "kind": "aggregator",
                           "editions": ["fr", "ar"]}],
                "entries": entries}
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    gold = root / "gold"
    gold.mkdir(parents=True, exist_ok=True)
    golds = [a.gold() for a in articles if a.status == 200 and a not in copied]
    rejects = [{"url": c.url, "reason": "duplicate_of", "duplicate_of": o.url, "either_may_be_kept": True}
               for o, c in zip(originals, copied)]
    rejects += [{"url": fr[2].url, "reason": "http_error"},
                {"url": f"https://{HOST}/fr/admin/", "reason": "robots_disallowed"}]
    for name, rows in (("articles.jsonl", golds), ("rejects.jsonl", rejects)):
        (gold / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return root
