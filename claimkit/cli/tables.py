"""typer commands made from an option table (claimkit.cli.options).

A command whose flags are a table is read two ways with the same meaning: by
the quick parser (claimkit.cli.options.parse) when a script calls it, and by
typer, made here, for help, completion and every usage error. Both call the
command's ``run`` with the same keyword arguments.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any

import typer

from claimkit.cli.options import Option


def typer_command(
    table: Sequence[Option],
    run: Callable[..., int],
    completions: Mapping[str, Callable[..., list[str]]] | None = None,
) -> Callable[..., int]:
    """``run`` as typer's command: its parameters made from ``table``."""
    completions = completions or {}
    params = []
    for o in table:
        kind: Any = {"switch": bool, "int": int}.get(o.kind, str)
        if o.kind == "choice":
            choices = StrEnum(o.param.capitalize(), {c: c for c in o.choices})  # type: ignore[misc]
            kind = choices
        if o.repeat:
            kind = list[kind]
        default: Any = False if o.kind == "switch" else o.default
        if o.required:
            default = ...
        elif o.kind != "switch" and default is None:
            kind = kind | None
        extra: dict[str, Any] = {"help": o.help, "show_default": default not in (None, False, ...)}
        if o.metavar:
            extra["metavar"] = o.metavar
        if o.kind == "choice":
            extra["case_sensitive"] = False
        if o.kind == "int":
            extra.update(min=o.low, max=o.high)
        if o.param in completions:
            extra["autocompletion"] = completions[o.param]
        info = typer.Argument(**extra) if not o.flags else typer.Option(*o.flags, **extra)
        params.append(
            inspect.Parameter(
                o.param,
                inspect.Parameter.KEYWORD_ONLY,
                default=default,
                annotation=Annotated[kind, info],
            )
        )
    repeats = {o.param for o in table if o.repeat}

    def command(**options: Any) -> int:
        plain = {k: (v.value if isinstance(v, StrEnum) else v) for k, v in options.items()}
        plain = {k: ([] if v is None and k in repeats else v) for k, v in plain.items()}
        return run(**plain)

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command
