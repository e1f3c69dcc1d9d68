"""The command line: flags in, core functions called, product out.

``main`` is the console script. A scripted ``claimkit draft`` (the call scripts
make thousands of times) is read by the quick parser of claimkit.cli.options,
without importing typer; everything else, and anything that parser does not
fully understand, goes to the typer application in claimkit.cli.app. Either
way the run ends in claimkit.cli.guard, the one place that turns what happened
into an exit status.
"""

from __future__ import annotations

import gc
import os
import sys


def main(args: list[str] | None = None) -> int:
    """Run claimkit with ``args`` (default: the process's); the exit status."""
    args = sys.argv[1:] if args is None else list(args)
    if args[:1] == ["draft"] and "_CLAIMKIT_COMPLETE" not in os.environ:
        from claimkit.cli.draft_flags import DRAFT
        from claimkit.cli.options import parse

        options = parse(DRAFT, args[1:])
        if options is not None:
            from claimkit.cli.draft import run
            from claimkit.cli.guard import guarded

            if options["batch"] is None:
                # One draft leaves little garbage and its process ends a moment later,
                # freeing all of it: the cyclic collector would walk the objects start-up
                # made dozens of times (3% of the run) to free a few hundred.
                gc.disable()
            try:
                return guarded(lambda: run(**options))
            finally:
                gc.enable()
    if args[:1] == ["case"] and len(args) > 1 and "_CLAIMKIT_COMPLETE" not in os.environ:
        # The case commands' flags are tables too (claimkit.cli.case_options): a script
        # recording or drafting through the log needs no typer either.
        from claimkit.cli.case_options import BY_NAME, runner
        from claimkit.cli.options import parse

        command = BY_NAME.get(args[1])
        parsed = parse(command.table, args[2:]) if command is not None else None
        if command is not None and parsed is not None:
            from claimkit.cli.guard import guarded

            run = runner(command)
            return guarded(lambda: run(**parsed))
    from claimkit.cli.app import run_app

    return run_app(args)
