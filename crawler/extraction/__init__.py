"""Article extraction: HTML -> Article, in layers (site selectors, structured data, meta, generic).

No crawling logic lives here: :func:`extract_article` is a pure function of the page.
"""

from crawler.extraction.extract import extract_article, extract_from_bytes

__all__ = ["extract_article", "extract_from_bytes"]
