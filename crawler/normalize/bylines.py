"""Byline normalization: raw byline text -> person names + credited organizations.

``normalize_byline(text)`` never raises and is idempotent on its output names. It:
- drops lead-ins ("By", "Story By:", "Written by", "Reporting by", "Par", "Von", "Por", ...),
  editing credits ("Editing by ...", "Edited by ..."), e-mail addresses, URLs, @handles, dates;
- splits on "and", "&", commas, semicolons, pipes and slashes;
- drops job titles ("Staff Writer", "Senior Correspondent") and places ("in Kabul");
- puts agencies and outlets (Reuters, AP, AFP, "BBC News", "Al Jazeera Staff") in organizations;
- re-cases ALL-CAPS names, strips honorifics (Dr., Prof., Mr., ...), removes duplicates,
  keeps non-Latin names as written.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypedDict

from crawler.normalize.text import clean_text, visible_chars


class Byline(TypedDict):
    authors: list[str]
    organizations: list[str]


AGENCIES = {
    "reuters": "Reuters", "ap": "AP", "associated press": "Associated Press", "the associated press":
    "Associated Press", "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "dpa": "dpa", "epa": "EPA", "efe": "EFE", "ansa": "ANSA", "xinhua": "Xinhua", "pti": "PTI", "ians": "IANS",
    "ani": "ANI", "bloomberg": "Bloomberg", "upi": "UPI", "kyodo": "Kyodo", "yonhap": "Yonhap", "tass": "TASS",
    "ria novosti": "RIA Novosti", "anadolu": "Anadolu", "anadolu agency": "Anadolu Agency", "cnn": "CNN",
    "bbc": "BBC", "bbc news": "BBC News", "al jazeera": "Al Jazeera", "npr": "NPR", "pa": "PA",
    "pa media": "PA Media", "press association": "Press Association", "aap": "AAP", "cp": "CP",
    "the canadian press": "The Canadian Press", "canadian press": "The Canadian Press", "sid": "SID",
    "kna": "KNA", "epd": "epd", "apa": "APA", "belga": "Belga", "anp": "ANP", "europa press": "Europa Press",
    "lusa": "Lusa", "agencia brasil": "Agência Brasil", "wafa": "WAFA", "sana": "SANA", "irna": "IRNA",
    "wam": "WAM", "spa": "SPA", "mena": "MENA", "ips": "IPS", "agencies": "Agencies", "wires": "Wires",
    "news agencies": "News agencies", "staff": "Staff", "newsroom": "Newsroom",
}
_GENERIC_CREDITS = {"staff", "newsroom", "agencies", "wires", "news", "the", "cp", "pa", "ap", "ani", "spa", "sana",
                    "ips", "sid", "wam", "apa", "epa", "upi"}
_ORG_WORDS = re.compile(
    r"\b(news|staff|desk|team|bureau|agency|agencies|newsroom|redaktion|rédaction|redacción|redação|"
    r"redazione|redactie|press|media|times|post|journal|tribune|herald|gazette|telegraph|guardian|"
    r"network|online|digital|editorial|editors|wire|wires|service|services|group|correspondents|"
    r"reporters|magazine|radio|tv|television|channel|daily|weekly|international|foundation|institute|"
    r"university|ministry|council|association|company|inc|ltd|llc|gmbh|sa|nachrichten|zeitung|rundschau|"
    r"kurier|anzeiger|tagblatt|allgemeine|welle|rundfunk|presse|stampa|corriere|gazzetta|diario|periódico|"
    r"periodico|jornal|krant|dagblad|avis)\b",
    re.I,
)
_TITLE_WORDS = re.compile(
    r"\b(writer|correspondent|editor|reporter|contributor|columnist|journalist|analyst|producer|"
    r"chief|director|head|fellow|professor|lecturer|researcher|author|photographer|videographer|"
    r"anchor|host|presenter|intern|freelance|freelancer|special|senior|junior|deputy|associate|"
    r"contributing|political|economics|business|foreign|diplomatic|security|defen[cs]e|health|science|"
    r"technology|tech|culture|sports?|affairs|commentator|critic|blogger|stringer|staffer|"
    r"redakteur|redakteurin|korrespondent|korrespondentin|journaliste|envoyé|envoyée|spécial|"
    r"corresponsal|periodista|correspondente|giornalista|inviato|verslaggever|correspondent)\b",
    re.I,
)
_LEAD_IN = re.compile(
    r"^\s*(?:(?:story|words|text|article|report|reporting|written|posted|published|compiled|"
    r"photos?|video|interview|analysis|commentary|opinion|material|mit material|an?\s+\w+\s+by)\s+)?"
    r"(?:(?:author|autor|auteur)[^:\n]{0,25}:|by|from|author|authors|autor|autorin|autoren|autorin/autor|"
    r"autor/autorin|auteur|auteurs|autore|autori|"
    r"par|von|por|di|door|de|texto|text|reportage|reporter|bylined?)"
    r"\s*[:\-–—]?\s*(?<=[\s:\-–—])",
    re.I,
)
_EDIT_CREDIT = re.compile(
    r"\b(editing|edited|additional reporting|compiled|writing|graphics|fact[- ]?checked|produced|"
    r"translated|translation|photos?|illustrations?|design)\s+by\b.*$"
    # "Photos: X", "Fotos: X", "Video: X": the pictures' credit, to the end of its segment; "Special to The
    # Globe and Mail": the outlet a freelancer wrote for, no second name
    r"|\b(?:photos?|photography|fotos?|pictures?|video|graphics?|grafik|illustrations?|design|editing|"
    r"translation|übersetzung)\s*:.*$|\bspecial to\b.*$",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_URL = re.compile(r"(https?://|www\.)\S+", re.I)
_HANDLE = re.compile(r"(^|\s)@\w+")
_DOMAIN = re.compile(r"(?<![\w.@-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|news|[a-z]{2})"
                     r"(?:\.[a-z]{2})?(?![\w.-])")
_WEEKDAYS = (r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|"
             r"freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|"
             r"miércoles|jueves|viernes|sábado|domingo")
_DATEISH = re.compile(
    r"\b(updated|published|posted|modified|publié|publie|mis à jour|veröffentlicht|aktualisiert|publicado|"
    r"actualizado|atualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|il y a|"
    # a weekday opening the date: "Jane Doe Monday, November 18, 2019", "Max Muster Montag, 18. November"
    rf"(?:{_WEEKDAYS})\b,?\s+(?=\d|[^\W\d_]+\.?\s+\d)|"
    r"\d{1,2}:\d{2}|\d{4}|\d{1,2}/\d{1,2}|\d{1,2}\.\d{1,2}\.?|(jan|feb|mar|apr|may|jun|"
    r"jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2})\b.*$",
    re.I,
)
_READ_TIME = re.compile(r"\b\d+\s*(min|mins|minute|minutes)\.?\s+(read|lesen|lecture|lectura)\b", re.I)
_PLACE = re.compile(r"\s+(?:in|from|aus|en|em|a|à|in)\s+(?:[A-Z][\w'’.-]+)(?:\s+[A-Z][\w'’.-]+)*\s*$")
# "Von Ines Zöttl, Washington": after a lead-in, one full name then one capitalized word that is no
# outlet is the dateline's place, not a second author.
_DATELINE_TAIL = re.compile(r"^(\s*[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){1,3}),(\s*[A-ZÀ-Þ][\w'’.-]+)\s*$")
# "von unserer Redaktion", "our correspondent": the outlet crediting itself, no one's name
_SELF_CREDIT = re.compile(r"^(?:our|unserer|unsere|unseres|unserem|notre|nos|nuestra|nuestro|nostra|nostro|onze|"
                          r"nossa|nosso)\b", re.I)
_HONORIFIC = re.compile(r"^(?:(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame|rev|hon)\.?\s+)+", re.I)
# "By TPN, in News, Portugal, Business": after a lead-in, ", in <...>" lists where the story was filed
_FILED_IN = re.compile(r",\s+(?:in|en|em)\s+\S.*$")
# A credit that is one short all-capitals word ("TPN", "APA", "KNA") is an organization's acronym, not a person
_ACRONYM = re.compile(r"[A-ZÀ-Þ]{2,5}")
_SPLIT = re.compile(
    r"\s*(?:,|;|\||/|•|·|&|\n|\b(?i:and|with)\b|\b(?:und|et|y|e|en|og|och|i|avec|mit|con|com)\b)\s*"
)
_PARENS = re.compile(r"[\(\[]([^\)\]]*)[\)\]]")
_FORBIDDEN = re.compile(
    rf"\b(by|story|written|updated|published|min read|read more|share|{_WEEKDAYS}|january|february|march|"
    r"april|june|july|august|september|october|november|december|januar|februar|märz|juni|juli|oktober|"
    r"dezember|janvier|février|avril|juillet|août|septembre|octobre|novembre|décembre)\b",
    re.I,
)
_LOWER_PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "des", "la", "le",
                    "bin", "bint", "al", "el", "ibn", "ter", "ten", "dos", "das", "zu", "y"}


def _empty() -> Byline:
    return {"authors": [], "organizations": []}


def _is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(c, "") for c in letters)


def _recase_word(word: str, first: bool) -> str:
    low = word.lower()
    if not first and low in _LOWER_PARTICLES:
        return low
    out = "-".join(p[:1].upper() + p[1:] for p in low.split("-"))
    out = re.sub(r"^(Mc|O'|O’|D'|D’)(\w)", lambda m: m.group(1) + m.group(2).upper(), out)
    return out


def _recase(name: str) -> str:
    if len(name.lower()) != len(name) or len(name.upper()) != len(name):
        return name  # e.g. 'İ' lower-cases to two code points: leave such names as written
    letters = [c for c in name if c.isalpha()]
    if len(letters) >= 2 and _is_latin(name) and (name.isupper() or name.islower()):
        words = name.split()
        return " ".join(_recase_word(w, i == 0) for i, w in enumerate(words))
    if _is_latin(name):  # "Bill MCCARTHY": a surname in capitals next to a cased given name
        return " ".join(_recase_word(w, i == 0) if len(w) >= 3 and w.isupper() and w.isalpha() else w
                        for i, w in enumerate(name.split()))
    return name


_TITLE_GLUE = {"staff", "of", "for", "the", "and", "&", "at", "on"}
_ARTICLE_LEAD = re.compile(r"^(the|le|la|les|der|die|das|el|il|lo|los|las|het)\s+\S", re.I)


def _org(piece: str) -> str | None:
    key = piece.lower().strip(" .")
    key = re.sub(r"^the\s+", "the ", key)
    if key in AGENCIES:
        return AGENCIES[key]
    if re.sub(r"\s+staff$", "", key) in AGENCIES:
        return AGENCIES[re.sub(r"\s+staff$", "", key)]
    first = key.split(" ", 1)[0]
    if first in AGENCIES and first not in _GENERIC_CREDITS and " " in key:  # "AFP Deutschland"
        return " ".join(piece.split())
    if _ORG_WORDS.search(piece) or _ARTICLE_LEAD.match(piece):  # "Le Figaro", "Der Spiegel", "The Hindu"
        return " ".join(piece.split())
    return None


# Job titles written after a CJK name ("신현주 기자", "松岡大地 記者"): the name stays, the title goes.
_CJK_TITLE = re.compile(r"\s*(?:선임기자|수습기자|기자|특파원|논설위원|편집위원|"
                        r"記者|特派員|编辑|记者|特派员|論説委員|編集委員)$")


def _clean_piece(piece: str) -> str:
    piece = _CJK_TITLE.sub("", piece.strip())
    piece = _HONORIFIC.sub("", piece.strip(" \t-–—:.,;|*·•\"'“”‘’()[]"))
    piece = re.sub(r",?\s+(jr|sr|ii|iii|phd|md)\.?$", "", piece, flags=re.I)
    return " ".join(piece.split()).strip(" -–—:,;|'\"")


def _looks_like_name(piece: str) -> bool:
    if not piece or len(piece) > 60 or any(c.isdigit() for c in piece):
        return False
    words = piece.split()
    if not 1 <= len(words) <= 6:
        return False
    if _FORBIDDEN.search(piece) or _TITLE_WORDS.search(piece):
        return False
    if not any(c.isalpha() for c in piece):
        return False
    if _is_latin(piece):
        caps = [w for w in words if w[:1].isupper()]
        if not caps or words[0][:1].islower():
            return False
        if len(words) > 1 and len(caps) < len(words) - 2:
            return False
    return True


def normalize_byline(text: object) -> Byline:
    """Split a raw byline into person names and organizations; see the module docstring."""
    try:
        return _normalize(text)
    except Exception:  # noqa: BLE001 - a normalizer never raises
        return _empty()


def _normalize(text: object) -> Byline:
    if isinstance(text, (list, tuple)):
        text = "; ".join(str(t) for t in text if isinstance(t, str))
    if not isinstance(text, str):
        return _empty()
    # entities decoded, NFC, one space per run, lines kept; nothing invisible (zero-width, bidirectional
    # controls, NUL, icon-font glyphs) left inside a name
    text = visible_chars(clean_text(text[:4000]))[:2000]
    text = re.sub(r"<[^>]+>", " ", text)
    text = _EMAIL.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    authors: list[str] = []
    orgs: list[str] = [m.group(0) for m in _DOMAIN.finditer(text)]  # "ntv.com.tr" credits the outlet
    text = _DOMAIN.sub(" ", text)
    for paren in _PARENS.findall(text):
        org = _org(paren)
        if org:
            orgs.append(org)
    text = _PARENS.sub(" ", text)
    text = _READ_TIME.sub(" ", text)
    segments = re.split(r"\s*;\s*|\s+[|·•–—-]\s+|\n+", text)
    for segment in segments:
        if _EDIT_CREDIT.match(segment.strip()):
            continue
        segment = _EDIT_CREDIT.sub("", segment)
        original = segment
        segment = _strip_lead_ins(segment)
        had_lead_in = segment != original
        segment = _DATEISH.sub("", segment)
        segment = re.sub(r"^(by|von|par|por)$", "", segment.strip(), flags=re.I)
        segment = _PLACE.sub("", segment)
        if had_lead_in:
            segment = _FILED_IN.sub("", segment)
            tail = _DATELINE_TAIL.match(segment)
            if tail and not _org(tail.group(2).strip()):
                segment = tail.group(1)
        for raw in _SPLIT.split(segment):
            if raw is None:
                continue
            piece = _clean_piece(_PLACE.sub("", _strip_lead_ins(raw)))
            if not piece or _SELF_CREDIT.match(piece):
                continue
            org = _org(piece) or (piece if _ACRONYM.fullmatch(piece) else None)
            if org and not _looks_like_title_only(piece):
                orgs.append(org)
                continue
            if _looks_like_title_only(piece):
                continue
            name = _recase(piece)
            if _looks_like_name(name):
                authors.append(name)
    return {"authors": _dedupe(authors), "organizations": _dedupe(orgs)}


def _strip_lead_ins(text: str) -> str:
    """ "By Von X" -> "X": every lead-in, so a name printed again normalizes the same (idempotence)."""
    for _ in range(3):
        stripped = _LEAD_IN.sub("", text)
        if stripped == text:
            break
        text = stripped
    return text


def _looks_like_title_only(piece: str) -> bool:
    """A job title ("Staff Writer", "Senior Correspondent"), not an outlet credit ("Guardian staff reporter")."""
    if not _TITLE_WORDS.search(piece) or _org_only(piece):
        return False
    rest = [w for w in piece.split() if not _TITLE_WORDS.fullmatch(w) and w.lower() not in _TITLE_GLUE]
    return not (_ORG_WORDS.search(piece) and rest)


def _org_only(piece: str) -> bool:
    key = piece.lower().strip(" .")
    return key in AGENCIES


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = "".join(c for c in item.casefold() if c.isalnum())
        if key and key not in seen:
            seen.add(key)
            out.append(item)
    return out
