"""The command line: flags in, core functions called, product out.

Every error is turned into a message and an exit code in one place,
``ClaimkitGroup.main``, whichever way the CLI is entered (console script,
``python -m claimkit`` or typer's test runner).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from claimkit import __version__
from claimkit.cli import catalog as catalog_cmds
from claimkit.cli import check as check_cmd
from claimkit.cli import draft as draft_cmd
from claimkit.cli import profile as profile_cmds
from claimkit.console import Streams
from claimkit.errors import ClaimkitError, ExitStatus


class ClaimkitGroup(TyperGroup):
    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        status = guarded(
            lambda: super(ClaimkitGroup, self).main(
                args, prog_name or "claimkit", complete_var, standalone_mode=False, **extra
            )
        )
        if standalone_mode:
            sys.exit(status)
        return status


def guarded(run: Any) -> int:
    """Run the CLI; turn every way it can end into an exit status and at most one line."""
    # typer 0.27+ vendors click; its usage errors are not re-exported publicly.
    from typer._click.exceptions import UsageError

    streams = Streams.from_sys()
    try:
        result = run()
        if result == ExitStatus.INTERRUPTED:
            # typer turns KeyboardInterrupt into a silent exit 130 before we see it.
            streams.error("interrupted; nothing was written")
        return result if isinstance(result, int) else ExitStatus.OK
    except ClaimkitError as e:
        streams.error(str(e))
        return e.exit_status
    except UsageError as e:
        hint = f"; see '{e.ctx.command_path} --help'" if e.ctx else ""
        streams.error(f"{e.format_message()}{hint}")
        return ExitStatus.USAGE
    except (KeyboardInterrupt, typer.Abort):
        streams.error("interrupted; nothing was written")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as a killed writer would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as e:
        if os.environ.get("CLAIMKIT_DEBUG"):
            raise
        streams.error(
            f"internal error: {type(e).__name__}: {e}; this is a bug in claimkit, please report "
            "it (CLAIMKIT_DEBUG=1 shows the traceback)"
        )
        return ExitStatus.INTERNAL


app = typer.Typer(
    cls=ClaimkitGroup,
    name="claimkit",
    help="Draft replies to customer complaints the way experienced complaint handlers do.",
    epilog="Start with 'claimkit list', then 'claimkit draft SCENARIO'. "
    "Docs: README.md and docs/playbooks.md.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain click help: no rich import just to print --help
    pretty_exceptions_enable=False,  # errors are handled in ClaimkitGroup.main
    pretty_exceptions_show_locals=False,  # locals would be customer complaints
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"claimkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Draft replies to customer complaints the way experienced complaint handlers do.

    Playbooks hold the steps of each scenario; templates hold the words. A draft
    goes to stdout, ready for a mail client; prompts and previews go to stderr.
    """


app.command("draft", **draft_cmd.COMMAND)(draft_cmd.draft)
app.command("check", **check_cmd.COMMAND)(check_cmd.check)
app.command("list", **catalog_cmds.LIST)(catalog_cmds.list_scenarios)
app.command("show", **catalog_cmds.SHOW)(catalog_cmds.show)
app.command("validate", **catalog_cmds.VALIDATE)(catalog_cmds.validate)
app.command("init", **profile_cmds.INIT)(profile_cmds.init)
app.command("paths", **profile_cmds.PATHS)(profile_cmds.paths)


def main() -> None:
    app()
