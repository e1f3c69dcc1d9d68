"""claimkit draft: one draft to stdout or a file; with --batch, many (claimkit.cli.batch).

Its flags are the table in claimkit.cli.draft_flags: typer's command is made
from it here, and the scripted quick path (claimkit.cli.main) parses with it,
so both call ``run`` with the same keyword arguments. Answering a mail
(--reply-to) is claimkit.cli.replying's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimkit.cli.draft_flags import DRAFT
from claimkit.cli.options import Option
from claimkit.cli.setup import Setup, setup
from claimkit.errors import ExitStatus, InputError

if TYPE_CHECKING:
    from claimkit.check.engine import Finding
    from claimkit.output.draft import Draft

HELP = """Draft a message for a scenario: a first reply, a call script, a follow-up.

Variables come from, lowest first: playbook defaults, your profile
('claimkit init'), the mail --reply-to answers, --data FILE, --set NAME=VALUE,
then prompts for what is still missing when stdin is a terminal. The draft goes
to stdout; prompts, the preview and warnings go to stderr."""

EPILOG = """\b
Examples:
  claimkit draft                                  # pick a scenario, answer prompts
  claimkit draft apology --example                # try it with example values
  claimkit draft apology --data case.yaml --no-input --format eml | msmtp -t
  claimkit draft apology --reply-to complaint.eml --format eml --out reply.eml
  claimkit draft phone-handoff --step call-script --lang en --set customer_name="Alex Morgan"
  claimkit draft threat --data case.json --format json | jq -r .body
  claimkit draft apology --batch cases.jsonl > drafts.jsonl"""


def run(**options: Any) -> int:
    """``claimkit draft`` from parsed options (typer's or the quick parser's)."""
    if options["reply_to"] is not None or options["no_quote"]:
        from claimkit.cli.replying import check_flags

        check_flags(options)
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
    from claimkit.pipeline import Request, finish, layout, make_draft
    from claimkit.render.renderer import Renderer
    from claimkit.values.sources import sources_from

    shape = layout(o["no_wrap"], o["width"])
    reply = None
    if o["reply_to"] is not None:
        from claimkit.cli.replying import complaint

        env, reply = complaint(env, o)
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
        reply=reply,
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
    check = None if o["no_check"] else partial(env.checker().check_draft, today=env.today)
    draft, findings = finish(result.draft, check, shape)
    show_findings(env, draft, out, findings)
    fmt, charset, eight_bit = o["fmt"] or "text", o["charset"], o["eight_bit"]
    emit(env, draft, fmt, charset, out, o["force"], o["quiet"], eight_bit=eight_bit)
    if interactive and streams.stderr_tty and not o["quiet"]:
        show_next(env, draft)


def show_findings(
    env: Setup, draft: Draft, out: Path | None, findings: Sequence[Finding] | None = None
) -> None:
    """The check's findings on the draft (or ``findings``, already found), on stderr."""
    if findings is None:
        findings = env.checker().check_draft(draft, env.today)
    if not findings:  # the usual draft: no report module to load
        return
    from claimkit.check.report import line

    for finding in findings:
        env.streams.note(line(str(out) if out else "draft", finding))


def show_next(env: Setup, draft: Draft) -> None:
    """On a terminal, after the draft: the scenario's next step and when it is due."""
    from claimkit.cases.views import next_hint
    from claimkit.values.business import calendar_from_profile

    calendar = calendar_from_profile(env.profile, where=str(env.profile_path))
    hint = next_hint(
        env.catalog.load(draft.scenario),
        draft.step,
        lang=env.lang,
        calendar=calendar,
        now=env.now,
        received=env.now,
        done={},
        values=draft.variables,
    )
    env.streams.note(f"claimkit: {hint}")


def _choose_scenario(env: Setup) -> str:
    from claimkit.cli.prompts import Prompter

    options = [(pid, env.catalog.load(pid).title.get(env.lang)) for pid in env.catalog.ids()]
    question = "どの場面の文面を作りますか？" if env.lang == "ja" else "Which scenario?"
    return Prompter(env.streams, env.lang).choose(question, options)


def emit(
    env: Setup,
    draft: Draft,
    fmt: str,
    charset: str,
    out: Path | None,
    force: bool,
    quiet: bool,
    data: bytes | None = None,
    *,
    eight_bit: bool = False,
) -> None:
    """The draft (or ``data`` made from it) to stdout or ``out``; its preview on a terminal."""
    from claimkit.files import write_atomic
    from claimkit.output.formats import render_bytes

    if data is None:
        data = render_bytes(draft, fmt, charset=charset, eight_bit=eight_bit)
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
    from claimkit.cli.setup import complete_scenario
    from claimkit.cli.tables import typer_command as from_table

    # run is looked up when the command runs, as the quick path looks it up
    return from_table(DRAFT, lambda **o: run(**o), {"scenario": complete_scenario})
