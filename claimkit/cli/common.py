"""Option types several commands share; the setup they start with is re-exported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimkit.cli.setup import Lang, Setup, setup

__all__ = ["Lang", "LangOption", "PlaybooksOption", "Setup", "complete_scenario", "setup"]


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


def complete_scenario(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of scenario ids: file names only, no YAML or Jinja."""
    from claimkit.content.catalog import Catalog
    from claimkit.errors import ClaimkitError
    from claimkit.paths import content_roots

    try:
        ids = Catalog(content_roots(ctx.params.get("playbooks") or ())).ids()
    except ClaimkitError:
        return []
    return [i for i in ids if i.startswith(incomplete)]
