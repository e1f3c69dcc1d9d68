"""Every way a run can end, turned into an exit status and at most one line on stderr.

The one place exit statuses are decided: commands return an ExitStatus or raise
a ClaimkitError; a parser's own errors (typer's usage errors) are translated by
the function the caller passes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from claimkit.cli.console import Streams
from claimkit.errors import ClaimkitError, ExitStatus

# A parser's own exceptions: a status, or None for "not mine".
Translate = Callable[[Exception, Streams], "int | None"]


def guarded(run: Callable[[], object], translate: Translate | None = None) -> int:
    """Run the CLI; turn every way it can end into an exit status and at most one line."""
    streams = Streams.from_sys()
    try:
        result = run()
        if result == ExitStatus.INTERRUPTED:
            # typer turns KeyboardInterrupt into a silent exit 130 before we see it.
            streams.error("interrupted; nothing was written")
        return int(result) if isinstance(result, int) else ExitStatus.OK
    except ClaimkitError as e:
        streams.error(str(e))
        return e.exit_status
    except KeyboardInterrupt:
        streams.error("interrupted; nothing was written")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as a killed writer would.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # stdout is not a file (a test's buffer)
            pass
        return ExitStatus.PIPE
    except Exception as e:
        status = translate(e, streams) if translate is not None else None
        if status is not None:
            return status
        if os.environ.get("CLAIMKIT_DEBUG"):
            raise
        streams.error(
            f"internal error: {type(e).__name__}: {e}; this is a bug in claimkit, please report "
            "it (CLAIMKIT_DEBUG=1 shows the traceback)"
        )
        return ExitStatus.INTERNAL
