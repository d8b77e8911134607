"""djazairess.com (Algeria): Arabic at the root, French under /fr/."""

from newsbot.family.urls import edition
from newsbot.sites.base import SiteProfile

SITE = SiteProfile(
    name="djazairess",
    domain="djazairess.com",
    editions=(edition("ar"), edition("fr")),
    known_outlets={
        "ar": frozenset({"annasr", "aps", "echchaab", "eldjoumhouria", "elkhabar", "elmassa", "ennahar"}),
        "fr": frozenset({"elwatan", "lesoirdalgerie"}),
    },
)
