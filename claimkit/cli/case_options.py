"""The ``claimkit case`` commands that open, draft and record, as tables of flags with
their help; with claimkit.cli.case_flags' reading ones, every case command.
"""

from __future__ import annotations

from claimkit.cli.case_flags import (
    AS_JSON,
    AT,
    CASE,
    DATABASE,
    LANG,
    NOTE,
    OTHERS,
    PLAYBOOKS,
    Command,
    draft_flag,
    runner,
)
from claimkit.cli.options import Option

__all__ = ["BY_NAME", "COMMANDS", "EPILOG", "HELP", "Command", "runner"]

HELP = """Follow a complaint as a case, from the first mail to the thank-you.

The log keeps each case's values and timeline, which step is next and when it
is due: on this computer (SQLite), or on a team's PostgreSQL with --database or
CLAIMKIT_DATABASE_URL. 'claimkit paths' shows where."""

EPILOG = """\b
Examples:
  id=$(claimkit case open apology --reply-to complaint.eml)
  claimkit case next "$id" --format eml | msmtp -t && claimkit case done "$id"
  claimkit case list --overdue"""

RECORDING: tuple[Command, ...] = (
    Command(
        "open",
        (
            Option(
                "scenario",
                (),
                "Scenario id (see 'claimkit list').",
                metavar="SCENARIO",
                required=True,
            ),
            Option(
                "reply_to",
                ("--reply-to", "-r"),
                "The complaint mail (.eml; '-' reads "
                "stdin): its sender, Message-ID, subject and time received.",
                kind="path",
                metavar="FILE",
            ),
            *(draft_flag(p) for p in ("data", "assignments", "lang", "example", "no_input")),
            PLAYBOOKS,
            DATABASE,
        ),
        "Open a case: store its values and the complaint; print the new case id alone.",
        """claimkit case open apology --reply-to complaint.eml --set callback_at="明日 15:00"
  id=$(claimkit case open threat --data case.yaml --lang ja)
  claimkit case open apology --example --lang en""",
        "claimkit.cli.case:open_command",
    ),
    Command(
        "next",
        (
            CASE,
            Option(
                "step",
                ("--step", "-s"),
                "Draft this step instead [default: the next].",
                metavar="STEP",
            ),
            Option(
                "fmt",
                ("--format", "-f"),
                "text: the body [default]; json: everything, "
                "with the threading; eml: a mail, threaded with the complaint.",
                kind="choice",
                choices=("text", "json", "eml"),
                default="text",
            ),
            *(draft_flag(p) for p in ("assignments", "no_input", "charset", "out", "force")),
            *(draft_flag(p) for p in ("quiet", "strict_times", "no_quote")),
            PLAYBOOKS,
            DATABASE,
        ),
        "Draft the case's next step from its stored values; --set values are stored too.",
        """claimkit case next K7M4-Q9PX --format eml | msmtp -t
  claimkit case next K7M4-Q9PX --set callback_at="12/5 15:00"
  claimkit case next K7M4-Q9PX --step report --format json | jq -r .body""",
        "claimkit.cli.case:next_command",
    ),
    Command(
        "done",
        (
            CASE,
            Option("step", (), "The step [default: the case's next].", metavar="STEP"),
            AT,
            NOTE,
            Option("skip", ("--skip",), "Record the step as skipped, not done.", "switch"),
            AS_JSON,
            LANG,
            PLAYBOOKS,
            DATABASE,
        ),
        "Record a step as done (sent, called, visited); the next step and its due time follow.",
        """claimkit case done K7M4-Q9PX
  claimkit case done K7M4-Q9PX call --at "15:10" --note "交換をご希望"
  claimkit case done K7M4-Q9PX thank --skip""",
        "claimkit.cli.case:done_command",
    ),
    Command(
        "log",
        (
            CASE,
            Option("text", (), "What happened, in a line or two.", metavar="TEXT", required=True),
            Option(
                "kind",
                ("--kind", "-k"),
                "note, call, visit or exchange (one round trip of the decided answer).",
                kind="choice",
                choices=("note", "call", "visit", "exchange"),
                default="note",
            ),
            Option(
                "minutes", ("--minutes", "-m"), "How long it took.", kind="int", low=0, high=100_000
            ),
            Option(
                "exchanges",
                ("--exchanges",),
                "Round trips [default: 1 with --kind exchange].",
                kind="int",
                low=0,
                high=100_000,
            ),
            AT,
            AS_JSON,
            LANG,
            PLAYBOOKS,
            DATABASE,
        ),
        "Add to the timeline; in a threat case, round trips and minutes count against the limits.",
        """claimkit case log K7M4-Q9PX "お客様から折り返しのお電話" --kind call --minutes 12
  claimkit case log K7M4-Q9PX "「ネットに書く」と再度" --kind exchange
  claimkit case log K7M4-Q9PX "訪問して交換" --kind visit --at "12/5 14:00\"""",
        "claimkit.cli.case:log_command",
    ),
    Command(
        "call",
        (CASE, NOTE, LANG, PLAYBOOKS, DATABASE),
        "On a terminal: a companion for a call (time, round trips, the decided answer, "
        "the limits); logged when it ends.",
        """claimkit case call K7M4-Q9PX
  claimkit case call K7M4-Q9PX --note "お客様から着信\"""",
        "claimkit.cli.case_call:call_command",
    ),
)
COMMANDS = RECORDING + OTHERS
BY_NAME = {c.name: c for c in COMMANDS}
