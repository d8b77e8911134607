"""Pure text work, no Scrapy: what newsbot does to strings, in one package.

* :mod:`newsbot.text.normalize`: one-line clean text (:func:`normalize_text`), the folded
  key short texts are compared by (:func:`fold_for_match`), paragraphs joined and split;
* :mod:`newsbot.text.dates`: dates of datelines and feeds (dateparser plus the Maghreb months);
* :mod:`newsbot.text.signatures`: content fingerprints and MinHash signatures for dedupe.
"""

from newsbot.text.normalize import (
    PARAGRAPH_SEPARATOR,
    fold_for_match,
    join_paragraphs,
    normalize_text,
    split_paragraphs,
)

__all__ = ["PARAGRAPH_SEPARATOR", "fold_for_match", "join_paragraphs", "normalize_text", "split_paragraphs"]
