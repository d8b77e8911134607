"""Packaging for Scrapyd: ``scrapyd-deploy`` runs ``python setup.py bdist_egg`` on this file.

The egg holds every module of the ``newsbot`` package and every data file inside it
(the demo replica under ``newsbot/demo/site/``, and any file added later): data files
are found by walking the package, so nothing has to be listed by hand and nothing is
left out (shared case NB-25: a data file missing from the egg). Scrapyd runs the code
from the zipped egg, so newsbot reads its data with :mod:`importlib.resources`, never
with paths next to ``__file__``. Tests, scripts and the virtualenv are not packed.

    scrapyd-deploy --build-egg newsbot.egg   # build only, no server needed
    scrapyd-deploy local                     # build and upload to [deploy:local] of scrapy.cfg
"""

from __future__ import annotations

import glob
import os
import re

from setuptools import find_namespace_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))
_SKIP_DIRS = {"__pycache__"}
_SKIP_SUFFIXES = (".py", ".pyc", ".pyo")


def code_packages() -> list[str]:
    """``newsbot`` and every directory under it holding Python modules.

    A directory of modules without ``__init__.py`` still imports from a checkout (a
    namespace package), so it is packed too; directories of data only are not packages.
    """
    found = find_namespace_packages(HERE, include=["newsbot", "newsbot.*"], exclude=["*.__pycache__"])
    return sorted(
        name for name in found
        if any(f.endswith(".py") for f in os.listdir(os.path.join(HERE, *name.split("."))))
    )


def package_data(packages: list[str]) -> dict[str, list[str]]:
    """Every non-Python file under the packages, keyed by its nearest enclosing package.

    Directories without ``__init__.py`` (``newsbot/demo/site/files/``) belong to the
    package above them, so their files are listed with a relative path.
    """
    package_dirs = {name.replace(".", os.sep): name for name in packages}
    data: dict[str, list[str]] = {}
    for top, subdirs, filenames in os.walk(os.path.join(HERE, "newsbot")):
        directory = os.path.relpath(top, HERE)
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS and not d.startswith("."))
        owner = directory
        while owner not in package_dirs:
            owner = os.path.dirname(owner)
        for filename in sorted(filenames):
            if filename.endswith(_SKIP_SUFFIXES) or filename.startswith("."):
                continue
            path = os.path.relpath(os.path.join(directory, filename), owner)
            # package_data entries are glob patterns: a file name is matched literally
            data.setdefault(package_dirs[owner], []).append(glob.escape(path.replace(os.sep, "/")))
    return data


PACKAGES = code_packages()


def version() -> str:
    """``newsbot.__version__``, read from the file (setup.py imports nothing of newsbot)."""
    with open(os.path.join(HERE, "newsbot", "__init__.py"), encoding="utf-8") as init:
        return re.search(r'^__version__ = "([^"]+)"', init.read(), re.MULTILINE).group(1)


setup(
    name="newsbot",
    version=version(),
    description="Scrapy project: clean JSON Lines records from the *ress news aggregator sites",
    packages=PACKAGES,
    package_data=package_data(PACKAGES),
    # Scrapyd finds the settings module of a deployed egg through this entry point.
    entry_points={"scrapy": ["settings = newsbot.settings"]},
    python_requires=">=3.11",
    # newsbot reads its data files with importlib.resources, which works from a zip.
    zip_safe=True,
)
