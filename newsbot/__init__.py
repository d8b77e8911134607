"""newsbot: clean JSON Lines records from the "*ress" news aggregator sites (a Scrapy project)."""

__version__ = "1.0.0"
"""The release, as packaged (``setup.py`` reads it here) and as named in ``extractor``."""
