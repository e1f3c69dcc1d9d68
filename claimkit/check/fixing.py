"""fix(): a reply with the right form put where a finding has exactly one. Pure.

A finding carries a ``suggestion`` only when its rule knows the one right
replacement for what it found (a double keigo's plain form, 了解 → 承知いたしました,
a date's right weekday), so the suggestions can be applied as they are. Lines
quoted from the customer (``>``) are never changed, whatever a finding says.
"""

from __future__ import annotations

from collections.abc import Iterable

from claimkit.check.engine import Finding


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def _quoted(line: str) -> bool:
    return line.lstrip(" \t\u3000")[:1] in (">", "＞")


def fix(text: str, findings: Iterable[Finding]) -> str:
    """``text`` with each finding's suggestion in place of the words it found.

    Findings without a suggestion are left to the writer; of two that overlap, the
    one that starts first is applied; a finding on a quoted line is skipped.
    """
    starts = _line_starts(text)
    lines = text.split("\n")
    edits: list[tuple[int, int, str]] = []
    for f in findings:
        if f.suggestion is None or not (1 <= f.line <= f.end_line <= len(starts)):
            continue
        if any(_quoted(lines[n - 1]) for n in range(f.line, f.end_line + 1)):
            continue
        start = starts[f.line - 1] + f.column - 1
        end = starts[f.end_line - 1] + f.end_column - 1
        if 0 <= start < end <= len(text):
            edits.append((start, end, f.suggestion))
    edits.sort()
    out: list[str] = []
    done = 0
    for start, end, right in edits:
        if start < done:
            continue  # overlaps one already applied
        out += [text[done:start], right]
        done = end
    out.append(text[done:])
    return "".join(out)


def fixable(findings: Iterable[Finding]) -> int:
    """How many findings carry a right form to put in."""
    return sum(1 for f in findings if f.suggestion is not None)
