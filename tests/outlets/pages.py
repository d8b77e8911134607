"""Outlet pages made up for the tests of :mod:`newsbot.outlets`: an article in French and one in
Arabic (right to left) inside the furniture of a real news site (navigation, header, related
links, comments, footer), a listing page, a home page and a paywall stub. All text is invented.

Each builder returns the page's HTML; the article builders also return the paragraphs the
extractor must give, in order.
"""

from __future__ import annotations

from html import escape

FRENCH_TITLE = "Le port de Tanger Med dépasse les dix millions de conteneurs"
FRENCH_PARAGRAPHS = (
    "Le port de Tanger Med a franchi cette année le cap des dix millions de conteneurs traités, "
    "un seuil que la direction n'attendait pas avant la fin de la décennie, selon un communiqué publié lundi.",
    "La hausse tient surtout au transbordement : les grandes compagnies maritimes y regroupent désormais "
    "leurs escales entre l'Asie, l'Europe du Nord et l'Afrique de l'Ouest, au détriment des ports voisins.",
    "« Nous avons gagné trois jours sur la rotation des navires depuis l'ouverture du deuxième terminal », "
    "a expliqué la directrice des opérations, qui évoque aussi la numérisation des formalités douanières.",
    "Les syndicats de dockers, eux, demandent que la croissance se traduise en embauches et en primes, "
    "et menacent d'un arrêt de travail si les négociations ouvertes en septembre n'aboutissent pas.",
    "Le ministère de l'Équipement prévoit un troisième terminal à l'horizon 2030, dont le financement "
    "reste à boucler avec des partenaires privés et deux banques de développement régionales.",
    "À Algésiras, de l'autre côté du détroit, les autorités portuaires reconnaissent une baisse de leur "
    "trafic et préparent un plan de modernisation de leurs quais pour regagner les armateurs partis.",
)
ARABIC_TITLE = "افتتاح المكتبة الجهوية الجديدة في مدينة وجدة"
ARABIC_PARAGRAPHS = (
    "افتتحت صباح اليوم المكتبة الجهوية الجديدة في مدينة وجدة، بعد ثلاث سنوات من الأشغال، "
    "وتضم أكثر من مئة ألف كتاب ومخطوط في مختلف مجالات المعرفة والأدب والتاريخ.",
    "وقال مدير المكتبة إن المبنى الجديد يوفر قاعات للمطالعة مفتوحة طوال أيام الأسبوع، "
    "إضافة إلى فضاء خاص بالأطفال وورشات للقراءة يؤطرها متطوعون من طلبة الجامعة.",
    "وأوضح أن جزءا من المخطوطات القديمة سيخضع للترميم والرقمنة بشراكة مع مؤسسات وطنية، "
    "حتى يتمكن الباحثون من الاطلاع عليها عن بعد دون الإضرار بالنسخ الأصلية.",
    "ورحب عدد من سكان المدينة بهذا المشروع الثقافي، معتبرين أنه يسد خصاصا طال انتظاره، "
    "خاصة لدى التلاميذ الذين كانوا يضطرون إلى التنقل لمسافات طويلة بحثا عن المراجع.",
    "ومن المنتظر أن تحتضن المكتبة خلال الأشهر المقبلة معرضا للكتاب الجهوي ولقاءات مع كتاب "
    "وشعراء من المنطقة الشرقية، في إطار برنامج ثقافي يمتد على طول السنة.",
)


def _nav(words: list[str], lang_path: str) -> str:
    return "".join(f'<li><a href="/{lang_path}/{n}">{escape(w)}</a></li>' for n, w in enumerate(words))


def _related(items: list[str]) -> str:
    return "".join(f'<li><a href="/article/{900 + n}">{escape(t)}</a></li>' for n, t in enumerate(items))


def french_article() -> tuple[str, tuple[str, ...]]:
    """A French article page with site furniture, and its paragraphs."""
    body = "".join(f"<p>{escape(p)}</p>" for p in FRENCH_PARAGRAPHS)
    related = _related([
        "Grève des dockers : les négociations reprennent à Casablanca",
        "Le trafic aérien retrouve son niveau d'avant la crise",
        "Autoroute du Nord : les travaux de la sortie de Tétouan prennent du retard",
        "Pêche : la saison de la sardine s'ouvre avec un mois d'avance",
    ])
    comments = "".join(
        f'<li class="comment"><span class="author">Lecteur {n}</span><p>{escape(t)}</p></li>'
        for n, t in enumerate(["Très bonne nouvelle pour la région.", "Et les salaires des dockers ?",
                                "Il faudrait aussi parler de la route d'accès, saturée le week-end."])
    )
    html = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{escape(FRENCH_TITLE)} | Le Courrier du Détroit</title>
<meta property="og:title" content="{escape(FRENCH_TITLE)}"></head>
<body>
<header><a href="/" class="logo">Le Courrier du Détroit</a>
<nav><ul>{_nav(["Accueil", "Politique", "Économie", "Sport", "Culture", "Monde", "Contact"], "rubrique")}</ul></nav></header>
<main>
<article class="post">
<h1>{escape(FRENCH_TITLE)}</h1>
<div class="byline">Par Samia Benali, publié le 12 mars à 10 h 32</div>
<div class="share"><a href="/share/fb">Partager</a> <a href="/share/x">Tweeter</a> <a href="/share/mail">Envoyer</a></div>
<div class="article-body">{body}</div>
<div class="tags"><a href="/tag/ports">Ports</a> <a href="/tag/economie">Économie</a></div>
</article>
<aside class="related"><h2>À lire aussi</h2><ul>{related}</ul></aside>
<section class="comments"><h2>Commentaires (3)</h2><ul>{comments}</ul>
<form><textarea name="c"></textarea><button>Publier</button></form></section>
</main>
<footer><p>© Le Courrier du Détroit. Tous droits réservés.</p>
<ul>{_nav(["Mentions légales", "Publicité", "Nous contacter", "Abonnement"], "page")}</ul></footer>
</body></html>"""
    return html, FRENCH_PARAGRAPHS


def arabic_article() -> tuple[str, tuple[str, ...]]:
    """An Arabic article page (``dir="rtl"``) with site furniture, and its paragraphs."""
    body = "".join(f"<p>{escape(p)}</p>" for p in ARABIC_PARAGRAPHS)
    related = _related([
        "انطلاق الدورة الجديدة من المهرجان الدولي للراي",
        "تدشين محطة جديدة لمعالجة المياه العادمة",
        "الجامعة تعلن عن مباراة لتوظيف أساتذة باحثين",
        "ارتفاع أسعار الخضر في الأسواق المحلية",
    ])
    html = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{escape(ARABIC_TITLE)} - جريدة الشرق</title></head>
<body>
<header><a href="/" class="logo">جريدة الشرق</a>
<nav><ul>{_nav(["الرئيسية", "سياسة", "اقتصاد", "رياضة", "ثقافة", "مجتمع"], "qism")}</ul></nav></header>
<div class="container">
<article>
<h1>{escape(ARABIC_TITLE)}</h1>
<span class="date">الثلاثاء 12 مارس</span> <span class="author">بقلم: يوسف العلوي</span>
<div class="content">{body}</div>
</article>
<div class="related"><h3>اقرأ أيضا</h3><ul>{related}</ul></div>
<div id="comments"><h3>التعليقات</h3><div class="comment"><b>قارئ</b><p>مشروع مهم للمدينة وللشباب.</p></div></div>
</div>
<footer><p>جميع الحقوق محفوظة لجريدة الشرق</p><ul>{_nav(["من نحن", "اتصل بنا", "الإشهار"], "safha")}</ul></footer>
</body></html>"""
    return html, ARABIC_PARAGRAPHS


TEASERS = [
    ("Grève des dockers : les négociations reprennent à Casablanca",
     "Les représentants des dockers et la direction du port se retrouvent ce mardi après deux semaines de blocage."),
    ("Le trafic aérien retrouve son niveau d'avant la crise",
     "Les aéroports du pays ont accueilli plus de deux millions de passagers le mois dernier, un record."),
    ("Autoroute du Nord : les travaux prennent du retard",
     "La sortie de Tétouan ne sera pas livrée avant l'été, faute d'accord sur les expropriations."),
    ("Pêche : la saison de la sardine s'ouvre avec un mois d'avance",
     "Les bateaux de Safi et d'Essaouira ont repris la mer dès lundi, une première depuis dix ans."),
    ("Un nouveau musée d'art contemporain à Rabat",
     "Le bâtiment, dessiné par une architecte marocaine, ouvrira ses portes au public en octobre."),
    ("Football : le club de la ville remporte le derby",
     "Les joueurs ont dominé la seconde période et se sont imposés deux buts à un devant leur public."),
    ("Météo : des pluies attendues sur le Nord",
     "Les services météorologiques annoncent des averses orageuses pour la fin de la semaine."),
    ("Éducation : la réforme du baccalauréat présentée aux syndicats",
     "Le ministère veut réduire le nombre d'épreuves écrites et renforcer le contrôle continu."),
]


def _teaser_cards(level: str) -> str:
    return "".join(
        f'<div class="card"><{level}><a href="/article/{700 + n}">{escape(title)}</a></{level}>'
        f"<p>{escape(teaser)} <a href=\"/article/{700 + n}\">Lire la suite</a></p></div>"
        for n, (title, teaser) in enumerate(TEASERS)
    )


def listing_page() -> str:
    """A section page: eight teasers (linked headline, first lines), pagination, furniture."""
    pages = "".join(f'<a href="/rubrique/economie?page={n}">{n}</a> ' for n in range(1, 8))
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Économie | Le Courrier du Détroit</title></head>
<body><header><a href="/">Le Courrier du Détroit</a><nav><ul>{_nav(["Accueil", "Politique", "Économie", "Sport"], "rubrique")}</ul></nav></header>
<main><h1>Économie</h1><section class="list">{_teaser_cards("h2")}</section><div class="pagination">{pages}</div></main>
<footer><p>© Le Courrier du Détroit. Tous droits réservés.</p></footer></body></html>"""


def home_page() -> str:
    """A home page: a lead story teaser, then blocks of teasers by section, furniture."""
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Le Courrier du Détroit : l'actualité du Nord</title></head>
<body><header><a href="/">Le Courrier du Détroit</a><nav><ul>{_nav(["Accueil", "Politique", "Économie", "Sport", "Culture"], "rubrique")}</ul></nav></header>
<main>
<section class="une"><h2><a href="/article/1">{escape(FRENCH_TITLE)}</a></h2><p>{escape(FRENCH_PARAGRAPHS[0])}</p></section>
<section class="economie"><h2>Économie</h2>{_teaser_cards("h3")}</section>
<section class="plus-lus"><h2>Les plus lus</h2><ol>{_related([t for t, _ in TEASERS[:5]])}</ol></section>
</main><footer><p>© Le Courrier du Détroit. Tous droits réservés.</p></footer></body></html>"""


PAYWALL_TEASER = ("La compagnie nationale a signé pour douze appareils moyen-courriers, "
                  "dont les premiers seront livrés au printemps")


def paywall_stub() -> str:
    """A subscriber-only article: title, the first sentence, the subscription box, and the
    schema.org markup of a closed article."""
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Aviation : une commande de douze avions | Le Courrier du Détroit</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Aviation : une commande de douze avions", "isAccessibleForFree": false,
"hasPart": {{"@type": "WebPageElement", "isAccessibleForFree": false, "cssSelector": ".locked"}}}}</script></head>
<body><header><a href="/">Le Courrier du Détroit</a><nav><ul>{_nav(["Accueil", "Économie", "Sport"], "rubrique")}</ul></nav></header>
<main><article><h1>Aviation : une commande de douze avions</h1>
<p class="chapo">{escape(PAYWALL_TEASER)}.</p>
<div class="locked"><p>Cet article est réservé aux abonnés.</p>
<p><a href="/abonnement">Je m'abonne</a> <a href="/connexion">Je me connecte</a></p></div></article></main>
<footer><p>© Le Courrier du Détroit. Tous droits réservés.</p></footer></body></html>"""


def teaser_list_page(count: int, read_more: str = "Lire la suite") -> str:
    """A list of ``count`` teasers as the aggregators show them: linked headline with its date,
    the first lines cut with " (...)" and a "read more" link; no headline block around them."""
    cards = "".join(
        f'<div class="teaser"><a href="/article/{800 + n}">{escape(title)}</a> <span>0{n + 1} - 03 - 2031</span>'
        f'<p>{escape(teaser[:-1])} (...) <a href="/article/{800 + n}">{escape(read_more)}</a></p></div>'
        for n, (title, teaser) in enumerate(TEASERS[:count])
    )
    return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Le Courrier du Détroit</title></head>
<body><div id="menu">{_nav(["Accueil", "Économie", "Sport"], "rubrique")}</div>
<div id="content">{cards}</div>
<div id="journaux">Journaux : <a href="/j/1">Le Courrier</a> | <a href="/j/2">La Vigie</a> | <a href="/j/3">Le Phare</a> | <a href="/j/4">L'Écho</a></div>
</body></html>"""
