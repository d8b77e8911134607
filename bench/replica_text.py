"""Made-up news text for the benchmark replica: French and Arabic sentences from small
grammars (subject, verb, object, complement) and word lists, drawn with a fixed seed.

No article text is copied from anywhere: every sentence is a combination of the slots
below, so bodies read like agency copy (places, institutions, figures, weekdays) and their
3-word shingles behave like real ones (mostly distinct between articles, shared inside a
story's near-duplicates).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FR = {
    "city": "Rabat Casablanca Fès Tanger Marrakech Agadir Oujda Meknès Tétouan Kénitra Safi Nador Errachidia "
            "Laâyoune Dakhla Khouribga Settat Essaouira Ouarzazate Taza Larache Guelmim Berkane Ifrane".split(),
    "domain": ["l'eau", "l'agriculture", "la santé", "l'éducation", "l'équipement", "le transport", "l'énergie",
               "le tourisme", "la culture", "l'emploi", "l'habitat", "la pêche maritime", "l'industrie",
               "le numérique", "la jeunesse", "l'environnement"],
    "day": "lundi mardi mercredi jeudi vendredi samedi dimanche".split(),
    "subject": [
        "Le conseil communal de {city}", "Le ministère de {domain}", "Les agriculteurs de la région de {city}",
        "La direction régionale de {domain}", "Plusieurs associations de {city}", "Le gouvernement",
        "L'Office national de {domain}", "Les élus de {city}", "La wilaya de {city}", "Un groupe d'investisseurs",
        "Les habitants de {city}", "Le président de la région", "La Banque centrale", "Les syndicats de {domain}",
        "Le Haut-Commissariat au Plan", "La chambre de commerce de {city}", "Les opérateurs du secteur",
        "Une délégation de parlementaires", "L'agence urbaine de {city}", "Les autorités locales de {city}",
    ],
    "verb": [
        "a annoncé", "a présenté", "a lancé", "a approuvé", "prévoit", "examine", "a inauguré", "a dévoilé",
        "souhaite accélérer", "a validé", "réclame", "a signé", "prépare", "a reporté", "a confirmé",
        "étudie", "a salué", "critique", "finance", "soutient",
    ],
    "object": [
        "un nouveau programme de {domain}", "le budget de l'année prochaine",
        "un plan de réhabilitation des routes rurales",
        "la construction d'une station de dessalement", "une convention de partenariat avec {city}",
        "l'extension du réseau de tramway", "un projet de {n} millions de dirhams", "la rénovation de {n} écoles",
        "un calendrier de travaux pour {city}", "la création de {n} emplois", "un rapport sur {domain}",
        "une campagne de sensibilisation", "le raccordement de {n} douars au réseau électrique",
        "un appel d'offres pour {domain}", "la hausse des tarifs", "un centre hospitalier à {city}",
        "une zone industrielle près de {city}", "un fonds d'appui aux coopératives", "la saison touristique",
        "le dispositif de soutien aux petites entreprises",
    ],
    "complement": [
        "lors d'une réunion tenue {day}", "selon un communiqué publié {day}",
        "afin de répondre à la demande croissante",
        "dans le cadre de la stratégie nationale", "au profit de {n} familles", "d'ici la fin de l'année {year}",
        "malgré les retards enregistrés", "en présence du gouverneur", "après plusieurs mois de concertation",
        "pour un montant global de {n} millions de dirhams", "à partir de {day} prochain", "sans donner de calendrier",
        "avec le soutien de partenaires étrangers", "dans plusieurs provinces du Royaume", "",
    ],
    "opener": ["", "", "", "Selon des sources concordantes, ", "Par ailleurs, ", "De son côté, ", "En outre, ",
               "D'après les chiffres officiels, ", "Pour rappel, ", "Dans ce contexte, "],
    "quote": ["« C'est une étape importante pour {city} », a déclaré un responsable.",
              "« Les résultats seront visibles dès {year} », a précisé un élu.",
              "« Nous attendons des engagements concrets », estime un représentant de la société civile."],
    "title": [
        "{city} : {subject_l} {verb} {object}", "{Domain} : {object_c} {complement}",
        "{subject} {verb} {object}", "{city} : {object_c}", "{Domain} : {subject_l} {verb} {object}",
    ],
    "read_also": ["Lire aussi :", "À lire aussi :", "Lire aussi:"],
    "boilerplate": "Suivez toute l'actualité de {outlet} sur notre site et nos réseaux sociaux.",
}

AR = {
    "city": ["الرباط", "الدار البيضاء", "فاس", "طنجة", "مراكش", "أكادير", "وجدة", "مكناس", "تطوان", "القنيطرة",
             "آسفي", "الجديدة", "الناظور", "الراشيدية", "العيون", "الداخلة", "خريبكة", "سطات", "الصويرة", "ورزازات",
             "تازة", "العرائش"],
    "domain": ["الماء", "الفلاحة", "الصحة", "التعليم", "التجهيز", "النقل", "الطاقة", "السياحة", "الثقافة",
               "التشغيل", "السكنى", "الصيد البحري", "الصناعة", "الرقمنة", "الشباب", "البيئة"],
    "day": "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد".split(),
    "subject": [
        "المجلس الجماعي لمدينة {city}", "وزارة {domain}", "فلاحو منطقة {city}", "المديرية الجهوية لقطاع {domain}",
        "جمعيات المجتمع المدني ب{city}", "الحكومة", "المكتب الوطني لقطاع {domain}", "منتخبو مدينة {city}",
        "ولاية جهة {city}", "مجموعة من المستثمرين", "سكان مدينة {city}", "رئيس الجهة", "بنك المغرب",
        "نقابات قطاع {domain}", "المندوبية السامية للتخطيط", "غرفة التجارة بمدينة {city}", "مهنيو القطاع",
        "وفد برلماني", "الوكالة الحضرية لمدينة {city}", "السلطات المحلية بمدينة {city}",
    ],
    "verb": ["أعلن عن", "قدم", "أطلق", "صادق على", "يدرس", "دشن", "كشف عن", "يسعى إلى تسريع", "وقع", "يعد",
             "أجل", "أكد", "ينتقد", "يمول", "يدعم", "طالب ب", "رحب ب", "راجع", "تبنى", "ناقش"],
    "object": [
        "برنامجا جديدا لقطاع {domain}", "ميزانية السنة المقبلة", "مخططا لإصلاح الطرق القروية",
        "مشروع محطة لتحلية مياه البحر", "اتفاقية شراكة مع مدينة {city}", "توسيع شبكة الترامواي",
        "مشروعا بقيمة {n} مليون درهم", "إصلاح {n} مدرسة", "جدولة أشغال بمدينة {city}", "إحداث {n} منصب شغل",
        "تقريرا حول قطاع {domain}", "حملة تحسيسية", "ربط {n} دوارا بشبكة الكهرباء", "طلب عروض لقطاع {domain}",
        "الزيادة في الأسعار", "مستشفى جديدا بمدينة {city}", "منطقة صناعية قرب {city}", "صندوقا لدعم التعاونيات",
        "الموسم السياحي", "برنامج دعم المقاولات الصغرى",
    ],
    "complement": [
        "خلال اجتماع عقد يوم {day}", "حسب بلاغ صدر يوم {day}", "من أجل الاستجابة للطلب المتزايد",
        "في إطار الاستراتيجية الوطنية", "لفائدة {n} أسرة", "قبل نهاية سنة {year}", "رغم التأخر المسجل",
        "بحضور عامل الإقليم", "بعد أشهر من التشاور", "بغلاف مالي إجمالي قدره {n} مليون درهم",
        "ابتداء من يوم {day} المقبل", "دون تحديد جدول زمني", "بدعم من شركاء أجانب", "في عدة أقاليم بالمملكة", "",
    ],
    "opener": ["", "", "", "وحسب مصادر متطابقة، ", "ومن جهة أخرى، ", "ومن جانبه، ", "وفضلا عن ذلك، ",
               "ووفق الأرقام الرسمية، ", "وللتذكير، ", "وفي هذا السياق، "],
    "quote": ["وقال مسؤول إن هذه مرحلة مهمة بالنسبة لمدينة {city}.",
              "وأوضح منتخب أن النتائج ستظهر ابتداء من سنة {year}.",
              "ويرى ممثل عن المجتمع المدني أن المطلوب هو التزامات ملموسة."],
    "title": ["{city}: {subject_l} {verb} {object}", "{Domain}: {object_c} {complement}", "{subject} {verb} {object}",
              "{city}: {object_c}", "{Domain}: {subject_l} {verb} {object}"],
    "read_also": ["اقرأ أيضا:", "إقرأ أيضاً :", "اقرأ أيضا :"],
    "boilerplate": "تابعوا آخر أخبار {outlet} على موقعنا وعلى شبكات التواصل الاجتماعي.",
}

GRAMMARS = {"fr": FR, "ar": AR}


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _first_lower(text: str, lang: str) -> str:
    # "Le conseil" -> "le conseil" inside a title; names and Arabic are left alone
    if lang == "fr" and text.startswith(("Le ", "La ", "Les ", "Un ", "Une ", "Plusieurs ", "L'")) \
            and not text.startswith(("La Banque", "Le Haut", "L'Office")):
        return text[:1].lower() + text[1:]
    return text


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int


class TextGen:
    """Sentences of one language (``fr`` or ``ar``), drawn from a pool built once with ``seed``.

    ``pool`` distinct sentences keep drawing cheap (an article picks whole sentences by
    index); the pool is large enough that two articles share few sentences and a paragraph
    of several sentences is (practically) never repeated by chance, so only the deliberate
    boilerplate lines are learned as boilerplate.
    """

    def __init__(self, lang: str, seed: int, pool: int = 20_000) -> None:
        self.lang = lang
        self.grammar = GRAMMARS[lang]
        rng = random.Random(f"{seed}/pool/{lang}")
        seen: dict[str, None] = {}
        while len(seen) < pool:
            seen.setdefault(self._sentence(rng))
        self.pool = [Sentence(s, len(s.split())) for s in seen]

    def _values(self, rng: random.Random) -> dict[str, object]:
        g = self.grammar
        return {
            "city": rng.choice(g["city"]), "domain": rng.choice(g["domain"]),
            "Domain": _first_upper(rng.choice(g["domain"])),
            "day": rng.choice(g["day"]), "n": rng.choice((2, 3, 5, 8, 12, 15, 20, 24, 30, 45, 60, 120, 250, 400, 1200)),
            "year": rng.choice((2021, 2022, 2023, 2025)),
        }

    def _fill(self, template: str, rng: random.Random) -> str:
        text = template.format(**self._values(rng))
        return text.replace(" de le ", " du ").replace(" de les ", " des ") if self.lang == "fr" else text

    def _sentence(self, rng: random.Random) -> str:
        g = self.grammar
        if rng.random() < 0.08:
            return self._fill(rng.choice(g["quote"]), rng)
        parts = [self._fill(rng.choice(g["subject"]), rng), rng.choice(g["verb"]),
                 self._fill(rng.choice(g["object"]), rng)]
        complement = self._fill(rng.choice(g["complement"]), rng)
        if complement:
            parts.append(complement)
        opener = rng.choice(g["opener"])
        text = " ".join(parts)
        if opener:
            text = opener + _first_lower(text, self.lang)
        return text + "."

    def title(self, rng: random.Random) -> str:
        """A headline (no final period)."""
        g = self.grammar
        subject = self._fill(rng.choice(g["subject"]), rng)
        obj = self._fill(rng.choice(g["object"]), rng)
        return rng.choice(g["title"]).format(
            **self._values(rng), subject=subject, subject_l=_first_lower(subject, self.lang),
            verb=rng.choice(g["verb"]), object=obj, object_c=_first_upper(obj),
            complement=self._fill(rng.choice(g["complement"]), rng),
        ).strip()

    def paragraphs(self, rng: random.Random, words: int) -> list[str]:
        """Paragraphs of 2 to 5 pool sentences, about ``words`` words in all."""
        out: list[str] = []
        total = 0
        pool = self.pool
        while total < words:
            picked = [pool[rng.randrange(len(pool))] for _ in range(rng.randint(2, 5))]
            out.append(" ".join(s.text for s in picked))
            total += sum(s.words for s in picked)
        return out

    def teaser(self, rng: random.Random, words: int = 25) -> str:
        """A few sentences cut to ``words`` words, ending " (...)" like the site's teasers."""
        text = " ".join(self.pool[rng.randrange(len(self.pool))].text for _ in range(3))
        return " ".join(text.split()[:words]) + " (...)"

    def perturb(self, text: str, rng: random.Random, share: float = 0.03) -> str:
        """``text`` with about ``share`` of its words replaced (a near-duplicate's edits)."""
        words = text.split(" ")
        for i in range(len(words)):
            if rng.random() < share:
                words[i] = rng.choice(self.pool[rng.randrange(len(self.pool))].text.split(" "))
        return " ".join(words)
