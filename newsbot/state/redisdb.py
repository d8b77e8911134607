"""The state store in Redis (``NEWSBOT_STATE=redis://host:port/db``, or the cluster's Redis).

Every key starts with the namespace (``NEWSBOT_STATE_NAMESPACE``, default the project's
``BOT_NAME``), so one Redis holds several projects; site-specific keys also carry the site:

* ``<ns>:meta`` hash; ``<ns>:articles`` hash ``article_id -> status``; ``<ns>:versions`` hash
  ``article_id -> "<first seen> <revision> <content hash>"`` (epoch seconds; revision and hash
  empty when unknown; issue 9: an article recorded before has no entry, so no first-seen
  time, and is never re-visited); ``<ns>:pending:<key>`` hash ``article_id -> status`` per
  running crawl process and ``<ns>:pending:<key>:v`` hash ``article_id -> "<revision> <content
  hash>"``, expiring :data:`PENDING_TTL` seconds after their last write (a killed process never
  promotes them);
* ``<ns>:docid`` counter, ``<ns>:docurl`` hash ``url -> id``, ``<ns>:docs`` hash
  ``id -> packed document``, ``<ns>:fp`` hash ``fingerprint -> id``, one set of ids per
  LSH bucket ``<ns>:lsh:<band key>`` (small integer sets: Redis stores them compactly), and
  ``<ns>:shingles`` hash ``id -> shingle set`` of the
  :data:`~newsbot.state.base.RECENT_SHINGLES` documents indexed last (ids come from one
  counter: indexing document ``n`` forgets the set of document ``n - RECENT_SHINGLES``);
* ``<ns>:bp:<site>:cand:<paragraph key>`` sets of title keys, expiring ``candidate_ttl``
  seconds (``NEWSBOT_BOILERPLATE_FORGET_DAYS``) after they were last seen, ``<ns>:bp:<site>:learned``
  hash ``paragraph key -> text``, ``<ns>:bp:items`` hash ``site -> items seen``.

Writes of one call go in one pipeline or script (one round trip); an ``item`` status replaces
any other, a ``dropped:*`` one is set only on an article without status, so an ``item`` is never downgraded (pending records: one Lua script
that sets a ``dropped:*`` status unless the article is pending as ``item``).
"""

from __future__ import annotations

import struct
import time
from collections.abc import Sequence

import redis

from newsbot.config import masked_url
from newsbot.state.base import (
    ITEM,
    Lookup,
    NewDocument,
    PENDING_TTL,
    RECENT_SHINGLES,
    SCHEMA_VERSION,
    Record,
    SeenArticle,
    StateError,
    StoredDocument,
    record_version,
)

# KEYS[1]: a pending hash; ARGV: its TTL, then article_id, status pairs.
_ADD_PENDING = """
for i = 2, #ARGV, 2 do
    if ARGV[i + 1] == 'item' or redis.call('HGET', KEYS[1], ARGV[i]) ~= 'item' then
        redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
    end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
"""
# KEYS: the articles and versions hashes; ARGV: now, then article_id, status, revision, content
# quadruples ('' = unknown). The status rule of the module docstring; the first-seen time of an
# article is kept (unknown for one recorded before versions were kept); a record with content
# replaces revision and content, one without keeps them.
_RECORD = """
for i = 2, #ARGV, 4 do
    local id, status, revision, content = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
    local known = redis.call('HEXISTS', KEYS[1], id) == 1
    if status == 'item' then
        redis.call('HSET', KEYS[1], id, status)
    else
        redis.call('HSETNX', KEYS[1], id, status)
    end
    local first, old_revision, old_content = ARGV[1], '', ''
    if known then
        first = ''  -- recorded before first-seen times were kept: unknown
    end
    local version = redis.call('HGET', KEYS[2], id)
    if version then
        first, old_revision, old_content = string.match(version, '^(%S*) (%S*) (%S*)$')
    end
    if content == '' or status ~= 'item' then
        revision, content = old_revision, old_content
    end
    redis.call('HSET', KEYS[2], id, first .. ' ' .. revision .. ' ' .. content)
end
"""
# KEYS: the docurl and docs hashes; ARGV[1]: a URL. Its packed document, in one round trip.
_DOCUMENT_OF_URL = """
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return false end
return redis.call('HGET', KEYS[2], id)
"""
# KEYS: docid counter, docs, docurl, fp and shingles hashes, then the document's LSH bucket
# sets. ARGV: since (an index mark; -1: index unconditionally), url, packed document,
# fingerprint, shingle set ('' none), RECENT_SHINGLES, the id of the URL's old document the
# caller has taken out ('' none). Returns the new id; 0 (nothing written) when a document
# indexed after the mark has this fingerprint or shares a bucket; {-1, id} (nothing written)
# when the URL has a document the caller must take out first.
_INDEX_DOCUMENT = """
local function index_document(first_band, url, packed, fp, shingles, recent)
  local id = redis.call('INCR', KEYS[1])
  redis.call('HSET', KEYS[2], id, packed)
  redis.call('HSET', KEYS[3], url, id)
  redis.call('HSET', KEYS[4], fp, id)
  for i = first_band, #KEYS do redis.call('SADD', KEYS[i], id) end
  if shingles ~= '' then redis.call('HSET', KEYS[5], id, shingles) end
  redis.call('HDEL', KEYS[5], id - tonumber(recent))
  return id
end
"""
"""The Lua function both scripts index a document with: KEYS 1 to 5 are the docid counter and
the docs, docurl, fp and shingles hashes, KEYS from ``first_band`` on its LSH bucket sets."""
_ADD_DOCUMENT = _INDEX_DOCUMENT + """
local old = redis.call('HGET', KEYS[3], ARGV[2])
if old and old ~= ARGV[7] then return {-1, old} end
local since = tonumber(ARGV[1])
-- nothing indexed since the mark (the id counter has not moved): nothing to compare
if since >= 0 and tonumber(redis.call('GET', KEYS[1]) or '0') > since then
  local same = redis.call('HGET', KEYS[4], ARGV[4])
  if same and tonumber(same) > since then return 0 end
  for i = 6, #KEYS do
    for _, id in ipairs(redis.call('SMEMBERS', KEYS[i])) do
      if tonumber(id) > since then return 0 end
    end
  end
end
return index_document(6, ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
"""
# KEYS: docid counter, docs, docurl, fp, shingles and articles hashes, then an item's LSH bucket
# sets. ARGV: its URL, its fingerprint, its article id ('' none), and to index it when nothing
# is found (StateStore.look_up's index): its packed document, its shingle set, RECENT_SHINGLES
# and '1' when an 'item' record of its article does not block it. Returns the index mark, the
# URL's packed document, the article's status, the packed document of the fingerprint, the
# packed documents and shingle sets of the buckets' ids (in id order), and the new document's id
# (false when not indexed): StateStore.look_up in one round trip.
_LOOK_UP = _INDEX_DOCUMENT + """
local mark = redis.call('GET', KEYS[1]) or '0'
local of_url = false
local id = redis.call('HGET', KEYS[3], ARGV[1])
if id then of_url = redis.call('HGET', KEYS[2], id) end
local status = false
if ARGV[3] ~= '' then status = redis.call('HGET', KEYS[6], ARGV[3]) end
local same = false
id = redis.call('HGET', KEYS[4], ARGV[2])
if id then same = redis.call('HGET', KEYS[2], id) end
local ids = {}
if #KEYS > 6 then ids = redis.call('SUNION', unpack(KEYS, 7)) end
local docs, shingles = {}, {}
if #ids > 0 then
  table.sort(ids, function(a, b) return tonumber(a) < tonumber(b) end)
  docs = redis.call('HMGET', KEYS[2], unpack(ids))
  shingles = redis.call('HMGET', KEYS[5], unpack(ids))
end
local new = false
if #ARGV > 3 and not of_url and not same and #ids == 0 and (status ~= 'item' or ARGV[7] == '1') then
  new = index_document(7, ARGV[1], ARGV[4], ARGV[2], ARGV[5], ARGV[6])
end
return {mark, of_url, status, same, docs, shingles, new}
"""
# KEYS: candidate sets of paragraphs; ARGV: a title key, the sets' TTL. Adds the title to each
# set, renews its TTL (forgotten when not seen again for that long), returns each set's size:
# one script rather than three commands per paragraph (the client's packing and parsing of
# them was most of a cluster worker's Redis cost per page).
_COUNT_TITLES = """
local counts = {}
for i = 1, #KEYS - 1 do
  redis.call('SADD', KEYS[i], ARGV[1])
  redis.call('EXPIRE', KEYS[i], ARGV[2])
  counts[i] = redis.call('SCARD', KEYS[i])
end
counts[#KEYS] = redis.call('HLEN', KEYS[#KEYS])
return counts
"""
"""KEYS: the paragraphs' candidate sets, then the site's learned hash; the counts, then HLEN of
the learned hash (StateStore.count_titles)."""
_COMMIT_CHUNK = 1000  # pending records promoted per round trip


class RedisState:
    """:class:`~newsbot.state.base.StateStore` in Redis (see module docstring).

    Raises :class:`~newsbot.state.base.StateError` when Redis does not answer.
    """

    persistent = True
    shared = True  # cluster workers and crawls side by side write it at once

    def __init__(self, uri: str, namespace: str, candidate_ttl: float = 30 * 86400) -> None:
        self.uri = uri
        self.namespace = namespace
        self.candidate_ttl = max(1, int(candidate_ttl))
        try:
            self._r = redis.Redis.from_url(uri, socket_timeout=30, socket_connect_timeout=10)
            self._r.ping()
            if self._r.hsetnx(self._key("meta"), "schema", SCHEMA_VERSION):
                self._r.hset(self._key("meta"), "namespace", namespace)
            self._add_pending = self._r.register_script(_ADD_PENDING)
            self._record = self._r.register_script(_RECORD)
            self._document_of_url = self._r.register_script(_DOCUMENT_OF_URL)
            self._add_document = self._r.register_script(_ADD_DOCUMENT)
            self._look_up = self._r.register_script(_LOOK_UP)
            self._count_titles = self._r.register_script(_COUNT_TITLES)
        except (redis.RedisError, ValueError) as exc:
            raise StateError(f"state store {masked_url(uri)} is unreadable: {exc}") from exc

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

    def article_versions(self, article_ids: Sequence[str]) -> dict[str, SeenArticle]:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return {}
        pipe = self._r.pipeline(transaction=False)
        pipe.hmget(self._key("articles"), ids)
        pipe.hmget(self._key("versions"), ids)
        statuses, versions = pipe.execute()
        found = {}
        for article_id, status, version in zip(ids, statuses, versions, strict=True):
            if status is None:
                continue
            first, revision, content = (version.decode().split(" ") if version is not None else ("", "", ""))
            found[article_id] = SeenArticle(
                status.decode(), float(first) if first else None, int(revision) if revision else None, content or None
            )
        return found

    def record_articles(self, records: Sequence[Record]) -> None:
        if not records:
            return
        args: list[str | int] = [repr(time.time())]
        for record in records:
            revision, content = record_version(record)
            args += [record[0], record[1], "" if revision is None else revision, content or ""]
        self._record(keys=[self._key("articles"), self._key("versions")], args=args)

    def add_pending(self, key: str, records: Sequence[Record]) -> None:
        if not records:
            return
        args = [item for record in records for item in record[:2]]
        self._add_pending(keys=[self._key("pending", key)], args=[PENDING_TTL, *args])
        versions = {r[0]: f"{v[0]} {v[1]}" for r in records if (v := record_version(r))[1] and r[1] == ITEM}
        if versions:
            pipe = self._r.pipeline(transaction=False)
            pipe.hset(self._key("pending", key, "v"), mapping=versions)
            pipe.expire(self._key("pending", key, "v"), PENDING_TTL)
            pipe.execute()

    def commit_pending(self, key: str) -> tuple[int, int]:
        """Promotes ``key``'s records :data:`_COMMIT_CHUNK` at a time, then deletes them: a
        process killed in between has recorded part of them and promotes nothing more (they
        expire), which only makes the next run skip fewer pages."""
        name, versions = self._key("pending", key), self._key("pending", key, "v")
        items = dropped = 0
        chunk: list[tuple[str, str]] = []
        for article_id, status in self._r.hscan_iter(name, count=_COMMIT_CHUNK):
            chunk.append((article_id.decode(), status.decode()))
            if len(chunk) >= _COMMIT_CHUNK:
                self.record_articles(self._with_versions(versions, chunk))
                chunk = []
            items += status == ITEM.encode()
            dropped += status != ITEM.encode()
        self.record_articles(self._with_versions(versions, chunk))
        self._r.delete(name, versions)
        return items, dropped

    def _with_versions(self, name: str, chunk: list[tuple[str, str]]) -> list[Record]:
        """The pending records of ``chunk`` with the revision and content noted under ``name``."""
        if not chunk:
            return []
        records: list[Record] = []
        for (article_id, status), version in zip(chunk, self._r.hmget(name, [c[0] for c in chunk]), strict=True):
            if version is None:
                records.append((article_id, status))
            else:
                revision, content = version.decode().split(" ")
                records.append((article_id, status, int(revision) if revision != "None" else None, content))
        return records

    def discard_pending(self, key: str) -> int:
        name = self._key("pending", key)
        pipe = self._r.pipeline(transaction=True)
        pipe.hlen(name)
        pipe.delete(name, self._key("pending", key, "v"))
        return int(pipe.execute()[0])

    # --- dedupe index --------------------------------------------------------------------------
    def find_fingerprint(self, fingerprint: bytes) -> list[StoredDocument]:
        doc_id = self._r.hget(self._key("fp"), fingerprint)
        if doc_id is None:
            return []
        return [doc.without_signature() for doc in self._documents([doc_id])]

    def find_bands(self, band_keys: Sequence[int]) -> list[StoredDocument]:
        if not band_keys:
            return []
        ids = sorted(self._r.sunion([self._band(k) for k in band_keys]), key=int)
        if not ids:
            return []
        pipe = self._r.pipeline(transaction=False)
        pipe.hmget(self._key("docs"), ids)
        pipe.hmget(self._key("shingles"), ids)
        docs, shingles = pipe.execute()
        return [
            _Packed.unpack(raw).stored(hashes or b"") for raw, hashes in zip(docs, shingles, strict=True) if raw is not None
        ]

    def look_up(self, url: str, fingerprint: bytes, band_keys: Sequence[int], article_id: str | None = None,
                index: NewDocument | None = None) -> Lookup:
        keys = [self._key("docid"), self._key("docs"), self._key("docurl"), self._key("fp"), self._key("shingles"),
                self._key("articles"), *(self._band(k) for k in band_keys)]
        args: list[str | bytes | int] = [url, fingerprint, article_id or ""]
        if index is not None:
            packed = _Packed(url, index.run, index.site, fingerprint, index.signature, tuple(band_keys)).pack()
            args += [packed, index.shingles, RECENT_SHINGLES, int(index.item_ok)]
        mark, of_url, status, same, docs, shingles, indexed = self._look_up(keys=keys, args=args)
        return Lookup(
            _Packed.unpack(of_url).run if of_url else None,
            status.decode() if status else None,
            int(mark),
            [_Packed.unpack(same).without_signature()] if same else [],
            [_Packed.unpack(raw).stored(hashes or b"") for raw, hashes in zip(docs, shingles, strict=True) if raw],
            bool(indexed),
        )

    def index_mark(self) -> int:
        return int(self._r.get(self._key("docid")) or 0)

    def add_document(
        self, url: str, run: str, site: str, fingerprint: bytes, signature: bytes, band_keys: Sequence[int],
        shingles: bytes = b"", since: int | None = None,
    ) -> bool:
        packed = _Packed(url, run, site, fingerprint, signature, tuple(band_keys)).pack()
        keys = [self._key("docid"), self._key("docs"), self._key("docurl"), self._key("fp"), self._key("shingles"),
                *(self._band(k) for k in band_keys)]
        replacing = b""
        while True:
            args = [-1 if since is None else since, url, packed, fingerprint, shingles, RECENT_SHINGLES, replacing]
            done = self._add_document(keys=keys, args=args)
            if not isinstance(done, list):
                return bool(done)
            # the URL has a document (kept again by a later run): its old document goes first
            replacing = done[1]
            pipe = self._r.pipeline(transaction=True)
            for old in self._documents([replacing]):
                for key in old.band_keys:
                    pipe.srem(self._band(key), replacing)
            pipe.hdel(self._key("docs"), replacing)
            pipe.hdel(self._key("shingles"), replacing)
            pipe.execute()

    def document_run(self, url: str) -> str | None:
        raw = self._document_of_url(keys=[self._key("docurl"), self._key("docs")], args=[url])
        return _Packed.unpack(raw).run if raw else None

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

    def learned_count(self, site: str) -> int:
        return int(self._r.hlen(self._key("bp", site, "learned")))

    def count_titles(self, site: str, paragraph_keys: Sequence[bytes], title_key: bytes) -> tuple[dict[bytes, int], int]:
        keys = list(dict.fromkeys(paragraph_keys))
        if not keys:
            return {}, self.learned_count(site)
        names = [self._key("bp", site, "cand", key.hex()) for key in keys]
        *counts, learned = self._count_titles(keys=[*names, self._key("bp", site, "learned")],
                                              args=[title_key, self.candidate_ttl])
        return {key: int(count) for key, count in zip(keys, counts, strict=True)}, int(learned)

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

    def stored(self, shingles: bytes = b"") -> StoredDocument:
        return StoredDocument(self.url, self.run, self.sig, shingles)

    def without_signature(self) -> StoredDocument:
        return StoredDocument(self.url, self.run)
