"""Reading text the user hands us and writing the product without losing anything."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from claimkit.errors import InputError, OutputError

MiB = 1024 * 1024


def decode_text(raw: bytes, where: str) -> str:
    """UTF-8 text with a BOM and CRLF tolerated; binary data refused with its position."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError(
            f"binary data (a NUL byte at offset {nul}); expected UTF-8 text", where=where
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"not UTF-8 text (invalid byte at offset {e.start}); save the file as UTF-8",
            where=where,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def source_name(path: str | Path) -> str:
    """How messages name a user file: its path, or <stdin> for ``-``."""
    return "<stdin>" if str(path) == "-" else str(path)


def read_bytes(
    path: str | Path, *, limit: int, stdin: BinaryIO | None = None, kind: str = "file"
) -> bytes:
    """At most ``limit`` + 1 bytes of a user file (``-`` is stdin): one more than may be,
    so the caller can tell a file that is too large. ``kind`` names it in messages."""
    where = source_name(path)
    try:
        if str(path) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            return stream.read(limit + 1)
        with open(path, "rb") as f:
            return f.read(limit + 1)
    except FileNotFoundError:
        raise InputError("no such file", where=where) from None
    except IsADirectoryError:
        raise InputError(f"is a folder, not a {kind}", where=where) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", where=where) from None


def read_text(path: str | Path, *, limit: int, stdin: BinaryIO | None = None) -> str:
    """Read a user file (``-`` is stdin) as text, refusing anything over ``limit`` bytes."""
    where = source_name(path)
    raw = read_bytes(path, limit=limit, stdin=stdin)
    if len(raw) > limit:
        raise InputError(
            f"larger than the {limit // MiB} MiB this kind of file may be", where=where
        )
    return decode_text(raw, where)


def write_atomic(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` all at once or not at all.

    The bytes go to a temporary file in the same folder first, so a crash or
    Ctrl-C leaves either the old file or the new one, never half of it. Without
    ``force`` an existing path (a symlink included) is left alone; with it the
    path itself is replaced, keeping the mode of the file it replaces, so a
    symlink is never followed to clobber its target. Only regular files are
    replaced: an existing device or pipe (/dev/null, a FIFO) is written into.
    """
    where = str(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:  # a name too long, a folder that cannot be searched
        raise OutputError(f"cannot write: {e.strerror or e}", where=where) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError("is a folder; give a file name", where=where)
        if not force:
            raise OutputError("already exists; use --force to replace it", where=where)
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
            _stream_into(path, data)
            return
    folder = path.parent
    mode = stat.S_IMODE(st.st_mode) if st is not None and stat.S_ISREG(st.st_mode) else None
    tmp = None
    try:
        import tempfile  # only a run that writes a file pays for it (random, shutil)

        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        if force:
            os.replace(tmp, path)
        else:
            # link() fails if the name appeared meanwhile: no-clobber without a race.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputError(
                    "already exists; use --force to replace it", where=where
                ) from None
            except OSError:
                # Some file systems have no hard links; fall back to a checked rename.
                if os.path.lexists(path):
                    raise OutputError(
                        "already exists; use --force to replace it", where=where
                    ) from None
                os.replace(tmp, path)
    except FileNotFoundError:
        raise OutputError(f"folder {folder} does not exist", where=where) from None
    except OSError as e:
        raise OutputError(f"cannot write: {e.strerror or e}", where=where) from None
    finally:
        if tmp is not None and os.path.lexists(tmp):
            os.unlink(tmp)


def _stream_into(path: Path, data: bytes) -> None:
    """Write into a device or a pipe that exists, without replacing it."""
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        raise OutputError(f"cannot write: {e.strerror or e}", where=str(path)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
