"""claimkit case where real processes matter: many at once, one killed, a terminal.

The library tests (test_cases_concurrency.py) drive the log itself with 8 × 100
events; here each writer goes through the command line, main() as the console
script runs it, so argument parsing, opening the log and recording are all in.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from case_logs import pg_url, sqlite_path, target

from tests.conftest import cli
from tests.test_terminal import ANSI, Terminal

WRITERS, EACH = 8, 25


def _writer(
    target: str, case_id: str, n: int, barrier: multiprocessing.synchronize.Barrier
) -> None:
    barrier.wait()
    for i in range(EACH):
        run = cli(["case", "log", case_id, f"note {n}-{i}", "--database", target])
        if run.code != 0:
            raise SystemExit(f"writer {n}, note {i}: {run.stderr}")


def test_eight_processes_logging_on_one_case_lose_no_note(target: str) -> None:
    case_id = cli(["case", "open", "threat", "--example", "--database", target]).stdout.strip()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(WRITERS)
    workers = [
        context.Process(target=_writer, args=(target, case_id, n, barrier)) for n in range(WRITERS)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0] * WRITERS
    shown = json.loads(cli(["case", "show", case_id, "-f", "json", "--database", target]).stdout)
    notes = [e["note"] for e in shown["events"] if e["kind"] == "note"]
    assert sorted(notes) == sorted(f"note {n}-{i}" for n in range(WRITERS) for i in range(EACH))
    assert [e["seq"] for e in shown["events"]] == list(range(1, len(shown["events"]) + 1))


KILLED = textwrap.dedent(
    """
    import sys, time
    from claimkit.cases import store
    from claimkit.cli import main

    save = store.CaseLog._save

    def save_then_hang(self, write):
        case = save(self, write)  # every row written, nothing committed
        print("inside", flush=True)
        time.sleep(60)
        return case

    store.CaseLog._save = save_then_hang
    main(["case", "done", sys.argv[1], "--note", "never committed", "--database", sys.argv[2]])
    """
)


def test_a_recording_command_killed_midway_leaves_the_log_as_it_was(sqlite_path: str) -> None:
    case_id = cli(["case", "open", "apology", "--example", "--database", sqlite_path]).stdout
    case_id = case_id.strip()
    before = cli(["case", "export", "--database", sqlite_path]).stdout
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, case_id, sqlite_path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"inside\n", child.stderr.read() if child.stderr else ""
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert cli(["case", "export", "--database", sqlite_path]).stdout == before
    started = time.monotonic()
    assert cli(["case", "done", case_id, "--database", sqlite_path]).code == 0
    assert time.monotonic() - started < 5  # the killed writer's lock went with it


@pytest.fixture
def profile(config_dir: Path) -> Path:
    path = config_dir / "profile.yaml"
    path.write_text("agent_name: 佐藤 花子\nlang: ja\ntimezone: Asia/Tokyo\n", encoding="utf-8")
    return path


def test_the_call_companion_counts_round_trips_and_logs_the_call(
    sqlite_path: str, profile: Path
) -> None:
    case_id = cli(["case", "open", "threat", "--example", "--database", sqlite_path]).stdout
    case_id = case_id.strip()
    term = Terminal(["case", "call", case_id, "--database", sqlite_path])
    term.expect("電話での決めた答え（台本）")  # the call script, with the decided answer
    term.expect("往復 0 / 3")
    for key in "  +":
        os.write(term.master, key.encode())
    screen = term.expect("往復 3 / 3")
    assert "上限 20分" in screen
    term.expect("決めた答えが上限の3往復に達しました")  # the warning, while the call goes on
    os.write(term.master, b"q")
    code, out = term.finish()
    assert code == 0, term.screen
    assert "を3回伝えました" in out  # the record for the manager, drafted at the limit
    shown = json.loads(
        cli(["case", "show", case_id, "-f", "json", "--database", sqlite_path]).stdout
    )
    call = next(e for e in shown["events"] if e["kind"] == "call")
    assert (call["exchanges"], call["minutes"]) == (3, 1)


def test_after_a_draft_on_a_terminal_the_next_step_is_shown(profile: Path) -> None:
    term = Terminal(["draft", "apology", "--example"])
    code, out = term.finish()
    assert code == 0, term.screen
    assert "次は「上司とトップに報告する」：今すぐ（一次返信と同時）" in ANSI.sub("", term.screen)
    assert "次は" not in out
    # never in a pipe
    assert "次は" not in cli(["draft", "apology", "--example", "--no-input"]).stderr


def test_after_case_next_on_a_terminal_the_agent_is_told_to_record_it(
    sqlite_path: str, profile: Path
) -> None:
    case_id = cli(["case", "open", "apology", "--example", "--database", sqlite_path]).stdout
    term = Terminal(["case", "next", case_id.strip(), "--database", sqlite_path])
    code, out = term.finish()
    assert code == 0, term.screen
    screen = " ".join(ANSI.sub("", term.screen).split())
    assert "次は「上司とトップに報告する」：今すぐ" in screen
    assert f"送ったら: claimkit case done {case_id.strip()}" in screen
    assert "ご不便をおかけしており" in out


def test_the_list_on_a_terminal_fits_80_columns_in_japanese(
    sqlite_path: str, profile: Path
) -> None:
    import unicodedata

    for scenario in ("thank-you-after-fix", "product-defect"):
        cli(["case", "open", scenario, "--example", "--database", sqlite_path])
    term = Terminal(
        ["case", "list", "--as-of", "2026-12-31", "--database", sqlite_path],
        env={"COLUMNS": "80"},
        stdout_tty=True,
    )
    code, _ = term.finish()
    assert code == 0, term.screen
    lines = ANSI.sub("", term.screen).splitlines()
    assert lines[0].split() == ["ID", "場面", "お客様", "次の手順", "期限", "担当"]
    width = [sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in x) for x in lines]
    assert max(width) <= 80 and len(lines) == 3, lines  # one line a case, none folded
    assert all("!" in line and "山田 太郎" in line for line in lines[1:])  # overdue
