"""The background batch writer: every batch written, bounded backlog, failures counted, never raised."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from indexer.writer import BatchWriter


def test_every_batch_is_written_and_close_waits_for_all() -> None:
    written: list[int] = []
    lock = threading.Lock()

    def write(docs: list[dict[str, Any]]) -> None:
        with lock:
            written.extend(d["n"] for d in docs)

    writer = BatchWriter(write, concurrency=2)
    for i in range(0, 1000, 10):
        writer.submit([{"n": n} for n in range(i, i + 10)])
    writer.close()
    assert sorted(written) == list(range(1000)) and writer.errors == 0


def test_backlog_is_bounded_so_a_slow_store_slows_the_caller() -> None:
    gate = threading.Event()
    running = threading.Semaphore(0)

    def write(docs: list[dict[str, Any]]) -> None:
        running.release()
        gate.wait(10)

    writer = BatchWriter(write, concurrency=1, max_pending=2)
    writer.submit([{}])
    writer.submit([{}])
    assert running.acquire(timeout=5)
    third = threading.Thread(target=writer.submit, args=([{}],))
    third.start()
    third.join(0.3)
    assert third.is_alive()  # two batches pending: the third waits
    gate.set()
    third.join(5)
    assert not third.is_alive()
    writer.close()


def test_a_failing_write_is_counted_and_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    def write(docs: list[dict[str, Any]]) -> None:
        if docs[0].get("bad"):
            raise OSError("disk full")

    writer = BatchWriter(write)
    writer.submit([{"bad": True}])
    writer.submit([{"bad": False}])
    writer.close()
    assert writer.errors == 1
    assert "background batch write failed" in caplog.text
