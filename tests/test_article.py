"""The Article model's stored form."""

from __future__ import annotations

from dataclasses import asdict

from crawler.article import Article


def test_to_document_equals_asdict_plus_source_and_shares_no_containers() -> None:
    art = Article(url="https://example.org/a", id="x", source_id="s", source_name="S", authors=["A B"],
                  organizations=["AP"], tags=["t"], provenance={"title": "generic"}, warnings=["w"], word_count=3)
    doc = art.to_document()
    expected = asdict(art)
    expected["source"] = {"id": "s", "name": "S"}
    assert doc == expected and list(doc) == list(expected)
    doc["authors"].append("C D")
    doc["provenance"]["body"] = "generic"
    assert art.authors == ["A B"] and art.provenance == {"title": "generic"}
    assert Article.from_document(art.to_document()) == art
