"""Dates and times as people type them and as a business letter writes them.

Japanese: 2026年11月25日（水）15時 / 15時30分. English: Wednesday, November 25, at 3 p.m.
(the year only when it is not the current one).
"""

from __future__ import annotations

import re
from datetime import UTC as _UTC
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimkit.values.business import Calendar

WEEKDAYS_JA = "月火水木金土日"
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

DATE_FORMATS = (
    "2026-11-25, 2026/11/25, 2026年11月25日(水), 11/25, today, tomorrow or next working day"
)
DATETIME_FORMATS = "2026-11-25 15:00, 2026/11/25 15時30分, 11/25 15:00 or tomorrow 10:00"

_RELATIVE = {"today": 0, "tomorrow": 1, "今日": 0, "本日": 0, "明日": 1}
# Working days ahead (a playbook's example is "next working day 15:00", so it never lies
# in the past): counted on the business calendar, weekends and holidays skipped.
_WORKING = re.compile(
    r"^(?:next working day|翌営業日|in (?P<n>\d+) working days?|(?P<jn>\d+)営業日後)$"
)
# A weekday written with a date: 12月9日(水), 2026-12-09 (Wed), Wednesday, December 9.
_WEEKDAY_JA = re.compile(r"\s*[(（]\s*(?P<w>[月火水木金土日])(?:曜日?)?\s*[)）]")
_DAYS_EN = "mon|tue|wed|thu|fri|sat|sun"
_WEEKDAY_EN = re.compile(
    rf"^(?P<w>{_DAYS_EN})[a-z]*\.?,?\s+|\s*\((?P<p>{_DAYS_EN})[a-z]*\.?\)", re.IGNORECASE
)
_DATE = re.compile(
    r"^(?:(?P<y>\d{4})\s*[-/年.]\s*)?(?P<m>\d{1,2})\s*[-/月.]\s*(?P<d>\d{1,2})\s*日?$"
)
_TIME = re.compile(r"^(?P<h>\d{1,2})\s*(?:[:時]\s*(?:(?P<mi>\d{2})\s*分?)?(?::\d{2})?)?$")


def _fold(text: str) -> str:
    # Full-width digits and colons are common in Japanese input.
    return text.translate(str.maketrans("０１２３４５６７８９：／－　", "0123456789:/- ")).strip()


def parse_date(text: str, today: date, calendar: Calendar | None = None) -> date:
    """Parse a date; raises ValueError with the accepted forms, or when a weekday written
    with it is not the date's. ``calendar`` counts working days (default: weekdays and
    Japan's public holidays off)."""
    s = _fold(text).lower()
    if s in _RELATIVE:
        return today + timedelta(days=_RELATIVE[s])
    working = _WORKING.match(s)
    if working:
        ahead = int(working["n"] or working["jn"] or 1)
        return _working_days_after(today, ahead, calendar)
    s, weekday = _weekday_out(s)
    value = _date(s, today)
    if weekday is not None and weekday != value.weekday():
        raise ValueError(
            f"{value.isoformat()} is a {WEEKDAYS_EN[value.weekday()]} "
            f"({WEEKDAYS_JA[value.weekday()]}), not a {WEEKDAYS_EN[weekday]} "
            f"({WEEKDAYS_JA[weekday]}); check the date"
        )
    return value


def _weekday_out(s: str) -> tuple[str, int | None]:
    """The text without a weekday written with the date, and that weekday (Monday 0)."""
    m = _WEEKDAY_JA.search(s)
    if m:
        return (s[: m.start()] + s[m.end() :]).strip(), WEEKDAYS_JA.index(m["w"])
    m = _WEEKDAY_EN.search(s)
    if m:
        name = (m["w"] or m["p"]).lower()
        return (s[: m.start()] + " " + s[m.end() :]).strip(), [
            w[:3].lower() for w in WEEKDAYS_EN
        ].index(name)
    return s, None


def _working_days_after(today: date, ahead: int, calendar: Calendar | None) -> date:
    from claimkit.values.business import Calendar as Working

    days = calendar if calendar is not None else Working(zone=_UTC)
    found = today
    while ahead > 0:
        found += timedelta(days=1)
        if days.is_working_day(found):
            ahead -= 1
    return found


def _date(s: str, today: date) -> date:
    m = _DATE.match(s)
    if not m:
        raise ValueError(f"not a date; write it like {DATE_FORMATS}")
    year = int(m["y"]) if m["y"] else today.year
    try:
        value = date(year, int(m["m"]), int(m["d"]))
    except ValueError:
        raise ValueError("no such day in the calendar") from None
    if not m["y"] and value < today - timedelta(days=180):
        value = value.replace(year=year + 1)  # "1/10" typed in December means next January
    return value


def parse_datetime(text: str, today: date, calendar: Calendar | None = None) -> datetime:
    s = _fold(text)
    s = re.sub(r"(\d)T(\d)", r"\1 \2", s)
    parts = s.rsplit(None, 1)
    if len(parts) != 2:
        # "2026-11-25 15:00" and "tomorrow 10:00" have a space; "11月25日15時" may not.
        m = re.match(r"^(.*日)\s*(\d{1,2}時.*)$", s)
        if not m:
            raise ValueError(f"not a date and time; write it like {DATETIME_FORMATS}")
        parts = [m[1], m[2]]
    day = parse_date(parts[0], today, calendar)
    t = _TIME.match(parts[1])
    if not t:
        raise ValueError(f"not a time of day; write it like {DATETIME_FORMATS}")
    hour, minute = int(t["h"]), int(t["mi"] or 0)
    if hour > 23 or minute > 59:
        raise ValueError("no such time of day")
    return datetime.combine(day, time(hour, minute))


def parse_moment(text: str, zone: tzinfo, today: date) -> datetime:
    """An instant as a flag gives it (``--as-of``): ISO 8601 with or without its offset,
    or a date and time as ``parse_datetime`` reads them; a date alone is the end of that
    day. Without an offset the time is ``zone``'s. Raises ValueError with the forms."""
    s = _fold(text)
    try:
        value = datetime.fromisoformat(s)
        if len(s) <= 10:  # a date alone
            value = datetime.combine(value.date(), time(23, 59, 59))
    except ValueError:
        try:
            value = parse_datetime(s, today)
        except ValueError:
            try:
                value = datetime.combine(parse_date(s, today), time(23, 59, 59))
            except ValueError:
                raise ValueError(
                    f"not a time; write it like 2026-11-27T12:00+09:00, {DATETIME_FORMATS}"
                ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def format_date(value: date, lang: str, today: date) -> str:
    if lang == "ja":
        return f"{value.year}年{value.month}月{value.day}日（{WEEKDAYS_JA[value.weekday()]}）"
    text = f"{WEEKDAYS_EN[value.weekday()]}, {MONTHS_EN[value.month - 1]} {value.day}"
    return text if value.year == today.year else f"{text}, {value.year}"


def format_time(value: time, lang: str) -> str:
    if lang == "ja":
        return f"{value.hour}時" + (f"{value.minute}分" if value.minute else "")
    if value.hour == 12 and not value.minute:
        return "noon"
    hour = value.hour % 12 or 12
    suffix = "a.m." if value.hour < 12 else "p.m."
    return f"{hour}:{value.minute:02d} {suffix}" if value.minute else f"{hour} {suffix}"


def format_datetime(value: datetime, lang: str, today: date) -> str:
    day = format_date(value.date(), lang, today)
    sep = "" if lang == "ja" else ", at "  # "by Monday, December 7, at 3 p.m."
    return f"{day}{sep}{format_time(value.time(), lang)}"


def to_plain(value: date | datetime) -> str:
    """The form that reads back through parse_date/parse_datetime (for JSON output)."""
    if isinstance(value, datetime):
        # isoformat is C code; strftime is several times slower, and a batch calls this per case.
        return value.replace(tzinfo=None).isoformat(" ", "minutes")
    return value.isoformat()


class LetterDate(date):
    """A date that prints itself the way a letter in its language writes it."""

    lang: str = "en"
    written: date = date.min  # the day the letter is written: English omits its year
    text: str = ""  # set by for_letter: a batch prints the same date thousands of times

    def __str__(self) -> str:
        return self.text or format_date(self, self.lang, self.written)


class LetterDateTime(datetime):
    """A date and time that prints itself the way a letter in its language writes it."""

    lang: str = "en"
    written: date = date.min
    text: str = ""

    def __str__(self) -> str:
        return self.text or format_datetime(self, self.lang, self.written)

    def letter_date(self) -> LetterDate:
        shown = for_letter(self.date(), self.lang, self.written)
        assert isinstance(shown, LetterDate)
        return shown

    def letter_time(self) -> str:
        return format_time(self.time(), self.lang)


def for_letter(value: date, lang: str, written: date) -> LetterDate | LetterDateTime:
    """``value`` as an object that renders as ``2026年11月25日（水）`` or ``Wednesday, ...``."""
    shown: LetterDate | LetterDateTime
    if isinstance(value, datetime):
        shown = LetterDateTime(value.year, value.month, value.day, value.hour, value.minute)
    else:
        shown = LetterDate(value.year, value.month, value.day)
    shown.lang = lang
    shown.written = written
    shown.text = ""
    shown.text = str(shown)
    return shown
