"""A reproducible corpus of realistic articles for the index/search benchmarks.

Words come from the real article bodies of ../shared/data/news-pages (many languages, a natural
Zipf-like distribution); each article gets a 10-word title, ~650 words of body in 6-10 paragraphs,
1-3 authors, one of 20 sources and 10 sections, and a date in 2024-2025. Cached as JSONL in bench/out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from crawler.article import Article, article_id  # noqa: E402

SECTIONS = ["World", "Europe", "Asia", "Africa", "Americas", "Middle East", "Business", "Climate", "Health", "Tech"]
LANGS = [("en", 0.8), ("fr", 0.05), ("de", 0.05), ("es", 0.05), ("pt", 0.05)]


def vocabulary(data: Path) -> tuple[list[str], list[float]]:
    counts: Counter[str] = Counter()
    index = data / "news-pages" / "index.jsonl"
    if index.exists():
        for line in index.read_text(encoding="utf-8").splitlines():
            body = (json.loads(line).get("expected") or {}).get("body") or ""
            counts.update(re.findall(r"[^\W\d_]{2,}", body))
    if len(counts) < 1000:  # no data set here: synthetic words with a Zipf distribution
        rng = random.Random(1)
        for i in range(20000):
            counts["".join(rng.choice("etaoinshrdlucmfwypvbgk") for _ in range(rng.randint(3, 10)))] = 20000 // (i + 1)
    words = [w for w, _ in counts.most_common(60000)]
    cum, total = [], 0.0
    for w in words:
        total += counts[w]
        cum.append(total)
    return words, cum


def generate(n: int, data: Path, seed: int = 42) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    words, cum = vocabulary(data)
    authors = [f"{a} {b}" for a in ("Anna", "Ben", "Chen", "Dana", "Emeka", "Farah", "Goran", "Hiro", "Ines", "Jon")
               for b in ("Smith", "Okafor", "Lindqvist", "Raman", "Kowalski", "Ferreira", "Mensah", "Bauer")]
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    docs = []
    for i in range(n):
        lang = rng.choices([x for x, _ in LANGS], [w for _, w in LANGS])[0]
        title = " ".join(rng.choices(words, cum_weights=cum, k=10)).capitalize()
        paragraphs = [" ".join(rng.choices(words, cum_weights=cum, k=rng.randint(50, 110))).capitalize() + "."
                      for _ in range(rng.randint(6, 10))]
        body = "\n\n".join(paragraphs)
        url = f"https://source{i % 20}.example/world/{i}"
        published = start + dt.timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        art = Article(url=url, canonical_url=url, id=article_id(url), source_id=f"source{i % 20}",
                      source_name=f"Source {i % 20}", section=rng.choice(SECTIONS), title=title,
                      lead=paragraphs[0][:200],
                      body=body, authors=rng.sample(authors, rng.randint(1, 3)), language=lang,
                      published_at=published.isoformat(), fetched_at=(published + dt.timedelta(hours=1)).isoformat(),
                      word_count=len(body.split()), tags=rng.sample(SECTIONS, 2))
        docs.append(art.to_document())
    return docs


def add_corpus_args(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--docs", type=int, default=50000, help="articles in the corpus")
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")


def es_url() -> str | None:
    """The cluster the ES benchmarks use (NEWSINDEX_ES_URL), or None after telling how to get one."""
    url = os.environ.get("NEWSINDEX_ES_URL")
    if not url:
        print("set NEWSINDEX_ES_URL (e.g. NEWSINDEX_ES_URL=$(newsindex dev-es start))")
    return url


def drop_alias(es: Any) -> None:
    """Delete a benchmark alias's indices and template, and close the client."""
    es.client.options(ignore_status=404).indices.delete(index=f"{es.alias}-v*")
    es.client.options(ignore_status=404).indices.delete_index_template(name=es.alias)
    es.close()


def load(n: int, data: Path) -> list[dict[str, Any]]:
    cache = HERE / "out" / f"corpus-{n}.jsonl"
    if cache.exists():
        return [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    docs = generate(n, data)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return docs
