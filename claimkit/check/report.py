"""Findings as text lines editors and CI parse, or as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from claimkit.check.engine import Finding
from claimkit.check.rules import severity_rank


class FileReport(NamedTuple):
    name: str  # the file as given, or <stdin>
    lang: str
    scenario: str | None
    step: str | None
    findings: tuple[Finding, ...]


def line(name: str, f: Finding) -> str:
    """FILE:LINE:COL: severity: message [rule-id], the form compilers and linters use."""
    return f"{name}:{f.line}:{f.column}: {f.severity}: {f.message} [{f.rule}]"


def as_json(report: FileReport) -> dict[str, Any]:
    return {
        "file": report.name,
        "lang": report.lang,
        "scenario": report.scenario,
        "step": report.step,
        "findings": [f._asdict() for f in report.findings],
    }


def to_json(reports: Sequence[FileReport]) -> str:
    data: Any = as_json(reports[0]) if len(reports) == 1 else [as_json(r) for r in reports]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def failing(findings: Sequence[Finding], fail_on: str) -> bool:
    threshold = severity_rank(fail_on)
    return any(severity_rank(f.severity) >= threshold for f in findings)


def summary(reports: Sequence[FileReport]) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in reports:
        for f in r.findings:
            counts[f.severity] += 1
    total = sum(counts.values())
    files = f"{len(reports)} file" + ("s" if len(reports) != 1 else "")
    if not total:
        return f"no findings in {files}"
    parts = [f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items() if n]
    return f"{total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {files}"
