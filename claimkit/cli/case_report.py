"""claimkit case list / show / export / purge: what the log holds, for people and scripts.

On a terminal a list is a table (rich, on stdout, customer text never read as
markup); into a pipe it is tab-separated lines, or JSON or CSV when asked.
"""

from __future__ import annotations

import json
from typing import Any

from claimkit.cli.case_desk import desk, moment
from claimkit.errors import ExitStatus, InputError


def list_command(**o: Any) -> int:
    from claimkit.cases import views

    with desk(o) as (env, d):
        as_of = moment(o["as_of"], "--as-of", d) or d.now
        cases = d.log.list_cases(
            status="open" if o["open"] else None,
            overdue_as_of=as_of if o["overdue"] else None,
            agent=d.agent if o["mine"] else None,
            scenario=o["scenario"],
        )
    streams = env.streams
    if o["fmt"] == "json":
        records = [views.record(c, as_of) for c in cases]
        streams.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif o["fmt"] == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(views.CSV_COLUMNS)
        writer.writerows(views.csv_row(c, d.calendar, as_of) for c in cases)
        streams.write_text(buffer.getvalue())
    elif streams.stdout_tty:
        from rich.table import Table
        from rich.text import Text

        from claimkit.cli.console import visible

        table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1))
        for n, column in enumerate(views.words(env.lang)["table"]):
            # the id and the due time never break: they are read out and compared
            table.add_column(column, no_wrap=n in (0, 4), overflow="fold")
        for c in cases:
            cells = [Text(visible(x)) for x in views.table_row(c, env.lang, d.calendar, as_of)]
            if c.overdue(as_of):
                cells[4].stylize("bold red")
            table.add_row(*cells)
        console = streams.out_console()
        console.print(table)
        if not cases:
            console.print("該当する案件はありません" if env.lang == "ja" else "no cases")
    else:
        lines = ("\t".join(views.row(c, env.lang, d.calendar, as_of)) for c in cases)
        streams.write_text("".join(line + "\n" for line in lines))
    return ExitStatus.OK


def show_command(**o: Any) -> int:
    from claimkit.cases import views
    from claimkit.errors import ClaimkitError

    with desk(o) as (env, d):
        view = d.log.show(o["case_id"])
    try:
        playbook = env.catalog.load(view.case.scenario)
    except ClaimkitError:
        playbook = None  # a scenario since removed: the timeline is still the case's
    if o["fmt"] == "json":
        record = views.show_record(view, playbook, d.now)
        env.streams.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    else:
        lines = views.show_lines(view, playbook, env.lang, d.calendar, d.now)
        env.streams.write_text("".join(line + "\n" for line in lines))
    return ExitStatus.OK


def export_command(**o: Any) -> int:
    with desk(o) as (env, d):
        for record in d.log.export():
            env.streams.write_text(json.dumps(record, ensure_ascii=False) + "\n")
    return ExitStatus.OK


def purge_command(**o: Any) -> int:
    if not o["closed_before"]:
        raise InputError("give the date: claimkit case purge --closed-before 2025-04-01")
    from claimkit.values.dates import parse_date

    with desk(o) as (env, d):
        try:
            day = parse_date(o["closed_before"], d.today, d.calendar)
        except ValueError as e:
            raise InputError(f"--closed-before {o['closed_before']!r}: {e}") from None
        count = d.log.purge_closed_before(day)
        where = d.log.where
    said = (
        f"{day.isoformat()}より前に終了した{count}件を削除しました（{where}）"
        if env.lang == "ja"
        else f"deleted {count} cases closed before {day.isoformat()} from {where}"
    )
    env.streams.note(f"claimkit: {said}")
    return ExitStatus.OK
