"""No article lost: a dead cluster spools, replay delivers exactly once; a bad document is rejected alone."""

from __future__ import annotations

from pathlib import Path

from crawler.config import load
from indexer.es_backend import ElasticsearchBackend
from indexer.spool import DeadLetters, Spool
from tests.helpers import json_lines, newsindex


def test_dead_cluster_spools_then_replay_indexes_exactly_once(es_url: str, es_index: str, data_dir: Path,
                                                              demo_sources: Path, demo_server) -> None:
    dead = {"NEWSINDEX_ES_URL": "http://127.0.0.1:9", "NEWSINDEX_ES_INDEX": es_index}
    summary = json_lines(newsindex("crawl", "demo", "--json", env=dead, check=False).stdout)[-1]
    assert summary["items_indexed"] == 0 and summary["items_spooled"] == 34
    waiting, nbytes = Spool(data_dir / "spool").size()
    assert waiting == 34 and nbytes > 0
    health = newsindex("health", "--json", env=dead, check=False)
    assert health.returncode == 2
    live = {"NEWSINDEX_ES_URL": es_url, "NEWSINDEX_ES_INDEX": es_index}
    out = newsindex("replay", env=live)
    assert "replayed 34 of 34" in out.stdout
    assert Spool(data_dir / "spool").size() == (0, 0)
    backend = ElasticsearchBackend(load(live), alias=es_index)
    backend.refresh()
    assert backend.count() == 34
    # replaying again (or a rerun) never duplicates
    newsindex("replay", env=live)
    backend.refresh()
    assert backend.count() == 34
    backend.close()
    assert DeadLetters(data_dir / "dead-letter.jsonl").count() == 0


def test_malformed_document_rejected_alone(es_url: str, es_index: str, tmp_path: Path) -> None:
    from tests.test_backend_contract import CORPUS

    backend = ElasticsearchBackend(load({"NEWSINDEX_ES_URL": es_url}), alias=es_index)
    backend.init()
    bad_date = dict(CORPUS[0], id="bad-date", published_at="29th of Julyish")
    huge = dict(CORPUS[1], id="huge", body="word " * (11 * 1024 * 1024 // 5))
    report = backend.upsert([dict(CORPUS[2]), bad_date, huge, dict(CORPUS[3])])
    assert report.indexed == 2
    reasons = {doc["id"]: reason for doc, reason in report.rejected}
    assert set(reasons) == {"bad-date", "huge"}
    assert "published_at" in reasons["bad-date"] and "too large" in reasons["huge"]
    dead = DeadLetters(tmp_path / "dl.jsonl")
    for doc, reason in report.rejected:
        dead.write(doc, reason)
    assert dead.count() == 2 and {e["id"] for e in dead.entries()} == {"bad-date", "huge"}
    backend.close()


def test_spool_survives_torn_last_line(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    spool.append([{"id": "a", "url": "u1"}, {"id": "b", "url": "u2"}])
    seg = next((tmp_path / "spool").glob("segment-*.jsonl"))
    with seg.open("a") as f:
        f.write('{"id": "c", "url"')  # a writer killed mid-line
    got: list[str] = []
    delivered = spool.replay(lambda docs: (got.extend(d["id"] for d in docs), [])[1])
    assert got == ["a", "b"] and delivered == 2 and spool.size() == (0, 0)


def test_spool_keeps_what_was_not_delivered(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    spool.append([{"id": str(i)} for i in range(10)])
    assert spool.replay(lambda docs: docs, batch=4) == 0
    assert spool.size()[0] == 10
    assert spool.replay(lambda docs: [], batch=4) == 10
    assert spool.size() == (0, 0)


def test_cluster_stopped_mid_crawl_restart_and_replay(tmp_path: Path, data_dir: Path, monkeypatch, es_url: str) -> None:
    """A second real Elasticsearch is stopped while a crawl writes to it, then restarted on its data:
    after replay every demo article is in the index exactly once and nothing was dead-lettered."""
    import subprocess
    import sys
    import time

    from crawler.demo_site.site import DemoServer, source_yaml
    from indexer.dev_es import DevES, default_root

    dev = DevES(default_root(), instance=tmp_path / "es-restart")
    url = dev.start()
    port = int(url.rsplit(":", 1)[1])
    try:
        with DemoServer(delay=0.25) as slow:
            sources = tmp_path / "sources"
            sources.mkdir()
            (sources / "demo.yaml").write_text(source_yaml(slow.base_url), encoding="utf-8")
            monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(sources))
            env = {"NEWSINDEX_ES_URL": url, "NEWSINDEX_ES_INDEX": "restart"}
            backend = ElasticsearchBackend(load(env), alias="restart")
            backend.init()
            import os

            proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "demo", "--json"],
                                    env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and backend.count() < 3:
                time.sleep(0.5)
                backend.refresh()
            before = backend.count()
            assert before >= 3
            backend.close()
            dev.stop(wipe=False)  # the cluster goes away mid-crawl
            out, err = proc.communicate(timeout=600)
            summary = json_lines(out)[-1]
            assert summary["items_spooled"] > 0, (summary, err[-2000:])
        assert dev.start(port=port, keep_data=True) == url  # back, same URL, same data
        out = newsindex("replay", env=env)
        assert "still waiting" in out.stdout and " 0 still waiting" in out.stdout
        backend = ElasticsearchBackend(load(env), alias="restart")
        backend.refresh()
        from crawler.article import article_id
        from crawler.demo_site.site import build_articles

        expected = {article_id(slow.base_url + a.path) for a in build_articles()}
        expected |= {article_id(slow.base_url + p) for p in ("/world/2021/07/23/latin1-story",
                                                             "/world/2021/07/24/truncated-story")}
        assert set(backend.ids()) == expected and backend.count() == len(expected)
        backend.close()
        assert DeadLetters(data_dir / "dead-letter.jsonl").count() == 0
    finally:
        dev.stop()


def _open_stores(directory: str, barrier, results) -> None:
    from crawler.fingerprint import FingerprintStore
    from crawler.seen import SQLiteSeenStore
    from indexer.sqlite_backend import SQLiteBackend

    barrier.wait()
    try:
        SQLiteBackend(Path(directory) / "newsindex.sqlite3").close()
        SQLiteSeenStore(Path(directory) / "seen.sqlite3", "demo").close()
        FingerprintStore(Path(directory) / "fingerprints.sqlite3").close()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(repr(exc))


def test_processes_opening_new_stores_at_the_same_moment_all_succeed(tmp_path: Path) -> None:
    # overlapping scheduled crawls, or a search while the first crawl creates the store: before the store's
    # schema was created in one transaction, most rounds had a process fail ("schema 0", "database is locked")
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    for round_ in range(4):
        directory = tmp_path / f"round-{round_}"
        directory.mkdir()
        barrier, results = ctx.Barrier(5), ctx.Queue()
        procs = [ctx.Process(target=_open_stores, args=(str(directory), barrier, results)) for _ in range(5)]
        for p in procs:
            p.start()
        outcomes = [results.get(timeout=120) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert outcomes == ["ok"] * 5
