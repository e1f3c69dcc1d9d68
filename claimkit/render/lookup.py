"""Where a template's text comes from: never a file outside the content folders in use.

A name is looked up in each templates folder in turn (a team's before the
built-in one); ``builtin:NAME`` reaches the built-in folder past any override.
A name that climbs out (``..``) or is absolute is not there at all. The file
found must lie, once every symlink is resolved, inside the real path of one of
the content folders the user named (team folders, the user's, the built-in
one): a symlink from a team's folder into the built-in one is followed, but a
symlinked folder or file that leads anywhere else is refused with an error
(it does not fall through to the next folder). A folder being a symlink does
not widen what it may reach.

Jinja's loader (claimkit.render.sandbox) reads through this, and so does a draft
rendered from a program (claimkit.render.renderer), which must not import
Jinja: both find the same file and the same text by construction.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from pathlib import Path

from claimkit.errors import ContentError, InputError
from claimkit.files import MiB, read_text
from claimkit.paths import ContentRoot

BUILTIN_PREFIX = "builtin"  # {% extends "builtin:apology/first-reply.j2" %} reaches past overrides
MAX_TEMPLATE_BYTES = 1 * MiB


class TemplateMissing(LookupError):
    """No templates folder has the name (or the one that does leads outside)."""


class TemplateFiles:
    """The templates of one language: a list of folders, the built-in ones among them,
    and the content folders every file read must lie inside."""

    def __init__(
        self,
        folders: Sequence[str | Path],
        builtin: Sequence[str | Path],
        confined_to: Sequence[str | Path],
    ) -> None:
        self.folders = [str(f) for f in folders]
        self.builtin = [str(f) for f in builtin]
        # Resolved once: a symlinked content folder is confined to where it really is.
        self.confined_to = [os.path.join(os.path.realpath(f), "") for f in confined_to]
        self._read: dict[str, tuple[str, str]] = {}

    @classmethod
    def of(cls, roots: Sequence[ContentRoot], lang: str) -> TemplateFiles:
        """The templates of ``lang`` in content roots (highest precedence first)."""
        return cls(
            [r.templates / lang for r in roots],
            [r.templates / lang for r in roots if r.origin == "built-in"],
            [r.path for r in roots],
        )

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
        """The file of the first folder that has ``name``; ContentError if its real path
        leaves the content folders."""
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
        if not any(real.startswith(root) for root in self.confined_to):
            # Named, not read: what lies outside is none of the template's business.
            raise ContentError(
                f"template '{name}' leads outside the content folder (a symlink); "
                "a template is read only from inside its folder",
                where=os.path.normpath(filename),
            )
        return os.path.normpath(filename)


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
