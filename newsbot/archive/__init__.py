"""The audit trail: the pages behind the records kept as WARC files, and records rebuilt from them.

* ``-s NEWSBOT_ARCHIVE=DIR``: :mod:`newsbot.archive.middleware` writes every aggregator article
  page, and every page fetched for a record (the outlet page of a teaser), with its request, to
  gzip WARC files in ``DIR`` (:mod:`newsbot.archive.writer`, warcio); each record's
  ``warc_record_id`` is the WARC-Record-ID of its aggregator page's response record.
* ``scrapy reextract ARCHIVE -O FEED`` (``NEWSBOT_REPLAY``, :mod:`newsbot.archive.replay`) runs the
  site's spider with every request answered from the archive, and writes the records again with
  the current extractors and pipelines; :mod:`newsbot.archive.reader` reads the files.
"""

from newsbot.archive.meta import META_ARCHIVE, META_RECORD_DATE, META_RECORD_ID, provenance
from newsbot.archive.reader import ArchiveError, ArchiveIndex, ArchivedResponse, scan_archive

__all__ = [
    "META_ARCHIVE", "META_RECORD_DATE", "META_RECORD_ID", "ArchiveError", "ArchiveIndex", "ArchivedResponse",
    "provenance", "scan_archive",
]
