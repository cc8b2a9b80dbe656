#!/usr/bin/env python3
"""Search latency on both backends: p50/p95 of 200 mixed queries over the benchmark corpus.

    NEWSINDEX_ES_URL=http://127.0.0.1:9200 python bench/search.py [--docs 50000] [--queries 200]

Indexes the corpus of bench/corpus.py into a fresh Elasticsearch alias and a fresh SQLite file through the
newsindex backends, then times the same queries (terms, quoted phrases, filters, date ranges, empty query
with filters; relevance and date sorts) through the one search API, snippets included. Targets: p95 < 50 ms
on Elasticsearch and < 100 ms embedded on this 2-core machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.corpus import SECTIONS, add_corpus_args, drop_alias, es_url, load  # noqa: E402
from crawler.config import load as load_config  # noqa: E402
from indexer.base import SearchRequest  # noqa: E402
from indexer.es_backend import ElasticsearchBackend  # noqa: E402
from indexer.sqlite_backend import SQLiteBackend  # noqa: E402


def make_queries(docs: list[dict], n: int, seed: int = 7) -> list[SearchRequest]:
    rng = random.Random(seed)
    out: list[SearchRequest] = []
    for i in range(n):
        doc = rng.choice(docs)
        words = [w for w in doc["body"].split() if w.isalpha() and len(w) > 3]
        kind = i % 6
        if kind == 0:
            out.append(SearchRequest(text=rng.choice(words)))
        elif kind == 1:
            out.append(SearchRequest(text=" ".join(rng.sample(words, 2))))
        elif kind == 2:
            k = rng.randrange(len(words) - 1)
            out.append(SearchRequest(text=f'"{words[k]} {words[k + 1]}"'))
        elif kind == 3:
            out.append(SearchRequest(text=rng.choice(words), source=doc["source"]["id"], lang=doc["language"]))
        elif kind == 4:
            month = rng.randint(1, 12)
            out.append(SearchRequest(text=rng.choice(words), since=f"2024-{month:02d}-01", until=f"2025-{month:02d}-28",
                                     sort="date"))
        else:
            out.append(SearchRequest(section=rng.choice(SECTIONS), author=rng.choice(doc["authors"]),
                                     since="2024-06-01"))
    return out


def timed(backend, queries: list[SearchRequest]) -> tuple[float, float, int]:
    for q in queries[:10]:  # warm-up
        backend.search(SearchRequest(**{k: getattr(q, k) for k in ("text", "source", "author", "section", "lang",
                                                                      "since", "until", "sort")}))
    lat, hits = [], 0
    for q in queries:
        t = time.perf_counter()
        res = backend.search(q)
        lat.append((time.perf_counter() - t) * 1000)
        hits += res["total"] > 0
    lat.sort()
    return statistics.median(lat), lat[int(0.95 * (len(lat) - 1))], hits


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_args(ap)
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    url = es_url()
    if not url:
        return 2
    docs = load(args.docs, args.data)
    queries = make_queries(docs, args.queries)
    es = ElasticsearchBackend(load_config({"NEWSINDEX_ES_URL": url}), alias="bench-search")
    es.init()
    rows = {}
    try:
        for i in range(0, len(docs), 1000):
            es.upsert(docs[i:i + 1000])
        es.refresh()
        es.client.options(request_timeout=900).indices.forcemerge(index=es.alias, max_num_segments=1)
        rows["elasticsearch"] = timed(es, queries)
    finally:
        drop_alias(es)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteBackend(Path(tmp) / "bench.sqlite3")
        for i in range(0, len(docs), 1000):
            store.upsert(docs[i:i + 1000])
        rows["embedded (SQLite)"] = timed(store, queries)
        store.close()
    print(f"{len(docs)} articles, {len(queries)} queries")
    print(f"{'backend':<20} {'p50 ms':>8} {'p95 ms':>8} {'queries with hits':>18}")
    for name, (p50, p95, hits) in rows.items():
        print(f"{name:<20} {p50:>8.1f} {p95:>8.1f} {hits:>18}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
