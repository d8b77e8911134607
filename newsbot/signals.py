"""Signals newsbot sends besides Scrapy's own (connect with ``crawler.signals.connect``).

* :data:`page_rejected`: an article page that yielded no item, by the spider's decision
  (``missing_title``, ``not_article``, ``out_of_range``); arguments ``response``,
  ``reason``, ``detail``, ``spider``. The rejects feed lists these pages too.
* :data:`furniture_read`: the spider read the ticker and "most read" boxes of a page of a
  site; arguments ``site`` (the site's name), ``boxes``
  (:class:`newsbot.pages.furniture.FurnitureBox` list, valid during the call only) and
  ``spider``. The boilerplate pipeline collects their headlines.
* :data:`listing_read`: the spider read a home or listing page (the last reading of it: a
  page sent to the browser is reported once rendered); arguments ``response``, ``entries``
  (how many article entries it found, teasers or main-column links), ``teasers`` (True when
  the template's teasers matched) and ``spider``. The monitors count listings with no
  entries (:mod:`newsbot.monitoring`).
* :data:`checkpoint`: the state extension is about to sync the feeds to the disk and record
  the articles they hold as done (:mod:`newsbot.extensions.seen`), during the crawl and at its
  end; no arguments. Components writing files a record depends on sync them now (the WARC
  archive, :mod:`newsbot.archive`), so an article recorded as done has them on disk.
"""

page_rejected = object()
furniture_read = object()
listing_read = object()
checkpoint = object()
