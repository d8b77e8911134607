"""Cleaning a body, stateless part: the rules that need nothing but the line itself, applied
once per line, in one place (the item loader calls :func:`clean_lines`).

A body arrives as raw lines (one per ``<br>`` line or ``<p>`` block, whitespace untouched).
Each line is, in this order:

1. a ticker banner by shape (:func:`ticker_parts`, on the raw line): removed, except body
   text it was glued to, kept as a :class:`Paragraph` with its ``source`` so the boilerplate
   pipeline can take known headlines off its edges (:mod:`newsbot.text.headlines`);
2. normalised (:func:`newsbot.text.normalize_text`); empty lines go;
3. a "read also" line (:func:`is_read_also`): removed;
4. a template line of the sites, or a template sentence glued to its start or end
   (:func:`strip_template_sentences`): removed.

Each kept paragraph is folded once (:func:`newsbot.text.normalize.fold_normalized`) and
carried folded: the stateful rules of the boilerplate pipeline (headlines of the site's
ticker and "most read" lists, learned boilerplate) and the dedupe signatures read the
folded form and never fold it again.

Cost is linear in the size of the body with a small constant: labels are matched on the
first words only, template sentences on the ends of a line only, and the ticker test
gives up on a line without four separators before normalising anything.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from newsbot.family.wording import READ_ALSO_STRONG, READ_ALSO_WEAK, TEMPLATE_LINES
from newsbot.text.normalize import (
    fold_for_match,
    fold_normalized,
    join_paragraphs,
    normalize_printable,
    normalize_text,
    text_key,
)

REMOVED_KINDS = ("ticker", "read_also", "template", "headlines", "learned")
"""What a removed line was, as counted in ``newsbot/boilerplate/lines/<kind>``: the first three
here, the last two by the boilerplate pipeline."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One kept paragraph of a body: ``text`` (normalised), ``folded``
    (:func:`newsbot.text.fold_for_match` of it) and, for body text that was glued to a ticker
    banner, ``source``: the raw piece it came from."""

    text: str
    folded: str
    source: str | None = None
    _key: bytes | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> bytes:
        """The 8-byte key learned boilerplate is stored under (:func:`paragraph_key`), hashed
        once: the learner, the warm-up gate and the learned rule all ask for it."""
        key = self._key
        if key is None:
            key = text_key(self.folded)
            object.__setattr__(self, "_key", key)  # a cache, not a change: frozen stays frozen
        return key


def paragraph_key(paragraph: str) -> bytes:
    """The key learned boilerplate is stored under: the paragraph folded for matching
    (case, punctuation, Arabic letter variants ignored), hashed to 8 bytes."""
    return text_key(fold_for_match(paragraph))


@dataclass
class CleanBody:
    """``paragraphs`` kept, in order; ``removed``: how many lines went, per kind."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def texts(self) -> list[str]:
        """The paragraphs' texts."""
        return [p.text for p in self.paragraphs]

    @property
    def body(self) -> str | None:
        """The paragraphs joined by a blank line (:func:`newsbot.text.join_paragraphs`)."""
        return join_paragraphs(p.text for p in self.paragraphs)

    @property
    def folded(self) -> str:
        """The body folded for matching: equal to ``fold_for_match(self.body)``."""
        return " ".join(p.folded for p in self.paragraphs if p.folded)


def clean_lines(raw_lines: Iterable[str]) -> CleanBody:
    """Apply the stateless rules to a body's raw lines (module docstring: the order).

    >>> sep = "\\u00a0" * 4
    >>> banner = sep.join(["Pluie sur Fès", "Budget voté en commission", "", "Nouveau train pour Oujda",
    ...                    "Festival de musique à Essaouira", "Grève des taxis à Rabat"]) + sep
    >>> body = clean_lines(["Premier paragraphe.", banner, "Lire aussi: Un autre sujet", "",
    ...                     "Dernier paragraphe.", "Cliquez ici pour lire l'article depuis sa source."])
    >>> [p.text for p in body.paragraphs], dict(body.removed)
    (['Premier paragraphe.', 'Dernier paragraphe.'], {'ticker': 1, 'read_also': 1, 'template': 1})
    """
    result = CleanBody()
    for raw in raw_lines:
        if not raw:
            continue  # an empty line: nothing to keep, nothing to count
        inner = raw.strip()
        if "&" not in raw and inner.isprintable() and "    " not in inner:
            # Most lines: no ticker (ticker_parts' first test) and printable: the cheap normalisation.
            paragraph = _clean_text(normalize_printable(raw, inner), result.removed)
            if paragraph is not None:
                result.paragraphs.append(paragraph)
            continue
        ticker = ticker_parts(raw)
        if ticker is None:
            paragraph = clean_piece(raw, result.removed)
            if paragraph is not None:
                result.paragraphs.append(paragraph)
            continue
        result.removed["ticker"] += 1
        before, _, after = ticker
        for piece in (before, after):
            paragraph = clean_piece(piece, result.removed) if piece else None
            if paragraph is not None:
                result.paragraphs.append(Paragraph(paragraph.text, paragraph.folded, piece))
    return result


def clean_piece(line: str, removed: Counter[str]) -> Paragraph | None:
    """One line through rules 2-4 (module docstring), counting what it removes in ``removed``."""
    return _clean_text(normalize_text(line), removed)


def _clean_text(text: str | None, removed: Counter[str]) -> Paragraph | None:
    """:func:`clean_piece` of a line already normalised (``text``)."""
    if text is None:
        return None
    if _is_read_also(text):
        removed["read_also"] += 1
        return None
    folded = fold_normalized(text)
    if folded in _TEMPLATE_FOLDED:
        removed["template"] += 1
        return None
    # A template sentence at the start or end of the text is at the start or end of its folded
    # form too: only then are the (slower) sentence patterns tried.
    if not (folded.startswith(_SENTENCE_FOLDS) or folded.endswith(_SENTENCE_FOLDS)):
        return Paragraph(text, folded)
    stripped = _strip_templates(text)
    if stripped != text:
        removed["template"] += 1
        if stripped is None:
            return None
        text, folded = stripped, fold_normalized(stripped)
    return Paragraph(text, folded)


def clean_title(title: str | None) -> str | None:
    """A title without template sentences (ticker and "most read" entries are real titles of
    other articles, so only the template patterns apply); None when nothing is left.

    >>> clean_title("Merci d'avoir signalé! Pluie sur Fès")
    'Pluie sur Fès'
    """
    text = normalize_text(title)
    if text is None:
        return None
    folded = fold_normalized(text)
    # As for a body line (_clean_text): no template sentence at either end of the folded title,
    # none at either end of the title, and the (slower) sentence patterns are not tried.
    if not (folded.startswith(_SENTENCE_FOLDS) or folded.endswith(_SENTENCE_FOLDS)):
        return text
    return _strip_templates(text)


# --- "read also" lines -------------------------------------------------------------------------

_READ_ALSO_LABELS: tuple[tuple[tuple[str, ...], bool], ...] = tuple(
    sorted(
        {(tuple(fold_for_match(label).split()), label in READ_ALSO_STRONG) for label in READ_ALSO_STRONG + READ_ALSO_WEAK},
        key=lambda entry: -len(entry[0]),
    )
)
_LABEL_WORDS = max(len(label) for label, _ in _READ_ALSO_LABELS)
_LABEL_FIRST_WORDS = frozenset(label[0] for label, _ in _READ_ALSO_LABELS)
# A word with its combining marks (Arabic tanween, French accents after NFKD): folded one by one.
_WORD = re.compile(r"[^\W_][\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670]*")
# What may follow a label: a colon, a dash, "..", an ellipsis, a guillemet or an arrow.
_LABEL_SEPARATOR = re.compile(r"^\s*(?::|：|-|–|—|\||»|>|›|→|\.{2,}|…)")
_SENTENCE_INSIDE = re.compile(r"[.!?؟]\s+\S")
MAX_HEADLINE_WORDS = 20
MAX_HEADLINE_CHARS_AFTER_LABEL = 200


def is_read_also(line: str | None) -> bool:
    """True for a "read also" line: a label, then ``:`` or a dash (and the linked headline),
    or nothing; or a strong label ("Lire aussi", "اقرأ أيضا", ...) followed by a short
    headline-like line. The weak labels "Read more", "See also", "Voir aussi" and
    "اقرأ المزيد" begin ordinary sentences too: they need the colon or dash, or to stand
    alone. Labels are matched in every spelling (case, accents, hamza/alef and tanween
    forms: :func:`newsbot.text.fold_for_match`), on the line's first words only.

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
    return bool(text) and _is_read_also(text)


def _is_read_also(text: str) -> bool:
    """:func:`is_read_also` of a normalised, non-empty text."""
    head = _WORD.search(text)
    if head is None or text[: head.start()].strip(" -–—•*·»>([") != "":
        return False  # something other than a bullet or a dash before the first word
    first = _fold_word(head.group())
    if first not in _LABEL_FIRST_WORDS:
        return False  # most lines: one cached fold and a set look-up
    words = list(islice(_WORD.finditer(text, head.start()), _LABEL_WORDS))
    folded = (first, *(_fold_word(word.group()) for word in words[1:]))
    for label, strong in _READ_ALSO_LABELS:
        if folded[: len(label)] != label:
            continue
        rest = text[words[len(label) - 1].end() :]
        if not rest.strip(" .:!…-–—»>›→|)]"):  # the label alone, maybe with punctuation
            return True
        if _LABEL_SEPARATOR.match(rest):
            return True
        return strong and _headline_like(rest)
    return False


@lru_cache(maxsize=8192)
def _fold_word(word: str) -> str:
    """A word (no ``&``: it is made of word characters) folded; first words of lines repeat a lot."""
    return fold_normalized(word)


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
    return not (body.endswith(".") and not body.endswith("..")) and not _SENTENCE_INSIDE.search(body)


# --- template lines and sentences of the sites -------------------------------------------------

_TEMPLATE_FOLDED = frozenset(fold_for_match(line) for line in TEMPLATE_LINES)


def is_template_line(line: str | None) -> bool:
    """True for a whole line of site furniture (flag notice, closing source sentence).

    >>> is_template_line("Cliquez ici pour lire l'article depuis sa source."), is_template_line("Cliquez ici.")
    (True, False)
    """
    return fold_for_match(line or "") in _TEMPLATE_FOLDED


def _sentence_pattern(sentence: str) -> str:
    """A regex for a template sentence without its final punctuation: any run of spaces
    and either apostrophe match."""
    text = (normalize_text(sentence) or "").rstrip(".!")
    pattern = re.escape(text)
    pattern = re.sub(r"(?:\\ )+", r"\\s+", pattern)
    return re.sub("['’]", "['’]", pattern)


_SENTENCE_FOLDS = tuple(sorted({fold_for_match(s) for s in TEMPLATE_LINES}))
_SENTENCES = "|".join(sorted({_sentence_pattern(s) for s in TEMPLATE_LINES}, key=len, reverse=True))
# A template sentence at the start must end there (punctuation or the end of the text), one at
# the end must start a sentence: "Merci d'avoir signalé ce problème" is not the flag notice.
_LEADING_TEMPLATE = re.compile(rf"^\s*(?:{_SENTENCES})(?:\s*[.!:]+\s*|\s*$)", re.IGNORECASE)
_TRAILING_TEMPLATE = re.compile(rf"(?:^|(?<=[.!?؟…»\"”)]))\s*(?:{_SENTENCES})\s*[.!]*\s*$", re.IGNORECASE)
# A trailing template sentence can only start this many characters before the end of a line:
# the search looks there only, so a long line costs no more than a short one.
_TRAILING_REACH = 2 * max(len(s) for s in TEMPLATE_LINES) + 20


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
    return _strip_templates(current) if current else None


def _strip_templates(current: str | None) -> str | None:
    """:func:`strip_template_sentences` of a normalised text."""
    while current:
        stripped = _LEADING_TEMPLATE.sub("", current, count=1)
        # Only the end can hold it (trailing "!!!" and spaces aside); the lookbehind still sees the
        # characters before ``pos``, so the search is shortened, not changed.
        reach = len(stripped.rstrip(".! ")) - _TRAILING_REACH
        match = _TRAILING_TEMPLATE.search(stripped, max(0, reach))
        if match is not None:
            stripped = stripped[: match.start()]
        if stripped == current:
            break
        current = normalize_text(stripped)
    return current


# --- ticker banners ---------------------------------------------------------------------------

TICKER_SEPARATOR = re.compile(r"[\s\u00a0\u2007\u202f]{4,}")
"""What joins the headlines of a ticker: four or more spaces or no-break spaces."""
MIN_TICKER_HEADLINES = 5
MAX_HEADLINE_CHARS = 300


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
    inner = raw_line.strip()
    if inner.isprintable() and "    " not in inner:
        # Tested in C: the only whitespace of a printable line is the plain space (no-break and
        # other spaces are unprintable), so without four spaces in a row it has no separator
        # inside, and the whitespace at its ends makes at most three parts.
        return None
    raw_parts = TICKER_SEPARATOR.split(raw_line)
    if len(raw_parts) < MIN_TICKER_HEADLINES:
        return None  # fewer parts than headlines needed, before anything is normalised
    parts = [p for p in (normalize_text(x) for x in raw_parts) if p]
    before = parts.pop(0) if parts and len(parts[0]) > MAX_HEADLINE_CHARS else None
    after = parts.pop() if parts and len(parts[-1]) > MAX_HEADLINE_CHARS else None
    if len(parts) < MIN_TICKER_HEADLINES or any(len(p) > MAX_HEADLINE_CHARS for p in parts):
        return None
    if sum(len(p.split()) >= 2 for p in parts) < MIN_TICKER_HEADLINES:
        return None
    return before, parts, after
