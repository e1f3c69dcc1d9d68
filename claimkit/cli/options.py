"""Flags as a table of data, and the quick parser made from it.

A script drafting one message per call would pay for importing typer and
building its command on every run, about a third of the run. So the draft
flags are declared once, as data (claimkit.cli.draft_flags); claimkit.cli.draft
builds typer's command from that table (help, completion, every usage error),
and ``parse`` reads a command line with the same table without importing typer. ``parse``
answers only what it fully understands; anything else (help, an unknown flag,
a bad choice, a short-flag cluster, a missing value) returns None, and typer
reads the whole command line with its usual messages. Neither touches the file
system: a folder where a file is wanted is the command's to report, either way.
"""

from __future__ import annotations

from typing import NamedTuple


class Option(NamedTuple):
    param: str  # the keyword the command takes
    flags: tuple[str, ...]  # empty for the positional argument
    help: str
    kind: str = "text"  # switch, text, path, int or choice
    choices: tuple[str, ...] = ()
    metavar: str | None = None
    repeat: bool = False
    default: str | int | None = None
    low: int | None = None  # an int's bounds
    high: int | None = None
    batch_only: bool = False  # means something only with --batch
    required: bool = False  # a positional argument that must be given


# Spellings that are the command's to answer (help), never the quick parser's.
LEFT_TO_TYPER = frozenset({"--help", "-h"})


def defaults(table: tuple[Option, ...]) -> dict[str, object]:
    """Every parameter with the value it has when its flag is not given."""
    return {
        o.param: (False if o.kind == "switch" else [] if o.repeat else o.default) for o in table
    }


def parse(table: tuple[Option, ...], args: list[str]) -> dict[str, object] | None:
    """The command's keyword arguments for ``args``, or None where typer should read them."""
    by_flag = {flag: o for o in table for flag in o.flags}
    positional = [o for o in table if not o.flags]
    found = defaults(table)
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            if not positional:
                return None  # an extra argument: typer says so
            found[positional.pop(0).param] = arg
            continue
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = by_flag.get(name)
        if option is None:
            return None
        if option.kind == "switch":
            if eq:
                return None
            found[option.param] = True
            continue
        if eq:
            raw = attached
        elif i < len(args):
            raw = args[i]
            i += 1
        else:
            return None  # a flag with no value: typer says so
        value = convert(option, raw)
        if value is None:
            return None
        if option.repeat:
            repeated = found[option.param]
            assert isinstance(repeated, list)
            repeated.append(value)
        else:
            found[option.param] = value
    if any(o.required for o in positional):
        return None  # a required argument is missing: typer says so
    return found


def convert(option: Option, raw: str) -> str | int | None:
    """The value as the command takes it, or None where typer would refuse it."""
    if option.kind == "choice":
        value = raw.lower()
        return value if value in option.choices else None
    if option.kind == "int":
        try:
            number = int(raw)
        except ValueError:
            return None
        low = option.low if option.low is not None else number
        high = option.high if option.high is not None else number
        return number if low <= number <= high else None
    return raw
