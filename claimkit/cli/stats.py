"""claimkit stats: the case log's figures as a report on stdout, for scripts, or as a page."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claimkit.cli.flags import DatabaseOption, LangOption
from claimkit.cli.setup import complete_scenario, setup

COMMAND: dict[str, Any] = {
    "help": """What the team's complaints say in figures: cases opened per week (or month)
by scenario, time to first reply (median, 90th percentile, share within the
playbook's target), promised contacts kept on time and the late ones, time to
resolution, cases open and overdue now, threat cases with their round trips and
minutes, and cases per agent. Times are counted in clock time and in the
profile's business hours.

A table on a terminal (plain aligned text in a pipe); --format json or csv for
scripts and spreadsheets (docs/stats.md names every field); --html FILE writes
one self-contained page with charts, to send as a mail attachment.""",
    "epilog": """\b
Examples:
  claimkit stats                                  # the last 12 weeks
  claimkit stats --since 2026-10-01 --by month --lang en
  claimkit stats --agent 佐藤 --scenario threat
  claimkit stats --format csv > complaints.csv    # for a spreadsheet
  claimkit stats --format json | jq .first_reply.median_seconds
  claimkit stats --html report.html --force       # the page, rewritten each week
  claimkit stats --database postgresql://me@db.example/claims""",
}


class StatsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Period(StrEnum):
    week = "week"
    month = "month"


def stats(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="The first day counted [default: 12 weeks (6 months) back].",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            help="The last day counted [default: the day of --as-of].",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="TIME",
            help="What 'now' is for open and overdue cases and promises due "
            "(2026-11-27T12:00+09:00; a date alone is its end) [default: now].",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        Period, typer.Option("--by", case_sensitive=False, help="Count cases per week or month.")
    ] = Period.week,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            metavar="ID",
            help="Only this scenario's cases.",
            autocompletion=complete_scenario,
            show_default=False,
        ),
    ] = None,
    agent: Annotated[
        str | None,
        typer.Option(
            "--agent",
            metavar="NAME",
            help="Only cases this agent opened (and the steps they did).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        StatsFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="table, json or csv on stdout [default: table; with --html, nothing].",
            show_default=False,
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            metavar="FILE",
            help="Write the report as one HTML page with charts ('-': stdout).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing --html file.")
    ] = False,
    lang: LangOption = None,
    database: DatabaseOption = None,
) -> None:
    from datetime import UTC, datetime

    from claimkit.cases.store import log_target, open_log
    from claimkit.errors import InputError
    from claimkit.stats.report import build, threat_limits, window
    from claimkit.values.business import calendar_from_profile
    from claimkit.values.dates import parse_date, parse_moment

    if html is not None and str(html) == "-" and fmt is not None:
        raise InputError("--html - writes the page to stdout; leave out --format, or name a file")
    env = setup(None, lang.value if lang else None)
    calendar = calendar_from_profile(env.profile, where=str(env.profile_path))
    streams = env.streams

    def parsed(flag: str, text: str | None, parse: Any) -> Any:
        try:
            return None if text is None else parse(text)
        except ValueError as e:
            raise InputError(f"{flag} {text!r}: {e}") from None

    moment = parsed("--as-of", as_of, lambda t: parse_moment(t, calendar.zone, env.today))
    span = window(
        parsed("--since", since, lambda t: parse_date(t, env.today, calendar)),
        parsed("--until", until, lambda t: parse_date(t, env.today, calendar)),
        moment or datetime.now(UTC).replace(microsecond=0),
        by.value,
        calendar.zone,
    )
    limits = threat_limits(
        env.catalog.load("threat") if "threat" in env.catalog.entries() else None
    )
    with open_log(log_target(database, streams.environ), calendar=calendar) as log:
        report = build(log, span, scenario=scenario, agent=agent, limits=limits)
    if html is not None:
        from claimkit.stats.html import page

        data = page(report, env.lang).encode("utf-8")
        if str(html) == "-":
            streams.write_product(data)
        else:
            from claimkit.files import write_atomic

            write_atomic(html, data, force=force)
            streams.note(f"claimkit: wrote {html}")
        if fmt is None:
            return
    if fmt is StatsFormat.json:
        import json

        from claimkit.stats.forms import as_json

        streams.write_text(json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n")
    elif fmt is StatsFormat.csv:
        from claimkit.stats.forms import as_csv

        streams.write_text(as_csv(report))
    elif streams.stdout_tty:
        from claimkit.cli.statsview import show

        show(report, env.lang, streams.out_console())
    else:
        from claimkit.stats.text import plain

        streams.write_text(plain(report, env.lang))
