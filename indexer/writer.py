"""Background batch writing: the crawl hands a batch over and goes on while the store indexes it.

A :class:`BatchWriter` runs a write function on up to ``concurrency`` batches at once in its own
threads, so the store always has the next batch while it finishes the last one (no idle gap between
flushes) and the crawl's event loop never waits on it. At most ``max_pending`` batches wait or run:
past that, :meth:`submit` blocks until the oldest is done, so a slow store slows the crawl instead of
filling memory. Batches may finish out of order; article versions (newer wins) make that harmless.
The write function owns its errors: one that raises is logged and counted by :meth:`errors`, and
:meth:`close` waits for every batch.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)

WRITE_CONCURRENCY = 2  # batches indexed at once (each with its own bulk requests in flight)


class BatchWriter:
    def __init__(self, write: Callable[[list[dict[str, Any]]], object], concurrency: int = WRITE_CONCURRENCY,
                 max_pending: int = 4) -> None:
        self._write = write
        self._pool = ThreadPoolExecutor(max(1, concurrency), thread_name_prefix="newsindex-writer")
        self._pending: deque[Future[object]] = deque()
        self._max_pending = max(1, max_pending)
        self._lock = threading.Lock()
        self._errors = 0

    def submit(self, docs: list[dict[str, Any]]) -> None:
        while True:
            with self._lock:
                while self._pending and self._pending[0].done():
                    self._settle(self._pending.popleft())
                if len(self._pending) < self._max_pending:
                    self._pending.append(self._pool.submit(self._write, docs))
                    return
                oldest = self._pending.popleft()
            self._settle(oldest)  # blocks: the store is the bottleneck, so the crawl waits for it

    def _settle(self, fut: Future[object]) -> None:
        try:
            fut.result()
        except Exception:  # noqa: BLE001 - the write function should catch its own; never lose the crawl to it
            self._errors += 1
            logger.exception("a background batch write failed")

    def drain(self) -> None:
        """Wait until every batch handed over so far is written."""
        while True:
            with self._lock:
                if not self._pending:
                    return
                fut = self._pending.popleft()
            self._settle(fut)

    @property
    def errors(self) -> int:
        return self._errors

    def close(self) -> None:
        self.drain()
        self._pool.shutdown(wait=True)
