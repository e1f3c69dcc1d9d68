"""Drafting a batch's chunks in worker processes, handed back in input order.

The first chunk, a small one, is drafted in this process, which also compiles
the templates and loads the rules; if more follow and more than one job is
asked for, worker processes forked from this warm state draft the rest, at most
two chunks each in flight, so memory stays flat and the output is the same, in
the same order, as from one process. Workers ignore Ctrl-C: the process that
reads and writes alone decides when a batch stops, and it never interrupts the
pool's own bookkeeping (see claimkit.cli.batch).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from claimkit.batch.job import Drafted, Job, draft_chunk
from claimkit.batch.source import Chunk
from claimkit.errors import ClaimkitError

MAX_JOBS = 8  # the default's cap: beyond it, the reading process is the bottleneck
MAX_JOBS_ASKED = 64  # what --jobs accepts


def default_jobs() -> int:
    """One worker process per usable CPU, up to MAX_JOBS; 1 where processes cannot fork."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


# The job of the running batch: set before the workers fork, so they inherit it rather
# than receive it pickled with every chunk.
_JOB: Job | None = None


def _draft(chunk: Chunk) -> Drafted:
    assert _JOB is not None
    return draft_chunk(_JOB, chunk)


def _worker_start() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def drafted(job: Job, chunks: Iterable[Chunk], jobs: int) -> Iterator[Drafted]:
    """Every chunk drafted and formatted, in input order.

    An error in the input itself (a line too long, not UTF-8) is raised once the
    chunks read before it are out, so what came before it can still be written.
    """
    global _JOB
    _JOB = job
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    head = draft_chunk(job, first)
    second = next(chunks, None) if jobs > 1 and head.fatal is None else None
    if second is None:
        yield head
        for chunk in chunks:
            yield draft_chunk(job, chunk)
        return
    import gc
    import multiprocessing

    # What start-up and the first cases made lives as long as the batch: kept out of every
    # collection, in the workers (which would otherwise also copy the pages it touches) and here.
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_start)
    window: deque[Any] = deque()
    try:
        window.append(pool.apply_async(_draft, (second,)))
        yield head  # once the workers are forked: the caller may then start a progress thread
        unreadable: ClaimkitError | None = None
        try:
            for chunk in chunks:
                window.append(pool.apply_async(_draft, (chunk,)))
                while len(window) > 2 * jobs:
                    yield window.popleft().get()
        except ClaimkitError as e:  # the input: raised once what was read before it is out
            unreadable = e
        while window:
            yield window.popleft().get()
        if unreadable is not None:
            raise unreadable
    finally:
        # At the end, or when the caller stops early (--fail-fast, Ctrl-C): the workers
        # finish what they were given (at most two chunks each) and exit. Never
        # terminate(): killing workers while the pool's own thread feeds them can leave
        # that thread blocked for ever, and the process with it.
        pool.close()
        for pending in window:
            pending.wait()
        pool.join()
        gc.unfreeze()
