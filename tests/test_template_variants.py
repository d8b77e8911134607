"""Template variants an unseen edition may use, through a real crawl: the article classes on
other tags (nested ones read once), a dateline in another word order, a teaser ending in
``[...]``, and a next-page link of another shape (``/page/2``, ``rel=next``)."""

from __future__ import annotations

from pathlib import Path

from tests.crawling import crawl_snapshot, write_snapshot

HOST = "www.maghress.com"
HEAD = '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{t}</title></head><body>'
TICKER = ('<div id="ticker"><a href="/fr/varia/101">Le port de Safi agrandit son quai</a>&nbsp;&nbsp;&nbsp;&nbsp;'
          '<a href="/fr/varia/102">Une saison record pour les apiculteurs</a>&nbsp;&nbsp;&nbsp;&nbsp;</div>')

PAGES = {
    "/fr/": HEAD.format(t="Accueil") + TICKER + '<div id="newspapers"><a href="/fr/varia">Varia</a></div></body></html>',
    "/fr/varia": HEAD.format(t="Varia") + TICKER + '<div id="main">'
    '<div class="teaser"><a class="teasertitle" href="/fr/varia/101">Le port de Safi agrandit son quai</a></div>'
    '<div class="teaser"><a class="teasertitle" href="/fr/varia/102">Une saison record pour les apiculteurs</a></div>'
    '<p class="nav"><a rel="next" href="/fr/varia/page/2">page 2</a></p></div></body></html>',
    "/fr/varia/page/2": HEAD.format(t="Varia, page 2") + '<div id="main">'
    '<div class="teaser"><a class="teasertitle" href="/fr/varia/103">Des fresques pour l\'école de Tiznit</a></div>'
    "</div></body></html>",
    "/fr/varia/101": HEAD.format(t="Safi") + TICKER + '<div class="article">'
    '<h1 class="articletitle">Le port de Safi agrandit son quai</h1>'
    '<p class="articlenewspaper">Publié le 05 - 10 - 2021 dans <a href="/fr/varia">Varia</a></p>'
    '<div class="articlecontent"><p class="articlecontent">Les travaux d\'extension du quai ont commencé lundi.</p>'
    "<p>Ils doivent durer dix-huit mois.</p></div>"
    '<div class="articlesource"><a href="https://varia.example/safi-quai">Cliquez ici pour lire l\'article depuis sa source.</a></div>'
    "</div></body></html>",
    "/fr/varia/102": HEAD.format(t="Miel") + '<div class="article">'
    '<span class="articletitle">Une saison record pour les apiculteurs</span>'
    '<span class="articlenewspaper">Publié dans <a href="/fr/varia">Varia</a> le 4 octobre 2021</span>'
    '<span class="articlecontent">Les apiculteurs du Souss annoncent une récolte abondante cette année [...]</span>'
    "</div></body></html>",
    "/fr/varia/103": HEAD.format(t="Tiznit") + '<div class="article">'
    '<span class="articletitle">Des fresques pour l\'école de Tiznit</span>'
    '<span class="articlenewspaper">Publié dans Varia le 03 - 10 - 2021</span>'
    '<span class="articlecontent">Des artistes ont peint les murs de l\'école.<br />Les élèves ont choisi les motifs.</span>'
    "</div></body></html>",
}


def _snapshot(root: Path) -> Path:
    return write_snapshot(root, {(HOST, path): (200, {}, page) for path, page in PAGES.items()})


def test_template_variants_are_read(tmp_path):
    result = crawl_snapshot("maghress", _snapshot(tmp_path / "snapshot"), tmp_path / "crawl",
                            args={"editions": "fr"}, settings={"NEWSBOT_BOILERPLATE_WARMUP": 0})
    assert result.returncode == 0, result.log[-2000:]
    items = {i["url"].rsplit("/", 1)[1]: i for i in result.items}
    assert sorted(items) == ["101", "102", "103"]  # 103 only through the /page/2 link
    safi = items["101"]
    assert (safi["title"], safi["outlet"], safi["published"]) == ("Le port de Safi agrandit son quai", "Varia", "2021-10-05")
    assert safi["body"] == "Les travaux d'extension du quai ont commencé lundi.\n\nIls doivent durer dix-huit mois."
    assert safi["source_url"] == "https://varia.example/safi-quai"
    honey = items["102"]
    assert (honey["published"], honey["body_source"]) == ("2021-10-04", "aggregator_teaser")
    assert items["103"]["body"] == "Des artistes ont peint les murs de l'école.\n\nLes élèves ont choisi les motifs."
    assert items["103"]["outlet"] == "Varia"


APEX = "maghress.com"


def _article(number: int, title: str) -> str:
    return (HEAD.format(t=title) + '<div class="article">'
            f'<span class="articletitle">{title}</span>'
            '<span class="articlenewspaper">Publié dans <a href="/fr/varia">Varia</a> le 06 - 10 - 2021</span>'
            f'<span class="articlecontent">Premier paragraphe de l\'article {number}.<br />Second paragraphe.</span>'
            "</div></body></html>")


def _redirecting_snapshot(root: Path) -> Path:
    """The site answers on the bare domain: every www URL redirects there; one article
    redirects to its trailing-slash spelling, one off the site, one to the home page."""
    pages = {  # (host, path): (status, location or page)
        (HOST, "/fr/"): (301, "https://maghress.com/fr/"),
        (APEX, "/fr/"): (200, HEAD.format(t="Accueil") + '<a href="/fr/varia">Varia</a></body></html>'),
        (HOST, "/fr/varia"): (301, "https://maghress.com/fr/varia"),
        (APEX, "/fr/varia"): (200, HEAD.format(t="Varia") + "".join(
            f'<div class="teaser"><a class="teasertitle" href="/fr/varia/{n}">Article {n}</a></div>'
            for n in (201, 202, 203, 204, 205, 206)) + "</body></html>"),
        (HOST, "/fr/varia/201"): (301, "https://maghress.com/fr/varia/201"),
        (APEX, "/fr/varia/201"): (200, _article(201, "Un quai neuf à Safi")),
        (HOST, "/fr/varia/202"): (301, "https://www.maghress.com/fr/varia/202/"),
        (HOST, "/fr/varia/202/"): (200, _article(202, "Une récolte de miel abondante")),
        (HOST, "/fr/varia/203"): (301, "https://elsewhere.example/story/203"),
        (HOST, "/fr/varia/204"): (302, "/fr/"),
        (HOST, "/fr/varia/205"): (301, "https://www.maghress.com/fr/varia/205/"),  # a loop of two spellings
        (HOST, "/fr/varia/205/"): (301, "https://www.maghress.com/fr/varia/205"),
        (HOST, "/fr/varia/206"): (302, "https://www.maghress.com/fr/varia/207"),  # a loop of two pages
        (HOST, "/fr/varia/207"): (302, "https://www.maghress.com/fr/varia/206"),
    }
    return write_snapshot(root, {
        key: (status, {"Location": value}, "moved") if status in (301, 302) else (status, {}, value)
        for key, (status, value) in pages.items()
    })


def test_redirects_to_another_spelling_keep_the_article(tmp_path):
    result = crawl_snapshot("maghress", _redirecting_snapshot(tmp_path / "snapshot"), tmp_path / "crawl",
                            args={"editions": "fr"}, settings={"NEWSBOT_BOILERPLATE_WARMUP": 0})
    assert result.returncode == 0, result.log[-2000:]
    assert sorted(i["url"] for i in result.items) == [
        "https://www.maghress.com/fr/varia/201", "https://www.maghress.com/fr/varia/202"]
    assert {i["title"] for i in result.items} == {"Un quai neuf à Safi", "Une récolte de miel abondante"}
    assert result.stat("newsbot/rejected/redirected_away") == 2
    assert "No item from https://www.maghress.com/fr/varia/203: it redirects (301) to https://elsewhere.example/story/203" in result.log
    assert result.stat("newsbot/rejected/redirect_loop") == 2
    loops = sorted(line.split(" INFO: ", 1)[1] for line in result.log.splitlines() if "redirect loop" in line)
    assert loops == [
        "No page from https://www.maghress.com/fr/varia/205: redirect loop (back to a URL of the chain):"
        " https://www.maghress.com/fr/varia/205 -> https://www.maghress.com/fr/varia/205/ -> https://www.maghress.com/fr/varia/205",
        "No page from https://www.maghress.com/fr/varia/206: redirect loop (back to a URL of the chain):"
        " https://www.maghress.com/fr/varia/206 -> https://www.maghress.com/fr/varia/207 -> https://www.maghress.com/fr/varia/206",
    ]


def test_a_redirect_chain_past_the_limit_is_reported(tmp_path):
    pages = {(HOST, "/fr/"): (200, {}, HEAD.format(t="Accueil") + '<a href="/fr/varia/300">x</a></body></html>')}
    for n in range(300, 304):
        pages[(HOST, f"/fr/varia/{n}")] = (301, {"Location": f"https://www.maghress.com/fr/varia/{n + 1}"}, "moved")
    result = crawl_snapshot("maghress", write_snapshot(tmp_path / "snapshot", pages), tmp_path / "crawl",
                            args={"editions": "fr"}, settings={"REDIRECT_MAX_TIMES": 2})
    # The page is reported, and a crawl that wrote nothing fails its monitors: exit 1.
    assert result.returncode == 1 and result.items == []
    assert "newsbot verdict: FAILED" in result.log
    assert result.stat("newsbot/rejected/redirect_loop") == 1
    assert ("INFO: No page from https://www.maghress.com/fr/varia/300: redirect loop (more than 2 redirects):"
            " https://www.maghress.com/fr/varia/300 -> https://www.maghress.com/fr/varia/301"
            " -> https://www.maghress.com/fr/varia/302 -> https://www.maghress.com/fr/varia/303") in result.log


def test_control_characters_become_spaces_without_gluing_words(tmp_path):
    """NUL (dropped by lxml), BEL, ESC, DEL and C1 controls in a page: each separates words."""
    title = "Un\x00port\x07neuf\x1bà\x7fSafi\x85!\x9f"
    page = (HEAD.format(t="Safi") + '<div class="article">'
            f'<span class="articletitle">{title}</span>'
            '<span class="articlenewspaper">Publié dans <a href="/fr/varia">Varia</a> le 06 - 10 - 2021</span>'
            '<span class="articlecontent">Les\x00travaux\x01ont commencé.<br />Ils\x00\x00durent\x9dun an.</span>'
            "</div></body></html>")
    pages = {
        (HOST, "/fr/"): (200, {}, HEAD.format(t="Accueil") + '<a href="/fr/varia">Varia</a></body></html>'),
        (HOST, "/fr/varia"): (200, {}, HEAD.format(t="Varia") + '<div class="teaser">'
                              '<a class="teasertitle" href="/fr/varia/301">Safi</a></div></body></html>'),
        (HOST, "/fr/varia/301"): (200, {}, page),
    }
    result = crawl_snapshot("maghress", write_snapshot(tmp_path / "snapshot", pages), tmp_path / "crawl",
                            args={"editions": "fr"}, settings={"NEWSBOT_BOILERPLATE_WARMUP": 0})
    assert result.returncode == 0, result.log[-2000:]
    assert [(i["title"], i["body"]) for i in result.items] == [
        ("Un port neuf à Safi !", "Les travaux ont commencé.\n\nIls durent un an.")]
