"""claimkit draft: one draft to stdout or a file; with --batch, many (claimkit.cli.batch).

Its flags are the table in claimkit.cli.options: typer's command is made from
it here, and the scripted quick path (claimkit.cli.main) parses with it, so
both call ``run`` with the same keyword arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimkit.cli.draft_flags import DRAFT
from claimkit.cli.options import Option
from claimkit.cli.setup import Setup, setup
from claimkit.errors import ExitStatus, InputError

if TYPE_CHECKING:
    from claimkit.output.draft import Draft

HELP = """Draft a message for a scenario: a first reply, a call script, a follow-up.

Variables come from, lowest first: playbook defaults, your profile
('claimkit init'), --data FILE, --set NAME=VALUE, then prompts for what is
still missing when stdin is a terminal. The draft goes to stdout; prompts,
the preview and warnings go to stderr."""

EPILOG = """\b
Examples:
  claimkit draft                                  # pick a scenario, answer prompts
  claimkit draft apology --example                # try it with example values
  claimkit draft apology --data case.yaml --no-input --format eml | msmtp -t
  claimkit draft phone-handoff --step call-script --lang en --set customer_name="Alex Morgan"
  claimkit draft threat --data case.json --format json | jq -r .body
  claimkit draft apology --batch cases.jsonl > drafts.jsonl"""


def run(**options: Any) -> int:
    """``claimkit draft`` from parsed options (typer's or the quick parser's)."""
    if options["batch"] is not None:
        from claimkit.cli.batch import draft_batch

        return draft_batch(**options)
    given = [o.flags[0] for o in DRAFT if o.batch_only and options[o.param] != _unset(o)]
    if given:
        raise InputError(f"{' and '.join(given)}: for --batch FILE only")
    if options["fmt"] == "jsonl":
        raise InputError("--format jsonl goes with --batch FILE; use --format json for one draft")
    env = setup(options["playbooks"], options["lang"])
    draft_one(env, **options)
    return ExitStatus.OK


def _unset(option: Option) -> object:
    return False if option.kind == "switch" else [] if option.repeat else option.default


def draft_one(env: Setup, **o: Any) -> None:
    """Draft one message and write it to stdout or --out; findings and notes to stderr."""
    from claimkit.pipeline import Request, make_draft
    from claimkit.render.renderer import Renderer
    from claimkit.values.sources import sources_from

    streams = env.streams
    interactive = streams.stdin_tty and not o["no_input"] and o["data"] != "-"
    scenario = o["scenario"]
    if scenario is None:
        if not interactive:
            ids = ", ".join(env.catalog.ids())
            raise InputError(f"give a SCENARIO (one of: {ids}); see 'claimkit list'")
        scenario = _choose_scenario(env)
    request = Request(
        scenario=scenario,
        step=o["step"],
        lang=env.lang,
        sources=sources_from(
            env.profile, env.profile_path, o["data"], o["assignments"], o["example"]
        ),
        today=env.today,
        now=env.now,
        strict_times=o["strict_times"],
    )
    asker = None
    if interactive:
        from claimkit.cli.prompts import Prompter, variable_asker

        asker = variable_asker(Prompter(streams, env.lang))
    result = make_draft(env.catalog, Renderer(env.catalog.roots), request, asker)
    if result.unused:
        streams.warn(f"not variables of '{scenario}', ignored: {', '.join(result.unused)}")
    for warning in result.warnings:  # before the draft is used: a time that cannot be kept
        streams.warn(warning)
    out = Path(o["out"]) if o["out"] is not None else None
    if not o["no_check"]:
        from claimkit.check.report import line

        for finding in env.checker().check_draft(result.draft, env.today):
            streams.note(line(str(out) if out else "draft", finding))
    _emit(env, result.draft, o["fmt"] or "text", o["charset"], out, o["force"], o["quiet"])


def _choose_scenario(env: Setup) -> str:
    from claimkit.cli.prompts import Prompter

    options = [(pid, env.catalog.load(pid).title.get(env.lang)) for pid in env.catalog.ids()]
    question = "どの場面の文面を作りますか？" if env.lang == "ja" else "Which scenario?"
    return Prompter(env.streams, env.lang).choose(question, options)


def _emit(
    env: Setup, draft: Draft, fmt: str, charset: str, out: Path | None, force: bool, quiet: bool
) -> None:
    from claimkit.files import write_atomic
    from claimkit.output.formats import render_bytes

    data = render_bytes(draft, fmt, charset=charset)
    streams = env.streams
    if streams.stderr_tty and not quiet:
        from claimkit.cli.preview import show_preview

        show_preview(streams, draft, full=out is not None or not streams.stdout_tty)
    if out is not None:
        write_atomic(out, data, force=force)
        if not quiet:
            streams.note(f"claimkit: wrote {out}")
    else:
        streams.write_product(data)


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
        return run(**plain)

    draft.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    draft.__annotations__ = {p.name: p.annotation for p in params}
    return draft


def _repeats(param: str) -> bool:
    return any(o.param == param and o.repeat for o in DRAFT)
