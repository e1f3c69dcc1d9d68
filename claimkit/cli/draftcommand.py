"""typer's ``claimkit draft`` command, its parameters made from the table of
claimkit.cli.draft_flags; it calls claimkit.cli.draft.run, as the quick parser's path does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claimkit.cli import draft as draft_module
from claimkit.cli.draft_flags import DRAFT


def typer_command() -> Callable[..., int]:
    """``run`` as typer's command: its parameters made from the table (imports typer)."""
    import inspect
    from enum import StrEnum
    from typing import Annotated

    import typer

    from claimkit.cli.setup import complete_scenario

    params = []
    for o in DRAFT:
        kind: Any = {"switch": bool, "int": int}.get(o.kind, str)
        if o.kind == "choice":
            choices = StrEnum(o.param.capitalize(), {c: c for c in o.choices})  # type: ignore[misc]
            kind = choices
        if o.repeat:
            kind = list[kind]
        default = False if o.kind == "switch" else o.default
        if o.kind != "switch" and default is None:
            kind = kind | None
        extra: dict[str, Any] = {"help": o.help, "show_default": default not in (None, False)}
        if o.metavar:
            extra["metavar"] = o.metavar
        if o.kind == "choice":
            extra["case_sensitive"] = False
        if o.kind == "int":
            extra.update(min=o.low, max=o.high)
        if not o.flags:
            info = typer.Argument(autocompletion=complete_scenario, **extra)
        else:
            info = typer.Option(*o.flags, **extra)
        params.append(
            inspect.Parameter(
                o.param,
                inspect.Parameter.KEYWORD_ONLY,
                default=default,
                annotation=Annotated[kind, info],
            )
        )

    def draft(**options: Any) -> int:
        plain = {k: (v.value if isinstance(v, StrEnum) else v) for k, v in options.items()}
        plain = {k: ([] if v is None and _repeats(k) else v) for k, v in plain.items()}
        return draft_module.run(**plain)  # looked up at each call, as tests replace it

    draft.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    draft.__annotations__ = {p.name: p.annotation for p in params}
    return draft


def _repeats(param: str) -> bool:
    return any(o.param == param and o.repeat for o in DRAFT)
