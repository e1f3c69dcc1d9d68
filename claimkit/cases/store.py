"""The case log: an append-only timeline per case, and a case row kept with it.

``open_log(target)`` opens (and migrates) the log at a path or ``postgresql://``
URL. Every recording method is one transaction that first locks the case's row
(an ``UPDATE ... RETURNING``, which both engines support and which holds the
row until commit), reads what it needs, appends the events with the next
sequence numbers and saves the row: two agents writing one case at once are
serialised, neither update is lost, and a killed process leaves the log as it
was. docs/cases.md describes the tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from claimkit.cases import db as engines
from claimkit.cases.flow import StepSpec, find_step, next_step, step_due, waits_for_previous
from claimkit.cases.ids import new_case_id, normalize_case_id
from claimkit.cases.records import (
    CASE_COLUMNS,
    DEADLINE_COLUMNS,
    ENTRY_KINDS,
    EVENT_COLUMNS,
    JSON,
    Case,
    CaseView,
    Complaint,
    Deadline,
    EntryKind,
    Event,
    Status,
    case_from_row,
    deadline_from_row,
    dt,
    dumps,
    event_from_row,
    json_values,
    plain,
    ts,
    ts_or_none,
)
from claimkit.cases.schema import migrate
from claimkit.errors import InputError
from claimkit.values.business import Calendar, calendar_from_profile

__all__ = [
    "JSON",
    "Case",
    "CaseLog",
    "CaseView",
    "Complaint",
    "Deadline",
    "EntryKind",
    "Event",
    "Status",
    "default_log_path",
    "log_target",
    "open_log",
]

LOG_FILE = "cases.db"
DATABASE_VARIABLE = "CLAIMKIT_DATABASE_URL"
_ID_ATTEMPTS = 8


def default_log_path() -> Path:
    """``cases.db`` in the user data folder (``claimkit paths`` should show it)."""
    from claimkit.paths import user_folder

    return user_folder("data") / LOG_FILE


def log_target(database: str | None = None, environ: Mapping[str, str] = os.environ) -> str | None:
    """The log a command opens: ``--database``, else ``CLAIMKIT_DATABASE_URL``, else None.

    None is the SQLite file in the user data folder (``open_log(None)``). Every
    command that reads or writes the log (``claimkit case ...``, ``claimkit stats``)
    chooses it here, so a team's URL set once in the environment serves them all.
    """
    for value in (database, environ.get(DATABASE_VARIABLE)):
        if value is not None and value.strip():
            return value.strip()
    return None


def open_log(
    target: str | os.PathLike[str] | None = None, *, calendar: Calendar | None = None
) -> CaseLog:
    """The case log at ``target`` (a path, or a ``postgresql://`` URL), migrated to this claimkit.

    With no target, the default file in the user data folder (created, private
    to the user). ``calendar`` gives due times and working-time figures; by
    default the profile's defaults (Japanese holidays, 9-18 on weekdays, the
    computer's time zone).
    """
    if target is None:
        path = default_log_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as e:
            raise InputError(f"cannot create the folder {path.parent}: {e.strerror or e}") from None
        target = path
    database = engines.connect(target)
    try:
        migrate(database, ts(_now()))
    except BaseException:
        database.close()
        raise
    return CaseLog(database, calendar or calendar_from_profile({}))


class _Write:
    """What one recording transaction does to a case: the events it appends, the row it saves."""

    def __init__(self, case: Case, agent: str, now: datetime) -> None:
        self.case = case
        self.agent = agent
        self.now = now
        self.events: list[Event] = []
        self.first_reply: tuple[int, int] | None = None  # seconds, business seconds
        self.resolution: tuple[int, int] | None = None

    def add(
        self,
        kind: str,
        at: datetime,
        *,
        step: str | None = None,
        note: str | None = None,
        minutes: int | None = None,
        exchanges: int | None = None,
        due_at: datetime | None = None,
        seconds: int | None = None,
        business_seconds: int | None = None,
        message_id: str | None = None,
        data: Mapping[str, JSON] | None = None,
    ) -> Event:
        seq = self.case.last_seq + 1
        event = Event(
            case_id=self.case.id,
            seq=seq,
            kind=kind,
            at=at,
            recorded_at=self.now,
            agent=self.agent,
            step=step,
            note=note,
            minutes=minutes,
            exchanges=exchanges,
            due_at=due_at,
            seconds=seconds,
            business_seconds=business_seconds,
            message_id=message_id,
            data=dict(data or {}),
        )
        self.events.append(event)
        self.case = self.case._replace(last_seq=seq)
        return event


class CaseLog:
    """One open case log. Not shared between threads; open one per process or thread."""

    def __init__(self, database: engines.Database, calendar: Calendar) -> None:
        self.db = database
        self.calendar = calendar

    @property
    def where(self) -> str:
        """The log's path, or its URL with the password hidden."""
        return self.db.where

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CaseLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- recording --------------------------------------------------------------

    def open_case(
        self,
        *,
        scenario: str,
        lang: str,
        agent: str,
        steps: Sequence[StepSpec],
        values: Mapping[str, object] | None = None,
        complaint: Complaint | None = None,
        at: datetime | None = None,
    ) -> str:
        """A new case; its id (``K7M4-Q9PX``). The first step's due time counts from receipt."""
        agent = _agent(agent)
        opened = _aware(at) if at else _now()
        complaint = complaint or Complaint()
        received = _aware(complaint.received_at) if complaint.received_at else opened
        stored = json_values(values or {})
        day = self.calendar.local_date(opened)
        for _ in range(_ID_ATTEMPTS):
            case = Case(
                id=new_case_id(),
                scenario=scenario,
                lang=lang,
                agent=agent,
                status="open",
                opened_at=opened,
                received_at=received,
                complaint_message_id=_one_line(complaint.message_id),
                complaint_subject=complaint.subject,
                values=stored,
                next_step=None,
                next_due=None,
                due_step=None,
                first_reply_at=None,
                first_reply_due=None,
                resolved_at=None,
                closed_at=None,
                exchanges=0,
                minutes=0,
                last_seq=0,
                updated_at=_now(),
            )
            try:
                with self.db.transaction():
                    self.db.run(
                        "INSERT INTO cases (id, scenario, lang, agent, status, opened_at, "
                        "opened_day, opened_week, received_at, complaint_message_id, "
                        "complaint_subject, values_json, exchanges, minutes, last_seq, updated_at) "
                        "VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)",
                        (
                            case.id,
                            scenario,
                            lang,
                            agent,
                            ts(opened),
                            day.isoformat(),
                            (day - timedelta(days=day.weekday())).isoformat(),
                            ts(received),
                            case.complaint_message_id,
                            case.complaint_subject,
                            dumps(stored),
                            ts(case.updated_at),
                        ),
                    )
                    write = _Write(case, agent, case.updated_at)
                    opened_event = write.add(
                        "opened",
                        opened,
                        message_id=case.complaint_message_id,
                        data={
                            "scenario": scenario,
                            "lang": lang,
                            "values": stored,
                            **({"quote": complaint.quote} if complaint.quote else {}),
                        },
                    )
                    self._replan(write, steps, {}, opened_event)
                    self._save(write)
                return case.id
            except engines.DuplicateKey:
                continue  # an id another case already has: draw again
        raise InputError(f"could not find a free case id in {self.where}; try again")

    def step_done(
        self,
        case_id: str,
        step: str | None = None,
        *,
        agent: str,
        steps: Sequence[StepSpec],
        at: datetime | None = None,
        note: str | None = None,
        skipped: bool = False,
        message_id: str | None = None,
    ) -> Case:
        """Record a step as done (sent, called, visited), or skipped; the next step follows.

        ``step`` defaults to the case's next step. The first customer-facing
        message step done records the case's first reply. ``message_id`` is the
        sent mail's Message-ID, for threading later mails.
        """
        agent = _agent(agent)
        when = _aware(at) if at else _now()
        with self.db.transaction():
            write = self._lock(case_id, agent)
            case = write.case
            step_id = step or case.next_step
            if step_id is None:
                raise InputError(
                    f"every step of case {case.id} is done; close it with "
                    f"'claimkit case close {case.id}'"
                )
            spec = find_step(steps, step_id, case.scenario)
            done = self._done_steps(case.id)
            due = self._open_due(case.id, spec.id)
            if due is None:
                due = step_due(
                    steps,
                    spec.id,
                    received=case.received_at,
                    done=done,
                    values=case.values,
                    calendar=self.calendar,
                )
            event = write.add(
                "step_skipped" if skipped else "step_done",
                when,
                step=spec.id,
                note=note,
                due_at=due,
                message_id=_one_line(message_id),
                data={} if due is None else {"on_time": when <= due},
            )
            if not skipped and spec.replies_to_customer and case.first_reply_at is None:
                seconds, business = self._durations(case.received_at, when)
                write.add(
                    "first_reply",
                    when,
                    step=spec.id,
                    due_at=due,
                    seconds=seconds,
                    business_seconds=business,
                )
                write.case = write.case._replace(first_reply_at=when, first_reply_due=due)
                write.first_reply = (seconds, business)
            done[spec.id] = when
            self._replan(write, steps, done, event)
            return self._save(write)

    def add_entry(
        self,
        case_id: str,
        *,
        kind: EntryKind,
        agent: str,
        note: str | None = None,
        minutes: int | None = None,
        exchanges: int | None = None,
        at: datetime | None = None,
    ) -> Case:
        """A line on the timeline: a note, a call, a visit, or an exchange with a threat.

        Minutes and exchanges add up on the case (the threat limits: about 20
        minutes, 3 round trips); an ``exchange`` without a count is one.
        """
        if kind not in ENTRY_KINDS:
            raise InputError(f"'{kind}' is not a kind of entry; use {', '.join(ENTRY_KINDS)}")
        if kind == "exchange" and exchanges is None:
            exchanges = 1
        for name, number in (("minutes", minutes), ("exchanges", exchanges)):
            if number is not None and (not isinstance(number, int) or not 0 <= number <= 100_000):
                raise InputError(f"{name} must be a whole number from 0, not {number!r}")
        agent = _agent(agent)
        when = _aware(at) if at else _now()
        with self.db.transaction():
            write = self._lock(case_id, agent)
            write.add(kind, when, note=note, minutes=minutes, exchanges=exchanges)
            write.case = write.case._replace(
                minutes=write.case.minutes + (minutes or 0),
                exchanges=write.case.exchanges + (exchanges or 0),
            )
            return self._save(write)

    def set_values(
        self,
        case_id: str,
        values: Mapping[str, object],
        *,
        agent: str,
        steps: Sequence[StepSpec],
        at: datetime | None = None,
    ) -> Case:
        """Store new values (None removes one); a promised time that moved moves the due time."""
        agent = _agent(agent)
        when = _aware(at) if at else _now()
        changed = json_values(values)
        with self.db.transaction():
            write = self._lock(case_id, agent)
            merged = {**write.case.values, **changed}
            merged = {k: v for k, v in merged.items() if v is not None}
            before = {k: write.case.values.get(k) for k in changed}
            event = write.add("values_set", when, data={"values": changed, "before": before})
            write.case = write.case._replace(values=merged)
            self._replan(write, steps, self._done_steps(write.case.id), event)
            return self._save(write)

    def record_message(
        self,
        case_id: str,
        *,
        message_id: str,
        agent: str,
        step: str | None = None,
        subject: str | None = None,
        at: datetime | None = None,
    ) -> Case:
        """A message sent without marking its step done, kept for threading later mails."""
        agent = _agent(agent)
        when = _aware(at) if at else _now()
        with self.db.transaction():
            write = self._lock(case_id, agent)
            write.add(
                "message",
                when,
                step=step,
                message_id=_one_line(message_id),
                data={} if subject is None else {"subject": subject},
            )
            return self._save(write)

    def record_draft(
        self,
        case_id: str,
        *,
        agent: str,
        steps: Sequence[StepSpec],
        step: str,
        values: Mapping[str, object] | None = None,
        message_id: str | None = None,
        subject: str | None = None,
        at: datetime | None = None,
    ) -> Case:
        """A message drafted from the case, in one transaction: the new values it used
        (a promised time moves its due time, as in ``set_values``), and its Message-ID,
        kept as drafted (not sent) until ``step_done`` says it went out."""
        agent = _agent(agent)
        when = _aware(at) if at else _now()
        changed = json_values(values or {})
        with self.db.transaction():
            write = self._lock(case_id, agent)
            if changed:
                before = {k: write.case.values.get(k) for k in changed}
                event = write.add("values_set", when, data={"values": changed, "before": before})
                merged = {**write.case.values, **changed}
                write.case = write.case._replace(
                    values={k: v for k, v in merged.items() if v is not None}
                )
                self._replan(write, steps, self._done_steps(write.case.id), event)
            if message_id is not None:
                data: dict[str, JSON] = {"drafted": True}
                if subject is not None:
                    data["subject"] = subject
                write.add("message", when, step=step, message_id=_one_line(message_id), data=data)
            return self._save(write)

    def resolve(
        self, case_id: str, *, agent: str, at: datetime | None = None, note: str | None = None
    ) -> Case:
        """The customer's problem is solved (the case may stay open for the thank-you)."""
        agent = _agent(agent)
        when = _aware(at) if at else _now()
        with self.db.transaction():
            write = self._lock(case_id, agent)
            if write.case.resolved_at is not None:
                raise InputError(f"case {write.case.id} is already resolved")
            self._resolve(write, when, note)
            return self._save(write)

    def close_case(
        self,
        case_id: str,
        *,
        agent: str,
        at: datetime | None = None,
        note: str | None = None,
        resolved: bool = True,
    ) -> Case:
        """Close the case; resolved too, unless ``resolved=False`` (withdrawn, no answer)."""
        agent = _agent(agent)
        when = _aware(at) if at else _now()
        with self.db.transaction():
            write = self._lock(case_id, agent)
            if resolved and write.case.resolved_at is None:
                self._resolve(write, when, None)
            event = write.add("closed", when, note=note, data={"resolved": resolved})
            write.case = write.case._replace(
                status="closed", closed_at=when, next_step=None, next_due=None, due_step=None
            )
            self.db.run(
                "UPDATE deadlines SET ended_at = ? WHERE case_id = ? AND ended_at IS NULL",
                (ts(event.at), write.case.id),
            )
            return self._save(write)

    # -- reading ----------------------------------------------------------------

    def get(self, case_id: str) -> Case:
        key = normalize_case_id(case_id)
        rows = self.db.rows(f"SELECT {CASE_COLUMNS} FROM cases WHERE id = ?", (key,))
        if not rows:
            raise _no_case(key)
        return case_from_row(rows[0])

    def show(self, case_id: str) -> CaseView:
        """The case, its whole timeline and its deadlines, read at one moment."""
        key = normalize_case_id(case_id)
        with self.db.transaction(write=False):
            rows = self.db.rows(f"SELECT {CASE_COLUMNS} FROM cases WHERE id = ?", (key,))
            if not rows:
                raise _no_case(key)
            events = self.db.rows(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE case_id = ? ORDER BY seq", (key,)
            )
            deadlines = self.db.rows(
                f"SELECT {DEADLINE_COLUMNS} FROM deadlines WHERE case_id = ? "
                "ORDER BY seq, due_at, step",
                (key,),
            )
        return CaseView(
            case=case_from_row(rows[0]),
            events=[event_from_row(r) for r in events],
            deadlines=[deadline_from_row(r) for r in deadlines],
        )

    def list_cases(
        self,
        *,
        status: Status | None = "open",
        overdue_as_of: datetime | None = None,
        agent: str | None = None,
        scenario: str | None = None,
        limit: int | None = None,
    ) -> list[Case]:
        """Cases, soonest due first; ``overdue_as_of`` keeps the open ones due before then."""
        where: list[str] = []
        params: list[object] = []
        # Literal 'open' in the SQL, so both engines use the partial index on open cases.
        if overdue_as_of is not None:
            where += ["status = 'open'", "next_due < ?"]
            params.append(ts(_aware(overdue_as_of)))
            order = "next_due, id"
        elif status == "open":
            where.append("status = 'open'")
            order = "next_due NULLS LAST, opened_at, id"
        elif status == "closed":
            where.append("status = 'closed'")
            order = "closed_at DESC, id"
        else:
            order = "opened_at DESC, id"
        if agent is not None:
            where.append("agent = ?")
            params.append(agent)
        if scenario is not None:
            where.append("scenario = ?")
            params.append(scenario)
        sql = f"SELECT {CASE_COLUMNS} FROM cases"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [case_from_row(r) for r in self.db.rows(sql, params)]

    def find_by_message_id(self, message_id: str) -> str | None:
        """The case a Message-ID belongs to (the complaint's or one we sent), for threading."""
        rows = self.db.rows(
            "SELECT id FROM cases WHERE complaint_message_id = ? "
            "UNION SELECT case_id FROM events WHERE message_id = ?",
            (message_id, message_id),
        )
        return str(rows[0][0]) if rows else None

    def message_ids(self, case_id: str) -> list[str]:
        """The complaint's Message-ID and every one sent since, oldest first: References."""
        key = normalize_case_id(case_id)
        rows = self.db.rows(
            "SELECT message_id FROM events WHERE case_id = ? AND message_id IS NOT NULL "
            "ORDER BY seq",
            (key,),
        )
        if not rows and not self.db.rows("SELECT 1 FROM cases WHERE id = ?", (key,)):
            raise _no_case(key)
        return list(dict.fromkeys(str(r[0]) for r in rows))

    def export(self, *, batch: int = 500) -> Iterator[dict[str, JSON]]:
        """Every case with its events and deadlines, one JSON-ready dict per case (JSON Lines)."""
        after = ""
        while True:
            rows = self.db.rows(
                f"SELECT {CASE_COLUMNS} FROM cases WHERE id > ? ORDER BY id LIMIT ?",
                (after, batch),
            )
            if not rows:
                return
            cases = [case_from_row(r) for r in rows]
            after = cases[-1].id
            marks = ", ".join("?" * len(cases))
            ids = [c.id for c in cases]
            events: dict[str, list[JSON]] = {c.id: [] for c in cases}
            for r in self.db.rows(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE case_id IN ({marks}) "
                "ORDER BY case_id, seq",
                ids,
            ):
                events[r[0]].append(plain(event_from_row(r)._asdict()))
            deadlines: dict[str, list[JSON]] = {c.id: [] for c in cases}
            for r in self.db.rows(
                f"SELECT {DEADLINE_COLUMNS} FROM deadlines WHERE case_id IN ({marks}) "
                "ORDER BY case_id, seq, due_at, step",
                ids,
            ):
                deadlines[r[0]].append(plain(deadline_from_row(r)._asdict()))
            for case in cases:
                record = plain(case._asdict())
                assert isinstance(record, dict)
                record["events"] = events[case.id]
                record["deadlines"] = deadlines[case.id]
                yield record

    def purge_closed_before(self, when: datetime | date) -> int:
        """Delete cases closed before ``when`` (a date: its start, locally), with their timelines.

        The log holds personal data, and a shop must be able to delete it: on
        SQLite the deleted rows are overwritten and the WAL emptied, not just unlinked.
        """
        if not isinstance(when, datetime):
            when = datetime.combine(when, datetime.min.time(), tzinfo=self.calendar.zone)
        cutoff = ts(_aware(when))
        secure = isinstance(self.db, engines.Sqlite)
        if isinstance(self.db, engines.Sqlite):
            self.db.secure_delete()
        with self.db.transaction():
            count = self.db.run(
                "DELETE FROM cases WHERE status = 'closed' AND closed_at < ?", (cutoff,)
            )
        if secure and isinstance(self.db, engines.Sqlite):
            self.db.checkpoint()
        return count

    # -- inside a transaction -----------------------------------------------------

    def _lock(self, case_id: str, agent: str) -> _Write:
        """Lock the case's row until the transaction ends, and read it."""
        key = normalize_case_id(case_id)
        now = _now()
        rows = self.db.rows(
            f"UPDATE cases SET updated_at = ? WHERE id = ? RETURNING {CASE_COLUMNS}",
            (ts(now), key),
        )
        if not rows:
            raise _no_case(key)
        case = case_from_row(rows[0])
        if case.status == "closed":
            raise InputError(f"case {key} is closed; nothing was recorded")
        return _Write(case, agent, now)

    def _done_steps(self, case_id: str) -> dict[str, datetime]:
        rows = self.db.rows(
            "SELECT step, max(at) FROM events WHERE case_id = ? "
            "AND kind IN ('step_done', 'step_skipped') GROUP BY step",
            (case_id,),
        )
        return {str(step): dt(at) for step, at in rows}

    def _open_due(self, case_id: str, step: str) -> datetime | None:
        rows = self.db.rows(
            "SELECT due_at FROM deadlines WHERE case_id = ? AND step = ? AND ended_at IS NULL",
            (case_id, step),
        )
        return dt(rows[0][0]) if rows else None

    def _durations(self, start: datetime, end: datetime) -> tuple[int, int]:
        clock = int((end - start).total_seconds())
        business = int(self.calendar.working_time_between(start, end).total_seconds())
        return clock, business

    def _resolve(self, write: _Write, when: datetime, note: str | None) -> None:
        seconds, business = self._durations(write.case.received_at, when)
        write.add("resolved", when, note=note, seconds=seconds, business_seconds=business)
        write.case = write.case._replace(resolved_at=when)
        write.resolution = (seconds, business)

    def _replan(
        self,
        write: _Write,
        steps: Sequence[StepSpec],
        done: Mapping[str, datetime],
        event: Event,
    ) -> None:
        """The next step, the due times now known, and the deadlines this event ends or starts.

        Every step not done whose due time can be known gets a deadline (a
        promised call is tracked from the first reply that promised it); one
        that counts from the step before only once it is the next step.
        """
        case = write.case
        upcoming = next_step(steps, done)
        wanted: dict[str, tuple[datetime, StepSpec]] = {}
        for spec in steps:
            if spec.id in done or spec.due is None:
                continue
            if spec is not upcoming and waits_for_previous(steps, spec.id):
                continue
            due = step_due(
                steps,
                spec.id,
                received=case.received_at,
                done=done,
                values=case.values,
                calendar=self.calendar,
            )
            if due is not None:
                wanted[spec.id] = (due, spec)
        kept: set[str] = set()
        for seq, step, due_at in self.db.rows(
            "SELECT seq, step, due_at FROM deadlines WHERE case_id = ? AND ended_at IS NULL",
            (case.id,),
        ):
            if event.kind == "step_done" and step == event.step:
                self.db.run(
                    "UPDATE deadlines SET done_at = ?, done_seq = ?, ended_at = ? "
                    "WHERE case_id = ? AND seq = ? AND step = ?",
                    (ts(event.at), event.seq, ts(event.at), case.id, seq, step),
                )
            elif step in wanted and ts(wanted[step][0]) == due_at and step not in kept:
                kept.add(step)
            else:
                self.db.run(
                    "UPDATE deadlines SET ended_at = ? WHERE case_id = ? AND seq = ? AND step = ?",
                    (ts(event.at), case.id, seq, step),
                )
        for step, (due, spec) in wanted.items():
            if step in kept:
                continue
            promise = bool(spec.due and spec.due.promise)
            self.db.run(
                "INSERT INTO deadlines (case_id, seq, step, due_at, promise) "
                "VALUES (?, ?, ?, ?, ?)",
                (case.id, event.seq, step, ts(due), int(promise)),
            )
        soonest = min(wanted.items(), key=lambda item: item[1][0], default=None)
        write.case = case._replace(
            next_step=upcoming.id if upcoming else None,
            next_due=soonest[1][0] if soonest else None,
            due_step=soonest[0] if soonest else None,
        )

    def _save(self, write: _Write) -> Case:
        for e in write.events:
            self.db.run(
                f"INSERT INTO events ({EVENT_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    e.case_id,
                    e.seq,
                    e.kind,
                    ts(e.at),
                    ts(e.recorded_at),
                    e.agent,
                    e.step,
                    e.note,
                    e.minutes,
                    e.exchanges,
                    ts_or_none(e.due_at),
                    e.seconds,
                    e.business_seconds,
                    e.message_id,
                    dumps(e.data),
                ),
            )
        c = write.case
        assignments = [
            "status = ?",
            "values_json = ?",
            "next_step = ?",
            "next_due = ?",
            "due_step = ?",
            "first_reply_at = ?",
            "first_reply_due = ?",
            "resolved_at = ?",
            "closed_at = ?",
            "exchanges = ?",
            "minutes = ?",
            "last_seq = ?",
        ]
        params: list[object] = [
            c.status,
            dumps(c.values),
            c.next_step,
            ts_or_none(c.next_due),
            c.due_step,
            ts_or_none(c.first_reply_at),
            ts_or_none(c.first_reply_due),
            ts_or_none(c.resolved_at),
            ts_or_none(c.closed_at),
            c.exchanges,
            c.minutes,
            c.last_seq,
        ]
        if write.first_reply is not None:
            assignments += ["first_reply_seconds = ?", "first_reply_business_seconds = ?"]
            params += list(write.first_reply)
        if write.resolution is not None:
            assignments += ["resolution_seconds = ?", "resolution_business_seconds = ?"]
            params += list(write.resolution)
        self.db.run(f"UPDATE cases SET {', '.join(assignments)} WHERE id = ?", [*params, c.id])
        return c


# -- conversions ------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise InputError(f"{at.isoformat()} has no time zone; give one (+09:00) or use UTC")
    return at.astimezone(UTC).replace(microsecond=0)


def _agent(agent: str) -> str:
    name = (agent or "").strip()
    if not name or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise InputError(
            "who is recording? give the agent's name on one line "
            "(agent_name in the profile, or --agent)"
        )
    return name


def _one_line(text: str | None) -> str | None:
    if text is None:
        return None
    if "\n" in text or "\r" in text:
        raise InputError(f"a Message-ID is one line: {text.splitlines()[0]!r}...")
    return text.strip() or None


def _no_case(key: str) -> InputError:
    return InputError(f"no case '{key}'; see 'claimkit case list'")
