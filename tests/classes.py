"""The classes of defect of tests/corpus/classes: each bad example must get a finding of
one of its class's rules on the line that carries the defect (and, where it says, the
right form as the suggestion); no good example may get one. Used by the tests and by
bench/classes.py, which prints how many of each were caught and left clean.

A class file holds ``rules`` (or ``all``: no warning or error of any rule on its good
examples) and, per language, ``context`` and ``today`` defaults and ``bad`` and ``good``
lists. An example is its text, or a mapping with ``text`` and optionally ``line`` (1 by
default), ``suggestion``, ``context`` and ``today``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from claimkit.check.checker import Checker
from claimkit.check.engine import Context, Finding

CLASSES = Path(__file__).parent / "corpus" / "classes"
LANGS = ("ja", "en")


class Example(NamedTuple):
    name: str  # class/lang/bad#3
    cls: str
    lang: str
    bad: bool
    text: str
    line: int
    suggestion: str | None
    rules: tuple[str, ...] | None  # None: every rule, at warning or error
    context: Context


def _context(raw: dict[str, Any] | None, today: Any) -> Context:
    raw = raw or {}
    scenario, step = raw.get("scenario"), raw.get("step")
    audience = "customer"
    if scenario:
        from claimkit.content.catalog import Catalog
        from claimkit.paths import builtin_root

        found = Catalog([builtin_root()]).load(scenario).step(step)
        step, audience = found.id, found.audience
    day = today if isinstance(today, date) or today is None else date.fromisoformat(str(today))
    return Context(scenario, step, audience, day)


def examples() -> list[Example]:
    found: list[Example] = []
    for path in sorted(CLASSES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = None if data["rules"] == "all" else tuple(data["rules"])
        for lang in LANGS:
            part = data.get(lang) or {}
            for bad in (True, False):
                items = part.get("bad" if bad else "good") or []
                for n, item in enumerate(items, 1):
                    entry = item if isinstance(item, dict) else {"text": item}
                    context = _context(
                        entry.get("context", part.get("context")),
                        entry.get("today", part.get("today")),
                    )
                    found.append(
                        Example(
                            name=f"{path.stem}/{lang}/{'bad' if bad else 'good'}#{n}",
                            cls=path.stem,
                            lang=lang,
                            bad=bad,
                            text=str(entry["text"]),
                            line=int(entry.get("line", 1)),
                            suggestion=entry.get("suggestion"),
                            rules=rules,
                            context=context,
                        )
                    )
    return found


_CHECKER = Checker()


def findings(example: Example) -> list[Finding]:
    found = _CHECKER.check(example.text, example.lang, example.context)
    if example.rules is None:
        return [f for f in found if f.severity in ("error", "warning")]
    return [f for f in found if f.rule in example.rules]


def verdict(example: Example) -> str | None:
    """What is wrong with how the check treats the example; None when it is right."""
    found = findings(example)
    if not example.bad:
        return f"found {[(f.rule, f.excerpt) for f in found]}" if found else None
    on_line = [f for f in found if f.line <= example.line <= f.end_line]
    if not on_line:
        return f"nothing on line {example.line}: {[(f.rule, f.line, f.excerpt) for f in found]}"
    if example.suggestion is not None and example.suggestion not in {f.suggestion for f in on_line}:
        return f"suggests {[f.suggestion for f in on_line]}, not {example.suggestion!r}"
    return None
