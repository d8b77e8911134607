"""Scrapy extensions of newsbot."""
