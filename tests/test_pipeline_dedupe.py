"""The dedupe pipeline: fingerprints, MinHash signatures and the drop decisions, within a run,
across runs (a second crawler on the same state file) and with ``fresh=1``.

The pipeline is built from a real crawler (``scrapy.utils.test.get_crawler``) on a temporary
SQLite state; items are fed to it directly. End-to-end crawls are in test_pipeline_snapshot.py
and test_pipeline_reference.py. Texts are written for these tests.
"""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from newsbot.items import ArticleItem
from newsbot.pipelines.dedupe import DedupePipeline
from newsbot.pipelines.drops import PipelineDrop
from newsbot.text.signatures import Signer, content_fingerprint, jaccard, shingle_set, shingles
from newsbot.spiders.sites import MaghressSpider
from newsbot.state import crawl_state

ORIGINAL = "\n\n".join(
    [
        "Le conseil régional de Souss-Massa a approuvé jeudi un programme de dessalement destiné aux communes"
        " rurales de la plaine de Chtouka, touchées par une sécheresse qui dure depuis quatre saisons.",
        "La première station, financée avec le concours de partenaires publics, produira de quoi alimenter"
        " environ trente mille habitants et une partie des exploitations agricoles voisines.",
        "Les élus ont également demandé un calendrier précis des travaux ainsi qu un rapport trimestriel sur la"
        " consommation d énergie des installations, jugée élevée par plusieurs associations.",
        "Le président du conseil a assuré que les premiers raccordements interviendront avant la fin de l année"
        " prochaine et que les tarifs resteront alignés sur ceux du réseau existant.",
    ]
)
# Another outlet's copy: three words changed (exact 3-shingle Jaccard 101/120).
COPY = ORIGINAL.replace("jeudi", "mercredi").replace("trente mille", "vingt-cinq mille").replace("élevée", "excessive")
OTHER = "La gare routière de Taza ferme pour travaux pendant deux semaines; les cars partiront du stade municipal."


def item(number: int, title: str, body: str, slug: str = "le360") -> ArticleItem:
    return ArticleItem(
        article_id=f"maghress:fr:{slug}:{number}", url=f"https://www.maghress.com/fr/{slug}/{number}",
        site="maghress", edition="fr", title=title, body=body,
    )


def pipeline(state_file, **args: str) -> DedupePipeline:
    crawler = get_crawler(MaghressSpider, {"NEWSBOT_STATE": f"sqlite:///{state_file}"})
    dedupe = DedupePipeline.from_crawler(crawler)
    dedupe.spider_opened(MaghressSpider(**args))
    return dedupe


def drop(dedupe: DedupePipeline, it: ArticleItem) -> PipelineDrop:
    with pytest.raises(PipelineDrop) as caught:
        dedupe.process_item(it)
    return caught.value


# --- pure functions ---------------------------------------------------------------------------
def test_fingerprint_ignores_case_spacing_and_punctuation_not_words():
    a = content_fingerprint("Taza: la gare ferme", "Premier.\n\nSecond paragraphe.")
    assert a == content_fingerprint("TAZA  la gare ferme !", "Premier. Second paragraphe")
    assert a != content_fingerprint("Taza: la gare ouvre", "Premier.\n\nSecond paragraphe.")
    assert a != content_fingerprint("Taza: la gare ferme", "Premier.\n\nTroisième paragraphe.")


def test_shingles_are_three_folded_words():
    assert shingles("L'eau, à Fès.") == [b"l eau a", b"eau a fes"]
    assert shingles("Deux mots") == [b"deux mots"]
    assert shingles("") == []


def test_similarity_of_a_copy_with_three_words_changed():
    assert jaccard(shingle_set(ORIGINAL), shingle_set(COPY)) == pytest.approx(101 / 120)
    signer = Signer(0.8)
    assert signer.minhash(ORIGINAL).jaccard(signer.minhash(COPY)) == 106 / 128  # seed 1, affine32: fixed
    assert signer.minhash(ORIGINAL).jaccard(signer.minhash(OTHER)) < 0.1
    assert set(signer.band_keys(signer.minhash(ORIGINAL))) & set(signer.band_keys(signer.minhash(COPY)))


@pytest.mark.parametrize("threshold", [0, 1.5, -0.2])
def test_a_bad_threshold_is_refused_with_the_fix(threshold):
    with pytest.raises(ValueError, match="NEWSBOT_NEAR_DUPLICATE_THRESHOLD=.*e.g. -s NEWSBOT_NEAR_DUPLICATE_THRESHOLD=0.8"):
        Signer(threshold)


# --- one run ----------------------------------------------------------------------------------
def test_first_of_each_group_is_kept_and_drops_name_it(tmp_path):
    dedupe = pipeline(tmp_path / "state.db")
    kept = item(1, "Dessalement dans le Souss", ORIGINAL)
    assert dedupe.process_item(kept) is kept
    same_url = drop(dedupe, item(1, "Dessalement dans le Souss", ORIGINAL))
    assert (same_url.reason, same_url.duplicate_of) == ("duplicate_url", kept.url)
    exact = drop(dedupe, item(2, "Dessalement dans le Souss", ORIGINAL.replace("\n\n", " ")))
    assert (exact.reason, exact.duplicate_of, exact.similarity) == ("duplicate_of", kept.url, None)
    near = drop(dedupe, item(7, "Souss-Massa : de l'eau dessalée pour Chtouka", COPY, slug="barlamanefr"))
    assert (near.reason, near.duplicate_of, near.similarity) == ("near_duplicate", kept.url, 0.842)
    other = item(3, "La gare de Taza ferme", OTHER)
    assert dedupe.process_item(other) is other
    assert dedupe.stats.get_value("newsbot/dedupe/kept") == 2


# --- across runs --------------------------------------------------------------------------------------
def test_across_runs_the_stored_signature_gives_the_minhash_estimate(tmp_path):
    first = pipeline(tmp_path / "state.db")
    first.process_item(item(1, "Dessalement dans le Souss", ORIGINAL))
    second = pipeline(tmp_path / "state.db")
    near = drop(second, item(7, "Souss-Massa : de l'eau dessalée pour Chtouka", COPY, slug="barlamanefr"))
    assert (near.reason, near.duplicate_of, near.similarity) == ("near_duplicate", item(1, "", "").url, 0.828)
    exact = drop(second, item(2, "Dessalement dans le Souss", ORIGINAL))
    assert (exact.reason, exact.duplicate_of) == ("duplicate_of", item(1, "", "").url)


def test_a_page_kept_by_a_killed_run_is_kept_again(tmp_path):
    first = pipeline(tmp_path / "state.db")
    first.process_item(item(1, "Dessalement dans le Souss", ORIGINAL))
    # killed before its feed was stored: the article was never recorded as yielded
    again = item(1, "Dessalement dans le Souss", ORIGINAL)
    assert pipeline(tmp_path / "state.db").process_item(again) is again


def test_a_page_recorded_as_yielded_is_a_duplicate_url(tmp_path):
    first = pipeline(tmp_path / "state.db")
    first.process_item(item(1, "Dessalement dans le Souss", ORIGINAL))
    crawl_state(first.crawler).store.record_articles([("maghress:fr:le360:1", "item")])
    dropped = drop(pipeline(tmp_path / "state.db"), item(1, "Dessalement dans le Souss", ORIGINAL))
    assert (dropped.reason, dropped.duplicate_of) == ("duplicate_url", "https://www.maghress.com/fr/le360/1")


def test_fresh_run_ignores_earlier_runs_and_still_updates_the_index(tmp_path):
    first = pipeline(tmp_path / "state.db")
    first.process_item(item(1, "Dessalement dans le Souss", ORIGINAL))
    crawl_state(first.crawler).store.record_articles([("maghress:fr:le360:1", "item")])
    fresh = pipeline(tmp_path / "state.db", fresh="1")
    assert fresh.process_item(item(1, "Dessalement dans le Souss", ORIGINAL)).url.endswith("/1")
    copy = item(7, "Souss-Massa : de l'eau dessalée pour Chtouka", COPY, slug="barlamanefr")
    assert drop(fresh, copy).similarity == 0.842  # within the fresh run: exact
    docs = crawl_state(fresh.crawler).store.find_fingerprint(content_fingerprint("Dessalement dans le Souss", ORIGINAL))
    assert [d.run for d in docs] == [fresh.state.run_id]
