"""Dates as people type them, and as a letter in each language writes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from claimkit.values.dates import format_date, format_datetime, parse_date, parse_datetime

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25 15:00", datetime(2026, 11, 25, 15, 0)),
        ("2026-11-25T15:30", datetime(2026, 11, 25, 15, 30)),
        ("2026-11-25 10:00:00", datetime(2026, 11, 25, 10, 0)),
        ("2026/11/25 15時30分", datetime(2026, 11, 25, 15, 30)),
        ("2026年11月25日15時", datetime(2026, 11, 25, 15, 0)),
        ("２０２６－１１－２５　１５：００", datetime(2026, 11, 25, 15, 0)),
        ("11/25 9:05", datetime(2026, 11, 25, 9, 5)),
        ("1/10 10:00", datetime(2027, 1, 10, 10, 0)),  # typed in November: next January
        ("tomorrow 10:00", datetime(2026, 11, 24, 10, 0)),
        ("明日 10時", datetime(2026, 11, 24, 10, 0)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert parse_datetime(text, TODAY) == expected


@pytest.mark.parametrize(
    "text", ["someday", "2026-02-30 10:00", "2026-11-25 24:00", "2026-11-25 9:75"]
)
def test_parse_datetime_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(text, TODAY)


def test_parse_date() -> None:
    assert parse_date("today", TODAY) == TODAY
    assert parse_date("2026年12月1日", TODAY) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "ja", "en"),
    [
        (
            datetime(2026, 11, 25, 15, 0),
            "2026年11月25日（水）15時",
            "Wednesday, November 25, at 3 p.m.",
        ),
        (
            datetime(2026, 11, 25, 9, 30),
            "2026年11月25日（水）9時30分",
            "Wednesday, November 25, at 9:30 a.m.",
        ),
        (
            datetime(2026, 11, 28, 12, 0),
            "2026年11月28日（土）12時",
            "Saturday, November 28, at noon",
        ),
        (
            datetime(2027, 1, 4, 0, 0),
            "2027年1月4日（月）0時",
            "Monday, January 4, 2027, at 12 a.m.",
        ),
    ],
)
def test_format_datetime(value: datetime, ja: str, en: str) -> None:
    assert format_datetime(value, "ja", TODAY) == ja
    assert format_datetime(value, "en", TODAY) == en


def test_format_date() -> None:
    assert format_date(date(2026, 11, 25), "ja", TODAY) == "2026年11月25日（水）"
    assert format_date(date(2026, 11, 25), "en", TODAY) == "Wednesday, November 25"
