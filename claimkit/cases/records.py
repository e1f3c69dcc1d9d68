"""The case log's records, and how they become rows and JSON and back.

Times are aware UTC datetimes here and whole seconds since 1970 UTC in the
tables (see claimkit.cases.schema).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Literal, NamedTuple, TypeAlias, cast

from claimkit.errors import InputError

JSON: TypeAlias = str | int | float | bool | list["JSON"] | dict[str, "JSON"] | None
Status = Literal["open", "closed"]
EntryKind = Literal["note", "call", "visit", "exchange"]
ENTRY_KINDS: tuple[EntryKind, ...] = ("note", "call", "visit", "exchange")


class Complaint(NamedTuple):
    """The complaint mail a case starts from, when there is one."""

    message_id: str | None = None
    subject: str | None = None
    received_at: datetime | None = None
    # The attribution line and the customer's words quoted, as a reply puts them
    # below itself (claimkit.mail.quote), in the case's language; None without text.
    quote: str | None = None


class Case(NamedTuple):
    id: str
    scenario: str
    lang: str
    agent: str  # who opened it
    status: Status
    opened_at: datetime
    received_at: datetime
    complaint_message_id: str | None
    complaint_subject: str | None
    values: dict[str, JSON]
    next_step: str | None  # the first step not done, in the playbook's order
    next_due: datetime | None  # the soonest due time of the steps not done
    due_step: str | None  # the step next_due belongs to
    first_reply_at: datetime | None
    first_reply_due: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    exchanges: int
    minutes: int
    last_seq: int
    updated_at: datetime

    def overdue(self, now: datetime) -> bool:
        return self.status == "open" and self.next_due is not None and self.next_due < now


class Event(NamedTuple):
    case_id: str
    seq: int
    kind: str  # opened, step_done, step_skipped, first_reply, note, call, visit, exchange,
    # values_set, message, resolved, closed
    at: datetime
    recorded_at: datetime
    agent: str
    step: str | None
    note: str | None
    minutes: int | None
    exchanges: int | None
    due_at: datetime | None
    seconds: int | None
    business_seconds: int | None
    message_id: str | None
    data: dict[str, JSON]


class Deadline(NamedTuple):
    case_id: str
    seq: int  # the event that set it
    step: str
    due_at: datetime
    promise: bool  # a time someone was told (due: by), not a target the team set itself
    done_at: datetime | None
    done_seq: int | None
    ended_at: datetime | None  # done, skipped, moved or closed; None while it runs


class CaseView(NamedTuple):
    case: Case
    events: list[Event]
    deadlines: list[Deadline]


CASE_COLUMNS = (
    "id, scenario, lang, agent, status, opened_at, received_at, complaint_message_id, "
    "complaint_subject, values_json, next_step, next_due, due_step, first_reply_at, "
    "first_reply_due, "
    "resolved_at, closed_at, exchanges, minutes, last_seq, updated_at"
)
EVENT_COLUMNS = (
    "case_id, seq, kind, at, recorded_at, agent, step, note, minutes, exchanges, due_at, "
    "seconds, business_seconds, message_id, data"
)
DEADLINE_COLUMNS = "case_id, seq, step, due_at, promise, done_at, done_seq, ended_at"


def ts(at: datetime) -> int:
    return int(at.timestamp())


def ts_or_none(at: datetime | None) -> int | None:
    return None if at is None else ts(at)


def dt(value: object) -> datetime:
    assert isinstance(value, int)
    return datetime.fromtimestamp(value, UTC)


def dt_or_none(value: object) -> datetime | None:
    return None if value is None else dt(value)


def loads(text: object) -> dict[str, JSON]:
    value = json.loads(str(text))
    assert isinstance(value, dict)
    return value


def dumps(value: Mapping[str, JSON]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_values(values: Mapping[str, object]) -> dict[str, JSON]:
    """Values as JSON: dates and times as people type them (``2026-11-25 15:00``)."""
    out: dict[str, JSON] = {}
    for name, value in values.items():
        out[str(name)] = json_value(name, value)
    return out


def json_value(name: str, value: object) -> JSON:
    if isinstance(value, datetime):
        return value.isoformat(" ", "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [json_value(name, v) for v in value]
    raise InputError(f"{name}: a {type(value).__name__} cannot be stored in the case log")


def plain(record: Mapping[str, object]) -> JSON:
    """A record as JSON: times in ISO 8601 UTC (``2026-11-25T06:00:00Z``)."""
    out: dict[str, JSON] = {}
    for key, value in record.items():
        if isinstance(value, datetime):
            out[key] = value.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            out[key] = cast(JSON, value)  # the records hold only JSON besides times
    return out


def case_from_row(r: Sequence[object]) -> Case:
    return Case(
        id=str(r[0]),
        scenario=str(r[1]),
        lang=str(r[2]),
        agent=str(r[3]),
        status="closed" if r[4] == "closed" else "open",
        opened_at=dt(r[5]),
        received_at=dt(r[6]),
        complaint_message_id=None if r[7] is None else str(r[7]),
        complaint_subject=None if r[8] is None else str(r[8]),
        values=loads(r[9]),
        next_step=None if r[10] is None else str(r[10]),
        next_due=dt_or_none(r[11]),
        due_step=None if r[12] is None else str(r[12]),
        first_reply_at=dt_or_none(r[13]),
        first_reply_due=dt_or_none(r[14]),
        resolved_at=dt_or_none(r[15]),
        closed_at=dt_or_none(r[16]),
        exchanges=int(str(r[17])),
        minutes=int(str(r[18])),
        last_seq=int(str(r[19])),
        updated_at=dt(r[20]),
    )


def int_or_none(value: object) -> int | None:
    return None if value is None else int(str(value))


def event_from_row(r: Sequence[object]) -> Event:
    return Event(
        case_id=str(r[0]),
        seq=int(str(r[1])),
        kind=str(r[2]),
        at=dt(r[3]),
        recorded_at=dt(r[4]),
        agent=str(r[5]),
        step=None if r[6] is None else str(r[6]),
        note=None if r[7] is None else str(r[7]),
        minutes=int_or_none(r[8]),
        exchanges=int_or_none(r[9]),
        due_at=dt_or_none(r[10]),
        seconds=int_or_none(r[11]),
        business_seconds=int_or_none(r[12]),
        message_id=None if r[13] is None else str(r[13]),
        data=loads(r[14]),
    )


def deadline_from_row(r: Sequence[object]) -> Deadline:
    return Deadline(
        case_id=str(r[0]),
        seq=int(str(r[1])),
        step=str(r[2]),
        due_at=dt(r[3]),
        promise=bool(r[4]),
        done_at=dt_or_none(r[5]),
        done_seq=int_or_none(r[6]),
        ended_at=dt_or_none(r[7]),
    )
