"""turess.com (Tunisia): Arabic at the root."""

from newsbot.sites.base import SiteProfile, edition

SITE = SiteProfile(
    name="turess",
    domain="turess.com",
    editions=(edition("ar"),),
    known_outlets={"ar": frozenset({"alchourouk", "assabah", "echaab"})},
)
