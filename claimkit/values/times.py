"""Whether a time the agent promises in a message can be kept.

A promised time (a variable marked ``promise: true``: the call by 15:00, the next
update on Friday) is worth warning about before the draft is sent when it is
already past, outside the business hours, or on a day the business is closed (a
weekend, a Japanese public holiday, a closed day of the profile): the practice's
rule is to tell the customer the schedule and keep it. "tomorrow 10:00" typed on
a Friday is a Saturday like any other.
"""

from __future__ import annotations

from datetime import date, datetime, time

from claimkit.values.business import Calendar
from claimkit.values.dates import WEEKDAYS_EN, WEEKDAYS_JA, format_date, format_datetime
from claimkit.values.holidays import holiday_name


def unkeepable(value: date, now: datetime, calendar: Calendar, lang: str) -> str | None:
    """Why a promised ``value`` (a date, or a date and time in the calendar's zone) could
    not be kept as of ``now`` (aware); None when it can."""
    today = now.astimezone(calendar.zone).date()
    day = value.date() if isinstance(value, datetime) else value
    shown = _shown(value, lang, today)
    if isinstance(value, datetime):
        at = value.replace(tzinfo=calendar.zone) if value.tzinfo is None else value
        if at < now:
            return f"{shown}は過ぎています" if lang == "ja" else f"{shown} is already past"
    elif day < today:
        return f"{shown}は過ぎています" if lang == "ja" else f"{shown} is already past"
    if not calendar.is_working_day(day):
        return _closed(day, shown, calendar, lang)
    if isinstance(value, datetime):
        at = value.replace(tzinfo=calendar.zone) if value.tzinfo is None else value
        if not calendar.is_working_time(at):
            hours = ", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in calendar.hours)
            if lang == "ja":
                return f"{shown}は営業時間（{hours}）の外です"
            return f"{shown} is outside the business hours ({hours})"
    return None


def _closed(day: date, shown: str, calendar: Calendar, lang: str) -> str:
    holiday = holiday_name(day, "ja" if lang == "ja" else "en") if calendar.jp_holidays else None
    if lang == "ja":
        why = f"祝日（{holiday}）" if holiday else f"{WEEKDAYS_JA[day.weekday()]}曜日"
        return f"{shown}は{why}で、休業日です"
    why = f"a public holiday ({holiday})" if holiday else f"a {WEEKDAYS_EN[day.weekday()]}"
    return f"{shown} is {why}, a day the business is closed"


def _shown(value: date, lang: str, today: date) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, lang, today)
    return format_date(value, lang, today)


def _clock(minutes: int) -> str:
    return time(minutes // 60 % 24, minutes % 60).strftime("%H:%M")
