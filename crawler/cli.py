"""The `newsindex` command line."""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from crawler import config as runtime_config
from crawler.exceptions import NewsindexError


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))


# ------------------------------------------------------------------ extract / normalize
def _read_page(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    data = Path(path).read_bytes()
    if path.endswith(".gz") or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def _extract_one(path: str, url: str | None, rules) -> dict[str, Any]:
    from crawler.extraction import extract_from_bytes

    data = _read_page(path)
    page_url = url or (Path(path).resolve().as_uri() if path != "-" else "http://localhost/")
    art = extract_from_bytes(data, page_url, None, rules)
    return art.to_document()


def cmd_extract(args: argparse.Namespace) -> int:
    from crawler.extraction.extract import NO_RULES

    rules = NO_RULES
    if args.source:
        from crawler.sources import get_source

        rules = get_source(args.source, runtime_config.load().sources_dir).rules
    if args.manifest:
        with open(args.manifest, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                entry: Any = None
                try:
                    entry = json.loads(line)
                    out = _extract_one(entry["path"], entry.get("url"), rules)
                    out["path"] = entry["path"]
                except Exception as exc:  # noqa: BLE001 - one bad page never stops the manifest
                    path = entry.get("path") if isinstance(entry, dict) else None
                    out = {"path": path, "error": f"{type(exc).__name__}: {exc}"[:500], "line": n}
                _print_json(out)
                sys.stdout.flush()
        return 0
    if not args.file:
        print("newsindex extract: give FILE.html, '-' or --manifest PAGES.jsonl", file=sys.stderr)
        return 2
    try:
        _print_json(_extract_one(args.file, args.url, rules))
    except (OSError, NewsindexError, ValueError) as exc:
        _print_json({"path": args.file, "error": f"{type(exc).__name__}: {exc}"})
        return 1
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    from crawler.normalize.bylines import normalize_byline
    from crawler.normalize.dates import parse_date

    now = None
    if getattr(args, "now", None):
        res = parse_date(args.now)
        if res.value is None:
            print(f"newsindex normalize: --now is not a date: {args.now!r}", file=sys.stderr)
            return 2
        now = res.value

    def one(text: str) -> dict[str, Any]:
        if args.kind == "byline":
            return dict(normalize_byline(text))
        r = parse_date(text, tz=args.tz, now=now)
        return {"value": r.iso(), "error": r.error}

    if args.text is not None:
        _print_json(one(args.text))
    else:
        for line in sys.stdin:
            _print_json(one(line.rstrip("\n")))
    return 0


# ------------------------------------------------------------------ crawl / demo
def _crawl_overrides(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"LOG_LEVEL": "WARNING" if not getattr(args, "verbose", False) else "INFO"}
    return out


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.runner import run_crawls
    from crawler.sources import get_source, load_all

    cfg = runtime_config.load()
    jobs: list[dict[str, Any]] = []
    if args.start_url:
        jobs.append({"start_urls": ",".join(args.start_url), "recrawl": args.recrawl})
    ids = list(args.sources)
    if args.all:
        found, errors = load_all(cfg.sources_dir)
        for err in errors:
            print(f"skipping broken source file: {err}", file=sys.stderr)
        ids += sorted(found)
    for sid in ids:
        try:
            get_source(sid, cfg.sources_dir)
        except NewsindexError as exc:
            print(f"newsindex crawl: {exc}", file=sys.stderr)
            return 2
        jobs.append({"source": sid, "recrawl": args.recrawl})
    if not jobs:
        print("newsindex crawl: name source ids, --all, or --start-url URL", file=sys.stderr)
        return 2
    from crawler.locks import SourceLock

    locks = []
    for job in jobs:
        sid = job.get("source")
        if sid:
            lock = SourceLock(cfg.state_dir, sid)
            if not lock.acquire():
                print(f"newsindex crawl: source {sid} is already being crawled by another process", file=sys.stderr)
                return 75
            locks.append(lock)
    try:
        results = run_crawls(jobs, _crawl_overrides(args))
    finally:
        for lock in locks:
            lock.release()
    failed = 0
    for stats in results:
        summary = _summary(stats)
        print(json.dumps(summary, default=str) if args.json else _summary_line(summary))
        failed += summary["monitors_failed"] > 0 or summary["finish_reason"] != "finished"
    return 1 if failed else 0


def _summary(stats: dict[str, Any]) -> dict[str, Any]:
    dropped = {k.split("/", 2)[-1]: v for k, v in stats.items() if k.startswith("newsindex/dropped/")}
    dropped.update({k.split("/", 3)[-1]: v for k, v in stats.items() if k.startswith("newsindex/items/dropped/")})
    return {
        "finish_reason": stats.get("finish_reason"),
        "requests": stats.get("downloader/request_count", 0),
        "items_extracted": stats.get("newsindex/items/extracted", 0),
        "items_indexed": stats.get("newsindex/items/indexed", 0),
        "items_spooled": stats.get("newsindex/items/spooled", 0),
        "items_rejected": stats.get("newsindex/items/rejected", 0),
        "already_seen": stats.get("newsindex/discovery/already_seen", 0),
        "dropped": dropped,
        "retry_after_honored": stats.get("newsindex/retry_after/honored", 0),
        "monitors_failed": stats.get("newsindex/monitors/failed", 0),
    }


def _summary_line(s: dict[str, Any]) -> str:
    drops = ", ".join(f"{k}={v}" for k, v in sorted(s["dropped"].items())) or "none"
    return (f"crawl {s['finish_reason']}: {s['requests']} requests, {s['items_extracted']} articles extracted, "
            f"{s['items_indexed']} indexed, {s['items_spooled']} spooled, {s['items_rejected']} rejected, "
            f"{s['already_seen']} already seen; dropped: {drops}; failing monitors: {s['monitors_failed']}")


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo_site.site import DemoServer, source_yaml
    from crawler.runner import run_crawls
    from indexer.backends import open_backend
    from indexer.base import SearchRequest

    cfg = runtime_config.load()
    if cfg.es_urls and not args.use_es:
        os.environ.pop(runtime_config.ENV_ES_URL, None)
        cfg = runtime_config.load()
    with DemoServer() as server:
        src_dir = Path(tempfile.mkdtemp(prefix="newsindex-demo-"))
        (src_dir / "demo.yaml").write_text(source_yaml(server.base_url), encoding="utf-8")
        print(f"demo site: {server.base_url}/world/  (store: {cfg.backend}, data dir: {cfg.data_dir})")
        results = run_crawls([{"source_file": str(src_dir / "demo.yaml"), "recrawl": args.recrawl}],
                             {"LOG_LEVEL": "WARNING"})
    print(_summary_line(_summary(results[0])))
    backend = open_backend(cfg)
    try:
        backend.refresh()
        print(f"store now holds {backend.count()} articles")
        res = backend.search(SearchRequest(text=args.query, limit=5))
        print(f'\nsearch "{args.query}": {res["total"]} results')
        _print_results(res)
    finally:
        backend.close()
    return 0


# ------------------------------------------------------------------ search
def _print_results(res: dict[str, Any]) -> None:
    for i, r in enumerate(res["results"], 1):
        authors = ", ".join(r["authors"] + r["organizations"]) or "-"
        print(f"{i:>2}. {r['title']}\n    {r['source'] or '-'} | {authors} | {r['published_at'] or '-'}\n"
              f"    {r['url']}\n    {r['snippet']}")


def cmd_search(args: argparse.Namespace) -> int:
    from indexer.backends import open_backend
    from indexer.base import SearchRequest

    backend = open_backend(runtime_config.load())
    try:
        res = backend.search(SearchRequest(text=args.query or "", source=args.source, author=args.author,
                                           section=args.section, lang=args.lang, since=args.since, until=args.until,
                                           sort=args.sort, limit=args.limit, offset=args.offset))
    finally:
        backend.close()
    if args.json:
        _print_json(res)
    else:
        print(f"{res['total']} results")
        _print_results(res)
    return 0


# ------------------------------------------------------------------ index / replay / dev-es
def cmd_index(args: argparse.Namespace) -> int:
    from indexer.es_backend import ElasticsearchBackend
    from indexer.sqlite_backend import SQLiteBackend

    cfg = runtime_config.load()
    if not cfg.es_urls:
        SQLiteBackend(cfg.sqlite_path).close()
        print(f"embedded store ready: {cfg.sqlite_path} (index commands act on Elasticsearch when "
              f"{runtime_config.ENV_ES_URL} is set)")
        return 0
    es = ElasticsearchBackend(cfg)
    if args.action == "init":
        print(f"alias {es.alias} -> {es.init()}")
    elif args.action == "migrate":
        old, new, n = es.migrate()
        print(f"migrated {n} documents: alias {es.alias} now points to {new} (was {old})")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from indexer.backends import open_backend
    from indexer.replay import deliver
    from indexer.spool import DeadLetters, Spool

    cfg = runtime_config.load()
    spool, dead = Spool(cfg.spool_dir), DeadLetters(cfg.dead_letter_path)
    waiting, _ = spool.size()
    backend = open_backend(cfg)
    try:
        done = spool.replay(lambda docs: deliver(backend, docs, dead))
        backend.refresh()
    finally:
        backend.close()
    left, nbytes = spool.size()
    print(f"replayed {done} of {waiting} spooled documents; {left} still waiting ({nbytes} bytes)")
    return 0 if left == 0 else 1


def cmd_dev_es(args: argparse.Namespace) -> int:
    from indexer.dev_es import DevES, default_root

    # NEWSINDEX_DEV_ES_INSTANCE: a separate server (data, logs, state) next to the default one; the test
    # command uses its own, so running the tests never stops a developer's `dev-es start`
    instance = os.environ.get("NEWSINDEX_DEV_ES_INSTANCE")
    dev = DevES(default_root(), instance=Path(instance).resolve() if instance else None)
    if args.action == "start":
        url = dev.start()
        print(url)
    elif args.action == "stop":
        print("stopped" if dev.stop() else "not running")
    else:
        running, status_url = dev.status()
        print(f"running {status_url}" if running else "not running")
        return 0 if running else 3
    return 0


# ------------------------------------------------------------------ ops
def cmd_stats(args: argparse.Namespace) -> int:
    from crawler.ops import print_stats

    return print_stats(args.source, args.last, args.json)


def cmd_health(args: argparse.Namespace) -> int:
    from crawler.ops import health

    report = health(runtime_config.load())
    if args.json:
        _print_json(report)
    else:
        print(f"status: {report['status']}")
        for k, v in report.items():
            if k != "status":
                print(f"  {k}: {json.dumps(v, default=str)}")
    return {"healthy": 0, "degraded": 1}.get(report["status"], 2)


def cmd_schedule(args: argparse.Namespace) -> int:
    from crawler.scheduler import run_scheduler

    return run_scheduler(args.sources, args.concurrency, args.metrics_port, args.once_for)


def cmd_sources(args: argparse.Namespace) -> int:
    from crawler.sources import load_all

    found, errors = load_all(runtime_config.load().sources_dir)
    for sid, src in sorted(found.items()):
        print(f"{sid:<24} {src.name:<32} schedule={src.schedule or '-'}")
    for err in errors:
        print(f"ERROR {err}", file=sys.stderr)
    return 1 if errors else 0


# ------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsindex", description="News ingestion: crawl, extract, index, search.")
    p.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("demo", help="serve the bundled demo site, crawl it into the store, search it")
    s.add_argument("--query", default="Taliban withdrawal", help="sample search to run at the end")
    s.add_argument("--recrawl", action="store_true", help="fetch articles again even if already indexed")
    s.add_argument("--use-es", action="store_true", help="use NEWSINDEX_ES_URL instead of the embedded store")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("crawl", help="crawl sources (ids from config/sources) or a section URL (zero-config)")
    s.add_argument("sources", nargs="*", help="source ids")
    s.add_argument("--all", action="store_true", help="every source file")
    s.add_argument("--start-url", action="append", default=[], help="zero-config: a section page to crawl")
    s.add_argument("--recrawl", action="store_true", help="refetch articles already indexed")
    s.add_argument("--json", action="store_true", help="print one JSON summary per crawl")
    s.set_defaults(func=cmd_crawl)

    s = sub.add_parser("search", help="search the articles")
    s.add_argument("query", nargs="?", default="")
    for opt in ("source", "author", "section", "lang", "since", "until"):
        s.add_argument(f"--{opt}")
    s.add_argument("--sort", choices=["relevance", "date"])
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--offset", type=int, default=0)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("extract", help="extract an article from a saved page and print it as JSON")
    s.add_argument("file", nargs="?", help="FILE.html, FILE.html.gz or - for stdin")
    s.add_argument("--url", help="the page's URL")
    s.add_argument("--source", help="apply this source's selectors and timezone")
    s.add_argument("--manifest", help="JSONL of {path, url}: extract many pages, one JSON line each")
    s.set_defaults(func=cmd_extract)

    s = sub.add_parser("normalize", help="normalize a byline or a date")
    s.add_argument("kind", choices=["byline", "date"])
    s.add_argument("text", nargs="?", help="the text (else one per line from stdin)")
    s.add_argument("--tz", help="date: the source's IANA time zone for times without offset")
    s.add_argument("--now", help="date: reference time for relative dates (ISO 8601)")
    s.set_defaults(func=cmd_normalize)

    s = sub.add_parser("index", help="Elasticsearch index management")
    s.add_argument("action", choices=["init", "migrate"])
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("replay", help="send spooled documents to the store")
    s.set_defaults(func=cmd_replay)

    s = sub.add_parser("dev-es", help="a local Elasticsearch for development and tests")
    s.add_argument("action", choices=["start", "stop", "status"])
    s.set_defaults(func=cmd_dev_es)

    s = sub.add_parser("stats", help="recent crawl runs")
    s.add_argument("--source")
    s.add_argument("--last", type=int, default=20)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("health", help="backend, spool, dead letters, source freshness (exit 0/1/2)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_health)

    s = sub.add_parser("schedule", help="run sources on their cron schedules; serves /metrics and /healthz")
    s.add_argument("sources", nargs="*", help="source ids (default: every source with a schedule)")
    s.add_argument("--concurrency", type=int, default=2)
    s.add_argument("--metrics-port", type=int, default=9410)
    s.add_argument("--once-for", type=float, default=None, help=argparse.SUPPRESS)
    s.set_defaults(func=cmd_schedule)

    s = sub.add_parser("sources", help="list and validate the source files")
    s.set_defaults(func=cmd_sources)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)  # Scrapy lowers logger levels; the handler keeps the output quiet
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except NewsindexError as exc:
        print(f"newsindex {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
