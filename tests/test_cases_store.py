"""The case log on both engines: recording, reading, ids, errors and migrations."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from case_logs import APOLOGY, CALENDAR, jst, pg_url, sqlite_path, target

from claimkit.cases import db as engines
from claimkit.cases import ids, schema
from claimkit.cases.store import CaseLog, Complaint, open_log
from claimkit.errors import InputError

RECEIVED = jst(2026, 11, 19, 10, 0)  # a Thursday; Monday 11/23 is 勤労感謝の日
VALUES = {"customer_name": "山田 太郎", "callback_at": "2026-11-19 15:00"}


def new_case(log: CaseLog, **kw: object) -> str:
    args: dict[str, object] = {
        "scenario": "apology",
        "lang": "ja",
        "agent": "佐藤",
        "steps": APOLOGY,
        "values": VALUES,
        "complaint": Complaint("<c1@example.com>", "電気ケトルの件", RECEIVED),
        "at": RECEIVED + timedelta(minutes=5),
    }
    args.update(kw)
    return log.open_case(**args)  # type: ignore[arg-type]


@pytest.fixture
def log(target: str) -> CaseLog:
    with open_log(target, calendar=CALENDAR) as opened:
        yield opened  # type: ignore[misc]


def test_a_case_from_the_complaint_to_the_close(log: CaseLog) -> None:
    case_id = new_case(log)
    case = log.get(case_id)
    assert (case.status, case.next_step, case.next_due) == (
        "open",
        "first-reply",
        jst(2026, 11, 19, 11, 0),
    )
    assert case.values == VALUES
    assert case.complaint_message_id == "<c1@example.com>"

    case = log.step_done(
        case_id, agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 19, 10, 20), message_id="<r1@x>"
    )
    assert case.first_reply_at == jst(2026, 11, 19, 10, 20)
    assert case.first_reply_due == jst(2026, 11, 19, 11, 0)
    assert (case.next_step, case.next_due) == (
        "report",
        jst(2026, 11, 19, 11, 0),
    )  # with first-reply
    log.step_done(case_id, "report", agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 19, 10, 25))
    # The promised call, one minute late.
    case = log.step_done(case_id, agent="鈴木", steps=APOLOGY, at=jst(2026, 11, 19, 15, 1))
    assert (case.next_step, case.next_due) == ("decide", jst(2026, 11, 25, 18, 0))
    log.add_entry(case_id, kind="call", agent="鈴木", minutes=25, note="お話を伺った")
    case = log.close_case(case_id, agent="佐藤", at=jst(2026, 11, 24, 16, 0), note="交換で解決")
    assert (case.status, case.next_step, case.next_due) == ("closed", None, None)
    assert case.resolved_at == case.closed_at == jst(2026, 11, 24, 16, 0)

    view = log.show(case_id)
    kinds = [(e.seq, e.kind, e.step, e.agent) for e in view.events]
    assert kinds == [
        (1, "opened", None, "佐藤"),
        (2, "step_done", "first-reply", "佐藤"),
        (3, "first_reply", "first-reply", "佐藤"),
        (4, "step_done", "report", "佐藤"),
        (5, "step_done", "call", "鈴木"),
        (6, "call", None, "鈴木"),
        (7, "resolved", None, "佐藤"),
        (8, "closed", None, "佐藤"),
    ]
    first_reply, call, resolved = view.events[2], view.events[4], view.events[6]
    assert (first_reply.seconds, first_reply.business_seconds) == (20 * 60, 20 * 60)
    assert call.due_at == jst(2026, 11, 19, 15, 0) and call.data == {"on_time": False}
    # Received Thursday 10:00, resolved Tuesday 16:00: 5 days 6 hours; in working
    # time Thursday 8 h + Friday 9 h + Tuesday 7 h (the weekend and the holiday skipped).
    assert resolved.seconds == (5 * 24 + 6) * 3600
    assert resolved.business_seconds == 24 * 3600
    assert view.events[1].message_id == "<r1@x>"
    assert view.case.minutes == 25

    deadlines = [(d.step, d.due_at, d.promise, d.done_at, d.ended_at) for d in view.deadlines]
    assert deadlines == [
        (
            "first-reply",
            jst(2026, 11, 19, 11, 0),
            False,
            jst(2026, 11, 19, 10, 20),
            jst(2026, 11, 19, 10, 20),
        ),
        (
            "report",
            jst(2026, 11, 19, 11, 0),
            False,
            jst(2026, 11, 19, 10, 25),
            jst(2026, 11, 19, 10, 25),
        ),
        (
            "call",
            jst(2026, 11, 19, 15, 0),
            True,
            jst(2026, 11, 19, 15, 1),
            jst(2026, 11, 19, 15, 1),
        ),
        ("decide", jst(2026, 11, 25, 18, 0), False, None, jst(2026, 11, 24, 16, 0)),
    ]


def test_the_first_reply_is_recorded_once_and_skipped_steps_do_not_count(log: CaseLog) -> None:
    case_id = new_case(log)
    log.step_done(case_id, "first-reply", agent="a", steps=APOLOGY, skipped=True)
    case = log.get(case_id)
    assert case.first_reply_at is None and case.next_step == "report"
    log.step_done(case_id, "first-reply", agent="a", steps=APOLOGY, at=jst(2026, 11, 19, 13, 0))
    log.step_done(case_id, "first-reply", agent="a", steps=APOLOGY, at=jst(2026, 11, 19, 14, 0))
    events = log.show(case_id).events
    assert [e.kind for e in events].count("first_reply") == 1
    assert log.get(case_id).first_reply_at == jst(2026, 11, 19, 13, 0)


def test_a_moved_promise_moves_the_due_time(log: CaseLog) -> None:
    case_id = new_case(log)
    log.step_done(case_id, agent="a", steps=APOLOGY, at=jst(2026, 11, 19, 10, 20))
    log.step_done(case_id, agent="a", steps=APOLOGY, at=jst(2026, 11, 19, 10, 21))
    case = log.set_values(
        case_id, {"callback_at": "2026-11-20 11:00", "note": None}, agent="a", steps=APOLOGY
    )
    assert (case.next_step, case.next_due) == ("call", jst(2026, 11, 20, 11, 0))
    assert case.values["callback_at"] == "2026-11-20 11:00"
    calls = [d for d in log.show(case_id).deadlines if d.step == "call"]
    assert [(d.due_at, d.ended_at is None) for d in calls] == [
        (jst(2026, 11, 19, 15, 0), False),
        (jst(2026, 11, 20, 11, 0), True),
    ]
    event = log.show(case_id).events[-1]
    assert event.kind == "values_set"
    assert event.data["before"] == {"callback_at": "2026-11-19 15:00", "note": None}


def test_ids_are_read_back_however_they_are_typed(log: CaseLog) -> None:
    case_id = new_case(log)
    assert len(case_id) == 9 and case_id[4] == "-"
    typed = case_id.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert log.get(typed).id == case_id
    other = "ZZZZ-ZZZZ" if case_id != "ZZZZ-ZZZZ" else "ZZZZ-ZZZY"
    with pytest.raises(InputError) as err:
        log.get(other)
    assert str(err.value) == f"no case '{other}'; see 'claimkit case list'"
    with pytest.raises(InputError, match=r"'K7M4-Q9P' is not a case id \(8 letters and digits"):
        log.step_done("K7M4-Q9P", agent="a", steps=APOLOGY)
    with pytest.raises(InputError, match="no case"):
        log.add_entry(other, kind="note", agent="a")


def test_an_id_already_taken_is_drawn_again(log: CaseLog, monkeypatch: pytest.MonkeyPatch) -> None:
    first = new_case(log)
    draws = iter([first, first, "K7M4-Q9PX"])
    monkeypatch.setattr("claimkit.cases.store.new_case_id", lambda: next(draws))
    assert new_case(log) == "K7M4-Q9PX"
    assert log.get(first).values == VALUES


def test_list_open_overdue_mine_and_scenario(log: CaseLog) -> None:
    a = new_case(log, agent="佐藤")
    b = new_case(log, agent="鈴木", scenario="threat", steps=[APOLOGY[0]])
    c = new_case(log, agent="佐藤", complaint=Complaint(received_at=jst(2026, 11, 20, 10, 0)))
    log.close_case(c, agent="佐藤")
    assert [x.id for x in log.list_cases()] == [a, b] or [x.id for x in log.list_cases()] == [b, a]
    assert {x.id for x in log.list_cases(status=None)} == {a, b, c}
    assert [x.id for x in log.list_cases(status="closed")] == [c]
    assert [x.id for x in log.list_cases(agent="鈴木")] == [b]
    assert [x.id for x in log.list_cases(scenario="threat")] == [b]
    assert log.list_cases(overdue_as_of=jst(2026, 11, 19, 10, 59)) == []
    late = log.list_cases(overdue_as_of=jst(2026, 11, 19, 11, 1))
    assert {x.id for x in late} == {a, b}
    assert all(x.overdue(jst(2026, 11, 19, 11, 1)) for x in late)
    log.step_done(a, agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 19, 10, 30))
    log.step_done(a, agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 19, 10, 31))
    assert [x.id for x in log.list_cases(overdue_as_of=jst(2026, 11, 19, 11, 1))] == [b]
    assert [
        x.id for x in log.list_cases(overdue_as_of=jst(2026, 11, 19, 11, 1), agent="佐藤")
    ] == []
    assert len(log.list_cases(status=None, limit=2)) == 2


def test_entries_add_up_and_a_closed_case_takes_nothing_more(log: CaseLog) -> None:
    case_id = new_case(log, scenario="threat")
    log.add_entry(case_id, kind="exchange", agent="a", minutes=8)
    log.add_entry(case_id, kind="exchange", agent="a", minutes=7, exchanges=2)
    case = log.add_entry(case_id, kind="note", agent="a", note="上司に報告")
    assert (case.exchanges, case.minutes) == (3, 15)
    with pytest.raises(InputError, match="'chat' is not a kind of entry"):
        log.add_entry(case_id, kind="chat", agent="a")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="minutes must be a whole number"):
        log.add_entry(case_id, kind="call", agent="a", minutes=-5)
    with pytest.raises(InputError, match="who is recording"):
        log.add_entry(case_id, kind="note", agent=" ")
    log.close_case(case_id, agent="a", resolved=False)
    assert log.get(case_id).resolved_at is None
    with pytest.raises(InputError, match=f"case {case_id} is closed; nothing was recorded"):
        log.add_entry(case_id, kind="note", agent="a")
    assert log.get(case_id).last_seq == 5


def test_messages_thread_back_to_their_case(log: CaseLog) -> None:
    case_id = new_case(log)
    log.record_message(
        case_id, message_id="<sent-1@x>", agent="a", step="first-reply", subject="【お詫び】"
    )
    assert log.find_by_message_id("<sent-1@x>") == case_id
    assert log.find_by_message_id("<c1@example.com>") == case_id
    assert log.find_by_message_id("<other@x>") is None
    log.step_done(case_id, agent="a", steps=APOLOGY, message_id="<sent-2@x>")
    assert log.message_ids(case_id) == ["<c1@example.com>", "<sent-1@x>", "<sent-2@x>"]
    with pytest.raises(InputError, match="no case"):
        log.message_ids("ZZZZ-ZZZ0" if case_id != "ZZZZ-ZZZ0" else "ZZZZ-ZZZ1")


def test_export_and_purge(log: CaseLog) -> None:
    keep = new_case(log)
    old = new_case(log)
    log.close_case(old, agent="a", at=jst(2026, 11, 20, 10, 0))
    lines = [json.dumps(record, ensure_ascii=False) for record in log.export(batch=1)]
    assert len(lines) == 2
    record = json.loads(lines[[keep in line for line in lines].index(True)])
    assert record["received_at"] == "2026-11-19T01:00:00Z"
    assert record["events"][0]["kind"] == "opened"
    assert record["deadlines"][0]["step"] == "first-reply"
    assert log.purge_closed_before(jst(2026, 11, 20, 10, 0)) == 0
    assert log.purge_closed_before(date(2026, 11, 20)) == 0  # from 00:00 in Tokyo
    assert log.purge_closed_before(jst(2026, 11, 20, 10, 1)) == 1
    with pytest.raises(InputError, match="no case"):
        log.show(old)
    assert [x["id"] for x in log.export()] == [keep]


def test_naive_times_are_refused(log: CaseLog) -> None:
    with pytest.raises(InputError, match="has no time zone"):
        new_case(log, at=datetime(2026, 11, 19, 10, 0))


# -- errors naming the log --------------------------------------------------------


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    url = "postgresql://claims:s3cret@127.0.0.1:1/cases"
    with pytest.raises(InputError) as err:
        open_log(url)
    text = str(err.value)
    assert text.startswith(
        "cannot reach the case log at postgresql://claims:***@127.0.0.1:1/cases: "
    )
    assert "s3cret" not in text and "\n" not in text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:pw@h/db", "postgresql://u:***@h/db"),
        (
            "postgresql://h/db?password=pw&sslmode=require",
            "postgresql://h/db?password=***&sslmode=require",
        ),
        ("postgresql://u@h:5432/db", "postgresql://u@h:5432/db"),
    ],
)
def test_redact(url: str, shown: str) -> None:
    assert engines.redact(url) == shown


def test_bad_targets(tmp_path: Path) -> None:
    with pytest.raises(
        InputError, match=r"^unsupported database URL mysql://root:\*\*\*@h/db; give a file path"
    ):
        open_log("mysql://root:pw@h/db")
    with pytest.raises(InputError, match="its folder does not exist"):
        open_log(tmp_path / "nowhere" / "cases.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(
        InputError, match=r"junk.db is not a claimkit case log \(not an SQLite database\)"
    ):
        open_log(junk)


def test_a_network_share_is_refused() -> None:
    mounts = (
        "/dev/vda / ext4 rw 0 0\n//nas/team /mnt/team cifs rw 0 0\nnas:/x /mnt/nfs nfs4 rw 0 0\n"
    )
    assert engines.network_filesystem(Path("/mnt/team/claimkit/cases.db"), mounts) == "cifs"
    assert engines.network_filesystem(Path("/mnt/nfs/cases.db"), mounts) == "nfs4"
    assert engines.network_filesystem(Path("/home/a/cases.db"), mounts) is None
    assert engines.network_filesystem(Path("/mnt/teamwork/cases.db"), mounts) is None


def test_a_locked_log_says_so(sqlite_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_log(sqlite_path, calendar=CALENDAR) as log:
        case_id = new_case(log)
    monkeypatch.setattr(engines, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with open_log(sqlite_path, calendar=CALENDAR) as log, pytest.raises(InputError) as err:
            log.add_entry(case_id, kind="note", agent="a")
        assert (
            str(err.value)
            == f"the case log {sqlite_path} is locked by another claimkit (waited 0.2 s); try again"
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_sqlite_file_is_private_and_in_wal_mode(sqlite_path: str) -> None:
    open_log(sqlite_path).close()
    assert Path(sqlite_path).stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(sqlite_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_default_log_is_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with open_log() as log:
        assert log.where == str(tmp_path / "data" / "claimkit" / "cases.db")


# -- migrations ---------------------------------------------------------------------


def test_an_older_log_is_migrated_and_keeps_its_cases(target: str) -> None:
    database = engines.connect(target)
    schema.migrate(database, 0, schema.MIGRATIONS[:1])
    database.run(
        "INSERT INTO cases (id, scenario, lang, agent, status, opened_at, opened_day, opened_week, "
        "received_at, values_json, exchanges, minutes, last_seq, updated_at) "
        "VALUES ('K7M4-Q9PX', 'apology', 'ja', 'a', 'open', 0, '1970-01-01', '1969-12-29', "
        "0, '{}', 0, 0, 0, 0)"
    )
    assert schema.schema_version(database) == 1
    database.close()
    with open_log(target, calendar=CALENDAR) as log:
        assert schema.schema_version(log.db) == schema.MIGRATIONS[-1].version
        assert log.get("k7m4q9px").scenario == "apology"
        log.add_entry("K7M4-Q9PX", kind="note", agent="a")
        assert log.show("K7M4-Q9PX").deadlines == []


def test_a_failing_migration_changes_nothing(target: str) -> None:
    open_log(target).close()
    broken = (
        *schema.MIGRATIONS,
        schema.Migration(99, "broken", ("CREATE TABLE extra (a TEXT)", "NOT SQL")),
    )
    database = engines.connect(target)
    with pytest.raises(Exception, match="syntax error"):
        schema.migrate(database, 0, broken)
    assert schema.schema_version(database) == schema.MIGRATIONS[-1].version
    with pytest.raises(engines.MissingTable):
        database.rows("SELECT * FROM extra")
    database.close()


def test_a_log_from_a_newer_claimkit_is_refused(target: str) -> None:
    open_log(target).close()
    database = engines.connect(target)
    database.run(
        "INSERT INTO claimkit_migrations (version, name, applied_at) VALUES (99, 'future', 0)"
    )
    database.close()
    with pytest.raises(InputError) as err:
        open_log(target)
    assert str(err.value).endswith(
        f"was written by a newer claimkit (schema 99, this one knows up to "
        f"{schema.MIGRATIONS[-1].version}); upgrade claimkit to use it"
    )


def test_ids() -> None:
    drawn = {ids.new_case_id() for _ in range(1000)}
    assert len(drawn) == 1000
    assert all(len(i) == 9 and set(i) <= set(ids.ALPHABET + "-") for i in drawn)
    assert ids.normalize_case_id(" k7m4 q9px ") == "K7M4-Q9PX"
    assert ids.normalize_case_id("OIL0-0000") == "0110-0000"
    with pytest.raises(InputError):
        ids.normalize_case_id("K7M4-Q9PU")  # no U in the alphabet
