"""Issue 19's figures in SQL on a hand-built log: the same exact numbers on both engines."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from case_logs import APOLOGY, CALENDAR, jst, pg_url, sqlite_path, target

from claimkit.cases import figures
from claimkit.cases.store import CaseLog, Complaint, open_log

FIRST_REPLY_MINUTES = [1, 2, 5, 10, 60, 120, 1440]
SINCE, UNTIL = int(jst(2026, 11, 1).timestamp()), int(jst(2026, 12, 1).timestamp())
AS_OF = jst(2026, 11, 30, 12, 0)


def ts(at: datetime) -> int:
    return int(at.timestamp())


def build(log: CaseLog) -> dict[str, str]:
    """Seven first replies on Monday 11/9 from 10:00, a promise kept a minute late, a threat."""
    ids: dict[str, str] = {}
    for n, minutes in enumerate(FIRST_REPLY_MINUTES):
        received = jst(2026, 11, 9, 10, 0)
        case_id = log.open_case(
            scenario="apology",
            lang="ja",
            agent="佐藤" if n % 2 else "鈴木",
            steps=APOLOGY,
            values={"callback_at": "2026-11-10 15:00"},
            complaint=Complaint(received_at=received),
            at=received,
        )
        log.step_done(
            case_id, agent="佐藤", steps=APOLOGY, at=received + timedelta(minutes=minutes)
        )
        ids[f"reply-{minutes}"] = case_id
    late = ids["reply-1"]
    log.step_done(late, agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 9, 10, 5))
    log.step_done(late, agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 10, 15, 1))  # a minute late
    kept = ids["reply-2"]
    log.step_done(kept, agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 9, 10, 5))
    log.step_done(kept, agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 10, 14, 0))
    # Two weeks later (the week between has no case), a threat across the weekend.
    threat = log.open_case(
        scenario="threat",
        lang="ja",
        agent="鈴木",
        steps=APOLOGY,
        complaint=Complaint(received_at=jst(2026, 11, 27, 17, 0)),
        at=jst(2026, 11, 27, 17, 0),
    )
    log.add_entry(threat, kind="exchange", agent="鈴木", minutes=12)
    log.add_entry(threat, kind="exchange", agent="鈴木", minutes=9, exchanges=2)
    log.close_case(ids["reply-5"], agent="鈴木", at=jst(2026, 11, 16, 10, 0))
    ids["threat"] = threat
    return ids


def test_figures(target: str) -> None:
    with open_log(target, calendar=CALENDAR) as log:
        ids = build(log)
        scope = figures.Scope(SINCE, UNTIL, ts(AS_OF))
        assert figures.opened(log, scope) == [
            ("2026-11-09", "apology", 7),
            ("2026-11-23", "threat", 1),
        ]
        assert figures.opened(log, scope, "month") == [
            ("2026-11", "apology", 7),
            ("2026-11", "threat", 1),
        ]
        # Due 1 working hour after 10:00: the 1, 2, 5, 10 and 60 minute replies.
        assert figures.first_replies(log, scope) == (7, 7, 5)
        # Type 7 over 60, 120, 300, 600, 3600, 7200, 86400 s: the median is x[3];
        # p90 is x[5] + 0.4 × (x[6] − x[5]) = 7200 + 0.4 × 79200 = 38880.
        assert figures.percentiles(log, "first_reply_seconds", (50, 90, 35), scope) == [
            600.0,
            38880.0,
            330.0,
        ]
        # In working time the next day's reply is 9 hours (10:00 to 10:00): 32400 s.
        assert figures.percentiles(log, "first_reply_business_seconds", [90], scope) == [
            7200 + 0.4 * (32400 - 7200)
        ]
        assert figures.percentiles(log, "resolution_seconds", [50], scope) == [7 * 86400]
        nothing = figures.Scope(0, 1, 1)
        assert figures.percentiles(log, "first_reply_seconds", (50, 90), nothing) == [None, None]
        # Seven calls were promised for 11/10 15:00 in the first replies: one was
        # kept, one made a minute late, one case closed a week later without it,
        # four never made.
        assert figures.promises(log, scope) == (7, 1)
        late = {row[0]: row[1:] for row in figures.late_promises(log, scope)}
        assert set(late) == {v for k, v in ids.items() if k not in ("reply-2", "threat")}
        call = ts(jst(2026, 11, 10, 15, 0))
        assert late[ids["reply-1"]] == ("apology", "鈴木", "call", call, call + 60)
        assert late[ids["reply-5"]] == ("apology", "鈴木", "call", call, None)
        assert figures.open_cases(log, scope) == (7, 7)
        assert [row[0] for row in figures.overdue(log, scope)] == sorted(
            (v for k, v in ids.items() if k != "reply-5"),
            key=lambda i: (log.get(i).next_due, i),
        )
        threat = (ids["threat"], "鈴木", "open", ts(jst(2026, 11, 27, 17, 0)), 3, 21)
        assert figures.threats(log, scope) == [threat]
        assert figures.agents(log, scope) == [("佐藤", 3, 3, 3, 11), ("鈴木", 5, 4, 4, 0)]


def test_percentiles_agree_with_percentile_cont(pg_url: str) -> None:
    with open_log(pg_url, calendar=CALENDAR) as log:
        build(log)
        for percent in (0, 10, 25, 33, 50, 67, 90, 95, 99, 100):
            [ours] = figures.percentiles(
                log, "first_reply_business_seconds", [percent], figures.Scope(SINCE, UNTIL, UNTIL)
            )
            theirs = log.db.rows(
                "SELECT percentile_cont(? / 100.0) WITHIN GROUP "
                "(ORDER BY first_reply_business_seconds) FROM cases "
                "WHERE first_reply_business_seconds IS NOT NULL",
                (percent,),
            )[0][0]
            assert ours == pytest.approx(float(theirs), abs=1e-6), percent


def test_every_log_command_chooses_the_log_one_way() -> None:
    from claimkit.cases.store import DATABASE_VARIABLE, log_target

    team = "postgresql://agent@db.example/claims"
    assert log_target(None, {}) is None  # the SQLite file in the user data folder
    assert log_target(None, {DATABASE_VARIABLE: team}) == team
    assert log_target("/tmp/mine.db", {DATABASE_VARIABLE: team}) == "/tmp/mine.db"
    assert log_target("  ", {DATABASE_VARIABLE: " "}) is None
