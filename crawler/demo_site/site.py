"""The bundled demo news site: a world-news section with pagination, an RSS feed, a sitemap,
~30 articles in three deliberately different markups, the seed story, and the bad cases
(a PDF, a 404, a redirect loop, a calendar trap, an offsite redirect, an empty page,
a mis-declared charset, truncated HTML, a duplicate URL with utm parameters).

Everything is generated deterministically from this file and ``seed.txt``; :func:`serve` runs it
on 127.0.0.1 with a stdlib threaded HTTP server.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import threading
from dataclasses import dataclass
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

PER_PAGE = 8
SEED_SLUG = "china-taliban-tianjin-meeting"
SEED_AUTHOR = "Norvisi Mawunyegah"
SEED_PUBLISHED = dt.datetime(2021, 7, 29, 10, 15, tzinfo=dt.UTC)

_PLACES = [
    ("Kabul", "Afghanistan"), ("Nairobi", "Kenya"), ("Lima", "Peru"), ("Hanoi", "Vietnam"), ("Oslo", "Norway"),
    ("Accra", "Ghana"), ("Dhaka", "Bangladesh"), ("Quito", "Ecuador"), ("Tbilisi", "Georgia"),
    ("Manila", "the Philippines"), ("Rabat", "Morocco"), ("Santiago", "Chile"), ("Kyiv", "Ukraine"),
    ("Jakarta", "Indonesia"), ("Bogota", "Colombia"), ("Addis Ababa", "Ethiopia"), ("Canberra", "Australia"),
    ("Ottawa", "Canada"), ("Lisbon", "Portugal"), ("Seoul", "South Korea"), ("Dakar", "Senegal"),
    ("Amman", "Jordan"), ("Tunis", "Tunisia"), ("Warsaw", "Poland"), ("Helsinki", "Finland"),
    ("Montevideo", "Uruguay"), ("Colombo", "Sri Lanka"), ("Kampala", "Uganda"), ("Yerevan", "Armenia"),
    ("Bern", "Switzerland"), ("Lusaka", "Zambia"),
]
_TOPICS = [
    ("election", "votes", "electoral commission", "ballots"), ("drought", "harvest", "water ministry", "reservoirs"),
    ("trade talks", "tariffs", "commerce ministry", "exporters"), ("flooding", "evacuations", "civil defence", "rivers"),
    ("energy deal", "pipelines", "energy regulator", "gas fields"), ("protests", "demonstrators", "interior ministry",
                                                                    "curfews"),
    ("vaccine drive", "clinics", "health ministry", "doses"), ("port expansion", "shipping", "harbour authority",
                                                               "containers"),
]
_FIRST = ["Amara", "Lucas", "Priya", "Tomasz", "Ines", "Kwame", "Mei", "Jonas", "Fatima", "Diego", "Hana", "Omar",
          "Elena", "Samuel", "Yuki", "Nadia"]
_LAST = ["Okafor", "Lindqvist", "Raman", "Kowalski", "Ferreira", "Mensah", "Chen", "Bauer", "Haddad", "Morales",
         "Sato", "Farouk", "Petrova", "Adeyemi", "Nakamura", "Rahimi"]
_SENTENCES = [
    "Officials in {city} said on {weekday} that the {topic} had reached a critical point for {country}.",
    "The {body} in {city} published figures showing that {things} had changed sharply since the spring.",
    "Residents interviewed near the capital described long queues and uncertainty about the coming weeks.",
    "Analysts cautioned that the numbers from {country} were preliminary and could be revised.",
    "Neighbouring governments were watching the {topic} closely, diplomats in {city} said.",
    "A spokesperson for the {body} declined to give a timetable but promised regular updates.",
    "Opposition politicians accused the government of moving too slowly on {things}.",
    "International observers are expected to publish an initial assessment by the end of the month.",
    "Markets in {city} reacted calmly, with the local currency little changed against the dollar.",
    "Aid groups warned that rural districts of {country} had received far less attention than the cities.",
    "The {topic} dominated newspaper front pages in {city} for a third consecutive day.",
    "Several regional leaders called for talks to resolve disagreements over {things}.",
    "Engineers and volunteers worked through the night, according to a statement from the {body}.",
    "Officials said the measures would be reviewed if conditions in {country} improved.",
    "Critics argued that the plan did little for families who had already lost income.",
    "The United Nations office in {city} said it stood ready to provide technical support.",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@dataclass
class DemoArticle:
    slug: str
    theme: str  # "wp" | "jsonld" | "minimal"
    title: str
    lead: str
    paragraphs: list[str]
    authors: list[str]
    published: dt.datetime
    organization: str | None = None

    @property
    def path(self) -> str:
        return f"/world/{self.published:%Y/%m/%d}/{self.slug}"


def _seed_article() -> DemoArticle:
    lines = [ln.strip() for ln in resources.files("crawler.demo_site").joinpath("seed.txt").read_text(
        encoding="utf-8").splitlines() if ln.strip()]
    title = lines[1]
    chrome = {"Listen to this Article Now", "Getting your Trinity Audio player ready...", "Spread the love"}
    body = [ln for ln in lines[2:] if ln not in chrome and not ln.startswith("Story By:")]
    return DemoArticle(SEED_SLUG, "wp", title, body[0], body[1:], [SEED_AUTHOR], SEED_PUBLISHED)


def build_articles() -> list[DemoArticle]:
    rng = random.Random(20210729)
    arts = [_seed_article()]
    themes = ["wp", "jsonld", "minimal"]
    base = dt.datetime(2021, 7, 28, 6, 0, tzinfo=dt.UTC)
    for i, (city, country) in enumerate(_PLACES):
        topic, things, body, _ = _TOPICS[i % len(_TOPICS)]
        ctx = {"city": city, "country": country, "topic": topic, "things": things, "body": body,
               "weekday": _WEEKDAYS[i % 5]}
        picks = rng.sample(_SENTENCES, 12)
        paragraphs = [" ".join(s.format(**ctx) for s in picks[k:k + 3]) for k in range(0, 12, 3)]
        paragraphs.append(f"Article {i + 1} of the demo desk: {city} {country} {topic} report number {i * 7 + 3}.")
        n_auth = 1 + (i % 3 == 0)
        authors = [f"{_FIRST[(i + k * 5) % 16]} {_LAST[(i * 3 + k) % 16]}" for k in range(n_auth)]
        arts.append(DemoArticle(
            slug=f"{city.lower().replace(' ', '-')}-{topic.replace(' ', '-')}-{i + 1}",
            theme=themes[i % 3],
            title=f"{country.removeprefix('the ').capitalize() if country.startswith('the') else country}: "
                  f"{topic.capitalize()} tests leaders in {city}",
            lead=f"Pressure mounts in {city} as the {topic} enters a decisive week.",
            paragraphs=paragraphs,
            authors=authors,
            published=base - dt.timedelta(hours=7 * i, minutes=13 * i),
            organization="Reuters" if i % 5 == 4 else None,
        ))
    return arts


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


_NAV = ('<header><nav class="menu"><a href="/">Home</a> <a href="/world/">World</a> <a href="/business/">Business'
        '</a> <a href="/files/annual-report.pdf">Annual report (PDF)</a> <a href="/subscribe">Subscribe</a></nav>'
        '</header>')
_FOOTER = ('<footer><p>© Demo Daily News. All rights reserved.</p><p>Subscribe to our newsletter</p>'
           '<a href="/about">About</a> <a href="/contact">Contact</a></footer>')


def render_article(a: DemoArticle, host: str) -> str:
    byline = " and ".join(a.authors)
    org = f" | {a.organization}" if a.organization else ""
    paras = "".join(f"<p>{_esc(p)}</p>" for p in [a.lead, *a.paragraphs])
    related = ('<aside class="related"><h3>Related stories</h3><ul>'
               '<li><a href="/world/">More world news</a></li></ul></aside>')
    if a.theme == "wp":
        return f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8">
<title>{_esc(a.title)} - Demo Daily News</title>
<meta property="og:title" content="{_esc(a.title)}"><meta property="og:site_name" content="Demo Daily News">
<meta property="article:published_time" content="{a.published.isoformat()}">
<meta property="article:section" content="International News">
<link rel="canonical" href="http://{host}{a.path}"></head>
<body class="post-template-default single single-post">{_NAV}
<div class="site-content"><article class="post type-post">
<span class="cat-links"><a href="/world/" rel="category tag">International News</a></span>
<h1 class="entry-title">{_esc(a.title)}</h1>
<div class="entry-meta"><time class="entry-date published" datetime="{a.published.isoformat()}">{a.published:%B %d, %Y}</time></div>
<div class="trinity-tts-pb"><div class="trinity-player-label">Listen to this Article Now</div>
<div class="trinity-audio-placeholder">Getting your Trinity Audio player ready...</div></div>
<div class="entry-content">
<div class="sharing"><p class="share-title">Spread the love</p><a href="#share-fb">Facebook</a> <a href="#share-tw">Twitter</a> <a href="#share-wa">WhatsApp</a></div>
{paras}
<p><strong>Story By: {_esc(byline)}</strong>{_esc(org)}</p>
</div>{related}</article></div>{_FOOTER}</body></html>"""
    if a.theme == "jsonld":
        import json

        ld = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "name": "Demo Daily News", "url": f"http://{host}/"},
            {"@type": "NewsArticle", "headline": a.title, "datePublished": a.published.isoformat(),
             "dateModified": (a.published + dt.timedelta(hours=2)).isoformat(),
             "author": [{"@type": "Person", "name": n} for n in a.authors]
             + ([{"@type": "Organization", "name": a.organization}] if a.organization else []),
             "articleSection": "World", "description": a.lead, "inLanguage": "en",
             "articleBody": "\n\n".join([a.lead, *a.paragraphs]),
             "publisher": {"@type": "NewsMediaOrganization", "name": "Demo Daily News"}},
        ]}
        return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{_esc(a.title)} | Demo Daily News</title>
<script type="application/ld+json">{json.dumps(ld)}</script>
<link rel="canonical" href="http://{host}{a.path}"></head><body>{_NAV}
<main><article><div class="kicker">World</div><h1>{_esc(a.title)}</h1>
<div class="byline">By <a rel="author" href="/authors/x">{_esc(byline)}</a>{_esc(org)}</div>
<div class="share-bar"><button>Share</button><button>Tweet</button><button>Email</button></div>
<div class="article-body">{paras}</div>
<p class="read-more"><a href="/world/">Read more: World</a></p></article>{related}</main>{_FOOTER}</body></html>"""
    when = a.published.strftime("%B %d, %Y %H:%M GMT").replace(" 0", " ")
    return f"""<html><head><title>{_esc(a.title)}</title></head><body>
<div id="top"><a href="/">Demo Daily News</a> &gt; <a href="/world/">World</a></div>
<div class="story"><h1>{_esc(a.title)}</h1>
<p class="meta">BY {_esc(byline.upper())}{_esc(org)} &middot; {when}</p>
{paras}</div>
<div class="bottom">Tags: world &middot; <a href="/world/">Back to World</a></div></body></html>"""


def render_section(arts: list[DemoArticle], page: int) -> str:
    pages = (len(arts) + PER_PAGE - 1) // PER_PAGE
    chunk = arts[(page - 1) * PER_PAGE: page * PER_PAGE]
    items = "".join(f'<li class="teaser"><a href="{a.path}">{_esc(a.title)}</a><p>{_esc(a.lead)}</p></li>'
                    for a in chunk)
    extra = ""
    if page == 1:
        first = arts[1]
        extra = (f'<li><a href="{first.path}?utm_source=newsletter&utm_medium=email#comments">{_esc(first.title)} '
                 f'(newsletter)</a></li><li><a href="/world/2021/07/20/missing-story-404">A story that vanished</a>'
                 f'</li><li><a href="/world/2021/07/19/live-coverage">Live coverage</a></li>'
                 f'<li><a href="/world/2021/07/18/annual-report">Annual report (PDF)</a></li>'
                 f'<li><a href="/world/2021/07/21/partner-story">Partner story</a></li>'
                 f'<li><a href="/world/2021/07/22/empty-story">Empty page</a></li>'
                 f'<li><a href="/world/2021/07/23/latin1-story">Mis-declared charset</a></li>'
                 f'<li><a href="/world/2021/07/24/truncated-story">Truncated page</a></li>')
    nav = ""
    if page > 1:
        nav += f'<a rel="prev" href="/world/?page={page - 1}">Previous</a> '
    if page < pages:
        nav += f'<a rel="next" class="next" href="/world/?page={page + 1}">Next page</a>'
    else:
        nav += '<a class="archive" href="/world/calendar/2021-07-29">More</a>'
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>World - Demo Daily News</title>
</head><body>{_NAV}<h1>World news</h1><ul class="teasers">{items}{extra}</ul><div class="pagination">{nav}</div>
{_FOOTER}</body></html>"""


def render_feed(arts: list[DemoArticle], host: str) -> str:
    items = "".join(
        f"<item><title>{_esc(a.title)}</title><link>http://{host}{a.path}</link>"
        f"<pubDate>{format_datetime(a.published)}</pubDate><description>{_esc(a.lead)}</description></item>"
        for a in arts[:15])
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Demo Daily News - World'
            f'</title><link>http://{host}/world/</link>{items}</channel></rss>')


def render_sitemap(arts: list[DemoArticle], host: str) -> str:
    urls = "".join(
        f"<url><loc>http://{host}{a.path}</loc><news:news><news:publication><news:name>Demo Daily News</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{a.published.isoformat()}"
        f"</news:publication_date><news:title>{_esc(a.title)}</news:title></news:news></url>" for a in arts)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>")


def render_sitemap_index(host: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f'<sitemap><loc>http://{host}/sitemap-news.xml</loc></sitemap></sitemapindex>')


def _partner_story() -> str:
    return ("<html><head><title>Partner story</title></head><body><h1>Partner story</h1>"
            "<p>Short teaser only.</p></body></html>")


class DemoSite:
    """Routes of the demo site; ``respond(path)`` -> (status, headers, body bytes)."""

    def __init__(self) -> None:
        self.articles = build_articles()
        self.by_path = {a.path: a for a in self.articles}
        self.hits: dict[str, int] = {}
        self._lock = threading.Lock()

    def respond(self, target: str, host: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        with self._lock:
            self.hits[path] = self.hits.get(path, 0) + 1
        html_type = {"Content-Type": "text/html; charset=utf-8"}
        if path in ("/", "/world", "/world/"):
            try:
                page = max(1, int(query.get("page", ["1"])[0]))
            except ValueError:
                page = 1
            return 200, html_type, render_section(self.articles, page).encode()
        if path in self.by_path:
            return 200, html_type, render_article(self.by_path[path], host).encode()
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"
        if path == "/feed.xml":
            return 200, {"Content-Type": "application/rss+xml"}, render_feed(self.articles, host).encode()
        if path == "/sitemap.xml":
            return 200, {"Content-Type": "application/xml"}, render_sitemap_index(host).encode()
        if path == "/sitemap-news.xml":
            return 200, {"Content-Type": "application/xml"}, render_sitemap(self.articles, host).encode()
        if path in ("/files/annual-report.pdf", "/world/2021/07/18/annual-report"):
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        if path == "/world/2021/07/19/live-coverage":
            return 302, {"Location": "/world/2021/07/19/live-coverage-now"}, b""
        if path == "/world/2021/07/19/live-coverage-now":
            return 302, {"Location": "/world/2021/07/19/live-coverage"}, b""
        if path.startswith("/world/calendar/"):
            # a spider trap: an endless chain of "next day" archive pages
            try:
                d = dt.date.fromisoformat(path.rsplit("/", 1)[-1])
            except ValueError:
                d = dt.date(2021, 7, 29)
            body = (f"<html><body><h1>Archive {d}</h1><a rel='next' href='/world/calendar/{d + dt.timedelta(days=1)}'>"
                    f"Next day</a> <a href='/world/calendar/{d - dt.timedelta(days=1)}?view=list&sort=asc'>"
                    f"Previous day</a></body></html>")
            return 200, html_type, body.encode()
        if path == "/out":
            return 302, {"Location": "http://offsite.invalid/story"}, b""
        if path == "/world/2021/07/21/partner-story":
            return 302, {"Location": "http://partner.invalid/world/2021/07/21/partner-story"}, b""
        if path == "/world/2021/07/22/empty-story":
            return 200, html_type, b""
        if path == "/world/2021/07/23/latin1-story":
            text = ("<html><head><meta charset='utf-8'><title>Café owners in Zürich protest</title></head><body>"
                    "<h1>Café owners in Zürich protest new rules</h1><p>By Renée Müller</p>"
                    + "<p>Café owners in Zürich said the new rules would hurt façades and terraces. " * 8
                    + "</p></body></html>")
            return 200, {"Content-Type": "text/html"}, text.encode("latin-1")
        if path == "/world/2021/07/24/truncated-story":
            text = ("<html><head><title>Truncated</title></head><body><h1>Truncated story about ports</h1><p>"
                    + "Port workers in Mombasa walked out on Tuesday over pay and conditions. " * 10)
            return 200, html_type, text.encode()[: 600]
        return 404, html_type, b"<html><body><h1>Not found</h1></body></html>"


def make_handler(site: DemoSite, delay: float = 0.0) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if delay:
                import time

                time.sleep(delay)
            status, headers, body = site.respond(self.path, self.headers.get("Host", "127.0.0.1"))
            write_response(self, status, headers, body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

    return Handler


def write_response(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
    """Send one complete HTTP response (status, headers, Content-Length, body) from a request handler."""
    handler.send_response(status)
    for k, v in headers.items():
        handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class DemoServer:
    """The demo site on 127.0.0.1 (port 0 = any free port), in a background thread."""

    def __init__(self, port: int = 0, delay: float = 0.0) -> None:
        self.site = DemoSite()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), make_handler(self.site, delay))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> DemoServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def source_yaml(base_url: str, source_id: str = "demo") -> str:
    """A source file for the demo site served at ``base_url``."""
    host = urlsplit(base_url).hostname
    return f"""name: Demo Daily News
allowed_domains: [{host}]
start_urls: ["{base_url}/world/"]
feeds: ["{base_url}/feed.xml"]
sitemaps: ["{base_url}/sitemap.xml"]
article_url_patterns:
  allow: ['/world/\\d{{4}}/\\d{{2}}/\\d{{2}}/']
language: en
timezone: UTC
schedule: "*/30 * * * *"
max_pages: 200
max_depth: 6
politeness:
  download_delay: 0
"""
