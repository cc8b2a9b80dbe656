"""Saved real pages per bundled source (tests/fixtures/sources/<id>/*.html.gz + expected JSON).

Expectations are the human-reviewed annotations of the news-pages data set (see regenerate.py there).
Authors are compared as the set of credited names - persons and organizations - after both sides went
through the byline normalizer, because the annotation lists agencies among the authors.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from crawler.extraction import extract_article
from crawler.normalize.bylines import normalize_byline
from crawler.sources import get_source, load_all

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"
CASES = sorted(FIXTURES.glob("*/*.json"))


def _title(s: str | None) -> str:
    s = "".join(c for c in unicodedata.normalize("NFKC", s or "") if unicodedata.category(c) != "Cf")
    return " ".join(s.translate(str.maketrans("‘’“”", "''\"\"")).casefold().split())


def _names(byline: dict[str, list[str]]) -> set[str]:
    return {"".join(c for c in unicodedata.normalize("NFKC", n).casefold() if c.isalnum())
            for n in byline["authors"] + byline["organizations"]}


def _shingle_f1(expected: str, got: str | None, n: int = 4) -> float:
    def shingles(text: str | None) -> Counter:
        toks = re.findall(r"\w+", text or "")
        return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)))

    e, g = shingles(expected), shingles(got)
    tp = sum((e & g).values())
    return 2 * tp / (sum(e.values()) + sum(g.values())) if tp else 0.0


def test_every_bundled_source_is_valid_and_has_saved_pages() -> None:
    sources, errors = load_all()
    assert not errors, [str(e) for e in errors]
    assert len(sources) >= 10
    assert {p.parent.name for p in CASES} == set(sources)


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_saved_page(case: Path) -> None:
    source = get_source(case.parent.name)
    data = json.loads(case.read_text(encoding="utf-8"))
    expected = data["expected"]
    assert source.is_article_url(data["url"]), "the source's article_url_patterns must accept its own articles"
    html = gzip.decompress((case.parent / f"{case.stem}.html.gz").read_bytes()).decode("utf-8", "replace")
    got = extract_article(html, data["url"], source.rules)
    assert _title(got.title) == _title(expected["title"])
    assert _names({"authors": got.authors, "organizations": got.organizations}) == \
        _names(normalize_byline(expected["authors"]))
    want = dt.datetime.fromisoformat(expected["published_at"])
    assert got.published_at is not None
    have = dt.datetime.fromisoformat(got.published_at)
    if want.tzinfo is None:  # annotated as written on the page, offset unknown: at most 14 h apart
        assert abs(have.replace(tzinfo=None) - want) <= dt.timedelta(hours=14)
    else:
        assert have.replace(second=0, microsecond=0) == want.astimezone(dt.UTC).replace(second=0, microsecond=0)
    assert _shingle_f1(expected["body"], got.body) >= 0.9
    assert got.language == source.language
