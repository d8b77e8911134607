"""Secrets out of log lines: the passwords of URLs in a text, masked.

Every line that echoes a setting's value (an unknown or misspelt ``NEWSBOT_*`` name, a bad
value) goes through :func:`mask_secrets`: a Redis URL such as ``redis://:pw@host:6379/0``
carries its password, and logs are read by more people than the settings file.
"""

from __future__ import annotations

import re

# scheme://[user]:PASSWORD@ : the password runs to the last "@" before the path (a raw "@" in it).
_USERINFO = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/@:'\"]*:)[^\s/'\"]*(?=@)")
# ?password=... and the like in a query string (redis-py reads ?password=).
_QUERY = re.compile(r"(?P<head>[?&](?:password|passwd|pass|pwd|secret|token)=)[^&\s'\"#]*", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``.

    >>> mask_secrets("NEWSBOT_CLUSTR='redis://:pw@10.0.0.5:6379/0' is not a newsbot setting")
    "NEWSBOT_CLUSTR='redis://:***@10.0.0.5:6379/0' is not a newsbot setting"
    >>> mask_secrets("rediss://worker:p@ss@redis.example:6380/1 and redis://h:6379/0?password=x&db=2")
    'rediss://worker:***@redis.example:6380/1 and redis://h:6379/0?password=***&db=2'
    >>> mask_secrets("redis://worker@10.0.0.5:6379/0 https://www.maghress.com/fr/ 12:30")
    'redis://worker@10.0.0.5:6379/0 https://www.maghress.com/fr/ 12:30'
    """
    return _QUERY.sub(r"\g<head>***", _USERINFO.sub(r"\g<head>***", text))
