"""Item pipelines, one job each: extraction -> normalization -> validation -> deduplication -> indexing.

Every item that leaves the chain early is dropped with a reason that is counted in the stats
(``newsindex/items/dropped/<reason>``) and logged; nothing disappears silently.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
import weakref
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem, NotConfigured

from crawler import config as runtime_config
from crawler.article import Article, Page
from crawler.exceptions import BackendUnavailable, ExtractionError, ExtractionTimeout, SourceConfigError
from crawler.extraction.extract import NO_RULES, SiteRules
from crawler.extraction.worker import exit_with_parent, extract_page, set_stems
from crawler.fingerprint import FingerprintStore, body_fingerprints
from crawler.normalize.text import clean_line, clean_text
from crawler.seen import SeenStore, open_seen_store

if TYPE_CHECKING:
    from indexer.base import Backend
    from indexer.writer import BatchWriter

logger = logging.getLogger(__name__)
COVERAGE_FIELDS = ("title", "body", "authors", "published_at", "language", "section")
SELECTOR_TARGETS = {"byline": "authors", "date": "published_at"}  # selector name -> Article field


def _drop(crawler, reason: str, url: str, detail: str = "") -> DropItem:
    crawler.stats.inc_value("newsindex/items/dropped")
    crawler.stats.inc_value(f"newsindex/items/dropped/{reason}")
    logger.info("item dropped (%s): %s %s", reason, url, detail)
    return DropItem(f"{reason}: {url} {detail}".strip())


class _Base:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)


class ExtractionPipeline(_Base):
    """Page -> Article with the layered extractor and the source's site rules.

    With ``NEWSINDEX_EXTRACTION_WORKERS`` > 0 (default: 2 on machines with 2+ CPUs) pages are extracted
    in that many worker processes, so the crawl process keeps downloading and parsing while a page is
    extracted on another core. The workers start with the first page once the run has requested
    ``NEWSINDEX_EXTRACTION_WORKERS_AFTER`` articles (default 50), so their start-up overlaps the crawl's
    own (or, at the latest, once it has extracted that many pages in-process); small runs never pay
    a worker's start-up. Workers are spawned: a script that calls ``run_crawls`` itself must guard
    its top level with ``if __name__ == "__main__":``, as for any Python multiprocessing code.
    A worker that dies is replaced by in-process extraction for the rest of the run (counted as
    ``newsindex/extraction_workers/broken``); no page is lost.
    A page a worker spends more than ``NEWSINDEX_EXTRACTION_TIMEOUT`` seconds on (default 60; a hostile
    or pathological page: libxml2 takes minutes over a tag with 100,000 attributes) is dropped as
    ``extraction_timeout`` and the workers are restarted (``newsindex/extraction_workers/restarted``);
    the other pages they had in hand go to the new workers. In-process extraction has no limit.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        workers = crawler.settings.get("NEWSINDEX_EXTRACTION_WORKERS")
        if workers is None or workers == "auto":
            # the crawl process keeps about 70% of a core busy, so one worker leaves the rest of its core
            # idle: two workers fill both cores (bench/crawl.py on 2 cores: about +15% pages/s over one)
            workers = 2 if (os.cpu_count() or 1) >= 2 else 0
        self.workers = max(0, int(workers))
        self.workers_after = crawler.settings.getint("NEWSINDEX_EXTRACTION_WORKERS_AFTER", 50)
        self.timeout = crawler.settings.getfloat("NEWSINDEX_EXTRACTION_TIMEOUT", 60.0)
        self.pool: ProcessPoolExecutor | None = None
        self.restarted: weakref.WeakSet[ProcessPoolExecutor] = weakref.WeakSet()  # ended: a page ran out of time
        self.in_process = 0

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _rules(self) -> SiteRules:
        spider = self.crawler.spider
        source = getattr(spider, "source", None)
        return source.rules if source is not None else NO_RULES

    def _pool(self) -> ProcessPoolExecutor | None:
        if self.pool is None and self.workers and (
                self.in_process >= self.workers_after
                or (self.stats.get_value("newsindex/discovery/article_requests") or 0) >= self.workers_after):
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=exit_with_parent, initargs=(os.getpid(),))
            self.stats.set_value("newsindex/extraction_workers/started", self.workers)
        return self.pool

    async def _extract(self, item: Page) -> Article:
        # a page that was in the hands of workers ended for another page's timeout goes to the new workers
        # (it may be slow too), up to three times
        for _attempt in range(3):
            pool = self._pool()
            if pool is None:
                break
            try:
                done = asyncio.wrap_future(pool.submit(extract_page, item, self._rules()))
                article = await (asyncio.wait_for(done, self.timeout) if self.timeout > 0 else done)
                self.stats.inc_value("newsindex/extraction_workers/pages")
                return article
            except TimeoutError:
                self._restart(pool)
                raise ExtractionTimeout(f"over {self.timeout:g} s in an extraction worker") from None
            except BrokenProcessPool:
                if pool not in self.restarted:
                    logger.error("extraction worker died; extracting in the crawl process from now on")
                    self.stats.inc_value("newsindex/extraction_workers/broken")
                    self.pool, self.workers = None, 0
                    break
        self.in_process += 1
        return extract_page(item, self._rules())

    def _restart(self, pool: ProcessPoolExecutor) -> None:
        """End the workers (one of them is stuck on a page and would never take another); the next page
        starts new ones."""
        if pool in self.restarted:
            return
        self.restarted.add(pool)
        logger.error("a page took over %g s to extract; restarting the extraction workers", self.timeout)
        self.stats.inc_value("newsindex/extraction_workers/restarted")
        for proc in list((getattr(pool, "_processes", None) or {}).values()):  # no public API ends a busy worker
            proc.kill()
        pool.shutdown(wait=False)  # its other pages fail with BrokenProcessPool and go to the new workers
        if self.pool is pool:
            self.pool = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Page):
            return item
        try:
            article = await self._extract(item)
        except ExtractionTimeout as exc:
            raise _drop(self.crawler, "extraction_timeout", item.url, str(exc)) from None
        except (ExtractionError, SourceConfigError) as exc:
            raise _drop(self.crawler, "extraction_failed", item.url, str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - a page must never crash the run; count it
            self.stats.inc_value(f"newsindex/extraction_errors/{type(exc).__name__}")
            raise _drop(self.crawler, "extraction_error", item.url, repr(exc)[:200]) from None
        article.source_id, article.source_name = item.source_id, item.source_name
        self.stats.inc_value("newsindex/items/extracted")
        return article


class NormalizationPipeline(_Base):
    """Final field hygiene: clean text, bounded lists; word count, content fingerprint and search stems
    of a text that changed here (extraction computes them for the text it produces)."""

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        title, lead = clean_line(item.title) or None, clean_line(item.lead) or None
        body = clean_text(item.body) or None
        body_changed = body != item.body or (body is not None and item.simhash is None)
        if body_changed:
            item.word_count, item.content_hash, item.simhash = body_fingerprints(body)
        if body_changed or title != item.title or lead != item.lead or item.text_stem is None:
            item.title, item.lead, item.body = title, lead, body
            set_stems(item)
        item.section = clean_line(item.section) or None
        item.tags = [t for t in (clean_line(t) for t in item.tags) if t][:30]
        return item


class ValidationPipeline(_Base):
    """Required: url, title, a body of at least NEWSINDEX_MIN_WORDS words."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.min_words = crawler.settings.getint("NEWSINDEX_MIN_WORDS", 40)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        if not item.url:
            raise _drop(self.crawler, "missing_url", "?")
        if not item.title:
            raise _drop(self.crawler, "missing_title", item.url)
        if not item.body:
            raise _drop(self.crawler, "missing_body", item.url)
        if item.word_count < self.min_words:
            raise _drop(self.crawler, "body_too_short", item.url, f"({item.word_count} words < {self.min_words})")
        return item


class DeduplicationPipeline(_Base):
    """Same id twice in a run: keep the first (the newest copy wins in the store anyway).
    Near-duplicate bodies (syndicated wire copy, across sources): marked ``duplicate_of``."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.max_distance = crawler.settings.getint("NEWSINDEX_SIMHASH_DISTANCE", 3)
        cfg = runtime_config.load()
        self.store = FingerprintStore(cfg.state_dir / "fingerprints.sqlite3")
        self.ids: set[str] = set()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        if item.id in self.ids:
            raise _drop(self.crawler, "duplicate_id", item.url)
        self.ids.add(item.id)
        if item.simhash:
            h = int(item.simhash, 16)
            other = self.store.find(item.id, h, self.max_distance)
            if other:
                item.duplicate_of = other
                self.stats.inc_value("newsindex/items/near_duplicates")
            self.store.add(item.id, item.source_id, h)
        return item

    def close_spider(self) -> None:
        self.store.close()


class IndexingPipeline(_Base):
    """Buffer articles and write them to the active backend; flush by count, bytes and time.

    Rejected documents go to the dead-letter file with their reason; when the store is unreachable
    the batch goes to the durable spool, replayed at the next run's start and by `newsindex replay`.
    A URL is marked seen only once its article is indexed or safely spooled.
    """

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        s = crawler.settings
        if not s.getbool("NEWSINDEX_INDEXING_ENABLED", True):
            raise NotConfigured("indexing disabled")
        self.flush_items = s.getint("NEWSINDEX_FLUSH_ITEMS", 200)
        self.flush_bytes = s.getint("NEWSINDEX_FLUSH_BYTES", 5 * 1024 * 1024)
        self.flush_seconds = s.getfloat("NEWSINDEX_FLUSH_SECONDS", 5.0)
        self.cfg = runtime_config.load()
        self.buffer: list[dict[str, Any]] = []
        self.buffer_bytes = 0
        self.last_flush = time.monotonic()
        self.backend: Backend | None = None
        self.seen: SeenStore | None = None
        self.down_pause = s.getfloat("NEWSINDEX_STORE_DOWN_PAUSE", 30.0)
        self.down_until = 0.0
        self.writer: BatchWriter | None = None
        self.spool_lock = threading.Lock()
        self.writer_stats = _LockedStats(self.stats)

    def open_spider(self) -> None:
        from indexer.backends import open_backend
        from indexer.spool import DeadLetters, Spool

        self.spool = Spool(self.cfg.spool_dir)
        self.dead = DeadLetters(self.cfg.dead_letter_path)
        try:
            self.backend = open_backend(self.cfg)
        except BackendUnavailable as exc:
            logger.error("store unavailable at start: %s (articles will be spooled)", exc)
            self.backend = None
        spider = self.crawler.spider
        self.seen = open_seen_store(self.cfg.state_dir, spider.source.id)
        self._replay_spool()

    def _replay_spool(self) -> None:
        waiting, _ = self.spool.size()
        backend = self.backend
        if not waiting or backend is None:
            return
        from indexer.replay import deliver

        done = self.spool.replay(lambda docs: deliver(backend, docs, self.dead, self.stats))
        self.stats.inc_value("newsindex/spool/replayed", done)
        logger.info("replayed %d spooled documents", done)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        doc = item.to_document()
        self.buffer.append(doc)
        self.buffer_bytes += _approx_bytes(doc)
        self._cover(item)
        if (len(self.buffer) >= self.flush_items or self.buffer_bytes >= self.flush_bytes
                or time.monotonic() - self.last_flush >= self.flush_seconds):
            self.flush()
        return item

    def _cover(self, item: Article) -> None:
        self.stats.inc_value("newsindex/coverage/items")
        for name in COVERAGE_FIELDS:
            if getattr(item, name):
                self.stats.inc_value(f"newsindex/coverage/{name}")
        # how often each configured site selector still finds its field (a redesign shows here first)
        source = getattr(self.crawler.spider, "source", None)
        for sel_field in (source.selectors if source is not None else {}):
            key = SELECTOR_TARGETS.get(sel_field, sel_field)
            hit = item.provenance.get(key) == "selector"
            self.stats.inc_value(f"newsindex/coverage/selector_{sel_field}", 1 if hit else 0)
        self.stats.inc_value("newsindex/coverage/body_chars", len(item.body or ""))

    def flush(self) -> None:
        """Hand the buffered documents to the background writer (see indexer.writer)."""
        docs, self.buffer, self.buffer_bytes = self.buffer, [], 0
        self.last_flush = time.monotonic()
        if docs:
            if self.writer is None:
                from indexer.writer import WRITE_CONCURRENCY, BatchWriter

                # the embedded store writes one batch at a time (one connection); a cluster takes two
                concurrency = WRITE_CONCURRENCY if getattr(self.backend, "name", "") == "elasticsearch" else 1
                self.writer = BatchWriter(self._write, concurrency=concurrency)
            self.writer.submit(docs)

    def _write(self, docs: list[dict[str, Any]]) -> None:
        """Index one batch (in a writer thread): the undeliverable to the spool, then mark the URLs seen."""
        from indexer.replay import deliver

        try:
            if self.backend is not None and time.monotonic() >= self.down_until:
                left = deliver(self.backend, docs, self.dead, self.writer_stats)
                if left:  # unreachable after its retries: spool directly for a while instead of stalling
                    self.down_until = time.monotonic() + self.down_pause
            else:
                left = docs
            if left:
                with self.spool_lock:
                    self.spool.append(left)
                self.writer_stats.inc_value("newsindex/items/spooled", len(left))
                logger.warning("store unavailable: %d articles spooled to %s", len(left), self.spool.dir)
        except Exception as exc:  # noqa: BLE001 - e.g. a full disk: the URLs stay unseen and are fetched again
            self.writer_stats.inc_value(f"newsindex/index/write_errors/{type(exc).__name__}", len(docs))
            logger.error("%d articles neither indexed nor spooled (fetched again next run): %r", len(docs), exc)
            return
        if self.seen is not None:
            self.seen.add_many([u for doc in docs for u in (doc["url"], doc.get("canonical_url")) if u])
        if left:
            with self.spool_lock:
                waiting, nbytes = self.spool.size()
            self.writer_stats.set_value("newsindex/spool/documents", waiting)
            self.writer_stats.set_value("newsindex/spool/bytes", nbytes)

    def close_spider(self) -> None:
        self.flush()
        if self.writer is not None:
            self.writer.close()
        with self.spool_lock:
            waiting, nbytes = self.spool.size()
        self.stats.set_value("newsindex/spool/documents", waiting)
        self.stats.set_value("newsindex/spool/bytes", nbytes)
        if self.backend is not None:
            try:
                self.backend.refresh()
            except BackendUnavailable:
                pass
            self.backend.close()
        if self.seen is not None:
            self.seen.close()


class _LockedStats:
    """The crawl's stats for writer threads: two batches finishing at once must not lose a count."""

    def __init__(self, stats: Any) -> None:
        self._stats, self._lock = stats, threading.Lock()

    def inc_value(self, key: str, count: int = 1) -> None:
        with self._lock:
            self._stats.inc_value(key, count)

    def set_value(self, key: str, value: object) -> None:
        with self._lock:
            self._stats.set_value(key, value)


def _approx_bytes(doc: dict[str, Any]) -> int:
    """A cheap estimate of a document's JSON size for the flush-by-bytes rule (no serialization)."""
    size = 0
    for value in doc.values():
        if isinstance(value, str):
            size += len(value) + 8
        elif isinstance(value, list | dict):
            size += sum(len(str(v)) + 8 for v in value)
        else:
            size += 16
    return size
