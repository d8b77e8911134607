"""maghress.com (Morocco): Arabic at the root, French under /fr/."""

from newsbot.family.urls import edition
from newsbot.sites.base import SiteProfile

SITE = SiteProfile(
    name="maghress",
    domain="maghress.com",
    editions=(edition("ar"), edition("fr")),
    known_outlets={
        "ar": frozenset({
            "achewa9e3", "africapress", "aladabia", "alalam", "alittihad", "aljassour", "almassae",
            "alwa9i3", "anfaspress", "andaluspress", "assahifa", "fesnews", "hespress", "howiyapress",
            "kech24", "koorapress", "ma5tv", "maghrebalaan", "midelt", "presstetouan", "rifpresse",
            "siyassi", "tazacity", "yabiladiar",
        }),
        "fr": frozenset({
            "adnmed", "albayane", "atlasinfo", "aujourdhui", "barlamanefr", "fnh", "h24info",
            "infomediaire", "lagazette", "le360", "lebrief", "lematin", "lesechos", "lesiteinfo",
            "lobservateur", "lopinion",
        }),
    },
    # Pages of the bundled demo replica (newsbot/demo/site), so `scrapy check maghress
    # -s NEWSBOT_MIRROR=demo` runs offline.
    samples=("/fr/h24info/1165520", "/fr/lematin", "/hespress/rss"),
)
