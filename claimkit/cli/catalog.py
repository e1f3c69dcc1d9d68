"""claimkit list / show / validate: what the playbooks hold, and whether they are sound."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claimkit.cli.flags import LangOption, PlaybooksOption
from claimkit.cli.setup import complete_scenario, setup


class ListFormat(StrEnum):
    table = "table"
    json = "json"


LIST: dict[str, Any] = {
    "help": "List the scenarios: id, title and where each comes from.",
    "epilog": """\b
Examples:
  claimkit list
  claimkit list --format json | jq -r '.[].id'
  claimkit list --playbooks ./team-content""",
}


def list_scenarios(
    fmt: Annotated[
        ListFormat,
        typer.Option(
            "--format", "-f", case_sensitive=False, help="table (tab-separated in a pipe) or json."
        ),
    ] = ListFormat.table,
    lang: LangOption = None,
    playbooks: PlaybooksOption = None,
) -> None:
    from claimkit.content.outline import listing

    env = setup(playbooks, lang.value if lang else None)
    rows = listing(env.catalog, env.lang)
    streams = env.streams
    if fmt is ListFormat.json:
        streams.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif streams.stdout_tty:
        from rich.table import Table

        from claimkit.content.outline import words

        w = words(env.lang)
        table = Table(box=None, header_style="bold", pad_edge=False)
        for col in w["columns"]:
            table.add_column(col)
        for r in rows:
            table.add_row(r["id"], r["title"], str(len(r["steps"])), w["origins"][r["origin"]])
        streams.out_console().print(table)
    else:
        streams.write_text("".join(f"{r['id']}\t{r['title']}\t{r['origin']}\n" for r in rows))


SHOW: dict[str, Any] = {
    "help": "Show a scenario's steps as a checklist, with deadlines, limits, "
    "variables and guidance.",
    "epilog": """\b
Examples:
  claimkit show threat
  claimkit show apology --lang en
  claimkit show product-defect --format json | jq '.steps[].id'""",
}


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


def show(
    scenario: Annotated[str, typer.Argument(help="Scenario id.", autocompletion=complete_scenario)],
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", case_sensitive=False, help="text or json.")
    ] = ShowFormat.text,
    lang: LangOption = None,
    playbooks: PlaybooksOption = None,
) -> None:
    from claimkit.content.outline import STYLES, as_json, checklist, wrapped

    env = setup(playbooks, lang.value if lang else None)
    playbook = env.catalog.load(scenario)
    lang_ = env.lang if env.lang in playbook.languages else playbook.languages[0]
    streams = env.streams
    if fmt is ShowFormat.json:
        streams.write_text(
            json.dumps(as_json(playbook, lang_), ensure_ascii=False, indent=2) + "\n"
        )
        return
    lines = checklist(playbook, lang_)
    if streams.stdout_tty:
        from rich.text import Text

        console = streams.out_console()
        for style, text in wrapped(lines, lang_, console.width):
            console.print(Text(text, style=STYLES.get(style, "")), overflow="ignore", crop=False)
    else:
        streams.write_text("".join(text + "\n" for _, text in lines))


VALIDATE: dict[str, Any] = {
    "help": "Check playbooks and templates: schema, templates found and parsed, every "
    "variable declared, every step drafted with its examples. Exit 1 when there are problems.",
    "epilog": """\b
Examples:
  claimkit validate                  # everything claimkit sees
  claimkit validate ./team-content   # one team folder, before you push it""",
}


def validate(
    folder: Annotated[
        Path | None,
        typer.Argument(
            metavar="[DIR]",
            help="A content folder (playbooks/, templates/) [default: all content in use].",
            show_default=False,
        ),
    ] = None,
    playbooks: PlaybooksOption = None,
) -> int:
    from datetime import date

    from claimkit.content.validate import Problem
    from claimkit.content.validate import validate as run
    from claimkit.errors import ExitStatus
    from claimkit.paths import content_roots

    env = setup(playbooks, None)
    roots = list(env.catalog.roots)
    if folder is not None:
        team = content_roots([folder], env.streams.environ)[0]
        roots = [team] + [r for r in roots if r.path != team.path]
        targets = [team]
    else:
        targets = roots
    problems: list[Problem] = []
    counts = [0, 0]
    for target in targets:
        report = run(roots, target, date.today())
        problems += report.problems
        counts[0] += report.playbooks
        counts[1] += report.templates
    env.streams.write_text("".join(f"{p}\n" for p in problems))
    summary = f"{counts[0]} playbooks, {counts[1]} templates checked: "
    env.streams.note(
        "claimkit: " + summary + (f"{len(problems)} problems" if problems else "all good")
    )
    if problems:
        return ExitStatus.FINDINGS
    return ExitStatus.OK
