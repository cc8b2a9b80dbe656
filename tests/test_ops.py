"""Run records, monitors with drift and a webhook, health exit codes, scheduler and metrics - all with
real processes, the real demo site and real stores."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.demo_site.site import source_yaml
from crawler.monitors import evaluate
from indexer.sqlite_backend import SQLiteBackend
from tests.helpers import json_lines, newsindex


class Receiver:
    """A local webhook receiver recording every POSTed JSON body."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                n = int(self.headers.get("Content-Length", 0))
                receiver.bodies.append(json.loads(self.rfile.read(n)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *a: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/alerts"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_run_record_counts(data_dir: Path, demo_sources: Path, demo_server) -> None:
    summary = json_lines(newsindex("crawl", "demo", "--json").stdout)[-1]
    store = SQLiteBackend(data_dir / "newsindex.sqlite3")
    runs = store.list_runs("demo")
    store.close()
    assert len(runs) == 1
    r = runs[0]
    assert r["finish_reason"] == "finished" and r["monitor_status"] == "passed"
    assert r["items_indexed"] == summary["items_indexed"] == 34
    assert r["items_scraped"] == 34 and r["items_rejected"] == 0 and r["items_spooled"] == 0
    assert r["responses_by_status"]["404"] >= 1
    assert r["dropped_by_reason"]["response:http_404"] >= 1
    assert r["coverage"]["title"] == 1.0 and r["coverage"]["authors"] > 0.9
    assert r["coverage"]["published_at"] == 1.0
    assert r["mean_body_chars"] > 300
    assert r["requests"] >= r["responses"] > 34
    assert {c["name"] for c in r["monitors"]} >= {"min_items", "max_error_ratio", "finish_reason", "max_drop_ratio"}


def test_broken_selector_fails_drift_once_with_one_alert(data_dir: Path, tmp_path: Path, demo_server,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = Receiver()
    try:
        sources = tmp_path / "sources"
        sources.mkdir()
        yaml_text = source_yaml(demo_server.base_url)
        (sources / "demo.yaml").write_text(yaml_text + "selectors:\n  byline: '.byline, .meta, strong'\n",
                                           encoding="utf-8")
        monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(sources))
        env = {"NEWSINDEX_ALERT_WEBHOOK": receiver.url}
        first = newsindex("crawl", "demo", "--json", env=env)
        assert first.returncode == 0 and receiver.bodies == []
        # the site "redesigns": the byline selector now points nowhere and authors vanish
        broken = yaml_text + "selectors:\n  byline: '.no-such-byline'\n"
        (sources / "demo.yaml").write_text(broken, encoding="utf-8")
        second = newsindex("crawl", "demo", "--recrawl", "--json", env=env, check=False)
        assert second.returncode == 1, second.stderr
        time.sleep(0.5)
        assert len(receiver.bodies) == 1
        alert = receiver.bodies[0]
        assert alert["source"] == "demo" and "drift_selector_byline" in {c["name"] for c in alert["failed"]}
        assert "MONITOR FAILED source=demo check=drift_selector_byline" in second.stderr
        health = newsindex("health", "--json", check=False)
        assert health.returncode == 1
        assert json_lines(health.stdout)[-1]["failing_monitors"][0]["source"] == "demo"
    finally:
        receiver.close()


def test_monitor_checks_are_declarative() -> None:
    base = {"run_id": "r", "finish_reason": "finished", "requests": 10, "responses_error": 1, "exceptions": 0,
            "articles_found": 10, "items_scraped": 10, "items_dropped": 0,
            "coverage": {"title": 1.0, "body": 1.0, "authors": 0.05, "published_at": 1.0, "language": 1.0}}
    history = [dict(base, run_id=f"h{i}", coverage=dict(base["coverage"], authors=0.92)) for i in range(3)]
    checks = {c["name"]: c for c in evaluate(base, history)}
    assert not checks["drift_authors"]["passed"] and checks["drift_authors"]["threshold"] == 0.46
    assert checks["min_items"]["passed"] and checks["finish_reason"]["passed"]
    assert not {c["name"]: c for c in evaluate(dict(base, finish_reason="shutdown"), [])}["finish_reason"]["passed"]
    over = {c["name"]: c for c in evaluate(base, [], {"min_items": 50})}
    assert not over["min_items"]["passed"] and over["min_items"]["threshold"] == 50


def test_health_exit_codes(data_dir: Path, tmp_path: Path) -> None:
    healthy = newsindex("health", "--json", check=False)
    assert healthy.returncode == 0, healthy.stdout
    from indexer.spool import Spool

    Spool(data_dir / "spool").append([{"id": "x", "url": "http://x/"}])
    degraded = newsindex("health", "--json", check=False)
    assert degraded.returncode == 1
    assert json_lines(degraded.stdout)[-1]["spool"]["documents"] == 1
    down = newsindex("health", "--json", env={"NEWSINDEX_ES_URL": "http://127.0.0.1:9"}, check=False)
    assert down.returncode == 2
    assert json_lines(down.stdout)[-1]["status"] == "down"


def _metrics(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
        return resp.read().decode()


def test_scheduler_runs_two_sources_without_overlap_and_stops_cleanly(data_dir: Path, tmp_path: Path, demo_server,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    sources = tmp_path / "sources"
    sources.mkdir()
    for sid in ("alpha", "beta"):
        text = source_yaml(demo_server.base_url).replace('schedule: "*/30 * * * *"', 'schedule: "* * * * * */5"')
        (sources / f"{sid}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("NEWSINDEX_SOURCES_DIR", str(sources))
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "schedule", "alpha", "beta", "--concurrency", "2",
                             "--metrics-port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 150
        text = ""
        while time.monotonic() < deadline:
            time.sleep(2)
            try:
                text = _metrics(port)
            except OSError:
                continue
            if 'newsindex_runs_total{outcome="success",source="alpha"}' in text and \
                    'newsindex_runs_total{outcome="success",source="beta"}' in text:
                break
        families = {f.name: f for f in text_string_to_metric_families(text)}
        for name in ("newsindex_runs", "newsindex_items_scraped", "newsindex_items_indexed", "newsindex_items_dropped",
                     "newsindex_last_success_timestamp_seconds", "newsindex_spool_documents",
                     "newsindex_monitor_failures"):
            assert name in families, name
        indexed = {s.labels["source"]: s.value for s in families["newsindex_items_indexed"].samples
                   if s.name.endswith("_total")}
        assert indexed.get("alpha", 0) > 0 and indexed.get("beta", 0) > 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as resp:
            assert json.loads(resp.read())["backend_reachable"] is True
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert "scheduler stopped" in out
    # never two crawls of one source at once: every start of a source follows its previous finish
    for sid in ("alpha", "beta"):
        events = [ln.split()[0] for ln in out.splitlines() if ln.split()[1:2] == [sid]]
        running = 0
        for ev in events:
            running += {"started": 1, "finished": -1}.get(ev, 0)
            assert running in (0, 1), out
        assert running == 0, out
    store = SQLiteBackend(data_dir / "newsindex.sqlite3")
    assert store.count() == 34  # both sources crawl the same site: one document per article
    runs = store.list_runs(None, 100)
    store.close()
    assert {r["source"] for r in runs} == {"alpha", "beta"}
