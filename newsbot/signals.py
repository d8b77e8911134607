"""Signals newsbot sends besides Scrapy's own (connect with ``crawler.signals.connect``).

* :data:`page_rejected`: an article page that yielded no item, by the spider's decision
  (``missing_title``, ``not_article``, ``out_of_range``); arguments ``response``,
  ``reason``, ``detail``, ``spider``. The rejects feed lists these pages too.
* :data:`furniture_read`: the spider read the ticker and "most read" boxes of a page of a
  site; arguments ``site`` (the site's name), ``boxes``
  (:class:`newsbot.pages.furniture.FurnitureBox` list, valid during the call only) and
  ``spider``. The boilerplate pipeline collects their headlines.
"""

page_rejected = object()
furniture_read = object()
