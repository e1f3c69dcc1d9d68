"""The one exception family of claimkit and the exit codes it maps to.

Core modules raise these; only ``claimkit.cli`` turns them into exit codes and
one-line messages. Nothing here imports typer or click, so the core stays
usable as a library.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FINDINGS = 1  # a check or validation found problems; a batch had failed rows
    USAGE = 2  # anything the user or a file they supplied got wrong
    INTERNAL = 70  # a bug in claimkit (sysexits EX_SOFTWARE)
    INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT
    PIPE = 141  # the reader of stdout went away, as a shell reports SIGPIPE


class ClaimkitError(Exception):
    """An error the user can fix. ``str(err)`` is the one line shown to them."""

    exit_status: ExitStatus = ExitStatus.USAGE

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ContentError(ClaimkitError):
    """A playbook, template or rule pack is malformed; ``where`` is file:line."""


class InputError(ClaimkitError):
    """A flag, value or data file supplied for this run is unusable."""


class UnknownNameError(InputError):
    """An unknown scenario, step or similar id; the message suggests the closest."""


class MissingVariablesError(InputError):
    def __init__(self, names: list[str], *, scenario: str) -> None:
        self.names = names
        flags = " ".join(f"--set {n}=..." for n in names)
        super().__init__(
            f"missing {'variable' if len(names) == 1 else 'variables'} for '{scenario}': "
            f"{', '.join(names)}; give them with {flags}, --data FILE or --example"
        )


class OutputError(ClaimkitError):
    """The product cannot be written where the user asked."""


class TemplateRenderError(ContentError):
    """A template failed while rendering (undefined variable, refused access, ...)."""


class Interrupted(ClaimkitError):
    exit_status = ExitStatus.INTERRUPTED

    def __init__(self, message: str = "interrupted; nothing was written") -> None:
        super().__init__(message)
