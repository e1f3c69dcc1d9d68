"""Japan's public holidays, from the rules of the law (国民の祝日に関する法律).

Written out here rather than taken from ``jpholiday`` or ``holidays``: a holiday
check may sit on the plain ``claimkit draft`` path (issue 16's warnings about a
promised time on a holiday), and importing them cost 19-70 ms (jpholiday) and 45-90 ms
(holidays, plus ~100 ms to build ``holidays.Japan`` for a year) on the machine
this was measured on, against about 1 ms for this module (datetime and
functools, which it needs, are loaded by every draft anyway).
tests/test_business_hours.py compares every holiday of 2000-2099 with ``holidays``.

The equinox days follow the National Astronomical Observatory's formula, valid
for 1980-2099 (the government announces them each February for the next year;
jpholiday and holidays give the same days for 2000-2099). A law that moves a
holiday in a future year (as for the 2020 and 2021 Olympics) needs a line here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

SUBSTITUTE = "振替休日"
CITIZENS = "国民の休日"

ENGLISH = {
    "元日": "New Year's Day",
    "成人の日": "Coming of Age Day",
    "建国記念の日": "National Foundation Day",
    "天皇誕生日": "The Emperor's Birthday",
    "春分の日": "Vernal Equinox Day",
    "昭和の日": "Showa Day",
    "憲法記念日": "Constitution Memorial Day",
    "みどりの日": "Greenery Day",
    "こどもの日": "Children's Day",
    "海の日": "Marine Day",
    "山の日": "Mountain Day",
    "敬老の日": "Respect for the Aged Day",
    "秋分の日": "Autumnal Equinox Day",
    "体育の日": "Health and Sports Day",
    "スポーツの日": "Sports Day",
    "文化の日": "Culture Day",
    "勤労感謝の日": "Labour Thanksgiving Day",
    "天皇の即位の日": "The Emperor's Enthronement Day",
    "即位礼正殿の儀の行われる日": "Enthronement Ceremony Day",
    SUBSTITUTE: "Substitute Holiday",
    CITIZENS: "Citizens' Holiday",
}


def holiday_name(day: date, lang: str = "ja") -> str | None:
    """The holiday's name on ``day`` (in Japanese, or English with ``lang="en"``), else None."""
    name = year_holidays(day.year).get(day)
    if name is None or lang == "ja":
        return name
    return ENGLISH[name]


def is_holiday(day: date) -> bool:
    return day in year_holidays(day.year)


@lru_cache(maxsize=8)
def year_holidays(year: int) -> dict[date, str]:
    """Every public holiday of ``year``: the named ones, substitutes and citizens' holidays."""
    named = _named(year)
    days = dict(named)
    for day in sorted(named):
        if day.weekday() != 6:
            continue
        # Until 2006 the Monday after a Sunday holiday; since 2007 the first
        # following day that is not itself a named holiday (5/3 on a Sunday → 5/6).
        sub = day + timedelta(days=1)
        if year >= 2007:
            while sub in named:
                sub += timedelta(days=1)
        days.setdefault(sub, SUBSTITUTE)
    # A day between two named holidays is a holiday too (the Tuesday of a
    # "silver week", 2019-04-30). Until 2006 the law left out Sundays and
    # substitute holidays.
    for day in sorted(named):
        between = day + timedelta(days=1)
        if between in named or between + timedelta(days=1) not in named:
            continue
        if year < 2007 and (between.weekday() == 6 or between in days):
            continue
        days.setdefault(between, CITIZENS)
    return days


def _named(y: int) -> dict[date, str]:
    h: dict[date, str] = {date(y, 1, 1): "元日"}
    h[_monday(y, 1, 2) if y >= 2000 else date(y, 1, 15)] = "成人の日"
    h[date(y, 2, 11)] = "建国記念の日"
    if y >= 2020:
        h[date(y, 2, 23)] = "天皇誕生日"
    h[date(y, 3, _equinox(y, 20.8431))] = "春分の日"
    h[date(y, 4, 29)] = "昭和の日" if y >= 2007 else "みどりの日"
    h[date(y, 5, 3)] = "憲法記念日"
    if y >= 2007:
        h[date(y, 5, 4)] = "みどりの日"
    h[date(y, 5, 5)] = "こどもの日"
    # The Olympics moved 海の日 and スポーツの日 (July) and 山の日 (August) in 2020 and 2021.
    olympics = {2020: (23, 24, 10), 2021: (22, 23, 8)}
    if y in olympics:
        marine, sports, mountain = olympics[y]
        h[date(y, 7, marine)] = "海の日"
        h[date(y, 7, sports)] = "スポーツの日"
        h[date(y, 8, mountain)] = "山の日"
    else:
        if y >= 2003:
            h[_monday(y, 7, 3)] = "海の日"
        elif y >= 1996:
            h[date(y, 7, 20)] = "海の日"
        if y >= 2016:
            h[date(y, 8, 11)] = "山の日"
        if y >= 2000:
            h[_monday(y, 10, 2)] = "スポーツの日" if y >= 2020 else "体育の日"
        else:
            h[date(y, 10, 10)] = "体育の日"
    h[_monday(y, 9, 3) if y >= 2003 else date(y, 9, 15)] = "敬老の日"
    h[date(y, 9, _equinox(y, 23.2488))] = "秋分の日"
    h[date(y, 11, 3)] = "文化の日"
    h[date(y, 11, 23)] = "勤労感謝の日"
    if 1989 <= y <= 2018:
        h[date(y, 12, 23)] = "天皇誕生日"
    if y == 2019:
        h[date(2019, 5, 1)] = "天皇の即位の日"
        h[date(2019, 10, 22)] = "即位礼正殿の儀の行われる日"
    return h


def _monday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (nth - 1))


def _equinox(year: int, base: float) -> int:
    # The observatory's formula for 1980-2099: the day of March (base 20.8431)
    # or September (base 23.2488).
    n = year - 1980
    return int(base + 0.242194 * n - n // 4)
