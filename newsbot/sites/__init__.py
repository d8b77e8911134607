"""Site profiles of the "*ress" family, one module per site (see :mod:`newsbot.sites.base`).

Every module of this package that defines ``SITE`` is a site; adding a sister site is
adding one such module.
"""

from __future__ import annotations

import importlib
import pkgutil

from newsbot.family.urls import SiteUrl
from newsbot.sites.base import SiteProfile

__all__ = ["SITES", "SiteProfile", "classify_url", "get_site", "site_for_url"]


def _discover() -> dict[str, SiteProfile]:
    sites = {}
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        site = getattr(module, "SITE", None)
        if isinstance(site, SiteProfile):
            sites[site.name] = site
    return sites


SITES: dict[str, SiteProfile] = _discover()


def get_site(name: str) -> SiteProfile:
    """The profile of site ``name`` (``maghress``); KeyError names the known sites."""
    try:
        return SITES[name]
    except KeyError:
        raise KeyError(f"unknown site {name!r}; known sites: {', '.join(sorted(SITES))}") from None


def site_for_url(url: str) -> SiteProfile | None:
    """The profile whose hosts serve ``url``, or None."""
    for site in SITES.values():
        if site.owns(url):
            return site
    return None


def classify_url(url: str) -> SiteUrl | None:
    """What page of which site of the family ``url`` is, or None (other hosts, other pages).

    >>> classify_url("https://maghress.com/fr/le360/12/").article_id
    'maghress:fr:le360:12'
    """
    site = site_for_url(url)
    return site.classify(url) if site else None
