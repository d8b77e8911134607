"""Text normalisation shared by loaders and pipelines (pure functions, no Scrapy).

Every text field of an item goes through :func:`normalize_text`; a body is a list of
paragraphs turned into one string by :func:`join_paragraphs`.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable

from w3lib.html import replace_entities

# Bidi controls (LRM, RLM, ALM, embeddings, isolates) and zero-width characters:
# invisible, but they break equality of titles and fingerprints of bodies.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\u202a-\u202e\u2060\u2066-\u2069\ufeff"
# Control characters (C0, DEL, C1) that str.split() does not take for whitespace: NUL, BEL,
# ESC, ... They separate words as much as a tab does, so they become spaces (removing them
# would glue the words on either side).
_CONTROL = "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
_HIDDEN = re.compile(f"[{_INVISIBLE}{_CONTROL}]")  # one scan finds both kinds


def _unhide(match: re.Match[str]) -> str:
    return " " if match.group() <= "\x9f" else ""

PARAGRAPH_SEPARATOR = "\n\n"
"""How paragraphs of ``body`` are joined: one blank line."""


def normalize_text(value: str | None) -> str | None:
    """Return ``value`` as clean one-line text, or None when nothing visible is left.

    Steps: HTML entities decoded (``&amp;`` -> ``&``, also left-over double-encoded
    ones), Unicode NFC, bidi marks and zero-width characters removed, control characters
    (NUL, BEL, ESC, DEL, C1), no-break and other spaces made plain spaces, whitespace
    collapsed and stripped.

    >>> normalize_text("\\u00a0Le\\u00a0Maroc bat l\\u2019\\u00c9gypte\\u00a0")
    'Le Maroc bat l’Égypte'
    >>> normalize_text("\\u200f الرباط:\\u200e  افتتاح ")
    'الرباط: افتتاح'
    >>> normalize_text("&nbsp;") is None
    True
    >>> normalize_text("Le\\x00Maroc\\x07bat\\x1b\\x7f l\\x9f\\u00c9gypte\\x00")
    'Le Maroc bat l Égypte'
    """
    if value is None:
        return None
    text = replace_entities(value, remove_illegal=True) if "&" in value else value
    text = unicodedata.normalize("NFC", text)
    stripped = text.strip()
    if stripped.isprintable():
        # The common case, tested in C: no invisible or control character (none is whitespace, so
        # strip() left them all) and no whitespace inside but the plain space (every other one is
        # unprintable), so only runs of spaces may need collapsing.
        return (stripped if "  " not in stripped else " ".join(stripped.split())) or None
    text = _HIDDEN.sub(_unhide, text)  # invisible characters removed, control characters made spaces
    # Every Unicode space (NO-BREAK SPACE, NARROW NO-BREAK SPACE, FIGURE SPACE, ...) and
    # ordinary whitespace collapse into one ASCII space: str.split() splits on str.isspace().
    text = " ".join(text.split())
    return text or None


def normalize_printable(value: str, stripped: str) -> str | None:
    """:func:`normalize_text` of ``value`` given ``stripped``, its ``strip()``, printable and
    without ``&`` (most lines of a page: the caller has tested that much already): NFC changes
    nothing at the ends (no character composes with a space), so only ``stripped`` is normalised.

    >>> normalize_printable("  Le  Maroc ", "Le  Maroc"), normalize_printable(" ", "")
    ('Le Maroc', None)
    """
    text = unicodedata.normalize("NFC", stripped)
    if text is not stripped and not text.isprintable():
        return normalize_text(value)
    return (text if "  " not in text else " ".join(text.split())) or None


def join_paragraphs(paragraphs: Iterable[str | None]) -> str | None:
    """Join normalised paragraphs with a blank line; empty ones are dropped.

    >>> join_paragraphs(["Premier.", None, "", "Second."])
    'Premier.\\n\\nSecond.'
    >>> join_paragraphs([]) is None
    True
    """
    kept = [p for p in paragraphs if p]
    return PARAGRAPH_SEPARATOR.join(kept) if kept else None


def split_paragraphs(body: str | None) -> list[str]:
    """Inverse of :func:`join_paragraphs`: the paragraphs of a body string."""
    if not body:
        return []
    return [p for p in (normalize_text(part) for part in body.split(PARAGRAPH_SEPARATOR)) if p]


def fold_for_match(value: str | None) -> str:
    """A looser key for comparing short texts (headlines, template lines, paragraphs).

    Normalised as :func:`normalize_text`, case-folded, Arabic hamza/alef and
    ta marbuta/ya variants unified, tatweel and diacritics removed, punctuation
    ignored. ``"إقرأ أيضاً:"`` and ``"اقرأ ايضا"`` fold to the same key.

    >>> fold_for_match("إقرأ أيضاً:") == fold_for_match("اقرأ ايضا")
    True
    >>> fold_for_match("  L'Été, à Fès !")
    'l ete a fes'
    """
    return _fold(normalize_text(value) or "")


def fold_normalized(text: str) -> str:
    """:func:`fold_for_match` of a text already through :func:`normalize_text`, without
    normalising it again: the same key, cheaper (normalising is idempotent except for
    entities, so only a text with ``&`` is normalised once more).

    >>> fold_normalized("Pluie sur Fès") == fold_for_match("Pluie sur Fès")
    True
    """
    if "&" in text:
        return fold_for_match(text)
    return _fold(text)


def text_key(text: str) -> bytes:
    """An 8-byte key for a text (a folded paragraph or title), stable across runs and processes.

    >>> text_key("premier paragraphe").hex()
    'c4e7f240aeefcff6'
    """
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


_WORDS = re.compile(r"\w+")
_ARABIC_FOLD = {
    ord("أ"): "ا",
    ord("إ"): "ا",
    ord("آ"): "ا",
    ord("ٱ"): "ا",
    ord("ى"): "ي",
    ord("ة"): "ه",
    ord("ـ"): None,  # tatweel
}


def _class_of(codepoints: list[int]) -> str:
    """A regex character class of ``codepoints`` (sorted), as ranges."""
    ranges: list[tuple[int, int]] = []
    for c in codepoints:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


# The scripts of the family's editions: Latin, Arabic, and general punctuation and currency
# signs (’ « » … €). A text made of them only (after NFKD, the common case) is folded with a
# pattern of exactly their combining marks and seven replacements; any other text with one
# translate over a table of every combining mark of Unicode (built on first use, ~70 ms).
_SHORT_RANGES = ((0x0000, 0x0370), (0x0600, 0x0700), (0x2000, 0x20D0))
_BEYOND_SHORT = re.compile("[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b - 1))}" for a, b in _SHORT_RANGES) + "]")
_SHORT_MARKS = re.compile(
    "[" + _class_of([c for a, b in _SHORT_RANGES for c in range(a, b) if unicodedata.combining(chr(c))]) + "]+"
)
_SHORT_REPLACEMENTS = tuple((chr(k), v or "") for k, v in _ARABIC_FOLD.items())
# Punctuation of French and Arabic text (the ellipsis, which NFKD makes three full stops):
# word separators, made spaces first so that most French text becomes Latin-1, which
# bytes.translate and str.split fold at C speed (the \w+ scan costs more than the rest).
_SEPARATORS = ("’", "‘", "«", "»", "“", "”", "–", "—", "…", "€", "،", "؛", "؟")
# ASCII folded byte by byte in C (bytes.translate): letters lowered, other word characters kept,
# the rest a space.
_ASCII_FOLD = bytes(ord(chr(c).lower()) if re.match(r"\w", chr(c)) else 32 for c in range(128)) + bytes(range(128, 256))


def _latin1_fold(byte: int) -> int:
    """What a Latin-1 character folds to when that is one ASCII character: its NFKD without the
    combining marks (é -> e, ª -> a, no-break space -> space), folded as ASCII; 0x80 (not ASCII)
    for the others (ß, æ, µ, ½, °...), which only the long way folds."""
    base = "".join(c for c in unicodedata.normalize("NFKD", chr(byte)) if not unicodedata.combining(c))
    return _ASCII_FOLD[ord(base)] if len(base) == 1 and base.isascii() else 0x80


_LATIN1_FOLD = bytes(_latin1_fold(c) for c in range(256))


def _char_fold(char: str) -> str:
    """One character folded the long way (below): its NFKD without combining marks, the Arabic
    letters unified, case-folded, every character but a word character a space."""
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    folded = base.translate(_ARABIC_FOLD).casefold()
    return "".join(c if _WORDS.fullmatch(c) else " " for c in folded)


def _windows1256_fold() -> tuple[bytes, bytes]:
    """``(table, delete)`` for bytes.translate over Arabic text encoded as windows-1256 (its
    letters, marks and punctuation, and the French letters): each character that folds to one
    windows-1256 character becomes it, one that folds to nothing (a mark, the tatweel) is
    deleted, any other becomes ``!`` (which no character folds to: a word breaks, it is a space)."""
    table, delete = bytearray(b"!" * 256), bytearray()
    for byte in range(256):
        try:
            char = bytes([byte]).decode("windows-1256")
        except UnicodeDecodeError:
            continue
        folded = _char_fold(char)
        if not folded:
            delete.append(byte)
        elif len(folded) == 1:
            try:
                table[byte] = folded.encode("windows-1256")[0]
            except UnicodeEncodeError:
                pass
    return bytes(table), bytes(delete)


_ARABIC_TABLE, _ARABIC_DELETE = _windows1256_fold()
# Latin text after NFKD: ASCII and the combining accents split off its letters, nothing else
# (U+034F in that block is not a combining mark for unicodedata: left out of the class).
_NOT_ACCENTED_ASCII = re.compile(
    "[^\x00-\x7f" + _class_of([c for c in range(0x0300, 0x0370) if unicodedata.combining(chr(c))]) + "]"
)
_fold_table: dict[int, str | None] = {}


def _fold(text: str) -> str:
    if text.isascii():  # tested in C; NFKD leaves ASCII as it is
        return " ".join(text.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())
    # Separators are word breaks whichever way the text goes below, and NFKD keeps them (the
    # ellipsis aside, which it makes full stops: word breaks too).
    for separator in _SEPARATORS:
        if separator in text:
            text = text.replace(separator, " ")
    try:
        latin = text.encode("latin-1").translate(_LATIN1_FOLD)
    except UnicodeEncodeError:  # Arabic, œ...
        latin = b"\x80"
    if latin.isascii():
        # Latin-1 French text: each character folded in one table look-up, no NFKD.
        return " ".join(latin.decode("ascii").split())
    try:
        arabic = text.encode("windows-1256").translate(_ARABIC_TABLE, _ARABIC_DELETE)
    except UnicodeEncodeError:
        arabic = b"!"
    if b"!" not in arabic:
        # Arabic text (French letters and punctuation mixed in): the same, through windows-1256.
        return " ".join(arabic.decode("windows-1256").split())
    text = unicodedata.normalize("NFKD", text)
    if not _BEYOND_SHORT.search(text):
        if not _NOT_ACCENTED_ASCII.search(text):
            # Latin text: dropping what is not ASCII drops exactly the accents.
            return " ".join(text.encode("ascii", "ignore").translate(_ASCII_FOLD).decode("ascii").split())
        text = _SHORT_MARKS.sub("", text)
        for letter, replacement in _SHORT_REPLACEMENTS:
            if letter in text:
                text = text.replace(letter, replacement)
    else:
        if not _fold_table:
            _fold_table.update({c: None for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))})
            _fold_table.update(_ARABIC_FOLD)
        # One translate removes the combining marks NFKD split off and unifies the Arabic
        # letters (the letters are not combining marks, so the order does not matter).
        text = text.translate(_fold_table)
    return " ".join(_WORDS.findall(text.casefold()))
