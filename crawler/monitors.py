"""Monitors: small declarative checks evaluated on a finished run's record.

Each check has a name, a threshold (defaults below, overridden globally with the
``NEWSINDEX_MONITOR_<NAME>`` Scrapy settings, e.g. ``NEWSINDEX_MONITOR_MIN_ITEMS``, and per source under
``monitors:`` in its YAML; :func:`threshold_problem` says what a wrong value should have been) and returns
``{"name", "passed", "observed", "threshold"}``.

- ``min_items``           articles found (stored in this run + already seen before) >= threshold
- ``max_error_ratio``     (responses >= 400 + download exceptions) / requests <= threshold
- ``finish_reason``       the run must finish with reason ``finished``
- ``min_coverage_<field>`` share of items with the field (title, body, authors, published_at,
                          language, section) >= threshold
- ``max_drop_ratio``      dropped items / (dropped + passed) <= threshold
- ``drift_items`` / ``drift_<field>``: the value must not fall below ``drift_ratio`` x the median of
                          the source's last ``drift_runs`` successful runs (needs >= 1 earlier run);
                          ``drift_selector_<name>`` does the same for the share of items where the
                          source's own selector still matched (a redesign often breaks these first,
                          even while the generic layers keep the field filled)
"""

from __future__ import annotations

import math
import statistics
from typing import Any, TypeGuard

DEFAULTS: dict[str, Any] = {
    "min_items": 1,
    "max_error_ratio": 0.5,
    "max_drop_ratio": 0.5,
    "min_coverage_title": 0.9,
    "min_coverage_body": 0.9,
    "min_coverage_authors": 0.0,
    "min_coverage_published_at": 0.5,
    "min_coverage_language": 0.5,
    "min_coverage_section": 0.0,
    "drift_ratio": 0.5,
    "drift_runs": 5,
    "drift_fields": ["authors", "published_at", "body", "title"],
}


def is_number(value: object) -> TypeGuard[float]:
    """An int or float that is finite (not a bool, not .nan or .inf as YAML writes them)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def threshold_problem(name: object, value: object) -> str | None:
    """What a threshold ``name`` expects when ``value`` is not that, None when it is fine."""
    if name not in DEFAULTS:
        return f"one of the monitor thresholds {sorted(DEFAULTS)}"
    if name == "drift_fields":
        ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
        return None if ok else "a list of coverage field names such as [authors, published_at]"
    if not is_number(value):
        return "a number"
    if name in ("min_items", "drift_runs"):
        least = 0 if name == "min_items" else 1
        return None if value == int(value) and value >= least else f"a whole number >= {least}"
    return None if 0 <= value <= 1 else "a ratio from 0 to 1"


def _found(record: dict[str, Any]) -> int:
    """Articles a run found: stored now + already seen (records written before that field: stored)."""
    return int(record.get("articles_found", record.get("items_stored", 0)))


def _check(name: str, passed: bool, observed: Any, threshold: Any) -> dict[str, Any]:
    return {"name": name, "passed": bool(passed), "observed": observed, "threshold": threshold}


def evaluate(record: dict[str, Any], history: list[dict[str, Any]], overrides: dict[str, Any] | None = None
             ) -> list[dict[str, Any]]:
    """Run every check on ``record``; ``history`` is the source's earlier runs, newest first."""
    t = dict(DEFAULTS)
    t.update(overrides or {})
    checks = []
    items = _found(record)
    checks.append(_check("min_items", items >= t["min_items"], items, t["min_items"]))
    requests = max(1, record.get("requests", 0))
    errors = record.get("responses_error", 0) + record.get("exceptions", 0)
    ratio = round(errors / requests, 4)
    checks.append(_check("max_error_ratio", ratio <= t["max_error_ratio"], ratio, t["max_error_ratio"]))
    reason = record.get("finish_reason")
    checks.append(_check("finish_reason", reason == "finished", reason, "finished"))
    coverage = record.get("coverage", {})
    if record.get("items_scraped", 0):
        for field in ("title", "body", "authors", "published_at", "language", "section"):
            key = f"min_coverage_{field}"
            th = float(t.get(key, 0.0))
            if th > 0:
                obs = coverage.get(field, 0.0)
                checks.append(_check(key, obs >= th, obs, th))
    dropped, passed = record.get("items_dropped", 0), record.get("items_scraped", 0)
    drop_ratio = round(dropped / (dropped + passed), 4) if dropped + passed else 0.0
    checks.append(_check("max_drop_ratio", drop_ratio <= t["max_drop_ratio"], drop_ratio, t["max_drop_ratio"]))
    good = [r for r in history if r.get("finish_reason") == "finished"
            and _found(r) > 0
            and r.get("run_id") != record.get("run_id")][: int(t["drift_runs"])]
    ratio_th = float(t["drift_ratio"])
    if good:
        base_items = statistics.median(_found(r) for r in good)
        floor = round(base_items * ratio_th, 4)
        checks.append(_check("drift_items", items >= floor, items, floor))
    with_items = [r for r in good if r.get("items_scraped", 0) > 0]
    if with_items and record.get("items_scraped", 0) > 0:
        good = with_items
        selector_fields = sorted({k for r in good for k in r.get("coverage", {}) if k.startswith("selector_")})
        for field in list(t["drift_fields"]) + selector_fields:
            base = statistics.median(r.get("coverage", {}).get(field, 0.0) for r in good)
            floor = round(base * ratio_th, 4)
            obs = coverage.get(field, 0.0)
            checks.append(_check(f"drift_{field}", obs >= floor, obs, floor))
    return checks
