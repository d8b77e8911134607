"""``SCHEDULER_SERIALIZER`` of the cluster queue: pickled requests without default fields.

scrapy-redis pickles ``Request.to_dict()`` whole: every attribute, defaults included
(empty headers, cookies, flags, ``cb_kwargs``, ``method='GET'``, ``encoding='utf-8'``...),
about 300 bytes for an article request. Leaving out the fields that equal the
``Request`` constructor's defaults makes the entry about 40 % smaller; ``loads`` gives
back a dict that ``request_from_dict`` turns into the same request (missing keys take
the constructor's defaults). Entries pickled whole (by stock scrapy-redis) load too.

>>> from scrapy import Request
>>> from scrapy.utils.request import request_from_dict
>>> request = Request("https://www.maghress.com/fr/h24info/1165387", meta={"k": 1}, priority=2)
>>> sorted(loads(dumps(request.to_dict())))
['meta', 'priority', 'url']
>>> back = request_from_dict(loads(dumps(request.to_dict())))
>>> (back.url, back.meta, back.priority, back.method, back.dont_filter)
('https://www.maghress.com/fr/h24info/1165387', {'k': 1}, 2, 'GET', False)
"""

from __future__ import annotations

import pickle
from typing import Any

# Request() defaults as to_dict() writes them (callback/errback None: no spider method).
_DEFAULTS: dict[str, Any] = {
    "callback": None, "errback": None, "headers": {}, "body": b"", "cookies": {}, "meta": {},
    "encoding": "utf-8", "flags": [], "cb_kwargs": {}, "dont_filter": False, "method": "GET", "priority": 0,
}
_MISSING = object()


def dumps(obj: dict[str, Any]) -> bytes:
    """Pickle a request dict, leaving out the fields equal to their defaults."""
    lean = {k: v for k, v in obj.items() if _DEFAULTS.get(k, _MISSING) != v or type(v) is not type(_DEFAULTS[k])}
    return pickle.dumps(lean, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> dict[str, Any]:
    """The request dict back (``request_from_dict`` fills the left-out defaults)."""
    return pickle.loads(data)  # noqa: S301 - our own queue entries, written by our workers
