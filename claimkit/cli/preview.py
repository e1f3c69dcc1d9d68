"""The preview of a draft on stderr, for a person at a terminal."""

from __future__ import annotations

from claimkit.cli.console import Streams, visible
from claimkit.output.draft import Draft


def show_preview(streams: Streams, draft: Draft, *, full: bool) -> None:
    """The subject and recipient, and with ``full`` the body in a panel.

    When stdout is the same terminal, the body is about to appear there, so only
    the header is shown: the agent reads the message once, copyable without a frame.
    """
    from rich.panel import Panel
    from rich.text import Text

    console = streams.err_console()
    ja = draft.lang == "ja"
    header = Text()
    labels = (
        ("件名" if ja else "Subject", draft.subject),
        ("宛先" if ja else "To", draft.to),
    )
    for label, value in labels:
        if value:
            header.append(f"{label}: ", style="bold cyan")
            header.append(f"{visible(value)}\n")
    title = f"{draft.scenario} / {draft.step} ({draft.lang}, {draft.channel})"
    if full:
        body = Text(visible(draft.body.rstrip("\n"), keep="\n\t"))
        content = Text.assemble(header, "\n", body) if header else body
        console.print(Panel(content, title=title, title_align="left", border_style="dim"))
    else:
        console.rule(Text(title, style="dim"), align="left", style="dim")
        if header:
            console.print(header, end="")
            console.print()
        streams.stderr.flush()
