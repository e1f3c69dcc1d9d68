"""claimkit draft --batch: the part of the draft command that writes many drafts."""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from claimkit.cli.setup import Lang, Setup, setup

EXTENSIONS = {"text": "txt", "eml": "eml", "json": "json"}
DEFAULT_NAME = "{row}-{scenario}-{step}.{ext}"
FLUSH_BYTES = 256 * 1024  # JSON lines buffered before a write: fewer system calls, flat memory


def draft_batch(
    *,
    batch: Path,
    scenario: str | None = None,
    step: str | None = None,
    lang: Lang | None = None,
    data: Path | None = None,
    assignments: list[str] | None = None,
    example: bool = False,
    no_input: bool = False,  # a batch never asks: accepted, as scripts pass it out of habit
    fmt: Any = None,  # claimkit.cli.drafter.Format
    charset: Any = None,  # claimkit.cli.drafter.Charset
    out: Path | None = None,
    force: bool = False,
    quiet: bool = False,
    no_check: bool = False,
    playbooks: list[Path] | None = None,
    input_format: str | None = None,
    out_dir: Path | None = None,
    name: str = DEFAULT_NAME,
    fail_fast: bool = False,
    jobs: int | None = None,
) -> int:
    """``claimkit draft --batch FILE``, from parsed options (typer's or the fast path's).

    Returns the exit status: 1 when any case failed.
    """
    from claimkit.cli.drafter import sources_from, today
    from claimkit.errors import InputError
    from claimkit.pipeline import Request

    if out is not None:
        raise InputError("--out writes one draft; a batch writes to stdout, or to --out-dir DIR")
    env = setup(playbooks, lang)
    if scenario is not None:
        env.catalog.entry(scenario)  # an unknown SCENARIO fails the run, not every case
    chosen = str(fmt) if fmt else ("jsonl" if out_dir is None else "text")
    base = Request(
        scenario=scenario or "",
        lang=env.lang,
        sources=sources_from(env, data, assignments or [], example),
        today=today(),
        step=step,
    )
    return run_batch(
        env,
        source=batch,
        input_format=str(input_format) if input_format else None,
        base=base,
        fmt=chosen,
        charset=str(charset) if charset else "utf-8",
        out_dir=out_dir,
        name=name,
        force=force,
        fail_fast=fail_fast,
        check=not no_check,
        quiet=quiet,
        jobs=jobs if jobs is not None else default_jobs(),
    )


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
    from claimkit.batch import cases as batch
    from claimkit.errors import ExitStatus, InputError
    from claimkit.render.renderer import Renderer

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
        where,
        {},
    )
    writer = _Writer(streams, folder, force, fail_fast)
    progress: _Progress | None = None
    try:
        chunks = batch.read_chunks(stream, where, input_format, first=FIRST_CHUNK, size=CHUNK)
        for part in _results(job, chunks, jobs):
            if progress is None and streams.stderr_tty and not quiet:
                progress = _Progress(streams)  # after any worker is forked: it runs a thread
            going = writer.take(part)
            if progress:
                progress.show(writer.total)
            if not going:
                break
    except KeyboardInterrupt:
        from claimkit.errors import Interrupted

        done_where = f"files in {folder}" if folder else "lines on stdout"
        raise Interrupted(
            f"interrupted after {writer.total} cases; the {done_where} are complete, "
            "the rest were not drafted"
        ) from None
    finally:
        writer.flush()
        if progress:
            progress.stop()
        if stream is not sys.stdin.buffer:
            stream.close()
    total, failed = writer.total, writer.failed
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
    base: Any  # claimkit.pipeline.Request: scenario, step and sources for every case
    check: Any  # the draft's check, or None
    default_lang: str
    fmt: str
    charset: str
    name: str  # --name
    to_files: bool  # --out-dir: one file per case, else JSON Lines
    where: str  # the input, as errors name it
    memo: dict[Any, Any]  # what drafting works out once per batch (see variables.resolve)


class Done(NamedTuple):
    """One case for --out-dir: its file's name and bytes, or why it failed."""

    row: int
    file: str | None = None
    data: bytes | None = None
    error: str | None = None


class Drafted(NamedTuple):
    """A chunk of cases, drafted and formatted: what the writing process needs of it.

    JSON lines come joined in one ``bytes``, which passes between processes at the
    cost of a copy; the failures say where in it they fall, so --fail-fast can stop
    at the first. Files come one Done per case: each is written on its own.
    """

    cases: int  # how many: drafted or failed
    lines: bytes = b""
    failures: tuple[tuple[int, int, int, str], ...] = ()  # index, row, len(lines) before, why
    files: tuple[Done, ...] = ()
    fatal: tuple[str, int] | None = None  # a ClaimkitError's text and status: the batch's end


class _Writer:
    """Takes drafted chunks in order: writes them, reports failures, counts."""

    def __init__(self, streams: Any, folder: Path | None, force: bool, fail_fast: bool) -> None:
        self.streams = streams
        self.folder = folder
        self.force = force
        self.fail_fast = fail_fast
        self.total = self.failed = 0
        self._buffer: list[bytes] = []
        self._buffered = 0

    def take(self, part: Drafted) -> bool:
        """Write a chunk; False once --fail-fast has met a failure."""
        if self.folder is not None:
            return self._files(part)
        for index, row, before, reason in part.failures:
            self._failed(row, reason)
            if self.fail_fast:
                self._lines(part.lines[:before])
                self.total += index + 1
                return False
        self._lines(part.lines)
        self.total += part.cases
        return True

    def _files(self, part: Drafted) -> bool:
        from claimkit.errors import OutputError
        from claimkit.files import write_atomic

        assert self.folder is not None
        for done in part.files:
            error = done.error
            if error is None and done.file is not None and done.data is not None:
                try:
                    write_atomic(self.folder / done.file, done.data, force=self.force)
                except OutputError as e:  # this case's file exists
                    error = str(e)
            # Counted once written: Ctrl-C mostly lands in a write, and a count may leave out
            # the file of a write it cut short, but never names a file that is not there.
            self.total += 1
            if error is not None:
                self._failed(done.row, error)
                if self.fail_fast:
                    return False
        return True

    def _failed(self, row: int, reason: str) -> None:
        self.failed += 1
        self.streams.error(f"row {row}: {reason}")

    def _lines(self, data: bytes) -> None:
        self._buffer.append(data)
        self._buffered += len(data)
        if self._buffered >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            data = b"".join(self._buffer)
            self._buffer.clear()
            self._buffered = 0
            self.streams.write_product(data)


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


def _results(job: Job, chunks: Iterable[Any], jobs: int) -> Iterator[Drafted]:
    """Every chunk of cases drafted and formatted, in input order.

    The first chunk, a small one, is drafted here, which also compiles the
    templates and rules; if more follow and ``jobs`` > 1, worker processes forked
    from this warm state draft the rest, at most two chunks each in flight, so
    memory stays flat. An error that ends the batch (a broken template, a bad
    --name, input that turns unreadable) is raised after the cases before it.
    """
    from claimkit.errors import ClaimkitError

    global _JOB
    _JOB = job
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    drafted = _draft_chunk(first)
    second = next(chunks, None) if jobs > 1 and drafted.fatal is None else None
    if second is None:
        yield from _settled(drafted)
        for chunk in chunks:
            yield from _settled(_draft_chunk(chunk))
        return
    import gc
    import multiprocessing

    # What start-up and the first cases made lives as long as the batch: kept out of every
    # collection, in the workers (which would otherwise also copy the pages it touches) and here.
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start)
    try:
        window: deque[Any] = deque([pool.apply_async(_draft_chunk, (second,))])
        # Yielded once the workers are forked: the caller may then start a progress thread.
        yield from _settled(drafted)
        unreadable: ClaimkitError | None = None
        try:
            for chunk in chunks:
                window.append(pool.apply_async(_draft_chunk, (chunk,)))
                while len(window) > 2 * jobs:
                    yield from _settled(window.popleft().get())
        except ClaimkitError as e:  # the input: raised once what was read before it is out
            unreadable = e
        while window:
            yield from _settled(window.popleft().get())
        if unreadable is not None:
            raise unreadable
    finally:
        pool.terminate()  # at the end, or when the reader stops early (--fail-fast, Ctrl-C)
        pool.join()


_JOB: Job | None = None
# Cases drafted before any worker starts: enough to compile what every case needs.
FIRST_CHUNK = 16
CHUNK = 256  # cases per unit of work: large enough that passing it between processes is cheap
MAX_JOBS = 8


def _worker_start() -> None:
    import signal

    # Ctrl-C reaches every process of the group; the parent alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _settled(part: Drafted) -> Iterator[Drafted]:
    """The chunk, then, if it ended the batch, its error: raised once the chunk is written."""
    yield part
    if part.fatal is not None:
        from claimkit.errors import ClaimkitError

        error = ClaimkitError(part.fatal[0])
        error.exit_status = part.fatal[1]  # type: ignore[assignment]
        raise error


def _draft_chunk(chunk: Any) -> Drafted:
    """Draft and format a chunk of cases (in this process or a worker)."""
    from claimkit.batch import cases as batch
    from claimkit.errors import ClaimkitError

    job = _JOB
    assert job is not None
    count = 0
    lines: list[bytes] = []
    size = 0
    failures: list[tuple[int, int, int, str]] = []
    files: list[Done] = []
    fatal = None
    try:
        cases = chunk.pending() if isinstance(chunk, batch.Lines) else chunk
        outcomes = batch.run(
            cases,
            job.catalog,
            job.renderer,
            job.base,
            check=job.check,
            default_lang=job.default_lang,
            where=job.where,
            memo=job.memo,
        )
        for outcome in outcomes:
            if job.to_files:
                files.append(_file(job, outcome))
            elif outcome.error is not None:
                failures.append((count, outcome.row, size, outcome.error))
            else:
                line = batch.json_line(outcome)
                lines.append(line)
                size += len(line)
            count += 1
    except ClaimkitError as e:  # the batch's end: passed back as text, raised in the parent
        fatal = (str(e), int(e.exit_status))
    return Drafted(count, b"".join(lines), tuple(failures), tuple(files), fatal)


def _file(job: Job, outcome: Any) -> Done:
    from claimkit.batch.cases import file_name
    from claimkit.errors import OutputError
    from claimkit.output.formats import render_bytes

    if outcome.error is not None:
        return Done(outcome.row, error=outcome.error)
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

    def show(self, done: int) -> None:
        self.bar.update(self.task, completed=done)

    def stop(self) -> None:
        self.bar.stop()
