"""`newsindex schedule`: run each source on its cron schedule, in separate processes.

- croniter computes each source's next run; a little jitter (up to 10% of the interval, at most 30 s)
  spreads sources that share a schedule;
- a source never runs twice at once: the crawl process holds the source's flock (crawler/locks.py);
- at most ``--concurrency`` crawls run at once; each start/stop is logged;
- SIGTERM/SIGINT: no new runs; running crawls get SIGTERM (Scrapy closes gracefully: the pipelines
  flush to the store or the spool) and are waited for;
- Prometheus metrics on 127.0.0.1:<port>/metrics and a /healthz mirroring `newsindex health`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from croniter import croniter
from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from crawler import config as runtime_config
from crawler.locks import SourceLock
from crawler.sources import Source, load_all

logger = logging.getLogger("newsindex.scheduler")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.runs = Counter("newsindex_runs", "Crawl runs by source and outcome", ["source", "outcome"], registry=r)
        self.scraped = Counter("newsindex_items_scraped", "Articles extracted", ["source"], registry=r)
        self.indexed = Counter("newsindex_items_indexed", "Articles indexed", ["source"], registry=r)
        self.dropped = Counter("newsindex_items_dropped", "Items and responses dropped", ["source"], registry=r)
        self.spooled = Counter("newsindex_items_spooled", "Articles spooled (store unavailable)", ["source"],
                               registry=r)
        self.monitor_failures = Counter("newsindex_monitor_failures", "Failing monitor checks", ["source"], registry=r)
        self.last_success = Gauge("newsindex_last_success_timestamp_seconds", "End of the last successful run",
                                  ["source"], registry=r)
        self.running = Gauge("newsindex_running_crawls", "Crawls running now", registry=r)
        self.spool_docs = Gauge("newsindex_spool_documents", "Documents waiting in the spool", registry=r)

    def record(self, source: str, rc: int, summary: dict[str, Any] | None) -> None:
        outcome = "success" if rc == 0 else ("monitor_failed" if rc == 1 and summary else
                                             "skipped_locked" if rc == 75 else "error")
        self.runs.labels(source, outcome).inc()
        if summary:
            self.scraped.labels(source).inc(summary.get("items_extracted", 0))
            self.indexed.labels(source).inc(summary.get("items_indexed", 0))
            self.dropped.labels(source).inc(sum(summary.get("dropped", {}).values()))
            self.spooled.labels(source).inc(summary.get("items_spooled", 0))
            self.monitor_failures.labels(source).inc(summary.get("monitors_failed", 0))
        if outcome == "success":
            self.last_success.labels(source).set(time.time())


def _serve(metrics: Metrics, port: int) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/metrics"):
                from indexer.spool import Spool

                metrics.spool_docs.set(Spool(runtime_config.load().spool_dir).size()[0])
                body, ctype, status = generate_latest(metrics.registry), CONTENT_TYPE_LATEST, 200
            elif self.path.startswith("/healthz"):
                from crawler.ops import health

                report = health()
                body = json.dumps(report, default=str).encode()
                ctype = "application/json"
                status = {"healthy": 200, "degraded": 200}.get(report["status"], 503)
            else:
                body, ctype, status = b"not found\n", "text/plain", 404
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def next_run(schedule: str, after: dt.datetime, rng: random.Random) -> dt.datetime:
    it = croniter(schedule, after)
    first = it.get_next(dt.datetime)
    interval = (it.get_next(dt.datetime) - first).total_seconds()
    return first + dt.timedelta(seconds=rng.uniform(0, min(30.0, interval * 0.1)))


def run_scheduler(source_ids: list[str], concurrency: int, port: int, once_for: float | None = None) -> int:
    cfg = runtime_config.load()
    found, errors = load_all(cfg.sources_dir)
    for err in errors:
        logger.error("skipping broken source file: %s", err)
    sources: dict[str, Source] = {sid: s for sid, s in found.items()
                                  if (sid in source_ids if source_ids else True) and s.schedule}
    missing = [s for s in source_ids if s not in sources]
    if missing:
        print(f"newsindex schedule: no schedulable source named {', '.join(missing)}", file=sys.stderr)
        return 2
    if not sources:
        print("newsindex schedule: no source has a schedule", file=sys.stderr)
        return 2
    metrics = Metrics()
    server = _serve(metrics, port)
    print(f"scheduler: {len(sources)} sources, concurrency {concurrency}, metrics on "
          f"http://127.0.0.1:{server.server_address[1]}/metrics", flush=True)
    rng = random.Random()
    now = dt.datetime.now(dt.UTC)
    due = {sid: next_run(s.schedule or "", now, rng) for sid, s in sources.items()}
    running: dict[str, subprocess.Popen] = {}
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        logger.warning("signal %d: stopping after the running crawls finish", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    deadline = time.monotonic() + once_for if once_for else None

    def reap() -> None:
        for sid, proc in list(running.items()):
            rc = proc.poll()
            if rc is None:
                continue
            out = proc.stdout.read() if proc.stdout else ""
            summary = None
            for line in (out or "").splitlines():
                try:
                    summary = json.loads(line)
                except ValueError:
                    continue
            metrics.record(sid, rc, summary)
            logger.warning("finished %s (exit %d)", sid, rc)
            print(f"finished {sid} exit={rc}", flush=True)
            del running[sid]
        metrics.running.set(len(running))

    while not stop.is_set():
        if deadline and time.monotonic() > deadline:
            stop.set()
            break
        reap()
        now = dt.datetime.now(dt.UTC)
        for sid in sorted(due, key=lambda s: due[s]):
            if due[sid] > now or len(running) >= concurrency:
                continue
            if sid in running or SourceLock(cfg.state_dir, sid).held_elsewhere():
                logger.warning("skipping %s: still running", sid)
                print(f"skipped {sid}: still running", flush=True)
                metrics.runs.labels(sid, "skipped_running").inc()
            else:
                proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", sid, "--json"],
                                        stdout=subprocess.PIPE, stderr=None, text=True)
                running[sid] = proc
                print(f"started {sid} pid={proc.pid}", flush=True)
                logger.warning("started %s (pid %d)", sid, proc.pid)
            due[sid] = next_run(sources[sid].schedule or "", now, rng)
        metrics.running.set(len(running))
        stop.wait(0.5)
    for proc in running.values():
        proc.send_signal(signal.SIGTERM)
    for proc in list(running.values()):
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    reap()
    server.shutdown()
    print("scheduler stopped", flush=True)
    return 0
