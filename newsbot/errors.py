"""Fail fast on bad configuration: one clear ERROR line, exit code 1, nothing crawled.

A bad ``-a`` argument or ``-s`` setting raises a ValueError whose message says what to
write instead. Scrapy 2.19 re-raises it from the crawl's asyncio task, so ``scrapy crawl``
exits 1, but asyncio then logs it a second time with a long traceback ("Task exception
was never retrieved"), which buries the message. :func:`report_configuration_error`
logs the message once and tells the loop's exception handler to skip that one error.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from newsbot.config import mask_secrets

logger = logging.getLogger("newsbot")


def report_configuration_error(what: str, error: BaseException) -> None:
    """Log ``"<what>, nothing crawled: <error>"`` as one ERROR line, only once, with the
    password of any URL in it masked (:func:`newsbot.config.mask_secrets`).

    Call it just before re-raising ``error``; any other error still reaches the loop's
    previous exception handler as before.
    """
    logger.error("%s, nothing crawled: %s", what, mask_secrets(str(error)))
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not started from an asyncio loop: the caller gets the exception
        return
    previous = loop.get_exception_handler()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("exception") is error:
            return
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)
