"""Where things live: the built-in content, the user's config folder, team folders.

This is the only module that knows these locations.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from claimkit.errors import ContentError, InputError

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
    return ContentRoot(_builtin()[1], "built-in")


def builtin_rules(lang: str) -> Path:
    """The built-in rule pack of a language (it ships inside the package)."""
    return _builtin()[0] / "rules" / f"{lang}.yaml"


_found: tuple[Path, Path] | None = None


def _builtin() -> tuple[Path, Path]:
    """The package's folder as importlib.resources gives it, and the built-in content's."""
    global _found
    if _found is None:
        _found = _remembered()
    return _found


def _look_up() -> tuple[Path, Path]:
    from importlib.resources import files

    package = files("claimkit")
    # An installed wheel carries the content inside the package (pyproject's
    # force-include); a source checkout keeps it at the top level beside the package.
    bundled = package / "_builtin"
    content = Path(str(bundled)) if bundled.is_dir() else Path(str(package)).parent
    return Path(str(package)), content


def _remembered() -> tuple[Path, Path]:
    """``_look_up()``, remembered in the cache between runs of this same installation.

    importlib.resources brings zipfile and its readers with it, several milliseconds
    of every scripted draft, for an answer that only changes when the package moves
    or its folder changes. The key holds the package's own location and that folder's
    identity and modification time, which any entry added, removed or renamed in it
    (a ``_builtin`` folder appearing, say) changes, so a remembered answer cannot
    outlive what it was found from; a remembered folder that is gone is looked up again.
    """
    from claimkit import cache

    here = os.path.dirname(os.path.abspath(__file__))  # the package's folder: this module's
    try:
        st = os.stat(here)
    except OSError:
        return _look_up()
    key = cache.key("paths", here, f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}")
    store = cache.default()
    found = store.get("paths", key)
    if isinstance(found, tuple) and len(found) == 2 and all(map(os.path.isdir, found)):
        return Path(found[0]), Path(found[1])
    located = _look_up()
    store.put("paths", key, (str(located[0]), str(located[1])))
    return located


# The per-user folders, as each system names them. Written out rather than asked of
# platformdirs: that library's import (with tempfile, shutil and random behind it)
# was 5 ms, a fourteenth of every scripted draft, for three folders whose rules
# (the XDG base directories; Apple's and Windows' fixed places) fit in this table.
_XDG = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "data": ("XDG_DATA_HOME", ".local/share"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}
_MACOS = {"config": "Application Support", "data": "Application Support", "cache": "Caches"}


def user_folder(kind: str, environ: Mapping[str, str] = os.environ) -> Path:
    """claimkit's own ``config``, ``data`` or ``cache`` folder for this user."""
    if sys.platform == "win32":
        # %LOCALAPPDATA%: these stay on the machine (a roaming profile would carry the
        # cache and the case log between machines).
        base = environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base, "claimkit", *(("Cache",) if kind == "cache" else ()))
    if sys.platform == "darwin":
        return Path.home() / "Library" / _MACOS[kind] / "claimkit"
    variable, fallback = _XDG[kind]
    named = environ.get(variable, "").strip()
    # The spec: a relative path in an XDG variable is invalid and is to be ignored.
    base = Path(named) if named and os.path.isabs(named) else Path.home() / fallback
    return base / "claimkit"


def config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    override = environ.get("CLAIMKIT_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    return user_folder("config", environ)


def profile_path(environ: Mapping[str, str] = os.environ) -> Path:
    return config_dir(environ) / PROFILE_FILE


def team_dirs(flag_dirs: Sequence[Path], environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The team folders in force: ``--playbooks`` replaces ``CLAIMKIT_PLAYBOOKS``."""
    if flag_dirs:
        return list(flag_dirs)
    raw = environ.get("CLAIMKIT_PLAYBOOKS", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p]


def confined(path: Path, folder: Path) -> Path:
    """``path``, if its real path lies inside ``folder``'s; else a ContentError that names
    the file and says only that it is outside (what it leads to is not ours to show)."""
    real = os.path.realpath(path)
    if not real.startswith(os.path.join(os.path.realpath(folder), "")):
        raise ContentError(
            f"leads outside the folder {folder} (a symlink); content is read only from "
            "inside its folder",
            where=str(path),
        )
    return path


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder; False also where the question cannot be asked (a
    name too long, a file on the way), which the caller reports as not a folder."""
    try:
        return path.is_dir()
    except OSError:
        return False


def content_roots(
    flag_dirs: Sequence[Path] = (), environ: Mapping[str, str] = os.environ
) -> list[ContentRoot]:
    """Content folders, highest precedence first: team folders, the user's, built-in."""
    roots: list[ContentRoot] = []
    for d in team_dirs(flag_dirs, environ):
        source = "--playbooks" if flag_dirs else "CLAIMKIT_PLAYBOOKS"
        if not is_dir(d):
            raise InputError(f"{source}: {str(d)[:200]} is not a folder")
        root = ContentRoot(d, "team")
        if not any(is_dir(p) for p in (root.playbooks, root.templates, root.rules)):
            raise InputError(
                f"{source}: {d} holds no playbooks/, templates/ or rules/; "
                "a team folder is laid out like the built-in content"
            )
        roots.append(root)
    user = ContentRoot(config_dir(environ), "user")
    if any(is_dir(p) for p in (user.playbooks, user.templates, user.rules)):
        roots.append(user)
    roots.append(builtin_root())
    return roots
