"""The terminal edge: the product on stdout, everything else on stderr.

stdout only ever receives the product's bytes, written as they are (no rich,
no wrapping, no markup). Prompts, previews, warnings and errors go to stderr,
through rich only when stderr is a terminal, and without colour when NO_COLOR
is set. rich is imported only then, so a script's run never pays for it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, TextIO

from claimkit.errors import OutputError

if TYPE_CHECKING:
    from rich.console import Console


# What a terminal would act on rather than show: C0 and C1 controls and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def visible(text: str, keep: str = "") -> str:
    """``text`` with control characters shown as escapes (\\x1b), so what a file holds
    (a row's scenario, a key, a subject) can never drive the terminal."""
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else repr(m.group())[1:-1], text)


class Streams:
    """The standard streams and the environment a command runs with (tests pass their own)."""

    # A plain class: a dataclass would cost every scripted draft a millisecond to create.
    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        stderr: TextIO,
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.environ = environ

    @classmethod
    def from_sys(cls) -> Streams:
        return cls(sys.stdin, sys.stdout, sys.stderr, os.environ)

    @staticmethod
    def _tty(stream: IO[Any]) -> bool:
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    @property
    def stdin_tty(self) -> bool:
        return self._tty(self.stdin)

    @property
    def stdout_tty(self) -> bool:
        return self._tty(self.stdout)

    @property
    def stderr_tty(self) -> bool:
        return self._tty(self.stderr)

    @property
    def color(self) -> bool:
        return self.stderr_tty and not self.environ.get("NO_COLOR")

    def write_product(self, data: bytes) -> None:
        """The product, all of it, or an OutputError (a full disk is not a success)."""
        try:
            self.stdout.flush()
            self.stdout.buffer.write(data)
            self.stdout.buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as e:
            raise OutputError(
                f"cannot write: {e.strerror or e}; what went out is incomplete", where="stdout"
            ) from None

    def write_text(self, text: str) -> None:
        self.write_product(text.encode("utf-8"))

    def note(self, message: str) -> None:
        print(visible(message, keep="\n"), file=self.stderr)

    def warn(self, message: str) -> None:
        self._tagged("warning", message, "33")

    def error(self, message: str) -> None:
        self._tagged("error", message, "31")

    def _tagged(self, tag: str, message: str, ansi: str) -> None:
        one_line = visible(" ".join(message.splitlines()))
        label = f"\x1b[{ansi};1m{tag}:\x1b[0m" if self.color else f"{tag}:"
        print(f"claimkit: {label} {one_line}", file=self.stderr)
        self.stderr.flush()

    def err_console(self) -> Console:
        """A rich Console on stderr for terminal output: no markup, no highlighting."""
        return self._console(self.stderr)

    def out_console(self) -> Console:
        """A rich Console for reports on stdout when it is a terminal."""
        return self._console(self.stdout)

    def _console(self, file: TextIO) -> Console:
        from rich.console import Console

        plain = bool(self.environ.get("NO_COLOR"))
        return Console(
            file=file,
            markup=False,
            highlight=False,
            emoji=False,
            # NO_COLOR: no escape codes at all, bold and dim included.
            color_system=None if plain else "auto",
            no_color=plain,
        )
