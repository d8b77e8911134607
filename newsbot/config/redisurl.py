"""Redis URLs of ``NEWSBOT_STATE`` and ``NEWSBOT_CLUSTER``, checked before redis-py reads them."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from newsbot.config.errors import SettingError
from newsbot.config.secrets import mask_secrets

_REDIS_SCHEMES = ("redis", "rediss", "unix")


def redis_url(value: object, name: str) -> str:
    """``value`` checked as a Redis URL for setting ``name``: ``redis://HOST[:PORT][/DB]``,
    ``rediss://...`` (TLS) or ``unix:///path/redis.sock[?db=DB]``, with a numeric database
    and port. A password in the URL is masked in the message.

    redis-py itself falls back to database 0 on ``/notanumber``: a crawl would then write
    into another project's database without a word.

    >>> redis_url("redis://127.0.0.1:6379/2", "NEWSBOT_STATE")
    'redis://127.0.0.1:6379/2'
    >>> redis_url("redis://127.0.0.1:6379/notanumber", "NEWSBOT_STATE")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_STATE='redis://127.0.0.1:6379/notanumber': the database must be a number after the port (0-15 on a default Redis), e.g. -s NEWSBOT_STATE=redis://127.0.0.1:6379/0
    >>> redis_url("redis://:secret@127.0.0.1:63790000/0", "NEWSBOT_CLUSTER")
    Traceback (most recent call last):
    ...
    newsbot.config.SettingError: NEWSBOT_CLUSTER='redis://:***@127.0.0.1:63790000/0': the port must be a number from 1 to 65535, e.g. -s NEWSBOT_CLUSTER=redis://127.0.0.1:6379/0
    """
    text = str(value).strip()
    parts = urlsplit(text)
    example = f", e.g. -s {name}=redis://127.0.0.1:6379/0"

    def bad(problem: str) -> SettingError:
        return SettingError(f"{name}={_masked(text)!r}: {problem}{example}")

    if parts.scheme not in _REDIS_SCHEMES or not (parts.netloc or parts.scheme == "unix"):
        raise SettingError(f"{name}={_masked(text)!r} is not a Redis URL: write redis://HOST:PORT/DB{example}")
    query = parse_qs(parts.query)
    if parts.scheme == "unix":
        if not parts.path or parts.path == "/":
            raise bad("give the socket's path, as unix:///run/redis/redis.sock?db=0, or a TCP URL")
    else:
        if not parts.hostname:
            raise bad("the host is missing")
        try:
            port = parts.port
        except ValueError:
            port = -1
        if port is not None and not 0 < port < 65536:
            raise bad("the port must be a number from 1 to 65535")
        db = unquote(parts.path).strip("/")
        if db and not db.isdigit():
            raise bad("the database must be a number after the port (0-15 on a default Redis)")
    for db in query.get("db", []):
        if not db.isdigit():
            raise bad("the database (?db=) must be a number (0-15 on a default Redis)")
    return text


def _masked(url: str) -> str:
    """``url`` with its password replaced by ``***``."""
    return mask_secrets(url)


def masked_url(url: str) -> str:
    """A Redis or other URL fit for a log line: any password replaced by ``***``.

    >>> masked_url("redis://:s3cret@10.0.0.5:6379/0")
    'redis://:***@10.0.0.5:6379/0'
    """
    return _masked(url)
