"""Operations views: `newsindex stats` (run history) and `newsindex health` (exit 0/1/2)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from crawler.config import Config
from crawler.config import load as load_config


def print_stats(source: str | None, last: int, as_json: bool) -> int:
    from indexer.backends import open_backend

    backend = open_backend(load_config())
    try:
        runs = backend.list_runs(source, last)
    finally:
        backend.close()
    if as_json:
        print(json.dumps(runs, ensure_ascii=False, default=str))
        return 0
    head = f"{'source':<20} {'started':<20} {'dur_s':>7} {'items':>6} {'indexed':>7} {'errors':>6} " \
           f"{'authors':>7} {'dates':>6} monitors"
    print(head)
    print("-" * len(head))
    for r in runs:
        cov = r.get("coverage", {})
        print(f"{str(r.get('source'))[:20]:<20} {str(r.get('started_at'))[:19]:<20} {r.get('duration_s') or 0:>7.1f} "
              f"{r.get('items_scraped', 0):>6} {r.get('items_indexed', 0):>7} "
              f"{r.get('responses_error', 0) + r.get('exceptions', 0):>6} {cov.get('authors', 0):>7.2f} "
              f"{cov.get('published_at', 0):>6.2f} {r.get('monitor_status', '-')}")
    return 0


def _age_limit_s(schedule: str | None, now: dt.datetime) -> float | None:
    """How old the last successful run may be: twice the schedule's interval (plus 10 minutes)."""
    if not schedule:
        return None
    from croniter import croniter

    it = croniter(schedule, now)
    a = it.get_next(dt.datetime)
    b = it.get_next(dt.datetime)
    return 2 * (b - a).total_seconds() + 600


def _failing(source: str, run: dict[str, Any]) -> dict[str, Any]:
    return {"source": source, "run_id": run.get("run_id"),
            "checks": [c["name"] for c in run.get("monitors", []) if not c["passed"]]}


def health(cfg: Config | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """healthy: store up, nothing stale, failing or waiting; degraded: any of those; down: no store."""
    from crawler.sources import load_all
    from indexer.backends import open_backend
    from indexer.spool import DeadLetters, Spool

    cfg = cfg or load_config()
    now = now or dt.datetime.now(dt.UTC)
    report: dict[str, Any] = {"backend": cfg.backend}
    spool_docs, spool_bytes = Spool(cfg.spool_dir).size()
    report["spool"] = {"documents": spool_docs, "bytes": spool_bytes}
    report["dead_letters"] = DeadLetters(cfg.dead_letter_path).count()
    problems: list[str] = []
    try:
        backend = open_backend(cfg)
        reachable = backend.ping()
    except Exception as exc:  # noqa: BLE001 - health never crashes
        backend, reachable = None, False
        report["backend_error"] = str(exc)[:300]
    report["backend_reachable"] = reachable
    if not reachable:
        report["status"] = "down"
        problems.append("store unreachable")
        report["problems"] = problems
        return report
    assert backend is not None
    sources, errors = load_all(cfg.sources_dir)
    report["source_file_errors"] = [str(e) for e in errors]
    freshness: dict[str, dict[str, Any]] = {}
    failing: list[dict[str, Any]] = []
    try:
        runs = backend.list_runs(None, 500)
    except Exception:  # noqa: BLE001
        runs = []
    finally:
        backend.close()
    by_source: dict[str, list[dict[str, Any]]] = {}
    for r in runs:
        by_source.setdefault(str(r.get("source")), []).append(r)
    for sid, src in sorted(sources.items()):
        history = by_source.get(sid, [])
        if history and history[0].get("monitor_status") == "failed":
            failing.append(_failing(sid, history[0]))
        limit = _age_limit_s(src.schedule, now)
        if limit is None:
            continue
        if not history:
            freshness[sid] = {"last_success": None, "never_run": True, "stale": False}
            continue
        ok = [r for r in history if r.get("finish_reason") == "finished" and r.get("monitor_status") != "failed"]
        if not ok:
            freshness[sid] = {"last_success": None, "stale": True}
            continue
        last = dt.datetime.fromisoformat(str(ok[0].get("finished_at") or ok[0].get("started_at")))
        age = (now - last).total_seconds()
        freshness[sid] = {"last_success": last.isoformat(), "age_s": round(age), "max_age_s": round(limit),
                          "stale": age > limit}
    for sid, history in by_source.items():
        if sid not in sources and history and history[0].get("monitor_status") == "failed":
            failing.append(_failing(sid, history[0]))
    report["sources"] = freshness
    report["failing_monitors"] = failing
    if spool_docs:
        problems.append(f"{spool_docs} documents waiting in the spool")
    if failing:
        problems.append(f"{len(failing)} sources with failing monitors")
    stale = [s for s, f in freshness.items() if f.get("stale")]
    if stale:
        problems.append(f"stale sources: {', '.join(stale)}")
    report["problems"] = problems
    report["status"] = "degraded" if problems else "healthy"
    return report
