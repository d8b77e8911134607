"""Item validation: every record is checked against the JSON Schema shipped with newsbot
(``newsbot/schemas/article.json``) before it is written, with spidermon's validator.

An item that does not match is dropped (``PipelineDrop`` reason ``invalid``, so it is
counted as ``newsbot/dropped/invalid`` and listed in the rejects feed), the drop's message
naming every field in error; spidermon's own validation stats
(``spidermon/validation/items``, ``.../items/errors``, ``.../fields/errors/<error>/<field>``)
are kept too, and the validation monitor fails the crawl when any item was invalid
(:mod:`newsbot.monitoring`). Only the exported fields (:data:`newsbot.items.PUBLIC_FIELDS`)
are validated: they are what a feed holds.

Runs after the boilerplate pipeline (the body checked is the body written) and before the
dedupe pipeline (an invalid item never enters the dedupe index). ``NEWSBOT_VALIDATION_ENABLED``
turns it off.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline
from jsonschema.validators import validator_for
from spidermon.contrib.validation import JSONSchemaValidator
from spidermon.contrib.validation.jsonschema.formats import format_checker
from spidermon.contrib.validation.jsonschema.validator import REQUIRED_RE

from newsbot.config import bool_setting
from newsbot.items import PUBLIC_FIELDS
from newsbot.pipelines.drops import PipelineDrop

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_QUOTED_VALUE = re.compile(r"^'.*?' ")
SCHEMA_RESOURCE = "schemas/article.json"
"""The record's JSON Schema, inside the ``newsbot`` package (read with importlib.resources:
Scrapyd runs newsbot from a zipped egg)."""


@cache
def article_schema() -> dict[str, Any]:
    """The JSON Schema of the article record, as a dict (read once).

    >>> article_schema()["required"][:3]
    ['article_id', 'url', 'site']
    """
    return json.loads(files("newsbot").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8"))


def describe_errors(errors: dict[str, list[str]]) -> str:
    """spidermon's ``{field: [messages]}`` as one line.

    >>> describe_errors({"published": ["'2021-13-45' is not a 'date'"], "title": ["should be non-empty"]})
    "published: '2021-13-45' is not a 'date'; title: should be non-empty"
    """
    return "; ".join(f"{field or '(record)'}: {', '.join(messages)}" for field, messages in sorted(errors.items()))


class CompiledSchemaValidator(JSONSchemaValidator):
    """spidermon's JSON Schema validator with jsonschema's validator built once: spidermon's
    builds a new one for every item, a third of the cost of validating a record."""

    def __init__(self, schema: dict[str, Any]) -> None:
        super().__init__(schema)
        self._compiled = validator_for(schema)(schema=schema, format_checker=format_checker)

    def _validate(self, data: dict[str, Any], strict: bool = False) -> None:
        for error in self._compiled.iter_errors(data):  # what spidermon's _validate does with each
            path = [str(p) for p in error.absolute_path]
            required = REQUIRED_RE.search(error.message)
            if required:
                path.append(required.group(1))
            self._add_errors({".".join(path): [error.message]})


class ValidationPipeline(ItemValidationPipeline):
    """spidermon's item validation pipeline with newsbot's schema; an invalid item is dropped
    as ``invalid`` with the reason (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidationPipeline:
        if not bool_setting(crawler.settings, "NEWSBOT_VALIDATION_ENABLED"):
            raise NotConfigured("NEWSBOT_VALIDATION_ENABLED is False")
        validators = {"ArticleItem": [CompiledSchemaValidator(article_schema())]}
        return cls(validators=validators, stats=crawler.stats, drop_items_with_errors=True)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        record = {name: adapter.get(name) for name in PUBLIC_FIELDS}
        self.stats.add_item()
        self.stats.add_fields(len(record))
        errors: dict[str, list[str]] = {}
        for validator in self.find_validators(item):
            ok, found = validator.validate(record)
            if not ok:
                errors.update(found)
        if errors:
            for name, messages in errors.items():
                for message in messages:  # keyed by the kind of error, not by the bad value
                    self.stats.add_field_error(name or "record", _QUOTED_VALUE.sub("value ", message))
            self.stats.add_item_with_errors()
            self.stats.add_dropped_item()
            raise PipelineDrop("invalid", describe_errors(errors))  # Scrapy logs the drop
        return item
