"""``DOWNLOADER``: Scrapy's downloader with each download slot holding its concurrency.

Scrapy 2.19's downloader starts a slot's queued requests while ``free_transfer_slots()`` is
positive, each in a task of its own, and counts a request in ``slot.transferring`` only once its
task runs, on a later turn of the event loop. So one pass over the queue starts every request
waiting in it: with no delay, a site got as many requests at once as were queued for it, not
``CONCURRENT_REQUESTS_PER_DOMAIN`` (15 at once against a setting of 4, measured at the replica
server on a plain crawl). :class:`SlotDownloader` counts a request as transferring from the moment
the slot starts it, so the slot's concurrency holds. Scrapy's own ``_download`` counts it again
(a set) and takes it out when the download ends.

The project's ``DOWNLOADER`` (:mod:`newsbot.settings`); cluster mode's downloader
(:class:`~newsbot.cluster.politeness.ClusterDownloader`) is one too. A ``DOWNLOADER`` given with
``-s`` wins.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader import Downloader

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.core.downloader import Slot
    from scrapy.http import Response
    from twisted.internet.defer import Deferred


class SlotDownloader(Downloader):
    """Scrapy's ``Downloader`` whose slots never start more than their concurrency (see the
    module docstring); the project's ``DOWNLOADER``."""

    def _wait_for_download(self, slot: Slot, request: Request,
                           queue_dfd: Deferred[Response]) -> Coroutine[Any, Any, None]:
        # called by Scrapy's _process_queue as each request leaves the slot's queue, before
        # its task runs: counted now, so the queue's loop sees the slot fill up
        slot.transferring.add(request)
        return self._counted(slot, request, queue_dfd)

    async def _counted(self, slot: Slot, request: Request, queue_dfd: Deferred[Response]) -> None:
        try:
            await super()._wait_for_download(slot, request, queue_dfd)
        finally:  # a task cancelled before it ran never reached Scrapy's own removal
            slot.transferring.discard(request)
