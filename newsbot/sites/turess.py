"""turess.com (Tunisia): Arabic at the root."""

from newsbot.family.urls import edition
from newsbot.sites.base import SiteProfile

SITE = SiteProfile(
    name="turess",
    domain="turess.com",
    editions=(edition("ar"),),
    known_outlets={"ar": frozenset({"alchourouk", "assabah", "echaab"})},
    # `scrapy check` pages: an article seen in a stored capture, a listing, the feed.
    samples=("/alchourouk/2154140", "/alchourouk", "/rss"),
)
