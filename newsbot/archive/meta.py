"""The request meta keys of the archive, and what a response says of where it came from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsbot.config import archive_directory
from newsbot.text.dates import iso_utc, utc_now

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

META_ARCHIVE = "newsbot_archive"
"""Request meta: True to archive this request's responses whatever they are (a page fetched for a record)."""
META_RECORD_ID = "newsbot_warc_record_id"
"""Request meta set when the response was archived, or answered from an archive: the
WARC-Record-ID of its ``response`` record, ``<urn:uuid:...>``."""
META_RECORD_DATE = "newsbot_warc_date"
"""Request meta beside :data:`META_RECORD_ID`: that record's WARC-Date, ``2026-12-03T07:45:12Z``."""


def provenance(response: Response) -> tuple[str | None, str]:
    """``(warc_record_id, crawled_at)`` of a page's record: the WARC-Record-ID and WARC-Date of
    the page's archived response when it was archived (``NEWSBOT_ARCHIVE``) or answered from an
    archive (``scrapy reextract``), so a re-extracted record keeps both; else ``(None, now)``.

    >>> from scrapy.http import HtmlResponse, Request
    >>> request = Request("https://www.maghress.com/fr/h24info/1", meta={META_RECORD_ID: "<urn:uuid:1>", META_RECORD_DATE: "2026-12-03T07:45:12Z"})
    >>> provenance(HtmlResponse(request.url, body=b"", request=request))
    ('<urn:uuid:1>', '2026-12-03T07:45:12Z')
    >>> provenance(HtmlResponse("https://www.maghress.com/fr/h24info/1", body=b"", request=Request("https://www.maghress.com/fr/h24info/1")))[0] is None
    True
    """
    meta = response.meta
    record_id, date = meta.get(META_RECORD_ID), meta.get(META_RECORD_DATE)
    if record_id and date:
        return record_id, date
    return None, iso_utc(utc_now())


def archive_setting(settings: BaseSettings) -> Path | None:
    """``NEWSBOT_ARCHIVE`` as an absolute directory, or None when archiving is off."""
    return archive_directory(settings)
