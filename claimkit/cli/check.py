"""claimkit check: lint a reply (drafted or hand-written) before it is sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claimkit.cli.console import Streams
from claimkit.errors import InputError

if TYPE_CHECKING:
    from claimkit.check.engine import Finding
from claimkit.cli.flags import LangOption, PlaybooksOption
from claimkit.cli.setup import complete_scenario, setup

COMMAND: dict[str, Any] = {
    "help": """Check a reply for what complaint handling warns against: no apology, excuses,
blaming the customer, promises made too early, pressure on a customer who
threatens, missing next step, unfilled blanks, long sentences, keigo errors.

Findings are printed as FILE:LINE:COL: severity: message [rule-id]. Exit 0
when none reaches --fail-on, 1 when one does, 2 on a usage or input error.

--fix prints the reply with the right form put where a finding has exactly one
(double keigo, 了解, a wrong weekday), and what is left on stderr; --in-place
rewrites the files instead. Quoted lines (>) are never changed.""",
    "epilog": """\b
Examples:
  claimkit check reply.txt
  claimkit draft apology --example --lang ja | claimkit check --scenario apology
  claimkit check --format json --fail-on error replies/*.txt
  claimkit check --rules team-rules --disable jargon reply.txt
  claimkit check --fix reply.txt > fixed.txt
  claimkit check --today 2026-11-23 --in-place replies/*.txt""",
}


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILE|-]...", help="Replies to check [default: stdin].", show_default=False
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            help="The scenario the reply answers (turns on its rules).",
            autocompletion=complete_scenario,
            show_default=False,
        ),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option(
            "--step",
            help="The step of the scenario [default: its first message].",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", case_sensitive=False, help="text or json.")
    ] = CheckFormat.text,
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules", metavar="DIR", help="A folder of rule packs; repeatable.", show_default=False
        ),
    ] = None,
    disable: Annotated[
        list[str] | None,
        typer.Option(
            "--disable", metavar="RULE", help="Turn a rule off; repeatable.", show_default=False
        ),
    ] = None,
    fail_on: Annotated[
        Severity,
        typer.Option(
            "--fail-on", case_sensitive=False, help="Exit 1 when a finding is at least this severe."
        ),
    ] = Severity.warning,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            metavar="DATE",
            help="The date promised dates are read against, as 2026-11-23 [default: today].",
            show_default=False,
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Print the reply with the right forms put in.")
    ] = False,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="With --fix: rewrite the files instead.")
    ] = False,
    playbooks: PlaybooksOption = None,
) -> int:
    from claimkit.check.checker import context_for
    from claimkit.check.engine import Context
    from claimkit.check.report import FileReport, failing, line, summary, to_json
    from claimkit.check.text import detect_lang
    from claimkit.errors import ExitStatus
    from claimkit.files import MiB, read_text

    env = setup(playbooks, lang.value if lang else None)
    checker = env.checker(rules or [], disable or [])
    if scenario is None and step is not None:
        raise InputError("--step needs --scenario")
    when = _reference_date(today)
    context = (
        context_for(env.catalog.load(scenario), step, when) if scenario else Context(today=when)
    )
    paths = files or [Path("-")]
    if fix or in_place:
        from claimkit.cli.fixing import run_fix

        return run_fix(env, checker, context, paths, lang, in_place, fmt.value, fail_on)
    reports = []
    for path in paths:
        name = "<stdin>" if str(path) == "-" else str(path)
        text = read_text(path, limit=10 * MiB)
        text_lang = lang.value if lang else detect_lang(text)
        found = checker.check(text, text_lang, context)
        reports.append(FileReport(name, text_lang, context.scenario, context.step, tuple(found)))
        if fmt is CheckFormat.text:
            show = _highlighter(env.streams, text) if env.streams.stdout_tty else None
            for f in found:
                env.streams.write_text(line(name, f) + "\n")
                if show:
                    show(f)
    if fmt is CheckFormat.json:
        env.streams.write_text(to_json(reports))
    env.streams.note(f"claimkit: {summary(reports)}")
    if failing([f for r in reports for f in r.findings], fail_on.value):
        return ExitStatus.FINDINGS
    return ExitStatus.OK


def _reference_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--today: {text!r} is not a date; write it as 2026-11-23") from None


def _highlighter(streams: Streams, text: str) -> Callable[[Finding], None]:
    """On a terminal: the line of each finding, its words highlighted."""
    from rich.text import Text

    console = streams.out_console()
    lines = text.split("\n")

    def show(f: Finding) -> None:
        source = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        shown = Text("    " + source, style="dim")
        end = f.end_column - 1 if f.end_line == f.line else len(source)
        shown.stylize("bold red underline", 4 + f.column - 1, 4 + max(end, f.column))
        console.print(shown)

    return show
