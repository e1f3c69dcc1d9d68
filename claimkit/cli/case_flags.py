"""Flags the ``claimkit case`` commands share; the tables of list, show, close, export, purge.

A command's flags are a table (claimkit.cli.options.Option), as ``claimkit
draft``'s are: the quick parser a script's call goes through and the typer
command made from it (claimkit.cli.app) read the same table. ``run`` names the
function that does the command, imported only when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import NamedTuple

from claimkit.cli.draft_flags import DRAFT, LANGS
from claimkit.cli.options import Option


class Command(NamedTuple):
    name: str
    table: tuple[Option, ...]
    help: str
    examples: str
    run: str  # "module:function"


def runner(command: Command) -> Callable[..., int]:
    module, _, function = command.run.partition(":")
    found: Callable[..., int] = getattr(import_module(module), function)
    return found


def epilog(command: Command) -> str:
    return f"\b\nExamples:\n  {command.examples}"


def draft_flag(param: str) -> Option:
    return next(o for o in DRAFT if o.param == param)


DATABASE = Option(
    "database",
    ("--database",),
    "The case log: a postgresql://user@host/db URL or an SQLite file "
    "[default: CLAIMKIT_DATABASE_URL, else cases.db in the user data folder].",
    metavar="URL",
)
PLAYBOOKS = draft_flag("playbooks")
CASE = Option("case_id", (), "The case id, e.g. K7M4-Q9PX.", metavar="ID", required=True)
AT = Option(
    "at",
    ("--at",),
    "When it happened [default: now]: 2026-12-04T09:40+09:00, 2026-12-04 09:40, 12/4 9:40, "
    "9:40 (today), in the profile's time zone unless an offset is given.",
    metavar="TIME",
)
NOTE = Option("note", ("--note",), "A note on the timeline.", metavar="TEXT")
LANG = Option(
    "lang",
    ("--lang", "-l"),
    "Language of what is shown [default: CLAIMKIT_LANG, the profile, then the locale].",
    kind="choice",
    choices=LANGS,
)
AS_JSON = Option(
    "fmt",
    ("--format", "-f"),
    "json: the case after the change, on stdout (nothing otherwise).",
    kind="choice",
    choices=("text", "json"),
    default="text",
)

OTHERS: tuple[Command, ...] = (
    Command(
        "list",
        (
            Option("open", ("--open",), "Open cases only.", "switch"),
            Option("overdue", ("--overdue",), "Open cases past their due time.", "switch"),
            Option("mine", ("--mine",), "Cases you opened (your agent_name).", "switch"),
            Option("scenario", ("--scenario",), "Cases of this scenario.", metavar="ID"),
            Option(
                "as_of",
                ("--as-of",),
                "The moment 'overdue' is judged at [default: now].",
                metavar="TIME",
            ),
            Option(
                "fmt",
                ("--format", "-f"),
                "table (tab-separated in a pipe), json or csv.",
                kind="choice",
                choices=("table", "json", "csv"),
                default="table",
            ),
            LANG,
            DATABASE,
        ),
        "List cases: open ones soonest due first (--open, --overdue), else the newest first.",
        """claimkit case list --open
  claimkit case list --overdue --database postgresql://claimkit@db.example.jp/support
  claimkit case list --mine --format csv > cases.csv""",
        "claimkit.cli.case_report:list_command",
    ),
    Command(
        "show",
        (
            CASE,
            Option(
                "fmt",
                ("--format", "-f"),
                "text or json.",
                kind="choice",
                choices=("text", "json"),
                default="text",
            ),
            LANG,
            PLAYBOOKS,
            DATABASE,
        ),
        "Show a case: what is due next and when, its steps and its timeline.",
        """claimkit case show K7M4-Q9PX
  claimkit case show K7M4-Q9PX --format json | jq '.events[].kind'""",
        "claimkit.cli.case_report:show_command",
    ),
    Command(
        "close",
        (CASE, AT, NOTE, AS_JSON, LANG, DATABASE),
        "Close a case (resolved); nothing more is due.",
        """claimkit case close K7M4-Q9PX --note "交換品をお届けし、ご納得いただいた\"""",
        "claimkit.cli.case:close_command",
    ),
    Command(
        "export",
        (
            Option(
                "fmt",
                ("--format", "-f"),
                "jsonl: one case per line, with its timeline.",
                kind="choice",
                choices=("jsonl",),
                default="jsonl",
            ),
            DATABASE,
        ),
        "Export every case with its events and deadlines.",
        """claimkit case export > cases.jsonl
  claimkit case export | jq -r 'select(.status == "open") | .id'""",
        "claimkit.cli.case_report:export_command",
    ),
    Command(
        "purge",
        (
            Option(
                "closed_before",
                ("--closed-before",),
                "Delete the cases closed before this date (its start, in the profile's time zone).",
                metavar="DATE",
            ),
            DATABASE,
        ),
        "Delete closed cases and their timelines (the log holds personal data).",
        """claimkit case purge --closed-before 2025-04-01
  claimkit case export > backup.jsonl && claimkit case purge --closed-before 2025-12-01""",
        "claimkit.cli.case_report:purge_command",
    ),
)
