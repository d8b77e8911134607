"""sudaress.com (Sudan): Arabic at the root."""

from newsbot.sites.base import SiteProfile, edition

SITE = SiteProfile(
    name="sudaress",
    domain="sudaress.com",
    editions=(edition("ar"),),
    known_outlets={"ar": frozenset({"koorasudan"})},
)
