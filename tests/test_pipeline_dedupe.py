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
from newsbot.text import fold_for_match, split_paragraphs
from newsbot.text.signatures import (
    SHINGLE_CAP,
    Signer,
    content_fingerprint,
    content_fingerprint_folded,
    folded_shingles,
    shingle_hashes,
    jaccard,
    shingle_set,
    shingles,
)
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


def test_folded_forms_give_the_same_keys():
    folded = " ".join(fold_for_match(p) for p in split_paragraphs(ORIGINAL))  # paragraphs folded one by one
    assert folded == fold_for_match(ORIGINAL)
    assert content_fingerprint_folded("dessalement", folded) == content_fingerprint("Dessalement !", ORIGINAL)
    assert folded_shingles(folded) == shingles(ORIGINAL)
    signer = Signer(0.8)
    assert list(signer.signature(shingle_hashes(folded_shingles(folded)))) == list(signer.minhash(ORIGINAL).hashvalues)


def test_signatures_are_datasketch_minhashes_of_the_shingles():
    """Signer.signature computes update_batch's values itself (faster): they must be exactly
    those of a datasketch MinHash fed the shingle bytes with its own sha1_hash32, as stored
    signatures of earlier runs were."""
    from datasketch import MinHash

    words = fold_for_match(" ".join([ORIGINAL, COPY, OTHER] * 3)).split()
    bodies = [ORIGINAL, COPY, OTHER, "Deux mots", " ".join(words), " ".join(f"mot{n % 997}" for n in range(5000))]
    signer = Signer(0.8)
    for body in bodies:
        reference = MinHash(num_perm=128, seed=1, scheme="affine32")
        reference.update_batch(shingles(body))
        signature = signer.signature(shingle_hashes(shingles(body)))
        assert signature.dtype == reference.hashvalues.dtype
        assert signature.tolist() == reference.hashvalues.tolist()
    assert signer.signature(shingle_hashes([])) is None


def test_the_shingle_cap_keeps_normal_bodies_whole():
    words = fold_for_match(" ".join([ORIGINAL] * 30)).split()  # 3,000 words: a very long article
    assert len(words) < SHINGLE_CAP
    assert folded_shingles(" ".join(words)) == [" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)]


def test_a_huge_body_is_signed_over_its_first_shingles():
    words = [f"mot{n}" for n in range(SHINGLE_CAP + 500)]
    capped = folded_shingles(" ".join(words))
    assert len(capped) == SHINGLE_CAP and capped[-1] == " ".join(words[SHINGLE_CAP - 1 : SHINGLE_CAP + 2]).encode()
    signer = Signer(0.8)
    head = " ".join(words[: SHINGLE_CAP + 2])
    assert list(signer.signature(shingle_hashes(capped))) == list(signer.signature(shingle_hashes(folded_shingles(head))))


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


SIGN_OFF = "Retrouvez toute l actualité de la région sur notre site, notre application et nos réseaux sociaux."


@pytest.mark.parametrize("original_first", [True, False])
def test_a_sign_off_learned_between_two_copies_does_not_change_the_decision(tmp_path, original_first):
    """The original is met before its outlet's sign-off line is learned (the line stays in its
    body and stored shingle set), the copy after (its outlet's lines removed): the comparison
    leaves the learned line out on both sides, so one of the two is dropped in either order.
    Without it the similarity is 101/136 (0.743) and both were kept in one order only."""
    dedupe = pipeline(tmp_path / "state.db")
    learned = {b"sign-off": SIGN_OFF}
    original = item(1, "Dessalement dans le Souss", ORIGINAL + "\n\n" + SIGN_OFF)  # before the line was learned
    copy = item(7, "Souss-Massa : de l'eau dessalée pour Chtouka", COPY, slug="barlamanefr")
    copy.learned_boilerplate = learned
    assert jaccard(shingle_set(original.body), shingle_set(COPY)) == pytest.approx(101 / 136)
    if original_first:
        assert dedupe.process_item(original) is original
        dropped = drop(dedupe, copy)
    else:
        original.body = ORIGINAL  # met after: cleaned of the learned line
        original.learned_boilerplate = learned
        assert dedupe.process_item(copy) is copy
        dropped = drop(dedupe, original)
    assert dropped.reason == "near_duplicate"
    # Left out: the line's own shingles; the two that join it to the text before stay.
    assert dropped.similarity == (round(101 / 122, 3) if original_first else round(101 / 120, 3))


# --- folded bodies and huge pages ------------------------------------------------------------------
def test_the_folded_body_is_used_when_present(tmp_path):
    dedupe = pipeline(tmp_path / "state.db")
    kept = item(1, "Dessalement dans le Souss", ORIGINAL)
    kept.body_folded = fold_for_match(ORIGINAL)
    assert dedupe.process_item(kept) is kept
    # body_folded decides (here deliberately out of step with body, to show it is the one read)
    other = item(2, "Dessalement dans le Souss", OTHER)
    other.body_folded = fold_for_match(ORIGINAL)
    assert (drop(dedupe, other).reason, other.body) == ("duplicate_of", OTHER)
    near = item(7, "Souss-Massa : de l'eau dessalée pour Chtouka", COPY, slug="barlamanefr")
    near.body_folded = fold_for_match(COPY)
    assert drop(dedupe, near).similarity == 0.842  # as without body_folded
    plain = item(3, "Dessalement dans le Souss", ORIGINAL.replace("\n\n", " "))  # no body_folded: body is folded
    assert plain.body_folded is None and drop(dedupe, plain).reason == "duplicate_of"


def test_a_page_of_70000_lines_is_deduplicated(tmp_path):
    """5.8 MB in 70,000 lines (its cost, under 2 s, is measured by bench/dedupe.py --huge)."""
    lines = [f"Station {n} : relevé de {n % 97} millimètres de pluie à {n % 24} heures, vent {n % 13} nœuds" for n in range(70_000)]
    dedupe = pipeline(tmp_path / "state.db")
    kept = item(1, "Relevés des stations", "\n\n".join(lines))
    assert len(kept.body.encode()) > 5_000_000
    assert dedupe.process_item(kept) is kept
    exact = drop(dedupe, item(2, "Relevés des stations", "\n\n".join(lines)))
    assert (exact.reason, exact.duplicate_of) == ("duplicate_of", kept.url)
    # another ending: the fingerprint differs, the signed beginning is the same story
    tail = drop(dedupe, item(3, "Relevés des stations", "\n\n".join([*lines[:-5], "Fin du relevé."])))
    assert (tail.reason, tail.duplicate_of, tail.similarity) == ("near_duplicate", kept.url, 1.0)
    other = item(4, "Autres relevés", "\n\n".join(line.replace("Station", "Poste") for line in lines))
    assert dedupe.process_item(other) is other
