"""Spider contracts of the aggregator spiders (``scrapy check``), registered in ``SPIDER_CONTRACTS``.

The callbacks of :class:`~newsbot.spiders.aggregator.AggregatorSpider` carry their contracts
in their docstrings. All six spiders share those callbacks, so the page a contract fetches is
not written there: ``@sample KIND`` takes it from the spider's site profile
(:meth:`newsbot.sites.base.SiteProfile.sample_url`). Scrapy's ``@returns`` bounds the items
and requests; ``@fields`` and ``@follows`` say what a page that still reads right gives:

* ``@sample article``: fetch the site's sample page of that kind (``article``, ``listing``,
  ``feed``); a site without one has no check of that callback;
* ``@fields title outlet published body``: every item has each named field filled (not null,
  not empty), so a renamed title, dateline or body span fails the check, naming the field;
* ``@follows article listing``: the requests include at least one of each page kind named
  (a listing whose entries no longer parse follows nothing).

``scrapy check maghress -s NEWSBOT_MIRROR=demo`` runs them offline against the demo replica.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy import Request
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail

from newsbot.family.urls import PageKind


def _kind(name: str) -> PageKind:
    try:
        return PageKind(name)
    except ValueError:
        kinds = ", ".join(kind.value for kind in PageKind)
        raise ValueError(f"{name!r} is not a page kind: write one of {kinds}") from None


class SampleContract(Contract):
    """``@sample KIND``: the request URL is the spider's site's sample page of ``KIND``."""

    name = "sample"

    def __init__(self, method: Any, *args: Any) -> None:
        super().__init__(method, *args)
        self.spider = method.__self__
        self.kind = _kind(args[0])

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        url = self.spider.site.sample_url(self.kind)
        if url is not None:  # no URL: Scrapy makes no request, so nothing is checked
            args["url"] = url
        return args


class FieldsContract(Contract):
    """``@fields NAME ...``: every item returned has each named field filled (not None, not "")."""

    name = "fields"

    def post_process(self, output: list[Any]) -> None:
        for item in output:
            if not is_item(item):
                continue
            adapter = ItemAdapter(item)
            empty = [name for name in self.args if adapter.get(name) in (None, "")]
            if empty:
                raise ContractFail(f"{adapter.get('url')}: no {', '.join(empty)} extracted")


class FollowsContract(Contract):
    """``@follows KIND ...``: the requests returned include a page of each kind named
    (classified by the spider's site)."""

    name = "follows"

    def __init__(self, method: Any, *args: Any) -> None:
        super().__init__(method, *args)
        self.spider = method.__self__
        self.kinds = [_kind(name) for name in args]

    def post_process(self, output: list[Any]) -> None:
        followed = set()
        for request in output:
            if isinstance(request, Request):
                where = self.spider.site.classify(request.url)
                if where is not None:
                    followed.add(where.kind)
        missing = [kind.value for kind in self.kinds if kind not in followed]
        if missing:
            raise ContractFail(f"follows no {', '.join(missing)} page")
