"""The six aggregator spiders; each is its site profile plus the shared spider."""

from newsbot.sites import djazairess, maghress, masress, sauress, sudaress, turess
from newsbot.spiders.aggregator import AggregatorSpider


class MaghressSpider(AggregatorSpider):
    name = "maghress"
    site = maghress.SITE


class MasressSpider(AggregatorSpider):
    name = "masress"
    site = masress.SITE


class DjazairessSpider(AggregatorSpider):
    name = "djazairess"
    site = djazairess.SITE


class TuressSpider(AggregatorSpider):
    name = "turess"
    site = turess.SITE


class SudaressSpider(AggregatorSpider):
    name = "sudaress"
    site = sudaress.SITE


class SauressSpider(AggregatorSpider):
    name = "sauress"
    site = sauress.SITE
