"""The scripted draft's own parser agrees with typer's, flag for flag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from claimkit.cli import app, fastpath
from claimkit.cli.drafter import Charset, Format
from claimkit.cli.setup import Lang


def draft_command() -> Any:
    group = typer.main.get_command(app)
    return group.commands["draft"]  # type: ignore[attr-defined]


def test_the_table_names_every_flag_of_the_typer_command() -> None:
    typer_flags: dict[str, tuple[str, bool, bool]] = {}
    for param in draft_command().params:
        for spelling in [*param.opts, *param.secondary_opts]:
            if spelling.startswith("-"):
                typer_flags[spelling] = (param.name, not param.is_flag, param.multiple)
    typer_flags.update({"--help": ("help", False, False), "-h": ("help", False, False)})
    mine = set(fastpath.OPTIONS) | fastpath.LEFT_TO_TYPER
    assert mine == set(typer_flags)
    for spelling, (param, takes_value) in fastpath.OPTIONS.items():
        name, typer_takes_value, multiple = typer_flags[spelling]
        assert param == name, spelling
        assert takes_value == typer_takes_value, spelling
        assert (param in fastpath.REPEATABLE) == multiple, spelling


# The defaults of the flags a single draft and a batch share, as typer passes them.
DEFAULTS: dict[str, Any] = {
    "step": None,
    "lang": None,
    "data": None,
    "assignments": None,
    "example": False,
    "no_input": False,
    "fmt": None,
    "charset": Charset.utf8,
    "out": None,
    "force": False,
    "quiet": False,
    "no_check": False,
    "playbooks": None,
}


def typer_kwargs(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What typer hands to draft_one for ``claimkit draft ARGS``."""
    import claimkit.cli.draft
    from tests.conftest import cli

    seen: dict[str, Any] = {}
    monkeypatch.setattr(claimkit.cli.draft, "draft_one", lambda **kw: seen.update(kw))
    result = cli(["draft", *args])
    assert result.code == 0, result.stderr
    return seen


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
    ],
)
def test_it_reads_a_command_line_as_typer_does(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = fastpath.parse(args)
    assert mine is not None
    expected = typer_kwargs(args, monkeypatch)
    # typer passes every parameter; the fast path only those given (draft_one's defaults).
    assert {**DEFAULTS, **mine} == expected


def typer_batch_kwargs(args: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What typer hands to draft_batch for ``claimkit draft ARGS``."""
    import claimkit.cli.draft
    from tests.conftest import cli

    seen: dict[str, Any] = {}

    def record(**kw: Any) -> int:
        seen.update(kw)
        return 0

    monkeypatch.setattr(claimkit.cli.draft, "draft_batch", record)
    result = cli(["draft", *args])
    assert result.code == 0, result.stderr
    return seen


@pytest.mark.parametrize(
    "args",
    [
        ["apology", "--batch", "cases.jsonl"],
        ["--batch=-", "--input-format", "CSV", "-j", "3", "--fail-fast", "--no-check", "-q"],
        ["apology", "--batch", "-", "--out-dir", "out", "--name", "{row}.{ext}", "-f", "eml"],
        ["apology", "--batch", "-", "--jobs=64", "--lang", "en", "--set", "a=1", "--example"],
    ],
)
def test_it_reads_a_batch_command_line_as_typer_does(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = fastpath.parse(args)
    assert mine is not None
    expected = typer_batch_kwargs(args, monkeypatch)
    defaults = {
        **DEFAULTS,
        "scenario": None,
        "input_format": None,
        "out_dir": None,
        "name": "{row}-{scenario}-{step}.{ext}",
        "fail_fast": False,
        "jobs": None,
    }
    assert {**defaults, **mine} == expected


def test_values_arrive_as_the_types_typer_gives() -> None:
    parsed = fastpath.parse(["apology", "-l", "EN", "-f", "Json", "-d", "x.yaml", "-P", "t"])
    assert parsed == {
        "scenario": "apology",
        "lang": Lang.en,
        "fmt": Format.json,
        "data": Path("x.yaml"),
        "playbooks": [Path("t")],
    }


@pytest.mark.parametrize(
    "args",
    [
        ["apology", "--help"],
        ["apology", "-h"],
        ["apology", "--jobs", "2"],  # a batch's flag without --batch: typer's error
        ["apology", "--batch", "x.jsonl", "--jobs", "0"],
        ["apology", "--batch", "x.jsonl", "-j", "two"],
        ["apology", "--batch", "x.jsonl", "--input-format", "xml"],
        ["apology", "--batch", "."],  # a folder
        ["apology", "--lang", "fr"],
        ["apology", "--format", "pdf"],
        ["apology", "--lang"],
        ["apology", "extra"],
        ["apology", "--no-input=yes"],
        ["apology", "-qf", "json"],
        ["apology", "--unknown"],
        ["apology", "--out", "."],  # a folder: typer's error
    ],
)
def test_anything_unusual_is_left_to_typer(args: list[str]) -> None:
    assert fastpath.parse(args) is None


def test_typer_still_reports_what_the_fast_path_leaves(tmp_path: Path) -> None:
    from tests.conftest import sh

    bad = sh(["draft", "apology", "--lang", "fr", "--no-input"], cwd=tmp_path)
    assert bad.code == 2
    assert "'fr' is not one of" in bad.stderr
    assert "Traceback" not in bad.stderr
