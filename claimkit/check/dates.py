"""Dates as replies write them, for the rules of kind ``date``.

A date rule's patterns hold ``{date}``, which stands for the written date of the
pack's language: 2026年12月9日（水）, 12月9日(水), 12/9（水） in Japanese; "Wednesday,
December 9, 2026", "Dec. 9", "9 December" in English (matched on the folded,
and for English lowercased, text). What the rule then asks of each date is its
``check``: ``weekday`` (a weekday written beside it that is not its own) or
``past`` (a date before the reference date, where the pattern says it is promised).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from claimkit.values.dates import MONTHS_EN, WEEKDAYS_EN, WEEKDAYS_JA

_WEEKDAYS_EN = tuple(name.lower() for name in WEEKDAYS_EN)
_MONTHS_EN = tuple(name[:3].lower() for name in MONTHS_EN)  # as the folded text has them

# Each expression starts with a digit, a weekday or a month, so the engine can skip a
# paragraph holding none of them; repeats are bounded, so a scan stays linear.
_JA_WEEKDAY = r"(?:[ \u3000]?\([月火水木金土日](?:曜日?)?\))?"
_JA = (
    r"(?<![0-9/])[0-9](?:[0-9]{3}年[0-9]{1,2}|[0-9]?)月[0-9]{1,2}日" + _JA_WEEKDAY + "|"
    r"(?<![0-9/])[0-9](?:[0-9]{3}/[0-9]{1,2}|[0-9]?)/[0-9]{1,2}(?![0-9/])" + _JA_WEEKDAY
)
_EN_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)"
)
# A full stop only after a short form ("Dec. 9"): after "December" it ends the sentence.
_EN_MONTH = (
    r"(?:(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\b|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?)"
)
_EN_DAY = r"[0-9]{1,2}(?:st|nd|rd|th)?"
_EN_YEAR = r"(?:,? [0-9]{4}(?![0-9]))?"
_EN_BARE = (
    rf"{_EN_MONTH} {_EN_DAY}(?![0-9]){_EN_YEAR}"
    rf"|{_EN_DAY} (?:of )?{_EN_MONTH}{_EN_YEAR}"
)
_EN = rf"\b(?:{_EN_WEEKDAY}\b\.?,? (?:the )?(?:{_EN_BARE})|{_EN_BARE})"

# Only dates written with their weekday, for the weekday check: a narrower expression,
# run on fewer paragraphs (those holding a weekday's name, or 曜 or a parenthesis).
_JA_WITH_WEEKDAY = (
    r"(?<![0-9/])[0-9](?:[0-9]{3}[年/][0-9]{1,2}|[0-9]?)[月/][0-9]{1,2}日?"
    r"[ \u3000]?\([月火水木金土日](?:曜日?)?\)"
)
_EN_WITH_WEEKDAY = rf"\b{_EN_WEEKDAY}\b\.?,? (?:the )?(?:{_EN_BARE})"

EXPRESSIONS = {"ja": _JA, "en": _EN}
WITH_WEEKDAY = {"ja": _JA_WITH_WEEKDAY, "en": _EN_WITH_WEEKDAY}
MACRO = "{date}"


def expand(source: str, lang: str, weekday: bool = False) -> str:
    """A date rule's pattern with ``{date}`` replaced by the language's date expression
    (``weekday``: only dates written with a weekday)."""
    expression = (WITH_WEEKDAY if weekday else EXPRESSIONS)[lang]
    return source.replace(MACRO, f"(?P<date>{expression})")


class Written(NamedTuple):
    """A date as written: year (0 when not written), month, day, and the weekday
    written beside it (0 Monday .. 6 Sunday, -1 none) with its place in the date."""

    year: int
    month: int
    day: int
    weekday: int
    weekday_start: int
    weekday_end: int


# The parts of a date, kept as text for re.match, which compiles each on first use (and
# caches it): a Japanese reply never pays for the English expression.
_JA_PARTS = r"(?s:(?:([0-9]{4})[年/])?([0-9]{1,2})[月/]([0-9]{1,2})日?(?:.*?\(([月火水木金土日]))?)"
_EN_PARTS = (
    rf"(?:({_EN_WEEKDAY})\b\.?,? (?:the )?)?"
    rf"(?:({_EN_MONTH}) ([0-9]{{1,2}})|([0-9]{{1,2}})(?:st|nd|rd|th)? (?:of )?({_EN_MONTH}))"
    r"(?:\S*,? ([0-9]{4}))?"
)


@lru_cache(maxsize=1024)  # a batch's replies write the same few dates
def read(text: str, lang: str) -> Written | None:
    """What a date the expression matched says; None when it is no calendar date."""
    if lang == "ja":
        m = re.match(_JA_PARTS, text)
        if m is None:
            return None
        year, month, day = int(m[1] or 0), int(m[2]), int(m[3])
        weekday = WEEKDAYS_JA.index(m[4]) if m[4] else -1
        span = m.span(4) if m[4] else (0, 0)
    else:
        m = re.match(_EN_PARTS, text)
        if m is None:
            return None
        name = m[2] or m[5]
        month = _MONTHS_EN.index(name[:3]) + 1
        day = int(m[3] or m[4])
        year = int(m[6] or 0)
        weekday = [w[:2] for w in _WEEKDAYS_EN].index(m[1][:2]) if m[1] else -1
        span = m.span(1) if m[1] else (0, 0)
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return Written(year, month, day, weekday, span[0], span[1])


def on_calendar(written: Written, today: date | None) -> date | None:
    """The day meant: the year as written, else the occurrence nearest ``today`` (a
    December reply's "1月5日" is next January, its "11月20日" last month). None when
    the day does not exist, or has no year and no reference date."""
    if written.year:
        years = [written.year]
    elif today is None:
        return None
    else:
        years = [today.year - 1, today.year, today.year + 1]
    found: list[date] = []
    for year in years:
        try:
            found.append(date(year, written.month, written.day))
        except ValueError:
            continue
    if not found:
        return None
    if today is None or len(found) == 1:
        return found[0]
    return min(found, key=lambda d: (abs((d - today).days), d < today))


def weekday_like(weekday: int, written: str, lang: str) -> str:
    """The name of ``weekday`` in the form ``written`` uses (月 / 月曜日; Mon / MONDAY)."""
    if lang == "ja":
        return WEEKDAYS_JA[weekday] + written[1:]
    name = _WEEKDAYS_EN[weekday]
    if written.lower().rstrip(".") not in _WEEKDAYS_EN:
        name = name[:3]
    if written.isupper():
        return name.upper()
    if written[:1].isupper():
        return name.capitalize()
    return name


def weekday_name(day: date, lang: str) -> str:
    """The weekday of ``day`` as a message names it: 水 / Wednesday."""
    if lang == "ja":
        return WEEKDAYS_JA[day.weekday()]
    return _WEEKDAYS_EN[day.weekday()].capitalize()


def spelled(day: date, lang: str) -> str:
    """``day`` as a message writes it: 2026年12月9日 / December 9, 2026."""
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}"
