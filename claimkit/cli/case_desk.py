"""Where every ``claimkit case`` command starts: its setup, the log, who works, the calendar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from claimkit.cli.setup import Setup, setup
from claimkit.errors import InputError

if TYPE_CHECKING:
    from claimkit.cases.work import CaseDraft, Desk


@contextmanager
def desk(o: dict[str, Any]) -> Iterator[tuple[Setup, Desk]]:
    """Where a case command works: its setup, and the log it opened (closed at the end)."""
    from claimkit.cases.store import log_target, open_log
    from claimkit.cases.work import Desk, agent_name
    from claimkit.values.business import calendar_from_profile

    env = setup(o.get("playbooks"), o.get("lang"))
    calendar = calendar_from_profile(env.profile, where=str(env.profile_path))
    environ = env.streams.environ
    with open_log(log_target(o.get("database"), environ), calendar=calendar) as log:
        yield (
            env,
            Desk(
                log=log,
                catalog=env.catalog,
                agent=agent_name(env.profile, environ),
                profile=env.profile,
                profile_name=str(env.profile_path),
                calendar=calendar,
                today=calendar.local_date(env.now),
                now=env.now,
            ),
        )


def moment(text: str | None, flag: str, d: Desk) -> datetime | None:
    """``--at``/``--as-of``: ISO 8601 with its offset, or as people type it, in the profile's
    zone; a time of day alone (``15:10``, ``15時10分``) is today's."""
    if text is None:
        return None
    import re

    from claimkit.values.dates import parse_moment

    clock = re.fullmatch(r"(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分)?)", text.strip())
    try:
        if clock:
            hour, minute = int(clock[1]), int(clock[2] or clock[3] or 0)
            local = datetime.combine(d.today, datetime.min.time()).replace(hour=hour, minute=minute)
            return local.replace(tzinfo=d.calendar.zone)
        return parse_moment(text, d.calendar.zone, d.today)
    except ValueError as e:
        raise InputError(f"{flag} {text!r}: {e}") from None


def guided(env: Setup, o: dict[str, Any]) -> bool:
    """Whether a person at a terminal reads the guidance (never a pipe, never --quiet)."""
    return env.streams.stderr_tty and env.streams.stdin_tty and not o.get("quiet")


def show_what_follows(env: Setup, d: Desk, made: CaseDraft) -> None:
    """After a case's draft, on the terminal: the step after it, when it is due, and
    the command that records this one as sent."""
    from claimkit.cases.views import next_hint

    case = made.case
    hint = next_hint(
        d.catalog.load(case.scenario),
        made.draft.step,
        lang=env.lang,
        calendar=d.calendar,
        now=d.now,
        received=case.received_at,
        done=made.done,
        values=made.draft.variables,
    )
    done = "送ったら" if env.lang == "ja" else "Once it is sent"
    env.streams.note(f"claimkit: {hint}\n  {done}: claimkit case done {case.id}")
