"""URL canonicalization: one URL per story, whatever tracking, AMP or fragment it came with."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "ocid", "cmpid", "cmp", "icid", "ito", "smid", "smtyp", "ns_mchannel", "ns_source",
        "ns_campaign", "ns_linkname", "ns_fee", "at_medium", "at_campaign", "at_custom1", "at_custom2",
        "rss", "ref", "ref_src", "referrer", "share", "fb_ref", "s_cid", "sr_share", "taid", "amp",
        "outputtype", "mbid", "guccounter", "soc_src", "soc_trk", "xtor", "spref",
    }
)
TRACKING_PREFIXES = ("utm_", "mkt_", "pk_", "hsa_", "at_", "__twitter", "_hs")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_CHARS = 2048  # the longest URL browsers and search engines take
_AMP_PATH = re.compile(r"(/amp/?$|/amp(?=/)|\.amp(?=\.html?$|$)|\.amp\.html?$)", re.I)


_BAD_HOST = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`]")  # no host name or address has these
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")  # control characters and spaces: percent-encoded in a path


def _without_dot_segments(path: str) -> str:
    """``/a/./b/../c`` -> ``/a/c`` (RFC 3986 section 5.2.4); ``..`` never climbs above the root."""
    if "." not in path:
        return path
    segments = path.split("/")
    out: list[str] = []
    for seg in segments[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    if segments[-1] in (".", ".."):
        out.append("")  # "/a/b/.." names the folder "/a/"
    return "/" + "/".join(out)


def is_tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: object) -> str | None:
    """Canonical form of an http(s) URL, or None when it is not one.

    Lower-cased scheme and host, default port dropped, fragment dropped, tracking parameters
    (utm_*, fbclid, gclid, ...) removed, the remaining query sorted, AMP variants folded into
    the plain page (``/amp/``, ``.amp``, ``amp.`` host), trailing slash removed except at the root.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or _BAD_HOST.search(parts.hostname):
        return None
    host = parts.hostname.lower().rstrip(".")
    if host.startswith("amp."):
        host = host[4:]
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _without_dot_segments(_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", parts.path or "/"))
    path = _AMP_PATH.sub(lambda m: "/" if m.group(0).startswith("/") else "", path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if path.endswith(".amp"):
        path = path[:-4]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = _untracked(parts.query)
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def without_tracking(url: str) -> str:
    """The URL to request: tracking parameters and fragment dropped, everything else exactly as the site
    wrote it (the canonical form, the dedupe key, also drops trailing slashes, which some servers 404 on)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(_untracked(parts.query)), ""))


def _untracked(query: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not is_tracking(k)]


def registered_host(url: str) -> str:
    """Host without a leading 'www.'/'m.'/'amp.', for same-site comparisons."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host


def same_site(a: str, b: str) -> bool:
    ha, hb = registered_host(a), registered_host(b)
    return bool(ha) and (ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha))


def resolve_canonical(page_url: str, rel_canonical: object) -> str | None:
    """The canonical URL of a page: its rel=canonical when that points to the same site (and is no longer
    than MAX_URL_CHARS), else itself."""
    own = canonicalize_url(page_url)
    if isinstance(rel_canonical, str) and rel_canonical.strip():
        try:
            target = canonicalize_url(urljoin(page_url, rel_canonical.strip()))
        except ValueError:  # "http://[::1" and other unsplittable URLs
            target = None
        if target and own and len(target) <= MAX_URL_CHARS and same_site(own, target):
            return target
    return own
