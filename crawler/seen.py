"""Per-source record of article URLs already indexed, so a scheduled rerun fetches only new ones.

The interface (:class:`SeenStore`) is small on purpose so a shared store (e.g. Redis, for several
crawl machines) can replace the local SQLite one. URLs are canonicalized before every lookup.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Protocol

from crawler.normalize.urls import canonicalize_url
from crawler.sqlitedb import connect


class SeenStore(Protocol):
    def seen(self, url: str) -> bool: ...
    def add(self, url: str) -> None: ...
    def add_many(self, urls: list[str]) -> None: ...
    def count(self) -> int: ...
    def close(self) -> None: ...


class SQLiteSeenStore:
    def __init__(self, path: Path, source_id: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.source_id = source_id
        self._lock = threading.Lock()
        # synchronous=NORMAL: durable across a killed process; a power loss may forget the last URLs (they are
        # refetched, and upserts by id keep the index free of duplicates)
        self.db = connect(path)
        with self.db:
            self.db.execute("CREATE TABLE IF NOT EXISTS seen "
                            "(source TEXT, url TEXT, at REAL, PRIMARY KEY (source, url))")

    @staticmethod
    def _key(url: str) -> str:
        return canonicalize_url(url) or url

    def seen(self, url: str) -> bool:
        with self._lock:
            row = self.db.execute("SELECT 1 FROM seen WHERE source = ? AND url = ?",
                                  (self.source_id, self._key(url))).fetchone()
        return row is not None

    def add(self, url: str) -> None:
        self.add_many([url])

    def add_many(self, urls: list[str]) -> None:
        now = time.time()
        with self._lock, self.db:
            self.db.executemany("INSERT OR IGNORE INTO seen(source, url, at) VALUES (?, ?, ?)",
                                [(self.source_id, self._key(u), now) for u in urls])

    def count(self) -> int:
        with self._lock:
            return int(self.db.execute("SELECT count(*) FROM seen WHERE source = ?", (self.source_id,)).fetchone()[0])

    def close(self) -> None:
        self.db.close()


def open_seen_store(state_dir: Path, source_id: str) -> SeenStore:
    return SQLiteSeenStore(state_dir / "seen.sqlite3", source_id)
