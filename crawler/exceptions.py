"""The newsindex exception tree.

Every error newsindex raises on purpose derives from :class:`NewsindexError`, so a caller
(the CLI, a pipeline, a test) can catch the whole family in one place::

    NewsindexError
    ├── ConfigError            bad settings or environment (names the setting and what was expected)
    │   └── SourceConfigError  a source YAML file is invalid (names the file, the field, the expectation)
    ├── ExtractionError        a page could not be turned into an Article at all (not HTML, empty, ...)
    │   └── ExtractionTimeout  an extraction worker spent longer than the time limit on one page
    ├── BackendError           the store failed
    │   ├── BackendUnavailable the store cannot be reached (dead cluster, locked file): retry or spool
    │   └── QueryError         a search request is invalid (bad date filter, bad sort, ...)
    └── DevESError             the local test Elasticsearch cannot be fetched, started or stopped

Normalizers never raise: they return ``None`` plus a reason instead.
"""

from __future__ import annotations


class NewsindexError(Exception):
    """Base class of every error raised on purpose by newsindex."""


class ConfigError(NewsindexError):
    """Settings or environment are wrong."""


class SourceConfigError(ConfigError):
    """A source definition file is invalid."""

    def __init__(self, path: str, field: str, expected: str) -> None:
        self.path, self.field, self.expected = path, field, expected
        super().__init__(f"{path}: field '{field}': expected {expected}")


class ExtractionError(NewsindexError):
    """A response cannot be extracted at all."""


class ExtractionTimeout(ExtractionError):
    """An extraction worker spent longer than NEWSINDEX_EXTRACTION_TIMEOUT on one page."""


class BackendError(NewsindexError):
    """The article store failed."""


class BackendUnavailable(BackendError):
    """The article store cannot be reached."""


class QueryError(BackendError):
    """A search request is invalid."""


class DevESError(NewsindexError):
    """The local development/test Elasticsearch cannot be managed."""
