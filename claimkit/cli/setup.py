"""Where every command starts: the streams, the content, the user's profile and language.

Free of typer, so a scripted draft (see claimkit.cli.main) can start without it.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from claimkit.cli.console import Streams
from claimkit.content.catalog import Catalog

if TYPE_CHECKING:
    from claimkit.check.checker import Checker


class Setup(NamedTuple):
    """Where a command runs: its streams, content, the user's profile and the day."""

    streams: Streams
    catalog: Catalog
    profile: dict[str, Any]
    profile_path: Path
    lang: str
    today: date
    now: datetime  # aware: promised times are checked against it

    def checker(self, rule_dirs: Sequence[Path] = (), disabled: Sequence[str] = ()) -> "Checker":
        """The check's rules for this content: team and user rule folders, then ``rule_dirs``."""
        from claimkit.check.checker import Checker

        content = [r.rules for r in reversed(self.catalog.roots) if r.origin != "built-in"]
        return Checker([d for d in content if d.is_dir()] + list(rule_dirs), disabled)


def setup(playbooks: Sequence[str | Path] | None, lang: str | None) -> Setup:
    from claimkit import cache
    from claimkit.paths import content_roots, profile_path
    from claimkit.values.lang import choose_lang
    from claimkit.values.profile import load_profile

    streams = Streams.from_sys()
    refused = cache.default().refused
    if refused:
        streams.warn(refused)
    path = profile_path(streams.environ)
    profile = load_profile(path)
    profile_lang = profile.get("lang")
    chosen = choose_lang(lang, str(profile_lang) if profile_lang else None, streams.environ)
    catalog = Catalog(content_roots([Path(p) for p in playbooks or ()], streams.environ))
    return Setup(
        streams=streams,
        catalog=catalog,
        profile=profile,
        profile_path=path,
        lang=chosen,
        today=date.today(),
        now=datetime.now().astimezone(),
    )


def complete_scenario(ctx: Any, incomplete: str) -> list[str]:
    """Shell completion of scenario ids: file names only, no YAML or Jinja."""
    from claimkit.errors import ClaimkitError
    from claimkit.paths import content_roots

    try:
        ids = Catalog(content_roots(ctx.params.get("playbooks") or ())).ids()
    except ClaimkitError:
        return []
    return [i for i in ids if i.startswith(incomplete)]
