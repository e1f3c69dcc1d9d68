"""A hand-built case log whose every figure is known (docs/stats.md's worked example).

November 2026 in Tokyo, weekdays 9-18, Japanese holidays closed (3rd: 文化の日,
23rd: 勤労感謝の日). The report runs --since 2026-11-02 --until 2026-11-29
--as-of 2026-11-27T12:00+09:00: four weeks, the third with no case.

- A apology, 鈴木: received Mon 11/2 17:30; first reply Wed 11/4 09:30, across the
  holiday (1 working hour: on target); the promised call, 11/4 15:00, made at 15:01
  (a minute late); closed 11/6 10:00.
- B apology, 佐藤: received Tue 11/10 10:00; replied 10:20; the call promised for
  15:00 made at 14:00; closed 11/12 10:00.
- C threat, 佐藤: received Thu 11/12 11:00; replied 16:00 (due by the day's end);
  still open; 3 round trips, 22 minutes.
- D apology, 鈴木: received Mon 11/23 10:00, a holiday; replied Tue 11/24 11:00, an
  hour late; the call promised for 11/25 15:00 never made: open and overdue.
- E apology, 佐藤: received Fri 11/27 09:00; no reply by 12:00 (due 10:00): overdue.
- F apology, 鈴木: received, replied and closed on Fri 10/30, before the period.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from case_logs import APOLOGY, CALENDAR, jst

from claimkit.cases.due import parse_due
from claimkit.cases.flow import StepSpec
from claimkit.cases.store import CaseLog, Complaint
from claimkit.stats.report import By, Window, window

THREAT = [
    StepSpec("call-script", False, "internal", None),
    StepSpec("written-reply", True, "customer", parse_due({"within": "0 working days"}, "")),
    StepSpec("record", False, "internal", None),
]
SINCE, UNTIL = date(2026, 11, 2), date(2026, 11, 29)
AS_OF = jst(2026, 11, 27, 12, 0)


def report_window(by: By = "week") -> Window:
    return window(SINCE, UNTIL, AS_OF, by, CALENDAR.zone)


def _case(
    log: CaseLog,
    agent: str,
    received: datetime,
    *,
    scenario: str = "apology",
    callback: str | None = None,
) -> str:
    return log.open_case(
        scenario=scenario,
        lang="ja",
        agent=agent,
        steps=THREAT if scenario == "threat" else APOLOGY,
        values={"callback_at": callback} if callback else {},
        complaint=Complaint(received_at=received),
        at=received,
    )


def build(log: CaseLog) -> dict[str, str]:
    """The six cases of the table above; their ids by letter."""
    ids: dict[str, str] = {}

    def done(case: str, agent: str, *steps: tuple[str, datetime]) -> None:
        for step, at in steps:
            log.step_done(ids[case], step, agent=agent, steps=APOLOGY, at=at)

    ids["F"] = _case(log, "鈴木", jst(2026, 10, 30, 10, 0))
    done("F", "鈴木", ("first-reply", jst(2026, 10, 30, 10, 10)))
    log.close_case(ids["F"], agent="鈴木", at=jst(2026, 10, 30, 12, 0))

    ids["A"] = _case(log, "鈴木", jst(2026, 11, 2, 17, 30), callback="2026-11-04 15:00")
    reply = jst(2026, 11, 4, 9, 30)
    done(
        "A",
        "鈴木",
        ("first-reply", reply),
        ("report", reply + timedelta(minutes=1)),
        ("call", jst(2026, 11, 4, 15, 1)),
    )
    log.close_case(ids["A"], agent="鈴木", at=jst(2026, 11, 6, 10, 0))

    ids["B"] = _case(log, "佐藤", jst(2026, 11, 10, 10, 0), callback="2026-11-10 15:00")
    done(
        "B",
        "佐藤",
        ("first-reply", jst(2026, 11, 10, 10, 20)),
        ("report", jst(2026, 11, 10, 10, 25)),
        ("call", jst(2026, 11, 10, 14, 0)),
    )
    log.close_case(ids["B"], agent="佐藤", at=jst(2026, 11, 12, 10, 0))

    ids["C"] = _case(log, "佐藤", jst(2026, 11, 12, 11, 0), scenario="threat")
    log.step_done(
        ids["C"], "written-reply", agent="佐藤", steps=THREAT, at=jst(2026, 11, 12, 16, 0)
    )
    at = jst(2026, 11, 12, 16, 30)
    log.add_entry(ids["C"], kind="exchange", agent="佐藤", minutes=12, at=at)
    log.add_entry(ids["C"], kind="exchange", agent="佐藤", minutes=10, exchanges=2, at=at)

    ids["D"] = _case(log, "鈴木", jst(2026, 11, 23, 10, 0), callback="2026-11-25 15:00")
    reply = jst(2026, 11, 24, 11, 0)
    done("D", "鈴木", ("first-reply", reply), ("report", reply))

    ids["E"] = _case(log, "佐藤", jst(2026, 11, 27, 9, 0))
    return ids
