#!/usr/bin/env python3
"""Indexing throughput: (a) raw `_bulk` ceiling, (b) the newsindex Elasticsearch path, (c) the embedded store.

    NEWSINDEX_ES_URL=http://127.0.0.1:9200 python bench/index.py [--docs 50000] [--batch 500]

(a) sends the very same documents (with the stemmed fields newsindex adds) pre-serialized as NDJSON with
plain `_bulk` requests of the same size and as many in flight as newsindex uses;
(b) goes through ElasticsearchBackend.upsert (bulk actions built per document,
stemming, version checks, the official bulk helper) in batches as the indexing pipeline flushes them;
(c) SQLiteBackend.upsert. (a) and (b) alternate for --rounds rounds, each into a fresh index;
prints the median docs/s of each and the ratio of the medians b/a.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.corpus import add_corpus_args, drop_alias, es_url, load  # noqa: E402
from crawler.config import load as load_config  # noqa: E402
from indexer.analysis import clear_caches as analysis_cache_clear  # noqa: E402
from indexer.base import analyzed_fields, version_of  # noqa: E402
from indexer.es_backend import BULK_CHUNK, BULK_THREADS, ElasticsearchBackend  # noqa: E402
from indexer.sqlite_backend import SQLiteBackend  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_args(ap)
    ap.add_argument("--batch", type=int, default=1000, help="documents per pipeline flush")
    ap.add_argument("--rounds", type=int, default=3, help="alternating (a)/(b) rounds; medians are compared")
    args = ap.parse_args()
    url = es_url()
    if not url:
        return 2
    docs = load(args.docs, args.data)
    size = sum(len(d["body"]) for d in docs) / len(docs)
    print(f"{len(docs)} articles, mean body {size:.0f} chars")
    cfg = load_config({"NEWSINDEX_ES_URL": url})

    # (a) and (b) run in alternating order for --rounds rounds, each into a fresh index, and the medians are
    # compared: on a shared 2-core machine one pass of each is at the mercy of whatever else runs.
    def run_raw() -> float:
        raw = ElasticsearchBackend(cfg, alias="bench-raw")
        raw.init()
        index = raw.current_index()
        bodies = []
        for i in range(0, len(docs), BULK_CHUNK):
            lines = []
            for d in docs[i:i + BULK_CHUNK]:
                src = dict(d)
                src.update(analyzed_fields(d))
                lines.append(json.dumps({"index": {"_index": index, "_id": d["id"], "version": version_of(d),
                                                   "version_type": "external_gte"}}))
                lines.append(json.dumps(src, ensure_ascii=False))
            bodies.append(("\n".join(lines) + "\n").encode())

        def send(body: bytes) -> None:
            resp = raw.client.perform_request("POST", "/_bulk", body=body,
                                              headers={"content-type": "application/x-ndjson",
                                                       "accept": "application/json"})
            assert not resp.body["errors"], "raw bulk reported errors"

        t = time.perf_counter()
        with ThreadPoolExecutor(BULK_THREADS) as pool:  # as many requests in flight as newsindex uses
            list(pool.map(send, bodies))
        raw.refresh()
        rate = len(docs) / (time.perf_counter() - t)
        assert raw.count() == len(docs)
        drop_alias(raw)
        return rate

    def run_ours() -> float:
        analysis_cache_clear()  # every round starts with cold stem caches, as a fresh crawl process does
        ours = ElasticsearchBackend(cfg, alias="bench-newsindex")
        ours.init()
        t = time.perf_counter()
        for i in range(0, len(docs), args.batch):
            report = ours.upsert(docs[i:i + args.batch])
            assert report.indexed == len(docs[i:i + args.batch]) and not report.rejected
        ours.refresh()
        rate = len(docs) / (time.perf_counter() - t)
        assert ours.count() == len(docs)
        drop_alias(ours)
        return rate

    raws: list[float] = []
    oursl: list[float] = []
    for r in range(args.rounds):
        order = (run_raw, run_ours) if r % 2 == 0 else (run_ours, run_raw)
        for fn in order:
            rate = fn()
            (raws if fn is run_raw else oursl).append(rate)
        print(f"round {r + 1}: raw {raws[-1]:.0f} docs/s, newsindex {oursl[-1]:.0f} docs/s, "
              f"ratio {oursl[-1] / raws[-1]:.2f}", flush=True)
    a, b = statistics.median(raws), statistics.median(oursl)

    # (c) embedded
    with tempfile.TemporaryDirectory() as tmp:
        analysis_cache_clear()
        store = SQLiteBackend(Path(tmp) / "bench.sqlite3")
        t = time.perf_counter()
        for i in range(0, len(docs), args.batch):
            store.upsert(docs[i:i + args.batch])
        c = len(docs) / (time.perf_counter() - t)
        assert store.count() == len(docs)
        store.close()
    print(f"{'path (median of rounds)':<34} {'docs/s':>9}")
    print(f"{'(a) raw _bulk (pre-serialized)':<34} {a:>9.0f}")
    print(f"{'(b) newsindex Elasticsearch path':<34} {b:>9.0f}")
    print(f"{'(c) newsindex embedded (SQLite)':<34} {c:>9.0f}")
    print(f"ratio b/a = {b / a:.2f} (target >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
