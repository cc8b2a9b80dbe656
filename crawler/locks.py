"""Per-source run locks: an flock held by the crawl process itself, so the OS frees it when that
process dies (no stale locks), and a second crawl of the same source - from a scheduler that was
killed and restarted, or from cron - cannot start while the first still runs."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class SourceLock:
    def __init__(self, state_dir: Path, source_id: str) -> None:
        self.path = state_dir / "locks" / f"{source_id}.lock"
        self.fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def held_elsewhere(self) -> bool:
        if self.acquire():
            self.release()
            return False
        return True
