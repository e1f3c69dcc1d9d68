"""Where things live: the built-in content, the user's config folder, team folders.

This is the only module that knows these locations.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

from claimkit.errors import InputError

PROFILE_FILE = "profile.yaml"


class ContentRoot(NamedTuple):
    """A folder laid out like the built-in content: ``playbooks/`` and ``templates/``."""

    path: Path
    origin: str  # "team", "user" or "built-in": shown to people, never parsed

    @property
    def playbooks(self) -> Path:
        return self.path / "playbooks"

    @property
    def templates(self) -> Path:
        return self.path / "templates"

    @property
    def rules(self) -> Path:
        return self.path / "rules"


def builtin_root() -> ContentRoot:
    package = files("claimkit")
    # An installed wheel carries the content inside the package (pyproject's
    # force-include); a source checkout keeps it at the top level beside the package.
    bundled = package / "_builtin"
    if bundled.is_dir():
        return ContentRoot(Path(str(bundled)), "built-in")
    return ContentRoot(Path(str(package)).parent, "built-in")


def config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    override = environ.get("CLAIMKIT_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("claimkit", appauthor=False)


def profile_path(environ: Mapping[str, str] = os.environ) -> Path:
    return config_dir(environ) / PROFILE_FILE


def team_dirs(flag_dirs: Sequence[Path], environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The team folders in force: ``--playbooks`` replaces ``CLAIMKIT_PLAYBOOKS``."""
    if flag_dirs:
        return list(flag_dirs)
    raw = environ.get("CLAIMKIT_PLAYBOOKS", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p]


def content_roots(
    flag_dirs: Sequence[Path] = (), environ: Mapping[str, str] = os.environ
) -> list[ContentRoot]:
    """Content folders, highest precedence first: team folders, the user's, built-in."""
    roots: list[ContentRoot] = []
    for d in team_dirs(flag_dirs, environ):
        source = "--playbooks" if flag_dirs else "CLAIMKIT_PLAYBOOKS"
        if not d.is_dir():
            raise InputError(f"{source}: {d} is not a folder")
        root = ContentRoot(d, "team")
        if not any(p.is_dir() for p in (root.playbooks, root.templates, root.rules)):
            raise InputError(
                f"{source}: {d} holds no playbooks/, templates/ or rules/; "
                "a team folder is laid out like the built-in content"
            )
        roots.append(root)
    user = ContentRoot(config_dir(environ), "user")
    if any(p.is_dir() for p in (user.playbooks, user.templates, user.rules)):
        roots.append(user)
    roots.append(builtin_root())
    return roots
