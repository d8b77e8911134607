"""Made-up article texts of the bad-input corpus (written for newsbot; no real page copied).

Each text is ``(title, outlet, paragraphs)``; no two share a sentence, so the dedupe and
boilerplate pipelines keep every good article of the corpus.
"""

from __future__ import annotations

FR: list[tuple[str, str, list[str]]] = [
    ("Safi : les pêcheurs saluent la reprise des sorties en mer", "Le Matin", [
        "Après deux semaines de houle, les barques du port de Safi ont repris la mer mardi à l'aube.",
        "La coopérative des marins estime que les prises de sardine retrouveront leur niveau habituel avant la fin du mois.",
    ]),
    ("Ifrane : la première neige attire les familles", "Le Matin", [
        "Les hauteurs d'Ifrane se sont couvertes d'une fine couche blanche dans la nuit de samedi à dimanche.",
        "Les hôteliers de la ville font état d'un taux de remplissage inhabituel pour un début de saison.",
    ]),
    ("Tanger : une bibliothèque de quartier ouvre ses portes", "Le Matin", [
        "Un ancien entrepôt du quartier Beni Makada a été transformé en salle de lecture de quatre-vingts places.",
        "Les élèves du collège voisin pourront y emprunter manuels et romans sans frais d'inscription.",
    ]),
    ("Errachidia : un forage rétablit l'eau potable dans trois douars", "Le Matin", [
        "Les habitants de trois villages au sud d'Errachidia sont de nouveau raccordés au réseau après l'achèvement d'un forage profond.",
        "Une citerne de secours restera en place jusqu'au printemps, précise l'office régional.",
    ]),
    ("Essaouira : le festival des alizés dévoile son affiche", "Le Matin", [
        "Quatorze ensembles de musique de chambre se produiront sur la place de l'horloge pendant quatre soirées.",
        "Les organisateurs annoncent aussi des ateliers ouverts aux conservatoires de la région.",
    ]),
    ("Meknès : la restauration des remparts entre dans sa deuxième phase", "Le Matin", [
        "Les maçons spécialisés s'attaquent désormais à la portion de muraille qui longe le quartier de Hamria.",
        "Le chantier emploie des techniques de pisé transmises par les artisans de la médina.",
    ]),
    ("Dakhla : les kitesurfeurs affluent pour la coupe régionale", "Le Matin", [
        "La lagune accueille cette semaine une centaine de concurrents venus de onze pays.",
        "Les vents réguliers de la baie font de l'épreuve l'une des plus suivies du calendrier africain.",
    ]),
    ("Beni Mellal : la récolte d'olives s'annonce abondante", "Le Matin", [
        "Les oléiculteurs de la plaine du Tadla prévoient une production en hausse sensible par rapport à l'an passé.",
        "Les pressoirs modernes de la région tourneront à plein régime dès la mi-novembre.",
    ]),
    ("Nador : la corniche rouverte aux promeneurs", "Le Matin", [
        "Fermée depuis le printemps pour travaux, la promenade de la lagune de Marchica est de nouveau accessible.",
        "Des bancs ombragés et un éclairage basse consommation ont été installés sur deux kilomètres.",
    ]),
    ("Taroudant : un marché hebdomadaire pour les produits du terroir", "Le Matin", [
        "Chaque jeudi, une trentaine de coopératives féminines vendront argan, safran et miel devant la kasbah.",
        "La commune met gratuitement à leur disposition des étals couverts.",
    ]),
    ("Larache : le vieux port accueille une école de voile", "Le Matin", [
        "Une association locale propose des stages d'initiation aux jeunes de huit à quinze ans.",
        "Six dériveurs ont été offerts par un club andalou jumelé avec la ville.",
    ]),
    ("Azrou : les cèdres recensés un par un", "Le Matin", [
        "Des techniciens forestiers achèvent l'inventaire des arbres centenaires de la forêt d'Azrou.",
        "Chaque sujet reçoit une plaque numérotée qui permettra de suivre son état sanitaire.",
    ]),
    ("Settat : un centre de formation aux métiers de la logistique", "Le Matin", [
        "Deux cents stagiaires par an y apprendront la conduite d'engins et la gestion des entrepôts.",
        "Les entreprises de la zone industrielle se sont engagées à accueillir les apprentis.",
    ]),
    ("Chefchaouen : les ruelles bleues repeintes par les habitants", "Le Matin", [
        "Munis de seaux de chaux teintée, des familles entières ont rafraîchi les façades de leur quartier.",
        "La municipalité a fourni le pigment indigo et les échelles.",
    ]),
    ("Guelmim : la foire aux chameaux retrouve son affluence", "Le Matin", [
        "Les éleveurs venus de tout le Sud ont présenté plus de mille bêtes sur le champ de foire.",
        "Les prix se sont maintenus malgré la sécheresse des deux dernières saisons.",
    ]),
    ("Oujda : un jardin botanique pour les plantes de l'Oriental", "Le Matin", [
        "Sur quatre hectares, le nouveau jardin réunit armoise, alfa et romarin sauvage de la région.",
        "Des visites commentées sont proposées aux écoles chaque mercredi après-midi.",
    ]),
    ("Agadir : les chalutiers équipés de balises de repérage", "Le Matin", [
        "L'ensemble de la flotte hauturière d'Agadir embarque désormais un émetteur signalant sa position toutes les dix minutes.",
        "Les armateurs y voient un gain de sécurité pour les équipages en cas d'avarie au large.",
    ]),
    ("Khouribga : une piste cyclable relie la gare au campus", "Le Matin", [
        "Longue de six kilomètres, la voie réservée aux vélos longe l'avenue principale puis traverse le parc municipal.",
        "Un service de prêt gratuit est proposé aux étudiants munis de leur carte.",
    ]),
    ("El Jadida : la citerne portugaise éclairée de nuit", "Le Matin", [
        "Un nouvel éclairage met en valeur les voûtes de la célèbre citerne de la cité portugaise.",
        "Les visites nocturnes débuteront dès le week-end prochain, sur réservation.",
    ]),
    ("Midelt : les pommiers en fleurs malgré le froid", "Le Matin", [
        "Les vergers de la haute Moulouya ont fleuri avec deux semaines d'avance cette année.",
        "Les arboriculteurs redoutent toutefois une gelée tardive qui compromettrait la récolte.",
    ]),
    ("Kénitra : un bac relie de nouveau les deux rives du Sebou", "Le Matin", [
        "Le bac motorisé a repris ses traversées après la réfection de ses deux embarcadères.",
        "Il évite aux agriculteurs de la rive nord un détour de près de trente kilomètres.",
    ]),
    ("Figuig : les palmeraies irriguées au goutte-à-goutte", "Le Matin", [
        "Un programme de modernisation équipe progressivement les jardins des sept ksour de l'oasis.",
        "L'économie d'eau attendue atteint un tiers de la consommation actuelle.",
    ]),
    ("Ouarzazate : les studios accueillent une école de cinéma", "Le Matin", [
        "Une quarantaine d'étudiants suivront leurs cours de prise de vue dans les anciens décors de la zone industrielle.",
        "Les techniciens locaux, formés sur les grands tournages, encadreront les ateliers pratiques.",
    ]),
    ("Tiznit : les bijoutiers d'argent ouvrent leurs ateliers aux visiteurs", "Le Matin", [
        "Pendant trois jours, les artisans de la rue des orfèvres montrent au public chaque étape du travail du filigrane.",
        "La chambre d'artisanat espère attirer de jeunes apprentis vers un métier qui en manque.",
    ]),
    ("Berkane : la clémentine prend le chemin des ports", "Le Matin", [
        "Les stations de conditionnement de la plaine des Triffa tournent jour et nuit depuis le début de la cueillette.",
        "Les premiers conteneurs réfrigérés ont quitté Nador à destination de l'Europe du Nord.",
    ]),
    ("Al Hoceima : un sentier côtier balisé jusqu'à Cala Iris", "Le Matin", [
        "Des bénévoles ont posé des bornes le long d'un chemin de falaise long de vingt-deux kilomètres.",
        "Des haltes ont été aménagées près des criques pour les randonneurs qui souhaitent se baigner.",
    ]),
    ("Sidi Ifni : le marché aux poissons rénové", "Le Matin", [
        "Les étals en faïence ont remplacé les caisses posées à même le sol de l'ancienne halle.",
        "Une chambre froide commune permet désormais aux petits pêcheurs de vendre le lendemain de la prise.",
    ]),
    ("Taza : le parc de Tazekka rouvre ses aires de pique-nique", "Le Matin", [
        "Les gardes forestiers ont dégagé les allées encombrées par les chutes de branches de l'hiver.",
        "Le stationnement reste limité aux abords de la maison du parc pour protéger les sous-bois.",
    ]),
    ("Mohammedia : la plage des Sablettes surveillée toute l'année", "Le Matin", [
        "Deux postes de secours resteront ouverts hors saison grâce à une convention avec la protection civile.",
        "Les surfeurs du club local participeront aux patrouilles du week-end.",
    ]),
    ("Asilah : les fresques du moussem repeintes sur les murs de la médina", "Le Matin", [
        "Une vingtaine de peintres ont reçu chacun un pan de mur blanchi à la chaux près de la porte de la mer.",
        "Les habitants votent pour l'œuvre qu'ils souhaitent garder jusqu'à l'édition suivante.",
    ]),
    ("Zagora : une station solaire alimente la pompe du ksar", "Le Matin", [
        "Les panneaux installés au bord de la palmeraie remplacent un groupe électrogène bruyant et coûteux.",
        "L'association du ksar prévoit d'étendre le dispositif au four collectif du quartier.",
    ]),
]

AR: list[tuple[str, str, list[str]]] = [
    ("الحسيمة: انطلاق موسم صيد الأخطبوط", "هسبريس", [
        "انطلق صباح الاثنين موسم صيد الأخطبوط في سواحل الحسيمة بعد فترة راحة بيولوجية دامت ثلاثة أشهر.",
        "وتتوقع جمعيات البحارة مردودا أفضل من الموسم الماضي بفضل اعتدال درجات حرارة المياه.",
    ]),
    ("فاس: ترميم مدرسة عتيقة في قلب المدينة القديمة", "هسبريس", [
        "شرعت ورشة من الحرفيين في ترميم الزليج والخشب المنقوش لمدرسة يعود بناؤها إلى القرن الرابع عشر.",
        "ومن المنتظر أن تفتح المدرسة أبوابها للزوار مع حلول فصل الربيع المقبل.",
    ]),
    ("زاكورة: توزيع بذور النخيل على الفلاحين الصغار", "هسبريس", [
        "استفاد مئتا فلاح من واحات درعة من فسائل نخيل مقاومة لمرض البيوض.",
        "وأكد المسؤولون أن العملية ستتواصل في الواحات المجاورة خلال السنة القادمة.",
    ]),
    ("مراكش: افتتاح متحف للآلات الموسيقية التقليدية", "هسبريس", [
        "يضم المتحف الجديد أكثر من ثلاثمئة آلة بينها عود ورباب وطبول من مختلف جهات المملكة.",
        "ويقترح فضاء صغيرا للاستماع إلى تسجيلات نادرة لفرق شعبية.",
    ]),
    ("الداخلة: مزارع المحار تضاعف إنتاجها", "هسبريس", [
        "ارتفع إنتاج مزارع المحار في خليج وادي الذهب إلى ضعف ما سجل قبل عامين.",
        "ويصدر جزء كبير من المحصول نحو أسواق أوروبية عبر ميناء المدينة.",
    ]),
    ("تطوان: مهرجان للكتاب المستعمل في ساحة الفدان", "هسبريس", [
        "نصب الكتبيون أكثر من أربعين خيمة لعرض الكتب القديمة والمجلات بأسعار رمزية.",
        "ويستمر المهرجان أسبوعا كاملا مع لقاءات يومية مع كتاب من المنطقة.",
    ]),
    ("ورزازات: تصوير فيلم تاريخي في قصبة تاوريرت", "هسبريس", [
        "حل طاقم سينمائي أجنبي بورزازات لتصوير مشاهد فيلم تاريخي داخل القصبة.",
        "ووفر التصوير فرص عمل مؤقتة لعشرات الشباب من ساكنة المدينة.",
    ]),
    ("آسفي: ورشة لتعليم صناعة الفخار للأطفال", "هسبريس", [
        "فتحت تعاونية للخزافين في تل الفخارين أبوابها أمام تلاميذ المدارس خلال العطلة.",
        "وتعلم المشاركون تشكيل الطين وتزيين الأواني بالألوان التقليدية.",
    ]),
    ("إفران: حملة لتنظيف ضفاف البحيرات", "هسبريس", [
        "شارك متطوعون من الجمعيات المحلية في جمع النفايات حول بحيرتي ضاية عوا وأفنورير.",
        "ودعت السلطات الزوار إلى احترام الفضاءات الطبيعية خلال عطلة نهاية الأسبوع.",
    ]),
    ("العيون: افتتاح قاعة مغطاة لكرة السلة", "هسبريس", [
        "دشنت القاعة الجديدة بمباراة ودية جمعت فريقي المدينة أمام جمهور غفير.",
        "وتتسع القاعة لألفي متفرج وتتوفر على مستودعات حديثة.",
    ]),
    ("تازة: فتح مغارة فريواطو أمام الزوار من جديد", "هسبريس", [
        "أعيد فتح المغارة بعد تركيب درابزين جديد وإنارة تحافظ على تكويناتها الكلسية.",
        "ويرافق مرشدون من المنطقة الزوار في جولات تدوم ساعة كاملة.",
    ]),
    ("الصويرة: تكوين الشباب في صناعة خشب العرعار", "هسبريس", [
        "أطلقت غرفة الصناعة التقليدية دورة تكوينية لفائدة ثلاثين شابا في حرفة النقش على العرعار.",
        "وسيحصل المستفيدون على شهادة تؤهلهم لفتح ورشات خاصة.",
    ]),
    ("بني ملال: توسيع شبكة النقل الحضري نحو الأحياء الجديدة", "هسبريس", [
        "أعلنت الجماعة عن إحداث ثلاثة خطوط جديدة للحافلات تربط الأحياء الشرقية بوسط المدينة.",
        "وسيتم تشغيل الخطوط ابتداء من الشهر المقبل بأسعار تفضيلية للطلبة.",
    ]),
    ("شفشاون: موسم قطف الزيتون يجمع الأسر في الحقول", "هسبريس", [
        "تخرج الأسر القروية في جبال الريف كل صباح لجني الزيتون في أجواء احتفالية.",
        "ويحمل المحصول على ظهور البغال نحو المعاصر التقليدية في القرى المجاورة.",
    ]),
    ("الرشيدية: سد جديد لتخزين مياه الأمطار", "هسبريس", [
        "انتهت أشغال بناء سد تلي صغير على أحد روافد وادي زيز.",
        "ويتوقع أن يسهم في تغذية الفرشة المائية وسقي مئات الهكتارات.",
    ]),
    ("القنيطرة: معرض للصور الفوتوغرافية عن الطيور المهاجرة", "هسبريس", [
        "يعرض المعرض صورا التقطها هواة لطيور تحط كل شتاء في محمية سيدي بوغابة.",
        "ويرافق المعرض برنامج للرحلات الميدانية لفائدة تلاميذ المؤسسات التعليمية.",
    ]),
    ("تارودانت: ترميم أسوار المدينة بالطين المحلي", "هسبريس", [
        "شرع حرفيون في إصلاح أجزاء متصدعة من السور التاريخي باستعمال خليط من التراب والجير.",
        "ويحرص المشرفون على الورش على احترام طريقة البناء القديمة في كل مرحلة.",
    ]),
    ("كلميم: قافلة طبية تجوب الدواوير النائية", "هسبريس", [
        "قدم أطباء متطوعون فحوصات مجانية لسكان خمس جماعات قروية خلال أسبوع واحد.",
        "وتم توجيه الحالات التي تحتاج إلى تتبع نحو المستشفى الإقليمي.",
    ]),
    ("أكادير: افتتاح سوق للمنتجات البحرية الطازجة", "هسبريس", [
        "فتح السوق الجديد أبوابه قرب الميناء لتقريب الأسماك من المستهلكين بأسعار مناسبة.",
        "ويضم فضاء مخصصا للتعاونيات النسائية التي تحضر الأطباق البحرية.",
    ]),
    ("وجدة: حديقة للا عائشة تستعيد نافوراتها", "هسبريس", [
        "أعيد تشغيل النافورات القديمة بعد تجديد قنوات المياه تحت الممرات.",
        "وأصبحت الحديقة مقصدا للعائلات في أمسيات نهاية الأسبوع.",
    ]),
    ("الناظور: سباق للقوارب الشراعية في بحيرة مارتشيكا", "هسبريس", [
        "شارك في السباق عشرات البحارة الشباب القادمين من نوادي الساحل المتوسطي.",
        "وساعدت الرياح المعتدلة على إجراء كل الأشواط في موعدها.",
    ]),
]
