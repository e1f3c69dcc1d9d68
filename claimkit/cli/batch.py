"""claimkit draft --batch: flags in, claimkit.batch drafts and writes, a count out.

Ctrl-C stops the batch at the next boundary that is safe: at once while it
waits for input; else once the line, file or chunk under way is done (never
inside the worker pool's own bookkeeping, where an interruption can deadlock
it). Every line or file written is whole, and the count says how many there are.
"""

from __future__ import annotations

import signal
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO

from claimkit.batch.writer import Writer
from claimkit.cli.console import Streams
from claimkit.cli.setup import setup
from claimkit.errors import ExitStatus, InputError, Interrupted, OutputError


def draft_batch(**o: Any) -> int:
    """``claimkit draft --batch FILE``, from parsed options; the exit status (1 when any
    case failed)."""
    from claimkit.batch import pool
    from claimkit.batch.job import Job
    from claimkit.batch.source import read_chunks
    from claimkit.batch.writer import Stopped, out_folder
    from claimkit.pipeline import Request
    from claimkit.render.renderer import Renderer
    from claimkit.values.sources import sources_from

    if o["out"] is not None:
        raise InputError("--out writes one draft; a batch writes to stdout, or to --out-dir DIR")
    out_dir = Path(o["out_dir"]) if o["out_dir"] is not None else None
    fmt = o["fmt"] or ("jsonl" if out_dir is None else "text")
    if out_dir is None and fmt != "jsonl":
        raise InputError(
            "--batch writes --format jsonl to stdout, or one file per case with --out-dir"
        )
    if out_dir is not None and fmt == "jsonl":
        raise InputError("--out-dir writes one file per case: use --format text, eml or json")
    env = setup(o["playbooks"], o["lang"])
    streams = env.streams
    if o["scenario"] is not None:
        env.catalog.entry(o["scenario"])  # an unknown SCENARIO fails the run, not every case
    source = o["batch"]
    where = "<stdin>" if source == "-" else source
    sources = sources_from(env.profile, env.profile_path, o["data"], o["assignments"], o["example"])
    checker = None if o["no_check"] else env.checker()
    job = Job(
        catalog=env.catalog,
        renderer=Renderer(env.catalog.roots),
        base=Request(
            scenario=o["scenario"] or "",
            lang=env.lang,
            sources=sources,
            today=env.today,
            step=o["step"],
            now=env.now,
            strict_times=o["strict_times"],
        ),
        check=partial(checker.check_draft, today=env.today) if checker is not None else None,
        default_lang=env.lang,
        fmt=fmt,
        charset=o["charset"],
        name=o["name"] if out_dir is not None else None,
        where=where,
        memo={},
    )
    folder = out_folder(out_dir) if out_dir is not None else None
    stop = _StopOnCtrlC()
    writer = Writer(
        None if folder is not None else streams.stdout.buffer,
        folder,
        force=o["force"],
        fail_fast=o["fail_fast"],
        report=lambda row, reason: streams.error(f"row {row}: {reason}"),
        warn=lambda row, reason: streams.warn(f"row {row}: {reason}"),
        stop_requested=stop.requested,
        unique_names="{row}" in o["name"],
    )
    stop.writer = writer
    progress = None
    try:
        stream = streams.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", where=where) from None
    try:
        with stop:
            try:
                chunks = read_chunks(_Input(stream, stop), where, o["input_format"])
                jobs = o["jobs"] if o["jobs"] is not None else pool.default_jobs()
                for part in pool.drafted(job, chunks, jobs):
                    if progress is None and streams.stderr_tty and not o["quiet"]:
                        progress = _Progress(streams)  # once workers are forked: a thread
                    going = writer.take(part)
                    if progress:
                        progress.show(writer.total)
                    if not going or stop.requested():
                        break
            finally:
                writer.flush()  # what was drafted before an error in the input goes out
            if stop.requested():
                raise Stopped
    except (Stopped, KeyboardInterrupt):
        done = f"files in {folder}" if folder else "lines on stdout"
        raise Interrupted(
            f"interrupted after {writer.total} cases; the {done} are complete, "
            "the rest were not drafted"
        ) from None
    except OutputError as e:
        gone = f", {writer.failed} failed" if writer.failed else ""
        raise OutputError(f"{e} ({writer.total} cases done{gone})") from None
    finally:
        if progress:
            progress.stop()
        if source != "-":
            stream.close()
    total, failed = writer.total, writer.failed
    if not o["quiet"]:
        target = f" into {folder}" if folder else ""
        streams.note(f"claimkit: drafted {total - failed} of {total} cases{target}")
    if failed:
        stopped = " (stopped at the first)" if o["fail_fast"] else ""
        streams.error(f"{failed} of {total} cases failed{stopped}")
        return ExitStatus.FINDINGS
    return ExitStatus.OK


class _StopOnCtrlC:
    """Ctrl-C while the batch waits for input interrupts it; at any other moment it asks
    the batch to stop at its next boundary (the writer and the loop look)."""

    def __init__(self) -> None:
        self.asked = False
        self.reading = False  # blocked on the input: nothing to finish first
        self.writer: Writer | None = None
        self._previous: Any = None

    def requested(self) -> bool:
        return self.asked

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        writing = self.writer is not None and self.writer.writing
        if self.reading or (self.asked and writing):  # a second Ctrl-C: the write can stop
            raise KeyboardInterrupt
        self.asked = True

    def __enter__(self) -> _StopOnCtrlC:
        self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self._previous)


class _Input:
    """The batch's input, telling the Ctrl-C handler while it waits for a line."""

    def __init__(self, stream: BinaryIO, stop: _StopOnCtrlC) -> None:
        self.stream = stream
        self.stop = stop

    def readline(self, size: int = -1) -> bytes:
        self.stop.reading = True
        try:
            return self.stream.readline(size)
        finally:
            self.stop.reading = False


class _Progress:
    """A count and a rate on stderr while a batch runs at a terminal."""

    def __init__(self, streams: Streams) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed:,} cases"),
            TimeElapsedColumn(),
            console=streams.err_console(),
            transient=True,
        )
        self.task = self.bar.add_task("batch", total=None)
        self.bar.start()

    def show(self, done: int) -> None:
        self.bar.update(self.task, completed=done)

    def stop(self) -> None:
        self.bar.stop()
