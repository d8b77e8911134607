"""sudaress.com (Sudan): Arabic at the root."""

from newsbot.family.urls import edition
from newsbot.sites.base import SiteProfile

SITE = SiteProfile(
    name="sudaress",
    domain="sudaress.com",
    editions=(edition("ar"),),
    known_outlets={"ar": frozenset({"koorasudan"})},
    # `scrapy check` pages: an article seen in a stored capture, a listing, the feed.
    samples=("/koorasudan/562196", "/koorasudan", "/rss"),
)
