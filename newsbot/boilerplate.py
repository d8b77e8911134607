"""Recognisers for the template text of the sites and the outlets (pure functions).

* "read also" lines copied from the outlet into the body, in every spelling:
  ``Lire aussi: ...``, ``À lire aussi``, ``Read also``/``Read more``, ``اقرأ أيضا``,
  ``إقرأ أيضاً`` and the other hamza/alef/tanween forms (matched after
  :func:`newsbot.text.fold_for_match`);
* template lines of the sites (flag notice, closing source sentence) in French,
  Arabic and English (:data:`newsbot.sites.base.LANGUAGES`).
"""

from __future__ import annotations

from newsbot.sites.base import LANGUAGES
from newsbot.text import fold_for_match

_READ_ALSO_PREFIXES = tuple(
    fold_for_match(p)
    for p in (
        "Lire aussi", "À lire aussi", "A lire aussi", "Lire également", "À lire également",
        "Voir aussi", "Read also", "Also read", "Read more", "See also",
        "اقرأ أيضا", "إقرأ أيضاً", "اقرأ كذلك", "إقرأ كذلك", "اقرأ المزيد", "طالع أيضا",
    )
)
TEMPLATE_LINES = frozenset(fold_for_match(line) for lang in LANGUAGES.values() for line in lang.template_lines)


def is_read_also(line: str | None) -> bool:
    """True for a "read also" line (label first, then the linked headline or nothing).

    >>> is_read_also("Lire aussi: Afghanistan: carnage dans une mosquée chiite")
    True
    >>> is_read_also("إقرأ أيضاً: وزير الصحة")
    True
    >>> is_read_also("Il faut lire aussi le rapport.")
    False
    """
    folded = fold_for_match(line or "")
    return any(folded == p or folded.startswith(p + " ") for p in _READ_ALSO_PREFIXES)


def is_template_line(line: str | None) -> bool:
    """True for a whole line of site furniture (flag notice, closing source sentence)."""
    return fold_for_match(line or "") in TEMPLATE_LINES
