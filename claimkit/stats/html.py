"""The report as one HTML page that works offline: a mail attachment a manager opens.

Everything is in the file: the styles, the charts as inline SVG (claimkit.stats.svg),
the tables. It loads nothing: no script at all, no font, no image file, and a
Content-Security-Policy that lets the browser load nothing else even if a
value slipped something in. Every value from the log is escaped. The words are
claimkit.stats.text's, in the language asked for.
"""

from __future__ import annotations

from html import escape

from claimkit import __version__
from claimkit.stats import svg
from claimkit.stats.report import Report
from claimkit.stats.text import (
    PALETTE,
    STATUS,
    Table,
    duration,
    header,
    tables,
    words,
)

OVERDUE_BARS = 15  # the longest overdue cases charted; the table below lists them too

# Nothing may be fetched: no default source; styles only from this file.
POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Hiragino Sans", "Hiragino Kaku Gothic ProN",
  "Noto Sans CJK JP", "Yu Gothic", Meiryo, sans-serif; font-size: 14px; color: #222;
  background: #fff; margin: 0 auto; padding: 24px; max-width: 780px; line-height: 1.5; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.period { color: #555; margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr));
  gap: 8px; margin: 20px 0 0; }
.cards div { border: 1px solid #e3e3e3; border-radius: 6px; padding: 8px 12px; }
.cards dt { color: #555; font-size: 12px; }
.cards dd { margin: 0; font-size: 16px; font-weight: 600; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 8px 0; }
svg.chart text { font-size: 12px; fill: #333; font-family: inherit; }
svg.chart text.on-bar { fill: #fff; font-weight: 600; }
svg.chart .grid { stroke: #eee; } svg.chart .axis { stroke: #999; }
.legend { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; }
.legend span { display: inline-block; width: 12px; height: 12px; margin-right: 6px;
  vertical-align: -1px; border-radius: 2px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; white-space: nowrap; }
th { color: #555; font-weight: 600; } td.r, th.r { text-align: right; }
.note { color: #666; font-size: 13px; }
footer { margin-top: 40px; color: #888; font-size: 12px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } svg, table { break-inside: avoid; } }
"""


def page(report: Report, lang: str) -> str:
    """The whole page, as text (UTF-8 when written)."""
    w = words(lang)
    summary, volume, _, histogram, late, overdue, threats, agents = tables(report, lang)
    head = header(report, lang)
    body = [
        f"<h1>{escape(head[0])}</h1>",
        *(f'<p class="period">{escape(line)}</p>' for line in head[1:]),
        _cards(summary),
        f"<h2>{escape(volume.title)}</h2>",
        _volume_chart(report, volume),
        _legend(volume.series or list(report.opened.by_scenario), PALETTE),
        f"<h2>{escape(histogram.title)}</h2>",
        _histogram_chart(histogram),
        _legend(histogram.series, STATUS),
        f"<h2>{escape(late.title)}</h2>",
        _promises_chart(report, lang),
        _table(late),
        f"<h2>{escape(overdue.title)}</h2>",
        _overdue_chart(report, lang),
        _table(overdue),
        f"<h2>{escape(threats.title)}</h2>",
        _table(threats),
        f"<h2>{escape(agents.title)}</h2>",
        _table(agents),
        f"<footer>claimkit {escape(__version__)} · {escape(w['title'])}</footer>",
    ]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"ja" if lang == "ja" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(' '.join(head[:2]))}</title>\n<style>{STYLE}</style>\n</head>\n"
        "<body>\n" + "\n".join(part for part in body if part) + "\n</body>\n</html>\n"
    )


def _cards(summary: Table) -> str:
    cards = "".join(
        f"<div><dt>{escape(name)}</dt><dd>{escape(value)}</dd></div>"
        for name, value in summary.rows
    )
    return f'<dl class="cards">{cards}</dl>'


def _legend(names: list[str], colors: tuple[str, ...]) -> str:
    items = "".join(
        f'<li><span style="background:{colors[i % len(colors)]}"></span>{escape(name)}</li>'
        for i, name in enumerate(names)
    )
    return f'<ul class="legend">{items}</ul>' if items else ""


def _table(table: Table) -> str:
    if not table.rows:
        return f'<p class="note">{escape(table.note or "")}</p>'
    cls = ['class="r"' if a == "r" else "" for a in table.align]
    head = "".join(f"<th {c}>{escape(h)}</th>" for c, h in zip(cls, table.headers, strict=True))
    rows = "".join(
        "<tr>" + "".join(f"<td {c}>{escape(v)}</td>" for c, v in zip(cls, r, strict=True)) + "</tr>"
        for r in table.rows
    )
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}"


def _volume_chart(report: Report, volume: Table) -> str:
    names = list(report.opened.by_scenario)
    values = [[float(p.counts.get(s, 0)) for s in names] for p in report.opened.periods]
    categories = [row[0][5:] if report.opened.by == "week" else row[0] for row in volume.rows]
    return svg.columns(volume.title, categories, values, names, PALETTE)


def _histogram_chart(histogram: Table) -> str:
    values = [[float(n) for n in row[1:]] for row in histogram.rows]
    return svg.columns(
        histogram.title, [row[0] for row in histogram.rows], values, histogram.series, STATUS
    )


def _promises_chart(report: Report, lang: str) -> str:
    w = words(lang)
    p = report.promises
    if not p.due:
        return ""
    parts = [(w["kept"], float(p.kept)), (w["not_kept"], float(p.due - p.kept))]
    return svg.row(w["promises_kept"], parts, STATUS)


def _overdue_chart(report: Report, lang: str) -> str:
    cases = report.open_now.cases[:OVERDUE_BARS]
    if not cases:
        return ""
    items = [
        (f"{c.case_id} {c.step or ''}", float(c.overdue_seconds), duration(c.overdue_seconds, lang))
        for c in cases
    ]
    return svg.bars(words(lang)["overdue_cases"], items, STATUS[1])
