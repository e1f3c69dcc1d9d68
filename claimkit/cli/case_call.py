"""claimkit case call: a companion on the terminal while the customer is on the phone.

The call script (the decided answer) is printed once; below it a live line
shows the time on the call, the round trips counted with a key, the limits and
a warning once one is reached. When the call ends (q) it is logged like
``claimkit case log --kind call --minutes N --exchanges N``, with what that
brings (the record for the manager at a limit). Ctrl-C leaves without logging.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from claimkit.cli.case_desk import desk
from claimkit.errors import ExitStatus, InputError

if TYPE_CHECKING:
    from rich.console import RenderableType

    from claimkit.cases.records import Case
    from claimkit.cases.work import Desk
    from claimkit.cli.setup import Setup
    from claimkit.content.playbook import Limits

# Within 80 columns, where 40 full-width characters fill a line.
KEYS = {
    "ja": "[Space] 往復を数える [-] 戻す [q] 終えて記録 [Ctrl-C] 記録せず終了",
    "en": "[Space] a round trip  [-] undo  [q] end and log  [Ctrl-C] quit, no log",
}


def call_command(**o: Any) -> int:
    with desk(o) as (env, d):
        streams = env.streams
        if not (streams.stdin_tty and streams.stderr_tty):
            raise InputError(
                "'claimkit case call' needs a terminal (it counts round trips with a key "
                "while you talk); record a call with 'claimkit case log "
                f'{o["case_id"]} "..." --kind call --minutes N --exchanges N\''
            )
        from claimkit.cases.work import log_entry, playbook_limits

        case = d.log.get(o["case_id"])
        if case.status == "closed":
            raise InputError(f"case {case.id} is closed; nothing would be recorded")
        playbook = d.catalog.load(case.scenario)
        limits = playbook_limits(playbook)
        _print_script(env, d, case)
        started = d.now
        begun = time.monotonic()
        exchanges = _companion(env, case, limits, begun)
        seconds = time.monotonic() - begun
        note = o["note"] or ("電話（通話の記録）" if env.lang == "ja" else "phone call")
        logged = log_entry(
            d,
            case.id,
            note,
            kind="call",
            minutes=max(1, math.ceil(seconds / 60)),
            exchanges=exchanges,
            at=started,
        )
        from claimkit.cli.case import report_logged

        report_logged(env, d, logged, o)
    return ExitStatus.OK


def _print_script(env: Setup, d: Desk, case: Case) -> None:
    """The decided answer: the call script of the step with limits (or the next call's),
    drafted from the case; its guidance when it cannot be drafted without questions."""
    from rich.panel import Panel
    from rich.text import Text

    from claimkit.cases.work import draft_step
    from claimkit.cli.console import visible
    from claimkit.errors import ClaimkitError
    from claimkit.render.renderer import Renderer

    playbook = d.catalog.load(case.scenario)
    phone = [s for s in playbook.steps if s.channel == "phone" and s.template]
    step = next((s for s in phone if s.limits), None) or next(iter(phone), None)
    if step is None:
        return
    try:
        text = draft_step(d, Renderer(env.catalog.roots), case.id, step=step.id).draft.body
    except ClaimkitError:
        text = "\n".join(x.get(env.lang) for x in (step.do, step.limit) if x is not None)
    console = env.streams.err_console()
    title = step.title.get(env.lang)
    console.print(
        Panel(Text(visible(text.rstrip("\n"), keep="\n")), title=title, title_align="left")
    )


def _companion(env: Setup, case: Case, limits: list[Limits], begun: float) -> int:
    """Counts round trips until q; the count."""
    from rich.live import Live

    streams = env.streams
    count = 0
    with (
        _keys(streams.stdin) as read,
        Live(
            _status(env, case, limits, 0, 0.0), console=streams.err_console(), auto_refresh=False
        ) as live,
    ):
        while True:
            key = read(0.25)
            if key in (" ", "\n", "\r", "+"):
                count += 1
            elif key == "-":
                count = max(0, count - 1)
            elif key in ("q", "Q", "\x04"):
                break
            live.update(_status(env, case, limits, count, time.monotonic() - begun), refresh=True)
    return count


def _status(
    env: Setup, case: Case, limits: list[Limits], count: int, seconds: float
) -> RenderableType:
    from rich.text import Text

    from claimkit.cases.views import limit_message
    from claimkit.cases.work import limits_reached

    ja = env.lang == "ja"
    clock = str(timedelta(seconds=int(seconds)))
    exchanges = case.exchanges + count
    minutes = case.minutes + int(seconds // 60)
    line = Text(f"{'通話中' if ja else 'on the call'} {clock}   ", style="bold")
    line.append(f"{'往復' if ja else 'round trips'} {exchanges}")
    for one in limits:
        if one.exchanges:
            line.append(f" / {one.exchanges}")
        if one.minutes:
            line.append(f"   {'上限' if ja else 'limit'} {one.minutes}{'分' if ja else ' min'}")
    out = Text.assemble(line, "\n", Text(KEYS["ja" if ja else "en"], style="dim"))
    for reached in limits_reached(limits, exchanges, minutes):
        out.append("\n")
        out.append(f"! {limit_message(reached, env.lang)}", style="bold red")
    return out


@contextmanager
def _keys(stream: Any) -> Iterator[Any]:
    """Single key presses from the terminal, without echo; ``read(timeout)`` gives one
    key or "" when none came."""
    import os
    import select
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    tty.setcbreak(fd)

    def read(timeout: float) -> str:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return ""
        data = os.read(fd, 1)
        return data.decode("utf-8", "replace") if data else "\x04"

    try:
        yield read
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
