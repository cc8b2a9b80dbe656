"""Pick the active backend from the configuration: Elasticsearch when NEWSINDEX_ES_URL is set."""

from __future__ import annotations

from crawler.config import Config
from indexer.base import Backend


def open_backend(cfg: Config) -> Backend:
    if cfg.es_urls:
        from indexer.es_backend import ElasticsearchBackend

        return ElasticsearchBackend(cfg)
    from indexer.sqlite_backend import SQLiteBackend

    return SQLiteBackend(cfg.sqlite_path)
