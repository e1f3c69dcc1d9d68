"""claimkit stats on a terminal: the report's tables drawn with rich, bars in colour.

The tables and their words are claimkit.stats.text's, the same the plain text
shows in a pipe; here a bar is coloured cells (blank cells on a background
colour take one cell in every terminal, where block characters are ambiguous
in width in a Japanese one), or the plain text's symbols with NO_COLOR.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimkit.stats.text import (
    BAR_CELLS,
    SYMBOLS,
    Bar,
    Table,
    bar_cells,
    column_widths,
    header,
    tables,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from claimkit.stats.report import Report


def show(report: Report, lang: str, console: Console) -> None:
    from rich.text import Text

    for n, line in enumerate(header(report, lang)):
        console.print(Text(line, style="bold" if n == 0 else ""))
    for table in tables(report, lang):
        console.print()
        _table(table, console)


def _table(table: Table, console: Console) -> None:
    from rich import box
    from rich.table import Table as Grid
    from rich.text import Text

    width = min(console.width, 100)
    color = not console.no_color and console.color_system is not None
    grid = Grid(
        title=Text(table.title, style="bold"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        header_style="bold",
    )
    widths = column_widths(table, width)
    for head, align, cells in zip(table.headers, table.align, widths, strict=True):
        grid.add_column(
            head, justify="right" if align == "r" else "left", max_width=cells, no_wrap=True
        )
    used = sum(widths) + 2 * len(widths)
    bar_width = max(BAR_CELLS[0], min(BAR_CELLS[1], width - used - 2))
    top = max((sum(v for _, v in b.parts) for b in table.bars), default=0.0)
    if table.bars:
        grid.add_column("", no_wrap=True, width=bar_width)
    for n, row in enumerate(table.rows):
        texts: list[Text | str] = list(row)
        if table.bars:
            texts.append(_bar(table.bars[n], table, top, bar_width, color))
        grid.add_row(*texts)
    if table.rows:
        console.print(grid)
    else:
        console.print(Text(table.title, style="bold"))
    if table.series:
        legend = Text()
        for i, name in enumerate(table.series):
            legend.append_text(_bar(Bar(((i, 1.0),)), table, 1.0, 2 if color else 1, color))
            legend.append(f" {name}  ")
        console.print(legend)
    if table.note:
        console.print(Text(table.note, style="dim"))


def _bar(bar: Bar, table: Table, top: float, width: int, color: bool) -> Text:
    from rich.text import Text

    text = Text()
    for series, cells in bar_cells(bar.parts, top, width):
        if color:
            text.append(" " * cells, style=f"on {table.colors[series % len(table.colors)]}")
        else:
            text.append(SYMBOLS[series % len(SYMBOLS)] * cells)
    return text
