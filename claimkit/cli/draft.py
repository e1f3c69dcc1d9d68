"""claimkit draft: one draft to stdout or a file; with --batch, many (claimkit.cli.batch).

Its flags are the table in claimkit.cli.draft_flags: typer's command is made
from it (claimkit.cli.draftcommand), and the scripted quick path
(claimkit.cli.main) parses with it, so both call ``run`` with the same keyword
arguments.
"""

from __future__ import annotations

from functools import partial
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
    if options["batch"] is not None:
        if options["reply_to"] is not None:
            raise InputError("--reply-to answers one mail; a batch's cases name theirs (reply_to)")
        from claimkit.cli.batch import draft_batch

        return draft_batch(**options)
    given = [o.flags[0] for o in DRAFT if o.batch_only and options[o.param] != _unset(o)]
    if given:
        raise InputError(f"{' and '.join(given)}: for --batch FILE only")
    if options["fmt"] == "jsonl":
        raise InputError("--format jsonl goes with --batch FILE; use --format json for one draft")
    if options["no_quote"] and options["reply_to"] is None:
        raise InputError("--no-quote goes with --reply-to FILE (the mail the draft answers)")
    if options["reply_to"] == "-" and options["data"] == "-":
        raise InputError("--reply-to - and --data - both read stdin: give one of them a file")
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

    streams = env.streams
    shape = layout(o["no_wrap"], o["width"])
    reply = None
    if o["reply_to"] is not None:
        from claimkit.mail.reply import load_reply

        reply = load_reply(
            o["reply_to"],
            profile=env.profile,
            profile_name=str(env.profile_path),
            quote=not o["no_quote"],
            stdin=streams.stdin.buffer,
        )
        if o["reply_to"] == "-" and o["data"] != "-" and not o["no_input"]:
            env = _answered_on_the_terminal(env)
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
    if findings:
        from claimkit.check.report import line

        for finding in findings:
            streams.note(line(str(out) if out else "draft", finding))
    _emit(env, draft, o, out)


def _answered_on_the_terminal(env: Setup) -> Setup:
    """The questions of a draft whose mail came on stdin (mutt's pipe-message, aerc's
    :pipe), asked on the terminal the user sees, where there is one."""
    streams = env.streams
    if streams.stdin_tty or not streams.stderr_tty:
        return env
    try:
        terminal = open("/dev/tty", encoding="utf-8")  # noqa: SIM115 -- read until the process ends
    except OSError:  # no controlling terminal: a script's run, which prompts for nothing
        return env
    from claimkit.cli.console import Streams

    return env._replace(streams=Streams(terminal, streams.stdout, streams.stderr, streams.environ))


def _choose_scenario(env: Setup) -> str:
    from claimkit.cli.prompts import Prompter

    options = [(pid, env.catalog.load(pid).title.get(env.lang)) for pid in env.catalog.ids()]
    question = "どの場面の文面を作りますか？" if env.lang == "ja" else "Which scenario?"
    return Prompter(env.streams, env.lang).choose(question, options)


def _emit(env: Setup, draft: Draft, o: dict[str, Any], out: Path | None) -> None:
    from claimkit.files import write_atomic
    from claimkit.output.formats import render_bytes

    fmt, quiet = o["fmt"] or "text", o["quiet"]
    data = render_bytes(draft, fmt, charset=o["charset"], eight_bit=o["eight_bit"])
    streams = env.streams
    if streams.stderr_tty and not quiet:
        from claimkit.cli.preview import show_preview

        show_preview(streams, draft, full=out is not None or not streams.stdout_tty)
    if out is not None:
        write_atomic(out, data, force=o["force"])
        if not quiet:
            streams.note(f"claimkit: wrote {out}")
    else:
        streams.write_product(data)
