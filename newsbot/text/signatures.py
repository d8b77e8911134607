"""Content fingerprints and MinHash signatures of cleaned items (datasketch does the hashing).

Everything here works on text folded for matching (:func:`newsbot.text.fold_for_match`:
case, punctuation, spacing, Arabic letter variants ignored); the ``*_folded`` functions take
it already folded, so a caller folds a body once and derives all three keys from it:

* :func:`content_fingerprint`: 16 bytes of BLAKE2b over the folded title and body, over the
  whole text (hashing is linear and cheap): equal for exact copies under another URL;
* :func:`folded_shingles`: the 3-word shingles of a folded body, at most :data:`SHINGLE_CAP`,
  and :func:`shingle_hashes`, their 32-bit hashes (datasketch's ``sha1_hash32``), computed once
  for the signature and the exact set alike;
* :func:`shingle_set` and :func:`jaccard`: exact similarity of two bodies at hand;
* :class:`Signer`: MinHash (datasketch, 128 permutations, the ``affine32`` scheme, seed 1)
  over those shingles, its values computed from datasketch's permutations as
  ``MinHash.update_batch`` computes them, in one numpy expression, and its LSH band keys. The band layout comes from datasketch's
  ``MinHashLSH`` parameter search for the threshold, weighted for recall (false negatives
  0.9, false positives 0.1: candidates are confirmed by the MinHash estimate, so a false
  positive costs one comparison): 14 bands of 9 rows at 0.8.

:data:`SHINGLE_CAP` bounds the cost of a huge page (a 5.8 MB dump of 70,000 lines is about a
million shingles: hashing them all took 26 s and 1 GB): the MinHash and the exact shingle set
cover the first 10,000 shingles of a body, about 30 times a long article, so every normal
body is signed whole, exactly as before the cap. Two huge pages that share their first 10,000
words are then near-duplicates whatever follows; the fingerprint still tells exact copies.
"""

from __future__ import annotations

import hashlib
import operator
import struct
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.minhash import _fmix  # the scheme's pre-mix, as update_batch applies it

from newsbot.text import fold_for_match

NUM_PERM = 128
SHINGLE_WORDS = 3
SEED = 1
SCHEME = "affine32"
LSH_WEIGHTS = (0.1, 0.9)  # (false positive, false negative) weights of datasketch's search
SHINGLE_CAP = 10_000
"""Shingles of a body signed at most (its first ones; a body of 10,002 words has 10,000)."""


def content_fingerprint(title: str | None, body: str | None) -> bytes:
    """The exact-duplicate key of an item.

    >>> a = content_fingerprint("Pluie sur Fès", "Il a plu.\\n\\nLes routes sont coupées.")
    >>> a == content_fingerprint("PLUIE  sur Fès !", "Il a plu. Les routes sont coupées")
    True
    >>> len(a)
    16
    """
    return content_fingerprint_folded(fold_for_match(title or ""), fold_for_match(body or ""))


def content_fingerprint_folded(folded_title: str, folded_body: str) -> bytes:
    """:func:`content_fingerprint` of a title and body already folded for matching.

    >>> content_fingerprint_folded("pluie sur fes", "il a plu") == content_fingerprint("Pluie sur Fès", "Il a plu.")
    True
    """
    text = folded_title + "\x1f" + folded_body
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def shingles(body: str | None, size: int = SHINGLE_WORDS) -> list[bytes]:
    """The ``size``-word shingles of a body folded for matching (at most :data:`SHINGLE_CAP`);
    a body shorter than ``size`` words is one shingle, an empty one has none.

    >>> shingles("Il a plu sur Fès.")
    [b'il a plu', b'a plu sur', b'plu sur fes']
    """
    return folded_shingles(fold_for_match(body or ""), size)


def folded_shingles(folded: str, size: int = SHINGLE_WORDS, cap: int = SHINGLE_CAP) -> list[bytes]:
    """:func:`shingles` of a body already folded for matching: its first ``cap`` shingles
    (UTF-8 bytes), without splitting the words beyond them.

    >>> folded_shingles("a b c d e", cap=2)
    [b'a b c', b'b c d']
    >>> folded_shingles("deux mots"), folded_shingles("")
    ([b'deux mots'], [])
    """
    if not folded:
        return []
    # Encoded once, split on the single spaces folding leaves between words (words hold no
    # space); the rest of a huge body is never split.
    words = folded.encode().split(b" ", cap + size - 1)[: cap + size - 1]
    if len(words) <= size:
        return [b" ".join(words)]
    return list(map(b" ".join, zip(*(words[i:] for i in range(size)))))  # map: no Python frame per shingle


def shingle_hashes(items: list[bytes]) -> np.ndarray:
    """The 32-bit hash of each shingle, as datasketch's default ``sha1_hash32`` computes it (the
    first 4 bytes of its SHA-1, little-endian), in one pass: a uint32 array.

    >>> from datasketch.hashfunc import sha1_hash32
    >>> int(shingle_hashes([b"il a plu"])[0]) == sha1_hash32(b"il a plu")
    True
    """
    # map() chains run in C: no Python frame per shingle. The 20-byte digests are joined and read
    # through a record type whose first field is the 4 bytes sha1_hash32 keeps.
    return np.frombuffer(b"".join(map(_digest, map(_sha1, items))), dtype=_DIGEST_HEAD)["head"].copy()


try:
    # CPython's own SHA-1 (HACL*): the same digests as hashlib.sha1, which goes through
    # OpenSSL and spends more on setting up each hash object than on hashing a 20-byte shingle
    # (0.68 against 1.08 µs a shingle, about a third of the dedupe pipeline's time per item).
    from _sha1 import sha1 as _sha1
except ImportError:  # a Python built without its own hashes
    _sha1 = hashlib.sha1
_digest = operator.methodcaller("digest")
_DIGEST_HEAD = np.dtype([("head", "<u4"), ("rest", "V16")])


def shingle_set(body: str | None) -> np.ndarray:
    """A body's shingles as a sorted array of distinct 32-bit hashes, for exact Jaccard
    similarities (two distinct shingles of two articles share a hash about once in 10^4
    comparisons of 500-shingle bodies, a 0.001 change of one similarity)."""
    return shingle_set_of(shingle_hashes(shingles(body)))


def shingle_set_of(hashes: np.ndarray) -> np.ndarray:
    """:func:`shingle_set` of shingle hashes already computed (:func:`shingle_hashes`): what
    ``np.unique`` gives, by a sort and a mask (numpy 2's ``unique`` hashes first, ten times
    slower on a body's few hundred values).

    >>> shingle_set_of(np.array([7, 3, 7, 1], dtype="<u4")).tolist()
    [1, 3, 7]
    """
    ordered = np.sort(hashes)
    if len(ordered) < 2:
        return ordered
    distinct = np.empty(len(ordered), dtype=bool)
    distinct[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=distinct[1:])
    return ordered[distinct]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two :func:`shingle_set` arrays.

    >>> jaccard(shingle_set("il a plu sur Fès hier"), shingle_set("il a plu sur Fès ce matin"))
    0.5
    """
    if not len(a) and not len(b):
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


class Signer:
    """MinHash signatures and LSH band keys for a near-duplicate ``threshold``.

    ``layout`` (``"14x9"``) names the band layout: band keys of another layout never match.
    A signature is the MinHash's hash values, a uint32 array of ``num_perm`` values;
    :meth:`signature` computes what datasketch's ``MinHash.update_batch`` does, with its
    permutations, in one numpy expression (no object per item).

    >>> signer = Signer(0.8)
    >>> signer.layout, len(signer.band_keys(signer.minhash("Il a plu sur Fès toute la nuit.")))
    ('14x9', 14)
    """

    def __init__(self, threshold: float, num_perm: int = NUM_PERM) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(
                f"NEWSBOT_NEAR_DUPLICATE_THRESHOLD={threshold}: give an estimated Jaccard similarity"
                " between 0 and 1, e.g. -s NEWSBOT_NEAR_DUPLICATE_THRESHOLD=0.8"
            )
        self.threshold = threshold
        self.num_perm = num_perm
        lsh = MinHashLSH(threshold=min(threshold, 0.99), num_perm=num_perm, weights=LSH_WEIGHTS)
        self.hashranges = list(lsh.hashranges)
        self.layout = f"{lsh.b}x{lsh.r}"
        self.scheme = f"minhash/{SCHEME}/{num_perm}/seed{SEED}/shingles{SHINGLE_WORDS}"
        self._permutations = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations
        a, b = self._permutations
        self._a, self._b = a.reshape(-1, 1), b.reshape(-1, 1)  # one row per permutation
        self._person = self.layout.encode()
        self._band_heads = [struct.pack(">H", band) for band in range(len(self.hashranges))]

    def signature(self, hashes: np.ndarray) -> np.ndarray | None:
        """The MinHash hash values of shingles, given their :func:`shingle_hashes` (or their
        :func:`shingle_set_of`: the same values, as a minimum does not see repeats), or None
        for none."""
        if not len(hashes):
            return None
        # What MinHash.update_batch computes for the affine32 scheme, given the shingles' hashes
        # (sha1_hash32 values, shingle_hashes): datasketch's fmix pre-mix, then a * h + b modulo
        # 2^32 per permutation, and the minimum per permutation (below the initial 2^32 - 1).
        # Laid out permutation by shingle, numpy's loops run along the contiguous shingles and
        # no Python list of the values is built: 2-3 times faster than update_batch (bench/dedupe.py
        # --steps). tests/test_pipeline_dedupe.py checks the values against update_batch.
        values = self._a * _fmix(np.asarray(hashes, dtype=np.uint32), 32)
        values += self._b
        return values.min(axis=1)

    def minhash(self, body: str | None) -> MinHash | None:
        """The MinHash of a body's shingles, or None for a body without words."""
        values = self.signature(shingle_hashes(shingles(body)))
        if values is None:
            return None
        return MinHash(num_perm=self.num_perm, seed=SEED, hashvalues=values, permutations=self._permutations, scheme=SCHEME)

    def band_keys(self, signature: np.ndarray | Any) -> list[int]:
        """One signed 64-bit key per LSH band (the layout is part of the key), of a
        :meth:`signature` or of a ``MinHash``."""
        values = signature if isinstance(signature, np.ndarray) else signature.hashvalues
        return [
            int.from_bytes(
                hashlib.blake2b(head + values[start:end].tobytes(), digest_size=8, person=self._person).digest(),
                "big",
                signed=True,
            )
            for head, (start, end) in zip(self._band_heads, self.hashranges, strict=True)
        ]

    def similarity(self, signature: np.ndarray | MinHash, stored: bytes) -> float:
        """Estimated Jaccard similarity of a signature (or ``MinHash``) and a stored
        signature (0 if unusable): the share of equal hash values, as ``MinHash.jaccard``."""
        values = signature if isinstance(signature, np.ndarray) else signature.hashvalues
        other = np.frombuffer(stored, dtype=values.dtype)
        if len(other) != self.num_perm:
            return 0.0
        return float(np.count_nonzero(values == other)) / float(self.num_perm)

    @staticmethod
    def to_bytes(signature: np.ndarray | MinHash) -> bytes:
        """A signature as stored: the raw uint32 hash values (512 bytes for 128 permutations)."""
        values = signature if isinstance(signature, np.ndarray) else signature.hashvalues
        return values.tobytes()
