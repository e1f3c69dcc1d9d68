"""The typer application: every command's flags, help and completion.

Errors become a message and an exit code in claimkit.cli.guard, whichever way
the CLI is entered (``main``, typer's own runner, or the scripted quick path).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from claimkit import __version__
from claimkit.cli import catalog as catalog_cmds
from claimkit.cli import check as check_cmd
from claimkit.cli import draft as draft_cmd
from claimkit.cli import profile as profile_cmds
from claimkit.cli import stats as stats_cmd
from claimkit.cli.console import Streams
from claimkit.cli.guard import guarded
from claimkit.errors import ExitStatus


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
            ),
            _typer_exit,
        )
        if standalone_mode:
            sys.exit(status)
        return status


def _typer_exit(error: Exception, streams: Streams) -> int | None:
    """typer's own ways to end a run: a usage error, or Ctrl-C turned into Abort."""
    # typer 0.27+ vendors click; its usage errors are not re-exported publicly.
    from typer._click.exceptions import UsageError

    if isinstance(error, UsageError):
        hint = f"; see '{error.ctx.command_path} --help'" if error.ctx else ""
        message = error.format_message()
        streams.error(f"{message.rstrip('.') if hint else message}{hint}")
        return ExitStatus.USAGE
    if isinstance(error, typer.Abort):
        streams.error("interrupted; nothing was written")
        return ExitStatus.INTERRUPTED
    return None


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


app.command("draft", help=draft_cmd.HELP, epilog=draft_cmd.EPILOG, no_args_is_help=False)(
    draft_cmd.typer_command()
)
app.command("check", **check_cmd.COMMAND)(check_cmd.check)
app.command("list", **catalog_cmds.LIST)(catalog_cmds.list_scenarios)
app.command("show", **catalog_cmds.SHOW)(catalog_cmds.show)
app.command("validate", **catalog_cmds.VALIDATE)(catalog_cmds.validate)
app.command("init", **profile_cmds.INIT)(profile_cmds.init)
app.command("paths", **profile_cmds.PATHS)(profile_cmds.paths)
app.command("stats", **stats_cmd.COMMAND)(stats_cmd.stats)


def _case_app() -> typer.Typer:
    """``claimkit case ...``: each command made from its table (claimkit.cli.case_options)."""
    from claimkit.cli import case_flags, case_options
    from claimkit.cli.tables import typer_command

    case_app = typer.Typer(
        help=case_options.HELP,
        epilog=case_options.EPILOG,
        no_args_is_help=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
    )
    for command in case_options.COMMANDS:

        def run(command: case_options.Command = command, **options: Any) -> int:
            return case_options.runner(command)(**options)

        case_app.command(command.name, help=command.help, epilog=case_flags.epilog(command))(
            typer_command(command.table, run)
        )
    return case_app


app.add_typer(_case_app(), name="case")


def run_app(args: list[str]) -> int:
    """The typer application on ``args``; the exit status."""
    command = typer.main.get_command(app)
    status: int = command.main(args, prog_name="claimkit", standalone_mode=False)
    return status
