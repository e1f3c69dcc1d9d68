"""The business calendar: working time, Japanese holidays, and the profile keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimkit.errors import ContentError
from claimkit.values.business import Calendar, calendar_from_profile
from claimkit.values.holidays import holiday_name, is_holiday, year_holidays

TOKYO = ZoneInfo("Asia/Tokyo")
CAL = calendar_from_profile(
    {"timezone": "Asia/Tokyo", "work_hours": "09:00-18:00", "work_days": "mon-fri"}
)


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=TOKYO)  # type: ignore[misc]


def test_every_holiday_of_2000_to_2099_matches_the_holidays_library() -> None:
    holidays = pytest.importorskip("holidays", reason="holidays is in the [test] extra")
    theirs = holidays.Japan(years=range(2000, 2100), language="ja")
    ours = {}
    for year in range(2000, 2100):
        ours.update(year_holidays(year))
    assert sorted(ours) == sorted(theirs)
    # The law names 2019-10-22 "即位礼正殿の儀の行われる日"; holidays writes "が行われる日".
    assert {d: n for d, n in ours.items() if theirs[d] != n} == {
        date(2019, 10, 22): "即位礼正殿の儀の行われる日"
    }


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 5, 6), "振替休日"),  # 5/3 was a Sunday: the first day after that is no holiday
        (date(2008, 5, 6), "振替休日"),  # みどりの日 on a Sunday, 5/5 is taken
        (date(2026, 9, 22), "国民の休日"),  # between 敬老の日 and 秋分の日
        (date(2019, 4, 30), "国民の休日"),
        (date(2019, 5, 1), "天皇の即位の日"),
        (date(2019, 5, 2), "国民の休日"),
        (date(2021, 7, 23), "スポーツの日"),  # moved for the Olympics
        (date(2021, 8, 9), "振替休日"),  # 山の日 on 8/8, a Sunday
        (date(2004, 5, 4), "国民の休日"),  # before 2007, 5/4 was a citizens' holiday
        (date(2026, 2, 23), "天皇誕生日"),
        (date(2026, 11, 23), "勤労感謝の日"),
        (date(2026, 11, 24), None),
        (date(2018, 12, 24), "振替休日"),
        (date(2019, 12, 23), None),  # no Emperor's Birthday in 2019
        (date(2003, 5, 4), None),  # a Sunday between two holidays was no holiday before 2007
    ],
)
def test_holidays(day: date, name: str | None) -> None:
    assert holiday_name(day) == name
    assert is_holiday(day) is (name is not None)


def test_english_names() -> None:
    assert holiday_name(date(2026, 11, 3), "en") == "Culture Day"
    assert holiday_name(date(2026, 9, 22), "en") == "Citizens' Holiday"


def test_working_time() -> None:
    assert CAL.is_working_time(jst(2026, 11, 20, 9, 0))  # a Friday
    assert CAL.is_working_time(jst(2026, 11, 20, 17, 59))
    assert not CAL.is_working_time(jst(2026, 11, 20, 18, 0))
    assert not CAL.is_working_time(jst(2026, 11, 21, 10, 0))  # Saturday
    assert not CAL.is_working_time(jst(2026, 11, 3, 10, 0))  # 文化の日, a Tuesday
    # The same instant given in UTC.
    assert CAL.is_working_time(datetime(2026, 11, 20, 0, 30, tzinfo=UTC))


def test_next_working_time_skips_the_weekend_and_a_monday_holiday() -> None:
    # Friday evening; Monday 11/23 is 勤労感謝の日.
    assert CAL.next_working_time(jst(2026, 11, 20, 18, 30)) == jst(2026, 11, 24, 9, 0)
    assert CAL.next_working_time(jst(2026, 11, 24, 7, 0)) == jst(2026, 11, 24, 9, 0)
    at = jst(2026, 11, 24, 10, 15)
    assert CAL.next_working_time(at) == at
    assert CAL.next_working_time(at).tzinfo == UTC


def test_add_business_hours() -> None:
    assert CAL.add_business_hours(jst(2026, 11, 19, 17, 0), 1) == jst(2026, 11, 19, 18, 0)
    assert CAL.add_business_hours(jst(2026, 11, 20, 17, 30), 1) == jst(2026, 11, 24, 9, 30)
    assert CAL.add_business_hours(jst(2026, 11, 21, 12, 0), 1) == jst(2026, 11, 24, 10, 0)
    assert CAL.add_business_hours(jst(2026, 11, 19, 10, 0), 18) == jst(2026, 11, 24, 10, 0)
    assert CAL.add_business_hours(jst(2026, 11, 24, 9, 30), -1) == jst(2026, 11, 20, 17, 30)
    assert CAL.add_business_hours(jst(2026, 11, 19, 10, 0), timedelta(minutes=30)) == jst(
        2026, 11, 19, 10, 30
    )


def test_working_time_between() -> None:
    friday, tuesday = jst(2026, 11, 20, 17, 0), jst(2026, 11, 24, 10, 0)
    assert CAL.working_time_between(friday, tuesday) == timedelta(hours=2)
    assert CAL.working_time_between(tuesday, friday) == -timedelta(hours=2)
    assert CAL.working_time_between(jst(2026, 11, 21), jst(2026, 11, 24)) == timedelta(0)


def test_working_days() -> None:
    # After hours on Friday counts from Tuesday (Monday is a holiday): Tuesday is day 0.
    assert CAL.add_working_days(jst(2026, 11, 20, 19, 0), 0) == jst(2026, 11, 24, 18, 0)
    assert CAL.add_working_days(jst(2026, 11, 20, 19, 0), 1) == jst(2026, 11, 25, 18, 0)
    assert CAL.add_working_days(jst(2026, 11, 20, 10, 0), 0) == jst(2026, 11, 20, 18, 0)
    assert CAL.add_working_days(jst(2026, 11, 20, 10, 0), 3) == jst(2026, 11, 26, 18, 0)
    assert CAL.add_working_days(jst(2026, 11, 24, 15, 0), -1) == jst(2026, 11, 20, 18, 0)


def test_lunch_break_and_closed_days() -> None:
    cal = calendar_from_profile(
        {
            "timezone": "Asia/Tokyo",
            "work_hours": "9:00-12:00, 13:00〜17:30",
            "work_days": "月〜土",
            "closed_days": ["12-29..01-03", "2026-08-14"],
        }
    )
    assert not cal.is_working_time(jst(2026, 11, 20, 12, 30))
    assert cal.add_business_hours(jst(2026, 11, 20, 11, 30), 1) == jst(2026, 11, 20, 13, 30)
    assert cal.is_working_time(jst(2026, 11, 21, 10, 0))  # Saturday works
    assert not cal.is_working_day(date(2026, 12, 31))
    assert not cal.is_working_day(date(2027, 1, 2))
    assert cal.is_working_day(date(2027, 1, 4))
    assert not cal.is_working_day(date(2026, 8, 14))
    assert cal.next_working_time(jst(2026, 12, 28, 18, 0)) == jst(2027, 1, 4, 9, 0)


def test_a_day_with_a_dst_change_is_23_hours_of_work() -> None:
    ny = ZoneInfo("America/New_York")
    cal = calendar_from_profile(
        {"timezone": "America/New_York", "work_hours": "00:00-24:00", "work_days": "mon-sun"}
    )
    start, end = datetime(2026, 3, 8, tzinfo=ny), datetime(2026, 3, 9, tzinfo=ny)
    assert cal.working_time_between(start, end) == timedelta(hours=23)


def test_holidays_none_and_defaults() -> None:
    cal = calendar_from_profile({"timezone": "Asia/Tokyo", "holidays": "none"})
    assert cal.is_working_day(date(2026, 11, 3))
    default = calendar_from_profile({"timezone": "UTC"})
    assert default.hours == ((540, 1080),)
    assert default.days == frozenset(range(5))
    assert not default.is_working_day(date(2026, 11, 3))


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"timezone": "Asia/Tokio"}, "timezone: 'Asia/Tokio' is not a time zone"),
        ({"work_hours": "18:00-09:00"}, "work_hours: '18:00-09:00' is not a time range"),
        ({"work_hours": "9:00-13:00, 12:00-18:00"}, "overlapping"),
        ({"work_days": "mon-fry"}, "work_days: 'mon-fry' is not a list of days"),
        ({"holidays": "us"}, "holidays: 'us' is not jp or none"),
        ({"closed_days": ["12-32"]}, "closed_days: '12-32' is not a day"),
    ],
)
def test_profile_errors_name_the_key(profile: dict[str, object], message: str) -> None:
    with pytest.raises(ContentError, match=message) as err:
        calendar_from_profile({"timezone": "UTC", **profile}, where="profile.yaml")
    assert str(err.value).startswith("profile.yaml: ")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        CAL.is_working_time(datetime(2026, 11, 20, 10, 0))


def test_a_calendar_without_working_time_says_so() -> None:
    cal = Calendar(
        zone=TOKYO,
        days=frozenset({5}),
        closed_yearly=frozenset((m, d) for m in range(1, 13) for d in range(1, 32) if _real(m, d)),
    )
    with pytest.raises(ContentError, match="no working time within ten years"):
        cal.next_working_time(jst(2026, 1, 1))


def _real(month: int, day: int) -> bool:
    try:
        date(2000, month, day)
    except ValueError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)),
    minutes=st.integers(min_value=0, max_value=60 * 60),
)
def test_business_hours_added_are_the_working_time_between(start: datetime, minutes: int) -> None:
    start = start.replace(tzinfo=TOKYO)
    end = CAL.add_business_hours(start, timedelta(minutes=minutes))
    assert CAL.working_time_between(start, end) == timedelta(minutes=minutes)
    back = CAL.add_business_hours(end, -timedelta(minutes=minutes))
    assert CAL.working_time_between(back, end) == timedelta(minutes=minutes)
    assert CAL.next_working_time(start) <= end
