"""Reading newsbot's WARC archives back: which responses they hold, and one response again.

An archive is a ``.warc.gz`` (or ``.warc``) file or a directory of them (read in name order,
subdirectories included). :func:`scan_archive` lists the ``response`` records with where they
are; :func:`load_response` reads one back, headers and body as stored (the body still in its
``Content-Encoding``, as the server sent it). A file cut by a killed crawl is read up to its
last whole record; the bytes after it are reported (:attr:`ArchiveScan.cut_files`), not an error.
"""

from __future__ import annotations

import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

SUFFIXES = (".warc.gz", ".warc")


class ArchiveError(ValueError):
    """An archive that cannot be read: missing, not a WARC file, no WARC file in a directory.
    The message names the path and says why."""


@dataclass(frozen=True)
class ArchivedResponse:
    """One ``response`` record: the URL requested (``WARC-Target-URI``), its HTTP status,
    ``record_id`` (``<urn:uuid:...>``), ``date`` (WARC-Date, ``2026-12-03T07:45:12Z``) and
    where it is (file, byte offset of its gzip member)."""

    url: str
    status: int
    record_id: str
    date: str
    path: Path
    offset: int


@dataclass
class ArchiveScan:
    """What :func:`scan_archive` found: the ``responses`` in archive order, and the files cut
    short (``{path: bytes after the last whole record}``)."""

    files: list[Path]
    responses: list[ArchivedResponse] = field(default_factory=list)
    cut_files: dict[Path, int] = field(default_factory=dict)

    def first_captures(self) -> dict[str, ArchivedResponse]:
        """The first response of each URL, by URL as requested, in archive order. A URL
        archived twice by one crawl is an article reached again (a redirect from another id,
        a retry): the first capture is the one that gave its record, the next ones are those
        the dedupe pipeline dropped as ``duplicate_url``."""
        first: dict[str, ArchivedResponse] = {}
        for response in self.responses:
            first.setdefault(response.url, response)
        return first


def archive_files(path: Path) -> list[Path]:
    """The WARC files of an archive path: the file itself, or the ``*.warc.gz`` / ``*.warc``
    files under a directory, in name order (which is time order for newsbot's names).

    Raises :class:`ArchiveError` when the path is missing, unreadable or holds no WARC file.
    """
    if not path.exists():
        raise ArchiveError(f"{path}: no such file or directory")
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(SUFFIXES))
        if not files:
            raise ArchiveError(f"{path}: no WARC file (*.warc.gz, *.warc) in this directory")
    else:
        files = [path]
    for file in files:
        if not os.access(file, os.R_OK):
            raise ArchiveError(f"{file}: not readable (permission denied)")
    return files


def scan_archive(path: Path) -> ArchiveScan:
    """Every ``response`` record of the archive at ``path`` (see :func:`archive_files`).

    Raises :class:`ArchiveError` for a file that is not WARC at all (its first record
    unreadable). A ``.warc.gz`` file is read gzip member by gzip member (one record each, as
    newsbot and other WARC writers write them): a file that ends inside a member (a crawl killed
    while writing) gives its whole records and is listed in :attr:`ArchiveScan.cut_files`.
    """
    scan = ArchiveScan(archive_files(path))
    for file in scan.files:
        records = _gzip_records(file) if file.name.endswith(".gz") else _plain_records(file)
        first = True
        try:
            for offset, record in records:
                first = False
                if record.rec_type == "response" and record.http_headers is not None:
                    headers = record.rec_headers
                    scan.responses.append(ArchivedResponse(
                        url=headers.get_header("WARC-Target-URI"),
                        status=int(record.http_headers.get_statuscode() or 0),
                        record_id=headers.get_header("WARC-Record-ID"),
                        date=headers.get_header("WARC-Date"),
                        path=file,
                        offset=offset,
                    ))
        except _Cut as cut:
            if first and not cut.truncated:
                raise ArchiveError(f"{file}: not a WARC file ({cut.reason})") from None
            scan.cut_files[file] = file.stat().st_size - cut.offset
    return scan


class _Cut(Exception):
    """The file cannot be read on from ``offset``: its end cuts a record, or it holds no WARC there."""

    def __init__(self, offset: int, reason: str, truncated: bool = False) -> None:
        super().__init__(reason)
        self.offset, self.reason, self.truncated = offset, reason, truncated


_CHUNK = 1 << 16


def _gzip_records(file: Path) -> Iterator[tuple[int, ArcWarcRecord]]:
    """``(offset, record)`` of each whole gzip member of ``file`` (a record each); raises
    :class:`_Cut` at a member that the file's end cuts or that is no WARC record."""
    with file.open("rb") as stream:
        pending = b""  # read, not yet decompressed
        offset = 0  # file offset of pending[0]
        eof = False
        while True:
            if not pending:
                pending = stream.read(_CHUNK)
                if not pending:
                    return
            start = offset
            inflater = zlib.decompressobj(wbits=31)
            parts = []
            data = pending
            while True:
                try:
                    parts.append(inflater.decompress(data))
                except zlib.error as error:
                    raise _Cut(start, f"bad gzip data at byte {start}: {error}") from None
                if inflater.eof:
                    used = len(data) - len(inflater.unused_data)
                    offset += used
                    pending = inflater.unused_data
                    break
                offset += len(data)
                data = stream.read(_CHUNK)
                if not data:
                    eof = True
                    break
            if eof:
                raise _Cut(start, f"the file ends inside the record at byte {start}", truncated=True)
            yield start, _one_record(b"".join(parts), start)


def _one_record(block: bytes, offset: int) -> ArcWarcRecord:
    try:
        for record in ArchiveIterator(io.BytesIO(block)):
            return record
    except (ArchiveLoadFailed, ValueError, EOFError, AttributeError) as error:
        raise _Cut(offset, f"no WARC record at byte {offset}: {error}") from None
    raise _Cut(offset, f"no WARC record at byte {offset}")


def _plain_records(file: Path) -> Iterator[tuple[int, ArcWarcRecord]]:
    """``(offset, record)`` of an uncompressed ``.warc`` file, as warcio reads it (a record cut
    by the file's end is not told apart there)."""
    end = 0
    with file.open("rb") as stream:
        records = ArchiveIterator(stream)
        try:
            for record in records:
                offset = records.get_record_offset()
                records.read_to_end(record)
                end = offset + records.get_record_length()
                yield offset, record
        except (ArchiveLoadFailed, ValueError, EOFError, AttributeError) as error:
            raise _Cut(end, str(error)) from None


@dataclass(frozen=True)
class StoredResponse:
    """A response read back: status, ``headers`` as (name, value) pairs in stored order,
    ``body`` as the server sent it, ``protocol`` (``HTTP/1.1``)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    protocol: str


def load_response(entry: ArchivedResponse) -> StoredResponse:
    """The response of ``entry``, read from its file at its offset.

    Raises :class:`ArchiveError` when the record is no longer there (the file changed since
    it was scanned).
    """
    with entry.path.open("rb") as stream:
        stream.seek(entry.offset)
        for record in ArchiveIterator(stream):
            if record.rec_headers.get_header("WARC-Record-ID") != entry.record_id:
                break
            headers = record.http_headers
            if headers is None:
                break
            return StoredResponse(int(headers.get_statuscode()), list(headers.headers), record.raw_stream.read(),
                                  headers.protocol or "HTTP/1.1")
    raise ArchiveError(f"{entry.path}: the record {entry.record_id} at byte {entry.offset} cannot be read")


class ArchiveIndex:
    """The responses of an archive by URL (the first capture of each,
    :meth:`ArchiveScan.first_captures`), looked up as requested or in canonical form
    (``w3lib.url.canonicalize_url``: query order, fragments)."""

    def __init__(self, scan: ArchiveScan) -> None:
        self.scan = scan
        self.by_url = scan.first_captures()
        self.by_canonical: dict[str, ArchivedResponse] = {}
        for url, entry in self.by_url.items():
            self.by_canonical.setdefault(canonicalize_url(url), entry)

    def find(self, url: str) -> ArchivedResponse | None:
        """The archived response of ``url``, or None."""
        found = self.by_url.get(url)
        return found if found is not None else self.by_canonical.get(canonicalize_url(url))

    def __iter__(self) -> Iterator[ArchivedResponse]:
        return iter(self.by_url.values())
