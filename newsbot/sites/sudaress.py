"""sudaress.com (Sudan): Arabic at the root."""

from newsbot.family.urls import edition
from newsbot.sites.base import SiteProfile

SITE = SiteProfile(
    name="sudaress",
    domain="sudaress.com",
    editions=(edition("ar"),),
    known_outlets={"ar": frozenset({"koorasudan"})},
)
