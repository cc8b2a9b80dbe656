"""Deliver documents to a backend: rejections to the dead-letter file, the undeliverable back to the caller."""

from __future__ import annotations

import logging
from typing import Any

from crawler.exceptions import BackendUnavailable
from indexer.base import Backend
from indexer.spool import DeadLetters

logger = logging.getLogger(__name__)


def deliver(backend: Backend, docs: list[dict[str, Any]], dead: DeadLetters, stats: Any = None) -> list[dict[str, Any]]:
    """Index ``docs``; returns the documents that could not be delivered (store unavailable)."""
    try:
        report = backend.upsert(docs)
    except BackendUnavailable as exc:
        logger.warning("store unavailable: %s", exc)
        if stats is not None:
            stats.inc_value("newsindex/index/unavailable")
        return docs
    for doc, reason in report.rejected:
        dead.write(doc, reason)
        logger.warning("rejected by the store (dead-lettered): %s: %s", doc.get("url"), reason)
    if stats is not None:
        stats.inc_value("newsindex/items/indexed", report.indexed)
        stats.inc_value("newsindex/items/rejected", len(report.rejected))
        stats.inc_value("newsindex/items/skipped_older", report.skipped_older)
    return []
