"""Write the ``pipelines`` replica snapshot: maghress (fr + ar) pages for the item pipelines.

Every text is written for newsbot (nothing copied from real pages). Run from the project
root: ``python tests/snapshots/pipelines/build_pipelines_snapshot.py`` (the same input gives
the same bytes). Cases: a banner pasted in a body (no-break spaces, empty items, trailing
separator), a line made of ticker headlines with plain spaces, an article quoting one
headline, template sentences glued to a paragraph and to a title (French and Arabic), "read
also" lines, a paragraph every Le Matin article repeats (learned boilerplate), an exact
duplicate, a near-duplicate by another outlet, a body that is only a banner (empty_body), a
missing title, and shared case NB-14 (a 503 then a 301 to an article linked directly too).
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

HOST = "www.maghress.com"
ROOT = Path(__file__).resolve().parent
NB = "&nbsp;" * 4

TICKER_FR = [
    "Le port de Tanger Med bat un record de conteneurs",
    "Rabat accueille un forum sur l'eau potable",
    "New tram line opens in Casablanca",
    "Marruecos inaugura una planta solar en Uarzazat",
    "La récolte d'olives s'annonce abondante à Meknès",
    "Un festival de jazz anime les ruelles d'Essaouira",
    "Heavy rain expected over the Rif this weekend",
]
MOST_READ_FR = [
    "Les prix du poisson baissent à Agadir",
    "Une nouvelle bibliothèque ouvre ses portes à Fès",
]
TICKER_AR = [
    "افتتاح سوق أسبوعي جديد في مدينة تازة",
    "ارتفاع منسوب المياه في سد الوحدة",
    "انطلاق حملة لتشجير ضواحي مدينة إفران",
    "تنظيم مهرجان للفروسية في الجديدة",
    "وصول أولى رحلات الصيف إلى مطار وجدة",
    "تدشين ملعب قرب حي شعبي في سلا",
]
FOLLOW = "Suivez Le Matin sur WhatsApp pour ne rien manquer de l'actualité du Royaume."

NEAR_TEXT = [
    "La commune de Chefchaouen a présenté mardi un plan pour rénover les fontaines de la médina,"
    " dont plusieurs ne coulent plus depuis des années faute d'entretien des conduites anciennes.",
    "Le projet prévoit de remplacer les canalisations en plomb, de nettoyer les bassins décorés de"
    " zellige et de former des artisans locaux aux techniques traditionnelles de restauration.",
    "Selon l'adjoint chargé du patrimoine, les travaux commenceront après la saison touristique et"
    " dureront environ huit mois, afin de ne pas gêner les visiteurs ni les commerçants du quartier.",
    "Les habitants seront consultés lors de trois réunions publiques organisées à la maison de la"
    " culture, où des plans détaillés de chaque fontaine seront affichés pendant tout le mois.",
]
# The copy of another outlet: three words changed.
NEAR_COPY = [p.replace("mardi", "lundi").replace("huit mois", "neuf mois").replace("trois réunions", "quatre réunions")
             for p in NEAR_TEXT]

# path -> article: title (raw, as in span.articletitle), outlet, raw body lines (HTML), gold
# title/body (None: no item), reason when not an item.
ARTICLES: list[dict] = [
    {
        "path": "/fr/h24info/500", "outlet": "H24 Info", "date": "03 - 05 - 2022",
        "title": "Les taxis de Rabat passent à l'électrique",
        "lines": [
            "La flotte de taxis de la capitale accueille ses premiers véhicules électriques cette semaine.",
            NB.join(TICKER_FR[:3]) + NB * 2 + NB.join(TICKER_FR[3:]) + NB,
            "Vingt bornes de recharge seront installées près des gares et des grands marchés.",
            "Lire aussi : Le port de Tanger Med bat un record de conteneurs",
        ],
        "body": [
            "La flotte de taxis de la capitale accueille ses premiers véhicules électriques cette semaine.",
            "Vingt bornes de recharge seront installées près des gares et des grands marchés.",
        ],
        "cases": ["banner_in_body", "read_also"],
    },
    {
        "path": "/fr/h24info/501", "outlet": "H24 Info", "date": "04 - 05 - 2022",
        "title": "Merci d'avoir signalé! Un marché couvert pour les pêcheurs d'Al Hoceima",
        "gold_title": "Un marché couvert pour les pêcheurs d'Al Hoceima",
        "lines": [
            "Les pêcheurs artisanaux d'Al Hoceima disposeront d'un marché couvert dès l'automne prochain.",
            " ".join(TICKER_FR[4:6]),
            "Le bâtiment comptera quarante étals et une chambre froide partagée."
            " Cliquez ici pour lire l'article depuis sa source.",
        ],
        "body": [
            "Les pêcheurs artisanaux d'Al Hoceima disposeront d'un marché couvert dès l'automne prochain.",
            "Le bâtiment comptera quarante étals et une chambre froide partagée.",
        ],
        "cases": ["headline_line", "template_glued", "title_template"],
    },
    {
        "path": "/fr/h24info/502", "outlet": "H24 Info", "date": "05 - 05 - 2022",
        "title": "Le jazz revient à Essaouira",
        "lines": [
            f"Les organisateurs ont confirmé la nouvelle sous le titre « {TICKER_FR[5]} », publié jeudi.",
            "Une vingtaine de concerts gratuits sont prévus sur les places de la ville.",
        ],
        "body": [
            f"Les organisateurs ont confirmé la nouvelle sous le titre « {TICKER_FR[5]} », publié jeudi.",
            "Une vingtaine de concerts gratuits sont prévus sur les places de la ville.",
        ],
        "cases": ["quotes_one_headline"],
    },
    {
        "path": "/fr/h24info/503", "outlet": "H24 Info", "date": "05 - 05 - 2022",
        "title": "Dernières nouvelles",
        "lines": [NB.join(TICKER_FR) + NB],
        "reason": "empty_body",
    },
    {
        "path": "/fr/fnh/600", "outlet": "FNH", "date": "06 - 05 - 2022",
        "title": "",
        "lines": ["Un texte sans titre sur la conjoncture économique du trimestre."],
        "reason": "missing_title",
    },
    {
        "path": "/fr/lematin/700", "outlet": "Le Matin", "date": "07 - 05 - 2022",
        "title": "Chefchaouen veut rénover les fontaines de sa médina",
        "lines": [*NEAR_TEXT, FOLLOW],
        "body": NEAR_TEXT,
        "cases": ["learned_boilerplate", "has_near_duplicate"],
        "duplicates": ["https://www.maghress.com/fr/le360/900"],
    },
    {
        "path": "/fr/le360/900", "outlet": "Le360", "date": "08 - 05 - 2022",
        "title": "Les fontaines de la médina de Chefchaouen bientôt restaurées",
        "lines": NEAR_COPY,
        "reason": "near_duplicate",
        "duplicate_of": "https://www.maghress.com/fr/lematin/700",
    },
]
LEMATIN_STORIES = [
    ("701", "Une piste cyclable relie Salé à Rabat", "La nouvelle piste cyclable longe le fleuve sur sept kilomètres."),
    ("702", "Une piste cyclable relie Salé à Rabat", "La nouvelle piste cyclable longe le fleuve sur sept kilomètres."),
    ("703", "Ouverture d'un musée de la radio à Casablanca", "Le musée expose des postes anciens donnés par des familles."),
    ("704", "Les cigognes de retour à Marrakech", "Des centaines de nids ont été recensés sur les remparts."),
    ("705", "Un concours de robotique pour les lycéens", "Trente équipes se sont inscrites pour la finale régionale."),
    ("706", "La gare d'Oujda fait peau neuve", "Les quais ont été allongés pour accueillir des trains plus longs."),
]
for number, title, text in LEMATIN_STORIES:
    article = {
        "path": f"/fr/lematin/{number}", "outlet": "Le Matin", "date": "09 - 05 - 2022", "title": title,
        "lines": [text, FOLLOW], "body": [text], "cases": ["learned_boilerplate"],
    }
    if number == "702":
        article.update(body=None, reason="duplicate_of", duplicate_of="https://www.maghress.com/fr/lematin/701")
    if number == "701":
        article["duplicates"] = ["https://www.maghress.com/fr/lematin/702"]
    ARTICLES.append(article)
ARTICLES += [
    {
        "path": "/fr/lesiteinfo/300", "outlet": "Le Site Info", "date": "10 - 05 - 2022",
        "title": "Un nouveau pont sur l'oued Bouregreg",
        "lines": ["Le pont, long de trois cents mètres, sera ouvert aux piétons le mois prochain."],
        "body": ["Le pont, long de trois cents mètres, sera ouvert aux piétons le mois prochain."],
        "cases": ["NB-14"],
    },
    {
        "path": "/alalam/800", "outlet": "العلم", "date": "11 - 05 - 2022",
        "title": "افتتاح مكتبة عمومية جديدة في الرباط",
        "lines": [
            "افتتحت وزارة الثقافة مكتبة عمومية جديدة تضم أكثر من عشرين ألف كتاب.",
            "إقرأ أيضاً: ارتفاع منسوب المياه في سد الوحدة",
            " ".join(TICKER_AR[2:5]),
            "وتفتح المكتبة أبوابها طيلة أيام الأسبوع. اضغط هنا لقراءة الخبر من مصدره",
        ],
        "body": [
            "افتتحت وزارة الثقافة مكتبة عمومية جديدة تضم أكثر من عشرين ألف كتاب.",
            "وتفتح المكتبة أبوابها طيلة أيام الأسبوع.",
        ],
        "cases": ["read_also", "headline_line", "template_glued"],
    },
    {
        "path": "/alalam/801", "outlet": "العلم", "date": "12 - 05 - 2022",
        "title": "شكرا على التبليغ! حملة لتنظيف شواطئ الحسيمة",
        "gold_title": "حملة لتنظيف شواطئ الحسيمة",
        "lines": [
            "شارك مئات المتطوعين في حملة لتنظيف شواطئ الحسيمة قبل موسم الاصطياف.",
            NB.join(TICKER_AR) + NB * 2,
            "وجمع المشاركون أطنانا من البلاستيك.",
        ],
        "body": [
            "شارك مئات المتطوعين في حملة لتنظيف شواطئ الحسيمة قبل موسم الاصطياف.",
            "وجمع المشاركون أطنانا من البلاستيك.",
        ],
        "cases": ["banner_in_body", "title_template"],
    },
]
NB14_REDIRECT = "/fr/lesiteinfo/301"  # 503 first, then 301 to /fr/lesiteinfo/300


def page(lang: str, title: str, main: str, ticker: list[str], most_read: list[str]) -> str:
    direction = "rtl" if lang == "ar" else "ltr"
    # Ticker anchors point at articles of the snapshot round-robin (their text is another title).
    targets = [a["path"] for a in ARTICLES if a["path"].startswith("/fr/") == (lang == "fr")]
    links = "".join(f'<a href="{targets[i % len(targets)]}">{escape(h)}</a>{NB}' for i, h in enumerate(ticker))
    read = "".join(f'<li><a href="{targets[-1 - i]}">{escape(h)}</a></li>' for i, h in enumerate(most_read))
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)} - Maghress</title>\n</head>\n<body>\n"
        f'<div id="header"><a href="/">Maghress</a> | <a href="/fr/">Français</a></div>\n'
        f'<div id="ticker" class="newsticker"><marquee>{links}</marquee></div>\n'
        f'<div id="content">\n<div id="main">\n{main}\n</div>\n'
        f'<div id="sidebar"><ul class="mostread">{read}</ul></div>\n</div>\n'
        f'<div id="footer"><a href="/about">About</a></div>\n</body>\n</html>\n'
    )


def article_html(a: dict) -> str:
    lang = "ar" if not a["path"].startswith("/fr/") else "fr"
    slug = a["path"].split("/")[-2]
    dateline = (
        f'نشر في <a href="/{slug}">{escape(a["outlet"])}</a> يوم {a["date"]}' if lang == "ar"
        else f'Publié dans <a href="/fr/{slug}">{escape(a["outlet"])}</a> le {a["date"]}'
    )
    closing = "اضغط هنا لقراءة الخبر من مصدره" if lang == "ar" else "Cliquez ici pour lire l'article depuis sa source."
    body = "<br /><br />".join(line if NB in line else escape(line) for line in a["lines"])
    flag = "شكرا على التبليغ!" if lang == "ar" else "Merci d'avoir signalé!"
    main = (
        f'<div id="flagmsg" class="flagnotice" style="display:none">{flag}</div>\n<div class="article">\n'
        f'<h1 class="title"><span class="articletitle">{escape(a["title"])}</span></h1>\n'
        f'<div class="articleinfo"><span class="articlenewspaper">{dateline}</span></div>\n'
        f'<span class="articlecontent">{body}</span>\n'
        f'<div class="articlesource"><a href="https://source.example.ma{a["path"]}" class="sourcelink">{closing}</a></div>\n'
        "</div>"
    )
    ticker, most = (TICKER_AR, []) if lang == "ar" else (TICKER_FR, MOST_READ_FR)
    return page(lang, a["title"] or "Maghress", main, ticker, most)


def home_html(lang: str) -> str:
    entries = [a for a in ARTICLES if a["path"].startswith("/fr/") == (lang == "fr")]
    teasers = "".join(
        f'<div class="teaser"><a class="teasertitle" href="{a["path"]}">{escape(a["title"] or "?")}</a>'
        f' <span class="teaserdate">{a["date"]}</span></div>\n'
        for a in entries
    )
    if lang == "fr":
        teasers += f'<div class="teaser"><a class="teasertitle" href="{NB14_REDIRECT}">Un pont</a></div>\n'
    main = f'<h2>{"Accueil" if lang == "fr" else "الرئيسية"}</h2>\n{teasers}'
    ticker, most = (TICKER_FR, MOST_READ_FR) if lang == "fr" else (TICKER_AR, [])
    return page(lang, "Maghress", main, ticker, most)


def gold_records() -> tuple[list[dict], list[dict]]:
    articles, rejects = [], []
    for a in ARTICLES:
        url = f"https://{HOST}{a['path']}"
        if a.get("body"):
            edition = "fr" if a["path"].startswith("/fr/") else "ar"
            day, month, year = (part.strip() for part in a["date"].split("-"))
            record = {
                "site": "maghress", "edition": edition, "url": url, "title": a.get("gold_title", a["title"]),
                "outlet": a["outlet"], "outlet_slug": a["path"].split("/")[-2], "published": f"{year}-{month}-{day}",
                "language": edition, "body": "\n\n".join(a["body"]), "source_url": f"https://source.example.ma{a['path']}",
                "cases": a.get("cases", []),
            }
            if a.get("duplicates"):
                record["duplicates"] = a["duplicates"]
            articles.append(record)
        else:
            reject = {"url": url, "reason": a["reason"]}
            if a.get("duplicate_of"):
                reject["duplicate_of"] = a["duplicate_of"]
            rejects.append(reject)
    rejects.append({"url": f"https://{HOST}/fr/lesiteinfo/300", "reason": "duplicate_url",
                    "duplicate_of": f"https://{HOST}/fr/lesiteinfo/300", "note": "NB-14: reached again by retry + redirect"})
    return articles, rejects


def build(root: Path = ROOT) -> None:
    files = root / "files" / HOST
    entries = []

    def add(path: str, body: str, kind: str, status: int = 200, content_type: str = "text/html; charset=utf-8",
            **extra: object) -> None:
        name = (path.strip("/") or "index").replace("/", "__") + (".html" if "html" in content_type else "")
        (files / name).write_text(body, encoding="utf-8")
        entry = {"host": HOST, "path": path, "status": status, "headers": {"Content-Type": content_type},
                 "file": f"files/{HOST}/{name}", "kind": kind, **extra}
        entries.append(entry)

    files.mkdir(parents=True, exist_ok=True)
    for old in files.iterdir():
        old.unlink()
    add("/robots.txt", "User-agent: *\nDisallow: /search\n", "robots", content_type="text/plain; charset=utf-8")
    add("/", home_html("ar"), "home")
    add("/fr/", home_html("fr"), "home")
    for a in ARTICLES:
        add(a["path"], article_html(a), "article")
    add(NB14_REDIRECT, "<html><body>Moved</body></html>\n", "redirect", status=301, sequence=[503, 301])
    entries[-1]["headers"]["Location"] = f"https://{HOST}/fr/lesiteinfo/300"
    manifest = {
        "snapshot": "pipelines",
        "generator": "tests/snapshots/pipelines/build_pipelines_snapshot.py",
        "default_host": HOST,
        "sites": [{"site": "maghress.com", "host": HOST, "aliases": ["maghress.com"], "kind": "aggregator",
                   "editions": ["fr", "ar"]}],
        "entries": entries,
    }
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    articles, rejects = gold_records()
    gold = root / "gold"
    gold.mkdir(exist_ok=True)
    for name, records in (("articles.jsonl", articles), ("rejects.jsonl", rejects)):
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        (gold / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    build()
