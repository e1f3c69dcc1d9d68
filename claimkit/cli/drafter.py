"""One draft from parsed options: the draft command's work, free of typer.

Both ways into ``claimkit draft`` end here: typer's command (claimkit.cli.draft)
and the scripted fast path (claimkit.cli.fastpath), so they cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from claimkit.cli.setup import Lang, Setup, setup


class Format(StrEnum):
    text = "text"
    json = "json"
    eml = "eml"
    jsonl = "jsonl"


class Charset(StrEnum):
    utf8 = "utf-8"
    iso2022jp = "iso-2022-jp"


def draft_one(
    *,
    scenario: str | None,
    step: str | None = None,
    lang: Lang | None = None,
    data: Path | None = None,
    assignments: list[str] | None = None,
    example: bool = False,
    no_input: bool = False,
    fmt: Format | None = None,
    charset: Charset = Charset.utf8,
    out: Path | None = None,
    force: bool = False,
    quiet: bool = False,
    no_check: bool = False,
    playbooks: list[Path] | None = None,
) -> None:
    """Draft one message and write it to stdout or --out; findings and notes to stderr."""
    from claimkit.errors import InputError

    env = setup(playbooks, lang)
    streams = env.streams
    if fmt is Format.jsonl:
        raise InputError("--format jsonl goes with --batch FILE; use --format json for one draft")
    interactive = streams.stdin_tty and not no_input and str(data) != "-"
    if scenario is None:
        if not interactive:
            raise InputError(
                "give a SCENARIO (one of: " + ", ".join(env.catalog.ids()) + "); "
                "see 'claimkit list'"
            )
        scenario = _choose_scenario(env)
    from claimkit.pipeline import Request, make_draft
    from claimkit.render.renderer import Renderer

    request = Request(
        scenario=scenario,
        step=step,
        lang=env.lang,
        sources=sources_from(env, data, assignments or [], example),
        today=today(),
    )
    asker = None
    if interactive:
        from claimkit.cli.console import Prompter, variable_asker

        asker = variable_asker(Prompter(streams, env.lang))
    result = make_draft(env.catalog, Renderer(env.catalog.roots), request, asker)
    for name in result.unused:
        streams.warn(f"'{name}' is not a variable of '{scenario}'; ignored")
    if not no_check:
        _check(env, result.draft, str(out) if out else "draft")
    _emit(env, result.draft, (fmt or Format.text).value, charset.value, out, force, quiet)


def today() -> Any:
    from datetime import date

    return date.today()


def sources_from(env: Setup, data: Path | None, assignments: list[str], example: bool) -> Any:
    from claimkit.values.datafile import read_data
    from claimkit.values.resolve import Sources, parse_assignments

    return Sources(
        profile=env.profile,
        profile_name=str(env.profile_path),
        data=read_data(data) if data is not None else {},
        data_name=str(data) if data is not None else "--data",
        overrides=parse_assignments(assignments),
        example=example,
    )


def _check(env: Setup, draft: Any, name: str) -> None:
    """The same check as 'claimkit check', on what was rendered; findings go to stderr."""
    from claimkit.check.engine import Context

    checker = env.checker()
    context = Context(draft.scenario, draft.step, draft.audience)
    findings = checker.check(draft.body, draft.lang, context)
    if findings:  # a clean draft, the usual case, needs no report module
        from claimkit.check.report import line

        for finding in findings:
            env.streams.note(line(name, finding))


def _choose_scenario(env: Setup) -> str:
    from claimkit.cli.console import Prompter

    options = []
    for pid in env.catalog.ids():
        playbook = env.catalog.load(pid)
        options.append((pid, playbook.title.get(env.lang)))
    ja = env.lang == "ja"
    return Prompter(env.streams, env.lang).choose(
        "どの場面の文面を作りますか？" if ja else "Which scenario?", options
    )


def _emit(
    env: Setup, draft: Any, fmt: str, charset: str, out: Path | None, force: bool, quiet: bool
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
