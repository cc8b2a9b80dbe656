"""The Article model's stored form."""

from __future__ import annotations

from dataclasses import asdict

from crawler.article import Article


def test_to_document_equals_asdict_plus_source_and_shares_no_containers() -> None:
    art = Article(url="https://example.org/a", id="x", source_id="s", source_name="S", authors=["A B"],
                  organizations=["AP"], tags=["t"], provenance={"title": "generic"}, warnings=["w"], word_count=3)
    doc = art.to_document()
    expected = asdict(art)
    del expected["title_stem"], expected["text_stem"]  # search fields are left out while not computed
    expected["source"] = {"id": "s", "name": "S"}
    assert doc == expected and list(doc) == list(expected)
    doc["authors"].append("C D")
    doc["provenance"]["body"] = "generic"
    assert art.authors == ["A B"] and art.provenance == {"title": "generic"}
    assert Article.from_document(art.to_document()) == art


def test_search_fields_travel_with_the_document_once_computed() -> None:
    art = Article(url="https://example.org/a", id="x", title="Troops withdrawing", language="en",
                  title_stem="troop withdraw", text_stem="")
    doc = art.to_document()
    assert doc["title_stem"] == "troop withdraw" and doc["text_stem"] == ""
    assert Article.from_document(doc) == art


def test_normalization_keeps_extraction_fields_and_redoes_them_for_changed_text() -> None:
    import asyncio

    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from crawler.extraction.worker import set_stems
    from crawler.fingerprint import body_fingerprints
    from crawler.pipelines import NormalizationPipeline
    from indexer.base import stem_fields

    pipe = NormalizationPipeline.from_crawler(get_crawler(Spider))
    body = "Foreign troops are withdrawing from the region after twenty years.\n\nTalks resume next week."
    art = Article(url="https://example.org/a", title="Troops begin withdrawal", body=body, language="en")
    art.word_count, art.content_hash, art.simhash = body_fingerprints(body)
    set_stems(art)  # as the extraction worker does
    before = (art.text_stem, art.simhash)
    asyncio.run(pipe.process_item(art))
    assert (art.text_stem, art.simhash) == before  # clean text: nothing recomputed, nothing changed

    # text that cleaning changes gets fingerprints and stems of the cleaned text, never stale ones
    art.body = body.replace("twenty years", "twenty\u200b  years") + "\n\n\n\nMore &amp; more."
    art.title = "  Troops   complete withdrawal "
    asyncio.run(pipe.process_item(art))
    assert art.title == "Troops complete withdrawal" and art.body.endswith("More & more.")
    assert (art.word_count, art.content_hash, art.simhash) == body_fingerprints(art.body)
    assert {"title_stem": art.title_stem, "text_stem": art.text_stem} == stem_fields(
        art.title, art.lead, art.body, "en")
    assert "complet withdraw" in (art.title_stem or "")
