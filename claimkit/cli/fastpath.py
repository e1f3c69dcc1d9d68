"""``claimkit draft`` as scripts call it, parsed without typer.

A script drafting one message per call pays for typer's import and command
building on every run, about a third of the whole start-up. This reads the
draft flags a script uses, in the spellings typer accepts, and calls the same
``draft_one`` (or ``draft_batch``) as the typer command. Anything it does not
fully understand (help, a flag it does not know, a bad choice, a short-flag cluster)
returns None, and typer handles the whole command line with its usual
messages. tests/test_fastpath.py keeps this table equal to typer's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# Every spelling of each flag: the draft_one parameter, and whether it takes a value.
OPTIONS: dict[str, tuple[str, bool]] = {
    "--step": ("step", True),
    "-s": ("step", True),
    "--lang": ("lang", True),
    "-l": ("lang", True),
    "--data": ("data", True),
    "-d": ("data", True),
    "--set": ("assignments", True),
    "--format": ("fmt", True),
    "-f": ("fmt", True),
    "--charset": ("charset", True),
    "--out": ("out", True),
    "-o": ("out", True),
    "--playbooks": ("playbooks", True),
    "-P": ("playbooks", True),
    "--example": ("example", False),
    "--no-input": ("no_input", False),
    "--force": ("force", False),
    "--quiet": ("quiet", False),
    "-q": ("quiet", False),
    "--no-check": ("no_check", False),
    "--batch": ("batch", True),
    "--input-format": ("input_format", True),
    "--out-dir": ("out_dir", True),
    "--name": ("name", True),
    "--fail-fast": ("fail_fast", False),
    "--jobs": ("jobs", True),
    "-j": ("jobs", True),
}
REPEATABLE = frozenset({"assignments", "playbooks"})
# Flags of the typer command that this path leaves to typer.
LEFT_TO_TYPER = frozenset({"--help", "-h"})
# Flags that mean something only with --batch: without it, typer's command says so.
BATCH_ONLY = frozenset({"input_format", "out_dir", "name", "fail_fast", "jobs"})
MAX_JOBS = 64  # typer's bound on --jobs


def parse(args: list[str]) -> dict[str, Any] | None:
    """draft_one's keyword arguments for the words after 'draft', or None for typer."""
    found: dict[str, Any] = {"scenario": None}
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            if found["scenario"] is not None:
                return None  # an extra argument: typer says so
            found["scenario"] = arg
            continue
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        spec = OPTIONS.get(name)
        if spec is None:
            return None
        param, takes_value = spec
        if not takes_value:
            if eq:
                return None
            found[param] = True
            continue
        if eq:
            value = attached
        elif i < len(args):
            value = args[i]
            i += 1
        else:
            return None  # a flag with no value: typer says so
        converted = _convert(param, value)
        if converted is None:
            return None
        if param in REPEATABLE:
            found.setdefault(param, []).append(converted)
        else:
            found[param] = converted
    if "batch" not in found and BATCH_ONLY.intersection(found):
        return None
    return found


def _convert(param: str, value: str) -> Any:
    """The value as typer would give it, or None where typer would refuse it."""
    from claimkit.cli.drafter import Charset, Format
    from claimkit.cli.setup import Lang

    choices: dict[str, Any] = {"lang": Lang, "fmt": Format, "charset": Charset}
    if param in choices:
        try:
            return choices[param](value.lower())
        except ValueError:
            return None
    if param in ("data", "out", "batch"):
        path = Path(value)
        return None if path.is_dir() else path  # typer refuses a folder here
    if param == "out_dir":
        path = Path(value)
        return None if path.exists() and not path.is_dir() else path  # and a file here
    if param == "playbooks":
        return Path(value)
    if param == "input_format":
        return value.lower() if value.lower() in ("jsonl", "csv") else None
    if param == "jobs":
        try:
            jobs = int(value)
        except ValueError:
            return None
        return jobs if 1 <= jobs <= MAX_JOBS else None
    return value


def run(args: list[str]) -> int | None:
    """The exit status of the draft, or None when typer should take the command line."""
    options = parse(args)
    if options is None:
        return None
    from claimkit.cli.guard import guarded

    if "batch" in options:
        import gc

        from claimkit.cli.batch import draft_batch

        # A batch runs long and makes garbage with every case: the collector earns its keep.
        gc.enable()
        return guarded(lambda: draft_batch(**options))
    from claimkit.cli.drafter import draft_one

    return guarded(lambda: draft_one(**options))
