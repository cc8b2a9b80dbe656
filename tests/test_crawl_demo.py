"""Crawling the bundled demo site with the real spider, pipelines and stores (subprocesses, real HTTP)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from crawler.article import article_id
from crawler.demo_site.site import DemoServer, build_articles, source_yaml
from indexer.sqlite_backend import SQLiteBackend
from tests.helpers import json_lines, newsindex

EXPECTED_EXTRA = {"/world/2021/07/23/latin1-story", "/world/2021/07/24/truncated-story"}


def expected_ids(base_url: str) -> set[str]:
    paths = {a.path for a in build_articles()} | EXPECTED_EXTRA
    return {article_id(base_url + p) for p in paths}


def test_crawl_indexes_every_article_once_and_counts_bad_cases(data_dir: Path, demo_sources: Path, demo_server) -> None:
    proc = newsindex("crawl", "demo", "--json")
    summary = json_lines(proc.stdout)[-1]
    assert summary["finish_reason"] == "finished"
    store = SQLiteBackend(data_dir / "newsindex.sqlite3")
    ids = set(store.ids("demo"))
    assert ids == expected_ids(demo_server.base_url)
    assert summary["items_indexed"] == len(ids)
    for reason in ("http_404", "non_html", "redirect_loop", "offsite_redirect", "empty_page", "listing_depth_limit"):
        assert summary["dropped"].get(reason, 0) >= 1, (reason, summary["dropped"])
    seed = store.search(__import__("indexer.base", fromlist=["SearchRequest"]).SearchRequest(text="Tianjin"))
    assert seed["results"][0]["authors"] == ["Norvisi Mawunyegah"]
    store.close()

    # a rerun fetches no article again
    again = json_lines(newsindex("crawl", "demo", "--json").stdout)[-1]
    assert again["items_extracted"] == 0
    assert again["already_seen"] >= len(ids)
    runs = newsindex("stats", "--json")
    assert '"source": "demo"' in runs.stdout


WORKER_CRAWL = """
import json, sys
from crawler.runner import run_crawls
stats = run_crawls([{"source": "demo"}], {"NEWSINDEX_EXTRACTION_WORKERS": 1, "NEWSINDEX_EXTRACTION_WORKERS_AFTER": 3,
                                          "LOG_LEVEL": "ERROR"})[0]
print(json.dumps({k: v for k, v in stats.items() if k.startswith("newsindex/")}))
"""


def test_extraction_worker_process_gives_the_same_articles(data_dir: Path, demo_sources: Path, demo_server) -> None:
    proc = subprocess.run([sys.executable, "-c", WORKER_CRAWL], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json_lines(proc.stdout)[-1]
    assert stats["newsindex/extraction_workers/started"] == 1
    assert stats["newsindex/extraction_workers/pages"] >= 25  # all but the first 3 articles
    assert "newsindex/extraction_workers/broken" not in stats
    store = SQLiteBackend(data_dir / "newsindex.sqlite3")
    assert set(store.ids("demo")) == expected_ids(demo_server.base_url)
    seed = store.search(__import__("indexer.base", fromlist=["SearchRequest"]).SearchRequest(text="Tianjin"))
    assert seed["results"][0]["authors"] == ["Norvisi Mawunyegah"]
    store.close()


def test_zero_config_crawl(data_dir: Path, demo_server) -> None:
    proc = newsindex("crawl", "--start-url", f"{demo_server.base_url}/world/", "--json")
    summary = json_lines(proc.stdout)[-1]
    assert summary["items_indexed"] >= 30
    store = SQLiteBackend(data_dir / "newsindex.sqlite3")
    got = set(store.ids())
    assert expected_ids(demo_server.base_url) - got <= {article_id(demo_server.base_url + p) for p in EXPECTED_EXTRA}
    store.close()


def test_killed_run_resumes_without_loss_or_duplicates(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    with DemoServer(delay=0.15) as slow:
        sources = tmp_path / "slow-sources"
        sources.mkdir()
        (sources / "demo.yaml").write_text(source_yaml(slow.base_url), encoding="utf-8")
        monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(sources))
        proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "demo", "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        db = data_dir / "newsindex.sqlite3"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if db.exists():
                store = SQLiteBackend(db)
                n = store.count()
                store.close()
                if n >= 5:
                    break
            time.sleep(0.2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]
        store = SQLiteBackend(db)
        partial = store.count()
        store.close()
        assert 5 <= partial < len(expected_ids(slow.base_url))
        newsindex("crawl", "demo", "--json")
        store = SQLiteBackend(db)
        assert set(store.ids()) == expected_ids(slow.base_url)
        store.close()


def test_crawl_into_elasticsearch_and_search(es_url: str, es_index: str, data_dir: Path, demo_sources: Path,
                                             demo_server) -> None:
    env = {"NEWSINDEX_ES_URL": es_url, "NEWSINDEX_ES_INDEX": es_index}
    summary = json_lines(newsindex("crawl", "demo", "--json", env=env).stdout)[-1]
    assert summary["items_indexed"] == len(expected_ids(demo_server.base_url))
    res = json_lines(newsindex("search", "withdrawal", "--json", env=env).stdout)[-1]
    assert res["total"] >= 1
    assert res["results"][0]["authors"] == ["Norvisi Mawunyegah"]
    res = json_lines(newsindex("search", "--source", "demo", "--limit", "3", "--json", env=env).stdout)[-1]
    assert res["total"] == len(expected_ids(demo_server.base_url)) and len(res["results"]) == 3
