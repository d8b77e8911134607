"""masress.com (Egypt): Arabic at the root, English under /en/."""

from newsbot.family.urls import edition
from newsbot.sites.base import SiteProfile

SITE = SiteProfile(
    name="masress",
    domain="masress.com",
    editions=(edition("ar"), edition("en")),
    known_outlets={
        "ar": frozenset({
            "ahram", "albawabh", "aldawlanews", "almasdar", "almasryalyoum", "almezan", "alwafd",
            "darelhilal", "dostor", "elbalad", "elfagr", "masrawy", "rosasabah", "soutalomma",
            "vetogate", "youm7",
        }),
        "en": frozenset({
            "ahramonline", "dailynews", "egyptiangazette", "egyptianstreets", "egyptindependent",
            "egypttoday", "seenews", "sis",
        }),
    },
    # `scrapy check` pages: an article seen in a stored capture, a listing, the feed.
    samples=("/alwafd/818996", "/alwafd", "/rss"),
)
