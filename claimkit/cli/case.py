"""claimkit case open / next / done / log / close: flags in, claimkit.cases.work called, out.

Their flags and help: claimkit.cli.case_options; list, show, export and purge:
claimkit.cli.case_report; the call companion: claimkit.cli.case_call.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimkit.cli.case_desk import desk, guided, moment, show_what_follows
from claimkit.cli.setup import Setup
from claimkit.errors import ExitStatus

if TYPE_CHECKING:
    from claimkit.cases.records import Case
    from claimkit.cases.work import Desk, Logged


def open_command(**o: Any) -> int:
    from claimkit.cases.work import open_case
    from claimkit.values.sources import parse_assignments, read_data

    with desk(o) as (env, d):
        mail = None
        if o["reply_to"] is not None:
            from claimkit.mail.read import load_complaint
            from claimkit.mail.reply import cleaned

            mail = cleaned(load_complaint(o["reply_to"], tz=d.calendar.zone))
        case_id, unused = open_case(
            d,
            o["scenario"],
            lang=env.lang,
            data=read_data(Path(o["data"])) if o["data"] is not None else {},
            data_name=o["data"] or o["reply_to"] or "--data",
            overrides=parse_assignments(o["assignments"]),
            complaint=mail,
            example=o["example"],
        )
        if unused:
            env.streams.warn(f"not variables of '{o['scenario']}', ignored: {', '.join(unused)}")
        env.streams.write_text(case_id + "\n")
        if guided(env, o):  # on a terminal: what to do first, and by when
            _after(env, d, d.log.get(case_id), {})
    return ExitStatus.OK


def next_command(**o: Any) -> int:
    from claimkit.cases.work import draft_step
    from claimkit.cli.draft import emit, show_findings
    from claimkit.pipeline import Layout, finish
    from claimkit.render.renderer import Renderer
    from claimkit.values.sources import parse_assignments

    with desk(o) as (env, d):
        streams = env.streams
        ask = None
        if streams.stdin_tty and not o["no_input"]:
            from claimkit.cli.prompts import Prompter, variable_asker

            ask = variable_asker(Prompter(streams, env.lang))
        made = draft_step(
            d,
            Renderer(env.catalog.roots),
            o["case_id"],
            step=o["step"],
            overrides=parse_assignments(o["assignments"]),
            ask=ask,
            as_mail=o["fmt"] == "eml",
            strict_times=o["strict_times"],
            quote=not o["no_quote"],
        )
        if made.unused:
            streams.warn(f"not variables of '{made.case.scenario}', ignored: {made.unused}")
        for warning in made.warnings:
            streams.warn(warning)
        out = Path(o["out"]) if o["out"] is not None else None
        # Checked and laid out as `claimkit draft` does it: the same mail either way.
        check = partial(env.checker().check_draft, today=env.today)
        draft, findings = finish(made.draft, check, Layout())
        show_findings(env, draft, out, findings)
        data = None
        if o["fmt"] == "json":
            from claimkit.output.formats import to_json

            threading = {"in_reply_to": draft.in_reply_to, "references": draft.references}
            data = to_json(draft, {"case": made.case.id, **threading})
        emit(env, draft, o["fmt"], o["charset"], out, o["force"], o["quiet"], data)
        if guided(env, o):
            show_what_follows(env, d, made)
    return ExitStatus.OK


def done_command(**o: Any) -> int:
    from claimkit.cases.work import step_done

    with desk(o) as (env, d):
        case = step_done(
            d,
            o["case_id"],
            o["step"],
            at=moment(o["at"], "--at", d),
            note=o["note"],
            skipped=o["skip"],
        )
        _after(env, d, case, o)
    return ExitStatus.OK


def log_command(**o: Any) -> int:
    from claimkit.cases.work import log_entry

    with desk(o) as (env, d):
        logged = log_entry(
            d,
            o["case_id"],
            o["text"],
            kind=o["kind"],
            minutes=o["minutes"],
            exchanges=o["exchanges"],
            at=moment(o["at"], "--at", d),
        )
        report_logged(env, d, logged, o)
    return ExitStatus.OK


def report_logged(env: Setup, d: Desk, logged: Logged, o: dict[str, Any]) -> None:
    """After an entry: the limits it reached (stderr), where the case stands, and at a
    limit the step the playbook calls for (the record for the manager) on stdout, as
    text, or in the JSON with --format json."""
    from claimkit.cases.views import limit_message

    for reached in logged.reached:
        env.streams.warn(limit_message(reached, env.lang))
    body = None
    if logged.then is not None:
        body = draft_at_limit(env, d, logged.case.id, logged.then)
    extra = {"limits_reached": [r._asdict() for r in logged.reached], "drafted": body}
    _after(env, d, logged.case, o, extra)
    if body is not None and o.get("fmt") != "json":
        env.streams.write_text(body.rstrip("\n") + "\n")


def draft_at_limit(env: Setup, d: Desk, case_id: str, step: str) -> str | None:
    """The body of the step a limit calls for (the record for the manager); if it cannot
    be drafted without questions, None and what to run instead."""
    from claimkit.cases.work import draft_step
    from claimkit.errors import ClaimkitError
    from claimkit.render.renderer import Renderer

    try:
        return draft_step(d, Renderer(env.catalog.roots), case_id, step=step).draft.body
    except ClaimkitError as e:
        env.streams.warn(f"draft it with 'claimkit case next {case_id} --step {step}': {e}")
        return None


def close_command(**o: Any) -> int:
    with desk(o) as (env, d):
        case = d.log.close_case(
            o["case_id"], agent=d.agent, at=moment(o["at"], "--at", d), note=o["note"]
        )
        _after(env, d, case, o)
    return ExitStatus.OK


def _after(
    env: Setup, d: Desk, case: Case, o: dict[str, Any], extra: dict[str, Any] | None = None
) -> None:
    """What a recording command says: the case as JSON on stdout if asked, and on stderr
    where it now stands."""
    from claimkit.cases.views import due_words, record

    if o.get("fmt") == "json":
        data = record(case, d.now) | (extra or {})
        env.streams.write_text(json.dumps(data, ensure_ascii=False) + "\n")
    ja = env.lang == "ja"
    if case.status == "closed":
        said = "終了しました" if ja else "closed"
    elif case.next_step is None:
        said = "手順はすべて済みました" if ja else "every step is done"
    else:
        said = f"次は {case.next_step}" if ja else f"next: {case.next_step}"
        if case.next_due is not None and case.due_step == case.next_step:
            due = due_words(case.next_due, env.lang, d.calendar, d.now)
            said += f"：{due}" if ja else f", {due}"
    env.streams.note(f"claimkit: {case.id}: {said}")
