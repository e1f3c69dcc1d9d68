"""The business calendar: when the team works, in which time zone, and which days are closed.

Profile keys (all optional; ``claimkit init`` may write them):

``timezone``
    An IANA name such as ``Asia/Tokyo``. Default: the computer's own zone.
``work_hours``
    ``"09:00-18:00"`` (the default); a lunch break is two ranges,
    ``"09:00-12:00, 13:00-18:00"``; ``24:00`` may end a range. ``~`` and ``〜`` work as ``-``.
``work_days``
    ``mon-fri`` (the default), ``mon-sat``, ``mon,tue,thu`` or a YAML list;
    English names or 月火水木金土日.
``holidays``
    ``jp`` (the default): Japanese public holidays are closed; ``none``: they are not.
``closed_days``
    Other closed days: a list of ``2026-08-14`` (one day), ``12-31`` (every year) or
    a range of either, ``12-29..01-03`` (年末年始).

Every function takes and returns aware datetimes; a naive one is a programming
error (ValueError). Results are in UTC, as the case log stores them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import NamedTuple

from claimkit.errors import ContentError
from claimkit.values.dates import WEEKDAYS_JA
from claimkit.values.holidays import is_holiday

_DAY_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Ten years without a working minute means the calendar is wrong, not that work is far off.
_HORIZON_DAYS = 3660


class Calendar(NamedTuple):
    """Working time: ``hours`` (minutes from midnight, as ``(start, end)`` pairs) on ``days``."""

    zone: tzinfo
    hours: tuple[tuple[int, int], ...] = ((9 * 60, 18 * 60),)
    days: frozenset[int] = frozenset(range(5))  # Monday is 0
    jp_holidays: bool = True
    closed_dates: frozenset[date] = frozenset()
    closed_yearly: frozenset[tuple[int, int]] = frozenset()  # (month, day)

    # -- days ---------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() in self.days
            and day not in self.closed_dates
            and (day.month, day.day) not in self.closed_yearly
            and not (self.jp_holidays and is_holiday(day))
        )

    def local_date(self, at: datetime) -> date:
        return _aware(at).astimezone(self.zone).date()

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working intervals of a local day, as UTC ``(start, end)``; none on a closed day."""
        if not self.is_working_day(day):
            return []
        return [(self._instant(day, start), self._instant(day, end)) for start, end in self.hours]

    def day_end(self, day: date) -> datetime:
        """The end of work on ``day``, or the end of the day itself when it is closed."""
        spans = self.intervals(day)
        if spans:
            return spans[-1][1]
        return self._instant(day + timedelta(days=1), 0)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end of work on the ``days``-th working day after the one ``start`` falls on.

        A start outside working time counts from the next working time, so a mail
        received on Friday evening with 1 working day is due on Tuesday evening, and
        0 working days is "by the end of the working day" (当日中). A negative
        count goes back from ``start``'s own day: -1 is the previous working day.
        """
        if days >= 0:
            day = self.local_date(self.next_working_time(start))
            for _ in range(days):
                day = self._step_working_day(day, 1)
        else:
            day = self.local_date(start)
            for _ in range(-days):
                day = self._step_working_day(day, -1)
        return self.day_end(day)

    # -- instants -----------------------------------------------------------

    def is_working_time(self, at: datetime) -> bool:
        at = _aware(at)
        return any(s <= at < e for s, e in self.intervals(self.local_date(at)))

    def next_working_time(self, at: datetime) -> datetime:
        """``at`` itself during working time, else the start of the next working interval."""
        at = _aware(at).astimezone(UTC)
        for s, e in self._spans(at, 1):
            if e > at:
                return max(s, at)
        raise AssertionError("unreachable: _spans raises first")

    def add_business_hours(self, start: datetime, hours: float | timedelta) -> datetime:
        """``start`` plus this much working time (minus, when negative).

        Ending exactly at the close of an interval gives that close (1 hour from
        17:00 is 18:00 the same day, not 09:00 the next).
        """
        left = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        at = _aware(start).astimezone(UTC)
        if left < timedelta(0):
            left = -left
            for s, e in self._spans(at, -1):
                if s >= at:
                    continue
                e = min(e, at)
                if e - s >= left:
                    return e - left
                left -= e - s
        else:
            for s, e in self._spans(at, 1):
                if e <= at:
                    continue
                s = max(s, at)
                if e - s >= left:
                    return s + left
                left -= e - s
        raise AssertionError("unreachable: _spans raises first")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end`` (negative when ``end`` is earlier).

        For first-reply and resolution times "in business hours".
        """
        a, b = _aware(start).astimezone(UTC), _aware(end).astimezone(UTC)
        if b < a:
            return -self.working_time_between(b, a)
        total = timedelta(0)
        day = self.local_date(a)
        last = self.local_date(b)
        while day <= last:
            for s, e in self.intervals(day):
                lo, hi = max(s, a), min(e, b)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    # -- helpers ------------------------------------------------------------

    def _instant(self, day: date, minutes: int) -> datetime:
        # Wall-clock arithmetic first, then the zone: right across a DST change.
        local = datetime.combine(day, time(0)) + timedelta(minutes=minutes)
        return local.replace(tzinfo=self.zone).astimezone(UTC)

    def _spans(self, at: datetime, step: int) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals from ``at``'s local day onward (``step=1``) or backward (-1)."""
        day = self.local_date(at)
        for _ in range(_HORIZON_DAYS):
            spans = self.intervals(day)
            yield from spans if step > 0 else reversed(spans)
            day += timedelta(days=step)
        raise ContentError(
            "the business calendar has no working time within ten years; "
            "check work_days, work_hours and closed_days in the profile"
        )

    def _step_working_day(self, day: date, step: int) -> date:
        for _ in range(_HORIZON_DAYS):
            day += timedelta(days=step)
            if self.is_working_day(day):
                return day
        raise ContentError(
            "the business calendar has no working day within ten years; "
            "check work_days and closed_days in the profile"
        )


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"a naive datetime ({at.isoformat()}); give it a time zone")
    return at


# -- reading the profile --------------------------------------------------------

PROFILE_KEYS = ("timezone", "work_hours", "work_days", "holidays", "closed_days")


def calendar_from_profile(profile: Mapping[str, object], *, where: str = "profile") -> Calendar:
    """The calendar the profile's keys describe; a bad key raises ContentError naming it."""
    zone = _zone(profile.get("timezone"), where)
    hours = _hours(profile.get("work_hours", "09:00-18:00"), where)
    days = _days(profile.get("work_days", "mon-fri"), where)
    holidays = profile.get("holidays", "jp")
    if holidays not in ("jp", "none"):
        raise ContentError(f"holidays: {holidays!r} is not jp or none", where=where)
    dates, yearly = _closed(profile.get("closed_days"), where)
    return Calendar(
        zone=zone,
        hours=hours,
        days=days,
        jp_holidays=holidays == "jp",
        closed_dates=dates,
        closed_yearly=yearly,
    )


def profile_zone(profile: Mapping[str, object], *, where: str = "profile") -> tzinfo:
    """The profile's ``timezone``, else the computer's; a bad one raises ContentError."""
    return _zone(profile.get("timezone"), where)


def system_zone() -> tzinfo:
    """The computer's time zone by its IANA name when it can be found, else its current offset."""
    from zoneinfo import ZoneInfo

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        link = os.readlink("/etc/localtime")
        candidates.append(link.partition("zoneinfo/")[2])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name)
            except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
                continue
    # Windows and odd systems: a fixed offset, exact for zones without DST such as Japan's.
    local = datetime.now().astimezone().tzinfo
    return local if local is not None else UTC


def _zone(value: object, where: str) -> tzinfo:
    if value is None or value == "":
        return system_zone()
    from zoneinfo import ZoneInfo

    if isinstance(value, str):
        try:
            return ZoneInfo(value)
        except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            pass
    raise ContentError(
        f"timezone: {value!r} is not a time zone; write a name like Asia/Tokyo", where=where
    )


# As text, compiled by re.match when a profile sets work_hours (most use the default).
_RANGE = r"^(\d{1,2})(?::(\d{2}))?\s*[-~〜～]\s*(\d{1,2})(?::(\d{2}))?$"


def _hours(value: object, where: str) -> tuple[tuple[int, int], ...]:
    parts = value if isinstance(value, list) else str(value).split(",")
    spans: list[tuple[int, int]] = []
    for part in parts:
        m = re.match(_RANGE, str(part).strip())
        start = end = -1
        if m:
            start = int(m[1]) * 60 + int(m[2] or 0)
            end = int(m[3]) * 60 + int(m[4] or 0)
        if not m or not 0 <= start < end <= 24 * 60 or int(m[2] or 0) > 59 or int(m[4] or 0) > 59:
            raise ContentError(
                f"work_hours: {str(part).strip()!r} is not a time range; "
                'write it like "09:00-18:00" or "09:00-12:00, 13:00-18:00"',
                where=where,
            )
        spans.append((start, end))
    spans.sort()
    if not spans or any(a[1] > b[0] for a, b in pairwise(spans)):
        raise ContentError(
            f"work_hours: {value!r} has overlapping or no ranges; "
            'write it like "09:00-12:00, 13:00-18:00"',
            where=where,
        )
    return tuple(spans)


def _day_index(name: str) -> int:
    name = name.strip().lower()
    if len(name) == 1 and name in WEEKDAYS_JA:
        return WEEKDAYS_JA.index(name)
    for i, full in enumerate(_DAY_FULL):
        if len(name) >= 3 and full.startswith(name):
            return i
    raise ValueError(name)


def _days(value: object, where: str) -> frozenset[int]:
    parts = value if isinstance(value, list) else re.split(r"[,、]", str(value))
    days: set[int] = set()
    try:
        for part in parts:
            ends = re.split(r"\s*[-~〜～]\s*", str(part).strip())
            if len(ends) == 1:
                days.add(_day_index(ends[0]))
            elif len(ends) == 2:
                a, b = _day_index(ends[0]), _day_index(ends[1])
                days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
            else:
                raise ValueError(part)
    except ValueError:
        days.clear()
    if not days:
        raise ContentError(
            f"work_days: {value!r} is not a list of days; write it like mon-fri or mon,tue,thu",
            where=where,
        )
    return frozenset(days)


_DAY = r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$"  # compiled by re.match when days are closed


def _closed(value: object, where: str) -> tuple[frozenset[date], frozenset[tuple[int, int]]]:
    if value is None:
        return frozenset(), frozenset()
    items = value if isinstance(value, list) else str(value).split(",")
    dates: set[date] = set()
    yearly: set[tuple[int, int]] = set()
    for item in items:
        text = item.isoformat() if isinstance(item, date) else str(item).strip()
        try:
            first, _, last = text.partition("..")
            a, b = re.match(_DAY, first.strip()), re.match(_DAY, (last or first).strip())
            if not a or not b or bool(a[1]) != bool(b[1]):
                raise ValueError(text)
            if a[1]:
                day, end = (
                    date(int(a[1]), int(a[2]), int(a[3])),
                    date(int(b[1]), int(b[2]), int(b[3])),
                )
                if end < day or (end - day).days > 366:
                    raise ValueError(text)
                while day <= end:
                    dates.add(day)
                    day += timedelta(days=1)
            else:
                # A leap year, so that 02-29 is a day; a range may run over New Year.
                day, end = date(2000, int(a[2]), int(a[3])), date(2000, int(b[2]), int(b[3]))
                if end < day:
                    end = end.replace(year=2001)
                while day <= end:
                    yearly.add((day.month, day.day))
                    day += timedelta(days=1)
        except ValueError:
            raise ContentError(
                f"closed_days: {text!r} is not a day or a range of days; "
                "write 2026-08-14, 12-31 (every year) or 12-29..01-03",
                where=where,
            ) from None
    return frozenset(dates), frozenset(yearly)
