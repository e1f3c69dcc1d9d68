"""claimkit draft's one table of flags: the quick parser and typer's command read alike."""

from __future__ import annotations

from typing import Any

import pytest

import claimkit.cli.draft
from claimkit.cli.draft_flags import DRAFT
from claimkit.cli.options import defaults, parse
from tests.conftest import cli, sh


def typer_kwargs(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What typer's command hands to ``run`` for ``claimkit draft ARGS`` (the quick
    parser is kept out of the way, so typer reads the command line)."""
    seen: dict[str, Any] = {}

    def record(**options: Any) -> int:
        seen.update(options)
        return 0

    monkeypatch.setattr(claimkit.cli.draft, "run", record)
    monkeypatch.setattr("claimkit.cli.options.parse", lambda table, args: None)
    result = cli(["draft", *args])
    assert result.code == 0, result.stderr
    return seen


def test_typer_s_command_is_made_from_the_table() -> None:
    import typer

    from claimkit.cli.app import app

    command = typer.main.get_command(app).commands["draft"]  # type: ignore[attr-defined]
    flags = {p.name: sorted(p.opts + p.secondary_opts) for p in command.params}
    assert flags == {o.param: sorted(o.flags) or [o.param] for o in DRAFT}
    jobs = next(p for p in command.params if p.name == "jobs")
    assert (jobs.type.min, jobs.type.max) == (1, 64)  # one bound, from the table


@pytest.mark.parametrize(
    "args",
    [
        ["apology"],
        ["apology", "--lang", "JA", "--no-input", "--data", "case.yaml"],
        ["threat", "-s", "call-script", "-l", "en", "-d", "-", "-q", "--no-check"],
        ["apology", "--set", "a=1", "--set=b=x=y", "--example", "-f", "eml"],
        ["--format=json", "apology", "--charset", "ISO-2022-JP", "-o", "out.eml", "--force"],
        ["apology", "-P", "team", "--playbooks", "other", "--step=first-reply"],
        ["apology", "--lang", "en", "--lang", "ja"],
        ["apology", "--batch", "cases.jsonl"],
        ["--batch=-", "--input-format", "CSV", "-j", "3", "--fail-fast", "--no-check", "-q"],
        ["apology", "--batch", "-", "--out-dir", "out", "--name", "{row}.{ext}", "-f", "eml"],
        ["apology", "--batch", "-", "--jobs=64", "--lang", "en", "--set", "a=1", "--example"],
        ["apology", "--out", "."],  # a folder: the command's to report, either way
    ],
)
def test_the_quick_parser_reads_a_command_line_as_typer_does(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = parse(DRAFT, args)
    assert mine is not None
    assert mine == typer_kwargs(args, monkeypatch)


def test_nothing_given_is_every_default() -> None:
    assert parse(DRAFT, []) == defaults(DRAFT)
    assert defaults(DRAFT)["name"] == "{row}-{scenario}-{step}.{ext}"


@pytest.mark.parametrize(
    "args",
    [
        ["apology", "--help"],
        ["apology", "-h"],
        ["apology", "--batch", "x.jsonl", "--jobs", "0"],
        ["apology", "--batch", "x.jsonl", "-j", "65"],
        ["apology", "--batch", "x.jsonl", "-j", "two"],
        ["apology", "--batch", "x.jsonl", "--input-format", "xml"],
        ["apology", "--lang", "fr"],
        ["apology", "--format", "pdf"],
        ["apology", "--lang"],
        ["apology", "extra"],
        ["apology", "--no-input=yes"],
        ["apology", "-qf", "json"],
        ["apology", "--unknown"],
    ],
)
def test_anything_unusual_is_left_to_typer(args: list[str]) -> None:
    assert parse(DRAFT, args) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "fr"], "'fr' is not one of"),
        (["--jobs", "0", "--batch", "-"], "0 is not in the range 1<=x<=64"),
        (["--unknown"], "No such option: --unknown"),
        (["--jobs", "2"], "--jobs: for --batch FILE only"),
        (["--out", "."], "is a folder"),
    ],
)
def test_what_the_quick_parser_leaves_typer_reports_in_one_line(
    args: list[str], message: str
) -> None:
    run = cli(["draft", "apology", "--example", "--no-input", *args])
    assert run.code == 2
    assert message in run.stderr and len(run.stderr.splitlines()) == 1, run.stderr


def test_help_lists_every_flag_with_an_example() -> None:
    run = sh(["draft", "--help"])
    assert run.code == 0
    for option in DRAFT:
        for flag in option.flags:
            assert flag in run.stdout, flag
    assert "Examples:" in run.stdout and "claimkit draft apology --example" in run.stdout
