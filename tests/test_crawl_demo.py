"""Crawling the bundled demo site with the real spider, pipelines and stores (subprocesses, real HTTP)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from crawler.article import article_id
from crawler.demo_site.site import DemoServer, build_articles, render_article, source_yaml, write_response
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
    # served as Latin-1 under <meta charset=utf-8>: decoded as what the bytes are, not as replacement marks
    latin1 = store.search(__import__("indexer.base", fromlist=["SearchRequest"]).SearchRequest(text="façades"))
    assert latin1["results"][0]["title"] == "Café owners in Zürich protest new rules"
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
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                if db.exists():
                    store = SQLiteBackend(db)
                    n = store.count()
                    store.close()
                    if n >= 5:
                        break
                time.sleep(0.2)
        finally:  # the crawl is killed whatever happened above: no process outlives the test
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


class _Throttling:
    """A real HTTP server: one article that answers 429 + Retry-After the first time it is asked
    (``wait`` > 0), behind a robots.txt of our choosing."""

    def __init__(self, wait: int, robots: str = "User-agent: *\nDisallow:\n") -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        art = build_articles()[1]
        self.path, self.hits, state = art.path, [], self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                host = self.headers.get("Host", "")
                status, headers, body = 200, {"Content-Type": "text/html; charset=utf-8"}, b""
                if self.path == "/robots.txt":
                    headers["Content-Type"], body = "text/plain", robots.encode()
                elif self.path == "/world/":
                    body = f'<html><body><h1>World</h1><a href="{state.path}">story</a></body></html>'.encode()
                elif self.path == state.path:
                    state.hits.append(time.monotonic())
                    if len(state.hits) == 1 and wait:
                        status, headers["Retry-After"], body = 429, str(wait), b"slow down"
                    else:
                        body = render_article(art, host).encode()
                else:
                    status, body = 404, b"no"
                write_response(self, status, headers, body)

            def log_message(self, *a: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_retry_after_is_honored_then_the_article_is_indexed(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    server = _Throttling(wait=3)
    try:
        sources = tmp_path / "throttled"
        sources.mkdir()
        (sources / "throttled.yaml").write_text(
            f"name: Throttled\nallowed_domains: [127.0.0.1]\nstart_urls: ['{server.base_url}/world/']\n"
            "article_url_patterns:\n  allow: ['/world/\\d{4}/']\npoliteness:\n  download_delay: 0\n",
            encoding="utf-8")
        monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(sources))
        summary = json_lines(newsindex("crawl", "throttled", "--json").stdout)[-1]
    finally:
        server.close()
    assert len(server.hits) == 2, server.hits
    assert server.hits[1] - server.hits[0] >= 2.5  # waited for Retry-After (3 s), not Scrapy's immediate retry
    assert summary["items_indexed"] == 1
    assert summary["retry_after_honored"] == 1


def _crawl_one(server: _Throttling, tmp_path: Path, monkeypatch, politeness: str, check: bool = True) -> dict:
    sources = tmp_path / "one"
    sources.mkdir(exist_ok=True)
    (sources / "one.yaml").write_text(
        f"name: One\nallowed_domains: [127.0.0.1]\nstart_urls: ['{server.base_url}/world/']\n"
        f"article_url_patterns:\n  allow: ['/world/\\d{{4}}/']\npoliteness:\n  download_delay: 0\n{politeness}",
        encoding="utf-8")
    monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(sources))
    return json_lines(newsindex("crawl", "one", "--json", "--recrawl", check=check).stdout)[-1]


def test_robots_txt_is_obeyed_unless_the_source_says_otherwise(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    server = _Throttling(wait=0, robots="User-agent: *\nDisallow: /world/2021/\n")
    try:
        obeyed = _crawl_one(server, tmp_path, monkeypatch, "", check=False)  # exits 1: min_items monitor
        assert server.hits == [] and obeyed["items_indexed"] == 0
        assert obeyed["dropped"].get("robots_txt") == 1
        ignored = _crawl_one(server, tmp_path, monkeypatch, "  obey_robots_txt: false\n")
        assert len(server.hits) == 1 and ignored["items_indexed"] == 1
    finally:
        server.close()


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_extraction_worker_exits_when_the_crawl_is_killed(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    code = WORKER_CRAWL.replace('"NEWSINDEX_EXTRACTION_WORKERS_AFTER": 3', '"NEWSINDEX_EXTRACTION_WORKERS_AFTER": 1')
    with DemoServer(delay=0.3) as slow:
        sources = tmp_path / "slow-sources"
        sources.mkdir()
        (sources / "demo.yaml").write_text(source_yaml(slow.base_url), encoding="utf-8")
        monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(sources))
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline, kids = time.monotonic() + 90, []
            while time.monotonic() < deadline and not kids:
                kids = [k for k in _children(proc.pid)
                        if b"spawn_main" in (Path("/proc") / str(k) / "cmdline").read_bytes()]
                time.sleep(0.2)
            assert kids, "no extraction worker started"
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and any(_alive(k) for k in kids):
                time.sleep(0.2)
            assert not any(_alive(k) for k in kids), "extraction worker outlived the killed crawl"
        finally:
            if proc.poll() is None:
                proc.kill()


TIMEOUT_CRAWL = """
import json, sys
from crawler.runner import run_crawls
stats = run_crawls([{"source": "hostile"}], {"NEWSINDEX_EXTRACTION_WORKERS": 1, "NEWSINDEX_EXTRACTION_WORKERS_AFTER": 0,
                                             "NEWSINDEX_EXTRACTION_TIMEOUT": 2, "LOG_LEVEL": "ERROR"})[0]
print(json.dumps({k: v for k, v in stats.items() if k.startswith("newsindex/")}))
"""


def test_a_page_that_takes_too_long_to_extract_is_dropped_and_the_workers_restart(data_dir: Path, tmp_path: Path,
                                                                                  monkeypatch) -> None:
    # libxml2 checks each attribute of a tag against all the others: one <div> with 60,000 attributes takes
    # it about half a minute (minutes for larger ones); the pages around it are extracted as usual
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    arts = build_articles()[1:4]
    flood = "<div " + " ".join(f'a{i}="x"' for i in range(60_000)) + ">x</div>"
    hostile = f"<html><body><h1>A headline of the story</h1>{flood}<p>{'Words of the story. ' * 60}</p></body></html>"
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path)
            if body is None:
                write_response(self, 404, {"Content-Type": "text/plain"}, b"")
            else:
                write_response(self, 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode("utf-8"))

        def log_message(self, *a: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    Thread(target=httpd.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{httpd.server_address[1]}"
    base = f"http://{host}"
    links = [a.path for a in arts[:1]] + ["/world/2021/07/30/hostile-story"] + [a.path for a in arts[1:]]
    pages["/world/"] = "<html><body>" + "".join(f'<a href="{p}">Story {p}</a>' for p in links) + "</body></html>"
    pages["/world/2021/07/30/hostile-story"] = hostile
    for a in arts:
        pages[a.path] = render_article(a, host)
    sources = tmp_path / "hostile-sources"
    sources.mkdir()
    (sources / "hostile.yaml").write_text(
        f"name: Hostile\nallowed_domains: ['127.0.0.1']\nstart_urls: ['{base}/world/']\n"
        "article_url_patterns:\n  allow: ['/world/\\d{4}/']\npoliteness:\n  obey_robots_txt: false\n",
        encoding="utf-8")
    monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(sources))
    try:
        proc = subprocess.run([sys.executable, "-c", TIMEOUT_CRAWL], capture_output=True, text=True, timeout=300)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json_lines(proc.stdout)[-1]
    assert stats["newsindex/items/dropped/extraction_timeout"] == 1
    assert stats["newsindex/extraction_workers/restarted"] == 1
    assert "newsindex/extraction_workers/broken" not in stats
    store = SQLiteBackend(data_dir / "newsindex.sqlite3")
    assert set(store.ids("hostile")) == {article_id(base + a.path) for a in arts}
    store.close()
