"""claimkit stats as a user runs it: the table in a pipe and on a terminal, JSON, CSV, errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from case_logs import CALENDAR, sqlite_path
from stats_log import build

from claimkit.cases.store import open_log
from claimkit.stats.forms import CSV_COLUMNS
from claimkit.stats.text import cells
from tests.conftest import REPO, cli, sh

PERIOD = ["--since", "2026-11-02", "--until", "2026-11-29", "--as-of", "2026-11-27T12:00+09:00"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def log(sqlite_path: str, config_dir: Path) -> tuple[str, dict[str, str]]:
    """The hand-built log, and a profile in Tokyo's time zone with the default hours."""
    (config_dir / "profile.yaml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
    with open_log(sqlite_path, calendar=CALENDAR) as opened:
        ids = build(opened)
    return sqlite_path, ids


def stats(log: tuple[str, dict[str, str]], *args: str) -> tuple[int, str, str]:
    run = cli(["stats", "--database", log[0], *PERIOD, *args])
    return run.code, run.stdout, run.stderr


def test_json_holds_every_figure(log: tuple[str, dict[str, str]]) -> None:
    code, out, err = stats(log, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    ids = log[1]
    assert data["since"] == "2026-11-02" and data["as_of"] == "2026-11-27T12:00:00+09:00"
    assert [p["total"] for p in data["opened"]["periods"]] == [1, 2, 0, 2]
    assert data["first_reply"]["median_seconds"] == 54000
    assert data["first_reply"]["median_business_seconds"] == 5400
    assert data["first_reply"]["share_within_target"] == 0.75
    assert data["promises"]["late"][0] == {
        "case_id": ids["A"],
        "scenario": "apology",
        "agent": "鈴木",
        "step": "call",
        "due_at": "2026-11-04T15:00:00+09:00",
        "done_at": "2026-11-04T15:01:00+09:00",
        "late_seconds": 60,
    }
    assert data["open"]["overdue_cases"][1]["overdue_seconds"] == 7200
    assert data["threats"]["list"][0]["minutes"] == 22
    assert data["agents"][0] == {
        "agent": "佐藤",
        "opened": 3,
        "open": 2,
        "overdue": 1,
        "steps_done": 4,
    }


def test_threat_limits_are_the_threat_playbooks_own(
    log: tuple[str, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Case C has 3 round trips and 22 minutes: at the built-in limits (3, 20), under a
    team's threat playbook that allows 4 and 30 it is not."""
    builtin = json.loads(stats(log, "--format", "json")[1])["threats"]
    assert (builtin["exchange_limit"], builtin["minute_limit"], builtin["reached_limit"]) == (
        3,
        20,
        1,
    )
    team = tmp_path / "team"
    (team / "playbooks").mkdir(parents=True)
    text = (REPO / "playbooks" / "threat.yaml").read_text(encoding="utf-8")
    assert "limits: {exchanges: 3, minutes: 20, then: record}" in text
    (team / "playbooks" / "threat.yaml").write_text(
        text.replace("{exchanges: 3, minutes: 20,", "{exchanges: 4, minutes: 30,"),
        encoding="utf-8",
    )
    monkeypatch.setenv("CLAIMKIT_PLAYBOOKS", str(team))
    code, out, err = stats(log, "--format", "json")
    assert (code, err) == (0, "")
    threats = json.loads(out)["threats"]
    assert (threats["exchange_limit"], threats["minute_limit"], threats["reached_limit"]) == (
        4,
        30,
        0,
    )
    assert threats["list"][0]["reached_limit"] is False
    table = stats(log, "--lang", "en")[1]
    assert "Threat cases (limits: 4 round trips, 30 minutes)" in table


def test_csv_is_one_row_per_figure(log: tuple[str, dict[str, str]]) -> None:
    code, out, _ = stats(log, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    quiet = [r for r in rows if r["figure"] == "opened" and r["period"] == "2026-11-16"]
    assert {(r["scenario"], r["value"]) for r in quiet} == {("apology", "0"), ("threat", "0")}
    values = {r["figure"]: r["value"] for r in rows if not r["case_id"] and not r["agent"]}
    assert values["first_reply_p90_seconds"] == "127800"
    assert values["promises_share_kept"] == str(1 / 3)
    late = [r for r in rows if r["figure"] == "promise_late_seconds"]
    assert [(r["case_id"], r["at"], r["value"]) for r in late] == [
        (log[1]["A"], "2026-11-04T15:00:00+09:00", "60"),
        (log[1]["D"], "2026-11-25T15:00:00+09:00", str(45 * 3600)),
    ]


def test_docs_name_every_field() -> None:
    doc = (REPO / "docs" / "stats.md").read_text(encoding="utf-8")
    from stats_log import report_window

    from claimkit.stats.forms import as_json, csv_rows
    from claimkit.stats.report import build as build_report

    with open_log(":memory:", calendar=CALENDAR) as opened:
        build(opened)
        report = build_report(opened, report_window())

    def keys(value: object) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    data = as_json(report)
    names = keys({k: v for k, v in data.items()}) - set(data["opened"]["by_scenario"])
    names -= {"apology", "threat"}
    for name in names | {str(r["figure"]) for r in csv_rows(report)}:
        assert f"`{name}`" in doc, name


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_table_in_a_pipe_is_plain_and_fits_80_columns(
    log: tuple[str, dict[str, str]], lang: str
) -> None:
    code, out, _ = stats(log, "--lang", lang)
    assert code == 0
    assert "\x1b" not in out
    assert max(cells(line) for line in out.splitlines()) <= 80
    lines = out.splitlines()
    if lang == "ja":
        assert "目標時間内の一次返信       75%（4件中3件）" in lines
        assert "2026-11-16     0" in lines  # the quiet week, with no bar
        assert f"{log[1]['A']}  鈴木  call  11/04 15:00  11/04 15:01        1分" in lines
    else:
        assert "First reply, median        15h (1h 30m working)" in lines
        assert "Threat cases               1: 3 round trips, 22 min; 1 at a limit" in lines
        assert f"{log[1]['E']}  apology   佐藤   first-reply  11/27 10:00          2h" in lines


def test_on_a_terminal_rich_draws_coloured_bars_in_80_columns(
    log: tuple[str, dict[str, str]],
) -> None:
    from rich.console import Console
    from stats_log import report_window

    from claimkit.cli.statsview import show
    from claimkit.stats.report import build as build_report

    with open_log(log[0], calendar=CALENDAR) as opened:
        report = build_report(opened, report_window())
    screen = io.StringIO()
    console = Console(
        file=screen, width=80, force_terminal=True, color_system="truecolor", no_color=False
    )
    show(report, "ja", console)
    text = screen.getvalue()
    assert "\x1b[48;2;0;114;178m" in text  # apology's bars: a background colour, not glyphs
    plain = ANSI.sub("", text)
    assert max(cells(line.rstrip()) for line in plain.splitlines()) <= 80
    assert "脅しのあった案件（上限: 3往復・20分）" in plain


def test_errors_are_one_line_and_exit_2(log: tuple[str, dict[str, str]]) -> None:
    run = cli(["stats", "--database", log[0], "--since", "2026-13-01"])
    assert run.code == 2
    assert run.stderr == "claimkit: error: --since '2026-13-01': no such day in the calendar\n"
    run = cli(["stats", "--database", log[0], "--since", "2026-12-01", "--until", "2026-11-01"])
    assert (run.code, run.stderr.count("\n")) == (2, 1)
    assert "after --until" in run.stderr
    run = cli(["stats", "--database", "postgresql://me:hunter2@127.0.0.1:1/claims"])
    assert run.code == 2
    assert "hunter2" not in run.stderr and "me:***@127.0.0.1:1" in run.stderr
    assert run.stderr.count("\n") == 1


def test_the_page_is_written_atomically_and_never_over_a_file(
    log: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    page = tmp_path / "out" / "report.html"
    code, out, err = stats(log, "--html", str(page))
    assert (code, out) == (0, "")
    assert err == f"claimkit: wrote {page}\n"
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, _, err = stats(log, "--html", str(page))
    assert code == 2 and "--force" in err
    code, out, _ = stats(log, "--html", str(page), "--force", "--format", "json")
    assert code == 0 and json.loads(out)["opened"]["total"] == 5
    assert [p.name for p in page.parent.iterdir()] == ["report.html"]  # no temporary file left


def test_a_real_process_prints_the_table_into_a_pipe(log: tuple[str, dict[str, str]]) -> None:
    run = sh(["stats", "--database", log[0], *PERIOD, "--lang", "en", "--agent", "佐藤"])
    assert run.code == 0, run.stderr
    assert "agent 佐藤" in run.stdout.splitlines()[2]
    assert "\x1b" not in run.stdout


def test_only_stats_html_imports_the_page(log: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    from tests.test_startup import modules_after

    args = ["stats", "--database", log[0], *PERIOD, "--format", "json"]
    loaded, out = modules_after(args, tmp_path)
    assert json.loads(out)["opened"]["total"] == 5
    assert not {"claimkit.stats.html", "claimkit.stats.svg", "rich", "jinja2"} & loaded
    loaded, _ = modules_after(["draft", "apology", "--example", "--no-input"], tmp_path)
    assert not any(m.startswith("claimkit.stats") for m in loaded)


def test_an_empty_log_gives_a_report_of_zeros(sqlite_path: str) -> None:
    def run(*args: str) -> str:
        done = cli(["stats", "--database", sqlite_path, *PERIOD, "--lang", "en", *args])
        assert (done.code, done.stderr) == (0, ""), done.stderr
        return done.stdout

    data = json.loads(run("--format", "json"))
    assert data["opened"]["total"] == 0 and data["first_reply"]["median_seconds"] is None
    assert data["promises"]["share_kept"] is None
    assert run("--format", "csv").startswith("figure,")
    table = run().splitlines()
    assert "First reply, median        none" in table
    assert "No case is overdue." in table
    assert run("--html", "-").count("<svg") == 2  # volume and replies: axes, no bars


def test_long_lists_are_cut_on_screen_and_whole_in_json(
    log: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("claimkit.stats.text.LIST_ROWS", 1)
    _, out, _ = stats(log, "--lang", "en")
    assert "1 more (all of them with --format json)" in out.splitlines()
    assert log[1]["E"] not in out  # the second overdue case
    _, out, _ = stats(log, "--format", "json")
    assert len(json.loads(out)["open"]["overdue_cases"]) == 2


def test_the_page_on_stdout_goes_alone(log: tuple[str, dict[str, str]]) -> None:
    code, out, err = stats(log, "--html", "-", "--lang", "en")
    assert code == 0 and err == ""
    assert out.startswith("<!DOCTYPE html>") and '<html lang="en">' in out
    code, out, err = stats(log, "--html", "-", "--format", "json")
    assert (code, out) == (2, "")
    assert "--html -" in err
