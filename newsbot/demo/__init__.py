"""The demo and test mirror: crawling a copy of the sites instead of the sites.

* ``site/``: the demo replica of maghress.com, package data (``scripts/build_replicas.py``);
* :mod:`newsbot.demo.replica`: the server of a replica snapshot (``python -m newsbot.demo.replica``);
* :mod:`newsbot.demo.mirror`: ``NEWSBOT_MIRROR``, an opt-in step of the newsbot add-on that
  wraps the http/https download handlers; :mod:`newsbot.demo.routing`: the same for browser pages.

Nothing here is imported at package import: the replica server's command line needs only the
standard library.
"""
