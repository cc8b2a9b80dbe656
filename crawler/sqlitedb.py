"""Opening the SQLite files (embedded store, seen URLs, fingerprints) so that several processes may open
one at the same moment: scheduled crawls that overlap, a search while the first crawl creates the store."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def connect(path: Path | str, attempts: int = 100) -> sqlite3.Connection:
    """A connection in WAL mode with synchronous=NORMAL, waiting up to 30 s for another writer's lock.

    Switching a new file to WAL takes a lock SQLite does not wait for: a process doing it while another
    does gets "database is locked" at once. The switch is tried again (WAL mode stays with the file,
    so it is needed only once per file)."""
    db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    try:
        for attempt in range(attempts):
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.05)
        db.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        db.close()
        raise
    return db
