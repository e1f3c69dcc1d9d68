"""The case log's speed: opening, the overdue list over 100,000 cases, recording events.

    python bench/cases.py                      # SQLite in a temporary folder
    python bench/cases.py --cases 100000 --postgres postgresql://postgres@127.0.0.1/test

Prints figures; never pass or fail. Targets (issue 18): opening a log that
needs no migration under 10 ms; the whole `claimkit case list --overdue`
process under 300 ms on SQLite over 100,000 cases; `claimkit case next` at
most 1.5x a plain `claimkit draft` of the same step (whole processes, run in
turn so that the machine's load falls on both alike). The log is filled with
plain INSERTs (the API would take minutes for 100,000 cases), shaped like a
team's: a fifth of the cases open, a tenth of those overdue, ~8 events each.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from claimkit.cases.db import Database, connect
from claimkit.cases.store import open_log

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)

LIST_OVERDUE = """
import sys
from datetime import datetime, UTC
from claimkit.cases.store import open_log
log = open_log(sys.argv[1])
out = sys.stdout
for case in log.list_cases(overdue_as_of=datetime.fromisoformat(sys.argv[2])):
    due = case.next_due.isoformat() if case.next_due else ""
    out.write(f"{case.id}\\t{case.scenario}\\t{case.agent}\\t{case.due_step}\\t{due}\\n")
"""


def fill(db: Database, cases: int, seed: int = 7) -> int:
    """``cases`` cases and their events in one transaction; the number overdue at NOW."""
    rng = random.Random(seed)
    now = int(NOW.timestamp())
    case_rows, event_rows = [], []
    overdue = 0
    for n in range(cases):
        opened = now - rng.randrange(0, 400 * 86400)
        is_open = rng.random() < 0.2
        due = None
        if is_open:
            late = rng.random() < 0.1
            overdue += late
            due = now - rng.randrange(60, 86400 * 3) if late else now + rng.randrange(60, 86400 * 5)
        day = datetime.fromtimestamp(opened, UTC).date()
        week = day - timedelta(days=day.weekday())
        case_id = f"{n:08d}"
        case_rows.append(
            (
                f"{case_id[:4]}-{case_id[4:]}",
                rng.choice(["apology", "threat", "product-defect", "progress-update"]),
                "ja",
                rng.choice(["佐藤", "鈴木", "高橋", "田中"]),
                "open" if is_open else "closed",
                opened,
                day.isoformat(),
                week.isoformat(),
                opened,
                '{"customer_name": "山田 太郎", "callback_at": "2026-11-25 15:00"}',
                "call" if is_open else None,
                due,
                "call" if is_open else None,
                None if is_open else opened + 86400 * 3,
                9,
            )
        )
        for seq in range(1, 9):
            event_rows.append(
                (f"{case_id[:4]}-{case_id[4:]}", seq, "note", opened + seq * 600, "佐藤", "{}")
            )
    with db.transaction():
        for row in case_rows:
            db.run(
                "INSERT INTO cases (id, scenario, lang, agent, status, opened_at, opened_day, "
                "opened_week, received_at, values_json, next_step, next_due, due_step, closed_at, "
                "exchanges, minutes, last_seq, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 0)",
                row,
            )
        for row in event_rows:
            db.run(
                "INSERT INTO events (case_id, seq, kind, at, recorded_at, agent, data) "
                "VALUES (?, ?, ?, ?, 0, ?, ?)",
                (*row[:4], *row[4:]),
            )
    return overdue


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.2f} ms, best {min(times) * 1000:.2f} ms"


def process_ms(args: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def run(target: str, cases: int, repeat: int, label: str) -> None:
    print(f"\n== {label}: {cases:,} cases ==")
    open_log(target).close()  # create and migrate
    db = connect(target)
    start = time.perf_counter()
    overdue = fill(db, cases)
    print(f"filled in {time.perf_counter() - start:.1f} s; {overdue:,} overdue")
    if db.dialect == "sqlite":
        db.run("ANALYZE")
        plan = db.rows(
            "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE status = 'open' AND next_due < ? "
            "ORDER BY next_due, id",
            (int(NOW.timestamp()),),
        )
        print("plan:", "; ".join(str(r[-1]) for r in plan))
    db.close()

    print("open a log needing no migration:", ms(timed(lambda: open_log(target).close(), repeat)))
    log = open_log(target)
    rows: list[object] = []
    query = timed(lambda: rows.append(len(log.list_cases(overdue_as_of=NOW))), repeat)
    print(f"list_cases(overdue) -> {rows[-1]} cases:", ms(query))
    sql = "SELECT id FROM cases WHERE status = 'open' AND next_due < ? ORDER BY next_due, id"
    bare = timed(lambda: log.db.rows(sql, (int(NOW.timestamp()),)), repeat)
    print("  the query alone (ids only):", ms(bare))
    case_id = log.list_cases(limit=1)[0].id
    entries = timed(lambda: log.add_entry(case_id, kind="note", agent="bench", note="x"), 200)
    rate = 1 / statistics.median(entries)
    print(f"add_entry (one transaction each): {ms(entries)}; {rate:,.0f}/s")
    log.close()

    if db.dialect == "sqlite":
        bare = process_ms([sys.executable, "-c", "pass"], repeat)
        whole = process_ms([sys.executable, "-c", LIST_OVERDUE, target, NOW.isoformat()], repeat)
        imports = process_ms([sys.executable, "-c", "import claimkit.cases.store, sqlite3"], repeat)
        print(f"whole process, bare python -c pass: {ms(bare)}")
        print(f"whole process, import the store (+sqlite3): {ms(imports)}")
        print(f"whole process, open + list overdue + print: {ms(whole)}")
        command = [*CLAIMKIT, "case", "list", "--overdue", "--as-of", NOW.isoformat()]
        listed = process_ms([*command, "--database", target], repeat)
        print(f"whole process, claimkit case list --overdue: {ms(listed)}")


CLAIMKIT = (
    [str(Path(sys.executable).parent / "claimkit")]
    if (Path(sys.executable).parent / "claimkit").exists()
    else [sys.executable, "-m", "claimkit"]
)


def next_against_draft(repeat: int) -> None:
    """``case next`` of a case's first reply against ``draft`` of the same step, in turn."""
    print("\n== claimkit case next against claimkit draft (the apology's first reply) ==")
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "CLAIMKIT_CONFIG_DIR": work, "CLAIMKIT_CACHE_DIR": f"{work}/cache"}
        database = f"{work}/cases.db"
        opening = ["case", "open", "apology", "--example", "--lang", "ja", "--database", database]
        case_id = subprocess.run(
            [*CLAIMKIT, *opening],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        draft = [*CLAIMKIT, "draft", "apology", "--example", "--lang", "ja", "--no-input"]
        drafted = [*CLAIMKIT, "case", "next", case_id, "--database", database]
        times: dict[str, list[float]] = {"draft": [], "case next": []}
        for _ in range(repeat + 2):  # the first two warm the cache
            for name, args in (("draft", draft), ("case next", drafted)):
                start = time.perf_counter()
                subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - start)
        for name, taken in times.items():
            print(f"{name}: {ms(taken[2:])}")
        ratio = statistics.median(times["case next"][2:]) / statistics.median(times["draft"][2:])
        print(f"case next / draft (medians): {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--postgres", help="also a postgresql:// URL (a scratch database)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        run(str(Path(work) / "cases.db"), args.cases, args.repeat, "SQLite")
    next_against_draft(args.repeat)
    if args.postgres:
        import psycopg

        schema = f"claimkit_bench_{random.randrange(1 << 30)}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            sep = "&" if "?" in args.postgres else "?"
            url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
            run(url, args.cases, args.repeat, "PostgreSQL")
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
