"""Scrapy settings for newsindex. Runtime values (data dir, store, contact) come from crawler.config."""

from __future__ import annotations

from crawler import config as _config

_cfg = _config.load()

BOT_NAME = "newsindex"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = f"newsindex/0.1 (+{_cfg.contact})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many asyncio tasks for every response's output; an article response yields one
# item and a listing page a few dozen requests, so 16 keeps them all moving without 100 tasks a page.
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 8
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.RetryAfterMiddleware": 560,  # its process_response runs before RetryMiddleware (550)
    "crawler.middlewares.OffsiteRedirectMiddleware": 650,
}

ITEM_PIPELINES = {
    "crawler.pipelines.ExtractionPipeline": 100,
    "crawler.pipelines.NormalizationPipeline": 200,
    "crawler.pipelines.ValidationPipeline": 300,
    "crawler.pipelines.DeduplicationPipeline": 400,
    "crawler.pipelines.IndexingPipeline": 500,
}
EXTENSIONS = {
    "crawler.extensions.RunRecorder": 500,
}

NEWSINDEX_DATA_DIR = str(_cfg.data_dir)
NEWSINDEX_MIN_WORDS = 40
NEWSINDEX_FLUSH_ITEMS = 200
NEWSINDEX_FLUSH_BYTES = 5 * 1024 * 1024
NEWSINDEX_FLUSH_SECONDS = 5.0
NEWSINDEX_EXTRACTION_WORKERS = "auto"  # worker processes for extraction; auto = 2 on machines with 2+ CPUs
NEWSINDEX_EXTRACTION_WORKERS_AFTER = 50  # workers start once this many articles are requested (or extracted)
NEWSINDEX_EXTRACTION_TIMEOUT = 60.0  # seconds a worker may spend on one page; 0 = no limit
NEWSINDEX_SIMHASH_DISTANCE = 3
NEWSINDEX_STORE_DOWN_PAUSE = 30.0  # after the store failed a flush, spool directly for this many seconds
