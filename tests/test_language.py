from __future__ import annotations

import os
from pathlib import Path

import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from crawler.normalize import language
from crawler.normalize.language import declared_language, detect_language

TEXTS = {
    "en": "The government announced on Tuesday that it would raise taxes on imported goods next year.",
    "de": "Die Bundesregierung hat am Dienstag angekündigt, die Steuern auf importierte Waren zu erhöhen.",
    "fr": "Le gouvernement a annoncé mardi qu'il augmenterait les taxes sur les produits importés l'an prochain.",
    "es": "El gobierno anunció el martes que subirá los impuestos a los productos importados el próximo año.",
    "it": "Il governo ha annunciato martedì che aumenterà le tasse sui prodotti importati il prossimo anno.",
    "nl": "De regering maakte dinsdag bekend dat zij volgend jaar de belasting op geïmporteerde goederen verhoogt.",
    "ja": "政府は火曜日、来年から輸入品にかかる税金を引き上げると発表した。国内の物価への影響が懸念されている。",
    "ru": "Правительство объявило во вторник, что в следующем году повысит налоги на импортные товары.",
}


@pytest.mark.parametrize(("expected", "text"), TEXTS.items())
def test_detects_the_language_of_the_text(expected: str, text: str) -> None:
    assert detect_language(text, declared="en" if expected != "en" else "de") == expected


@pytest.mark.parametrize(("declared", "expected"), [
    ("en-GB", "en"), ("de_DE", "de"), ("FR", "fr"), ("pt-BR", "pt"), ("", None), (None, None), (42, None),
    ("english", None), ("x-default", None),
])
def test_declared_language(declared: object, expected: str | None) -> None:
    assert declared_language(declared) == expected


def test_short_or_empty_text_falls_back_to_the_declared_language() -> None:
    assert detect_language("Breaking", declared="de-AT") == "de"
    assert detect_language(None, declared="fr") == "fr"
    assert detect_language("   ", declared=None) is None


def test_unpacked_model_cache_classifies_as_the_library_does(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    model = Path(MODEL_DIR) / MODEL_FILE
    first = language._from_unpacked_model(model, LanguageIdentifier)  # unpacks into the cache
    cached = list((tmp_path / "newsindex").iterdir())
    assert [p.suffix for p in cached] == [".npz"]  # no partial file left behind
    again = language._from_unpacked_model(model, LanguageIdentifier)  # reads the unpacked copy
    assert list((tmp_path / "newsindex").iterdir()) == cached
    for text in [*TEXTS.values(), "ok", "1234 5678", "Tschüß — ça va? 你好"]:
        assert first.classify(text) == reference.classify(text) == again.classify(text)


def test_unusable_cache_falls_back_to_the_library_loader(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache directory cannot be created
    language._identifier.cache_clear()
    try:
        assert detect_language(TEXTS["de"]) == "de"
    finally:
        language._identifier.cache_clear()


def test_damaged_cache_is_replaced_and_stale_partial_files_removed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    model = Path(MODEL_DIR) / MODEL_FILE
    language._from_unpacked_model(model, LanguageIdentifier)
    (unpacked,) = (tmp_path / "newsindex").iterdir()
    unpacked.write_bytes(b"not an npz")  # e.g. a disk that was full
    stale = tmp_path / "newsindex" / "tmpdead.part"
    stale.write_bytes(b"partial")
    os.utime(stale, (1_000_000_000, 1_000_000_000))
    with pytest.raises(Exception):  # noqa: B017, PT011 - numpy's own error for a bad archive
        language._from_unpacked_model(model, LanguageIdentifier)
    assert not unpacked.exists()  # removed, so the next process unpacks a good copy
    identifier = language._from_unpacked_model(model, LanguageIdentifier)
    assert identifier.classify(TEXTS["fr"])[0] == "fr"
    assert sorted(p.name for p in (tmp_path / "newsindex").iterdir()) == [unpacked.name]
