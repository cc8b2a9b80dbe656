#!/usr/bin/env python3
"""Crawl throughput: a bare Scrapy spider vs the full newsindex spider + pipelines, same local site.

    python bench/crawl.py [--articles 5000]

Generates a site of N article pages (three markups, as on the demo site) plus paginated section pages,
an RSS feed and a sitemap, serves it on 127.0.0.1, then crawls it in two child processes with the same
Scrapy settings (no delays, no AutoThrottle; robots.txt obeyed):
(a) a bare spider that follows every link and yields the raw HTML,
(b) `news` with the newsindex pipelines into a fresh embedded store.
(a) and (b) alternate for --rounds rounds (each (b) into a fresh store); prints the median pages/s of
both, the ratio of the medians and the peak RSS of each child (and of (b)'s largest extraction worker).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from crawler.demo_site.site import (  # noqa: E402
    _FIRST,
    _LAST,
    _PLACES,
    _SENTENCES,
    _TOPICS,
    DemoArticle,
    render_article,
)

PER_PAGE = 50


def build_site(n: int) -> list[DemoArticle]:
    rng = random.Random(5)
    base = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    arts = []
    for i in range(n):
        city, country = _PLACES[i % len(_PLACES)]
        topic, things, body, _ = _TOPICS[i % len(_TOPICS)]
        ctx = {"city": city, "country": country, "topic": topic, "things": things, "body": body, "weekday": "Monday"}
        paragraphs = [" ".join(s.format(**ctx) for s in rng.sample(_SENTENCES, 4)) + f" Ref {i}-{k}."
                      for k in range(rng.randint(6, 12))]
        slug = f"story-{i}-{city.lower().replace(' ', '-')}"
        arts.append(DemoArticle(slug=slug, theme=("wp", "jsonld", "minimal")[i % 3],
                                title=f"{country}: {topic} report {i}", lead=f"Lead of report {i} from {city}.",
                                paragraphs=paragraphs, authors=[f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"],
                                published=base - dt.timedelta(minutes=17 * i)))
    return arts


def serve(arts: list[DemoArticle]) -> ThreadingHTTPServer:
    by_path = {a.path: a for a in arts}
    # each page is rendered once and then served from memory (for every round): the server shares the
    # machine with the crawlers, and its CPU is not what is measured
    rendered: dict[tuple[str, str], bytes] = {}
    pages = (len(arts) + PER_PAGE - 1) // PER_PAGE

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            host = self.headers.get("Host", "127.0.0.1")
            path, _, query = self.path.partition("?")
            status, body = 200, b""
            if path in ("/", "/world/"):
                page = int(query.split("=", 1)[1]) if query.startswith("page=") else 1
                chunk = arts[(page - 1) * PER_PAGE: page * PER_PAGE]
                items = "".join(f'<li><a href="{a.path}">{a.title}</a><p>{a.lead}</p></li>' for a in chunk)
                nav = f'<a rel="next" href="/world/?page={page + 1}">Next page</a>' if page < pages else ""
                body = (f"<html><head><title>World</title></head><body><nav><a href='/'>Home</a></nav>"
                        f"<h1>World</h1><ul>{items}</ul>{nav}</body></html>").encode()
            elif path in by_path:
                body = rendered.get((path, host)) or b""
                if not body:
                    body = rendered[(path, host)] = render_article(by_path[path], host).encode()
            elif path == "/robots.txt":
                body = b"User-agent: *\nDisallow:\n"
            else:
                status, body = 404, b"not found"
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8" if path != "/robots.txt" else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


BARE = r'''
import json, resource, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [sys.argv[1] + "/world/"]
    links = LinkExtractor()
    def parse(self, response):
        if "/world/" in response.url and "?" not in response.url and response.url.count("/") > 5:
            yield {"url": response.url, "html": response.text}
            return
        for link in self.links.extract_links(response):
            yield response.follow(link.url, self.parse)

settings = json.loads(sys.argv[2])
process = CrawlerProcess(settings)
crawler = process.create_crawler(Bare)
t = time.perf_counter()
process.crawl(crawler)
process.start()
elapsed = time.perf_counter() - t
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"items": crawler.stats.get_value("item_scraped_count", 0), "seconds": elapsed,
                  "rss_mb": me.ru_maxrss / 1024, "cpu": me.ru_utime + me.ru_stime}))
'''

FULL = r'''
import json, resource, sys, time
sys.path.insert(0, ".")
from crawler.runner import run_crawls

if __name__ == "__main__":  # extraction workers are spawned and import this module
    t = time.perf_counter()
    stats = run_crawls([{"source_file": sys.argv[1]}], json.loads(sys.argv[2]))[0]
    elapsed = time.perf_counter() - t
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"items": stats.get("newsindex/items/indexed", 0), "seconds": elapsed,
                      "rss_mb": me.ru_maxrss / 1024, "cpu": me.ru_utime + me.ru_stime,
                      "worker_rss_mb": kids.ru_maxrss / 1024, "worker_cpu": kids.ru_utime + kids.ru_stime}))
'''

SETTINGS = {"LOG_LEVEL": "WARNING", "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False,
            "DEPTH_LIMIT": 0}


def run_child(code: str, args: list[str], env: dict[str, str]) -> dict:
    # a real file: Scrapy inspects the source of spider callbacks
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(code)
    server = time.process_time()  # this process only serves the site while the child crawls
    try:
        proc = subprocess.run([sys.executable, f.name, *args], capture_output=True, text=True, env=env,
                              cwd=str(HERE.parent))
    finally:
        os.unlink(f.name)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return {**json.loads(lines[-1]), "server_cpu": time.process_time() - server}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3, help="alternating (a)/(b) rounds; the medians are compared")
    ap.add_argument("--extraction-workers", default="auto",
                    help="NEWSINDEX_EXTRACTION_WORKERS for (b): auto (2 on 2+ CPUs) or a number")
    args = ap.parse_args()
    arts = build_site(args.articles)
    httpd = serve(arts)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    bares: list[dict] = []
    fulls: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.yaml"
        source.write_text(
            f"name: Bench\nallowed_domains: [127.0.0.1]\nstart_urls: ['{base}/world/']\n"
            f"article_url_patterns:\n  allow: ['/world/\\d{{4}}/']\nmax_pages: 100000\nmax_depth: 100000\n",
            encoding="utf-8")
        full_settings = json.dumps({**SETTINGS, "NEWSINDEX_FLUSH_ITEMS": 500,
                                    "NEWSINDEX_EXTRACTION_WORKERS": args.extraction_workers})
        for r in range(args.rounds):
            env = {**os.environ, "NEWSINDEX_DATA_DIR": str(Path(tmp) / f"data-{r}")}  # a fresh store each round
            env.pop("NEWSINDEX_ES_URL", None)
            for which in (("bare", "full") if r % 2 == 0 else ("full", "bare")):
                if which == "bare":
                    bares.append(run_child(BARE, [base, json.dumps(SETTINGS)], env))
                else:
                    fulls.append(run_child(FULL, [str(source), full_settings], env))
            ra = bares[-1]["items"] / bares[-1]["seconds"]
            rb = fulls[-1]["items"] / fulls[-1]["seconds"]
            print(f"round {r + 1}: bare {ra:.1f} pages/s, newsindex {rb:.1f} pages/s, ratio {rb / ra:.2f} "
                  f"(CPU s: bare {bares[-1]['cpu']:.1f}, newsindex {fulls[-1]['cpu']:.1f} "
                  f"+ workers {fulls[-1].get('worker_cpu', 0):.1f}; the site server {bares[-1]['server_cpu']:.1f} "
                  f"and {fulls[-1]['server_cpu']:.1f})", flush=True)
    httpd.shutdown()
    bare = sorted(bares, key=lambda x: x["items"] / x["seconds"])[len(bares) // 2]
    full = sorted(fulls, key=lambda x: x["items"] / x["seconds"])[len(fulls) // 2]
    a = bare["items"] / bare["seconds"]
    b = full["items"] / full["seconds"]
    print(f"{args.articles} article pages, median of {args.rounds} rounds")
    print(f"{'crawl':<36} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak RSS MB':>12}")
    print(f"{'(a) bare Scrapy spider, raw HTML':<36} {bare['items']:>6} {bare['seconds']:>8.1f} {a:>8.1f} "
          f"{max(x['rss_mb'] for x in bares):>12.0f}")
    print(f"{'(b) newsindex spider + pipelines':<36} {full['items']:>6} {full['seconds']:>8.1f} {b:>8.1f} "
          f"{max(x['rss_mb'] for x in fulls):>12.0f}")
    worker_rss = max(x.get("worker_rss_mb") or 0 for x in fulls)
    if worker_rss:
        print(f"{'    its largest extraction worker':<36} {'':>6} {'':>8} {'':>8} {worker_rss:>12.0f}")
    print(f"ratio b/a = {b / a:.2f} (target >= 0.6); peak RSS target < 400 MB per process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
