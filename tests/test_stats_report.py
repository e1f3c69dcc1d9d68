"""claimkit stats' figures on the hand-built log of tests/stats_log.py: every one exact,
the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from case_logs import CALENDAR, jst, pg_url, sqlite_path, target
from stats_log import AS_OF, build, report_window

from claimkit.cases.db import connect
from claimkit.cases.store import open_log
from claimkit.errors import InputError
from claimkit.stats.report import (
    AgentLoad,
    Durations,
    LatePromise,
    OverdueCase,
    PeriodCount,
    ReplyBar,
    Report,
    ThreatCase,
    window,
)
from claimkit.stats.report import build as build_report

HOUR = 3600


def report_of(target: str, **filters: str) -> tuple[Report, dict[str, str]]:
    with open_log(target, calendar=CALENDAR) as log:
        ids = build(log)
        return build_report(log, report_window(), **filters), ids


def test_every_figure(target: str) -> None:
    report, ids = report_of(target)
    a, b, c, d, e = (ids[k] for k in "ABCDE")
    assert report.opened.periods == [
        PeriodCount(date(2026, 11, 2), {"apology": 1}, 1),
        PeriodCount(date(2026, 11, 9), {"apology": 1, "threat": 1}, 2),
        PeriodCount(date(2026, 11, 16), {}, 0),  # the week with no case
        PeriodCount(date(2026, 11, 23), {"apology": 2}, 2),
    ]
    assert report.opened.by_scenario == {"apology": 4, "threat": 1}
    assert list(report.opened.by_scenario) == ["apology", "threat"]
    assert report.opened.total == 5

    # First replies: B 20 min, C 5 h, D 25 h (2 working hours; an hour late), and A 40 h
    # on the clock but 1 working hour, the holiday between. E has none yet.
    reply = report.first_reply
    assert (reply.with_target, reply.within_target, reply.share_within_target) == (4, 3, 0.75)
    # Type 7 over 1200, 18000, 90000, 144000: x[1.5] and x[2.7].
    assert reply.times == Durations(
        cases=4,
        median_seconds=54000.0,
        p90_seconds=90000 + 0.7 * 54000,
        median_business_seconds=5400.0,  # over 1200, 3600, 7200, 18000
        p90_business_seconds=7200 + 0.7 * 10800,
    )
    assert reply.histogram == [
        ReplyBar(900, 0, 0, 0),
        ReplyBar(1800, 1, 0, 0),  # B
        ReplyBar(3600, 1, 0, 0),  # A
        ReplyBar(7200, 0, 1, 0),  # D
        ReplyBar(14400, 0, 0, 0),
        ReplyBar(28800, 1, 0, 0),  # C
        ReplyBar(None, 0, 0, 0),
    ]
    # A: 88.5 h on the clock, 19.5 working hours; B: 48 h, 18 working hours.
    assert report.resolution == Durations(
        2, 245700.0, 172800 + 0.9 * 145800, 67500.0, 64800 + 0.9 * 5400
    )

    promises = report.promises
    assert (promises.due, promises.kept, promises.share_kept) == (3, 1, 1 / 3)
    assert promises.late == [
        LatePromise(
            a, "apology", "鈴木", "call", jst(2026, 11, 4, 15), jst(2026, 11, 4, 15, 1), 60
        ),
        LatePromise(d, "apology", "鈴木", "call", jst(2026, 11, 25, 15), None, 45 * HOUR),
    ]
    assert promises.late[0].due_at.utcoffset() == timedelta(hours=9)

    now = report.open_now
    assert (now.open, now.overdue) == (3, 2)
    assert now.cases == [
        OverdueCase(d, "apology", "鈴木", "call", jst(2026, 11, 25, 15), 45 * HOUR),
        OverdueCase(e, "apology", "佐藤", "first-reply", jst(2026, 11, 27, 10), 2 * HOUR),
    ]

    threats = report.threats
    assert (threats.total, threats.exchanges, threats.minutes, threats.reached_limit) == (
        1,
        3,
        22,
        1,
    )
    assert threats.cases == [ThreatCase(c, "佐藤", "open", jst(2026, 11, 12, 11), 3, 22, True)]

    assert report.agents == [AgentLoad("佐藤", 3, 2, 1, 4), AgentLoad("鈴木", 2, 1, 1, 5)]
    assert b  # closed on time: in no list


def test_one_agent_one_scenario_and_months(sqlite_path: str) -> None:
    with open_log(sqlite_path, calendar=CALENDAR) as log:
        ids = build(log)
        mine = build_report(log, report_window(), agent="佐藤")
        assert [p.total for p in mine.opened.periods] == [0, 2, 0, 1]
        assert (mine.promises.due, mine.promises.kept) == (1, 1)
        assert [c.case_id for c in mine.open_now.cases] == [ids["E"]]
        assert mine.agents == [AgentLoad("佐藤", 3, 2, 1, 4)]
        threat = build_report(log, report_window(), scenario="threat")
        assert threat.opened.by_scenario == {"threat": 1}
        assert threat.first_reply.times.median_seconds == 5 * HOUR
        assert (threat.open_now.open, threat.open_now.overdue, threat.promises.due) == (1, 0, 0)
        months = build_report(log, report_window("month"))
        assert months.opened.periods == [
            PeriodCount(date(2026, 11, 1), {"apology": 4, "threat": 1}, 5)
        ]


def test_the_same_log_gives_the_same_report_on_both_engines(sqlite_path: str, pg_url: str) -> None:
    """One log, built once on SQLite and copied row for row into PostgreSQL."""
    with open_log(sqlite_path, calendar=CALENDAR) as log:
        build(log)
        on_sqlite = build_report(log, report_window())
    open_log(pg_url).close()  # the same migrations
    source, copy = connect(sqlite_path), connect(pg_url)
    try:
        with copy.transaction():
            for table in ("cases", "events", "deadlines"):
                rows = source.rows(f"SELECT * FROM {table}")
                marks = ", ".join("?" * len(rows[0]))
                for row in rows:
                    copy.run(f"INSERT INTO {table} VALUES ({marks})", row)
    finally:
        source.close()
        copy.close()
    with open_log(pg_url, calendar=CALENDAR) as log:
        assert build_report(log, report_window()) == on_sqlite


def test_the_window() -> None:
    zone = CALENDAR.zone
    friday = datetime(2026, 11, 27, 12, tzinfo=zone)
    weeks = window(None, None, friday, "week", zone)
    assert (weeks.since, weeks.until) == (date(2026, 9, 7), date(2026, 11, 27))
    assert len(weeks.periods()) == 12
    months = window(None, None, friday, "month", zone)
    assert months.since == date(2026, 6, 1)
    assert [p.month for p in months.periods()] == [6, 7, 8, 9, 10, 11]
    over_new_year = window(date(2026, 12, 20), date(2027, 1, 5), friday, "month", zone)
    assert over_new_year.periods() == [date(2026, 12, 1), date(2027, 1, 1)]
    with pytest.raises(InputError, match="after --until"):
        window(date(2026, 12, 1), date(2026, 11, 1), friday, "week", zone)
    assert AS_OF.tzinfo is not None
