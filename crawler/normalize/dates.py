"""Date normalization: any date string a news page prints -> timezone-aware UTC, or None + reason.

``parse_date(text, tz=..., now=...)`` never raises. Rules:
- ISO 8601 / RFC 2822 / free-form English dates via python-dateutil; month and weekday names in
  French, German, Spanish, Portuguese, Italian and Dutch are translated first, and so are Chinese,
  Japanese and Korean dates ("2024年1月5日 14時05分", "2024년 1월 5일 오후 2:05").
- "GMT+3" / "UTC-05:00" are offsets east / west of Greenwich as people write them (dateutil alone reads
  them the POSIX way round).
- Epoch seconds (10 digits) and milliseconds (13 digits).
- Relative dates ("2 hours ago", "yesterday", "il y a 3 heures", "vor 2 Stunden") against ``now``;
  today/yesterday with a time in any of those languages ("hier à 14h05", "gestern, 14:05 Uhr").
- A time without offset, or with an ambiguous abbreviation (IST, CST, BST, ...), is read in the
  source's ``tz``; without a source zone the usual reading (IST=India, CST=US Central) or UTC is used.
- A date without time stays on its calendar day (00:00 UTC), never shifted to the previous day.
- Numeric dates: "29/07/2021" and "07/29/2021" read the only way they can; "03.07.2021" is day first;
  "03/07/2021" and "03-07-2021" are day first for a source in a zone of a country that writes the day
  first (most of the world), month first in the United States, Canada, the Philippines and without a
  source zone.
- Rejected with a reason: empty, unparseable, implausible years (before 1990), and dates more than
  ``max_future`` after ``now``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as du_parser

UTC = dt.UTC
MIN_YEAR = 1990
DEFAULT_MAX_FUTURE = dt.timedelta(hours=2)


class DateResult(NamedTuple):
    value: dt.datetime | None
    error: str | None
    date_only: bool = False
    # the UTC offset the text gave (or an epoch/relative value implies); None when its wall-clock time was
    # placed in the source's zone or, without one, read as UTC
    offset: dt.timedelta | None = None

    def iso(self) -> str | None:
        return self.value.isoformat() if self.value else None


# Unambiguous abbreviations -> fixed offsets (hours).
_FIXED_TZ = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8,
    "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "PHT": 8,
    "WIB": 7, "AEST": 10, "AEDT": 11, "ACST": 9.5, "ACDT": 10.5, "AWST": 8, "NZST": 12, "NZDT": 13,
    "PKT": 5, "NPT": 5.75, "EAT": 3, "WAT": 1, "CAT": 2, "SAST": 2, "ART": -3, "BRT": -3,
}
# Ambiguous abbreviations: read in the source's zone when it has one, else this default.
_AMBIGUOUS_TZ = {"IST": 5.5, "CST": -6, "BST": 1, "AST": -4, "GST": 4, "ADT": -3}

_MONTHS = {
    # fr
    "janvier": "January", "février": "February", "fevrier": "February", "mars": "March", "avril": "April",
    "mai": "May", "juin": "June", "juillet": "July", "août": "August", "aout": "August",
    "septembre": "September", "octobre": "October", "novembre": "November", "décembre": "December",
    "decembre": "December", "janv": "Jan", "févr": "Feb", "avr": "Apr", "juil": "Jul", "sept": "Sep",
    "déc": "Dec",
    # de
    "januar": "January", "jänner": "January", "februar": "February", "märz": "March", "maerz": "March",
    "juni": "June", "juli": "July", "oktober": "October", "dezember": "December", "okt": "Oct",
    "dez": "Dec", "mär": "Mar",
    # es
    "enero": "January", "febrero": "February", "marzo": "March", "abril": "April", "mayo": "May",
    "junio": "June", "julio": "July", "agosto": "August", "septiembre": "September",
    "setiembre": "September", "octubre": "October", "noviembre": "November", "diciembre": "December",
    "ene": "Jan", "dic": "Dec",
    # pt
    "janeiro": "January", "fevereiro": "February", "março": "March", "marco": "March", "maio": "May",
    "junho": "June", "julho": "July", "setembro": "September", "outubro": "October",
    "novembro": "November", "dezembro": "December", "fev": "Feb", "set": "Sep", "out": "Oct",
    # it
    "gennaio": "January", "febbraio": "February", "aprile": "April", "maggio": "May", "giugno": "June",
    "luglio": "July", "settembre": "September", "ottobre": "October", "dicembre": "December",
    "gen": "Jan", "mag": "May", "giu": "Jun", "lug": "Jul", "ott": "Oct",
    # nl
    "januari": "January", "februari": "February", "maart": "March", "mei": "May", "augustus": "August",
    "juni_": "June", "juli_": "July", "mrt": "Mar",
}
_WEEKDAYS = re.compile(
    r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|sonnabend|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|"
    r"domingo|segunda-feira|terça-feira|terca-feira|quarta-feira|quinta-feira|sexta-feira|lunedì|lunedi|"
    r"martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|sabato|domenica|maandag|dinsdag|"
    r"woensdag|donderdag|vrijdag|zaterdag|zondag)\b,?",
    re.I,
)
_FILLER = re.compile(
    r"\b(le|el|la|den|der|am|de|del|do|da|di|van|het|um|à|a las|às|alle|om|uhr|h(?=\d)|heures?)\b", re.I
)
_LABELS = re.compile(
    r"^\s*(published|updated|posted|last updated|last modified|modified|first published|publié|"
    r"publie|mis à jour|veröffentlicht|aktualisiert|stand|publicado|actualizado|atualizado|pubblicato|"
    r"aggiornato|gepubliceerd|bijgewerkt|date|on)\s*(on|at|le|am)?\s*:?\s*",
    re.I,
)
_RELATIVE = re.compile(
    r"^\s*(?:(?P<n>\d+|an?|one)\s+(?P<unit>second|sec|minute|min|hour|hr|day|week|month)s?\s+ago"
    r"|il y a\s+(?P<n_fr>\d+)\s+(?P<unit_fr>seconde|minute|heure|jour|semaine)s?"
    r"|vor\s+(?P<n_de>\d+)\s+(?P<unit_de>sekunde|minute|stunde|tag|woche)(?:n|en)?"
    r"|hace\s+(?P<n_es>\d+)\s+(?P<unit_es>segundo|minuto|hora|día|dia|semana)s?"
    r")\s*$",
    re.I,
)
_UNIT_SECONDS = {
    "second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600, "day": 86400,
    "week": 604800, "month": 2592000, "seconde": 1, "heure": 3600, "jour": 86400, "semaine": 604800,
    "sekunde": 1, "stunde": 3600, "tag": 86400, "woche": 604800, "segundo": 1, "minuto": 60,
    "hora": 3600, "día": 86400, "dia": 86400, "semana": 604800,
}
_DAY_WORDS = {"today": 0, "yesterday": 1, "aujourd'hui": 0, "hier": 1, "heute": 0, "gestern": 1, "hoy": 0,
              "ayer": 1, "hoje": 0, "ontem": 1, "oggi": 0, "ieri": 1, "vandaag": 0, "gisteren": 1}
# a time of day: 14:05, 14h05, 3 pm, T14, "14.05 Uhr" - but not the "28.04" of a dotted date
_TIME_RE = re.compile(r"\d{1,2}[:h]\d{2}|\d\s*(am|pm)\b|T\d{2}|\d{1,2}\.\d{2}\s*uhr\b", re.I)
_TZ_WORD = re.compile(r"\b([A-Z]{1,5})\b\s*$")


def _zone(name: str | None) -> dt.tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


# Zones of the countries whose numeric dates put the month first (03/07/2021 = March 7): the United
# States and its territories, Canada (mixed; month first as in most of its English-language press), the
# Philippines, Micronesia, Palau and the Marshall Islands. Links (US/Eastern, EST5EDT...) are included.
_MONTH_FIRST_ZONES = frozenset(
    """America/New_York America/Detroit America/Kentucky/Louisville America/Kentucky/Monticello
    America/Indiana/Indianapolis America/Indiana/Vincennes America/Indiana/Winamac America/Indiana/Marengo
    America/Indiana/Petersburg America/Indiana/Vevay America/Chicago America/Indiana/Tell_City
    America/Indiana/Knox America/Menominee America/North_Dakota/Center America/North_Dakota/New_Salem
    America/North_Dakota/Beulah America/Denver America/Boise America/Phoenix America/Los_Angeles
    America/Anchorage America/Juneau America/Sitka America/Metlakatla America/Yakutat America/Nome
    America/Adak America/Puerto_Rico America/St_Thomas Pacific/Honolulu Pacific/Guam Pacific/Saipan
    Pacific/Pago_Pago America/Fort_Wayne America/Indianapolis America/Knox_IN America/Louisville
    America/Shiprock Navajo EST EST5EDT CST6CDT MST MST7MDT PST8PDT HST
    America/Toronto America/Montreal America/Vancouver America/Edmonton America/Winnipeg America/Regina
    America/Halifax America/St_Johns America/Moncton America/Glace_Bay America/Goose_Bay America/Whitehorse
    America/Dawson America/Dawson_Creek America/Fort_Nelson America/Creston America/Yellowknife
    America/Inuvik America/Cambridge_Bay America/Rankin_Inlet America/Resolute America/Iqaluit
    America/Swift_Current America/Atikokan America/Blanc-Sablon America/Nipigon America/Thunder_Bay
    America/Rainy_River America/Pangnirtung Asia/Manila Pacific/Chuuk Pacific/Pohnpei Pacific/Kosrae
    Pacific/Palau Pacific/Majuro Pacific/Kwajalein""".split()
)


def _month_first_zone(zone: dt.tzinfo | None) -> bool:
    key = getattr(zone, "key", None)
    return key is None or key in _MONTH_FIRST_ZONES or key.startswith(("US/", "Canada/"))


def _offset(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


# "2024年1月5日" / "2024년 1월 5일", "14時05分" / "14시 5분", and the morning/afternoon words before a time
_CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_CJK_TIME = re.compile(r"(\d{1,2})\s*[時时시]\s*(\d{1,2})\s*[分분]?")
_CJK_HALF_DAY = re.compile(r"(오전|午前|上午|오후|午後|下午)\s*(\d{1,2}(?::\d{2})?)")
# "GMT+3", "UTC-05:00": a human's offset east of Greenwich (python-dateutil reads them the POSIX way round,
# GMT+3 as three hours west)
# (the sign right before the number: "10:00 UTC - 12 comments" has no offset)
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC|UT)\s*([+\-\u2212])(\d{1,2})(?::?(\d{2}))?\b", re.I)


def _gmt_offset(m: re.Match[str]) -> str:
    sign = "-" if m.group(1) in "-\u2212" else "+"
    return f" {sign}{int(m.group(2)):02d}:{m.group(3) or '00'}"


def _translate(text: str) -> str:
    text = _CJK_DATE.sub(r"\1-\2-\3 ", text)
    text = _CJK_TIME.sub(r"\1:\2", text)
    text = _CJK_HALF_DAY.sub(lambda m: f"{m.group(2)} {'AM' if m.group(1) in ('오전', '午前', '上午') else 'PM'}", text)
    text = _GMT_OFFSET.sub(_gmt_offset, text)
    text = re.sub(r"(\d{1,2})\.(\d{2})\s*uhr\b", r"\1:\2", text, flags=re.I)  # 14.05 Uhr
    text = _WEEKDAYS.sub(" ", text)
    out = []
    for token in re.split(r"(\W+)", text):
        key = token.lower().rstrip(".")
        out.append(_MONTHS.get(key, token) if len(key) >= 3 else token)
    text = "".join(out)
    text = re.sub(r"(\d)\s*(er|º|°|\.)\s+(?=[A-Za-z])", r"\1 ", text)  # "1er juillet", "1. Juli"
    text = _FILLER.sub(" ", text)
    text = re.sub(r"(\d{1,2})h(\d{2})", r"\1:\2", text)  # 14h05
    return " ".join(text.split())


def _relative(text: str, now: dt.datetime) -> dt.datetime | None:
    low = text.strip().lower()
    if low in ("just now", "now", "à l'instant", "gerade eben"):
        return now
    m = re.match(r"(aujourd'hui|[^\W\d_]+)[\s,]*(.*)$", low)
    base = m.group(1) if m else ""
    if base in _DAY_WORDS:
        day = (now - dt.timedelta(days=_DAY_WORDS[base])).date()
        # "yesterday at 3:15 pm", "hier à 14h05", "gestern, 14:05 Uhr", "ayer a las 14:05"
        rest = _translate(re.sub(r"^(at|à|um|a las|às|alle|om)\s+", "", m.group(2) if m else ""))
        if rest:
            try:
                t = du_parser.parse(rest, default=dt.datetime(2000, 1, 1)).time()
            except (ValueError, OverflowError):
                return None
            return dt.datetime.combine(day, t, tzinfo=now.tzinfo)
        return dt.datetime.combine(day, dt.time(0), tzinfo=now.tzinfo)
    m = _RELATIVE.match(low)
    if not m:
        return None
    for suffix in ("", "_fr", "_de", "_es"):
        n, unit = m.group("n" + suffix), m.group("unit" + suffix)
        if n:
            count = 1 if n in ("a", "an", "one") else int(n)
            return now - dt.timedelta(seconds=count * _UNIT_SECONDS[unit.lower()])
    return None


def _epoch(text: str) -> dt.datetime | None:
    if re.fullmatch(r"\d{10}(\.\d+)?", text):
        return dt.datetime.fromtimestamp(float(text), UTC)
    if re.fullmatch(r"\d{13}", text):
        return dt.datetime.fromtimestamp(int(text) / 1000, UTC)
    return None


def _tzinfos(source_tz: dt.tzinfo | None):
    def lookup(name: str, offset: int | None):
        if offset is not None:
            return offset
        if not name:
            return None
        up = name.upper()
        if up in _AMBIGUOUS_TZ:
            return source_tz if source_tz is not None else _offset(_AMBIGUOUS_TZ[up])
        if up in _FIXED_TZ:
            return _offset(_FIXED_TZ[up])
        return None

    return lookup


def parse_date(
    value: object,
    tz: str | None = None,
    now: dt.datetime | None = None,
    max_future: dt.timedelta = DEFAULT_MAX_FUTURE,
) -> DateResult:
    """Parse a date as printed on a news page; see the module docstring for the rules."""
    try:
        return _parse(value, tz, now, max_future)
    except Exception as exc:  # noqa: BLE001 - a normalizer never raises; the reason is returned
        return DateResult(None, f"unparseable: {type(exc).__name__}")


def _parse(value: object, tz: str | None, now: dt.datetime | None, max_future: dt.timedelta) -> DateResult:
    if now is None:
        now = dt.datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if isinstance(value, dt.datetime):
        parsed: dt.datetime | None = value
        date_only, text = False, value.isoformat()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        parsed = _epoch(str(int(value)))
        if parsed is None:
            return DateResult(None, "unparseable: number is not an epoch timestamp")
        date_only, text = False, str(value)
    elif isinstance(value, str):
        text = " ".join(value.split())
        if not text:
            return DateResult(None, "empty")
        if len(text) > 200:
            return DateResult(None, "unparseable: too long for a date")
        parsed, date_only = None, False
    else:
        return DateResult(None, "empty" if value is None else f"unparseable: {type(value).__name__}")

    source_tz = _zone(tz)
    if parsed is None:
        text = _LABELS.sub("", text).strip()
        parsed = _epoch(text)
        if parsed is None:
            local_now = now.astimezone(source_tz) if source_tz else now
            parsed = _relative(text, local_now)
        if parsed is None:
            parsed, date_only = _absolute(text, source_tz)
            if parsed is None:
                return DateResult(None, "unparseable")
    offset = parsed.utcoffset() if parsed.tzinfo is not None else None
    if offset is None:
        if date_only:
            parsed = parsed.replace(tzinfo=UTC)
        else:
            parsed = parsed.replace(tzinfo=source_tz or UTC)
    result = parsed.astimezone(UTC)
    if result.year < MIN_YEAR:
        return DateResult(None, f"implausible year {result.year}")
    if result > now + max_future:
        return DateResult(None, f"in the future ({result.isoformat()} > now {now.isoformat()})")
    return DateResult(result, None, date_only, None if date_only else offset)


def _absolute(text: str, source_tz: dt.tzinfo | None) -> tuple[dt.datetime | None, bool]:
    iso = text.replace("Z", "+00:00") if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", text) else text
    if re.fullmatch(r"\d{4}-\d\d-\d\d([T ][\d:.]+([+-]\d\d:?\d\d)?)?", iso):
        try:
            got = dt.datetime.fromisoformat(re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", iso))
            return got, len(text) == 10
        except ValueError:
            pass
    translated = _translate(text)
    has_time = bool(_TIME_RE.search(translated))
    tzinfos = _tzinfos(source_tz)
    m = _TZ_WORD.search(translated)
    if m and m.group(1).upper() in _AMBIGUOUS_TZ and source_tz is not None:
        # wall-clock time in the source zone (handles DST, e.g. IST in Dublin vs Kolkata)
        translated = translated[: m.start()].strip()
    for dayfirst in (_dayfirst(translated, source_tz),):
        try:
            got = du_parser.parse(
                translated, fuzzy=True, dayfirst=dayfirst, tzinfos=tzinfos,
                default=dt.datetime(1, 1, 1),
            )
        except (ValueError, OverflowError, TypeError):
            return None, False
        if got.year == 1:
            return None, False
        return got, not has_time
    return None, False


def _dayfirst(text: str, source_tz: dt.tzinfo | None = None) -> bool:
    m = re.search(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})\b", text)
    if m:
        a, b = int(m.group(1)), int(m.group(3))
        if a > 12:
            return True
        if b > 12:
            return False
        # 03.07.2021 is European; 03/07/2021 is read as the source's country writes dates
        return m.group(2) == "." or not _month_first_zone(source_tz)
    return False


def not_before(updated: dt.datetime | None, published: dt.datetime | None) -> dt.datetime | None:
    """updated_at is never before published_at: an earlier 'update' is dropped."""
    if updated is None or published is None:
        return updated
    return updated if updated >= published else None
