"""The error every setting check raises (see :mod:`newsbot.config`)."""

from __future__ import annotations


class SettingError(ValueError):
    """A setting has a bad value; the message names it and gives a good example."""


SettingError.__module__ = "newsbot.config"  # where users import it from (and how tracebacks name it)
