"""The README and docs/ stay true to the code: links resolve, every setting, spider argument and
output field is documented, and the example record is a record of today's feed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import newsbot.settings
from newsbot.items import PUBLIC_FIELDS
from newsbot.spiders.arguments import KNOWN

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """GitHub's anchors of a Markdown page's headings."""
    found = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#+ (.*)", line)
        if match:
            found.add(re.sub(r"[^\w\- ]", "", match.group(1).strip().lower()).replace(" ", "-"))
    return found


def all_docs() -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):
            continue  # http(s), mailto
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no file {file}")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {file.name}")
    assert not broken, broken


def test_every_newsbot_setting_is_documented():
    names = [name for name in dir(newsbot.settings) if name.startswith("NEWSBOT_")]
    text = all_docs()
    assert [name for name in names if f"`{name}`" not in text and f"{name}=" not in text] == []


def test_every_spider_argument_is_in_the_readme_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name in KNOWN if not re.search(rf"^\| `{name}`", readme, re.M) and f"`{name}`" not in readme] == []


def test_the_readme_example_record_has_the_feed_fields_in_their_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```json\n(\{.*\})\n```", readme)
    record = json.loads(example)
    assert list(record) == list(PUBLIC_FIELDS) == list(newsbot.settings.FEED_EXPORT_FIELDS)
    table_fields = re.findall(r"^\| `(\w+)` \|", readme.split("An example record")[0], re.M)
    assert [f for f in PUBLIC_FIELDS if f not in table_fields] == []
