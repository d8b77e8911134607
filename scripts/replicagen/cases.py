"""The project's own edge-case snapshot (``tests/snapshots/cases``): the core cases of
issue 2 on text written for newsbot, across maghress (ar + fr), djazairess (ar),
masress (ar + en) and turess (ar); sudaress (ar) and sauress (ar + en) have a few plain
articles, so that every spider crawls its own site (the replica answers a host it does
not know with any host's page of the same path).

Dates spread over September to November 2021 (plus one dateline in 2099), listings
newest first, four teasers per page, so ``since``/``until`` and pagination can be tested.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from replicagen.model import Article, Edition, Extra, Outlet, OutletPage, ReadAlso, Site, Snapshot


def lower_percent(text: str) -> str:
    """Percent-encoded like many WordPress outlets write it (lower-case hex)."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(text))


# --- maghress, French edition -------------------------------------------------------------------
MA_FR_OUTLETS = [
    Outlet("barlamanefr", "Barlamane", "https://www.barlamane.com/fr/{n}/"),
    Outlet("fnh", "Finances News Hebdo", "https://fnh.ma/article/{n}"),
    Outlet("h24info", "H24 Info", "https://www.h24info.ma/actu/{n}/"),
    Outlet("le360", "Le360", "https://fr.le360.ma/societe/{n}"),
    Outlet("lesiteinfo", "Le Site info", "https://www.lesiteinfo.com/maroc/{n}.html"),
    Outlet("lobservateur", "L'Observateur du Maroc", "https://lobservateur.info/article/{n}"),
]
OUJDA = [
    "Un centre de formation aux métiers du numérique a ouvert ses portes lundi à Oujda. Il accueille une première promotion de 120 jeunes stagiaires.",
    "Les cursus proposés, d'une durée de neuf à dix-huit mois, couvrent le développement web, la maintenance des réseaux et le design graphique.",
    "Les responsables du centre indiquent que des partenariats sont en cours avec des entreprises de la région pour faciliter l'insertion des lauréats.",
    "La formation est gratuite et les stagiaires bénéficient d'une bourse mensuelle pendant toute la durée de leur cursus.",
    "Une deuxième session de recrutement est prévue au printemps, avec l'objectif d'accueillir 200 stagiaires par an d'ici trois ans.",
]
OUJDA_COPY = [  # three words changed by the second outlet
    OUJDA[0].replace("lundi", "mardi"),
    OUJDA[1],
    OUJDA[2].replace("indiquent", "affirment").replace("lauréats", "diplômés"),
    *OUJDA[3:],
]
SAFI = [
    "Les professionnels de la pêche côtière de Safi se montrent optimistes pour la saison de la sardine, après plusieurs semaines de sorties en mer jugées encourageantes.",
    "Selon les armateurs, les prises débarquées au port depuis le début du mois sont en hausse par rapport à la même période de l'an dernier.",
    "Les conserveries de la ville ont, de leur côté, recruté des saisonniers supplémentaires pour faire face à l'afflux de poisson.",
]
SAFI_PAGE = "https://lobservateur.info/ampArticle/103930"
# Teasers whose source page does not give the article: the aggregator's teaser is kept.
TANGER = [  # source: a page the outlet does not have (404)
    "Le port de Tanger Med a traité un volume record de conteneurs au troisième trimestre, porté par la reprise des échanges avec l'Europe.",
    "La direction du port prévoit de nouveaux investissements dans les terminaux d'ici deux ans.",
]
MEKNES = [  # source: the outlet's home page
    "La ville de Meknès accueille cette semaine un salon consacré aux métiers de l'olivier, avec plus de cent exposants venus de toutes les régions.",
    "Des ateliers de dégustation et des conférences sur l'irrigation sont au programme.",
]
LARACHE = [  # source: another article of the outlet
    "Les fraises de la région de Larache arrivent sur les marchés avec deux semaines d'avance, grâce à un automne particulièrement doux.",
    "Les producteurs espèrent écouler une partie de la récolte à l'export dès le mois de décembre.",
]
NADOR = [  # source: a page the outlet's robots.txt disallows
    "La corniche de Nador a été rouverte au public après six mois de travaux d'aménagement, avec de nouvelles pistes cyclables.",
    "Les commerçants du front de mer saluent une fréquentation en hausse depuis la réouverture.",
]
BENI_MELLAL = [  # source: a redirect to another host
    "Un nouveau service de bus électriques relie depuis lundi le centre de Béni Mellal à la gare routière et au campus universitaire.",
    "La commune compte étendre le réseau à trois autres quartiers au printemps.",
]
OTHER_ARTICLE = (
    "La Fédération de handball a dévoilé le calendrier de la nouvelle saison, qui débutera à la mi-janvier avec seize clubs engagés.",
    "Les rencontres de la première journée se joueront à Rabat, Casablanca, Agadir et Oujda.",
    "Le champion sortant entamera la défense de son titre à domicile, face au promu de la saison.",
)
OUTLET_HOME = (  # headline, first line: pairs of the outlet's home page
    "Handball : le calendrier de la saison dévoilé", "Seize clubs engagés pour une saison qui débutera à la mi-janvier.",
    "Climat : un hiver plus sec que prévu", "Les prévisionnistes annoncent des pluies inférieures à la moyenne.",
    "Economie : les exportations d'agrumes en hausse", "Les volumes expédiés progressent de huit pour cent sur un an.",
    "Culture : une saison riche pour les théâtres", "Une trentaine de créations sont à l'affiche jusqu'en juin.",
    "Santé : la campagne de vaccination prolongée", "Les centres de santé resteront ouverts le samedi.",
)

MA_FR = [
    Article("h24info", 1165381, "2021-10-28", "Marrakech : 5 000 arbres plantés dans les quartiers est", [
        "Une campagne de plantation de 5 000 arbres a été lancée samedi dans les quartiers est de Marrakech, à l'initiative de la commune et de plusieurs associations de riverains.",
        "Les essences retenues, principalement des oliviers et des caroubiers, ont été choisies pour leur faible besoin en eau, a indiqué un responsable des espaces verts.",
        "Une seconde phase est prévue au printemps dans les quartiers ouest de la ville.",
    ], read_also=[ReadAlso(2, "Lire aussi :", "Espaces verts : les villes misent sur les essences locales",
                           "https://www.h24info.ma/actu/1165120/")],
        cases=("host_variants",), hrefs={
            "home": "http://www.maghress.com/fr/h24info/1165381",
            "listing": "/fr/h24info/1165381?utm_source=fb&utm_medium=social",
            "rss": "https://maghress.com/fr/h24info/1165381#comments",
            "ticker": "https://maghress.com/fr/h24info/1165381",
            "mostread": "https://WWW.MAGHRESS.COM/fr/h24info/1165381/",
        }),
    Article("h24info", 1165384, "2021-10-19", "Festival : la musique andalouse à l’honneur à Tétouan", [
        "La douzième édition du festival de musique andalouse s'est ouverte jeudi soir à Tétouan devant un public nombreux, réuni dans la cour d'une ancienne médersa.",
        "« Nous avons voulu mettre en avant les jeunes ensembles », a déclaré le directeur artistique, qui annonce quatre soirées de concerts gratuits.",
        "Des ateliers d'initiation au oud et au violon sont également proposés aux élèves des conservatoires de la région.",
    ], layout="p", cases=("invisible_characters",),
        title_html="\u200fFestival&nbsp;: la musique andalouse &agrave; l&#8217;honneur&#8203; &agrave; T&eacute;touan&lrm;",
        paragraphs_html=[
            "La douzi&egrave;me e\u0301dition du festival de musique andalouse s'est ouverte jeudi&nbsp;soir à Tétouan devant un public nombreux,\u00a0réuni dans la cour d'une ancienne m&eacute;dersa.",
            "&laquo;&nbsp;Nous avons voulu mettre en avant les jeunes ensembles&nbsp;&raquo;, a d&eacute;clar&eacute; le directeur artistique, qui annonce quatre soir&eacute;es de concerts gratuits.",
            "Des ateliers d'initiation au oud et au violon sont &eacute;galement propos&eacute;s aux &eacute;l&egrave;ves des conservatoires de la r&eacute;gion.&#8203;",
        ],
        read_also=[ReadAlso(2, "À lire aussi :", "Culture : les festivals d'automne retrouvent leur public",
                            "https://www.h24info.ma/actu/1165301/")]),
    Article("h24info", 1165386, "2021-10-05", "Agadir : le chantier du nouveau marché de gros avance", [
        "Les travaux du nouveau marché de gros de fruits et légumes d'Agadir ont atteint un taux d'avancement de 60 %, selon les services de la commune.",
        "Le futur équipement, implanté en périphérie de la ville, doit permettre de désengorger le centre et d'améliorer les conditions d'hygiène.",
        "Sa mise en service est prévue au second semestre de l'année prochaine.",
    ], read_also=[ReadAlso(2, "Lire aussi:", "Commerce : les marchés de proximité se modernisent",
                           "https://www.h24info.ma/actu/1165002/")]),
    Article("le360", 2042520, "2099-03-15", "Rabat : le programme des journées du patrimoine dévoilé", [
        "Le programme des journées du patrimoine a été dévoilé à Rabat : visites guidées de la kasbah des Oudayas, ouverture exceptionnelle de plusieurs demeures anciennes et conférences sur l'histoire de la ville.",
        "L'entrée sera gratuite pour l'ensemble des activités, sur inscription préalable.",
    ], unknown_date=True, cases=("future_date",), note="the dateline gives a day after today: published stays null"),
    Article("le360", 2042510, "2021-11-03", "Ifrane : premières chutes de neige de la saison", [
        "Les premières chutes de neige de la saison ont blanchi mercredi les hauteurs d'Ifrane et de Michlifen, pour le plus grand plaisir des visiteurs.",
        "Des engins de déneigement ont été mobilisés afin de maintenir ouvertes les routes de la région.",
    ], hidden=True, cases=("redirect_301",), hrefs={"listing": "http://www.maghress.com/fr/le360/2042510/"},
        redirect_from="/fr/le360/2042510/",
        note="the le360 listing links it with http:// and a trailing slash; that URL answers 301 to the article"),
    Article("le360", 2042500, "2021-10-18", "Chefchaouen : la saison touristique se prolonge", [
        "Les professionnels du tourisme de Chefchaouen observent une fréquentation soutenue en ce mois d'octobre, portée par la clémence du temps.",
        "Les maisons d'hôtes de la médina affichent un taux de remplissage proche de celui de l'été, selon l'association locale des hébergeurs.",
        "Plusieurs randonnées encadrées sont proposées dans le parc naturel voisin.",
    ], layout="spans", cases=("several_spans", "source_url_as_written"),
        read_also=[ReadAlso(3, "A lire aussi :", "Tourisme intérieur : les petites villes tirent leur épingle du jeu",
                            "https://fr.le360.ma/tourisme/2041877")],
        source="https://fr.le360.ma/tourisme/2042500?utm_source=maghress&utm_medium=referral",
        hrefs={"rss": "https://www.maghress.com/fr/le360/2042500?utm_source=rss&utm_medium=feed"}),
    Article("lesiteinfo", 1485450, "2021-10-30",
            "Oujda : un centre de formation aux métiers du numérique ouvre ses portes", OUJDA, cases=("has_duplicate",)),
    Article("lesiteinfo", 1485440, "2021-10-21", "Kénitra : la gare routière en travaux pour six mois", [
        "La gare routière de Kénitra fait l'objet de travaux de réaménagement qui devraient durer six mois, sans interruption du trafic des autocars.",
        "Un nouveau hall d'attente, des guichets modernisés et un parking de 200 places sont prévus.",
    ], dateline=False, source=None, cases=("no_dateline",)),
    Article("barlamanefr", 2342560, "2021-10-31", "Oujda : ouverture d'un centre de formation au numérique", OUJDA_COPY,
            reject="near_duplicate", original=("lesiteinfo", 1485450),
            note="another outlet republished the story with three words changed and another title"),
    Article("fnh", 1167810, "2021-10-25", "Marché obligataire : une semaine calme", [
        "Le marché obligataire a connu une semaine calme, les volumes échangés restant proches de leur moyenne mensuelle.",
        "Les opérateurs anticipent une stabilité des taux à court terme.",
    ], title_html="", hidden=True, reject="missing_title",
        note="span.articletitle is empty; the page otherwise looks like an article"),
    Article("lobservateur", 1076680, "2021-11-08", "Safi : la saison de la sardine s'annonce favorable", SAFI,
            layout="teaser", teaser_words=20, full_text_at=SAFI_PAGE, source=SAFI_PAGE, cases=("teaser_only",)),
    Article("lobservateur", 1076670, "2021-11-07", "Tanger Med : un trimestre record pour les conteneurs", TANGER,
            layout="teaser", teaser_words=18, source="https://lobservateur.info/ampArticle/103920", hidden=True,
            source_reason="http_error", cases=("teaser_only", "source_unreachable")),
    Article("lobservateur", 1076660, "2021-11-06", "Meknès : le salon de l'olivier ouvre ses portes", MEKNES,
            layout="teaser", teaser_words=18, source="https://lobservateur.info/", hidden=True,
            source_reason="not_article", cases=("teaser_only", "source_home_page")),
    Article("lobservateur", 1076650, "2021-11-05", "Larache : les fraises arrivent en avance", LARACHE,
            layout="teaser", teaser_words=18, source="https://lobservateur.info/ampArticle/103910", hidden=True,
            source_reason="no_teaser_text", cases=("teaser_only", "source_without_teaser")),
    Article("lobservateur", 1076640, "2021-11-04", "Nador : la corniche rouverte au public", NADOR,
            layout="teaser", teaser_words=18, source="https://lobservateur.info/prive/103900", hidden=True,
            source_reason="robots", cases=("teaser_only", "source_robots_disallowed")),
    Article("lobservateur", 1076630, "2021-11-03", "Béni Mellal : des bus électriques en service", BENI_MELLAL,
            layout="teaser", teaser_words=18, source="https://lobservateur.info/go/103890", hidden=True,
            source_reason="off_site", cases=("teaser_only", "source_redirected_off_site")),
]

# --- maghress, Arabic edition ---------------------------------------------------------------------
MA_AR_OUTLETS = [
    Outlet("assahifa", "الصحيفة", "https://assahifa.com/?p={n}"),
    Outlet("hespress", "هسبريس", "https://www.hespress.com/{n}.html"),
    Outlet("howiyapress", "هوية بريس", "https://howiyapress.com/{n}/"),
    Outlet("kech24", "كش24", "https://kech24.com/news/{n}"),
    Outlet("ma5tv", "ماروك 5 تيفي", "https://ma5tv.ma/{n}"),
]
BLOOD = [
    "نظم المركز الجهوي لتحاقن الدم، بشراكة مع جمعيات المجتمع المدني، حملة للتبرع بالدم بساحة عمومية وسط مدينة الجديدة.",
    "وعرفت الحملة إقبالا ملحوظا من طرف الشباب، حيث تجاوز عدد المتبرعين مائتي شخص خلال اليوم الأول.",
]
BLOOD_READ = [ReadAlso(1, "إقرأ أيضاً:", "ارتفاع عدد المتبرعين بالدم خلال السنة الجارية", "https://howiyapress.com/635402/")]

MA_AR = [
    Article("hespress", 75869, "2021-11-10", "إطلاق خط جديد للحافلات بين الرباط وسلا", [
        "أعلنت السلطات المحلية عن إطلاق خط جديد للحافلات يربط وسط مدينة الرباط بعدد من أحياء مدينة سلا ابتداء من الأسبوع المقبل.",
        "وسيشتغل الخط الجديد من السادسة صباحا إلى العاشرة ليلا، بمعدل رحلة كل عشرين دقيقة.",
        "ويأتي هذا الإجراء استجابة لمطالب السكان بتحسين خدمات النقل العمومي.",
    ], read_also=[ReadAlso(2, "اقرأ أيضا:", "تمديد ساعات عمل النقل الحضري خلال العطلة", "https://www.hespress.com/75511.html")],
        source=f"https://www.hespress.com/{lower_percent('خط-جديد-للحافلات')}-75869.html",
        cases=("host_variants", "source_url_as_written"), image=True, hrefs={
            "home": "http://maghress.com/hespress/75869",
            "listing": "https://maghress.com/hespress/75869?utm_campaign=x",
        }),
    Article("hespress", 75850, "2021-10-31", "أيام مفتوحة لفائدة الباحثين عن الشغل", [
        "نظمت الوكالة الجهوية للتشغيل أياما مفتوحة لفائدة الباحثين عن الشغل، قدمت خلالها معلومات حول فرص العمل والتكوين.",
        "وشهدت هذه الأيام مشاركة عدد من المقاولات المحلية التي عرضت مناصب شغل في قطاعات مختلفة.",
    ]),
    Article("howiyapress", 635590, "2021-10-26", "حملة للتبرع بالدم بمدينة الجديدة", BLOOD, read_also=BLOOD_READ,
            layout="p", cases=("has_duplicate",)),
    Article("howiyapress", 635595, "2021-10-26", "حملة للتبرع بالدم بمدينة الجديدة", BLOOD, read_also=BLOOD_READ,
            layout="p", source="https://howiyapress.com/635590/", reject="duplicate_of", original=("howiyapress", 635590),
            note="same outlet, same text, another id"),
    Article("ma5tv", 1716720, "2021-10-22", "افتتاح معرض للكتاب المستعمل بمدينة فاس", [
        "افتتح بمدينة فاس معرض للكتاب المستعمل يشارك فيه عشرات الكتبيين القادمين من مدن مختلفة.",
        "ويستمر المعرض إلى غاية نهاية الشهر الجاري، مع تنظيم لقاءات يومية حول القراءة والنشر.",
    ], header_charset="windows-1256", encoding="cp1256", cases=("cp1256_header",),
        note="windows-1256 bytes, the header says windows-1256, the meta tag wrongly says utf-8"),
    Article("kech24", 1846490, "2021-10-14", "سباق على الطريق بمشاركة ألفي عداء بمراكش", [
        "شارك نحو ألفي عداء وعداءة، صباح يوم الأحد، في سباق على الطريق نظم بشوارع مدينة مراكش.",
        "وعرف السباق مشاركة فئات عمرية مختلفة، فيما خصصت جوائز رمزية للفائزين في كل فئة.",
    ], encoding="cp1256", meta='<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">',
        cases=("charset_mismatch",),
        note="windows-1256 bytes and meta tag, but the header says utf-8 (shared case NB-01)"),
    Article("assahifa", 2236410, "2021-09-29", "موسم فلاحي جديد: توقعات متفائلة", [
        "يستعد الفلاحون لانطلاق الموسم الفلاحي الجديد وسط توقعات متفائلة بفضل التساقطات الأخيرة.",
        "وأكدت مصادر مهنية أن أسعار البذور عرفت استقرارا مقارنة بالموسم الماضي.",
    ], layout="p", cases=("invisible_characters",),
        title_html="&rlm;موسم فلا\u200cحي&nbsp;جديد:\u200f توقعات\u200b متفائلة&lrm;",
        paragraphs_html=[
            "\u200fيستعد الفلاحون لانطلاق الموسم&nbsp;الفلاحي الجديد وسط توقعات متفائلة بفضل التساقطات الأخيرة.&rlm;",
            "وأكدت مصادر مهنية أن أسعار\u00a0البذور عرفت استقرارا&#8203; مقارنة بالموسم الماضي.\u200e",
        ]),
]

# --- djazairess, Arabic edition ------------------------------------------------------------------------
DZ_OUTLETS = [
    Outlet("aps", "وكالة الأنباء الجزائرية", "https://www.aps.dz/ar/{n}"),
    Outlet("elkhabar", "الخبر", "https://www.elkhabar.com/press/article/{n}/"),
]
DZ_AR = [
    Article("aps", 385090, "2021-11-06", "انطلاق حملة التلقيح ضد الأنفلونزا الموسمية", [
        "انطلقت عبر مختلف ولايات الوطن حملة التلقيح ضد الأنفلونزا الموسمية، التي تستهدف بالدرجة الأولى المسنين والمصابين بالأمراض المزمنة.",
        "ودعت المصالح الصحية المواطنين المعنيين إلى التقرب من المؤسسات الصحية الجوارية للاستفادة من اللقاح مجانا.",
    ], sequence=[503, 200], cases=("retry_503",), note="answers 503 to the first request, 200 after"),
    Article("aps", 385070, "2021-10-27", "توزيع حصص سكنية جديدة بولاية قسنطينة", [
        "أشرفت السلطات المحلية بولاية قسنطينة على توزيع حصص سكنية جديدة من مختلف الصيغ لفائدة مئات العائلات.",
        "وأكد المسؤولون أن عمليات توزيع أخرى مبرمجة قبل نهاية السنة.",
    ], arabic_indic=True, cases=("arabic_indic_date",)),
    Article("aps", 385040, "2021-10-20", "اجتماع تنسيقي حول الدخول المدرسي", [
        "عقد اجتماع تنسيقي لتحضير الدخول المدرسي بحضور ممثلي القطاعات المعنية.",
    ], status=404, hidden=True, reject="http_error", note="linked from the outlet listing; answers 404"),
    Article("aps", 385010, "2021-10-12", "تهيئة حدائق عمومية بمدينة وهران", [
        "شرعت مصالح بلدية وهران في أشغال تهيئة عدد من الحدائق العمومية، تشمل تجديد الإنارة وغرس الأشجار.",
        "وتهدف العملية إلى توفير فضاءات للترفيه لفائدة العائلات، خاصة في الأحياء الجديدة.",
        "ومن المنتظر أن تنتهي الأشغال قبل حلول فصل الربيع.",
    ], layout="unclosed", cases=("unclosed_tags",), paragraphs_html=[
        "شرعت مصالح بلدية وهران في أشغال تهيئة عدد من الحدائق العمومية، تشمل تجديد الإنارة وغرس الأشجار.",
        "وتهدف العملية إلى توفير فضاءات للترفيه لفائدة <b>العائلات، خاصة في الأحياء الجديدة.",
        "ومن المنتظر أن تنتهي الأشغال قبل حلول فصل الربيع.",
    ]),
    Article("aps", 384990, "2021-10-02", "افتتاح السنة الجامعية الجديدة", [
        "افتتحت الجامعات الجزائرية السنة الجامعية الجديدة وسط إجراءات تنظيمية لاستقبال الطلبة الجدد.",
        "وتم تسخير الهياكل البيداغوجية ووسائل النقل والإقامات الجامعية لضمان دخول جامعي في ظروف حسنة.",
    ]),
    Article("aps", 384960, "2021-09-21", "حملة تشجير واسعة بولاية تيبازة", [
        "أطلقت محافظة الغابات بولاية تيبازة حملة تشجير واسعة تستهدف غرس آلاف الشتلات في المناطق المتضررة من الحرائق.",
        "وشارك في الحملة متطوعون من الجمعيات والكشافة وتلاميذ المدارس.",
    ], layout="p"),
    Article("aps", 384930, "2021-09-14", "تدشين مكتبة بلدية بولاية سطيف", [
        "دشنت السلطات المحلية بولاية سطيف مكتبة بلدية جديدة تتسع لأكثر من مائتي قارئ.",
        "وتضم المكتبة رصيدا من الكتب في مختلف المجالات، إضافة إلى قاعة للإعلام الآلي.",
    ], hidden=True, cases=("listing_page_2_only",), note="linked only from the second page of the aps listing"),
    Article("elkhabar", 69430, "2021-11-01", "معرض للصناعات التقليدية بالعاصمة", [
        "يحتضن قصر المعارض بالعاصمة معرضا للصناعات التقليدية بمشاركة حرفيين من مختلف ولايات الوطن.",
        "ويعرض المشاركون منتجات الفخار والنحاس والزرابي والحلي التقليدية.",
    ], read_also=[ReadAlso(1, "اقرأ كذلك:", "الحرفيون يطالبون بفضاءات دائمة لعرض منتجاتهم",
                           "https://www.elkhabar.com/press/article/69302/")]),
    Article("elkhabar", 69410, "2021-10-16", "تحسن في تموين الأسواق بالخضر والفواكه", [
        "عرفت أسواق الجملة للخضر والفواكه تحسنا في التموين خلال الأيام الأخيرة، ما انعكس على الأسعار.",
        "وأرجع التجار هذا التحسن إلى وفرة الإنتاج في عدد من الولايات الفلاحية.",
    ]),
]

# --- masress, Arabic and English editions --------------------------------------------------------------
EG_AR_OUTLETS = [
    Outlet("dostor", "الدستور", "https://www.dostor.org/{n}"),
    Outlet("youm7", "اليوم السابع", "https://www.youm7.com/story/2021/10/18/{n}"),
]
EG_AR = [
    Article("dostor", 238230, "2021-11-02", "افتتاح معرض للفنون التشكيلية في القاهرة", [
        "افتتح في القاهرة معرض للفنون التشكيلية يضم أعمال أكثر من ثلاثين فنانا شابا.",
        "ويستمر المعرض لمدة أسبوعين، ويتضمن لوحات ومنحوتات وأعمالا رقمية.",
    ], layout="banner", image=True, cases=("banner_in_body",),
        note="the ticker's headlines are pasted into the first span.articlecontent"),
    Article("youm7", 5512340, "2021-10-18", "تطوير عدد من الشوارع الرئيسية بالإسكندرية", [
        "بدأت أعمال تطوير عدد من الشوارع الرئيسية بمدينة الإسكندرية، تشمل رصف الطرق وتجديد الأرصفة والإنارة.",
        "ومن المقرر الانتهاء من الأعمال خلال ثلاثة أشهر وفق الجدول الزمني المحدد.",
    ], read_also=[ReadAlso(1, "اقرأ أيضاً..", "خطة لتوسيع المساحات الخضراء بالمدن الساحلية",
                           "https://www.youm7.com/story/2021/10/11/5509876")]),
]
EG_EN_OUTLETS = [
    Outlet("dailynews", "Daily News Egypt", "https://www.dailynewsegypt.com/2021/{n}/"),
    Outlet("egyptindependent", "Egypt Independent", "https://www.egyptindependent.com/{n}/"),
]
EG_EN = [
    Article("egyptindependent", 123450, "2021-10-25", "Cairo opens new public library in Heliopolis", [
        "A new public library opened on Monday in Cairo's Heliopolis district, offering more than 15,000 books and a children's reading room.",
        "The library will be open daily except Fridays, according to the district administration.",
    ], read_also=[ReadAlso(1, "Read also:", "Reading clubs grow in popularity among young Egyptians",
                           "https://www.egyptindependent.com/123301/")], cases=("english_dateline",)),
    Article("egyptindependent", 123440, "2021-09-30", "Alexandria beaches close for the season", [
        "Public beaches in Alexandria closed for the summer season on Thursday, local authorities announced.",
        "Lifeguards and cleaning teams will keep working on selected beaches during weekends in October.",
    ]),
    Article("dailynews", 98760, "2021-11-04", "Aswan prepares for the winter tourism season", [
        "Hotels and Nile cruise operators in Aswan are preparing for the winter tourism season, which traditionally begins in November.",
        "Local tourism officials expect occupancy to improve compared with last year, helped by new direct flights.",
    ], layout="p"),
]

# --- turess, Arabic edition --------------------------------------------------------------------------------
TN_OUTLETS = [
    Outlet("alchourouk", "الشروق", "https://www.alchourouk.com/article/{n}"),
    Outlet("assabah", "الصباح", "https://www.assabah.com.tn/ar/{n}"),
]
TN_AR = [
    Article("alchourouk", 3012340, "2021-10-21", "انطلاق موسم جني التمور بولاية توزر", [
        "انطلق موسم جني التمور بولاية توزر وسط توقعات بصابة طيبة من حيث الكمية والجودة.",
        "وتستعد مراكز التجميع والتكييف لاستقبال المنتوج وتوجيهه نحو الأسواق الداخلية والتصدير.",
    ]),
    Article("assabah", 1203450, "2021-09-18", "افتتاح مهرجان للمسرح بمدينة الكاف", [
        "افتتحت بمدينة الكاف الدورة الجديدة لمهرجان المسرح بمشاركة فرق من عدة ولايات.",
        "وتتواصل العروض على امتداد أسبوع بدار الثقافة والفضاءات المفتوحة.",
    ], layout="p", read_also=[ReadAlso(1, "إقرأ أيضا:", "تظاهرات ثقافية متنوعة خلال عطلة الخريف",
                                       "https://www.assabah.com.tn/ar/1203101")]),
]

# --- sudaress (Arabic) and sauress (Arabic and English): every spider has its site here -------------
SD_OUTLETS = [
    Outlet("alsudani", "السوداني", "https://www.alsudaninews.com/ar/{n}"),
    Outlet("koorasudan", "كورة سودانية", "https://www.koorasudan.net/news/{n}"),
]
SD_AR = [
    Article("koorasudan", 220310, "2021-10-24", "انطلاق دوري الناشئين لكرة القدم بالعاصمة", [
        "انطلقت منافسات دوري الناشئين لكرة القدم بمشاركة ستة عشر فريقا من مختلف أحياء العاصمة.",
        "وأكدت اللجنة المنظمة أن المباريات ستقام في عطلة نهاية كل أسبوع على مدى شهرين.",
    ]),
    Article("alsudani", 145020, "2021-09-26", "حملة لصيانة شبكة المياه في عدد من الأحياء", [
        "بدأت هيئة المياه حملة لصيانة الشبكة في عدد من الأحياء، شملت استبدال الأنابيب القديمة وإصلاح المضخات.",
        "وتوقعت الهيئة تحسن الإمداد خلال الأسابيع المقبلة بعد اكتمال الأعمال.",
    ], layout="p"),
]
SA_AR_OUTLETS = [
    Outlet("alriyadh", "الرياض", "https://www.alriyadh.com/{n}"),
    Outlet("alweeam", "الوئام", "https://www.alweeam.com.sa/{n}/"),
]
SA_AR = [
    Article("alweeam", 887650, "2021-11-05", "تمديد فترة التسجيل في برامج التدريب المهني", [
        "أعلنت الجهات المختصة تمديد فترة التسجيل في برامج التدريب المهني لمدة أسبوعين إضافيين.",
        "وتشمل البرامج تخصصات في الصيانة والحاسب الآلي والسياحة والضيافة.",
    ]),
    Article("alriyadh", 1920450, "2021-10-13", "افتتاح حديقة عامة جديدة في الرياض", [
        "افتتحت في مدينة الرياض حديقة عامة جديدة تضم مسارات للمشي وملاعب للأطفال ومساحات خضراء واسعة.",
        "وتستقبل الحديقة الزوار يوميا من الرابعة عصرا حتى منتصف الليل.",
    ]),
]
SA_EN_OUTLETS = [Outlet("saudigazette", "Saudi Gazette", "https://saudigazette.com.sa/article/{n}")]
SA_EN = [
    Article("saudigazette", 612340, "2021-10-28", "Jeddah waterfront to host weekend food market", [
        "A weekend food market will open on the Jeddah waterfront next month, bringing together more than 60 local vendors.",
        "Organizers said the market would run every Friday and Saturday evening until the end of the year.",
    ], read_also=[ReadAlso(1, "Also read:", "Riyadh parks extend opening hours for the winter",
                           "https://saudigazette.com.sa/article/612011")], cases=("english_dateline",)),
]

MAGHRESS_ROBOTS = "User-agent: *\nDisallow: /fr/admin/\nDisallow: /fr/archives\nDisallow: /search\n"

SNAPSHOT = Snapshot(
    name="cases",
    intro="""newsbot's own edge-case snapshot for issue 2: host variants, a 301, a 503 then 200, a 404,
both charset cases, Arabic-Indic digits, unclosed tags, a listing's second page, robots.txt,
a missing title, a teaser-only page, an exact and a near duplicate, a ticker pasted into a
body, "read also" lines in several spellings, invisible characters, several content spans,
a future dateline, a page without dateline and an English-edition dateline; teaser-only pages
whose source page gives the article, or does not (404, a home page, another article, disallowed
by robots.txt, a redirect to another host).""",
    sites=[
        Site("maghress", "Maghress", "maghress.com", [
            Edition("ar", MA_AR_OUTLETS, MA_AR, headlines=[
                "حملة لتنظيف الشواطئ بمشاركة متطوعين", "افتتاح ملعب للقرب بحي شعبي",
                "تنظيم معرض للصناعة التقليدية", "تمديد فترة التسجيل في المعاهد",
            ]),
            Edition("fr", MA_FR_OUTLETS, MA_FR, headlines=[
                "Plages : une opération de nettoyage réunit des bénévoles",
                "Santé : la campagne de vaccination saisonnière débute lundi",
                "Sport : un terrain de proximité inauguré à Salé",
                "Éducation : les inscriptions prolongées d'une semaine",
            ], extras=[
                Extra("/fr/admin/", "Espace administration", "admin", "robots_disallowed",
                      "robots.txt disallows it and the French home page links to it; it must never be fetched"),
                Extra("/fr/archives", "Archives", "listing", "robots_disallowed",
                      "looks like an outlet listing, but robots.txt disallows it; it must never be fetched"),
            ]),
        ], site_editions=("ar", "fr"), robots=MAGHRESS_ROBOTS),
        Site("djazairess", "Djazairess", "djazairess.com", [
            Edition("ar", DZ_OUTLETS, DZ_AR, headlines=[
                "حملة تحسيسية حول السلامة المرورية", "افتتاح مركز جديد للتكوين المهني",
                "تهيئة الطرق الولائية قبل فصل الشتاء", "تنظيم أيام إعلامية حول المقاولاتية",
            ]),
        ], site_editions=("ar", "fr")),
        Site("masress", "Masress", "masress.com", [
            Edition("ar", EG_AR_OUTLETS, EG_AR, headlines=[
                "انطلاق مهرجان للسينما المستقلة", "افتتاح محطة جديدة لمعالجة المياه",
                "تطوير مكتبات المدارس الحكومية", "حملة لتشجير الطرق السريعة", "زيادة رحلات القطارات خلال العطلة",
            ]),
            Edition("en", EG_EN_OUTLETS, EG_EN, headlines=[
                "Metro line extension to open next month", "New water treatment plant starts operating",
                "School libraries receive thousands of new books",
            ]),
        ], site_editions=("ar", "en"), tz="+0200"),
        Site("turess", "Turess", "turess.com", [
            Edition("ar", TN_OUTLETS, TN_AR, headlines=[
                "حملة نظافة بالأحياء الشعبية", "انطلاق السنة التكوينية الجديدة", "تحسن تزويد الأسواق بالخضر",
            ]),
        ], site_editions=("ar",)),
        Site("sudaress", "Sudaress", "sudaress.com", [
            Edition("ar", SD_OUTLETS, SD_AR, headlines=[
                "افتتاح مركز صحي جديد بالولاية", "حملة لتنظيف المجاري قبل موسم الأمطار", "توزيع الكتب المدرسية على التلاميذ",
            ]),
        ], site_editions=("ar",), tz="+0200"),
        Site("sauress", "Sauress", "sauress.com", [
            Edition("ar", SA_AR_OUTLETS, SA_AR, headlines=[
                "مهرجان للتمور في القصيم", "افتتاح مكتبة رقمية للطلاب", "حملة للتشجير في الأحياء",
            ]),
            Edition("en", SA_EN_OUTLETS, SA_EN, headlines=[
                "New bus routes connect Riyadh suburbs", "Book fair opens with hundreds of publishers",
                "Heritage village welcomes winter visitors",
            ]),
        ], site_editions=("ar", "en"), tz="+0300"),
    ],
    page_size=4,
    outlet_pages=[
        OutletPage("lobservateur.info", "/ampArticle/103930", "fr", "Safi : la saison de la sardine s'annonce favorable",
                   tuple(SAFI)),
        OutletPage("lobservateur.info", "/", "fr", "L'Observateur du Maroc", OUTLET_HOME, kind="home",
                   note="outlet home page: the source link of a teaser-only article, which it must not be taken for"),
        OutletPage("lobservateur.info", "/ampArticle/103910", "fr", "Handball : le calendrier de la saison dévoilé",
                   OTHER_ARTICLE, note="another article of the outlet: the source link of a teaser it does not hold"),
        OutletPage("lobservateur.info", "/prive/103900", "fr", "Nador : la corniche rouverte au public", tuple(NADOR),
                   note="the outlet's robots.txt disallows it: never fetched"),
        OutletPage("lobservateur.info", "/go/103890", "fr", "", (), kind="redirect",
                   location="https://www.autre-site.example/article/103890",
                   note="answers 301 to another host: not followed"),
    ],
    outlet_robots={"lobservateur.info": "User-agent: *\nDisallow: /prive/\n"},
)
