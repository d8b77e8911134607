"""Spiders: one per site of the family, all built on :class:`AggregatorSpider`."""
