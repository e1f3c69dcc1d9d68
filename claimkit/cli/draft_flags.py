"""``claimkit draft``'s flags: the one table both typer's command and the quick parser read."""

from __future__ import annotations

from claimkit.cli.options import Option

FORMATS = ("text", "json", "eml", "jsonl")
CHARSETS = ("utf-8", "iso-2022-jp")
LANGS = ("ja", "en")
DEFAULT_NAME = "{row}-{scenario}-{step}.{ext}"
MAX_JOBS = 64

DRAFT: tuple[Option, ...] = (
    Option(
        "scenario",
        (),
        "Scenario id (see 'claimkit list'); on a terminal, leave it out to choose.",
        metavar="SCENARIO",
    ),
    Option(
        "step",
        ("--step", "-s"),
        "Step to draft [default: the first with a message].",
        metavar="STEP",
    ),
    Option(
        "lang",
        ("--lang", "-l"),
        "Language of the draft [default: CLAIMKIT_LANG, the profile, then the locale].",
        kind="choice",
        choices=LANGS,
    ),
    Option(
        "data",
        ("--data", "-d"),
        "Variables from a YAML or JSON file ('-' reads stdin).",
        kind="path",
        metavar="FILE",
    ),
    Option(
        "assignments",
        ("--set",),
        "Set one variable; repeatable.",
        metavar="NAME=VALUE",
        repeat=True,
    ),
    Option("example", ("--example",), "Fill what is not given with example values.", "switch"),
    Option(
        "no_input", ("--no-input",), "Never prompt; fail (exit 2) naming what is missing.", "switch"
    ),
    Option(
        "fmt",
        ("--format", "-f"),
        "text: the body only [default]; json: everything; eml: a mail message; "
        "jsonl: one JSON object per case (--batch) [default with --batch].",
        kind="choice",
        choices=FORMATS,
    ),
    Option(
        "charset",
        ("--charset",),
        "Charset of --format eml.",
        kind="choice",
        choices=CHARSETS,
        default="utf-8",
    ),
    Option("out", ("--out", "-o"), "Write to FILE instead of stdout.", kind="path", metavar="FILE"),
    Option("force", ("--force",), "Let --out (or --out-dir) replace a file.", "switch"),
    Option("quiet", ("--quiet", "-q"), "No preview or notes on stderr.", "switch"),
    Option("no_check", ("--no-check",), "Do not check the draft (see 'claimkit check').", "switch"),
    Option(
        "strict_times",
        ("--strict-times",),
        "A promised time that is past, outside business hours or on a closed day is an "
        "error (exit 2), not a warning.",
        "switch",
    ),
    Option(
        "playbooks",
        ("--playbooks", "-P"),
        "A team folder (playbooks/, templates/) whose content overrides the built-in; "
        "repeatable. Replaces CLAIMKIT_PLAYBOOKS.",
        kind="path",
        metavar="DIR",
        repeat=True,
    ),
    Option(
        "batch",
        ("--batch",),
        "Draft every case of a JSON Lines or CSV file ('-' reads stdin).",
        kind="path",
        metavar="FILE",
    ),
    Option(
        "input_format",
        ("--input-format",),
        "Format of --batch [default: detected from the file].",
        kind="choice",
        choices=("jsonl", "csv"),
        batch_only=True,
    ),
    Option(
        "out_dir",
        ("--out-dir",),
        "With --batch: one file per case in DIR.",
        kind="path",
        metavar="DIR",
        batch_only=True,
    ),
    Option(
        "name",
        ("--name",),
        "File names in --out-dir: {row} {scenario} {step} {lang} {ext} or a variable.",
        metavar="TEMPLATE",
        default=DEFAULT_NAME,
        batch_only=True,
    ),
    Option(
        "fail_fast",
        ("--fail-fast",),
        "With --batch: stop at the first failed case.",
        "switch",
        batch_only=True,
    ),
    Option(
        "jobs",
        ("--jobs", "-j"),
        "With --batch: worker processes [default: one per CPU, up to 8]; "
        "1 drafts every case in this process.",
        kind="int",
        low=1,
        high=MAX_JOBS,
        batch_only=True,
    ),
)
