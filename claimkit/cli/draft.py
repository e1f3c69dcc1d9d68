"""claimkit draft: the flags, as typer declares them; the work is in drafter and batch."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claimkit.cli.batch import DEFAULT_NAME, draft_batch
from claimkit.cli.common import LangOption, PlaybooksOption, complete_scenario
from claimkit.cli.drafter import Charset, Format, draft_one


class InputFormat(StrEnum):  # here, not in drafter: a scripted draft never reads a batch
    jsonl = "jsonl"
    csv = "csv"


COMMAND: dict[str, Any] = {
    "help": """Draft a message for a scenario: a first reply, a call script, a follow-up.

Variables come from, lowest first: playbook defaults, your profile
('claimkit init'), --data FILE, --set NAME=VALUE, then prompts for what is
still missing when stdin is a terminal. The draft goes to stdout; prompts,
the preview and warnings go to stderr.""",
    "epilog": """\b
Examples:
  claimkit draft                                  # pick a scenario, answer prompts
  claimkit draft apology --example                # try it with example values
  claimkit draft apology --data case.yaml --no-input --format eml | msmtp -t
  claimkit draft phone-handoff --step call-script --lang en --set customer_name="Alex Morgan"
  claimkit draft threat --data case.json --format json | jq -r .body""",
    "no_args_is_help": False,
}


def draft(
    scenario: Annotated[
        str | None,
        typer.Argument(
            help="Scenario id (see 'claimkit list'); on a terminal, leave it out to choose.",
            autocompletion=complete_scenario,
            show_default=False,
        ),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option(
            "--step",
            "-s",
            help="Step to draft [default: the first with a message].",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            "-d",
            metavar="FILE",
            help="Variables from a YAML or JSON file ('-' reads stdin).",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set", metavar="NAME=VALUE", help="Set one variable; repeatable.", show_default=False
        ),
    ] = None,
    example: Annotated[
        bool, typer.Option("--example", help="Fill what is not given with example values.")
    ] = False,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never prompt; fail (exit 2) naming what is missing."),
    ] = False,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help="text: the body only [default]; json: everything; eml: a mail message; "
            "jsonl: one JSON object per case (--batch) [default with --batch].",
        ),
    ] = None,
    charset: Annotated[
        Charset, typer.Option("--charset", case_sensitive=False, help="Charset of --format eml.")
    ] = Charset.utf8,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE",
            help="Write to FILE instead of stdout.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Let --out replace a file.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No preview or notes on stderr.")
    ] = False,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Do not check the draft (see 'claimkit check').")
    ] = False,
    playbooks: PlaybooksOption = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch",
            metavar="FILE",
            help="Draft every case of a JSON Lines or CSV file ('-' reads stdin).",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    input_format: Annotated[
        InputFormat | None,
        typer.Option(
            "--input-format",
            case_sensitive=False,
            show_default=False,
            help="Format of --batch [default: detected from the file].",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            metavar="DIR",
            show_default=False,
            file_okay=False,
            help="With --batch: one file per case in DIR.",
        ),
    ] = None,
    name: Annotated[
        str,
        typer.Option(
            "--name",
            metavar="TEMPLATE",
            help="File names in --out-dir: {row} {scenario} {step} {lang} {ext} or a variable.",
        ),
    ] = DEFAULT_NAME,
    fail_fast: Annotated[
        bool, typer.Option("--fail-fast", help="With --batch: stop at the first failed case.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=64,
            show_default=False,
            help="With --batch: worker processes [default: one per CPU, up to 8]; "
            "1 drafts every case in this process.",
        ),
    ] = None,
) -> None:
    from claimkit.errors import InputError

    # What a single draft and a batch both take, as typer parsed it.
    options: dict[str, Any] = {
        "scenario": scenario,
        "step": step,
        "lang": lang,
        "data": data,
        "assignments": assignments,
        "example": example,
        "no_input": no_input,
        "fmt": fmt,
        "charset": charset,
        "out": out,
        "force": force,
        "quiet": quiet,
        "no_check": no_check,
        "playbooks": playbooks,
    }
    if batch is not None:
        status = draft_batch(
            batch=batch,
            input_format=input_format,
            out_dir=out_dir,
            name=name,
            fail_fast=fail_fast,
            jobs=jobs,
            **options,
        )
        if status:
            raise typer.Exit(status)
        return
    if out_dir is not None or fail_fast or input_format is not None or jobs is not None:
        raise InputError("--out-dir, --input-format, --fail-fast and --jobs go with --batch FILE")
    draft_one(**options)
