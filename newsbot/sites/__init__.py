"""Site profiles of the "*ress" family, one module per site (see :mod:`newsbot.sites.base`)."""

from __future__ import annotations

from newsbot.sites import djazairess, maghress, masress, sauress, sudaress, turess
from newsbot.sites.base import Edition, Language, PageKind, SiteProfile, SiteUrl

SITES: dict[str, SiteProfile] = {
    module.SITE.name: module.SITE for module in (djazairess, maghress, masress, sauress, sudaress, turess)
}

__all__ = ["SITES", "Edition", "Language", "PageKind", "SiteProfile", "SiteUrl", "get_site", "site_for_url"]


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
