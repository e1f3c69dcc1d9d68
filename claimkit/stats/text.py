"""The report as tables with words, in Japanese or English, and as plain aligned text.

``tables(report, lang)`` is what the terminal shows, as data: titles, headers,
rows of text and a bar per row. ``plain(...)`` lays it out for a pipe or a file
(no escape codes; widths counted in terminal cells, a kanji being two); the
CLI draws the same tables with rich on a terminal. The HTML page uses the same
words (``words``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from claimkit.stats.report import Durations, Report

WIDTH = 80
LIST_ROWS = 10  # rows of a list (late promises, overdue...) on a terminal; JSON has them all
BAR_CELLS = (10, 30)  # the fewest and most cells a bar takes
SYMBOLS = "#=+*%@o~"  # a bar's series in plain text, in legend order
# A bar's series in colour (the terminal, the HTML page): Okabe and Ito's palette,
# told apart with any kind of colour vision; grey last.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
# On target, late, no target (and kept, not kept).
STATUS = ("#009E73", "#D55E00", "#999999")

WORDS: dict[str, dict[str, str]] = {
    "ja": {
        "title": "苦情対応の集計",
        "period": "期間 {since}〜{until}（{zone}）　基準時刻 {as_of}",
        "scenario": "シナリオ {scenario}",
        "agent": "担当 {agent}",
        "summary": "概要",
        "figure": "項目",
        "value": "値",
        "opened": "受け付けた案件",
        "reply_median": "一次返信まで（中央値）",
        "reply_p90": "一次返信まで（90%の案件）",
        "reply_target": "目標時間内の一次返信",
        "promises_kept": "約束した時刻どおりの連絡",
        "resolution_median": "解決まで（中央値）",
        "resolution_p90": "解決まで（90%の案件）",
        "open": "対応中の案件",
        "overdue": "うち期限切れ",
        "threats": "脅しのあった案件",
        "clock_and_work": "{clock}（営業時間で{work}）",
        "share": "{share}（{total}件中{part}件）",
        "threat_summary": "{cases}件　{exchanges}往復・{minutes}分　上限に達したもの{limit}件",
        "none": "なし",
        "count": "{n}件",
        "by_week": "週ごとの受付件数",
        "by_month": "月ごとの受付件数",
        "week": "週（月曜）",
        "month": "月",
        "cases": "件数",
        "by_scenario": "シナリオ別の受付件数",
        "scenario_col": "シナリオ",
        "share_col": "割合",
        "reply_histogram": "一次返信までの時間（営業時間）と目標",
        "time": "時間",
        "within": "目標内",
        "late": "遅れ",
        "no_target": "目標なし",
        "up_to": "{t}以内",
        "over": "{t}超",
        "late_promises": "守れなかった約束",
        "no_late_promises": "期限を過ぎた約束はありません。",
        "case": "案件",
        "agent_col": "担当",
        "step": "手順",
        "due": "期限",
        "done": "実施",
        "not_done": "未実施",
        "late_by": "遅れ",
        "overdue_cases": "期限切れの案件",
        "no_overdue": "期限切れの案件はありません。",
        "overdue_by": "超過",
        "threat_cases": "脅しのあった案件（上限: {exchanges}往復・{minutes}分）",
        "no_threats": "この期間に脅しのあった案件はありません。",
        "received": "受付",
        "exchanges": "往復",
        "minutes": "分",
        "limit": "上限",
        "limit_mark": "上限",
        "agents": "担当者別",
        "opened_col": "受付",
        "open_col": "対応中",
        "overdue_col": "期限切れ",
        "steps_col": "済んだ手順",
        "more": "ほか{n}件（すべては --format json で）",
        "legend": "凡例",
        "kept": "守れた",
        "not_kept": "守れなかった",
    },
    "en": {
        "title": "Complaint handling in figures",
        "period": "{since} to {until} ({zone}), as of {as_of}",
        "scenario": "scenario {scenario}",
        "agent": "agent {agent}",
        "summary": "Summary",
        "figure": "Figure",
        "value": "Value",
        "opened": "Cases opened",
        "reply_median": "First reply, median",
        "reply_p90": "First reply, 90% of cases",
        "reply_target": "First replies on target",
        "promises_kept": "Promised contacts on time",
        "resolution_median": "Resolution, median",
        "resolution_p90": "Resolution, 90% of cases",
        "open": "Open now",
        "overdue": "Overdue now",
        "threats": "Threat cases",
        "clock_and_work": "{clock} ({work} working)",
        "share": "{share} ({part} of {total})",
        "threat_summary": "{cases}: {exchanges} round trips, {minutes} min; {limit} at a limit",
        "none": "none",
        "count": "{n}",
        "by_week": "Cases opened per week",
        "by_month": "Cases opened per month",
        "week": "Week of",
        "month": "Month",
        "cases": "Cases",
        "by_scenario": "Cases opened by scenario",
        "scenario_col": "Scenario",
        "share_col": "Share",
        "reply_histogram": "Time to first reply (working time) against its target",
        "time": "Time",
        "within": "On target",
        "late": "Late",
        "no_target": "No target",
        "up_to": "up to {t}",
        "over": "over {t}",
        "late_promises": "Promises not kept on time",
        "no_late_promises": "Every promise that came due was kept on time.",
        "case": "Case",
        "agent_col": "Agent",
        "step": "Step",
        "due": "Due",
        "done": "Done",
        "not_done": "not done",
        "late_by": "Late by",
        "overdue_cases": "Overdue cases",
        "no_overdue": "No case is overdue.",
        "overdue_by": "Overdue by",
        "threat_cases": "Threat cases (limits: {exchanges} round trips, {minutes} minutes)",
        "no_threats": "No threat case in this period.",
        "received": "Received",
        "exchanges": "Trips",
        "minutes": "Min",
        "limit": "Limit",
        "limit_mark": "reached",
        "agents": "By agent",
        "opened_col": "Opened",
        "open_col": "Open",
        "overdue_col": "Overdue",
        "steps_col": "Steps done",
        "more": "{n} more (all of them with --format json)",
        "legend": "Key",
        "kept": "kept",
        "not_kept": "not kept",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS["ja" if lang == "ja" else "en"]


class Bar(NamedTuple):
    parts: tuple[tuple[int, float], ...]  # (series, value), stacked left to right


class Table(NamedTuple):
    title: str
    headers: list[str]
    align: str  # "l" or "r" per column
    rows: list[list[str]]
    bars: list[Bar]  # one per row, or none
    series: list[str]  # what each series of the bars is, for the legend
    note: str | None = None  # below the table: rows left out, or why it is empty
    colors: tuple[str, ...] = PALETTE  # each series' colour


# -- words for numbers and times --------------------------------------------------


def duration(seconds: float | None, lang: str) -> str:
    """``1時間30分`` / ``1h 30m``: to the minute (seconds under one), days past 24 hours."""
    if seconds is None:
        return "-"
    ja = lang == "ja"
    s = round(seconds)
    if s < 60:
        return f"{s}秒" if ja else f"{s}s"
    # To the minute; from a day on, to the hour.
    m = round(seconds / 60) if seconds < 86400 else round(seconds / 3600) * 60
    days, rest = divmod(m, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if ja:
        units = ((days, "日"), (hours, "時間"), (minutes, "分"))
    else:
        units = ((days, "d"), (hours, "h"), (minutes, "m"))
    shown = [(n, u) for n, u in units if n]
    return ("" if ja else " ").join(f"{n}{u}" for n, u in shown) or ("0分" if ja else "0m")


def share(part: int, total: int, lang: str) -> str:
    if not total:
        return words(lang)["none"]
    return words(lang)["share"].format(share=f"{part / total:.0%}", part=part, total=total)


def when(at: datetime | None, lang: str) -> str:
    """A local time in a table: the header gives the year."""
    if at is None:
        return words(lang)["not_done"]
    return at.strftime("%m/%d %H:%M")


# -- the tables -------------------------------------------------------------------


def header(report: Report, lang: str) -> list[str]:
    w = words(lang)
    win = report.window
    lines = [
        w["title"],
        w["period"].format(
            since=win.since,
            until=win.until,
            zone=win.zone,
            as_of=win.as_of.strftime("%Y-%m-%d %H:%M"),
        ),
    ]
    filters = [
        w[k].format(**{k: v})
        for k, v in (("scenario", report.scenario), ("agent", report.agent))
        if v
    ]
    if filters:
        lines.append("　".join(filters) if lang == "ja" else ", ".join(filters))
    return lines


def tables(report: Report, lang: str) -> list[Table]:
    return [
        _summary(report, lang),
        _volume(report, lang),
        _scenarios(report, lang),
        _histogram(report, lang),
        _late_promises(report, lang),
        _overdue(report, lang),
        _threats(report, lang),
        _agents(report, lang),
    ]


def _summary(report: Report, lang: str) -> Table:
    w = words(lang)
    reply, res = report.first_reply, report.resolution

    def both(d: Durations, p: str) -> str:
        clock = getattr(d, f"{p}_seconds")
        if clock is None:
            return w["none"]
        return w["clock_and_work"].format(
            clock=duration(clock, lang), work=duration(getattr(d, f"{p}_business_seconds"), lang)
        )

    t = report.threats
    rows = [
        [w["opened"], w["count"].format(n=report.opened.total)],
        [w["reply_median"], both(reply.times, "median")],
        [w["reply_p90"], both(reply.times, "p90")],
        [w["reply_target"], share(reply.within_target, reply.with_target, lang)],
        [w["promises_kept"], share(report.promises.kept, report.promises.due, lang)],
        [w["resolution_median"], both(res, "median")],
        [w["resolution_p90"], both(res, "p90")],
        [w["open"], w["count"].format(n=report.open_now.open)],
        [w["overdue"], w["count"].format(n=report.open_now.overdue)],
        [
            w["threats"],
            w["threat_summary"].format(
                cases=t.total,
                exchanges=t.exchanges,
                minutes=t.minutes,
                limit=t.reached_limit,
            )
            if t.total
            else w["none"],
        ],
    ]
    return Table(w["summary"], [w["figure"], w["value"]], "ll", rows, [], [])


def _volume(report: Report, lang: str) -> Table:
    w = words(lang)
    weekly = report.opened.by == "week"
    series = list(report.opened.by_scenario)
    rows, bars = [], []
    for p in report.opened.periods:
        rows.append([p.start.isoformat() if weekly else p.start.strftime("%Y-%m"), str(p.total)])
        bars.append(Bar(tuple((series.index(s), float(n)) for s, n in p.counts.items())))
    return Table(
        w["by_week" if weekly else "by_month"],
        [w["week" if weekly else "month"], w["cases"]],
        "lr",
        rows,
        bars,
        series if len(series) > 1 else [],
    )


def _scenarios(report: Report, lang: str) -> Table:
    w = words(lang)
    total = report.opened.total
    items = list(report.opened.by_scenario.items())
    return Table(
        w["by_scenario"],
        [w["scenario_col"], w["cases"], w["share_col"]],
        "lrr",
        [[s, str(n), f"{n / total:.0%}"] for s, n in items],
        [Bar(((0, float(n)),)) for _, n in items],
        [],
        None if items else w["none"],
    )


def _histogram(report: Report, lang: str) -> Table:
    w = words(lang)
    rows, bars = [], []
    previous: int | None = None
    for bar in report.first_reply.histogram:
        if bar.up_to_seconds is None:
            label = w["over"].format(t=duration(previous, lang))
        else:
            label = w["up_to"].format(t=duration(bar.up_to_seconds, lang))
            previous = bar.up_to_seconds
        rows.append([label, str(bar.within_target), str(bar.late), str(bar.no_target)])
        bars.append(Bar(((0, bar.within_target), (1, bar.late), (2, bar.no_target))))
    return Table(
        w["reply_histogram"],
        [w["time"], w["within"], w["late"], w["no_target"]],
        "lrrr",
        rows,
        bars,
        [w["within"], w["late"], w["no_target"]],
        colors=STATUS,
    )


def _more(items: Sequence[object], lang: str) -> str | None:
    """The note under a list cut to LIST_ROWS rows (a team's log may have thousands)."""
    left = len(items) - LIST_ROWS
    return words(lang)["more"].format(n=left) if left > 0 else None


def _late_promises(report: Report, lang: str) -> Table:
    w = words(lang)
    rows = [
        [
            p.case_id,
            p.agent,
            p.step,
            when(p.due_at, lang),
            when(p.done_at, lang),
            duration(p.late_seconds, lang),
        ]
        for p in report.promises.late[:LIST_ROWS]
    ]
    note = _more(report.promises.late, lang)
    return Table(
        w["late_promises"],
        [w["case"], w["agent_col"], w["step"], w["due"], w["done"], w["late_by"]],
        "lllllr",
        rows,
        [],
        [],
        note if rows else w["no_late_promises"],
    )


def _overdue(report: Report, lang: str) -> Table:
    w = words(lang)
    rows = [
        [
            c.case_id,
            c.scenario,
            c.agent,
            c.step or "",
            when(c.due_at, lang),
            duration(c.overdue_seconds, lang),
        ]
        for c in report.open_now.cases[:LIST_ROWS]
    ]
    note = _more(report.open_now.cases, lang)
    return Table(
        w["overdue_cases"],
        [w["case"], w["scenario_col"], w["agent_col"], w["step"], w["due"], w["overdue_by"]],
        "lllllr",
        rows,
        [],
        [],
        note if rows else w["no_overdue"],
    )


def _threats(report: Report, lang: str) -> Table:
    w = words(lang)
    rows = [
        [
            t.case_id,
            t.agent,
            when(t.opened_at, lang),
            str(t.exchanges),
            str(t.minutes),
            w["limit_mark"] if t.reached_limit else "",
        ]
        for t in report.threats.cases[:LIST_ROWS]
    ]
    note = _more(report.threats.cases, lang)
    return Table(
        w["threat_cases"].format(
            exchanges=_or_dash(report.threats.limits.exchanges),
            minutes=_or_dash(report.threats.limits.minutes),
        ),
        [w["case"], w["agent_col"], w["received"], w["exchanges"], w["minutes"], w["limit"]],
        "lllrrl",
        rows,
        [],
        [],
        note if rows else w["no_threats"],
    )


def _agents(report: Report, lang: str) -> Table:
    w = words(lang)
    return Table(
        w["agents"],
        [w["agent_col"], w["opened_col"], w["open_col"], w["overdue_col"], w["steps_col"]],
        "lrrrr",
        [
            [a.agent, str(a.opened), str(a.open), str(a.overdue), str(a.steps_done)]
            for a in report.agents
        ],
        [Bar(((0, float(a.opened)),)) for a in report.agents],
        [],
        None if report.agents else w["none"],
    )


# -- plain text -----------------------------------------------------------------------


def cells(text: str) -> int:
    """The terminal cells ``text`` takes: two for a wide (kanji, kana) character."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return n


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, with an ellipsis when cut."""
    if cells(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        w = cells(ch)
        if used + w > width - 1:
            break
        out += ch
        used += w
    return out + "…"


def pad(text: str, width: int, align: str) -> str:
    room = " " * max(0, width - cells(text))
    return room + text if align == "r" else text + room


def bar_cells(
    parts: tuple[tuple[int, float], ...], top: float, width: int
) -> list[tuple[int, int]]:
    """``(series, cells)`` of a bar scaled so that ``top`` fills ``width``; rounding the
    running total keeps the stacked parts adding up to the whole bar's length."""
    out: list[tuple[int, int]] = []
    if top <= 0:
        return out
    done = total = 0.0
    for series, value in parts:
        total += value
        end = round(total / top * width)
        if end > done:
            out.append((series, int(end - done)))
            done = end
    return out


def column_widths(table: Table, width: int) -> list[int]:
    """Each column's width, the widest text column clipped so the table fits ``width``."""
    widths = [
        max([cells(h) for h in [table.headers[i]]] + [cells(r[i]) for r in table.rows])
        for i in range(len(table.headers))
    ]
    room = width - 2 * (len(widths) - 1) - (BAR_CELLS[0] + 2 if table.bars else 0)
    while sum(widths) > room:
        widest = max(
            (i for i in range(len(widths)) if table.align[i] == "l"), key=lambda i: widths[i]
        )
        if widths[widest] <= 6:
            break
        widths[widest] -= 1
    return widths


def plain(report: Report, lang: str, width: int = WIDTH) -> str:
    """The report as aligned text, ``width`` cells wide at most, without escape codes."""
    out = [*header(report, lang), ""]
    for table in tables(report, lang):
        out.append(f"【{table.title}】" if lang == "ja" else f"== {table.title}")
        if table.rows:
            out += _plain_rows(table, width)
        if table.series:
            out.append(
                "  ".join(f"{SYMBOLS[i % len(SYMBOLS)]} {s}" for i, s in enumerate(table.series))
            )
        if table.note:
            out.append(table.note)
        out.append("")
    return "\n".join(line.rstrip() for line in out).rstrip("\n") + "\n"


def _plain_rows(table: Table, width: int) -> list[str]:
    widths = column_widths(table, width)
    used = sum(widths) + 2 * (len(widths) - 1)
    bar_width = max(BAR_CELLS[0], min(BAR_CELLS[1], width - used - 2))
    top = max((sum(v for _, v in b.parts) for b in table.bars), default=0.0)
    lines = []
    for n, row in enumerate([table.headers, *table.rows]):
        text = "  ".join(
            pad(clip(cell, widths[i]), widths[i], table.align[i]) for i, cell in enumerate(row)
        )
        if table.bars and n > 0:
            parts = bar_cells(table.bars[n - 1].parts, top, bar_width)
            text += "  " + "".join(SYMBOLS[s % len(SYMBOLS)] * k for s, k in parts)
        lines.append(text)
    return lines


def _or_dash(limit: int | None) -> str:
    return "-" if limit is None else str(limit)
