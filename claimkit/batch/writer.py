"""Writing a batch's drafted chunks, in input order, without losing or faking a case.

JSON lines go to a binary stream (stdout) in buffered blocks; files go one per
case into a folder, each written atomically. Counts move only once a line or a
file is really out, so "drafted N" is never more than what was written: a write
that fails (a full disk) ends at a line boundary, and a cut-short line at the
end of a regular file is taken back. While it writes, ``writing`` is true: the
caller's Ctrl-C handler then asks for a stop (``stop_requested``) instead of
interrupting, and the writer stops at the end of the line or file under way.
Failures are passed to ``report`` as they are met, each with its row.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from claimkit.batch.job import Drafted, shortened
from claimkit.errors import ClaimkitError, ExitStatus, OutputError

FLUSH_BYTES = 256 * 1024  # JSON lines buffered before a write: fewer system calls, flat memory

Report = Callable[[int, str], None]  # a failed case: its row, and why


def out_folder(path: Path) -> Path:
    """The folder --out-dir names, made if need be, as an absolute path."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not path.is_dir():
            raise OutputError("is not a folder", where=str(path))
        return path.resolve()
    except OSError as e:
        reason = f"cannot create the folder: {e.strerror or e}"
        raise OutputError(reason, where=str(path)) from None


class Stopped(Exception):
    """The batch was asked to stop (Ctrl-C): what was written is whole."""


class Writer:
    """Takes drafted chunks in order: writes them, reports failures, counts."""

    def __init__(
        self,
        out: BinaryIO | None,
        folder: Path | None,
        *,
        force: bool,
        fail_fast: bool,
        report: Report,
        warn: Report = lambda row, reason: None,
        stop_requested: Callable[[], bool] = lambda: False,
        unique_names: bool = True,
    ) -> None:
        """``unique_names``: the --name template gives every row its own name ({row}),
        so names need no tracking to keep two cases from writing the same file."""
        self.out = out
        self.folder = folder
        self.force = force
        self.fail_fast = fail_fast
        self.report = report
        self.warn = warn
        self.stop_requested = stop_requested
        self.written = 0  # cases whose line or file is out
        self.failed = 0
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._names: set[str] | None = None if unique_names else set()
        self.writing = False  # a line or a file is being written: a stop waits for its end

    @property
    def total(self) -> int:
        return self.written + self.failed

    def take(self, part: Drafted) -> bool:
        """Write a chunk; False once --fail-fast has met a failure. Raises the error that
        ended the batch once the chunk before it is written."""
        for row, reason in part.warnings:
            self.warn(row, reason)
        going = self._files(part) if self.folder is not None else self._lines(part)
        if part.fatal is not None:
            self.flush()
            error = ClaimkitError(part.fatal[0])
            error.exit_status = ExitStatus(part.fatal[1])
            raise error
        return going

    def _lines(self, part: Drafted) -> bool:
        for failure in part.failures:
            if self.fail_fast:
                self._queue(part.lines[: failure.before], failure.position)
                self._fail(failure.row, failure.reason)
                return False
        self._queue(part.lines, part.cases - len(part.failures))
        for failure in part.failures:
            self._fail(failure.row, failure.reason)
        return True

    def _queue(self, data: bytes, lines: int) -> None:
        if lines:
            self._buffer.append(data)
            self._buffered += len(data)
        if self._buffered >= FLUSH_BYTES or self.stop_requested():
            self.flush()

    def flush(self) -> None:
        """Write what is buffered; OutputError if the stream takes less than all of it
        (the count then says how many lines did go out, each whole)."""
        if not self._buffer or self.out is None:
            return
        data = b"".join(self._buffer)
        self._buffer.clear()
        self._buffered = 0
        self.writing = True
        try:
            sent = _write_lines(self.out, data, self.stop_requested)
        except _NoRoom as e:
            self.written += e.lines
            raise
        finally:
            self.writing = False
        self.written += data.count(b"\n", 0, sent)
        if sent < len(data):
            raise Stopped

    def _files(self, part: Drafted) -> bool:
        from claimkit.files import write_atomic

        assert self.folder is not None
        for done in part.files:
            if self.stop_requested():
                raise Stopped
            error = done.error
            if error is None:
                assert done.file is not None and done.data is not None
                name = self._claim(done.file, done.row)
                self.writing = True
                try:
                    write_atomic(self.folder / name, done.data, force=self.force)
                except OutputError as e:  # this case's file exists, say
                    error = str(e)
                else:
                    self.written += 1
                finally:
                    self.writing = False
            if error is not None:
                self._fail(done.row, error)
                if self.fail_fast:
                    return False
        return True

    def _claim(self, name: str, row: int) -> str:
        """A name no earlier case of this batch has written: two rows that reduce to the
        same name (Yamada/Taro, Yamada_Taro) get the second one's row added."""
        if self._names is None:
            return name
        if name.casefold() in self._names:  # case-insensitive file systems see one file
            stem, dot, ext = name.rpartition(".")
            if not dot:
                stem, ext = name, ""
            suffix = f"-{row:06d}" + (f".{ext}" if dot else "")
            name = shortened(stem, 200 - len(suffix.encode("utf-8"))) + suffix
        self._names.add(name.casefold())
        return name

    def _fail(self, row: int, reason: str) -> None:
        self.failed += 1
        self.report(row, reason)


def _write_lines(out: BinaryIO, data: bytes, stop_requested: Callable[[], bool]) -> int:
    """Write ``data`` (whole lines) to ``out``; the bytes written, always up to a line's
    end: a stop asked for in between finishes the line under way, a failed write
    raises OutputError after taking back a cut-short line where the stream is a file."""
    try:
        fd = out.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's buffer)
        out.write(data)
        out.flush()
        return len(data)
    out.flush()
    view = memoryview(data)
    sent = 0
    while sent < len(data):
        try:
            sent += os.write(fd, view[sent : sent + FLUSH_BYTES])
        except OSError as e:
            if e.errno == errno.EPIPE:
                raise BrokenPipeError(e.errno, e.strerror) from None
            kept = _take_back(fd, data, sent)
            cut = kept > 0 and data[kept - 1 : kept] != b"\n"
            raise _NoRoom(e, data.count(b"\n", 0, kept), cut=cut) from None
        if sent < len(data) and stop_requested():
            if data[sent - 1 : sent] != b"\n":  # finish the line under way
                end = data.index(b"\n", sent) + 1
                while sent < end:
                    sent += os.write(fd, view[sent:end])
            return sent
    return sent


def _take_back(fd: int, data: bytes, sent: int) -> int:
    """The bytes of ``data`` that stay written: a cut-short last line is cut off a
    regular file (a pipe cannot take it back)."""
    whole = data.rfind(b"\n", 0, sent) + 1
    if whole == sent:
        return sent
    try:
        import stat

        if stat.S_ISREG(os.fstat(fd).st_mode):
            end = os.lseek(fd, 0, os.SEEK_CUR)
            os.ftruncate(fd, end - (sent - whole))
            os.lseek(fd, end - (sent - whole), os.SEEK_SET)
            return whole
    except OSError:
        pass
    return sent


class _NoRoom(OutputError):
    def __init__(self, error: OSError, lines: int, *, cut: bool) -> None:
        end = "; the last line is cut short" if cut else ", each whole"
        super().__init__(
            f"cannot write: {error.strerror or error}; {lines} lines went out{end}",
            where="stdout",
        )
        self.lines = lines
