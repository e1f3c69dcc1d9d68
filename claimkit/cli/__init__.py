"""The command line: flags in, core functions called, product out.

``main`` is the console script. A scripted ``claimkit draft`` (the call scripts
make thousands of times) is parsed by claimkit.cli.fastpath without importing
typer; everything else, and anything the fast path does not fully understand,
goes to the typer application in claimkit.cli.app.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["draft"] and "_CLAIMKIT_COMPLETE" not in os.environ:
        # One draft leaves little garbage and its process ends a fraction of a second
        # later, freeing all of it: the cyclic collector would walk the objects start-up
        # creates (jinja2's among them) dozens of times, 3% of the run, to free a few
        # hundred.
        gc.disable()
        from claimkit.cli.fastpath import run

        status = run(args[1:])
        if status is not None:
            sys.exit(status)
        gc.enable()  # typer's draft command also runs batches, which run long
    from claimkit.cli.app import app

    app()


def __getattr__(name: str) -> Any:
    # claimkit.cli.app stays unimported until asked for (see main).
    if name == "app":
        from claimkit.cli.app import app

        return app
    raise AttributeError(f"module 'claimkit.cli' has no attribute {name!r}")
