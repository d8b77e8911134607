"""Gzip WARC files of a crawl: one ``request`` + ``response`` record pair per exchange.

A directory receives files named ``<spider>-<start time>-<pid>-<serial>.warc.gz``
(``maghress-20261203T074512Z-4242-00000.warc.gz``), each opened with a ``warcinfo`` record
and closed for the next one once it holds ``max_size`` bytes or more. Every record is a gzip
member of its own (the WARC convention, what warcio writes), and a pair is written to the
file in one ``write`` call then flushed to the operating system: a crawl killed at any
moment leaves a file that reads up to its last whole record (a reader sees the cut tail as
bytes after that record, :mod:`newsbot.archive.reader`). :meth:`WarcFiles.sync` also asks
the disk to keep what was written (``fsync``), for a power cut.
"""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbot import __version__

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

# Headers that describe a transfer, not the body as stored: Scrapy hands over the body
# de-chunked, so a "chunked" label would make WARC readers decode it twice.
DROPPED_RESPONSE_HEADERS = frozenset({b"transfer-encoding"})


@dataclass(frozen=True)
class ArchivedExchange:
    """Where one response went: ``record_id`` (``<urn:uuid:...>``, the WARC-Record-ID of its
    ``response`` record), ``date`` (its WARC-Date, ``2026-12-03T07:45:12Z``, second
    precision, UTC) and the file it is in."""

    record_id: str
    date: str
    path: Path


def software() -> str:
    """What wrote the archive, for the ``warcinfo`` record: ``newsbot/1.0.0 warcio/1.8.1``."""
    try:
        warcio = f"warcio/{version('warcio')}"
    except PackageNotFoundError:
        warcio = "warcio"
    return f"newsbot/{__version__} {warcio}"


class WarcFiles:
    """The WARC files of one crawl in ``directory`` (created if missing).

    ``prefix`` starts every file name (the spider's name), ``max_size`` is the size in bytes
    after which the next pair goes to a new file, ``info`` the fields of each file's
    ``warcinfo`` record (``{"isPartOf": "maghress", "robots": "obey"}``). Files are opened
    in exclusive mode: an existing file is never written over.

    >>> import tempfile
    >>> from scrapy import Request
    >>> from scrapy.http import HtmlResponse
    >>> folder = Path(tempfile.mkdtemp())
    >>> files = WarcFiles(folder, "maghress", 10**9, {"isPartOf": "maghress"})
    >>> request = Request("https://www.maghress.com/fr/h24info/1")
    >>> done = files.write(request, HtmlResponse(request.url, body=b"<html></html>", request=request))
    >>> done.record_id.startswith("<urn:uuid:"), done.path.name.endswith("-00000.warc.gz")
    (True, True)
    >>> files.close()
    """

    def __init__(self, directory: Path, prefix: str, max_size: int, info: dict[str, str]) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_size = max_size
        self.info = {"software": software(), "format": "WARC File Format 1.0", **info}
        self.started = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        self.serial = 0
        self.path: Path | None = None
        self._file: BinaryIO | None = None
        self._records_in_file = 0
        self.files_written = 0
        directory.mkdir(parents=True, exist_ok=True)

    def write(self, request: Request, response: Response) -> ArchivedExchange:
        """Append the ``response`` record of ``response`` and the ``request`` record of
        ``request`` (``WARC-Concurrent-To`` the response), both dated now. Raises OSError when
        the file cannot be written (disk full...)."""
        writer_buffer = io.BytesIO()
        writer = WARCWriter(writer_buffer, gzip=True)
        response_record = writer.create_warc_record(
            request.url, "response", payload=io.BytesIO(response.body), length=len(response.body),
            http_headers=_response_headers(response),
        )
        record_id = response_record.rec_headers.get_header("WARC-Record-ID")
        date = response_record.rec_headers.get_header("WARC-Date")
        request_record = writer.create_warc_record(
            request.url, "request", payload=io.BytesIO(request.body or b""), length=len(request.body or b""),
            http_headers=_request_headers(request),
            warc_headers_dict={"WARC-Concurrent-To": record_id, "WARC-Date": date},
        )
        writer.write_record(response_record)
        writer.write_record(request_record)
        data = writer_buffer.getvalue()
        file = self._file_for(len(data))
        file.write(data)
        file.flush()  # to the OS: a killed process loses nothing written
        self._records_in_file += 2
        assert self.path is not None
        return ArchivedExchange(record_id, date, self.path)

    def sync(self) -> None:
        """Flush and ``fsync`` the open file: what was written survives a power cut."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        """Sync and close the open file (the next :meth:`write` opens a new one)."""
        if self._file is not None:
            self.sync()
            self._file.close()
            self._file = None

    def _file_for(self, size: int) -> BinaryIO:
        if self._file is not None and self._records_in_file and self._file.tell() + size > self.max_size:
            self.close()
        if self._file is None:
            self._open()
        assert self._file is not None
        return self._file

    def _open(self) -> None:
        while True:
            path = self.directory / f"{self.prefix}-{self.started}-{os.getpid()}-{self.serial:05d}.warc.gz"
            self.serial += 1
            try:
                file = open(path, "xb")  # noqa: SIM115 (kept open across writes, closed in close())
            except FileExistsError:
                continue
            break
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, self.info))
        file.write(buffer.getvalue())
        file.flush()
        self._file, self.path, self._records_in_file = file, path, 0
        self.files_written += 1


def _response_headers(response: Response) -> StatusAndHeaders:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in response.headers.items() if name.lower() not in DROPPED_RESPONSE_HEADERS
        for value in values
    ]
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    return StatusAndHeaders(f"{response.status} {phrase}".strip(), headers, protocol=protocol)


def _request_headers(request: Request) -> StatusAndHeaders:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc)] if b"Host" not in request.headers else []
    headers += [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in request.headers.items() for value in values
    ]
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)
