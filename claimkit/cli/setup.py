"""Where every command starts: the streams, the content and the user's profile.

Free of typer, so the scripted draft (see fastpath) can start without it.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from claimkit.cli.console import Streams


class Lang(StrEnum):
    ja = "ja"
    en = "en"


class Setup(NamedTuple):
    """Where a command runs: its streams, content and the user's profile.

    A NamedTuple: a dataclass compiles its methods when its class is created,
    a millisecond of every scripted draft's start-up.
    """

    streams: Streams
    catalog: Any  # claimkit.content.catalog.Catalog
    profile: dict[str, Any]
    profile_path: Path
    lang: str

    def checker(self, rule_dirs: Sequence[Path] = (), disabled: Sequence[str] = ()) -> Any:
        """The check's rules for this content: team and user rule folders, then ``rule_dirs``."""
        from claimkit.check.checker import Checker

        content = [r.rules for r in reversed(self.catalog.roots) if r.origin != "built-in"]
        return Checker([d for d in content if d.is_dir()] + list(rule_dirs), disabled)


def setup(playbooks: list[Path] | None, lang: Lang | None) -> Setup:
    from claimkit.content.catalog import Catalog
    from claimkit.paths import content_roots, profile_path
    from claimkit.values.lang import choose_lang
    from claimkit.values.profile import load_profile

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
