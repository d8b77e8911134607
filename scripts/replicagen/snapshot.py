"""Turn a :class:`~replicagen.model.Snapshot` into files: ``manifest.json``, ``files/``,
``gold/articles.jsonl``, ``gold/rejects.jsonl`` and ``README.md``, byte for byte the
same on every run (fixed order, no clock)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from newsbot import __version__
from replicagen import pages
from replicagen.model import Article, Edition, Site, Snapshot
from replicagen.pages import UI, Teaser, dmy, teaser_text

GENERATOR = "newsbot scripts/build_replicas.py"
AGGREGATOR_EXTRACTOR = f"newsbot-ress {__version__}"  # the README's extractor of aggregator bodies
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


class Builder:
    """Collects entries, files and gold records of one snapshot."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.entries: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.gold: list[dict[str, Any]] = []
        self.rejects: list[dict[str, Any]] = []

    def add(self, host: str, path: str, file: str, kind: str, body: bytes, *, status: int = 200,
            content_type: str = HTML, sequence: list[int] | None = None, location: str | None = None) -> None:
        headers = {"Content-Type": content_type}
        if location:
            headers["Location"] = location
        entry: dict[str, Any] = {"host": host, "path": path, "status": status, "headers": headers, "file": f"files/{host}/{file}"}
        if sequence:
            entry["sequence"] = sequence
        entry["kind"] = kind
        self.entries.append(entry)
        self.files[entry["file"]] = body

    # --- one snapshot ------------------------------------------------------------------------------
    def build(self) -> None:
        for site in self.snap.sites:
            self.add(site.host, "/robots.txt", "robots.txt", "robots", site.robots.encode(), content_type=TEXT)
            for ed in site.editions:
                self.edition(site, ed)
        for page in self.snap.outlet_pages:
            file = (page.path.strip("/") or "index") + ".html"
            if page.kind == "redirect":
                self.add(page.host, page.path, file, "redirect", pages.outlet_page(page).encode(), status=301,
                         location=page.location)
            else:
                self.add(page.host, page.path, file, "outlet_page", pages.outlet_page(page).encode())
            self.rejects.append({"url": f"https://{page.host}{page.path}", "reason": "not_article", "note": page.note})
        for host in sorted({p.host for p in self.snap.outlet_pages}):
            robots = self.snap.outlet_robots.get(host, "User-agent: *\nDisallow:\n")
            self.add(host, "/robots.txt", "robots.txt", "robots", robots.encode(), content_type=TEXT)

    def edition(self, site: Site, ed: Edition) -> None:
        pre = ed.prefix
        articles = sorted(ed.articles, key=lambda a: (a.date, a.number), reverse=True)
        visible = [a for a in articles if not a.hidden]

        def href(art: Article, where: str) -> str:
            return art.hrefs.get(where, f"/{pre}{art.outlet}/{art.number}")

        headlines = [(href(a, "ticker"), a.title) for a in visible]
        headlines += [(f"/{pre}{visible[i % len(visible)].outlet}/{visible[i % len(visible)].number}", h)
                      for i, h in enumerate(ed.headlines)]
        ticker_html = pages.ticker(headlines)
        ticker_text = "".join(pages.esc(text) + pages.SEPARATOR for _, text in headlines)
        ranked = sorted(visible, key=lambda a: ("mostread" not in a.hrefs, -a.number))
        mostread = [(href(a, "mostread"), a.title) for a in ranked[:5]]
        frame = {"ticker_html": ticker_html, "mostread": mostread}

        def teaser(art: Article, where: str) -> Teaser:
            return Teaser(href(art, where), art.title, dmy(art.day), teaser_text(" ".join(art.paragraphs), art.teaser_words))

        def html(main: str, title: str) -> bytes:
            return pages.frame(site, ed, title=title, main=main, **frame).encode()

        # home page and the pages it links besides articles and outlets
        home = pages.home_main(ed, [teaser(a, "home") for a in visible[:10]], ed.extras)
        self.add(site.host, f"/{pre}", f"{pre}index.html", "home", html(home, UI[ed.code]["home"]))
        self.rejects.append({"url": site.url(pre), "reason": "not_article", "note": "home page"})
        for extra in ed.extras:
            main = pages.simple_main(extra.text, extra.note)
            self.add(site.host, extra.path, extra.path.strip("/") + ".html", extra.kind, html(main, extra.text))
            self.rejects.append({"url": site.url(extra.path), "reason": extra.reason, "note": extra.note})

        # outlet listings, paginated, newest first
        size = self.snap.page_size
        for outlet in ed.outlets:
            own = [a for a in articles if a.outlet == outlet.slug]
            chunks = [own[i : i + size] for i in range(0, len(own), size)] or [[]]
            for number, chunk in enumerate(chunks, 1):
                main = pages.listing_main(ed, outlet, [teaser(a, "listing") for a in chunk], number, len(chunks))
                path = f"/{pre}{outlet.slug}" + (f"?page={number}" if number > 1 else "")
                file = f"{pre}{outlet.slug}" + (f"__page-{number}" if number > 1 else "") + ".html"
                self.add(site.host, path, file, "listing", html(main, outlet.name))
                self.rejects.append({"url": site.url(path), "reason": "not_article", "note": "outlet listing"})
            feed = pages.rss(site, ed, outlet.name, site.url(f"{pre}{outlet.slug}"),
                             [(a, href_abs(site, href(a, "rss"))) for a in visible if a.outlet == outlet.slug])
            self.add(site.host, f"/{pre}{outlet.slug}/rss", f"{pre}{outlet.slug}/rss.xml", "rss", feed.encode(), content_type=RSS)
        feed = pages.rss(site, ed, f"{site.title} ({ed.code})", site.url(pre),
                         [(a, href_abs(site, href(a, "rss"))) for a in visible[:10]])
        self.add(site.host, f"/{pre}rss", f"{pre}rss.xml", "rss", feed.encode(), content_type=RSS)

        # article pages
        for art in articles:
            self.article(site, ed, art, ticker_html, ticker_text, mostread)

    def article(self, site: Site, ed: Edition, art: Article, ticker_html: str, ticker_text: str,
                mostread: list[tuple[str, str]]) -> None:
        path = f"/{ed.prefix}{art.outlet}/{art.number}"
        file = f"{ed.prefix}{art.outlet}/{art.number}.html"
        if art.status == 404:
            ui = UI[ed.code]
            main = pages.simple_main(*ui["notfound"])
            body = pages.frame(site, ed, title=ui["notfound"][0], main=main, ticker_html=ticker_html, mostread=mostread)
            self.add(site.host, path, file, "error", body.encode(), status=404)
        else:
            text = pages.article_page(site, ed, art, ticker_html=ticker_html, ticker_text=ticker_text, mostread=mostread)
            self.add(site.host, path, file, "article", text.encode(art.encoding, errors="xmlcharrefreplace"),
                     content_type=f"text/html; charset={art.header_charset}", sequence=art.sequence)
        url = site.url(path)
        if art.redirect_from:
            location = url
            self.add(site.host, art.redirect_from, art.redirect_from.strip("/") + "/index.html", "redirect",
                     pages.redirect_page(location).encode(), status=301, location=location)
            self.rejects.append({"url": f"http://{site.host}{art.redirect_from}", "reason": "redirect", "status": 301,
                                 "redirects_to": url, "note": art.note or "linked with http:// and a trailing slash"})
        if art.reject:
            self.rejects.append(self.reject_record(site, ed, art, url))
        else:
            self.gold.append(self.gold_record(site, ed, art, url))

    def record(self, site: Site, ed: Edition, art: Article, url: str) -> dict[str, Any]:
        outlet = ed.outlet(art.outlet)
        return {
            "site": site.name, "edition": ed.code, "url": url, "title": art.title,
            "outlet": outlet.name if art.dateline else None, "outlet_slug": art.outlet,
            "published": art.published, "language": ed.code, "body": "\n\n".join(art.paragraphs),
            "source_url": pages.source_url(art, outlet),
        }

    def gold_record(self, site: Site, ed: Edition, art: Article, url: str) -> dict[str, Any]:
        rec = self.record(site, ed, art, url)
        rec["article_id"] = f"{site.name}:{ed.code}:{art.outlet}:{art.number}"
        teaser = teaser_text(" ".join(art.paragraphs), art.teaser_words) if art.layout == "teaser" else None
        if teaser is not None and art.source_reason:
            rec["body"] = teaser  # the source page gives nothing: newsbot keeps the aggregator's teaser
        rec["body_source"] = "aggregator" if teaser is None else "outlet" if not art.source_reason else "aggregator_teaser"
        # extractor and extraction_confidence as README states them; an outlet body's are the
        # outlet extractor's (any of its candidates, any confidence): null here
        outlet_body = rec["body_source"] == "outlet"
        rec["extractor"] = None if outlet_body else AGGREGATOR_EXTRACTOR
        rec["extraction_confidence"] = None if outlet_body else (
            0.3 if teaser is not None else 0.6 if len(rec["body"]) < 150 else 1.0)
        rec["revision"] = 1  # a first crawl: every article's first version
        rec["warc_record_id"] = None  # a crawl without NEWSBOT_ARCHIVE
        rec["needs_js"] = False
        rec["cases"] = list(art.cases) + (["read_also"] if art.read_also else [])
        rec["text_from"] = "written for newsbot's own tests"
        duplicates = [
            site.url(f"{ed.prefix}{other.outlet}/{other.number}")
            for other in ed.articles if other.original == (art.outlet, art.number)
        ]
        if duplicates:
            rec["duplicates"] = duplicates
        variants = sorted({href_abs(site, h) for h in art.hrefs.values()} | {url})
        if len(variants) > 1:
            rec["url_variants"] = variants
        if teaser is not None:
            rec["full_text_at"] = art.full_text_at
            rec["teaser"] = teaser
            if art.source_reason:
                rec["source_reason"] = art.source_reason
        return rec

    def reject_record(self, site: Site, ed: Edition, art: Article, url: str) -> dict[str, Any]:
        rec: dict[str, Any] = {"url": url, "reason": art.reject}
        if art.reject in ("duplicate_of", "near_duplicate"):
            slug, number = art.original  # type: ignore[misc]
            original = next(a for a in ed.articles if (a.outlet, a.number) == (slug, number))
            rec["duplicate_of"] = site.url(f"{ed.prefix}{slug}/{number}")
            rec["either_may_be_kept"] = True
            rec["note"] = art.note
            rec.update({k: v for k, v in self.record(site, ed, art, url).items() if k not in ("url",)})
            if art.reject == "near_duplicate":
                rec["similarity"] = similarity(" ".join(original.paragraphs), " ".join(art.paragraphs))
        else:
            if art.status != 200:
                rec["status"] = art.status
            rec["note"] = art.note
        return rec

    # --- writing -------------------------------------------------------------------------------------
    def write(self, out: Path) -> None:
        for name in ("manifest.json", "README.md"):
            (out / name).unlink(missing_ok=True)
        for name in ("files", "gold"):
            shutil.rmtree(out / name, ignore_errors=True)
        out.mkdir(parents=True, exist_ok=True)
        for rel, body in sorted(self.files.items()):
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        manifest = {
            "snapshot": self.snap.name,
            "generator": GENERATOR,
            "default_host": self.snap.sites[0].host,
            "sites": [
                {"site": s.domain, "host": s.host, "aliases": [s.domain], "kind": "aggregator",
                 "editions": [e.code for e in s.editions]} for s in self.snap.sites
            ] + [
                {"site": h, "host": h, "aliases": [], "kind": "outlet", "editions": []}
                for h in sorted({p.host for p in self.snap.outlet_pages})
            ],
            "entries": self.entries,
        }
        (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (out / "gold").mkdir()
        for name, records in (("articles", self.gold), ("rejects", self.rejects)):
            lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            (out / "gold" / f"{name}.jsonl").write_text(lines, encoding="utf-8")
        (out / "README.md").write_text(self.readme(), encoding="utf-8")

    def readme(self) -> str:
        counts: dict[tuple[str, str], int] = {}
        for g in self.gold:
            counts[(g["site"], g["edition"])] = counts.get((g["site"], g["edition"]), 0) + 1
        reasons: dict[str, int] = {}
        for r in self.rejects:
            reasons[r["reason"]] = reasons.get(r["reason"], 0) + 1
        lines = [f"# Replica snapshot `{self.snap.name}`", "", self.snap.intro.strip(), "",
                 "Generated by `python scripts/build_replicas.py` (do not edit by hand: rerun it; the same",
                 "input gives the same bytes). Every text is written for newsbot; nothing is copied from",
                 "real pages. Layout and serving protocol: those of `../shared/sites/` (see its README).", "",
                 "| site | edition | gold items |", "|---|---|---|"]
        lines += [f"| {s} | {e} | {n} |" for (s, e), n in counts.items()]
        lines += ["", f"Total: {len(self.gold)} gold items; rejects: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) + "; "
                  + f"{len(self.entries)} manifest entries.", ""]
        cased = [g for g in self.gold if g["cases"]]
        special = [r for r in self.rejects if r["reason"] != "not_article"]
        if cased or special:
            lines += ["## Edge cases", "", "| case | URL | expected |", "|---|---|---|"]
            lines += [f"| {', '.join(g['cases'])} | `{g['url']}` | item |" for g in cased]
            lines += [f"| {r['reason']} | `{r['url']}` | no item: {r.get('note', '')} |" for r in special]
            lines.append("")
        lines += ["## Gold files", "",
                  "`gold/articles.jsonl` and `gold/rejects.jsonl` have the fields of `../shared/sites/reference`",
                  "(site, edition, url, title, outlet, outlet_slug, published, language, body, source_url, cases,",
                  "needs_js, duplicates, url_variants, full_text_at; rejects with reason, note and, for copies,",
                  "the copy's own fields and `similarity`), plus `article_id`, `body_source`, `extractor`,",
                  "`extraction_confidence`, `revision` and `warc_record_id` (null: no archive) as newsbot writes them (`extractor` and",
                  "`extraction_confidence` null where the body is an outlet page's: any outlet extractor), and",
                  "`teaser` (the aggregator's teaser) for teaser-only pages, with `source_reason` (the",
                  "`newsbot/source/<reason>` newsbot counts) where the source page does not give the article.", ""]
        return "\n".join(lines)


def href_abs(site: Site, href: str) -> str:
    return href if re.match(r"^https?://", href) else site.url(href)


def similarity(a: str, b: str) -> dict[str, float]:
    """Jaccard similarity of word sets and of 3- and 5-word shingles."""
    wa, wb = re.findall(r"\w+", a.lower()), re.findall(r"\w+", b.lower())

    def jaccard(x: set, y: set) -> float:
        return round(len(x & y) / len(x | y), 3) if x | y else 1.0

    def shingles(words: list[str], k: int) -> set:
        return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}

    return {"words": jaccard(set(wa), set(wb)), "shingles3": jaccard(shingles(wa, 3), shingles(wb, 3)),
            "shingles5": jaccard(shingles(wa, 5), shingles(wb, 5))}


def build(snap: Snapshot, out: Path) -> Builder:
    builder = Builder(snap)
    builder.build()
    builder.write(out)
    return builder
