"""Reading lines out of markup (:func:`newsbot.pages.markup.element_lines`)."""

from __future__ import annotations

from parsel import Selector

from newsbot.pages.markup import element_lines


def lines_of(html: str) -> list[str]:
    return element_lines(Selector(f"<html><body>{html}</body></html>").css("span.c")[0].root)


def test_br_lines_blocks_inline_markup_comments_and_scripts():
    html = ('<span class="c">Un <b>deux</b><!-- note --><br />trois<p>quatre</p>cinq'
            '<script>var x = 1;</script><div>six<br/>sept</div></span>')
    assert [line for line in lines_of(html) if line] == ["Un deux", "trois", "quatre", "cinq", "six", "sept"]


def test_whitespace_and_no_break_spaces_are_kept_raw():
    assert lines_of('<span class="c">a&nbsp;&nbsp;&nbsp;&nbsp;b  c</span>') == ["a\u00a0\u00a0\u00a0\u00a0b  c"]


def test_markup_nested_thousands_deep_is_read():
    html = '<span class="c">' + "<div>" * 1500 + "au fond" + "</div>" * 1500 + "<br/>après</span>"
    assert [line for line in lines_of(html) if line] == ["au fond", "après"]
