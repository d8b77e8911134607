"""Content fingerprints and MinHash signatures of cleaned items (datasketch does the hashing).

* :func:`content_fingerprint`: 16 bytes of BLAKE2b over the title and body folded for
  matching (case, punctuation, spacing, Arabic letter variants ignored): equal for exact
  copies under another URL;
* :func:`shingle_set` and :func:`jaccard`: exact similarity of two bodies at hand;
* :class:`Signer`: MinHash (datasketch, 128 permutations, the ``affine32`` scheme, seed 1)
  over 3-word shingles of the folded body, and its LSH band keys. The band layout comes
  from datasketch's ``MinHashLSH`` parameter search for the threshold, weighted for recall
  (false negatives 0.9, false positives 0.1: candidates are confirmed by the MinHash
  estimate, so a false positive costs one comparison): 14 bands of 9 rows at 0.8.
"""

from __future__ import annotations

import hashlib
import struct

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsbot.text import fold_for_match

NUM_PERM = 128
SHINGLE_WORDS = 3
SEED = 1
SCHEME = "affine32"
LSH_WEIGHTS = (0.1, 0.9)  # (false positive, false negative) weights of datasketch's search


def content_fingerprint(title: str | None, body: str | None) -> bytes:
    """The exact-duplicate key of an item.

    >>> a = content_fingerprint("Pluie sur Fès", "Il a plu.\\n\\nLes routes sont coupées.")
    >>> a == content_fingerprint("PLUIE  sur Fès !", "Il a plu. Les routes sont coupées")
    True
    >>> len(a)
    16
    """
    text = fold_for_match(title or "") + "\x1f" + fold_for_match(body or "")
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def shingles(body: str | None, size: int = SHINGLE_WORDS) -> list[bytes]:
    """The ``size``-word shingles of a body folded for matching; a body shorter than
    ``size`` words is one shingle, an empty one has none.

    >>> shingles("Il a plu sur Fès.")
    [b'il a plu', b'a plu sur', b'plu sur fes']
    """
    words = fold_for_match(body or "").split()
    if not words:
        return []
    if len(words) <= size:
        return [" ".join(words).encode()]
    return [" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)]


def shingle_set(body: str | None) -> np.ndarray:
    """A body's shingles as a sorted array of distinct 64-bit hashes, for exact Jaccard
    similarities within one process (Python's string hash is salted per process)."""
    return np.unique(np.fromiter((hash(s) for s in shingles(body)), dtype=np.int64))


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

    def minhash(self, body: str | None) -> MinHash | None:
        """The MinHash of a body's shingles, or None for a body without words."""
        items = shingles(body)
        if not items:
            return None
        mh = MinHash(num_perm=self.num_perm, seed=SEED, permutations=self._permutations, scheme=SCHEME)
        mh.update_batch(items)
        return mh

    def band_keys(self, mh: MinHash) -> list[int]:
        """One signed 64-bit key per LSH band (the layout is part of the key)."""
        values = mh.hashvalues
        keys = []
        for band, (start, end) in enumerate(self.hashranges):
            digest = hashlib.blake2b(
                struct.pack(">H", band) + values[start:end].tobytes(), digest_size=8, person=self.layout.encode()
            ).digest()
            keys.append(int.from_bytes(digest, "big", signed=True))
        return keys

    def similarity(self, mh: MinHash, signature: bytes) -> float:
        """Estimated Jaccard similarity of ``mh`` and a stored signature (0 if unusable)."""
        values = np.frombuffer(signature, dtype=mh.hashvalues.dtype)
        if len(values) != self.num_perm:
            return 0.0
        other = MinHash(num_perm=self.num_perm, seed=SEED, hashvalues=values, scheme=SCHEME)
        return mh.jaccard(other)

    @staticmethod
    def to_bytes(mh: MinHash) -> bytes:
        """A signature as stored: the raw uint32 hash values (512 bytes for 128 permutations)."""
        return mh.hashvalues.tobytes()
