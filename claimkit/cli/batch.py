"""claimkit draft --batch: the part of the draft command that writes many drafts."""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from claimkit.cli.setup import Setup

EXTENSIONS = {"text": "txt", "eml": "eml", "json": "json"}
FLUSH_EVERY = 256  # JSON lines buffered before a write: fewer system calls, flat memory


def run_batch(
    env: Setup,
    *,
    source: Path,
    input_format: str | None,
    base: Any,
    fmt: str,
    charset: str,
    out_dir: Path | None,
    name: str,
    force: bool,
    fail_fast: bool,
    check: bool,
    quiet: bool,
    jobs: int = 1,
) -> int:
    """Draft every case; returns the exit status (1 when any case failed)."""
    from claimkit import batch
    from claimkit.errors import ExitStatus, InputError, OutputError
    from claimkit.files import write_atomic
    from claimkit.render import Renderer

    streams = env.streams
    if out_dir is None and fmt != "jsonl":
        raise InputError(
            "--batch writes --format jsonl to stdout, or one file per case with --out-dir"
        )
    if out_dir is not None and fmt == "jsonl":
        raise InputError("--out-dir writes one file per case: use --format text, eml or json")
    where = "<stdin>" if str(source) == "-" else str(source)
    try:
        stream = sys.stdin.buffer if str(source) == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", where=where) from None
    folder = _prepare(out_dir) if out_dir is not None else None
    job = Job(
        env.catalog,
        Renderer(env.catalog.roots, inline_includes=True),
        base,
        _checker(env) if check else None,
        env.lang,
        fmt,
        charset,
        name,
        folder is not None,
    )
    pending: list[bytes] = []
    total = failed = 0
    progress: _Progress | None = None
    try:
        cases = batch.read_cases(stream, where, input_format, defer=True)
        for done in _results(job, cases, jobs):
            if total == 0 and streams.stderr_tty and not quiet:
                progress = _Progress(streams)  # after any worker is forked: it runs a thread
            total += 1
            error = done.error
            if error is None:
                if done.line is not None:
                    pending.append(done.line)
                    if len(pending) >= FLUSH_EVERY:
                        streams.write_product(b"".join(pending))
                        pending.clear()
                elif folder is not None and done.file is not None and done.data is not None:
                    try:
                        write_atomic(folder / done.file, done.data, force=force)
                    except OutputError as e:  # this case's file exists
                        error = str(e)
            if error is not None:
                failed += 1
                streams.error(f"row {done.row}: {error}")
                if fail_fast:
                    break
            if progress:
                progress.advance(total)
    except KeyboardInterrupt:
        from claimkit.errors import Interrupted

        done_where = f"files in {folder}" if folder else "lines on stdout"
        raise Interrupted(
            f"interrupted after {total} cases; the {done_where} are complete, "
            "the rest were not drafted"
        ) from None
    finally:
        if pending:
            streams.write_product(b"".join(pending))
        if progress:
            progress.stop()
        if stream is not sys.stdin.buffer:
            stream.close()
    if not quiet:
        target = f" into {folder}" if folder else ""
        streams.note(f"claimkit: drafted {total - failed} of {total} cases{target}")
    if failed:
        streams.error(
            f"{failed} of {total} cases failed" + (" (stopped at the first)" if fail_fast else "")
        )
        return ExitStatus.FINDINGS
    return ExitStatus.OK


class Job(NamedTuple):
    """What every case of a batch shares. Worker processes inherit it when forked."""

    catalog: Any
    renderer: Any
    base: Any  # claimkit.drafting.Request: scenario, step and sources for every case
    check: Any  # the draft's check, or None
    default_lang: str
    fmt: str
    charset: str
    name: str  # --name
    to_files: bool  # --out-dir: one file per case, else JSON Lines


class Done(NamedTuple):
    """One case, ready to write: a JSON line, a file's name and bytes, or the error."""

    row: int
    line: bytes | None = None  # a JSON line
    file: str | None = None
    data: bytes | None = None
    error: str | None = None


def default_jobs() -> int:
    """One worker process per usable CPU, up to 8; 1 where processes cannot be forked."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


def _results(job: Job, cases: Iterable[Any], jobs: int) -> Iterator[Done]:
    """Every case drafted and formatted, in input order.

    Cases go in chunks: the first is drafted here, which also compiles the
    templates and rules; if more follow and ``jobs`` > 1, worker processes
    forked from this warm state draft the rest, at most two chunks each in
    flight, so memory stays flat. A fatal error (a broken template, a bad
    --name) stops the batch after the cases before it, as in one process.
    """
    global _JOB
    _JOB = job
    chunks = _chunks(cases, CHUNK)
    first = next(chunks, None)
    if first is None:
        return
    drafted = _draft_chunk(first)
    second = next(chunks, None) if jobs > 1 else None
    if second is None:
        yield from _settled(drafted)
        for chunk in chunks:
            yield from _settled(_draft_chunk(chunk))
        return
    import multiprocessing

    # Forked before the caller sees a result, so before it starts a progress bar's thread.
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start)
    try:
        window: deque[Any] = deque([pool.apply_async(_draft_chunk, (second,))])
        yield from _settled(drafted)
        for chunk in chunks:
            window.append(pool.apply_async(_draft_chunk, (chunk,)))
            while len(window) > 2 * jobs:
                yield from _settled(window.popleft().get())
        while window:
            yield from _settled(window.popleft().get())
    finally:
        pool.terminate()  # at the end, or when the reader stops early (--fail-fast, Ctrl-C)
        pool.join()


_JOB: Job | None = None
CHUNK = 256  # cases per unit of work: large enough that passing it between processes is cheap
MAX_JOBS = 8


def _worker_start() -> None:
    # Ctrl-C reaches every process of the group; the parent alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(cases: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for case in cases:
        chunk.append(case)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _settled(result: tuple[list[Done], tuple[str, int] | None]) -> Iterator[Done]:
    done, fatal = result
    yield from done
    if fatal is not None:
        from claimkit.errors import ClaimkitError

        error = ClaimkitError(fatal[0])
        error.exit_status = fatal[1]  # type: ignore[assignment]
        raise error


def _draft_chunk(cases: list[Any]) -> tuple[list[Done], tuple[str, int] | None]:
    """Draft and format a chunk of cases (in this process or a worker)."""
    from claimkit import batch
    from claimkit.errors import ClaimkitError

    job = _JOB
    assert job is not None
    done: list[Done] = []
    try:
        outcomes = batch.run(
            cases,
            job.catalog,
            job.renderer,
            job.base,
            check=job.check,
            default_lang=job.default_lang,
        )
        for outcome in outcomes:
            done.append(_formatted(job, outcome))
    except ClaimkitError as e:  # the batch's end: passed back as text, raised in the parent
        return done, (str(e), int(e.exit_status))
    return done, None


def _formatted(job: Job, outcome: Any) -> Done:
    from claimkit.batch import file_name
    from claimkit.errors import OutputError
    from claimkit.formats import render_bytes

    if outcome.error is not None:
        return Done(outcome.row, error=outcome.error)
    if not job.to_files:
        return Done(outcome.row, line=_json_line(outcome))
    name = file_name(job.name, outcome, EXTENSIONS[job.fmt])
    # file_name() never yields a separator; this holds even if that ever changed.
    if "/" in name or "\\" in name or name in (".", ".."):
        from claimkit.errors import InputError

        raise InputError(f"--name: {name!r} would leave the output folder")
    try:
        data = render_bytes(outcome.draft, job.fmt, charset=job.charset)
    except OutputError as e:  # this case's charset fails
        return Done(outcome.row, error=str(e))
    return Done(outcome.row, file=name, data=data)


def _checker(env: Setup) -> Any:
    from claimkit.check.engine import Context

    checker = env.checker()

    def check(draft: Any) -> list[Any]:
        found: list[Any] = checker.check(
            draft.body, draft.lang, Context(draft.scenario, draft.step, draft.audience)
        )
        return found

    return check


def _json_line(outcome: Any) -> bytes:
    from claimkit.formats import as_dict, json_line

    data = as_dict(outcome.draft)
    data = {"row": outcome.row, **data, "findings": [f._asdict() for f in outcome.findings]}
    return json_line(data)


def _prepare(out_dir: Path) -> Path:
    from claimkit.errors import OutputError

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(
            f"cannot create the folder: {e.strerror or e}", where=str(out_dir)
        ) from None
    if not out_dir.is_dir():
        raise OutputError("is not a folder", where=str(out_dir))
    return out_dir.resolve()


class _Progress:
    """A count and a rate on stderr while a batch runs at a terminal."""

    def __init__(self, streams: Any) -> None:
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

    def advance(self, done: int) -> None:
        if done % 100 == 0:
            self.bar.update(self.task, completed=done)

    def stop(self) -> None:
        self.bar.stop()
