"""Generator of newsbot's own replica snapshots (see ``scripts/build_replicas.py``).

* :mod:`.model`: what a snapshot is made of (sites, editions, outlets, articles);
* :mod:`.pages`: the HTML, RSS and robots.txt of the "*ress" template;
* :mod:`.snapshot`: writes ``manifest.json``, ``files/``, ``gold/`` and a README;
* :mod:`.demo` and :mod:`.cases`: the two snapshots, as data (all text written for newsbot).
"""
