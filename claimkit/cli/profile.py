"""claimkit init / paths: the user's profile and where claimkit keeps things."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claimkit.cli.flags import LangOption
from claimkit.cli.setup import Setup, setup

if TYPE_CHECKING:
    from claimkit.content.playbook import Variable

INIT: dict[str, Any] = {
    "help": "Save your company, department, name, email, phone, hours and signature, "
    "so drafts only ask about the case.",
    "epilog": """\b
Examples:
  claimkit init                      # answer the questions (current values are the defaults)
  claimkit init --no-input --set company_name="株式会社サンプル" --set agent_name="佐藤 花子"
  CLAIMKIT_CONFIG_DIR=./cfg claimkit init""",
}


def init(
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="NAME=VALUE",
            help="Set one profile field; repeatable.",
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    lang: LangOption = None,
) -> None:
    from datetime import date

    from claimkit.errors import InputError
    from claimkit.values.profile import save_profile
    from claimkit.values.resolve import coerce, plain
    from claimkit.values.sources import parse_assignments

    env = setup(None, lang.value if lang else None)
    fields = env.catalog.common().sender
    known = {v.name: v for v in fields}
    values: dict[str, Any] = dict(env.profile)
    today = date.today()
    for name, raw in parse_assignments(assignments or []).items():
        if name == "lang":
            from claimkit.values.lang import check_lang

            values["lang"] = check_lang(raw, "--set lang")
            continue
        if name in known:
            try:
                raw = coerce(known[name], raw, env.lang, today)
            except ValueError as e:
                raise InputError(f"--set {name}: {e}") from None
        values[name] = plain(raw)
    if env.streams.stdin_tty and not no_input:
        values = _ask(env, fields, values, today)
    if lang is not None:
        values["lang"] = lang.value
    save_profile(env.profile_path, values)
    ja = values.get("lang", env.lang) == "ja"
    said = "プロフィールを保存しました" if ja else "saved the profile"
    env.streams.note(f"claimkit: {said}: {env.profile_path}")


def _ask(
    env: Setup, fields: Sequence[Variable], values: dict[str, Any], today: date
) -> dict[str, Any]:
    from claimkit.cli.prompts import Prompter
    from claimkit.values.resolve import coerce, plain

    # The language first: every question after it is asked in the language chosen.
    out = dict(values)
    first = Prompter(env.streams, env.lang)
    lang = out["lang"] = first.choose(
        "下書きの既定の言語（Default language of drafts）"
        if env.lang == "ja"
        else "Default language of drafts (下書きの既定の言語)",
        [("ja", "日本語"), ("en", "English")],
        default=str(out.get("lang") or env.lang),
    )
    prompter = Prompter(env.streams, lang)
    for var in fields:
        if var.type in ("date", "datetime"):
            continue  # such as today: nothing a profile should fix
        current = out.get(var.name)

        def check(answer: str, var: Variable = var) -> Any:
            return coerce(var, answer, lang, today)

        answer = prompter.ask(
            var.prompt.get(lang),
            check,
            default=str(current) if current and var.type != "multiline" else None,
            multiline=var.type == "multiline",
            # what every draft needs (company_name, agent_name) is asked until answered
            required=var.required and var.default is None,
        )
        if answer is not None:
            out[var.name] = plain(answer)
    return out


def _case_log(environ: Any) -> str:
    """Where the case log is (not opened): CLAIMKIT_DATABASE_URL's, password hidden, or
    the SQLite file in the user data folder."""
    from claimkit.cases.db import redact
    from claimkit.cases.store import default_log_path, log_target

    target = log_target(None, environ)
    return redact(target) if target is not None else str(default_log_path())


PATHS: dict[str, Any] = {
    "help": "Print where claimkit reads its profile and content, keeps the case log and its cache.",
    "epilog": """\b
Examples:
  claimkit paths
  $EDITOR "$(claimkit paths --profile)\"""",
}


def paths(
    profile_only: Annotated[
        bool, typer.Option("--profile", help="Print only the profile file's path.")
    ] = False,
) -> None:
    from claimkit.cache import cache_root
    from claimkit.paths import config_dir

    env = setup(None, None)
    if profile_only:
        env.streams.write_text(f"{env.profile_path}\n")
        return
    lines = [f"config\t{config_dir(env.streams.environ)}", f"profile\t{env.profile_path}"]
    lines += [f"{r.origin}\t{r.path}" for r in env.catalog.roots]
    lines.append(f"cases\t{_case_log(env.streams.environ)}")
    lines.append(f"cache\t{cache_root(env.streams.environ) or 'off (CLAIMKIT_NO_CACHE)'}")
    env.streams.write_text("".join(line + "\n" for line in lines))
