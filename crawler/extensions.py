"""RunRecorder: at the end of every spider run, write a run record with monitor results to the store.

The record is built from Scrapy's stats collector (extended with newsindex's own counters), so
nothing is computed twice. Failing monitors produce one log line and, when NEWSINDEX_ALERT_WEBHOOK is
set, exactly one webhook POST per run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler import config as runtime_config
from crawler import monitors
from crawler.pipelines import COVERAGE_FIELDS

logger = logging.getLogger(__name__)


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    return None


def build_record(stats: dict[str, Any], run_id: str, source: str, spider: str, reason: str) -> dict[str, Any]:
    """A run record from a Scrapy stats dict (pure)."""
    start, end = stats.get("start_time"), stats.get("finish_time") or dt.datetime.now(dt.UTC)
    by_status = {k.rsplit("/", 1)[-1]: v for k, v in stats.items() if k.startswith("downloader/response_status_count/")}
    exceptions = {k.split("/", 2)[-1]: v for k, v in stats.items()
                  if k.startswith("downloader/exception_type_count/")}
    dropped = {k.split("/", 3)[-1]: v for k, v in stats.items() if k.startswith("newsindex/items/dropped/")}
    dropped.update({f"response:{k.split('/', 2)[-1]}": v for k, v in stats.items()
                    if k.startswith("newsindex/dropped/")})
    n = stats.get("newsindex/coverage/items", 0)
    coverage = {f: round(stats.get(f"newsindex/coverage/{f}", 0) / n, 4) if n else 0.0 for f in COVERAGE_FIELDS}
    for key, value in stats.items():
        if key.startswith("newsindex/coverage/selector_") and n:
            coverage[key.rsplit("/", 1)[-1]] = round(value / n, 4)
    indexed = stats.get("newsindex/items/indexed", 0)
    spooled = stats.get("newsindex/items/spooled", 0)
    skipped_older = stats.get("newsindex/items/skipped_older", 0)
    stored = indexed + spooled + skipped_older
    already_seen = stats.get("newsindex/discovery/already_seen", 0)
    duration = (end - start).total_seconds() \
        if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) else None
    return {
        "run_id": run_id,
        "source": source,
        "spider": spider,
        "started_at": _iso(start),
        "finished_at": _iso(end),
        "duration_s": round(duration, 3) if duration is not None else None,
        "finish_reason": reason,
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "responses_by_status": by_status,
        "responses_error": sum(v for k, v in by_status.items() if k.isdigit() and int(k) >= 400),
        "exceptions": sum(exceptions.values()) + stats.get("spider_exceptions/count", 0)
        if "spider_exceptions/count" in stats else sum(exceptions.values()),
        "exceptions_by_type": exceptions,
        "bytes_downloaded": stats.get("downloader/response_bytes", 0),
        "items_scraped": stats.get("item_scraped_count", 0),
        "items_dropped": stats.get("newsindex/items/dropped", 0),
        "dropped_by_reason": dropped,
        "items_indexed": indexed,
        "items_rejected": stats.get("newsindex/items/rejected", 0),
        "items_spooled": spooled,
        "items_skipped_older": skipped_older,
        "items_stored": stored,
        "already_seen": already_seen,
        "articles_found": stored + already_seen,
        "duplicates": stats.get("newsindex/items/near_duplicates", 0) + dropped.get("duplicate_id", 0),
        "coverage": coverage,
        "mean_body_chars": round(stats.get("newsindex/coverage/body_chars", 0) / n, 1) if n else 0.0,
        "spool_documents": stats.get("newsindex/spool/documents", 0),
    }


def post_webhook(url: str, payload: dict[str, Any], timeout: float = 5.0, attempts: int = 3) -> bool:
    data = json.dumps(payload, default=str).encode("utf-8")
    for attempt in range(attempts):
        req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - URL from settings
                if 200 <= resp.status < 300:
                    return True
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.warning("alert webhook attempt %d failed: %s", attempt + 1, exc)
        time.sleep(0.5 * 2 ** attempt)
    return False


def monitor_settings(settings: Any) -> dict[str, Any]:
    """The monitor thresholds set globally (``NEWSINDEX_MONITOR_MIN_ITEMS = 5``; from the command line the
    text "5", "0.2" or "authors,published_at"); a wrong one is logged and its default kept."""
    out: dict[str, Any] = {}
    for name in monitors.DEFAULTS:
        key = f"NEWSINDEX_MONITOR_{name.upper()}"
        value = settings.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            text = value.strip()
            if name == "drift_fields":
                value = [f.strip() for f in text.split(",") if f.strip()]
            else:
                try:
                    value = int(text) if text.lstrip("-").isdigit() else float(text)
                except ValueError:
                    pass
        problem = monitors.threshold_problem(name, value)
        if problem:
            logger.error("setting %s: expected %s, got %r; the default %r is used", key, problem, value,
                         monitors.DEFAULTS[name])
        else:
            out[name] = value
    return out


class RunRecorder:
    def __init__(self, crawler) -> None:
        if not crawler.settings.getbool("NEWSINDEX_RUN_RECORDS", True):
            raise NotConfigured
        self.crawler = crawler
        self.cfg = runtime_config.load()
        self.webhook = crawler.settings.get("NEWSINDEX_ALERT_WEBHOOK") or self.cfg.webhook_url
        self.thresholds = monitor_settings(crawler.settings)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason: str) -> None:
        from indexer.backends import open_backend

        stats = self.crawler.stats
        source = getattr(spider, "source", None)
        source_id = source.id if source else spider.name
        record = build_record(stats.get_stats(), getattr(spider, "run_id", ""), source_id, spider.name, reason)
        try:
            backend = open_backend(self.cfg)
        except Exception as exc:  # noqa: BLE001 - the record still goes to the log and the fallback file
            backend = None
            logger.error("cannot open the store for the run record: %s", exc)
        history: list[dict[str, Any]] = []
        if backend is not None:
            try:
                history = backend.list_runs(source_id, 20)
            except Exception as exc:  # noqa: BLE001
                logger.warning("cannot read run history: %s", exc)
        overrides = {**self.thresholds, **(dict(source.monitors) if source else {})}
        checks = monitors.evaluate(record, history, overrides)
        failed = [c for c in checks if not c["passed"]]
        record["monitors"] = checks
        record["monitor_status"] = "failed" if failed else "passed"
        stats.set_value("newsindex/monitors/failed", len(failed))
        for c in failed:
            logger.error("MONITOR FAILED source=%s check=%s observed=%s threshold=%s run=%s", source_id,
                         c["name"], c["observed"], c["threshold"], record["run_id"])
        written = False
        if backend is not None:
            try:
                backend.write_run(record)
                written = True
            except Exception as exc:  # noqa: BLE001
                logger.error("cannot write the run record to the store: %s", exc)
            finally:
                backend.close()
        if not written:
            self.cfg.data_dir.mkdir(parents=True, exist_ok=True)
            with (self.cfg.data_dir / "runs-unwritten.jsonl").open("a", encoding="utf-8") as f:
                f.write(json.dumps(record, default=str) + "\n")
        logger.info("run record %s: %s items stored, monitors %s", record["run_id"], record["items_stored"],
                    record["monitor_status"])
        if failed and self.webhook:
            post_webhook(self.webhook, {"event": "monitor_failed", "source": source_id, "run_id": record["run_id"],
                                        "failed": failed, "finish_reason": reason})
