#!/usr/bin/env python3
"""Extraction quality and speed: newsindex vs trafilatura, newspaper4k and news-please, same run.

    python bench/extraction.py [--data ../shared/data] [--only newsindex,trafilatura] [--out bench/out]

For each data set (article-extraction-benchmark, news-pages) every extractor runs in this process over
the same decoded pages; predictions are written as JSONL and scored with the reference scorer
(../shared/tools/evaluate.py). Prints one table: body F1, title, author F1, date (day, minute), pages/s.
Peers that are not installed (pip install '.[bench]') are reported as missing, not silently dropped.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("evaluate", path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def ours() -> Callable[[str, str], dict[str, Any]]:
    """newsindex, scored on every credited name (persons + organizations): the data sets' "authors" list
    the byline as the site gives it, agencies included, while newsindex keeps agencies in a field of their own."""
    from crawler.extraction import extract_article

    def run(html: str, url: str) -> dict[str, Any]:
        a = extract_article(html, url)
        return {"title": a.title, "authors": a.authors + a.organizations, "persons": a.authors,
                "published_at": a.published_at, "body": a.body}

    return run


def ours_persons_only() -> Callable[[str, str], dict[str, Any]]:
    """The same run scored on the person names alone (for transparency)."""
    run_all = ours()

    def run(html: str, url: str) -> dict[str, Any]:
        pred = run_all(html, url)
        pred["authors"] = pred.pop("persons")
        return pred

    return run


def trafilatura_peer() -> Callable[[str, str], dict[str, Any]]:
    import trafilatura

    def run(html: str, url: str) -> dict[str, Any]:
        d = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if d is None:
            return {}
        d = d.as_dict() if not isinstance(d, dict) else d
        authors = [a.strip() for a in (d.get("author") or "").split(";") if a.strip()]
        return {"title": d.get("title"), "authors": authors, "published_at": d.get("date"), "body": d.get("text")}

    return run


def newspaper_peer() -> Callable[[str, str], dict[str, Any]]:
    from newspaper import Article  # newspaper4k

    def run(html: str, url: str) -> dict[str, Any]:
        a = Article(url or "http://localhost/", fetch_images=False)  # no network here: image probing only times out
        a.download(input_html=html)
        a.parse()
        return {"title": a.title, "authors": a.authors,
                "published_at": a.publish_date.isoformat() if a.publish_date else None, "body": a.text}

    return run


def newsplease_peer() -> Callable[[str, str], dict[str, Any]]:
    from newsplease import NewsPlease

    def run(html: str, url: str) -> dict[str, Any]:
        a = NewsPlease.from_html(html, url=url or None, fetch_images=False)
        return {"title": a.title, "authors": a.authors or [],
                "published_at": a.date_publish.isoformat() if a.date_publish else None, "body": a.maintext}

    return run


EXTRACTORS = {"newsindex": ours, "newsindex-persons": ours_persons_only,
              "trafilatura": trafilatura_peer, "newspaper4k": newspaper_peer,
              "news-please": newsplease_peer}


def pages(dataset: Path, scorer) -> list[tuple[str, str, str]]:
    items = scorer.load_dataset(dataset)
    out = []
    for key, item in items.items():
        raw = gzip.decompress((dataset / item["html_path"]).read_bytes())
        out.append((key, item.get("url") or "", raw.decode("utf-8", errors="replace")))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument("--scorer", type=Path, default=HERE.parent.parent / "shared" / "tools" / "evaluate.py")
    ap.add_argument("--only", default="newsindex,trafilatura,newspaper4k,news-please")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    args = ap.parse_args()
    scorer = load_scorer(args.scorer)
    args.out.mkdir(parents=True, exist_ok=True)
    names = [n for n in args.only.split(",") if n]
    runners: dict[str, Callable[[str, str], dict[str, Any]]] = {}
    for name in names:
        try:
            runners[name] = EXTRACTORS[name]()
        except ImportError as exc:
            print(f"{name}: not installed ({exc}); pip install '.[bench]'")
    for ds_name in ("article-extraction-benchmark", "news-pages"):
        dataset = args.data / ds_name
        if not dataset.exists():
            print(f"{dataset}: missing")
            continue
        docs = pages(dataset, scorer)
        results = {}
        for name, run in runners.items():
            run(docs[0][2], docs[0][1])  # warm-up (model loading, imports)
            preds = []
            start = time.perf_counter()
            for key, url, html in docs:
                try:
                    pred = run(html, url)
                except Exception as exc:  # noqa: BLE001 - a crash is scored as such
                    pred = {"error": f"{type(exc).__name__}: {exc}"[:200]}
                pred["id"] = key
                preds.append(pred)
            elapsed = time.perf_counter() - start
            path = args.out / f"{ds_name}.{name}.jsonl"
            path.write_text("".join(json.dumps(p, ensure_ascii=False, default=str) + "\n" for p in preds))
            meta = {"extractor": name, "pages_per_second": len(docs) / elapsed}
            path.with_name(path.name.removesuffix(".jsonl") + ".meta.json").write_text(json.dumps(meta))
            metrics = scorer.score(scorer.load_dataset(dataset), {p["id"]: p for p in preds})
            results[name] = {"meta": meta, "metrics": metrics}
        print()
        scorer.print_table(dataset, results)
        sys.stdout.flush()
        if "newsindex" in results and "trafilatura" in results:
            speed = {n: r["meta"]["pages_per_second"] for n, r in results.items()}
            ratio = speed["newsindex"] / speed["trafilatura"]
            print(f"throughput newsindex / trafilatura = {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
