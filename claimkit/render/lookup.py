"""Where a template's text comes from: never a file outside its templates folder.

A name is looked up in each templates folder in turn (a team's before the
built-in one); ``builtin:NAME`` reaches the built-in folder past any override.
A name that climbs out (``..``) or is absolute is not there at all, and neither
is the first file found if its real path leaves every folder of the list (a
symlink out): the lookup does not go on to the next folder. A symlink from one
folder of the list into another (a team's into the built-in one) is followed.
These are the rules of the Jinja loaders claimkit used before, kept exactly
(tests/test_templatefiles.py compares them).

Jinja's loader (claimkit.render.sandbox) reads through this, and so does a draft
rendered from a compiled template (claimkit.render.renderer), which must not import
Jinja: both find the same file and the same text by construction.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from pathlib import Path

from claimkit.errors import ContentError, InputError
from claimkit.files import MiB, read_text

BUILTIN_PREFIX = "builtin"  # {% extends "builtin:apology/first-reply.j2" %} reaches past overrides
MAX_TEMPLATE_BYTES = 1 * MiB


class TemplateMissing(LookupError):
    """No templates folder has the name (or the one that does leads outside)."""


class TemplateFiles:
    """The templates of one language: a list of folders, and the built-in ones among them."""

    def __init__(self, folders: Sequence[str | Path], builtin: Sequence[str | Path]) -> None:
        self.folders = [str(f) for f in folders]
        self.builtin = [str(f) for f in builtin]
        self._read: dict[str, tuple[str, str]] = {}
        self._real: dict[str, str] = {}

    def read(self, name: str) -> tuple[str, str]:
        """The template's text and file name. Read once per run: whatever renders it,
        and the cache marks made of it, see the same text.

        Raises TemplateMissing, or ContentError for a file that is not UTF-8 text.
        """
        found = self._read.get(name)
        if found is None:
            filename = self._find(name, self.folders)
            if filename is None:
                prefix, _, rest = name.partition(":")
                if prefix == BUILTIN_PREFIX and rest:
                    filename = self._find(rest, self.builtin)
            if filename is None:
                raise TemplateMissing(name)
            try:
                text = read_text(filename, limit=MAX_TEMPLATE_BYTES)
            except InputError as e:  # a template is content, not this run's input
                raise ContentError(e.message, where=e.where) from None
            found = self._read[name] = (text, filename)
        return found

    def _find(self, name: str, folders: Sequence[str]) -> str | None:
        """The file of the first folder that has ``name``, if its real path is inside one
        of ``folders``."""
        pieces = _pieces(name)
        if pieces is None:
            return None
        for folder in folders:
            # posixpath, as Jinja's loader joins: no drive or UNC segment leaves the folder
            filename = posixpath.join(folder, *pieces)
            if os.path.isfile(filename):
                break
        else:
            return None
        real = os.path.realpath(filename)
        if not any(real.startswith(self._real_of(f)) for f in folders):
            return None
        return os.path.normpath(filename)

    def _real_of(self, folder: str) -> str:
        real = self._real.get(folder)
        if real is None:
            real = self._real[folder] = os.path.join(os.path.realpath(folder), "")
        return real


def _pieces(name: str) -> list[str] | None:
    """A template name's path segments; None for one that climbs out (``..``) or
    names a path of the system's own kind. Jinja splits names just so."""
    pieces = []
    for piece in name.split("/"):
        if os.sep in piece or (os.altsep and os.altsep in piece) or piece == os.pardir:
            return None
        if piece and piece != ".":
            pieces.append(piece)
    return pieces
