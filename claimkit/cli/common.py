"""What several commands share: option types and the setup every command starts with."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from claimkit.console import Streams


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


def complete_scenario(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of scenario ids: file names only, no YAML or Jinja."""
    from claimkit.catalog import Catalog
    from claimkit.errors import ClaimkitError
    from claimkit.paths import content_roots

    try:
        ids = Catalog(content_roots(ctx.params.get("playbooks") or ())).ids()
    except ClaimkitError:
        return []
    return [i for i in ids if i.startswith(incomplete)]


@dataclass
class Setup:
    """Where a command runs: its streams, content and the user's profile."""

    streams: Streams
    catalog: Any  # claimkit.catalog.Catalog
    profile: dict[str, Any]
    profile_path: Path
    lang: str


def setup(playbooks: list[Path] | None, lang: Lang | None) -> Setup:
    from claimkit.catalog import Catalog
    from claimkit.langs import choose_lang
    from claimkit.paths import content_roots, profile_path
    from claimkit.profile import load_profile

    streams = Streams.from_sys()
    path = profile_path(streams.environ)
    profile = load_profile(path)
    profile_lang = profile.get("lang")
    chosen = choose_lang(
        lang.value if lang else None,
        str(profile_lang) if profile_lang else None,
        streams.environ,
    )
    catalog = Catalog(content_roots(playbooks or (), streams.environ))
    return Setup(streams, catalog, profile, path, chosen)
