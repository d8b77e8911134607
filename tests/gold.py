"""Compare a feed with a snapshot's gold files, field by field (as the maintainers do)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

COMPARED_FIELDS = ("site", "edition", "url", "title", "outlet", "outlet_slug", "published", "language", "source_url")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def body_paragraphs(body: str | None) -> list[str]:
    """Paragraphs split on blank lines, whitespace collapsed inside each (NFC)."""
    text = unicodedata.normalize("NFC", body or "")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def mismatches(item: dict[str, Any], gold: dict[str, Any], fields: tuple[str, ...] = COMPARED_FIELDS) -> dict[str, tuple[Any, Any]]:
    """``{field: (got, want)}`` for every compared field that differs, body included."""
    diff = {f: (item.get(f), gold.get(f)) for f in fields if item.get(f) != gold.get(f)}
    if body_paragraphs(item.get("body")) != body_paragraphs(gold.get("body")):
        diff["body"] = (item.get("body"), gold.get("body"))
    return diff
