"""The template's words in each language: datelines, site notices, "read also" labels and
next-page links (what is verified and what is assumed: ../shared/corpus/aggregator_facts.md).

French is verified on the founding page; Arabic and English are assumed from stored captures
and the replicas.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """Template wording of one language, shared by every site of the family.

    ``dateline_prefix``/``dateline_connector`` frame the outlet in the "published in"
    line: fr ``Publié dans <outlet> le <date>`` (verified), ar ``نشر في <outlet> يوم
    <date>`` and en ``Published in <outlet> on <date>`` (assumed). ``template_lines``
    are whole lines of site furniture (flag notice, closing source sentence);
    ``next_words`` the text of a listing's next-page link.
    """

    code: str
    dateline_prefix: tuple[str, ...]
    dateline_connector: tuple[str, ...]
    template_lines: tuple[str, ...]
    next_words: tuple[str, ...]


FRENCH = Language(
    code="fr",
    dateline_prefix=("Publié dans", "Publie dans"),
    dateline_connector=("le",),
    template_lines=(
        "Merci d'avoir signalé!",
        "Cette image sera automatiquement bloquée après qu'elle soit signalée par plusieurs personnes.",
        "Cliquez ici pour lire l'article depuis sa source.",
        "Signaler cette image",
    ),
    next_words=("Suivant", "Suivante", "Page suivante", "»"),
)
ARABIC = Language(
    code="ar",
    dateline_prefix=("نشر في", "نُشر في"),
    dateline_connector=("يوم", "في"),
    template_lines=(
        "شكرا على التبليغ!",
        "سيتم حجب هذه الصورة تلقائيا بعد أن يتم التبليغ عنها من طرف عدة أشخاص.",
        "اضغط هنا لقراءة الخبر من مصدره",
        "اضغط هنا لقراءة الخبر من مصدره.",
        "التبليغ عن الصورة",
    ),
    next_words=("التالي", "التالية", "الصفحة التالية", "»"),
)
ENGLISH = Language(
    code="en",
    dateline_prefix=("Published in",),
    dateline_connector=("on",),
    template_lines=(
        "Thank you for reporting!",
        "This image will be automatically blocked after it is reported by several people.",
        "Click here to read the story from its source",
        "Click here to read the story from its source.",
        "Report this image",
    ),
    next_words=("Next", "Next page", "»"),
)
LANGUAGES = {lang.code: lang for lang in (FRENCH, ARABIC, ENGLISH)}
"""The languages of the family's editions, by code (``fr``, ``ar``, ``en``)."""

TEMPLATE_LINES = tuple(line for lang in LANGUAGES.values() for line in lang.template_lines)
"""Every site notice of every language (flag notice, closing source sentence)."""

NEXT_WORDS = tuple(word for lang in LANGUAGES.values() for word in lang.next_words)
"""Every text of a next-page link."""

READ_ALSO_STRONG = (
    "Lire aussi", "À lire aussi", "A lire aussi", "Lire également", "À lire également",
    "Read also", "Also read", "اقرأ أيضا", "إقرأ أيضاً", "اقرأ كذلك", "إقرأ كذلك", "طالع أيضا",
)
"""Labels of "read also" lines copied from outlets: a label followed by a headline."""

READ_ALSO_WEAK = ("Read more", "See also", "Voir aussi", "اقرأ المزيد")
"""Labels that also start ordinary sentences ("Read more about it in the annex, ..."): a
label only when alone or followed by ':' or a dash."""
