"""Recognisers for the template text of the sites and the outlets (pure functions).

* "read also" lines copied from the outlet into the body, in every spelling:
  ``Lire aussi: ...``, ``À lire aussi``, ``Read also``/``Read more``, ``اقرأ أيضا``,
  ``إقرأ أيضاً`` and the other hamza/alef/tanween forms (matched after
  :func:`newsbot.text.fold_for_match`), without taking a sentence that merely starts
  with "Read more" or "Voir aussi" (:func:`is_read_also`);
* template lines of the sites (flag notice, closing source sentence) in French,
  Arabic and English (:data:`newsbot.sites.base.LANGUAGES`), as whole lines
  (:func:`is_template_line`) or glued to the start or end of one
  (:func:`strip_template_sentences`);
* ticker banners pasted into a body: by shape, on the raw line (:func:`ticker_parts`), or
  as lines made of headlines seen in the site's ticker and "most read" lists
  (:class:`HeadlineIndex`).
"""

from __future__ import annotations

import re

from newsbot.sites.base import LANGUAGES
from newsbot.text import fold_for_match, normalize_text

_STRONG_LABELS = (
    "Lire aussi", "À lire aussi", "A lire aussi", "Lire également", "À lire également",
    "Read also", "Also read", "اقرأ أيضا", "إقرأ أيضاً", "اقرأ كذلك", "إقرأ كذلك", "طالع أيضا",
)
# Also ordinary words at the start of a sentence ("Read more about it in the annex, ..."):
# a label only when alone or followed by ':' or a dash.
_WEAK_LABELS = ("Read more", "See also", "Voir aussi", "اقرأ المزيد")
_READ_ALSO_LABELS: tuple[tuple[tuple[str, ...], bool], ...] = tuple(
    sorted(
        {(tuple(fold_for_match(label).split()), label in _STRONG_LABELS) for label in _STRONG_LABELS + _WEAK_LABELS},
        key=lambda entry: -len(entry[0]),
    )
)
# A word with its combining marks (Arabic tanween, French accents after NFKD): folded one by one.
_WORD = re.compile(r"[^\W_][\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670]*")
# What may follow a label: a colon, a dash, "..", an ellipsis, a guillemet or an arrow.
_LABEL_SEPARATOR = re.compile(r"^\s*(?::|：|-|–|—|\||»|>|›|→|\.{2,}|…)")
MAX_HEADLINE_WORDS = 20
MAX_HEADLINE_CHARS_AFTER_LABEL = 200
TEMPLATE_LINES = frozenset(fold_for_match(line) for lang in LANGUAGES.values() for line in lang.template_lines)


def is_read_also(line: str | None) -> bool:
    """True for a "read also" line: a label, then ``:`` or a dash (and the linked headline),
    or nothing; or a strong label ("Lire aussi", "اقرأ أيضا", ...) followed by a short
    headline-like line. The weak labels "Read more", "See also", "Voir aussi" and
    "اقرأ المزيد" begin ordinary sentences too: they need the colon or dash, or to stand
    alone. Labels are matched in every spelling (case, accents, hamza/alef and tanween
    forms: :func:`newsbot.text.fold_for_match`).

    >>> is_read_also("Lire aussi: Afghanistan: carnage dans une mosquée chiite")
    True
    >>> is_read_also("إقرأ أيضاً: وزير الصحة")
    True
    >>> is_read_also("اقرأ أيضا وزير الصحة يزور مستشفى الرباط")
    True
    >>> is_read_also("Read more")
    True
    >>> is_read_also("See also - The annual report")
    True
    >>> is_read_also("Read more about it in the annex, the minister said.")
    False
    >>> is_read_also("Il faut lire aussi le rapport.")
    False
    """
    text = normalize_text(line)
    if not text:
        return False
    words = list(_WORD.finditer(text))
    if not words or text[: words[0].start()].strip(" -–—•*·»>([") != "":
        return False  # something other than a bullet or a dash before the first word
    folded = [fold_for_match(word.group()) for word in words]
    for label, strong in _READ_ALSO_LABELS:
        if tuple(folded[: len(label)]) != label:
            continue
        rest = text[words[len(label) - 1].end() :]
        if not rest.strip(" .:!…-–—»>›→|)]"):  # the label alone, maybe with punctuation
            return True
        if _LABEL_SEPARATOR.match(rest):
            return True
        return strong and _headline_like(rest)
    return False


def _headline_like(text: str) -> bool:
    """A short line that reads as a headline, not as the rest of a sentence: it starts
    right after a space with a capital letter (scripts with case), a digit, a quote or a
    letter of a script without case, has at most 20 words and 200 characters, and no
    sentence ends inside it or at its end (a final '.')."""
    if not text[:1].isspace():
        return False
    body = text.strip()
    first = body[:1]
    if not body or (first.isalpha() and first.lower() != first.upper() and not first.isupper()):
        return False  # "Lire aussi le rapport..." goes on a sentence
    if first in ",;":
        return False
    words = body.split()
    if len(words) > MAX_HEADLINE_WORDS or len(body) > MAX_HEADLINE_CHARS_AFTER_LABEL:
        return False
    return not (body.endswith(".") and not body.endswith("..")) and not re.search(r"[.!?؟]\s+\S", body)


def is_template_line(line: str | None) -> bool:
    """True for a whole line of site furniture (flag notice, closing source sentence)."""
    return fold_for_match(line or "") in TEMPLATE_LINES


# --- template sentences inside a line --------------------------------------------------------


def _sentence_pattern(sentence: str) -> str:
    """A regex for a template sentence without its final punctuation: any run of spaces
    and either apostrophe match."""
    text = (normalize_text(sentence) or "").rstrip(".!")
    pattern = re.escape(text)
    pattern = re.sub(r"(?:\\ )+", r"\\s+", pattern)
    return re.sub("['’]", "['’]", pattern)


_SENTENCES = "|".join(
    sorted({_sentence_pattern(s) for lang in LANGUAGES.values() for s in lang.template_lines}, key=len, reverse=True)
)
# A template sentence at the start must end there (punctuation or the end of the text), one at
# the end must start a sentence: "Merci d'avoir signalé ce problème" is not the flag notice.
_LEADING_TEMPLATE = re.compile(rf"^\s*(?:{_SENTENCES})(?:\s*[.!:]+\s*|\s*$)", re.IGNORECASE)
_TRAILING_TEMPLATE = re.compile(rf"(?:^|(?<=[.!?؟…»\"”)]))\s*(?:{_SENTENCES})\s*[.!]*\s*$", re.IGNORECASE)


def strip_template_sentences(text: str | None) -> str | None:
    """``text`` without the site's template sentences (flag notice, closing source sentence,
    in French, Arabic and English) at its start or end; None when nothing else is left.

    >>> strip_template_sentences("Merci d'avoir signalé! Les pluies reviennent sur le Rif.")
    'Les pluies reviennent sur le Rif.'
    >>> strip_template_sentences("عاد المطر إلى الريف. اضغط هنا لقراءة الخبر من مصدره")
    'عاد المطر إلى الريف.'
    >>> strip_template_sentences("Cliquez ici pour lire l’article depuis sa source") is None
    True
    """
    current = normalize_text(text)
    while current:
        stripped = _TRAILING_TEMPLATE.sub("", _LEADING_TEMPLATE.sub("", current, count=1), count=1)
        if stripped == current:
            break
        current = normalize_text(stripped)
    return current


# --- ticker banners ---------------------------------------------------------------------------

TICKER_SEPARATOR = re.compile(r"[\s\u00a0\u2007\u202f]{4,}")
"""What joins the headlines of a ticker: four or more spaces or no-break spaces."""
MIN_TICKER_HEADLINES = 5
MAX_HEADLINE_CHARS = 300
MIN_LONE_HEADLINE_WORDS = 3


def ticker_parts(raw_line: str) -> tuple[str | None, list[str], str | None] | None:
    """Split a raw body line that is a ticker banner into ``(text before, headlines, text
    after)``, or return None when it is not one.

    A ticker is a run of at least five headlines (two words or more, at most 300 characters)
    joined by four or more spaces or no-break spaces; empty items and a trailing separator
    occur. Must be called on the raw line, before whitespace is collapsed. A first or last
    part longer than a headline is body text the banner was glued to, returned apart.

    >>> line = "Pluie sur Fès\\xa0\\xa0\\xa0\\xa0Le port de Tanger s'agrandit\\xa0\\xa0\\xa0\\xa0\\xa0\\xa0\\xa0\\xa0"
    >>> line += "Budget voté en commission    Nouveau train pour Oujda    Festival de Essaouira\\xa0\\xa0\\xa0\\xa0"
    >>> before, headlines, after = ticker_parts(line)
    >>> before, after, len(headlines), headlines[1]
    (None, None, 5, "Le port de Tanger s'agrandit")
    >>> ticker_parts("Une phrase    avec des espaces    en trop.") is None
    True
    """
    parts = [p for p in (normalize_text(x) for x in TICKER_SEPARATOR.split(raw_line)) if p]
    before = parts.pop(0) if parts and len(parts[0]) > MAX_HEADLINE_CHARS else None
    after = parts.pop() if parts and len(parts[-1]) > MAX_HEADLINE_CHARS else None
    if len(parts) < MIN_TICKER_HEADLINES or any(len(p) > MAX_HEADLINE_CHARS for p in parts):
        return None
    if sum(len(p.split()) >= 2 for p in parts) < MIN_TICKER_HEADLINES:
        return None
    return before, parts, after


class HeadlineIndex:
    """Headlines seen in a site's ticker and "most read" lists during a crawl.

    :meth:`is_headline_line` tells whether a body line is made only of such headlines
    (however they are separated); a sentence that merely quotes one keeps it.

    >>> index = HeadlineIndex(["Pluie sur Fès", "Le port de Tanger s'agrandit"])
    >>> index.is_headline_line("Pluie sur Fès Le port de Tanger s’agrandit")
    True
    >>> index.is_headline_line("Le maire a commenté « Pluie sur Fès » hier.")
    False
    >>> index.strip_edges("Fin du texte de l'article. Pluie sur Fès")
    "Fin du texte de l'article."
    """

    def __init__(self, headlines: list[str] | None = None) -> None:
        self._folded: set[tuple[str, ...]] = set()
        self._lengths: dict[str, set[int]] = {}
        self._texts: set[str] = set()
        for headline in headlines or ():
            self.add(headline)

    def __len__(self) -> int:
        return len(self._folded)

    def add(self, headline: str | None) -> None:
        text = normalize_text(headline)
        words = tuple(fold_for_match(text or "").split())
        if not text or not words or words in self._folded:
            return
        self._folded.add(words)
        self._texts.add(text)
        self._lengths.setdefault(words[0], set()).add(len(words))

    def is_headline_line(self, line: str | None) -> bool:
        """True when ``line`` is one known headline (of 3 words or more) or a run of them."""
        words = fold_for_match(line or "").split()
        if not words or not self._folded:
            return False
        if tuple(words) in self._folded:
            return len(words) >= MIN_LONE_HEADLINE_WORDS
        reached = [False] * (len(words) + 1)
        reached[0] = True
        for start in range(len(words)):
            if not reached[start]:
                continue
            for length in self._lengths.get(words[start], ()):
                if tuple(words[start : start + length]) in self._folded:
                    reached[start + length] = True
        return reached[-1]

    def strip_edges(self, text: str | None) -> str | None:
        """``text`` without known headlines glued to its start or end."""
        current = normalize_text(text)
        changed = True
        while current and changed:
            changed = False
            for headline in self._texts:
                if current.endswith(headline) and len(headline) < len(current):
                    current, changed = normalize_text(current[: -len(headline)]), True
                elif current.startswith(headline) and len(headline) < len(current):
                    current, changed = normalize_text(current[len(headline) :]), True
                if changed:
                    break
        return current
