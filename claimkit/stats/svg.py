"""Bar charts as inline SVG: stacked columns, a stacked row, and labelled horizontal bars.

Three small functions cover every chart of the report; they write plain SVG
text (rectangles, lines, text, a native <title> tooltip on each bar) that any
browser and mail client shows without a script, a font file or a request.
Text takes the page's fonts. Coordinates are rounded to a tenth of a pixel.
"""

from __future__ import annotations

from html import escape
from math import ceil, log10

WIDTH = 732  # px: the page's column (780 less its padding)


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def nice_top(value: float, ticks: int = 4) -> tuple[int, int]:
    """A round top for an axis of whole counts, and the step between its ticks."""
    if value <= 0:
        return 1, 1
    raw = value / ticks
    magnitude = 10 ** int(log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return ceil(value / step) * step, step


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def columns(
    label: str,
    categories: list[str],
    values: list[list[float]],
    names: list[str],
    colors: tuple[str, ...],
    *,
    width: int = WIDTH,
    height: int = 240,
) -> str:
    """Stacked columns: ``values[c][s]`` is series ``s`` of category ``c``, bottom up."""
    left, right, top, bottom = 36, 8, 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak, step = nice_top(max((sum(v) for v in values), default=0))
    body: list[str] = []
    for tick in range(0, peak + 1, step):
        y = top + plot_h - tick / peak * plot_h
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_n(y)}" y2="{_n(y)}" class="grid"/>'
            f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end">{tick}</text>'
        )
    slot = plot_w / max(1, len(categories))
    bar = max(2.0, slot * 0.7)
    every = max(1, ceil(len(categories) * 64 / plot_w))  # labels ~64 px apart at least
    for c, (category, stack) in enumerate(zip(categories, values, strict=True)):
        x = left + c * slot + (slot - bar) / 2
        base = float(top + plot_h)
        for s, value in enumerate(stack):
            if value <= 0:
                continue
            h = value / peak * plot_h
            base -= h
            tip = f"{category} {names[s]}: {_n(value)}" if names else f"{category}: {_n(value)}"
            body.append(
                f'<rect x="{_n(x)}" y="{_n(base)}" width="{_n(bar)}" height="{_n(h)}" '
                f'fill="{colors[s % len(colors)]}"><title>{escape(tip)}</title></rect>'
            )
        if c % every == 0:
            body.append(
                f'<text x="{_n(x + bar / 2)}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{escape(category)}</text>'
            )
    body.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'class="axis"/>'
    )
    return _svg(width, height, label, body)


def row(
    label: str, parts: list[tuple[str, float]], colors: tuple[str, ...], width: int = WIDTH
) -> str:
    """One bar across the width, split by ``parts`` (name, value); each part labelled."""
    height = 34
    total = sum(v for _, v in parts)
    body: list[str] = []
    x = 0.0
    for i, (name, value) in enumerate(parts):
        if value <= 0 or total <= 0:
            continue
        w = value / total * width
        tip = escape(f"{name}: {_n(value)}")
        body.append(
            f'<rect x="{_n(x)}" y="0" width="{_n(w)}" height="{height}" '
            f'fill="{colors[i % len(colors)]}"><title>{tip}</title></rect>'
        )
        if w > 40:
            body.append(
                f'<text x="{_n(x + 8)}" y="{height / 2 + 4:.0f}" class="on-bar">'
                f"{escape(f'{name} {_n(value)}')}</text>"
            )
        x += w
    return _svg(width, height, label, body)


def bars(
    label: str,
    items: list[tuple[str, float, str]],
    color: str,
    *,
    width: int = WIDTH,
    label_width: int = 200,
) -> str:
    """Horizontal bars, one per ``(name, value, value as text)``, the longest filling the row."""
    line = 22
    height = line * len(items) + 4
    peak = max((v for _, v, _ in items), default=0.0) or 1.0
    room = width - label_width - 90
    body: list[str] = []
    for i, (name, value, shown) in enumerate(items):
        y = 2 + i * line
        w = max(1.0, value / peak * room)
        body.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{escape(name)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{_n(w)}" height="{line - 6}" '
            f'fill="{color}"><title>{escape(f"{name}: {shown}")}</title></rect>'
            f'<text x="{_n(label_width + w + 6)}" y="{y + 15}">{escape(shown)}</text>'
        )
    return _svg(width, height, label, body)
