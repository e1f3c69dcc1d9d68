"""Flags several typer commands share (draft's own are the table in claimkit.cli.options)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Lang(StrEnum):
    ja = "ja"
    en = "en"


LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        "-l",
        case_sensitive=False,
        help="Language of the draft [default: CLAIMKIT_LANG, the profile, then the locale].",
        show_default=False,
    ),
]
PlaybooksOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--playbooks",
        "-P",
        metavar="DIR",
        help="A team folder (playbooks/, templates/) whose content overrides the built-in; "
        "repeatable. Replaces CLAIMKIT_PLAYBOOKS.",
        show_default=False,
    ),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        metavar="URL",
        help="The case log: a postgresql:// URL for a team's, or an SQLite file "
        "[default: CLAIMKIT_DATABASE_URL, then cases.db in the user data folder].",
        show_default=False,
    ),
]
