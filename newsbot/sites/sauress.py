"""sauress.com (Saudi Arabia): Arabic at the root, English under /en/."""

from newsbot.family.urls import edition
from newsbot.sites.base import SiteProfile

SITE = SiteProfile(
    name="sauress",
    domain="sauress.com",
    editions=(edition("ar"), edition("en")),
    known_outlets={
        "ar": frozenset({"alriyadh", "alwatan", "alweeam"}),
        "en": frozenset({"saudigazette"}),
    },
    # `scrapy check` pages: an article seen in a stored capture, a listing, the feed.
    samples=("/alwatan/1169986", "/alwatan", "/rss"),
)
