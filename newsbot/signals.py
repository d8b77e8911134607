"""Signals newsbot sends besides Scrapy's own (connect with ``crawler.signals.connect``).

* :data:`page_rejected`: an article page that yielded no item, by the spider's decision
  (``missing_title``, ``not_article``, ``out_of_range``); arguments ``response``,
  ``reason``, ``detail``, ``spider``. The rejects feed lists these pages too.
"""

page_rejected = object()
