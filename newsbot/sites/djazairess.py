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
    # `scrapy check` pages: an article seen in a stored capture, a listing, the feed.
    samples=("/elmassa/172482", "/aps", "/rss"),
)
