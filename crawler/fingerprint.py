"""Near-duplicate detection: 64-bit SimHash of word 3-shingles, banded lookup by Hamming distance."""

from __future__ import annotations

import hashlib
import threading
import time
from itertools import chain
from pathlib import Path

import numpy as np

from crawler.article import content_hash
from crawler.normalize.text import WORD, per_chunk, word_count
from crawler.sqlitedb import connect

_MIX = [np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9)]
_CHUNK_HASHES: dict[str, tuple[int, ...]] = {}  # casefolded chunk -> its words' hashes, shared by all texts
BANDS = 4  # 4 x 16 bits: two fingerprints within distance 3 share at least one band exactly


def _chunk_hashes(chunk: str) -> tuple[int, ...]:
    return tuple(int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "big")
                 for w in WORD.findall(chunk))


def word_hashes(text: str) -> list[int]:
    """The 64-bit hash (stable across processes) of every word (``\\w+`` run) of the casefolded text, in
    order. A word never spans whitespace, so the text is split on whitespace (C speed) and each distinct
    chunk ("said," "(AP)") is scanned and hashed once per process, not every word of every text."""
    chunk_hashes: list[tuple[int, ...]] = per_chunk(text.casefold().split(), _CHUNK_HASHES, _chunk_hashes)
    return list(chain.from_iterable(chunk_hashes))


def simhash(text: str | None, n: int = 3) -> int | None:
    words = word_hashes(text) if text else []
    if len(words) < n:
        return None
    # combine n consecutive word hashes into a shingle hash with vectorized multiply/rotate/xor steps
    h = np.array(words, dtype=np.uint64)
    count = len(words) - n + 1
    shingles = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        part = h[k:k + count] * _MIX[k]
        shingles = (shingles << np.uint64(23)) | (shingles >> np.uint64(41))  # rotate left by 23
        shingles ^= part ^ (part >> np.uint64(29))
    # one row of 64 bits per shingle (most significant first); a bit is set where most rows have it
    bits = np.unpackbits(shingles.astype(">u8").view(np.uint8).reshape(-1, 8), axis=1)
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > bits.shape[0]
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def body_fingerprints(body: str | None) -> tuple[int, str | None, str | None]:
    """(word count, content hash, SimHash as 16 hex digits) of an article body; hashes are None without one."""
    if not body:
        return 0, None, None
    h = simhash(body)
    return word_count(body), content_hash(body), (f"{h:016x}" if h is not None else None)


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class FingerprintStore:
    """Persisted fingerprints of indexed articles: find the earliest near-duplicate of a new one.

    New fingerprints are written in short batched transactions (every ``batch`` adds, at least once
    a second, and on close), not one commit per article; until written they are matched from memory.
    A killed process forgets at most its last batch: those articles only miss a duplicate mark.
    """

    def __init__(self, path: Path, batch: int = 64, max_delay: float = 1.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.db = connect(path)  # synchronous=NORMAL: a lost fingerprint only misses one duplicate mark
        with self.db:
            self.db.execute("CREATE TABLE IF NOT EXISTS fp (id TEXT PRIMARY KEY, source TEXT, hash TEXT, "
                            "b0 INT, b1 INT, b2 INT, b3 INT)")
            for b in range(BANDS):
                self.db.execute(f"CREATE INDEX IF NOT EXISTS fp_b{b} ON fp(b{b})")
        self.batch, self.max_delay = batch, max_delay
        self._pending: list[tuple[str, str, int]] = []
        self._written_at = time.monotonic()

    @staticmethod
    def _bands(h: int) -> list[int]:
        return [(h >> (16 * b)) & 0xFFFF for b in range(BANDS)]

    def find(self, doc_id: str, h: int, max_distance: int = 3) -> str | None:
        bands = self._bands(h)
        where = " OR ".join(f"b{b} = ?" for b in range(BANDS))
        with self._lock:
            rows = self.db.execute(f"SELECT id, hash FROM fp WHERE ({where}) AND id != ? ORDER BY rowid",
                                   (*bands, doc_id)).fetchall()
            pending = list(self._pending)
        for other_id, other in rows:
            if distance(h, int(other, 16)) <= max_distance:
                return str(other_id)
        for other_id, _, other_h in pending:  # added after every stored one
            if other_id != doc_id and distance(h, other_h) <= max_distance:
                return other_id
        return None

    def add(self, doc_id: str, source: str, h: int) -> None:
        with self._lock:
            self._pending.append((doc_id, source, h))
            if len(self._pending) >= self.batch or time.monotonic() - self._written_at >= self.max_delay:
                self._write()

    def _write(self) -> None:
        rows, self._pending = self._pending, []
        self._written_at = time.monotonic()
        if rows:
            with self.db:
                self.db.executemany("INSERT OR IGNORE INTO fp(id, source, hash, b0, b1, b2, b3) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    [(i, src, f"{h:016x}", *self._bands(h)) for i, src, h in rows])

    def close(self) -> None:
        with self._lock:
            self._write()
        self.db.close()
