"""claimkit stats over a team's log: 100,000 cases and 1,000,000 events, whole process.

    python bench/stats.py                       # SQLite in a temporary folder
    python bench/stats.py --cases 20000 --repeat 3
    python bench/stats.py --keep /tmp/big.db    # keep the log to look at

Prints figures; never passes or fails. Target (issue 19): `claimkit stats`
under 1 s whole process on SQLite over 100,000 cases and 1,000,000 events.
The log is filled with plain INSERTs shaped like a team's year and a bit:
eight scenarios, six agents, ten events a case (opened, steps done, the first
reply, a note, a call, resolved, closed), a first-reply target and a promised
call on every case, a fifth of the cases open, a few of them overdue.
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
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from claimkit.cases.db import connect
from claimkit.cases.store import open_log

TOKYO = ZoneInfo("Asia/Tokyo")
AS_OF = datetime(2026, 11, 27, 12, 0, tzinfo=TOKYO)
SCENARIOS = (
    ("apology", 30),
    ("product-defect", 25),
    ("progress-update", 15),
    ("phone-handoff", 10),
    ("escalation", 8),
    ("review-reply", 6),
    ("threat", 4),
    ("thank-you-after-fix", 2),
)
AGENTS = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺")
EVENTS = ("opened", "step_done", "first_reply", "step_done", "note", "call", "step_done")


def fill(target: str, cases: int, seed: int = 19) -> int:
    """``cases`` cases with ten events each; the number of events written."""
    rng = random.Random(seed)
    now = int(AS_OF.timestamp())
    names = [s for s, _ in SCENARIOS]
    weights = [w for _, w in SCENARIOS]
    case_rows, event_rows, deadline_rows = [], [], []
    for n in range(cases):
        case_id = f"{n // 10000:04d}-{n % 10000:04d}"
        opened = now - rng.randrange(0, 400 * 86400)
        day = datetime.fromtimestamp(opened, TOKYO).date()
        scenario = rng.choices(names, weights)[0]
        agent = rng.choice(AGENTS)
        is_open = (opened > now - 30 * 86400 and rng.random() < 0.6) or rng.random() < 0.02
        reply = int(rng.lognormvariate(7.5, 1.3)) + 60
        replied = not is_open or rng.random() < 0.8
        resolution = reply + int(rng.lognormvariate(11.5, 0.8))
        due = opened + 3600
        next_due = None
        if is_open:
            next_due = now + rng.randrange(-3 * 86400, 7 * 86400)
            if rng.random() < 0.5:
                next_due = now + rng.randrange(60, 7 * 86400)  # most open cases are on time
        threat = scenario == "threat"
        case_rows.append(
            (
                case_id,
                scenario,
                "ja",
                agent,
                "open" if is_open else "closed",
                opened,
                day.isoformat(),
                (day - timedelta(days=day.weekday())).isoformat(),
                opened,
                '{"customer_name": "山田 太郎"}',
                "call" if is_open else None,
                next_due,
                "call" if is_open else None,
                opened + reply if replied else None,
                due,
                reply if replied else None,
                min(reply, 3600 + reply // 4) if replied else None,
                None if is_open else opened + resolution,
                None if is_open else resolution,
                None if is_open else resolution // 3,
                None if is_open else opened + resolution,
                rng.randrange(1, 5) if threat else 0,
                rng.randrange(5, 30) if threat else 0,
                10,
                opened,
            )
        )
        for seq, kind in enumerate(EVENTS, 1):
            at = opened + (reply if kind == "first_reply" else seq * 600)
            event_rows.append((case_id, seq, kind, at, at, agent, "first-reply", "{}"))
        for seq, kind in ((8, "message"), (9, "resolved"), (10, "closed")):
            event_rows.append((case_id, seq, kind, opened + resolution, now, agent, None, "{}"))
        call = opened + 86400
        # Most promised calls made on time; one in eight late, by a minute to two hours.
        early = call - rng.randrange(0, 4 * 3600)
        done = None if is_open else rng.choices((early, call + rng.randrange(60, 7200)), (7, 1))[0]
        deadline_rows.append((case_id, 1, "first-reply", due, 0, opened + reply, 3, opened + reply))
        deadline_rows.append((case_id, 4, "call", call, 1, done, 6 if done else None, done))
    db = connect(target)
    with db.transaction():
        for row in case_rows:
            db.run(
                "INSERT INTO cases (id, scenario, lang, agent, status, opened_at, opened_day, "
                "opened_week, received_at, values_json, next_step, next_due, due_step, "
                "first_reply_at, first_reply_due, first_reply_seconds, "
                "first_reply_business_seconds, resolved_at, resolution_seconds, "
                "resolution_business_seconds, closed_at, exchanges, minutes, last_seq, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?)",
                row,
            )
        for row in event_rows:
            db.run(
                "INSERT INTO events (case_id, seq, kind, at, recorded_at, agent, step, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        for row in deadline_rows:
            db.run(
                "INSERT INTO deadlines (case_id, seq, step, due_at, promise, done_at, done_seq, "
                "ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
    if db.dialect == "sqlite":
        db.run("ANALYZE")
    db.close()
    return len(event_rows)


def whole(args: list[str], repeat: int, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def ms(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:.0f} ms, best {min(times) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", help="build the log at this path and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        target = args.keep or str(Path(work) / "cases.db")
        open_log(target).close()
        start = time.perf_counter()
        events = fill(target, args.cases)
        took = time.perf_counter() - start
        print(f"{args.cases:,} cases, {events:,} events: filled in {took:.1f} s")
        config = Path(work) / "config"
        config.mkdir()
        (config / "profile.yaml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
        env = {**os.environ, "CLAIMKIT_CONFIG_DIR": str(config), "CLAIMKIT_CACHE_DIR": work}
        stats = [sys.executable, "-m", "claimkit", "stats", "--database", target]
        stats += ["--as-of", AS_OF.isoformat()]
        print("bare python -c pass:", ms(whole([sys.executable, "-c", "pass"], args.repeat, env)))
        for label, extra in (
            ("claimkit stats (table, into a pipe)", []),
            ("claimkit stats --format json", ["--format", "json"]),
            ("claimkit stats --format csv", ["--format", "csv"]),
            (
                "claimkit stats --by month --since 2025-11-01",
                ["--by", "month", "--since", "2025-11-01"],
            ),
        ):
            print(f"{label}: {ms(whole([*stats, *extra], args.repeat, env))}")
        page = Path(work) / "report.html"
        html = [*stats, "--html", str(page), "--force"]
        print(f"claimkit stats --html: {ms(whole(html, args.repeat, env))}")
        print(f"the page: {page.stat().st_size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
