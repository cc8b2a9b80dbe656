"""The Elasticsearch backend (official ``elasticsearch`` 9.x client).

- Versioned indices behind an alias: ``news-articles-v1`` .. ``-vN`` behind ``news-articles``.
- Each bulk action is built by a pure function (:func:`bulk_action`); the official bulk helper sends
  them. ``_id`` is the article id; ``version_type=external_gte`` with :func:`version_of` makes a newer
  copy win and an older one get a version conflict (counted as ``skipped_older``, never an error).
- Per-document rejections come back with their payload and reason (the caller dead-letters them);
  transient failures (429, 5xx, connection errors, timeouts) are retried with exponential backoff
  and jitter, then raised as :class:`BackendUnavailable` so the caller spools the batch.
"""

from __future__ import annotations

import json
import random
import time
from importlib import resources
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError, helpers
from elasticsearch.serializer import OrjsonSerializer

from crawler.article import STEM_FIELDS
from crawler.config import Config
from crawler.exceptions import BackendUnavailable, ConfigError, QueryError
from indexer import analysis
from indexer.base import IndexReport, SearchRequest, analyzed_fields, carries_stems, result_row, version_of

RUNS_INDEX = "news-crawl-runs"
MAX_DOC_BYTES = 10 * 1024 * 1024
TRANSIENT_STATUS = {429, 500, 502, 503, 504}
BULK_THREADS = 2
BULK_CHUNK = 250
RESULT_SOURCE = ["id", "url", "title", "authors", "organizations", "published_at", "source", "section",
                 "language", "body"]


def load_template(name: str) -> dict[str, Any]:
    return json.loads((resources.files("config") / "templates" / f"{name}.json").read_text(encoding="utf-8"))


def make_client(cfg: Config) -> Elasticsearch:
    if not cfg.es_urls:
        raise ConfigError("NEWSINDEX_ES_URL is not set")
    # orjson serializes bulk bodies ~3x faster than the stdlib json the client uses by default
    kw: dict[str, Any] = {"request_timeout": cfg.es_timeout, "retry_on_timeout": False, "max_retries": 0,
                          "serializers": {OrjsonSerializer.mimetype: OrjsonSerializer()}}
    if cfg.es_api_key:
        kw["api_key"] = cfg.es_api_key
    elif cfg.es_username:
        kw["basic_auth"] = (cfg.es_username, cfg.es_password or "")
    if cfg.es_ca_certs:
        kw["ca_certs"] = cfg.es_ca_certs
    return Elasticsearch(list(cfg.es_urls), **kw)


def bulk_action(doc: dict[str, Any], index: str) -> dict[str, Any]:
    """The bulk action for one article document (pure)."""
    if carries_stems(doc):
        source = doc  # made by a crawl: the search fields are already there (never modified here)
    else:
        source = dict(doc)
        source.update(analyzed_fields(doc))
    return {
        "_op_type": "index",
        "_index": index,
        "_id": doc["id"],
        "version": version_of(doc),
        "version_type": "external_gte",
        "_source": source,
    }


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, cfg: Config, client: Elasticsearch | None = None, alias: str | None = None,
                 retries: int = 4, backoff: float = 0.5, max_backoff: float = 8.0) -> None:
        self.cfg = cfg
        self.client = client or make_client(cfg)
        self.alias = alias or cfg.es_index
        self.retries, self.backoff, self.max_backoff = retries, backoff, max_backoff
        self._initialized = False

    # -------------------------------------------------------------- lifecycle
    def ping(self) -> bool:
        try:
            self.client.cluster.health(timeout="5s")
            return True
        except (TransportError, ApiError):
            return False

    def close(self) -> None:
        self.client.close()

    def _template_name(self) -> str:
        return self.alias

    def init(self) -> str:
        """Idempotent: put the templates, create ``<alias>-v1`` behind the alias if no index is there."""
        try:
            tmpl = load_template("news-articles")
            tmpl["index_patterns"] = [f"{self.alias}-v*"]
            self.client.indices.put_index_template(name=self._template_name(), **tmpl)
            runs = load_template("news-crawl-runs")
            self.client.indices.put_index_template(name=RUNS_INDEX, **runs)
            current = self.current_index()
            if current is None:
                first = f"{self.alias}-v1"
                if not self.client.indices.exists(index=first):
                    self.client.indices.create(index=first, aliases={self.alias: {"is_write_index": True}})
                else:
                    self.client.indices.put_alias(index=first, name=self.alias)
                current = first
            if not self.client.indices.exists(index=RUNS_INDEX):
                try:
                    self.client.indices.create(index=RUNS_INDEX)
                except ApiError as exc:
                    if "resource_already_exists" not in str(exc):
                        raise
        except (TransportError, ConnectionError) as exc:
            raise BackendUnavailable(f"Elasticsearch unreachable: {exc}") from None
        self._initialized = True
        return current

    def current_index(self) -> str | None:
        try:
            got = self.client.indices.get_alias(name=self.alias)
        except NotFoundError:
            return None
        names = sorted(got.body.keys(), key=_version_number)
        return names[-1] if names else None

    def migrate(self) -> tuple[str, str, int]:
        """Create the next index version, copy every document, swap the alias atomically.

        Documents written to the old index during the copy are copied again after the swap
        (a second pass over everything fetched since the copy began), so nothing is lost.
        """
        old = self.current_index() or self.init()
        new = f"{self.alias}-v{_version_number(old) + 1}"
        tmpl = load_template("news-articles")
        tmpl["index_patterns"] = [f"{self.alias}-v*"]
        self.client.indices.put_index_template(name=self._template_name(), **tmpl)
        self.client.indices.create(index=new)
        started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 5))
        copied = self._copy(old, new, None)
        self.client.indices.update_aliases(actions=[
            {"remove": {"index": old, "alias": self.alias}},
            {"add": {"index": new, "alias": self.alias, "is_write_index": True}},
        ])
        self._copy(old, new, {"range": {"fetched_at": {"gte": started}}})
        self.client.indices.refresh(index=new)
        return old, new, copied

    def _copy(self, old: str, new: str, query: dict[str, Any] | None) -> int:
        body = {"query": query or {"match_all": {}}}

        def actions():
            for hit in helpers.scan(self.client, index=old, query=body, preserve_order=False, size=500):
                src = hit["_source"]
                yield {"_op_type": "index", "_index": new, "_id": hit["_id"], "version": version_of(src),
                       "version_type": "external_gte", "_source": src}

        ok = 0
        for success, _ in helpers.streaming_bulk(self.client, actions(), chunk_size=500, raise_on_error=False):
            ok += success
        return ok

    def refresh(self) -> None:
        try:
            self.client.indices.refresh(index=self.alias)
        except (TransportError, ApiError) as exc:
            raise BackendUnavailable(str(exc)) from None

    # -------------------------------------------------------------- writes
    def upsert(self, docs: list[dict[str, Any]]) -> IndexReport:
        """Index ``docs``. Raises BackendUnavailable (after retries) with nothing half-reported."""
        report = IndexReport()
        pending: list[dict[str, Any]] = []
        for doc in docs:
            if not doc.get("id"):
                report.rejected.append((doc, "document without id"))
            elif _text_bytes(doc) > MAX_DOC_BYTES:
                report.rejected.append((doc, f"document too large (> {MAX_DOC_BYTES} bytes)"))
            else:
                pending.append(doc)
        attempt = 0
        while pending:
            retry: list[dict[str, Any]] = []
            last_error: Exception | None = None
            try:
                self._send(pending, report, retry)
            except (TransportError, ConnectionError) as exc:
                retry = pending
                last_error = exc
            if not retry:
                break
            attempt += 1
            if attempt > self.retries:
                raise BackendUnavailable(f"Elasticsearch unavailable after {self.retries} retries: "
                                         f"{last_error or 'transient rejections'}", ) from None
            delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
            time.sleep(delay * (0.5 + random.random() / 2))
            pending = retry
        return report

    def _send(self, docs: list[dict[str, Any]], report: IndexReport, retry: list[dict[str, Any]]) -> None:
        if not self._initialized:
            self.init()
        index = self.alias
        by_id = {d["id"]: d for d in docs}
        actions = (bulk_action(d, index) for d in docs)
        # parallel_bulk builds the next chunk's actions (stemming, serialization) in its feeder thread
        # while BULK_THREADS requests are in flight, so Python work and indexing overlap
        for ok, item in helpers.parallel_bulk(
            self.client, actions, thread_count=BULK_THREADS, chunk_size=BULK_CHUNK, queue_size=4,
            max_chunk_bytes=50 * 1024 * 1024, raise_on_error=False, raise_on_exception=False,
        ):
            info = item.get("index", {})
            doc = by_id.get(info.get("_id"), {})
            status = int(info.get("status") or 0)
            if ok:
                report.indexed += 1
            elif status == 409:
                report.skipped_older += 1
            elif status in TRANSIENT_STATUS or status == 0:
                retry.append(doc)
            else:
                err = info.get("error")
                reason = (f"{err.get('type')}: {err.get('reason')}" if isinstance(err, dict) else str(err))
                report.rejected.append((doc, f"HTTP {status} {reason}"[:2000]))

    def delete_by_source(self, source: str) -> int:
        ids = self.ids(source)
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids)
        deleted = 0
        for ok, _ in helpers.streaming_bulk(self.client, actions, raise_on_error=False):
            deleted += ok
        self.refresh()
        return deleted

    # -------------------------------------------------------------- reads
    def get(self, doc_id: str) -> dict[str, Any] | None:
        try:
            source = self.client.get(index=self.alias, id=doc_id, source_excludes=list(STEM_FIELDS))["_source"]
            return dict(source)
        except NotFoundError:
            return None

    def count(self, source: str | None = None) -> int:
        query = {"term": {"source.id": source}} if source else {"match_all": {}}
        try:
            return int(self.client.count(index=self.alias, query=query)["count"])
        except NotFoundError:
            return 0

    def ids(self, source: str | None = None) -> list[str]:
        query = {"term": {"source.id": source}} if source else {"match_all": {}}
        try:
            return sorted(h["_id"] for h in helpers.scan(self.client, index=self.alias, query={"query": query},
                                                         _source=False))
        except NotFoundError:
            return []

    def build_query(self, req: SearchRequest) -> dict[str, Any]:
        """The ES query for a prepared request: user text only ever goes into match queries."""
        must: list[dict[str, Any]] = []
        for term in req.terms:
            variants = analysis.term_variants(term, req.lang)
            must.append({"multi_match": {"query": " ".join(variants), "fields": ["title_stem^4", "text_stem"],
                                         "operator": "or", "type": "most_fields"}})
        for words in req.phrases:
            should = [{"match_phrase": {f: {"query": " ".join(v)}}} for v in analysis.phrase_variants(words, req.lang)
                      for f in ("title_stem", "text_stem")]
            must.append({"bool": {"should": should, "minimum_should_match": 1}})
        filters: list[dict[str, Any]] = []
        if req.source:
            filters.append({"term": {"source.id": req.source}})
        if req.section:
            filters.append({"term": {"section": req.section}})
        if req.lang:
            filters.append({"term": {"language": req.lang}})
        if req.author:
            filters.append({"bool": {"should": [{"term": {"authors": req.author}},
                                                {"term": {"organizations": req.author}}],
                                     "minimum_should_match": 1}})
        if req.since_dt or req.until_dt:
            rng: dict[str, str] = {}
            if req.since_dt:
                rng["gte"] = req.since_dt.isoformat()
            if req.until_dt:
                rng["lte"] = req.until_dt.isoformat()
            filters.append({"range": {"published_at": rng}})
        return {"bool": {"must": must or [{"match_all": {}}], "filter": filters}}

    def search(self, req: SearchRequest) -> dict[str, Any]:
        req = req.prepared()
        if req.sort == "relevance" and req.has_text:
            sort: list[Any] = ["_score", {"published_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
        else:
            sort = [{"published_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
        try:
            resp = self.client.search(index=self.alias, query=self.build_query(req), sort=sort, from_=req.offset,
                                      size=req.limit, track_total_hits=True, source_includes=RESULT_SOURCE,
                                      track_scores=True)
        except NotFoundError:
            return {"total": 0, "results": []}
        except ApiError as exc:
            raise QueryError(f"search rejected by Elasticsearch: {exc.message}") from None
        except TransportError as exc:
            raise BackendUnavailable(f"Elasticsearch unreachable: {exc}") from None
        hits = resp["hits"]
        return {"total": int(hits["total"]["value"]),
                "results": [result_row(h["_source"], h.get("_score"), req) for h in hits["hits"]]}

    # -------------------------------------------------------------- run records
    def write_run(self, record: dict[str, Any]) -> None:
        self.client.index(index=RUNS_INDEX, id=record["run_id"], document=record, refresh=True)

    def list_runs(self, source: str | None = None, last: int = 20) -> list[dict[str, Any]]:
        query = {"term": {"source": source}} if source else {"match_all": {}}
        try:
            resp = self.client.search(index=RUNS_INDEX, query=query, size=last,
                                      sort=[{"started_at": {"order": "desc"}}])
        except NotFoundError:
            return []
        return [dict(h["_source"]) for h in resp["hits"]["hits"]]


def _text_bytes(doc: dict[str, Any]) -> int:
    """UTF-8 size of a document's strings; encodes only when the cheap bound (4 bytes/char) is over the limit."""
    texts = [v for v in doc.values() if isinstance(v, str)]
    if sum(map(len, texts)) * 4 <= MAX_DOC_BYTES:
        return 0
    return sum(len(v.encode("utf-8", "replace")) for v in texts)


def _version_number(index_name: str) -> int:
    tail = index_name.rsplit("-v", 1)[-1]
    return int(tail) if tail.isdigit() else 0
