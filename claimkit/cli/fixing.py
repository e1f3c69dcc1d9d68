"""claimkit check --fix and --in-place: the right forms put in, what is left reported."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimkit.check.checker import Checker
    from claimkit.check.engine import Context, Finding
    from claimkit.cli.flags import Lang
    from claimkit.cli.setup import Setup


def run_fix(
    env: Setup,
    checker: Checker,
    context: Context,
    paths: Sequence[Path],
    lang: Lang | None,
    in_place: bool,
    fmt: str,
    fail_on: StrEnum,
) -> int:
    """--fix: one reply in, the fixed reply on stdout, what is left on stderr.
    --in-place: each file rewritten (atomically, only when something changed), what
    is left reported as a check reports it."""
    from claimkit.check.fixing import fix, fixable
    from claimkit.check.report import failing, line
    from claimkit.check.text import detect_lang
    from claimkit.errors import ExitStatus, InputError
    from claimkit.files import MiB, read_text, write_atomic

    if fmt != "text":
        raise InputError("--fix prints the fixed reply; it has no --format")
    if not in_place and len(paths) != 1:
        raise InputError("--fix prints one reply; give one file, or use --in-place")
    if in_place and any(str(p) == "-" for p in paths):
        raise InputError("--in-place rewrites files; it cannot rewrite stdin")
    left: list[Finding] = []
    fixed_count = 0
    for path in paths:
        name = "<stdin>" if str(path) == "-" else str(path)
        text = read_text(path, limit=10 * MiB)
        text_lang = lang.value if lang else detect_lang(text)
        found = checker.check(text, text_lang, context)
        fixed = fix(text, found)
        remaining = checker.check(fixed, text_lang, context) if fixed != text else found
        fixed_count += max(0, fixable(found) - fixable(remaining))
        left += remaining
        if in_place:
            if fixed != text:
                write_atomic(path, fixed.encode("utf-8"), force=True)
            for f in remaining:
                env.streams.write_text(line(name, f) + "\n")
        else:
            env.streams.write_text(fixed)
            for f in remaining:
                env.streams.note(line(name, f))
    files = f"{len(paths)} file" + ("s" if len(paths) != 1 else "")
    env.streams.note(f"claimkit: fixed {fixed_count}, {len(left)} left, in {files}")
    return ExitStatus.FINDINGS if failing(left, fail_on.value) else ExitStatus.OK
