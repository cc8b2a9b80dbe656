"""The backend contract: one search API and one write API over Elasticsearch and SQLite."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from crawler.exceptions import QueryError
from crawler.normalize.dates import parse_date
from indexer import analysis

SORTS = ("relevance", "date")
MAX_LIMIT = 1000
# Fields both backends return for a search hit (the `--json` contract).
RESULT_FIELDS = ("id", "url", "title", "authors", "organizations", "published_at", "source", "section",
                 "language", "score", "snippet")


@dataclass
class SearchRequest:
    text: str = ""
    source: str | None = None
    author: str | None = None
    section: str | None = None
    lang: str | None = None
    since: str | None = None
    until: str | None = None
    sort: str | None = None
    limit: int = 10
    offset: int = 0
    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    since_dt: dt.datetime | None = None
    until_dt: dt.datetime | None = None

    def prepared(self) -> SearchRequest:
        """Validate and parse; raises QueryError with a one-line message on bad input."""
        if self.sort not in (None, *SORTS):
            raise QueryError(f"--sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if not isinstance(self.limit, int) or not 0 < self.limit <= MAX_LIMIT:
            raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}")
        if not isinstance(self.offset, int) or not 0 <= self.offset <= 100_000:
            raise QueryError("--offset must be between 0 and 100000")
        self.terms, self.phrases = analysis.parse_query(self.text)
        if self.sort is None:
            self.sort = "relevance" if (self.terms or self.phrases) else "date"
        for name in ("since", "until"):
            raw = getattr(self, name)
            if raw:
                res = parse_date(raw, max_future=dt.timedelta(days=36500))
                if res.value is None:
                    raise QueryError(f"--{name}: not a date: {raw!r} ({res.error})")
                value = res.value
                if name == "until" and res.date_only:
                    value = value + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
                setattr(self, f"{name}_dt", value)
        if self.lang:
            self.lang = self.lang.lower()
        return self

    @property
    def has_text(self) -> bool:
        return bool(self.terms or self.phrases)


@dataclass
class IndexReport:
    indexed: int = 0
    skipped_older: int = 0
    rejected: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    spooled: int = 0


class Backend(Protocol):
    name: str

    def init(self) -> object: ...
    def ping(self) -> bool: ...
    def upsert(self, docs: list[dict[str, Any]]) -> IndexReport: ...
    def search(self, req: SearchRequest) -> dict[str, Any]: ...
    def get(self, doc_id: str) -> dict[str, Any] | None: ...
    def count(self, source: str | None = None) -> int: ...
    def ids(self, source: str | None = None) -> list[str]: ...
    def delete_by_source(self, source: str) -> int: ...
    def refresh(self) -> None: ...
    def write_run(self, record: dict[str, Any]) -> None: ...
    def list_runs(self, source: str | None = None, last: int = 20) -> list[dict[str, Any]]: ...
    def close(self) -> None: ...


def newer(doc: dict[str, Any], existing: dict[str, Any] | None) -> bool:
    """True when ``doc`` should replace ``existing``: a newer copy never loses to an older one."""
    if not existing:
        return True
    return version_of(doc) >= version_of(existing)


def version_of(doc: dict[str, Any]) -> int:
    """Monotonic document version: updated_at (else published_at), then fetched_at, in microseconds."""
    def micros(value: Any) -> int:
        if not value:
            return 0
        try:
            return int(dt.datetime.fromisoformat(str(value)).timestamp() * 1_000_000)
        except ValueError:
            return 0

    content = max(0, micros(doc.get("updated_at")) or micros(doc.get("published_at"))) // 1_000_000
    fetched = max(0, micros(doc.get("fetched_at"))) // 1_000_000
    # content time (seconds) dominates, the fetch time (seconds, < 2**31 until 2038) breaks ties;
    # the result stays below Elasticsearch's external-version limit (2**63) until the year 2100.
    return min(content, 2**32) * 2**31 + min(fetched, 2**31 - 1)


def result_row(doc: dict[str, Any], score: float | None, req: SearchRequest) -> dict[str, Any]:
    src = doc.get("source") or {}
    return {
        "id": doc.get("id"),
        "url": doc.get("url"),
        "title": doc.get("title"),
        "authors": doc.get("authors") or [],
        "organizations": doc.get("organizations") or [],
        "published_at": doc.get("published_at"),
        "source": src.get("id") if isinstance(src, dict) else src,
        "section": doc.get("section"),
        "language": doc.get("language"),
        "score": round(float(score), 4) if score is not None else None,
        "snippet": analysis.highlight(doc.get("body"), req.terms, req.phrases, doc.get("language")),
    }


def analyzed_fields(doc: dict[str, Any]) -> dict[str, str]:
    """The stemmed search fields both backends index next to the article.

    A document that already carries them (an article made by a crawl: they are computed in the
    extraction worker, see :func:`stem_fields`) keeps its own; any other gets them computed here.
    """
    if carries_stems(doc):
        return {"title_stem": doc["title_stem"], "text_stem": doc["text_stem"]}
    return stem_fields(doc.get("title"), doc.get("lead"), doc.get("body"), doc.get("language"))


def carries_stems(doc: dict[str, Any]) -> bool:
    """True when ``doc`` already has both stemmed search fields."""
    return isinstance(doc.get("title_stem"), str) and isinstance(doc.get("text_stem"), str)


def stem_fields(title: str | None, lead: str | None, body: str | None, lang: str | None) -> dict[str, str]:
    return {
        "title_stem": analysis.stem_text(title, lang),
        "text_stem": analysis.stem_text(" ".join(filter(None, [lead, body])), lang),
    }
