"""The state store in Redis (``NEWSBOT_STATE=redis://host:port/db``, or the cluster's Redis).

Every key starts with the namespace (``NEWSBOT_STATE_NAMESPACE``, default the project's
``BOT_NAME``), so one Redis holds several projects; site-specific keys also carry the site:

* ``<ns>:meta`` hash; ``<ns>:articles`` hash ``article_id -> status``;
* ``<ns>:docid`` counter, ``<ns>:docurl`` hash ``url -> id``, ``<ns>:docs`` hash
  ``id -> packed document``, ``<ns>:fp`` hash ``fingerprint -> id``, and one set of ids per
  LSH bucket ``<ns>:lsh:<band key>`` (small integer sets: Redis stores them compactly);
* ``<ns>:bp:<site>:cand:<paragraph key>`` sets of title keys, expiring ``candidate_ttl``
  seconds (``NEWSBOT_BOILERPLATE_FORGET_DAYS``) after they were last seen, ``<ns>:bp:<site>:learned``
  hash ``paragraph key -> text``, ``<ns>:bp:items`` hash ``site -> items seen``.

Writes of one call go in one pipeline (one round trip); ``item`` statuses use HSET and
``dropped:*`` ones HSETNX, so an ``item`` is never downgraded.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import redis

from newsbot.state.base import ITEM, SCHEMA_VERSION, StateError, StoredDocument


class RedisState:
    """:class:`~newsbot.state.base.StateStore` in Redis (see module docstring).

    Raises :class:`~newsbot.state.base.StateError` when Redis does not answer.
    """

    persistent = True

    def __init__(self, uri: str, namespace: str, candidate_ttl: float = 30 * 86400) -> None:
        self.uri = uri
        self.namespace = namespace
        self.candidate_ttl = max(1, int(candidate_ttl))
        try:
            self._r = redis.Redis.from_url(uri, socket_timeout=30, socket_connect_timeout=10)
            self._r.ping()
            if self._r.hsetnx(self._key("meta"), "schema", SCHEMA_VERSION):
                self._r.hset(self._key("meta"), "namespace", namespace)
        except (redis.RedisError, ValueError) as exc:
            raise StateError(f"state store {uri} is unreadable: {exc}") from exc

    def _key(self, *parts: str) -> str:
        return ":".join((self.namespace, *parts))

    # --- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        value = self._r.hget(self._key("meta"), key)
        return value.decode() if value is not None else None

    def set_meta(self, key: str, value: str) -> None:
        self._r.hset(self._key("meta"), key, value)

    # --- seen articles -------------------------------------------------------------------------
    def article_statuses(self, article_ids: Sequence[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        values = self._r.hmget(self._key("articles"), ids)
        return {i: v.decode() for i, v in zip(ids, values, strict=True) if v is not None}

    def record_articles(self, records: Sequence[tuple[str, str]]) -> None:
        pipe = self._r.pipeline(transaction=False)
        for article_id, status in records:
            if status == ITEM:
                pipe.hset(self._key("articles"), article_id, status)
            else:
                pipe.hsetnx(self._key("articles"), article_id, status)
        pipe.execute()

    # --- dedupe index --------------------------------------------------------------------------
    def find_fingerprint(self, fingerprint: bytes) -> list[StoredDocument]:
        doc_id = self._r.hget(self._key("fp"), fingerprint)
        if doc_id is None:
            return []
        return [doc.without_signature() for doc in self._documents([doc_id])]

    def find_bands(self, band_keys: Sequence[int]) -> list[StoredDocument]:
        if not band_keys:
            return []
        ids = self._r.sunion([self._band(k) for k in band_keys])
        return [doc.stored() for doc in self._documents(sorted(ids, key=int))]

    def add_document(
        self, url: str, run: str, site: str, fingerprint: bytes, signature: bytes, band_keys: Sequence[int]
    ) -> None:
        old_id = self._r.hget(self._key("docurl"), url)
        pipe = self._r.pipeline(transaction=True)
        if old_id is not None:
            for old in self._documents([old_id]):
                for key in old.band_keys:
                    pipe.srem(self._band(key), old_id)
            pipe.hdel(self._key("docs"), old_id)
        doc_id = self._r.incr(self._key("docid"))
        packed = _Packed(url, run, site, fingerprint, signature, tuple(band_keys)).pack()
        pipe.hset(self._key("docs"), doc_id, packed)
        pipe.hset(self._key("docurl"), url, doc_id)
        pipe.hset(self._key("fp"), fingerprint, doc_id)
        for key in band_keys:
            pipe.sadd(self._band(key), doc_id)
        pipe.execute()

    def document_count(self) -> int:
        return int(self._r.hlen(self._key("docs")))

    def _band(self, key: int) -> str:
        return self._key("lsh", f"{key & 0xFFFFFFFFFFFFFFFF:016x}")

    def _documents(self, ids: Sequence[bytes | str | int]) -> list[_Packed]:
        if not ids:
            return []
        return [_Packed.unpack(raw) for raw in self._r.hmget(self._key("docs"), list(ids)) if raw is not None]

    # --- learned boilerplate ------------------------------------------------------------------
    def learned_paragraphs(self, site: str) -> dict[bytes, str]:
        raw = self._r.hgetall(self._key("bp", site, "learned"))
        return {bytes.fromhex(k.decode()): v.decode() for k, v in raw.items()}

    def count_titles(self, site: str, paragraph_keys: Sequence[bytes], title_key: bytes) -> dict[bytes, int]:
        keys = list(dict.fromkeys(paragraph_keys))
        pipe = self._r.pipeline(transaction=False)
        for key in keys:
            name = self._key("bp", site, "cand", key.hex())
            pipe.sadd(name, title_key)
            pipe.expire(name, self.candidate_ttl)  # forgotten when not seen again for the TTL
            pipe.scard(name)
        results = pipe.execute()
        return {key: int(results[3 * i + 2]) for i, key in enumerate(keys)}

    def learn_paragraph(self, site: str, paragraph_key: bytes, text: str) -> None:
        pipe = self._r.pipeline(transaction=True)
        pipe.hset(self._key("bp", site, "learned"), paragraph_key.hex(), text)
        pipe.delete(self._key("bp", site, "cand", paragraph_key.hex()))
        pipe.execute()

    def add_site_items(self, site: str, count: int) -> int:
        return int(self._r.hincrby(self._key("bp", "items"), site, count))

    def forget_candidates(self, older_than: float) -> int:
        return 0  # candidate sets expire by themselves (candidate_ttl)

    def close(self) -> None:
        self._r.close()


class _Packed:
    """One document of the dedupe index as bytes: fingerprint, band keys, signature, then
    run, site and URL as UTF-8 separated by NUL."""

    _HEAD = struct.Struct(">16sH")

    def __init__(self, url: str, run: str, site: str, fp: bytes, sig: bytes, band_keys: tuple[int, ...]) -> None:
        self.url, self.run, self.site, self.fp, self.sig, self.band_keys = url, run, site, fp, sig, band_keys

    def pack(self) -> bytes:
        head = self._HEAD.pack(self.fp.ljust(16, b"\0")[:16], len(self.band_keys))
        bands = struct.pack(f">{len(self.band_keys)}q", *self.band_keys)
        text = "\0".join((self.run, self.site, self.url)).encode()
        return head + bands + struct.pack(">H", len(self.sig)) + self.sig + text

    @classmethod
    def unpack(cls, raw: bytes) -> _Packed:
        fp, count = cls._HEAD.unpack_from(raw)
        at = cls._HEAD.size
        bands = struct.unpack_from(f">{count}q", raw, at)
        at += 8 * count
        (length,) = struct.unpack_from(">H", raw, at)
        at += 2
        sig = raw[at : at + length]
        run, site, url = raw[at + length :].decode().split("\0", 2)
        return cls(url, run, site, fp, sig, bands)

    def stored(self) -> StoredDocument:
        return StoredDocument(self.url, self.run, self.sig)

    def without_signature(self) -> StoredDocument:
        return StoredDocument(self.url, self.run)
