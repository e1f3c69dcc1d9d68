"""claimkit draft --batch: the part of the draft command that writes many drafts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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
) -> int:
    """Draft every case; returns the exit status (1 when any case failed)."""
    from claimkit import batch
    from claimkit.errors import ExitStatus, InputError, OutputError
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
    checker = _checker(env) if check else None
    outcomes = batch.run(
        batch.read_cases(stream, where, input_format),
        env.catalog,
        Renderer(env.catalog.roots),
        base,
        check=checker,
        default_lang=env.lang,
    )
    pending: list[str] = []
    total = failed = 0
    progress = _Progress(streams) if streams.stderr_tty and not quiet else None
    try:
        for outcome in outcomes:
            total += 1
            error = outcome.error
            if error is None:
                try:
                    if folder is not None:
                        _write_file(folder, name, outcome, fmt, charset, force)
                    else:
                        pending.append(_json_line(outcome))
                        if len(pending) >= FLUSH_EVERY:
                            streams.write_text("".join(pending))
                            pending.clear()
                except OutputError as e:  # this case's file: it exists, or its charset fails
                    error = str(e)
            if error is not None:
                failed += 1
                streams.error(f"row {outcome.row}: {error}")
                if fail_fast:
                    break
            if progress:
                progress.advance(total)
    finally:
        if pending:
            streams.write_text("".join(pending))
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


def _checker(env: Setup) -> Any:
    from claimkit.check.engine import Context

    checker = env.checker()

    def check(draft: Any) -> list[Any]:
        found: list[Any] = checker.check(
            draft.body, draft.lang, Context(draft.scenario, draft.step, draft.audience)
        )
        return found

    return check


def _json_line(outcome: Any) -> str:
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


def _write_file(
    folder: Path, template: str, outcome: Any, fmt: str, charset: str, force: bool
) -> None:
    from claimkit.batch import file_name
    from claimkit.files import write_atomic
    from claimkit.formats import render_bytes

    path = folder / file_name(template, outcome, EXTENSIONS[fmt])
    # file_name() never yields a separator; this holds even if that ever changed.
    if path.parent != folder:
        from claimkit.errors import InputError

        raise InputError(f"--name: {path.name!r} would leave {folder}")
    write_atomic(path, render_bytes(outcome.draft, fmt, charset=charset), force=force)


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
