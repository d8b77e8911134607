"""The "*ress" template shared by every sister site: one home for what the family's pages
look like, imported by spiders, pages, pipelines, middlewares, extensions and rendering
alike, importing nothing of newsbot above :mod:`newsbot.text`.

* :mod:`newsbot.family.urls`: the URL scheme (page kinds, editions, canonical URLs,
  ``article_id``) and the request meta keys that carry a classified URL;
* :mod:`newsbot.family.wording`: the words of the template per language (dateline,
  notices, "read also" labels, next-page links);
* :mod:`newsbot.family.selectors`: the markup the extractors read (CSS and XPath).

A site (:mod:`newsbot.sites`) only says which domain it lives on, which editions it has and
which outlets are known; everything else about its pages is here.
"""
