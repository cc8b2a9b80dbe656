"""Text analysis shared by both backends: the cached whitespace-chunk stemmer equals word-by-word stemming."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import analysis


def reference(text: str, lang: str) -> list[str]:
    return [analysis.stem(tok, lang) for tok in analysis.tokens(text)]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("The withdrawal, withdrawing troops", "en", "the withdraw withdraw troop"),
    ("(U.S.-backed) talks", "en", "u s back talk"),
    ("Les élections présidentielles", "fr", "le élect présidentiel"),
    ("Die Wahlen in Österreich", "de", "die wahl in osterreich"),
    ("— , …", "en", ""),
    ("ПУТИН встретился", "ru", "путин встрет"),
    ("unknown language keeps words", "xx", "unknown language keeps words"),
    ("", "en", ""),
])
def test_stem_text_table(text: str, lang: str, expected: str) -> None:
    analysis.clear_caches()
    cold = analysis.stem_text(text, lang)
    warm = analysis.stem_text(text, lang)
    assert cold.split() == warm.split() == expected.split()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["en", "fr", "de", "ru", "tr", "xx"]))
def test_stem_text_equals_word_by_word(text: str, lang: str) -> None:
    assert analysis.stem_text(text, lang).split() == reference(text, lang)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_stem_text_cache_does_not_leak_between_texts(texts: list[str]) -> None:
    for text in texts:
        assert analysis.stem_text(text, "en").split() == reference(text, "en")
