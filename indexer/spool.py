"""Durable on-disk spool and dead-letter file.

Spool: append-only JSONL segments, fsync'd on every append batch, for documents that could not be
delivered because the cluster was unreachable. ``replay`` sends them again; a segment is deleted
only after every document in it was indexed (or dead-lettered).
Dead letters: one JSON line per document the store itself rejected, with the reason.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SEGMENT_MAX_BYTES = 16 * 1024 * 1024


class Spool:
    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)

    def _segments(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        return sorted(self.dir.glob("segment-*.jsonl"))

    def append(self, docs: list[dict[str, Any]]) -> int:
        if not docs:
            return 0
        self.dir.mkdir(parents=True, exist_ok=True)
        segs = self._segments()
        seg = segs[-1] if segs and segs[-1].stat().st_size < SEGMENT_MAX_BYTES else None
        if seg is None:
            seg = self.dir / f"segment-{time.time_ns():020d}-{os.getpid()}.jsonl"
        data = "".join(json.dumps(d, ensure_ascii=False, default=str) + "\n" for d in docs).encode("utf-8")
        fd = os.open(seg, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        dfd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        return len(docs)

    def size(self) -> tuple[int, int]:
        """(documents, bytes) waiting in the spool."""
        docs = nbytes = 0
        for seg in self._segments():
            nbytes += seg.stat().st_size
            with seg.open("rb") as f:
                docs += sum(1 for line in f if line.strip())
        return docs, nbytes

    def _read(self, seg: Path) -> Iterator[dict[str, Any]]:
        with seg.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                try:
                    yield json.loads(line)
                except ValueError:
                    continue  # a torn last line from a killed writer: its document is re-crawled

    def replay(self, send: Callable[[list[dict[str, Any]]], list[dict[str, Any]]], batch: int = 500) -> int:
        """Send every spooled document; ``send`` returns the documents still undeliverable.

        Stops at the first segment that cannot be fully delivered (it stays on disk).
        Returns the number of documents delivered.
        """
        delivered = 0
        for seg in self._segments():
            pending: list[dict[str, Any]] = []
            failed = False
            for doc in self._read(seg):
                pending.append(doc)
                if len(pending) >= batch:
                    left = send(pending)
                    delivered += len(pending) - len(left)
                    pending = []
                    if left:
                        self._rewrite_rest(seg, left, delivered_upto=None)
                        failed = True
                        break
            if failed:
                return delivered
            if pending:
                left = send(pending)
                delivered += len(pending) - len(left)
                if left:
                    self._rewrite_rest(seg, left, delivered_upto=None)
                    return delivered
            seg.unlink()
        return delivered

    def _rewrite_rest(self, seg: Path, left: list[dict[str, Any]], delivered_upto: int | None) -> None:
        # Keep what was not delivered plus everything after it; replaying twice is harmless
        # (upserts are idempotent), losing a document is not.
        rest = list(self._read(seg))
        ids = {d.get("id") for d in left}
        first = next((i for i, d in enumerate(rest) if d.get("id") in ids), 0)
        tmp = seg.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for d in rest[first:]:
                f.write(json.dumps(d, ensure_ascii=False, default=str) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, seg)


class DeadLetters:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()  # batches are written from two threads at once

    def write(self, doc: dict[str, Any], reason: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"reason": reason, "id": doc.get("id"), "url": doc.get("url"),
                           "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "document": doc},
                          ensure_ascii=False, default=str)
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())

    def count(self) -> int:
        if not self.path.exists():
            return 0
        with self.path.open("rb") as f:
            return sum(1 for line in f if line.strip())

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        out = []
        with self.path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        continue
        return out
