"""The embedded backend: SQLite with FTS5, one file under the data directory.

WAL mode lets a crawl write while searches read. Upserts are idempotent by article id and a newer
copy never loses to an older one. Ranking is bm25 with the title weighted above the body.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from crawler.article import STEM_FIELDS
from crawler.exceptions import BackendUnavailable, QueryError
from crawler.sqlitedb import connect
from indexer import analysis
from indexer.base import IndexReport, SearchRequest, analyzed_fields, result_row, version_of

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT,
    section TEXT,
    section_key TEXT,
    language TEXT,
    published_at TEXT,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_section ON articles(section_key, published_at);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published_at);
CREATE TABLE IF NOT EXISTS article_authors (
    id TEXT NOT NULL, author TEXT NOT NULL, PRIMARY KEY (id, author)
);
CREATE INDEX IF NOT EXISTS article_authors_author ON article_authors(author);
-- full-text rows use the article's pk as their rowid, so replacing one is an indexed lookup
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title_stem, text_stem, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS crawl_runs (
    run_id TEXT PRIMARY KEY, source TEXT, started_at TEXT, record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS crawl_runs_source ON crawl_runs(source, started_at);
"""
TITLE_WEIGHT, TEXT_WEIGHT = 4.0, 1.0
SCHEMA_VERSION = 2


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend:
    name = "sqlite"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = connect(self.path)
            self.db.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages per connection
            self.db.execute("PRAGMA mmap_size=268435456")  # reads straight from the OS page cache
        except (sqlite3.Error, OSError) as exc:
            raise BackendUnavailable(f"cannot open the embedded store {self.path}: {exc}") from None
        self.init()

    # -------------------------------------------------------------- lifecycle
    def init(self) -> None:
        with self._lock:
            # one read, one snapshot: the schema and its version are seen together
            exists, version = self.db.execute(
                "SELECT (SELECT 1 FROM sqlite_master WHERE name = 'articles'), "
                "(SELECT user_version FROM pragma_user_version)").fetchone()
            if exists and version != SCHEMA_VERSION:
                raise BackendUnavailable(f"{self.path} was written by an older newsindex (schema {version}, "
                                         f"need {SCHEMA_VERSION}): move it away and recrawl or replay")
            # one transaction: a process opening the store meanwhile sees no schema, or all of it with its version
            try:
                self.db.executescript(f"BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
            except sqlite3.Error as exc:
                if self.db.in_transaction:
                    self.db.rollback()
                raise BackendUnavailable(f"cannot create the embedded store's tables in {self.path}: {exc}") from None

    def ping(self) -> bool:
        try:
            self.db.execute("SELECT 1").fetchone()
            return True
        except sqlite3.Error:
            return False

    def close(self) -> None:
        self.db.close()

    def refresh(self) -> None:  # writes are visible on commit
        return None

    # -------------------------------------------------------------- writes
    def upsert(self, docs: list[dict[str, Any]]) -> IndexReport:
        report = IndexReport()
        with self._lock, self.db:
            for doc in docs:
                try:
                    self._upsert_one(doc, report)
                except (sqlite3.Error, TypeError, ValueError) as exc:
                    report.rejected.append((doc, f"{type(exc).__name__}: {exc}"))
        return report

    def _upsert_one(self, doc: dict[str, Any], report: IndexReport) -> None:
        doc_id = doc.get("id")
        if not doc_id or not isinstance(doc_id, str):
            raise ValueError("document without id")
        version = version_of(doc)
        row = self.db.execute("SELECT version, pk FROM articles WHERE id = ?", (doc_id,)).fetchone()
        if row and row[0] > version:
            report.skipped_older += 1
            return
        src = doc.get("source") or {}
        source_id = src.get("id") if isinstance(src, dict) else str(src)
        stems = analyzed_fields(doc)
        payload = json.dumps({k: v for k, v in doc.items() if k not in STEM_FIELDS}, ensure_ascii=False)
        rowid = self.db.execute(
            "INSERT INTO articles(id, source, section, section_key, language, published_at, version, doc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET source=excluded.source, "
            "section=excluded.section, section_key=excluded.section_key, language=excluded.language, "
            "published_at=excluded.published_at, version=excluded.version, doc=excluded.doc RETURNING pk",
            (doc_id, source_id, doc.get("section"), (doc.get("section") or "").casefold() or None,
             doc.get("language"), doc.get("published_at"), version, payload),
        ).fetchone()[0]
        self.db.execute("DELETE FROM article_authors WHERE id = ?", (doc_id,))
        credited = (doc.get("authors") or []) + (doc.get("organizations") or [])
        for author in dict.fromkeys(a.casefold() for a in credited):
            self.db.execute("INSERT OR IGNORE INTO article_authors(id, author) VALUES (?, ?)", (doc_id, author))
        if row:
            self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (row[1],))
        self.db.execute("INSERT INTO articles_fts(rowid, title_stem, text_stem) VALUES (?, ?, ?)",
                        (rowid, stems["title_stem"], stems["text_stem"]))
        report.indexed += 1

    def delete_by_source(self, source: str) -> int:
        with self._lock, self.db:
            rows = self.db.execute("SELECT id, pk FROM articles WHERE source = ?", (source,)).fetchall()
            ids = [r[0] for r in rows]
            for doc_id, rowid in rows:
                self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (rowid,))
                self.db.execute("DELETE FROM article_authors WHERE id = ?", (doc_id,))
            self.db.execute("DELETE FROM articles WHERE source = ?", (source,))
        return len(ids)

    # -------------------------------------------------------------- reads
    def get(self, doc_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT doc FROM articles WHERE id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def count(self, source: str | None = None) -> int:
        if source:
            return int(self.db.execute("SELECT count(*) FROM articles WHERE source = ?", (source,)).fetchone()[0])
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def ids(self, source: str | None = None) -> list[str]:
        if source:
            return [r[0] for r in self.db.execute("SELECT id FROM articles WHERE source = ? ORDER BY id", (source,))]
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def _match_expression(self, req: SearchRequest) -> str:
        parts = []
        for term in req.terms:
            variants = analysis.term_variants(term, req.lang)
            parts.append("(" + " OR ".join(_fts_quote(v) for v in variants) + ")")
        for words in req.phrases:
            phrases = analysis.phrase_variants(words, req.lang)
            parts.append("(" + " OR ".join(_fts_quote(" ".join(v)) for v in phrases) + ")")
        return " AND ".join(parts)

    def search(self, req: SearchRequest) -> dict[str, Any]:
        req = req.prepared()
        where, params = ["1=1"], []  # type: ignore[var-annotated]
        if req.source:
            where.append("a.source = ?")
            params.append(req.source)
        if req.section:
            where.append("a.section_key = ?")
            params.append(req.section.casefold())
        if req.lang:
            where.append("a.language = ?")
            params.append(req.lang)
        if req.author:
            where.append("a.id IN (SELECT id FROM article_authors WHERE author = ?)")
            params.append(req.author.casefold())
        if req.since_dt:
            where.append("a.published_at >= ?")
            params.append(req.since_dt.isoformat())
        if req.until_dt:
            where.append("a.published_at <= ?")
            params.append(req.until_dt.isoformat())
        by_date = "a.published_at IS NULL, a.published_at DESC, a.id"
        filtered = len(where) > 1
        bm25 = f"-bm25(articles_fts, {TITLE_WEIGHT}, {TEXT_WEIGHT})"
        if req.has_text and not filtered and req.sort == "relevance":
            # text alone, ranked: FTS5 ranks and pages by itself; the total is a cheap match count
            match = self._match_expression(req)
            try:
                total = self.db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                                        [match]).fetchone()[0]
                page = self.db.execute(f"SELECT rowid, {bm25} AS score, 0 FROM articles_fts WHERE articles_fts "
                                       f"MATCH ? ORDER BY score DESC, rowid LIMIT ? OFFSET ?",
                                       [match, req.limit, req.offset]).fetchall()
            except sqlite3.OperationalError as exc:
                raise QueryError(f"search failed: {exc}") from None
            return self._results(page, total, req)
        if req.has_text:
            # the full-text match runs first (materialized), the filters then apply to its few rows
            head = (f"WITH m AS MATERIALIZED (SELECT rowid AS pk, {bm25} AS score FROM articles_fts "
                    f"WHERE articles_fts MATCH ?) "
                    f"SELECT a.pk, m.score, count(*) OVER () FROM m JOIN articles a ON a.pk = m.pk")
            params = [self._match_expression(req), *params]
            order = f"m.score DESC, {by_date}" if req.sort == "relevance" else by_date
        else:
            head = "SELECT a.pk, NULL, count(*) OVER () FROM articles a"
            order = by_date
        sql = f"{head} WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ? OFFSET ?"
        try:
            page = self.db.execute(sql, [*params, req.limit, req.offset]).fetchall()
            if page:
                total = page[0][2]
            else:  # past the last page: the window count is not there, count on its own
                count_sql = sql.replace("count(*) OVER ()", "1").split(" ORDER BY ")[0]
                total = self.db.execute(f"SELECT count(*) FROM ({count_sql})", params).fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise QueryError(f"search failed: {exc}") from None
        return self._results(page, total, req)

    def _results(self, page: list[tuple[int, float | None, int]], total: int, req: SearchRequest) -> dict[str, Any]:
        """Load the documents of one page of (pk, score, _) rows, in order."""
        marks = ",".join("?" * len(page))
        docs = dict(self.db.execute(f"SELECT pk, doc FROM articles WHERE pk IN ({marks})",
                                    [pk for pk, _, _ in page]).fetchall()) if page else {}
        results = [result_row(json.loads(docs[pk]), score, req) for pk, score, _ in page]
        return {"total": int(total), "results": results}

    # -------------------------------------------------------------- run records
    def write_run(self, record: dict[str, Any]) -> None:
        with self._lock, self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO crawl_runs(run_id, source, started_at, record) VALUES (?, ?, ?, ?)",
                (record["run_id"], record.get("source"), record.get("started_at"),
                 json.dumps(record, ensure_ascii=False, default=str)),
            )

    def list_runs(self, source: str | None = None, last: int = 20) -> list[dict[str, Any]]:
        if source:
            rows = self.db.execute("SELECT record FROM crawl_runs WHERE source = ? ORDER BY started_at DESC LIMIT ?",
                                   (source, last))
        else:
            rows = self.db.execute("SELECT record FROM crawl_runs ORDER BY started_at DESC LIMIT ?", (last,))
        return [json.loads(r[0]) for r in rows]
