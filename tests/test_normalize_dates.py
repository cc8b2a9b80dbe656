from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalize.dates import not_before, parse_date

NOW = dt.datetime(2021, 8, 1, 12, 0, tzinfo=dt.UTC)

# (text, source tz, expected UTC ISO or None)
CASES = [
    ("2021-07-29T10:00:00+04:30", None, "2021-07-29T05:30:00+00:00"),
    ("2021-07-29T10:00:00Z", None, "2021-07-29T10:00:00+00:00"),
    ("2021-07-29T10:00:00.123Z", None, "2021-07-29T10:00:00.123000+00:00"),
    ("2021-07-29T10:00:00+0200", None, "2021-07-29T08:00:00+00:00"),
    ("2021-07-29T10:00:00-05:00", None, "2021-07-29T15:00:00+00:00"),
    ("2021-07-29 10:00:00", None, "2021-07-29T10:00:00+00:00"),
    ("2021-07-29 10:00", "Asia/Kolkata", "2021-07-29T04:30:00+00:00"),
    ("2021-07-29T10:00:00", "Europe/Berlin", "2021-07-29T08:00:00+00:00"),
    ("2021-01-29T10:00:00", "Europe/Berlin", "2021-01-29T09:00:00+00:00"),
    ("2021-07-29", None, "2021-07-29T00:00:00+00:00"),
    ("2021-07-29", "Asia/Tokyo", "2021-07-29T00:00:00+00:00"),
    ("Thu, 29 Jul 2021 14:05:00 GMT", None, "2021-07-29T14:05:00+00:00"),
    ("Thu, 29 Jul 2021 14:05:00 +0000", None, "2021-07-29T14:05:00+00:00"),
    ("Thu, 29 Jul 2021 14:05:00 -0400", None, "2021-07-29T18:05:00+00:00"),
    ("July 29, 2021", None, "2021-07-29T00:00:00+00:00"),
    ("Jul 29, 2021", None, "2021-07-29T00:00:00+00:00"),
    ("29 July 2021", None, "2021-07-29T00:00:00+00:00"),
    ("29 July 2021 14:05 GMT", None, "2021-07-29T14:05:00+00:00"),
    ("29 July 2021 14:05 BST", None, "2021-07-29T13:05:00+00:00"),
    ("Wednesday, 28 July 2021", None, "2021-07-28T00:00:00+00:00"),
    ("Wednesday, July 28, 2021 3:04 PM", None, "2021-07-28T15:04:00+00:00"),
    ("July 28, 2021 3:04 pm EDT", None, "2021-07-28T19:04:00+00:00"),
    ("July 28, 2021 3:04 pm ET", "America/New_York", "2021-07-28T19:04:00+00:00"),
    ("Published: July 29, 2021 at 3:04 pm EDT", None, "2021-07-29T19:04:00+00:00"),
    ("Updated 29 July 2021, 10:45", None, "2021-07-29T10:45:00+00:00"),
    ("Posted on 29 Jul 2021, 10:45 am", None, "2021-07-29T10:45:00+00:00"),
    ("July 29, 2021 10:00 IST", None, "2021-07-29T04:30:00+00:00"),
    ("July 29, 2021 10:00 IST", "Asia/Kolkata", "2021-07-29T04:30:00+00:00"),
    ("July 29, 2021 10:00 IST", "Europe/Dublin", "2021-07-29T09:00:00+00:00"),
    ("July 29, 2021 10:00 IST", "Asia/Jerusalem", "2021-07-29T07:00:00+00:00"),
    ("July 29, 2021 10:00 CST", None, "2021-07-29T16:00:00+00:00"),
    ("July 29, 2021 10:00 CST", "Asia/Shanghai", "2021-07-29T02:00:00+00:00"),
    ("July 29, 2021 10:00 CET", None, "2021-07-29T09:00:00+00:00"),
    ("July 29, 2021 10:00 AEST", None, "2021-07-29T00:00:00+00:00"),
    ("07/29/2021", None, "2021-07-29T00:00:00+00:00"),
    ("29/07/2021", None, "2021-07-29T00:00:00+00:00"),
    ("29.07.2021", None, "2021-07-29T00:00:00+00:00"),
    # a numeric date either way round is read as the source's country writes it
    ("03/07/2021", None, "2021-03-07T00:00:00+00:00"),
    ("03/07/2021", "America/New_York", "2021-03-07T00:00:00+00:00"),
    ("03/07/2021 14:05", "US/Pacific", "2021-03-07T22:05:00+00:00"),
    ("03/07/2021", "America/Toronto", "2021-03-07T00:00:00+00:00"),
    ("03/07/2021", "Europe/London", "2021-07-03T00:00:00+00:00"),
    ("03/07/2021 14:05", "Europe/Paris", "2021-07-03T12:05:00+00:00"),
    ("03-07-2021", "Asia/Kolkata", "2021-07-03T00:00:00+00:00"),
    ("03-07-2021", "America/Chicago", "2021-03-07T00:00:00+00:00"),
    ("03/07/21", "America/Sao_Paulo", "2021-07-03T00:00:00+00:00"),
    ("29/07/2021", "America/New_York", "2021-07-29T00:00:00+00:00"),
    ("07/29/2021", "Europe/Paris", "2021-07-29T00:00:00+00:00"),
    ("03.07.2021", "America/New_York", "2021-07-03T00:00:00+00:00"),
    ("2021/03/07", "Europe/Paris", "2021-03-07T00:00:00+00:00"),
    ("29.07.2021 14:05", "Europe/Berlin", "2021-07-29T12:05:00+00:00"),
    ("28.04.2021", "Europe/Berlin", "2021-04-28T00:00:00+00:00"),
    ("28.04.2021 14.05 Uhr", "Europe/Berlin", "2021-04-28T12:05:00+00:00"),
    ("1627552800", None, "2021-07-29T10:00:00+00:00"),
    ("1627552800000", None, "2021-07-29T10:00:00+00:00"),
    ("2 hours ago", None, "2021-08-01T10:00:00+00:00"),
    ("an hour ago", None, "2021-08-01T11:00:00+00:00"),
    ("5 minutes ago", None, "2021-08-01T11:55:00+00:00"),
    ("3 days ago", None, "2021-07-29T12:00:00+00:00"),
    ("yesterday", None, "2021-07-31T00:00:00+00:00"),
    ("Yesterday at 3:15 pm", None, "2021-07-31T15:15:00+00:00"),
    ("today", None, "2021-08-01T00:00:00+00:00"),
    ("just now", None, "2021-08-01T12:00:00+00:00"),
    ("il y a 3 heures", None, "2021-08-01T09:00:00+00:00"),
    ("vor 2 Stunden", None, "2021-08-01T10:00:00+00:00"),
    ("hace 2 días", None, "2021-07-30T12:00:00+00:00"),
    ("29 juillet 2021", None, "2021-07-29T00:00:00+00:00"),
    ("mercredi 28 juillet 2021 à 14h05", None, "2021-07-28T14:05:00+00:00"),
    ("1er août 2021", None, "2021-08-01T00:00:00+00:00"),
    ("29. Juli 2021", None, "2021-07-29T00:00:00+00:00"),
    # "GMT+3" is three hours east of Greenwich, as people write it (not the POSIX way round)
    ("29 July 2021, 14:05 GMT+3", None, "2021-07-29T11:05:00+00:00"),
    ("29 July 2021 14:05 (UTC\u221205:00)", None, "2021-07-29T19:05:00+00:00"),
    ("2021-07-29 10:00 UTC+5:45", None, "2021-07-29T04:15:00+00:00"),
    ("2021-07-29 10:00 GMT", None, "2021-07-29T10:00:00+00:00"),
    # yesterday and today with a time, in other languages too
    ("hier à 14h05", "Europe/Paris", "2021-07-31T12:05:00+00:00"),
    ("gestern, 14:05 Uhr", "Europe/Berlin", "2021-07-31T12:05:00+00:00"),
    ("ayer a las 14:05", None, "2021-07-31T14:05:00+00:00"),
    ("oggi alle 9:30", None, "2021-08-01T09:30:00+00:00"),
    # Chinese, Japanese and Korean dates
    ("2021年7月29日", None, "2021-07-29T00:00:00+00:00"),
    ("2021年7月29日 14時05分", "Asia/Tokyo", "2021-07-29T05:05:00+00:00"),
    ("2021년 7월 29일 오후 2:05", "Asia/Seoul", "2021-07-29T05:05:00+00:00"),
    ("입력 2021.07.29 14:05", "Asia/Seoul", "2021-07-29T05:05:00+00:00"),
    ("2021-07-29 上午 9:05", "Asia/Shanghai", "2021-07-29T01:05:00+00:00"),
    ("29. Juli 2021, 14:05 Uhr", "Europe/Berlin", "2021-07-29T12:05:00+00:00"),
    ("Donnerstag, 29. Juli 2021", None, "2021-07-29T00:00:00+00:00"),
    ("3. März 2021", None, "2021-03-03T00:00:00+00:00"),
    ("29 de julio de 2021", None, "2021-07-29T00:00:00+00:00"),
    ("jueves, 29 de julio de 2021 14:05", "Europe/Madrid", "2021-07-29T12:05:00+00:00"),
    ("29 de julho de 2021", None, "2021-07-29T00:00:00+00:00"),
    ("29 de março de 2021", None, "2021-03-29T00:00:00+00:00"),
    ("29 luglio 2021", None, "2021-07-29T00:00:00+00:00"),
    ("giovedì 29 luglio 2021", None, "2021-07-29T00:00:00+00:00"),
    ("29 juli 2021", None, "2021-07-29T00:00:00+00:00"),
    ("donderdag 29 juli 2021 14:05", "Europe/Amsterdam", "2021-07-29T12:05:00+00:00"),
    ("3 maart 2021", None, "2021-03-03T00:00:00+00:00"),
    ("", None, None),
    ("   ", None, None),
    ("junk", None, None),
    ("not a date at all", None, None),
    ("3021-01-01", None, None),
    ("1850-01-01", None, None),
    ("2021-08-03T12:00:00Z", None, None),
    ("0000-00-00", None, None),
    ("2021-13-45", None, None),
    ("x" * 500, None, None),
]


@pytest.mark.parametrize("text,tz,expected", CASES)
def test_date_table(text: str, tz: str | None, expected: str | None) -> None:
    got = parse_date(text, tz=tz, now=NOW)
    assert got.iso() == expected
    if expected is None:
        assert got.error
    else:
        assert got.error is None and got.value is not None and got.value.tzinfo is not None


def test_reasons() -> None:
    assert parse_date("3021-01-01", now=NOW).error.startswith("in the future")
    assert parse_date("1850-01-01", now=NOW).error.startswith("implausible year")
    assert parse_date("", now=NOW).error == "empty"
    assert parse_date(None, now=NOW).error == "empty"
    assert parse_date("junk", now=NOW).error.startswith("unparseable")


def test_non_strings() -> None:
    assert parse_date(1627552800, now=NOW).iso() == "2021-07-29T10:00:00+00:00"
    assert parse_date(dt.datetime(2021, 7, 29, 10), now=NOW).iso() == "2021-07-29T10:00:00+00:00"
    for value in ([], {}, object(), True):
        assert parse_date(value, now=NOW).value is None


def test_unknown_zone_falls_back_to_utc() -> None:
    assert parse_date("2021-07-29 10:00", tz="Mars/Olympus", now=NOW).iso() == "2021-07-29T10:00:00+00:00"


@pytest.mark.parametrize(("text", "tz", "offset"), [
    ("2023-04-28T18:11:01+02:00", None, dt.timedelta(hours=2)),
    ("Fri, 28 Apr 2023 18:11:01 -0400", None, dt.timedelta(hours=-4)),
    ("2023-04-28T16:11:01Z", None, dt.timedelta(0)),
    ("2023-04-28 18:11:01.0", None, None),  # no offset printed: read as UTC
    ("2023-04-28 18:11", "Europe/Berlin", None),  # placed in the source's zone, not printed
    ("2023-04-28", None, None),
])
def test_the_offset_a_date_printed(text: str, tz: str | None, offset: dt.timedelta | None) -> None:
    got = parse_date(text, tz=tz, now=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    assert got.value is not None and got.offset == offset


def test_updated_never_before_published() -> None:
    pub = dt.datetime(2021, 7, 29, 10, tzinfo=dt.UTC)
    assert not_before(pub - dt.timedelta(hours=1), pub) is None
    assert not_before(pub + dt.timedelta(hours=1), pub) == pub + dt.timedelta(hours=1)
    assert not_before(None, pub) is None


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80), st.sampled_from([None, "UTC", "Asia/Kolkata", "America/Chicago", "Bad/Zone"]))
def test_never_raises_always_aware(text: str, tz: str | None) -> None:
    got = parse_date(text, tz=tz, now=NOW)
    assert (got.value is None) == (got.error is not None)
    if got.value is not None:
        assert got.value.tzinfo is not None
        assert got.value.utcoffset() == dt.timedelta(0)
        assert got.value <= NOW + dt.timedelta(hours=2)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1995, 1, 1), max_value=dt.datetime(2021, 7, 31),
                    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=5, minutes=30)),
                                               dt.timezone(dt.timedelta(hours=-8))])))
def test_iso_roundtrip(value: dt.datetime) -> None:
    value = value.replace(microsecond=0)
    got = parse_date(value.isoformat(), now=NOW)
    assert got.value == value
    assert parse_date(got.iso(), now=NOW).value == got.value  # idempotent
