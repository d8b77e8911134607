"""The demo replica served by ``NEWSBOT_MIRROR=demo``: maghress, both editions.

Small and clean on purpose (no duplicates, no broken pages): its item count is the
one the README states, whatever pipelines are enabled. It has what a first user
should see newsbot handle: a ticker banner on every page, "Lire aussi"/"اقرأ أيضا"
lines inside bodies, and an article reachable only through a listing's second page.
All text is invented for newsbot (neutral local news).
"""

from __future__ import annotations

from replicagen.model import Article, Edition, Outlet, ReadAlso, Site, Snapshot

FR_OUTLETS = [
    Outlet("h24info", "H24 Info", "https://www.h24info.ma/actu/{n}/"),
    Outlet("le360", "Le360", "https://fr.le360.ma/societe/{n}"),
    Outlet("lematin", "Le Matin", "https://lematin.ma/express/{n}"),
]
AR_OUTLETS = [
    Outlet("alalam", "العلم", "https://alalam.ma/?p={n}"),
    Outlet("hespress", "هسبريس", "https://www.hespress.com/{n}.html"),
    Outlet("kech24", "كش24", "https://kech24.com/news/{n}"),
]

FR = [
    Article("lematin", 310201, "2021-11-09", "Casablanca inaugure une médiathèque de quartier", [
        "La ville de Casablanca a ouvert mardi une médiathèque de quartier à Hay Hassani, dotée de quelque 12 000 ouvrages et d'un espace numérique en libre accès.",
        "L'établissement, aménagé dans un ancien marché couvert, accueillera les lecteurs six jours sur sept, de 9 heures à 19 heures, selon les services de la commune.",
        "Des ateliers de lecture pour enfants et des cours d'initiation à l'informatique y seront proposés dès la semaine prochaine, a précisé la directrice du lieu.",
    ], read_also=[ReadAlso(2, "Lire aussi:", "Rentrée culturelle : les bibliothèques allongent leurs horaires",
                           "https://lematin.ma/express/309870")], image=True),
    Article("lematin", 310188, "2021-10-27", "Météo : des pluies attendues sur le nord jusqu'à jeudi", [
        "Des averses modérées sont attendues à partir de mercredi sur les régions du nord et le Rif, selon le bulletin quotidien des services météorologiques.",
        "Les températures minimales devraient baisser de deux à trois degrés sur les plateaux de l'Oriental, tandis qu'un temps doux persistera sur le littoral atlantique.",
        "Les automobilistes sont invités à la prudence sur les routes de montagne, où des brouillards locaux sont possibles en matinée.",
    ]),
    Article("lematin", 310175, "2021-10-14", "Tanger : le chantier de la promenade du front de mer entre dans sa dernière phase", [
        "Les travaux d'aménagement de la promenade du front de mer de Tanger entrent dans leur dernière phase, avec la pose du revêtement piéton sur près de deux kilomètres.",
        "Selon l'entreprise chargée du chantier, l'éclairage public et les espaces verts seront achevés avant la fin de l'année.",
    ], layout="p"),
    Article("lematin", 310160, "2021-09-30", "Agriculture : les semis d'automne démarrent dans la plaine du Saïss", [
        "Les agriculteurs de la plaine du Saïss ont entamé cette semaine les semis d'automne, à la faveur des premières pluies de la saison.",
        "Les superficies emblavées devraient être comparables à celles de la campagne précédente, principalement en blé tendre et en orge.",
    ], hidden=True, cases=("listing_page_2_only",)),
    Article("le360", 2042711, "2021-11-04", "Agadir : plus de 3 000 coureurs au semi-marathon de la baie", [
        "Plus de 3 000 coureurs ont pris part dimanche au semi-marathon de la baie d'Agadir, disputé sous un ciel dégagé.",
        "Les organisateurs ont salué une participation record, portée notamment par les clubs amateurs de la région.",
        "La prochaine édition est d'ores et déjà programmée pour l'automne prochain, sur un parcours légèrement modifié.",
    ], read_also=[ReadAlso(2, "Lire aussi:", "Course à pied : les épreuves sur route font le plein",
                           "https://fr.le360.ma/sport/2041980")]),
    Article("le360", 2042690, "2021-10-20", "Fès : ouverture d'un salon de l'artisanat du cuir", [
        "Le salon régional de l'artisanat du cuir a ouvert ses portes mercredi à Fès, avec une centaine d'exposants venus de plusieurs villes.",
        "Maroquiniers, tanneurs et babouchiers y présentent leurs créations jusqu'à dimanche, dans un espace aménagé près de Bab Boujloud.",
    ]),
    Article("h24info", 1165520, "2021-10-06", "Rabat : de nouvelles pistes cyclables dans les quartiers sud", [
        "Six kilomètres de pistes cyclables ont été ouverts cette semaine dans les quartiers sud de Rabat, reliant plusieurs établissements scolaires au centre-ville.",
        "Des parkings à vélos ont été installés près des écoles et des marchés, et une deuxième tranche est à l'étude pour l'an prochain.",
        "Les associations de cyclistes ont salué l'initiative tout en demandant une meilleure signalisation aux carrefours.",
    ]),
]

AR = [
    Article("hespress", 75901, "2021-11-10", "افتتاح مكتبة عمومية جديدة بمدينة مراكش", [
        "افتتحت بمدينة مراكش، يوم الأربعاء، مكتبة عمومية جديدة تضم أزيد من عشرة آلاف كتاب وقاعة مخصصة للمطالعة الرقمية.",
        "وأوضح القائمون على المرفق أن المكتبة ستفتح أبوابها طيلة أيام الأسبوع باستثناء يوم الأحد، من التاسعة صباحا إلى السابعة مساء.",
        "ومن المرتقب أن تحتضن المكتبة ورشات أسبوعية لفائدة الأطفال في مجالات الحكي والرسم.",
    ], read_also=[ReadAlso(2, "اقرأ أيضا:", "إطلاق برنامج لتشجيع القراءة في صفوف التلاميذ",
                           "https://www.hespress.com/75510.html")], image=True),
    Article("hespress", 75880, "2021-10-21", "توقع تساقطات مطرية بعدد من مناطق المملكة", [
        "توقعت مصالح الأرصاد الجوية تساقطات مطرية متفرقة ابتداء من يوم الخميس بعدد من مناطق الشمال والأطلس المتوسط.",
        "وأشارت النشرة إلى انخفاض طفيف في درجات الحرارة الدنيا، مع هبوب رياح معتدلة على السواحل المتوسطية.",
    ]),
    Article("alalam", 1203301, "2021-11-02", "انطلاق موسم جني الزيتون بإقليم تاونات", [
        "انطلق موسم جني الزيتون بإقليم تاونات وسط توقعات بمحصول جيد بفضل التساقطات التي عرفتها المنطقة خلال فصل الربيع.",
        "ويعول الفلاحون على هذا الموسم لتحسين مداخيلهم، فيما تستعد وحدات العصر التقليدية والعصرية لاستقبال المحصول.",
    ], layout="p"),
    Article("alalam", 1203290, "2021-10-08", "قافلة طبية لفائدة سكان المناطق الجبلية", [
        "نظمت جمعية محلية، بتنسيق مع المصالح الصحية، قافلة طبية متعددة الاختصاصات لفائدة سكان عدد من الدواوير الجبلية.",
        "واستفاد من خدمات القافلة مئات المواطنين، خاصة في طب الأطفال وطب العيون والفحوصات العامة.",
        "وأكد المنظمون أن مبادرات مماثلة ستنظم خلال الأشهر المقبلة في مناطق أخرى.",
    ]),
    Article("kech24", 1846620, "2021-10-29", "مراكش تحتضن مهرجانا للفنون الشعبية", [
        "تحتضن مدينة مراكش، ابتداء من يوم الجمعة، دورة جديدة لمهرجان الفنون الشعبية بمشاركة فرق من مختلف جهات المملكة.",
        "وتتوزع العروض بين الساحات العمومية وعدد من الفضاءات التاريخية بالمدينة العتيقة.",
    ]),
    Article("kech24", 1846600, "2021-09-28", "انطلاق أشغال توسيع الطريق المؤدية إلى أوريكا", [
        "انطلقت أشغال توسيع وتهيئة الطريق الرابطة بين مراكش ومنطقة أوريكا على طول يناهز ثلاثين كيلومترا.",
        "وتهدف هذه الأشغال إلى تحسين شروط السلامة الطرقية وتسهيل تنقل السكان والزوار.",
    ]),
]

SNAPSHOT = Snapshot(
    name="demo",
    intro="""The demo replica of newsbot: `scrapy crawl maghress -s NEWSBOT_MIRROR=demo -O demo.jsonl`
serves it in-process on 127.0.0.1 (see `newsbot/demo/mirror.py`). maghress.com with its Arabic
edition at `/` and its French edition under `/fr/`, three outlets each, a ticker banner on
every page, "read also" lines in bodies and a second listing page.""",
    sites=[Site("maghress", "Maghress", "maghress.com", [
        Edition("ar", AR_OUTLETS, AR, headlines=[
            "حملة لتنظيف الشواطئ بمشاركة متطوعين", "تمديد ساعات عمل المكتبات خلال العطلة",
            "افتتاح ملعب للقرب بحي شعبي", "تنظيم معرض للصناعة التقليدية",
        ]),
        Edition("fr", FR_OUTLETS, FR, headlines=[
            "Plages : une opération de nettoyage réunit des centaines de bénévoles",
            "Culture : les musées prolongent leurs horaires pendant les vacances",
            "Santé : une campagne de vaccination saisonnière débute lundi",
            "Sport : un nouveau terrain de proximité inauguré à Salé",
        ]),
    ], site_editions=("ar", "fr"))],
    page_size=3,
)
