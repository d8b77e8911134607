""""Read also" lines (:func:`newsbot.text.body.is_read_also`, used by the item loader and
the boilerplate pipeline): every real spelling goes, a sentence that merely starts with
"Read more", "See also" or "Voir aussi" stays. Unit tests, then a real crawl of a copy of
the demo replica whose article carries both kinds of lines (texts written for this test)."""

from __future__ import annotations

import json
import shutil

import pytest

from newsbot.text.body import is_read_also
from newsbot.pipelines.boilerplate import clean_body
from newsbot.text.body import clean_lines
from tests.crawling import ROOT, crawl_snapshot
from tests.gold import load_jsonl

DEMO = ROOT / "newsbot" / "demo" / "site"

READ_ALSO = [
    # a label, then ':' or a dash or "..", and the headline
    "Lire aussi: Un autre sujet", "Lire aussi : Le port de Tanger bat un record", "À lire aussi - Un autre sujet",
    "» Lire aussi : Un titre", "Read also: Another story", "Also read – Parks open later",
    "Read more: The annual report", "Read more —", "See also: The budget in figures", "Voir aussi : Le rapport annuel",
    "اقرأ أيضا: خبر آخر", "إقرأ أيضاً: خبر آخر", "اقرأ أيضاً.. خطة لتوسيع المساحات الخضراء", "اقرأ المزيد: تقرير",
    # a label alone
    "LIRE AUSSI", "Read more", "See also", "Voir aussi", "اقرأ كذلك", "اقرأ المزيد", "Lire aussi…",
    # a strong label, then a short headline
    "Lire aussi Le port de Tanger Med bat un record de conteneurs", "Read also Reading clubs grow in popularity",
    "إقرأ ايضا خبر آخر", "اقرأ أيضا وزير الصحة يزور مستشفى الرباط",
]

SENTENCES = [
    # weak labels starting an ordinary sentence
    "Read more about it in the annex, the minister said.",
    "Read more books, the campaign urges parents",
    "See also the report of the commission, published on Monday.",
    "Voir aussi les recommandations du rapport, a-t-il ajouté.",
    "اقرأ المزيد من الكتب، تقول الحملة",
    # strong labels going on a sentence, not a headline
    "Lire aussi le rapport de la commission",
    "Lire aussi, dit-il, le rapport",
    "اقرأ أيضا ما قاله الوزير. وأضاف أن البيان صدر أمس",
    # the label elsewhere than at the start
    "Il faut lire aussi le rapport.", "قرأ أيضا الوزير البيان",
]


@pytest.mark.parametrize("line", READ_ALSO)
def test_read_also_lines_are_removed(line):
    assert is_read_also(line)
    assert clean_lines([line]).texts == []
    assert clean_body(["Un paragraphe.", line]).texts == ["Un paragraphe."]


@pytest.mark.parametrize("line", SENTENCES)
def test_sentences_starting_with_a_label_are_kept(line):
    assert not is_read_also(line)
    assert clean_lines([line]).texts == [line]
    assert clean_body(["Un paragraphe.", line]).texts == ["Un paragraphe.", line]


# --- through a real crawl --------------------------------------------------------------------------
ARTICLE = "https://www.maghress.com/fr/le360/2042690"
EXTRA_LINES = [
    "Voir aussi les stands des coopératives féminines, a précisé l'organisateur.",  # kept
    "Lire aussi : Un salon du livre s'ouvre à Meknès",  # removed
    "Read more about the fair in the programme published by the region.",  # kept
    "Voir aussi",  # removed
]


def test_a_crawl_keeps_sentences_and_drops_read_also_lines(tmp_path):
    snapshot = tmp_path / "site"
    shutil.copytree(DEMO, snapshot)
    page = snapshot / "files" / "www.maghress.com" / "fr" / "le360" / "2042690.html"
    html = page.read_text(encoding="utf-8")
    anchor = "près de Bab Boujloud."
    assert html.count(anchor) == 1
    page.write_text(html.replace(anchor, anchor + "".join(f"<br />\n{line}" for line in EXTRA_LINES)), encoding="utf-8")
    result = crawl_snapshot("maghress", snapshot, tmp_path / "crawl", args={"ids": "fr/le360:2042690-2042690"},
                            settings={"NEWSBOT_BOILERPLATE_WARMUP": 0, "NEWSBOT_RENDER_ENABLED": False})
    assert result.returncode == 0, result.log[-3000:]
    gold = next(g for g in load_jsonl(DEMO / "gold" / "articles.jsonl") if g["url"] == ARTICLE)
    assert [item["url"] for item in result.items] == [ARTICLE]
    assert result.items[0]["body"] == "\n\n".join([gold["body"], EXTRA_LINES[0], EXTRA_LINES[2]])
    assert json.dumps(result.items[0], ensure_ascii=False).count("Meknès") == 0
