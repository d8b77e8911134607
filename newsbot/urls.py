"""Canonical URLs of the aggregator sites (w3lib does the URL work)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Tracking parameters that never change the page (utm_* is matched by prefix).
TRACKING_PARAMETERS = ("fbclid", "gclid", "mc_cid", "mc_eid", "ref", "xtor")


def strip_tracking(url: str) -> str:
    """``url`` without ``utm_*`` and other tracking query parameters.

    >>> strip_tracking("https://www.maghress.com/fr/le360/1?utm_source=fb&page=2")
    'https://www.maghress.com/fr/le360/1?page=2'
    """
    parts = urlsplit(url)
    if not parts.query:
        return url
    names = {kv.split("=", 1)[0] for kv in parts.query.split("&")}
    drop = [n for n in names if n.lower().startswith("utm_") or n.lower() in TRACKING_PARAMETERS]
    if not drop:
        return url
    return url_query_cleaner(url, drop, remove=True, keep_fragments=True)


def canonical_site_url(url: str, host: str, *, strip_trailing_slash: bool = False) -> str:
    """The one spelling of a URL of an aggregator site served at ``host``.

    https, the ``www.`` host in lower case, no fragment, no tracking parameters,
    percent-encoding normalised (raw Arabic and ``%D8%..`` are one URL); a trailing
    slash is removed only when asked (article URLs), so ``/fr/`` stays ``/fr/``.

    >>> canonical_site_url("http://MAGHRESS.com/fr/lematin/12345/?utm_source=x#c", "www.maghress.com", strip_trailing_slash=True)
    'https://www.maghress.com/fr/lematin/12345'
    >>> canonical_site_url("http://maghress.com/fr/", "www.maghress.com")
    'https://www.maghress.com/fr/'
    """
    parts = urlsplit(strip_tracking(url.strip()))
    path = parts.path or "/"
    if strip_trailing_slash and len(path) > 1:
        path = path.rstrip("/") or "/"
    rebuilt = urlunsplit(("https", host, path, parts.query, ""))
    # canonicalize_url sorts query arguments and fixes percent-encoding; it keeps the path.
    return canonicalize_url(rebuilt, keep_blank_values=True)
