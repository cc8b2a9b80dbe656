#!/usr/bin/env python3
"""Indexing throughput: (a) raw `_bulk` ceiling, (b) the newsindex Elasticsearch path, (c) the embedded store.

    NEWSINDEX_ES_URL=http://127.0.0.1:9200 python bench/index.py [--docs 50000] [--batch 500]

(a) sends the very same documents (with the stemmed fields newsindex adds) pre-serialized as NDJSON with
plain `_bulk` requests of the same size and as many in flight as newsindex uses;
(b) goes through ElasticsearchBackend.upsert (size checks, bulk actions built per document, version
numbers, the official bulk helper, per-item results) in batches handed to a BatchWriter as the
indexing pipeline flushes them (two batches indexed at once), with the documents as a crawl hands
them over: the stemmed search fields are computed where the article is made (the extraction
worker), so they come with the document; that cost is printed on its own line, and (b') runs the
same path on documents without them (as from an old spool), where the indexer stems every one;
(c) SQLiteBackend.upsert. (a), (b) and (b') rotate for --rounds rounds, each into a fresh index;
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
from indexer.base import analyzed_fields, stem_fields, version_of  # noqa: E402
from indexer.es_backend import BULK_CHUNK, BULK_THREADS, ElasticsearchBackend  # noqa: E402
from indexer.sqlite_backend import SQLiteBackend  # noqa: E402
from indexer.writer import WRITE_CONCURRENCY, BatchWriter  # noqa: E402

IN_FLIGHT = WRITE_CONCURRENCY * BULK_THREADS  # bulk requests newsindex has in flight at most


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_args(ap)
    ap.add_argument("--batch", type=int, default=1000, help="documents per pipeline flush")
    ap.add_argument("--rounds", type=int, default=3, help="alternating (a)/(b) rounds; medians are compared")
    args = ap.parse_args()
    url = es_url()
    if not url:
        return 2
    plain = load(args.docs, args.data)
    size = sum(len(d["body"]) for d in plain) / len(plain)
    print(f"{len(plain)} articles, mean body {size:.0f} chars")
    analysis_cache_clear()
    t = time.process_time()
    docs = [{**d, **stem_fields(d.get("title"), d.get("lead"), d.get("body"), d.get("language"))} for d in plain]
    per_doc = (time.process_time() - t) / len(docs) * 1000
    print(f"stemmed search fields, computed at extraction in a crawl: {per_doc:.3f} ms CPU per article (cold caches)")
    cfg = load_config({"NEWSINDEX_ES_URL": url})

    # (a), (b) and (b') rotate for --rounds rounds, each into a fresh index, and the medians are compared:
    # on a shared 2-core machine one pass of each is at the mercy of whatever else runs.
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
        with ThreadPoolExecutor(IN_FLIGHT) as pool:  # as many requests in flight as newsindex uses
            list(pool.map(send, bodies))
        raw.refresh()
        rate = len(docs) / (time.perf_counter() - t)
        assert raw.count() == len(docs)
        drop_alias(raw)
        return rate

    def run_ours(batch_docs: list[dict]) -> float:
        analysis_cache_clear()  # every round starts with cold stem caches, as a fresh crawl process does
        ours = ElasticsearchBackend(cfg, alias="bench-newsindex")
        ours.init()

        def write(batch: list[dict]) -> None:
            report = ours.upsert(batch)
            assert report.indexed == len(batch) and not report.rejected

        t = time.perf_counter()
        writer = BatchWriter(write, concurrency=WRITE_CONCURRENCY)  # as the indexing pipeline hands batches over
        for i in range(0, len(batch_docs), args.batch):
            writer.submit(batch_docs[i:i + args.batch])
        writer.close()
        assert not writer.errors
        ours.refresh()
        rate = len(batch_docs) / (time.perf_counter() - t)
        assert ours.count() == len(batch_docs)
        drop_alias(ours)
        return rate

    runs = {"raw": run_raw, "ours": lambda: run_ours(docs), "ours_stemming": lambda: run_ours(plain)}
    warm = ElasticsearchBackend(cfg, alias="bench-warmup")  # an untimed pass warms the server (JIT, caches)
    warm.init()
    for i in range(0, min(len(docs), 5000), args.batch):
        warm.upsert(docs[i:i + args.batch])
    drop_alias(warm)
    rates: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for r in range(args.rounds):
        for name in names[r % 3:] + names[:r % 3]:  # each path goes first once in three rounds
            rates[name].append(runs[name]())
        print(f"round {r + 1}: raw {rates['raw'][-1]:.0f} docs/s, newsindex {rates['ours'][-1]:.0f} docs/s "
              f"(stemming in the indexer: {rates['ours_stemming'][-1]:.0f}), "
              f"ratio {rates['ours'][-1] / rates['raw'][-1]:.2f}", flush=True)
    a, b = statistics.median(rates["raw"]), statistics.median(rates["ours"])
    b2 = statistics.median(rates["ours_stemming"])

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
    label = "(b') the same, indexer stems"
    print(f"{label:<34} {b2:>9.0f}  (ratio {b2 / a:.2f})")
    print(f"{'(c) newsindex embedded (SQLite)':<34} {c:>9.0f}")
    print(f"ratio b/a = {b / a:.2f} (target >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
