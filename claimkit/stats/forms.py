"""The report for scripts and spreadsheets: JSON, and CSV with one row per figure.

Durations are seconds (a percentile may have a fraction), instants ISO 8601
with the team's UTC offset, dates ISO 8601. docs/stats.md lists every field.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

from claimkit.stats.report import Durations, Report

CSV_COLUMNS = ("figure", "period", "scenario", "agent", "case_id", "step", "at", "value")


def iso(at: datetime | date | None) -> str | None:
    if at is None:
        return None
    return at.isoformat(timespec="seconds") if isinstance(at, datetime) else at.isoformat()


def number(value: float | None) -> int | float | None:
    """A whole number of seconds as an int: 3600, not 3600.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _durations(d: Durations) -> dict[str, Any]:
    return {
        "cases": d.cases,
        "median_seconds": number(d.median_seconds),
        "p90_seconds": number(d.p90_seconds),
        "median_business_seconds": number(d.median_business_seconds),
        "p90_business_seconds": number(d.p90_business_seconds),
    }


def as_json(report: Report) -> dict[str, Any]:
    w = report.window
    reply = report.first_reply
    return {
        "since": iso(w.since),
        "until": iso(w.until),
        "as_of": iso(w.as_of),
        "time_zone": str(w.zone),
        "by": w.by,
        "scenario": report.scenario,
        "agent": report.agent,
        "opened": {
            "total": report.opened.total,
            "by_scenario": report.opened.by_scenario,
            "periods": [
                {"start": iso(p.start), "total": p.total, "by_scenario": p.counts}
                for p in report.opened.periods
            ],
        },
        "first_reply": {
            **_durations(reply.times),
            "with_target": reply.with_target,
            "within_target": reply.within_target,
            "share_within_target": reply.share_within_target,
            "histogram": [bar._asdict() for bar in reply.histogram],
        },
        "resolution": _durations(report.resolution),
        "promises": {
            "due": report.promises.due,
            "kept": report.promises.kept,
            "share_kept": report.promises.share_kept,
            "late": [
                {**p._asdict(), "due_at": iso(p.due_at), "done_at": iso(p.done_at)}
                for p in report.promises.late
            ],
        },
        "open": {
            "open": report.open_now.open,
            "overdue": report.open_now.overdue,
            "overdue_cases": [
                {**c._asdict(), "due_at": iso(c.due_at)} for c in report.open_now.cases
            ],
        },
        "threats": {
            "cases": report.threats.total,
            "exchanges": report.threats.exchanges,
            "minutes": report.threats.minutes,
            "reached_limit": report.threats.reached_limit,
            "exchange_limit": report.threats.limits.exchanges,
            "minute_limit": report.threats.limits.minutes,
            "list": [{**t._asdict(), "opened_at": iso(t.opened_at)} for t in report.threats.cases],
        },
        "agents": [a._asdict() for a in report.agents],
    }


def csv_rows(report: Report) -> list[dict[str, object]]:
    """One dict per row of ``as_csv``, keyed by CSV_COLUMNS (missing keys are empty)."""
    rows: list[dict[str, object]] = []

    def add(figure: str, value: object, **where: object) -> None:
        rows.append({"figure": figure, "value": value, **where})

    scenarios = list(report.opened.by_scenario)
    for p in report.opened.periods:
        period = iso(p.start)
        add("opened_total", p.total, period=period)
        for scenario in scenarios:  # zeros too: a pivot table shows the quiet weeks
            add("opened", p.counts.get(scenario, 0), period=period, scenario=scenario)
    for name, d in (("first_reply", report.first_reply.times), ("resolution", report.resolution)):
        for key, value in _durations(d).items():
            add(f"{name}_{key}", value)
    reply = report.first_reply
    add("first_reply_with_target", reply.with_target)
    add("first_reply_within_target", reply.within_target)
    add("first_reply_share_within_target", reply.share_within_target)
    promises = report.promises
    add("promises_due", promises.due)
    add("promises_kept", promises.kept)
    add("promises_share_kept", promises.share_kept)
    for late in promises.late:
        add(
            "promise_late_seconds",
            late.late_seconds,
            scenario=late.scenario,
            agent=late.agent,
            case_id=late.case_id,
            step=late.step,
            at=iso(late.due_at),
        )
    add("open", report.open_now.open)
    add("overdue", report.open_now.overdue)
    for case in report.open_now.cases:
        add(
            "overdue_seconds",
            case.overdue_seconds,
            scenario=case.scenario,
            agent=case.agent,
            case_id=case.case_id,
            step=case.step,
            at=iso(case.due_at),
        )
    threats = report.threats
    add("threat_cases", threats.total)
    add("threat_exchanges", threats.exchanges)
    add("threat_minutes", threats.minutes)
    add("threat_reached_limit", threats.reached_limit)
    for t in threats.cases:
        for figure, value in (
            ("threat_case_exchanges", t.exchanges),
            ("threat_case_minutes", t.minutes),
        ):
            add(figure, value, agent=t.agent, case_id=t.case_id, at=iso(t.opened_at))
    for a in report.agents:
        for key in ("opened", "open", "overdue", "steps_done"):
            add(f"agent_{key}", getattr(a, key), agent=a.agent)
    return rows


def as_csv(report: Report) -> str:
    """RFC 4180 (CRLF line ends, a header row), which spreadsheets open as they are."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, restval="")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()
