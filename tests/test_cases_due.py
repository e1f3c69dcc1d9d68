"""The due: spec of playbook steps and the due times it gives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from claimkit.cases.due import Due, Span, due_time, parse_due, references
from claimkit.cases.flow import StepSpec, next_step, step_due
from claimkit.errors import ContentError, InputError
from claimkit.values.business import calendar_from_profile

TOKYO = ZoneInfo("Asia/Tokyo")
CAL = calendar_from_profile({"timezone": "Asia/Tokyo"})
WHERE = "playbooks/apology.yaml:14"


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=TOKYO)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("data", "due"),
    [
        ({"within": "1h", "business_hours": True}, Due(Span(60, "minutes"), business_hours=True)),
        ({"within": "1h30m"}, Due(Span(90, "minutes"))),
        ({"within": "45 minutes"}, Due(Span(45, "minutes"))),
        ({"within": "2 days"}, Due(Span(2, "days"))),
        ({"within": "1 week"}, Due(Span(7, "days"))),
        (
            {"within": "3 working days", "from": "previous"},
            Due(Span(3, "working_days"), start="previous"),
        ),
        ({"within": "0 working days"}, Due(Span(0, "working_days"))),
        ({"within": "1 business day", "from": "fix_at"}, Due(Span(1, "working_days"), "fix_at")),
        ({"by": "callback_at"}, Due(by="callback_at")),
        (
            {"by": "next_contact_at", "ahead": "1 working day"},
            Due(by="next_contact_at", ahead=Span(1, "working_days")),
        ),
        ({"with": "first-reply"}, Due(together_with="first-reply")),
    ],
)
def test_parse(data: dict[str, object], due: Due) -> None:
    assert parse_due(data, WHERE) == due._replace(where=WHERE)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("1h", "due: must be a mapping"),
        ({}, "due: must be a mapping"),
        ({"within": "1h", "by": "callback_at"}, "exactly one of within, by and with"),
        ({"from": "previous"}, "exactly one of within, by and with"),
        ({"within": "1 fortnight"}, "due: within: '1 fortnight' is not a duration; write 30m"),
        ({"within": ""}, "is not a duration"),
        ({"within": "1h", "business_hours": "yes"}, "business_hours must be true or false"),
        ({"within": "2 working days", "business_hours": True}, "already counts only working"),
        ({"within": "1h", "from": "Received"}, "from: 'Received' is not received, previous"),
        ({"by": "Callback"}, "by: 'Callback' is not a variable name"),
        ({"by": "callback_at", "from": "previous"}, "from does not go with by"),
        ({"with": "report", "within": "1h"}, "exactly one"),
        ({"with": "Report"}, "with: 'Report' is not a step id"),
        ({"within": "1h", "when": "now"}, "unknown key 'when'"),
    ],
)
def test_parse_errors_name_the_place(data: object, message: str) -> None:
    with pytest.raises(ContentError, match=message) as err:
        parse_due(data, WHERE)
    assert str(err.value).startswith(f"{WHERE}: due")
    assert "\n" not in str(err.value)


def test_references() -> None:
    assert references(parse_due({"by": "callback_at"}, "")) == ("callback_at", None)
    assert references(parse_due({"within": "1h", "from": "fix_at"}, "")) == ("fix_at", None)
    assert references(parse_due({"within": "1h", "from": "previous"}, "")) == (None, None)
    assert references(parse_due({"with": "first-reply"}, "")) == (None, "first-reply")


def due(data: dict[str, object], **kw: object) -> datetime | None:
    args: dict[str, object] = {
        "received": jst(2026, 11, 20, 17, 30),  # Friday; Monday 11/23 is 勤労感謝の日
        "previous_done": None,
        "values": {},
        "calendar": CAL,
    }
    args.update(kw)
    return due_time(parse_due(data, WHERE), **args)  # type: ignore[arg-type]


def test_within_business_hours_across_a_weekend_and_a_holiday() -> None:
    assert due({"within": "1h", "business_hours": True}) == jst(2026, 11, 24, 9, 30)
    assert due({"within": "1h"}) == jst(2026, 11, 20, 18, 30)
    assert due({"within": "1h"}).tzinfo == UTC  # type: ignore[union-attr]


def test_within_working_days() -> None:
    assert due({"within": "0 working days"}) == jst(2026, 11, 20, 18, 0)
    assert due({"within": "1 working day"}) == jst(2026, 11, 24, 18, 0)
    assert due({"within": "3 working days"}) == jst(2026, 11, 26, 18, 0)
    # Received on Saturday: the clock starts on Tuesday, the next working day.
    saturday = jst(2026, 11, 21, 10, 0)
    assert due({"within": "0 working days"}, received=saturday) == jst(2026, 11, 24, 18, 0)


def test_from_previous_and_from_a_variable() -> None:
    done = jst(2026, 11, 24, 11, 0)
    spec = {"within": "2 working days", "from": "previous"}
    assert due(spec, previous_done=done) == jst(2026, 11, 26, 18, 0)
    assert due(spec) == jst(2026, 11, 25, 18, 0)  # no step before: from the receipt
    spec = {"within": "1 working day", "from": "fix_at"}
    assert due(spec, values={"fix_at": "2026-11-27 16:00"}) == jst(2026, 11, 30, 18, 0)
    assert due(spec, values={}) is None
    assert due(spec, values={"fix_at": date(2026, 11, 27)}) == jst(2026, 11, 30, 18, 0)


def test_by_a_promised_time() -> None:
    assert due({"by": "callback_at"}, values={"callback_at": "2026-11-25 15:00"}) == jst(
        2026, 11, 25, 15, 0
    )
    aware = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    assert due({"by": "callback_at"}, values={"callback_at": aware}) == aware
    naive = datetime(2026, 11, 25, 15, 0)
    assert due({"by": "callback_at"}, values={"callback_at": naive}) == jst(2026, 11, 25, 15, 0)
    assert due({"by": "callback_at"}, values={"callback_at": ""}) is None
    # A date alone: by the end of work that day.
    assert due({"by": "follow_up_on"}, values={"follow_up_on": "2026-12-21"}) == jst(
        2026, 12, 21, 18, 0
    )


def test_ahead_of_a_promised_time() -> None:
    spec = {"by": "next_contact_at", "ahead": "1 working day"}
    # The day before Tuesday 11/24 is Friday 11/20 (the weekend and a holiday between).
    assert due(spec, values={"next_contact_at": "2026-11-24 15:00"}) == jst(2026, 11, 20, 18, 0)
    spec = {"by": "next_contact_at", "ahead": "2h"}
    assert due(spec, values={"next_contact_at": "2026-11-24 15:00"}) == jst(2026, 11, 24, 13, 0)


def test_a_value_that_is_no_time_says_which() -> None:
    with pytest.raises(InputError, match="callback_at: 'next week' is not a date and time"):
        due({"by": "callback_at"}, values={"callback_at": "next week"})


STEPS = [
    StepSpec(
        "first-reply", True, "customer", parse_due({"within": "1h", "business_hours": True}, "")
    ),
    StepSpec("report", True, "internal", parse_due({"with": "first-reply"}, "")),
    StepSpec("call", False, "customer", parse_due({"by": "callback_at"}, "")),
    StepSpec(
        "decide", False, "internal", parse_due({"within": "3 working days", "from": "previous"}, "")
    ),
    StepSpec("thank", True, "customer", None),
]


def test_next_step_and_its_due() -> None:
    received = jst(2026, 11, 19, 10, 0)
    done = {"first-reply": jst(2026, 11, 19, 10, 20)}
    assert next_step(STEPS, {}) == STEPS[0]
    assert next_step(STEPS, done) == STEPS[1]
    kw = {
        "received": received,
        "done": done,
        "values": {"callback_at": "2026-11-19 15:00"},
        "calendar": CAL,
    }
    # Together with the first reply: the first reply's own due time.
    assert step_due(STEPS, "report", **kw) == jst(2026, 11, 19, 11, 0)  # type: ignore[arg-type]
    assert step_due(STEPS, "call", **kw) == jst(2026, 11, 19, 15, 0)  # type: ignore[arg-type]
    done["call"] = jst(2026, 11, 19, 14, 50)
    # Thursday's call + 3 working days: Friday, (weekend, holiday) Tuesday, Wednesday.
    assert step_due(STEPS, "decide", **kw) == jst(2026, 11, 25, 18, 0)  # type: ignore[arg-type]
    assert step_due(STEPS, "thank", **kw) is None  # type: ignore[arg-type]
    assert step_due(STEPS, "nope", **kw) is None  # type: ignore[arg-type]
    loop = [StepSpec("a", due=Due(together_with="b")), StepSpec("b", due=Due(together_with="a"))]
    assert step_due(loop, "a", **kw) is None  # type: ignore[arg-type]
    done.update({s.id: received for s in STEPS})
    assert next_step(STEPS, done) is None


def test_first_reply_is_a_customer_facing_message() -> None:
    assert STEPS[0].replies_to_customer
    assert not STEPS[1].replies_to_customer  # internal
    assert not STEPS[2].replies_to_customer  # a call, not a message
    assert StepSpec("public-reply", True, "public").replies_to_customer
