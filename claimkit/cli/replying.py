"""claimkit draft --reply-to: its flags checked, the complaint read, and a terminal found
for the draft's questions when the mail came on stdin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from claimkit.cli.setup import Setup
from claimkit.errors import InputError

if TYPE_CHECKING:
    from claimkit.mail.reply import Reply


def check_flags(o: dict[str, Any]) -> None:
    """The reply's flags that do not go with the others given."""
    if o["reply_to"] is not None and o["batch"] is not None:
        raise InputError("--reply-to answers one mail; a batch's cases name theirs (reply_to)")
    if o["no_quote"] and o["reply_to"] is None and o["batch"] is None:
        raise InputError("--no-quote goes with --reply-to FILE (the mail the draft answers)")
    if o["reply_to"] == "-" and o["data"] == "-":
        raise InputError("--reply-to - and --data - both read stdin: give one of them a file")


def complaint(env: Setup, o: dict[str, Any]) -> tuple[Setup, Reply]:
    """The complaint --reply-to names, read in the profile's time zone; and where the
    draft's questions are asked (see ``_terminal``)."""
    from claimkit.mail.reply import load_reply

    reply = load_reply(
        o["reply_to"],
        profile=env.profile,
        profile_name=str(env.profile_path),
        quote=not o["no_quote"],
        stdin=env.streams.stdin.buffer,
    )
    if o["reply_to"] == "-" and o["data"] != "-" and not o["no_input"]:
        env = _terminal(env)
    return env, reply


def _terminal(env: Setup) -> Setup:
    """A mail that came on stdin (mutt's pipe-message, aerc's :pipe) leaves the questions
    to the terminal the user sees, where there is one."""
    streams = env.streams
    if streams.stdin_tty or not streams.stderr_tty:
        return env
    try:
        terminal = open("/dev/tty", encoding="utf-8")  # noqa: SIM115 -- read until the process ends
    except OSError:  # no controlling terminal: a script's run, which prompts for nothing
        return env
    from claimkit.cli.console import Streams

    return env._replace(streams=Streams(terminal, streams.stdout, streams.stderr, streams.environ))
