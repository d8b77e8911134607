"""One spider per site profile of :mod:`newsbot.sites`, built on :class:`AggregatorSpider`.

A new sister site is one module in ``newsbot/sites/``: its spider appears here by
itself (``scrapy list`` shows it), named after the site.
"""

from __future__ import annotations

from newsbot.sites import SITES
from newsbot.spiders.aggregator import AggregatorSpider


def _spider_class(name: str) -> type[AggregatorSpider]:
    site = SITES[name]
    # allowed_domains on the class: `scrapy shell URL` and `scrapy parse URL` pick the spider by it.
    attrs = {"name": name, "site": site, "allowed_domains": list(site.hosts), "__module__": __name__,
             "__doc__": f"Crawls {site.domain}."}
    return type(f"{name.capitalize()}Spider", (AggregatorSpider,), attrs)


# Module-level names, so Scrapy's spider loader (which scans this module) finds them.
for _name in SITES:
    globals()[f"{_name.capitalize()}Spider"] = _spider_class(_name)
del _name
