"""Promised times that cannot be kept are told before the draft is used; dates check weekdays."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from claimkit.content.catalog import Catalog
from claimkit.errors import InputError
from claimkit.paths import ContentRoot, builtin_root
from claimkit.pipeline import Request, make_draft
from claimkit.render.renderer import Renderer
from claimkit.values.business import calendar_from_profile
from claimkit.values.dates import parse_date, parse_datetime
from claimkit.values.resolve import Sources
from tests.conftest import MINIMAL_PLAYBOOK, cli, write_playbook

TOKYO = ZoneInfo("Asia/Tokyo")
FRIDAY = datetime(2026, 12, 4, 9, 30, tzinfo=TOKYO)  # a Friday morning in Tokyo

PROMISE = MINIMAL_PLAYBOOK.format(id="promise") + (
    "  - name: call_by\n"
    "    type: datetime\n"
    "    promise: true\n"
    "    prompt: {ja: 電話する日時, en: Call by}\n"
    "    example: next working day 15:00\n"
)
TEMPLATE = "{{ customer_name }} {{ call_by }}\n"


def promise_team(team: Path) -> list[ContentRoot]:
    write_playbook(team, "promise", PROMISE, templates={"ja": TEMPLATE, "en": TEMPLATE})
    return [ContentRoot(team, "team"), builtin_root()]


def warnings(team: Path, call_by: str, lang: str = "ja", **request: object) -> tuple[str, ...]:
    roots = promise_team(team)
    calendar = calendar_from_profile({"timezone": "Asia/Tokyo"})
    sources = Sources(example=True, overrides={"call_by": call_by}, calendar=calendar)
    ask = Request(
        scenario="promise", lang=lang, sources=sources, today=FRIDAY.date(), now=FRIDAY, **request
    )
    catalog = Catalog(roots)
    return make_draft(catalog, Renderer(catalog.roots), ask).warnings


@pytest.mark.parametrize(
    ("call_by", "expected"),
    [
        ("2026-12-03 15:00", "call_by: 2026年12月3日（木）15時は過ぎています"),
        ("2026-12-04 09:00", "call_by: 2026年12月4日（金）9時は過ぎています"),
        ("tomorrow 10:00", "call_by: 2026年12月5日（土）10時は土曜日で、休業日です"),
        ("2026-12-05 10:00", "call_by: 2026年12月5日（土）10時は土曜日で、休業日です"),
        ("2027-01-01 10:00", "call_by: 2027年1月1日（金）10時は祝日（元日）で、休業日です"),
        (
            "2026-12-04 23:30",
            "call_by: 2026年12月4日（金）23時30分は営業時間（09:00–18:00）の外です",
        ),
    ],
)
def test_a_promise_that_cannot_be_kept_is_a_warning_naming_the_variable(
    team: Path, call_by: str, expected: str
) -> None:
    assert warnings(team, call_by) == (expected,)


def test_a_keepable_promise_is_no_warning_and_english_says_why_in_english(team: Path) -> None:
    assert warnings(team, "2026-12-07 15:00") == ()
    (found,) = warnings(team, "2026-12-05 10:00", lang="en")
    assert (
        found
        == "call_by: Saturday, December 5, at 10 a.m. is a Saturday, a day the business is closed"
    )


def test_strict_times_makes_it_an_error(team: Path) -> None:
    with pytest.raises(InputError, match=r"call_by: .*過ぎています \(--strict-times\)"):
        warnings(team, "2026-12-03 15:00", strict_times=True)


def test_the_cli_warns_on_stderr_and_strict_times_exits_2(team: Path) -> None:
    promise_team(team)
    args = ["draft", "promise", "--lang", "ja", "--example", "--no-input", "-P", str(team)]
    past = ["--set", "call_by=2020-01-06 15:00"]
    run = cli([*args, *past])
    assert run.code == 0 and "warning: call_by: 2020年1月6日（月）15時は過ぎています" in run.stderr
    assert run.stdout  # the draft still comes out: a warning, before it is sent
    strict = cli([*args, *past, "--strict-times"])
    assert strict.code == 2 and strict.stdout == ""
    batch = cli(
        ["draft", "promise", "--lang", "ja", "--example", "--batch", "-", "-P", str(team)],
        input='{"call_by": "2020-01-06 15:00"}\n{}\n',
    )
    assert batch.code == 0
    assert "row 1: call_by: 2020年1月6日（月）15時は過ぎています" in batch.stderr
    assert "row 2:" not in batch.stderr  # the example is the next working day: keepable


def test_a_date_with_the_wrong_weekday_is_an_error() -> None:
    today = date(2026, 12, 4)
    assert parse_date("2026-12-09（水）", today) == date(2026, 12, 9)
    assert parse_datetime("12/9 (Wed) 15:00", today) == datetime(2026, 12, 9, 15)
    for text in ("2026年12月9日（月）", "Mon 2026-12-09", "12/9(月曜日)"):
        with pytest.raises(ValueError, match=r"2026-12-09 is a Wednesday \(水\), not a Monday"):
            parse_date(text, today)
    args = ["draft", "apology", "--lang", "ja", "--example", "--no-input"]
    run = cli([*args, "--set", "callback_at=2026-12-09(月) 15:00"])
    assert run.code == 2 and "--set: callback_at: 2026-12-09 is a Wednesday" in run.stderr


def test_working_days_ahead_skip_weekends_holidays_and_closed_days() -> None:
    friday = date(2026, 12, 4)
    assert parse_date("next working day", friday) == date(2026, 12, 7)
    assert parse_date("翌営業日", date(2026, 12, 31)) == date(2027, 1, 4)  # 元日, then a weekend
    saturdays = calendar_from_profile({"work_days": "mon-sat", "closed_days": ["12-07"]})
    assert parse_date("next working day", friday, saturdays) == date(2026, 12, 5)
    assert parse_date("2営業日後", friday, saturdays) == date(2026, 12, 8)
