"""Near-duplicate detection: 64-bit SimHash of word 3-shingles, banded lookup by Hamming distance."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from pathlib import Path

_WORD = re.compile(r"\w+", re.UNICODE)
BANDS = 4  # 4 x 16 bits: two fingerprints within distance 3 share at least one band exactly


def simhash(text: str | None, n: int = 3) -> int | None:
    words = [w.casefold() for w in _WORD.findall(text or "")]
    if len(words) < n:
        return None
    weights = [0] * 64
    for i in range(len(words) - n + 1):
        h = int.from_bytes(hashlib.blake2b(" ".join(words[i:i + n]).encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class FingerprintStore:
    """Persisted fingerprints of indexed articles: find the earliest near-duplicate of a new one."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        with self.db:
            self.db.execute("CREATE TABLE IF NOT EXISTS fp (id TEXT PRIMARY KEY, source TEXT, hash TEXT, "
                            "b0 INT, b1 INT, b2 INT, b3 INT)")
            for b in range(BANDS):
                self.db.execute(f"CREATE INDEX IF NOT EXISTS fp_b{b} ON fp(b{b})")

    @staticmethod
    def _bands(h: int) -> list[int]:
        return [(h >> (16 * b)) & 0xFFFF for b in range(BANDS)]

    def find(self, doc_id: str, h: int, max_distance: int = 3) -> str | None:
        bands = self._bands(h)
        where = " OR ".join(f"b{b} = ?" for b in range(BANDS))
        with self._lock:
            rows = self.db.execute(f"SELECT id, hash FROM fp WHERE ({where}) AND id != ? ORDER BY rowid",
                                   (*bands, doc_id)).fetchall()
        for other_id, other in rows:
            if distance(h, int(other, 16)) <= max_distance:
                return str(other_id)
        return None

    def add(self, doc_id: str, source: str, h: int) -> None:
        with self._lock, self.db:
            self.db.execute("INSERT OR IGNORE INTO fp(id, source, hash, b0, b1, b2, b3) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (doc_id, source, f"{h:016x}", *self._bands(h)))

    def close(self) -> None:
        self.db.close()
