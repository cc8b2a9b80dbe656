"""The one typed Article model shared by extraction, pipelines and indexers.

Spiders yield :class:`Page` items (a fetched response, not yet understood); the extraction
pipeline turns each into an :class:`Article`. Indexers consume ``Article.to_document()``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any

# Where an extracted field came from, in the order extraction consults them.
SELECTOR = "selector"  # the source's own CSS/XPath selectors (config/sources/<id>.yaml)
STRUCTURED = "structured"  # JSON-LD / microdata
META = "meta"  # <meta> tags: OpenGraph, parsely, sailthru, dc, ...
GENERIC = "generic"  # generic extraction (trafilatura, htmldate, visible-text heuristics)
URL = "url"  # derived from the URL (e.g. a date in the path)


@dataclass
class Page:
    """A fetched article response, handed from the spider to the extraction pipeline."""

    url: str
    html: str
    source_id: str
    source_name: str
    fetched_at: str
    run_id: str = ""
    status: int = 200
    section_hint: str | None = None
    listed_date: str | None = None  # date given by a feed or sitemap entry, if any


@dataclass
class Article:
    url: str
    canonical_url: str = ""
    id: str = ""
    source_id: str = ""
    source_name: str = ""
    section: str | None = None
    title: str | None = None
    lead: str | None = None
    body: str | None = None
    authors: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    byline_raw: str | None = None
    published_at: str | None = None
    updated_at: str | None = None
    published_at_raw: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    word_count: int = 0
    content_hash: str | None = None
    simhash: str | None = None
    duplicate_of: str | None = None
    fetched_at: str | None = None
    run_id: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # the stemmed search fields both stores index (indexer.base.analyzed_fields), computed where the
    # article is made (in the extraction worker during a crawl); left out of the document while None
    title_stem: str | None = None
    text_stem: str | None = None

    def to_document(self) -> dict[str, Any]:
        """The stored form (identical for both backends); JSON-serialisable."""
        # fields are flat (strings, numbers, lists of strings, a dict of strings): a shallow copy of each
        # container gives the same result as dataclasses.asdict at a fraction of its recursive cost
        doc: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if value is None and name in STEM_FIELDS:
                continue
            doc[name] = value.copy() if isinstance(value, (list, dict)) else value
        doc["source"] = {"id": self.source_id, "name": self.source_name}
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Article:
        names = {f.name for f in fields(cls)}
        data = {k: v for k, v in doc.items() if k in names}
        src = doc.get("source")
        if isinstance(src, dict):
            data.setdefault("source_id", src.get("id") or "")
            data.setdefault("source_name", src.get("name") or "")
        return cls(**data)


_FIELD_NAMES = tuple(f.name for f in fields(Article))
STEM_FIELDS = ("title_stem", "text_stem")


def article_id(canonical_url: str) -> str:
    """Stable id of an article: a hash of its canonical URL (also the index document _id)."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()


def content_hash(body: str) -> str:
    return hashlib.sha1(" ".join(body.split()).casefold().encode("utf-8")).hexdigest()
