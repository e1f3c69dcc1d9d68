"""Many writers on one case, and a writer killed inside its transaction, on both engines."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from case_logs import APOLOGY, CALENDAR, jst, pg_url, sqlite_path, target

from claimkit.cases.schema import MIGRATIONS
from claimkit.cases.store import Complaint, open_log

WRITERS, EACH, OPENS = 8, 100, 5


def _writer(
    target: str, case_id: str, agent: str, barrier: multiprocessing.synchronize.Barrier
) -> None:
    with open_log(target, calendar=CALENDAR) as log:
        barrier.wait()
        for i in range(EACH):
            log.add_entry(case_id, kind="exchange", agent=agent, minutes=1, note=f"{agent} #{i}")
        for _ in range(OPENS):
            log.open_case(scenario="threat", lang="ja", agent=agent, steps=APOLOGY)


def test_eight_writers_on_one_case_lose_nothing(target: str) -> None:
    with open_log(target, calendar=CALENDAR) as log:
        case_id = log.open_case(scenario="threat", lang="ja", agent="lead", steps=APOLOGY)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(WRITERS)
    workers = [
        context.Process(target=_writer, args=(target, case_id, f"agent-{n}", barrier))
        for n in range(WRITERS)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0] * WRITERS
    with open_log(target, calendar=CALENDAR) as log:
        view = log.show(case_id)
        entries = [e for e in view.events if e.kind == "exchange"]
        assert len(entries) == WRITERS * EACH
        assert [e.seq for e in view.events] == list(range(1, WRITERS * EACH + 2))
        for n in range(WRITERS):
            mine = [e.note for e in entries if e.agent == f"agent-{n}"]
            assert mine == [f"agent-{n} #{i}" for i in range(EACH)]  # each writer's in order
        # The counters on the case row: no update lost to another writer.
        assert (view.case.exchanges, view.case.minutes) == (WRITERS * EACH, WRITERS * EACH)
        assert view.case.last_seq == WRITERS * EACH + 1
        opened = log.list_cases(status=None)
        assert len({c.id for c in opened}) == len(opened) == 1 + WRITERS * OPENS


CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timezone
    from claimkit.cases import store
    from claimkit.cases.flow import StepSpec

    target, case_id = sys.argv[1], sys.argv[2]
    save = store.CaseLog._save

    def save_then_hang(self, write):
        case = save(self, write)  # every row written, nothing committed
        print("inside", flush=True)
        time.sleep(60)
        return case

    store.CaseLog._save = save_then_hang
    log = store.open_log(target)
    steps = [StepSpec("first-reply", True, "customer"), StepSpec("report", True, "internal")]
    log.step_done(case_id, agent="killed", steps=steps, note="never committed",
                  at=datetime(2026, 11, 19, 1, 30, tzinfo=timezone.utc))
    """
)


def test_a_writer_killed_inside_its_transaction_leaves_the_log_as_it_was(target: str) -> None:
    with open_log(target, calendar=CALENDAR) as log:
        case_id = log.open_case(
            scenario="apology",
            lang="ja",
            agent="佐藤",
            steps=APOLOGY,
            complaint=Complaint(received_at=jst(2026, 11, 19, 10, 0)),
        )
        log.add_entry(case_id, kind="note", agent="佐藤", note="before")
        before = log.show(case_id)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, target, case_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line == b"inside\n", child.stderr.read() if child.stderr else b""
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    if not target.startswith("postgresql"):
        with sqlite3.connect(target) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    started = time.monotonic()
    with open_log(target, calendar=CALENDAR) as log:
        assert log.show(case_id) == before  # only whole events: the killed one left nothing
        case = log.step_done(case_id, agent="佐藤", steps=APOLOGY, at=jst(2026, 11, 19, 10, 40))
        assert case.first_reply_at == jst(2026, 11, 19, 10, 40)
        assert case.last_seq == before.case.last_seq + 2
    assert time.monotonic() - started < 5  # the killed writer's lock went with it


def _first_open(target: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    with open_log(target, calendar=CALENDAR) as log:
        log.open_case(scenario="apology", lang="ja", agent="a", steps=APOLOGY)


def test_first_opens_at_once_migrate_once(target: str) -> None:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(4)
    workers = [context.Process(target=_first_open, args=(target, barrier)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0] * 4
    with open_log(target, calendar=CALENDAR) as log:
        assert len(log.list_cases()) == 4
        applied = log.db.rows("SELECT version FROM claimkit_migrations ORDER BY version")
        assert applied == [(m.version,) for m in MIGRATIONS]  # each once
