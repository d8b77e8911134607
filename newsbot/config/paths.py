"""Files a crawl writes (stats, rejects feed, feeds), checked writable before it starts
instead of failing in a signal handler at its end."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from newsbot.config.errors import SettingError
from newsbot.config.values import setting_or_default

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def unwritable(path: Path) -> str | None:
    """Why a file cannot be written at ``path`` (None when it can): its directory is
    created if missing (as the writer would) and a probe file is written and removed there.

    >>> unwritable(Path("/proc/nope/stats.json"))
    "cannot create directory /proc/nope: [Errno 2] No such file or directory: '/proc/nope'"
    """
    directory = path.parent
    if path.is_dir():
        return f"{path} is a directory"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create directory {directory}: {exc}"
    if not directory.is_dir():
        return f"{directory} is not a directory"
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".newsbot-write-test-"):
            pass
    except OSError as exc:
        return f"cannot write in {directory}: {exc}"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is not writable"
    return None


def _static_part(template: str) -> Path:
    """The part of a path template before its first ``%(...)`` placeholder, as a path
    whose parent is the deepest directory known before the crawl starts."""
    cut = template.find("%(")
    static = template if cut < 0 else template[:cut]
    static = static.replace("%%", "%")
    if cut >= 0:  # "out/%(name)s.jsonl" -> probe in out/; "out/x%(name)s/r" -> in out/
        static = static.rsplit("/", 1)[0] + "/probe" if "/" in static else "probe"
    return Path(static).expanduser()


def output_path_setting(settings: BaseSettings, name: str, example: str, placeholders: tuple[str, ...] = ()) -> str | None:
    """A file the crawl will write (``NEWSBOT_STATS_FILE``, ``NEWSBOT_REJECTS_FEED``), checked
    now rather than when the crawl ends; None when unset. ``placeholders`` are the
    ``%(name)s`` keys the path may use.

    >>> from scrapy.settings import Settings
    >>> output_path_setting(Settings({"NEWSBOT_STATS_FILE": "/proc/nope/s.json"}), "NEWSBOT_STATS_FILE", "stats.json")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_STATS_FILE='/proc/nope/s.json' cannot be written (cannot create directory /proc/nope: [Errno 2] No such file or directory: '/proc/nope'): give a path in a writable directory, e.g. -s NEWSBOT_STATS_FILE=stats.json
    """
    raw = settings.get(name)
    if raw is None or raw == "":
        return None
    template = str(raw)
    if placeholders:
        try:
            template % {key: "x" for key in placeholders}
        except (KeyError, ValueError, TypeError) as exc:
            keys = " and ".join(f"%({key})s" for key in placeholders)
            raise SettingError(
                f"{name}={template!r}: bad placeholder ({exc!r}); use {keys} only, e.g. -s {name}={example}"
            ) from None
    reason = unwritable(_static_part(template) if placeholders else Path(template).expanduser())
    if reason:
        raise SettingError(
            f"{name}={template!r} cannot be written ({reason}): give a path in a writable directory,"
            f" e.g. -s {name}={example}"
        )
    return template


def check_feeds(settings: BaseSettings) -> None:
    """Local files of ``FEEDS`` (``-o``/``-O``) writable; with no feed at all, the default
    feed's directory under ``NEWSBOT_DATA_DIR`` (see :mod:`newsbot.addon`)."""
    feeds = settings.getdict("FEEDS")
    if not feeds:
        data_dir = str(setting_or_default(settings, "NEWSBOT_DATA_DIR"))
        reason = unwritable(Path(data_dir).expanduser() / "data" / "probe")
        if reason:
            raise SettingError(
                f"NEWSBOT_DATA_DIR={data_dir!r} cannot hold the default feed ({reason}): give a writable"
                " directory, e.g. -s NEWSBOT_DATA_DIR=/var/lib/newsbot, or a feed file with -O FILE"
            )
        return
    for uri in feeds:
        text = str(uri)
        parts = urlsplit(text)
        if parts.scheme == "file":
            path = unquote(parts.path)
        elif parts.scheme and len(parts.scheme) > 1:  # s3://, ftp://, stdout: ... (a drive letter is one)
            continue
        else:
            path = text
        reason = unwritable(_static_part(path))
        if reason:
            raise SettingError(
                f"FEEDS: the feed {text!r} cannot be written ({reason}): give a file in a writable"
                " directory, e.g. -O feed.jsonl"
            )


def check_data_dir(settings: BaseSettings) -> None:
    raw = settings.get("NEWSBOT_DATA_DIR")
    if raw and Path(str(raw)).expanduser().exists() and not Path(str(raw)).expanduser().is_dir():
        raise SettingError(f"NEWSBOT_DATA_DIR={raw!r} is a file, not a directory: e.g. -s NEWSBOT_DATA_DIR=/var/lib/newsbot")


def archive_directory(settings: BaseSettings) -> Path | None:
    """``NEWSBOT_ARCHIVE``, the directory of the crawl's WARC files, as an absolute path; None
    when unset (no archive). Checked: a path that is a file, or a directory that cannot be
    created or written, raises :class:`SettingError`.

    >>> from scrapy.settings import Settings
    >>> archive_directory(Settings()) is None
    True
    >>> archive_directory(Settings({"NEWSBOT_ARCHIVE": "/proc/nope"}))
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_ARCHIVE='/proc/nope' cannot hold the WARC files (cannot create directory /proc/nope: [Errno 2] No such file or directory: '/proc/nope'): give a writable directory, e.g. -s NEWSBOT_ARCHIVE=archive/maghress
    """
    raw = settings.get("NEWSBOT_ARCHIVE")
    if raw is None or str(raw).strip() == "":
        return None
    path = Path(str(raw)).expanduser()
    reason = f"{path} is a file" if path.exists() and not path.is_dir() else unwritable(path / "probe")
    if reason:
        raise SettingError(
            f"NEWSBOT_ARCHIVE={raw!r} cannot hold the WARC files ({reason}): give a writable directory,"
            " e.g. -s NEWSBOT_ARCHIVE=archive/maghress"
        )
    return path.resolve()
