"""Near-duplicate detection: SimHash of word shingles and the persisted fingerprint store (real SQLite)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from crawler.article import content_hash
from crawler.fingerprint import FingerprintStore, body_fingerprints, distance, simhash, word_hashes

WIRE = ("KABUL (Reuters) - The Taliban said on Tuesday they had taken control of a key border crossing "
        "with Pakistan, as foreign forces continued their withdrawal after twenty years of war. "
        "Officials in the capital said talks with regional powers would resume next week in Doha, "
        "and aid agencies warned that thousands of families had fled the fighting in recent days.")
OTHER = ("The central bank raised interest rates by half a point on Thursday, its third increase this year, "
         "citing persistent inflation in food and energy prices. Markets had expected a smaller move, "
         "and the currency rose sharply against the dollar after the announcement in the afternoon.")


def test_syndicated_copy_is_near_and_other_story_is_far() -> None:
    a = simhash(WIRE)
    b = simhash(WIRE.replace("KABUL (Reuters) - ", "") + " Reporting by staff.")
    c = simhash(OTHER)
    assert a is not None and b is not None and c is not None
    assert distance(a, b) <= 12
    assert distance(a, c) > 20


def test_simhash_ignores_case_and_spacing_and_needs_words() -> None:
    assert simhash(WIRE) == simhash("  " + WIRE.upper().replace(" ", "\n "))
    assert simhash("") is None and simhash(None) is None and simhash("two words") is None


@given(st.text(max_size=300))
def test_simhash_never_raises_and_fits_64_bits(text: str) -> None:
    h = simhash(text)
    assert h is None or 0 <= h < 2**64


def test_simhash_values_are_stable() -> None:
    # fingerprints are stored and compared across runs and versions: the same text must keep its value
    assert f"{simhash(WIRE):016x}" == "910bd4ae076388fe"


@given(st.lists(st.sampled_from(["Said,", "said", "(AP)", "U.S.", "İstanbul", "naïve", "—", "x_y", "日本語",
                                 "\u00a0", " ", "\n", "2024-05-01", "ß"]), max_size=40).map("".join) | st.text())
def test_word_hashes_are_the_hashes_of_the_regex_words(text: str) -> None:
    expected = [int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "big")
                for w in re.findall(r"\w+", text.casefold())]
    assert word_hashes(text) == expected
    assert word_hashes(text) == expected  # the second time from the per-process chunk table


def test_body_fingerprints() -> None:
    words, chash, shash = body_fingerprints(WIRE)
    assert words == len(WIRE.split()) - 1  # the lone dash after "KABUL (Reuters)" is no word
    assert chash == content_hash(WIRE)
    assert shash == f"{simhash(WIRE):016x}"
    assert body_fingerprints("") == (0, None, None)


def test_store_finds_earliest_near_duplicate_before_and_after_writing(tmp_path: Path) -> None:
    path = tmp_path / "fp.sqlite3"
    store = FingerprintStore(path, batch=3, max_delay=3600)
    h = simhash(WIRE)
    assert h is not None
    assert store.find("first", h) is None
    store.add("first", "s1", h)
    store.add("unrelated", "s1", simhash(OTHER) or 0)
    # still pending (batch of 3 not reached): matched from memory, never against itself
    assert store.find("second", h ^ 0b101) == "first"
    assert store.find("first", h) is None
    store.add("second", "s2", h ^ 0b101)  # third add: the batch is written
    assert store.find("third", h ^ 0b1) == "first"
    assert store.find("far", h ^ 0xFFFF_0000_FFFF) is None
    store.add("late", "s2", h ^ 0b11)  # pending at close: written by close
    store.close()

    reopened = FingerprintStore(path)
    assert reopened.find("fourth", h) == "first"
    rows = reopened.db.execute("SELECT id FROM fp ORDER BY rowid").fetchall()
    assert [r[0] for r in rows] == ["first", "unrelated", "second", "late"]
    reopened.close()


def test_store_writes_at_least_once_a_second(tmp_path: Path) -> None:
    path = tmp_path / "fp.sqlite3"
    store = FingerprintStore(path, batch=1000, max_delay=0.0)
    store.add("a", "s1", simhash(WIRE) or 0)
    other = FingerprintStore(path)  # another crawl process sees it without waiting for a close
    assert other.find("b", simhash(WIRE) or 0) == "a"
    other.close()
    store.close()
