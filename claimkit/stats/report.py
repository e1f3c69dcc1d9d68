"""The report: which days it covers, and its figures from the case log as typed records.

``build`` runs the queries of claimkit.cases.figures, a dozen in all whatever
the size of the log, and lays out what SQL leaves implicit: the weeks or months
with no case, the shares, the times in the team's time zone. Every time here
is an aware datetime in the calendar's zone; every duration whole or fractional
seconds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal, NamedTuple

from claimkit.cases import figures
from claimkit.errors import InputError

if TYPE_CHECKING:
    from claimkit.cases.store import CaseLog
    from claimkit.content.playbook import Playbook

By = Literal["week", "month"]


# With no --since: twelve weeks, or six months, ending with the one --until falls in.
DEFAULT_WEEKS = 12
DEFAULT_MONTHS = 6


class Window(NamedTuple):
    """The whole local days ``since``..``until`` (both included), and the moment "now" is."""

    since: date
    until: date
    as_of: datetime
    by: By
    zone: tzinfo

    def start(self, day: date) -> datetime:
        return datetime.combine(day, time(0)).replace(tzinfo=self.zone)

    def periods(self) -> list[date]:
        """Every week's Monday (or month's first day) the window touches, empty ones too."""
        if self.by == "week":
            first = self.since - timedelta(days=self.since.weekday())
            weeks = (self.until - first).days // 7 + 1
            return [first + timedelta(weeks=n) for n in range(weeks)]
        months = (self.until.year - self.since.year) * 12 + self.until.month - self.since.month
        return [_add_months(self.since.replace(day=1), n) for n in range(months + 1)]

    def scope(self, scenario: str | None, agent: str | None) -> figures.Scope:
        return figures.Scope(
            since=_ts(self.start(self.since)),
            until=_ts(self.start(self.until + timedelta(days=1))),
            as_of=_ts(self.as_of),
            scenario=scenario,
            agent=agent,
        )


def window(since: date | None, until: date | None, as_of: datetime, by: By, zone: tzinfo) -> Window:
    """The days a report covers: by default the twelve weeks (six months) up to ``as_of``."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must be an aware datetime")
    as_of = as_of.astimezone(zone)
    until = until or as_of.date()
    if since is None:
        if by == "week":
            since = until - timedelta(days=until.weekday(), weeks=DEFAULT_WEEKS - 1)
        else:
            since = _add_months(until.replace(day=1), 1 - DEFAULT_MONTHS)
    if since > until:
        raise InputError(f"--since {since} is after --until {until}; give an earlier --since")
    return Window(since, until, as_of, by, zone)


class PeriodCount(NamedTuple):
    start: date  # the week's Monday, or the month's first day
    counts: dict[str, int]  # scenario: cases opened; only scenarios with cases
    total: int


class Volume(NamedTuple):
    by: By
    periods: list[PeriodCount]  # every period of the window, in order, empty ones too
    by_scenario: dict[str, int]  # the most frequent first
    total: int


class Durations(NamedTuple):
    """Times from receipt, on the clock and in working time (the profile's business hours)."""

    cases: int
    median_seconds: float | None
    p90_seconds: float | None
    median_business_seconds: float | None
    p90_business_seconds: float | None


class ReplyBar(NamedTuple):
    """First replies whose working time to reply was at most ``up_to_seconds`` (None: longer)
    and more than the bar before's."""

    up_to_seconds: int | None
    within_target: int
    late: int
    no_target: int


class FirstReply(NamedTuple):
    times: Durations
    with_target: int  # replies whose step had a due time
    within_target: int
    share_within_target: float | None
    histogram: list[ReplyBar]


class LatePromise(NamedTuple):
    case_id: str
    scenario: str
    agent: str
    step: str
    due_at: datetime
    done_at: datetime | None  # None: not done by as_of
    late_seconds: int  # done_at (or as_of) − due_at


class Promises(NamedTuple):
    due: int  # promises that came due in the window before as_of
    kept: int
    share_kept: float | None
    late: list[LatePromise]


class OverdueCase(NamedTuple):
    case_id: str
    scenario: str
    agent: str
    step: str | None
    due_at: datetime
    overdue_seconds: int


class OpenNow(NamedTuple):
    open: int
    overdue: int
    cases: list[OverdueCase]  # the overdue ones, longest overdue first


class ThreatCase(NamedTuple):
    case_id: str
    agent: str
    status: str
    opened_at: datetime
    exchanges: int
    minutes: int
    reached_limit: bool  # at the playbook's round trips or minutes


class ThreatLimits(NamedTuple):
    """The threat playbook's limits the cases are counted against (None: no such limit)."""

    exchanges: int | None
    minutes: int | None

    def reached(self, exchanges: int, minutes: int) -> bool:
        return (self.exchanges is not None and exchanges >= self.exchanges) or (
            self.minutes is not None and minutes >= self.minutes
        )


# What the practice allows a threat call (the decided answer at most 3 times, abuse
# endured for about 20 minutes), used when no threat playbook in reach says otherwise.
PRACTICE_LIMITS = ThreatLimits(3, 20)


def threat_limits(playbook: Playbook | None) -> ThreatLimits:
    """The limits the ``threat`` playbook's steps set (a team's own playbook included);
    the practice's 3 round trips and 20 minutes when there is no such playbook."""
    if playbook is None:
        return PRACTICE_LIMITS
    steps = [s.limits for s in playbook.steps if s.limits is not None]
    return ThreatLimits(
        min((n for n in (lim.exchanges for lim in steps) if n is not None), default=None),
        min((n for n in (lim.minutes for lim in steps) if n is not None), default=None),
    )


class Threats(NamedTuple):
    total: int
    exchanges: int
    minutes: int
    reached_limit: int
    limits: ThreatLimits
    cases: list[ThreatCase]  # those that reached a limit first, then the most minutes


class AgentLoad(NamedTuple):
    agent: str
    opened: int  # cases the agent opened in the window
    open: int  # of all the agent's cases, open now
    overdue: int
    steps_done: int  # steps the agent did in the window, on anyone's cases


class Report(NamedTuple):
    window: Window
    scenario: str | None
    agent: str | None
    opened: Volume
    first_reply: FirstReply
    resolution: Durations
    promises: Promises
    open_now: OpenNow
    threats: Threats
    agents: list[AgentLoad]


def build(
    log: CaseLog,
    window: Window,
    *,
    scenario: str | None = None,
    agent: str | None = None,
    limits: ThreatLimits = PRACTICE_LIMITS,
) -> Report:
    scope = window.scope(scenario, agent)
    with log.db.transaction(write=False):  # every figure from one snapshot of the log
        return Report(
            window=window,
            scenario=scenario,
            agent=agent,
            opened=_volume(log, scope, window),
            first_reply=_first_reply(log, scope),
            resolution=_durations(
                log,
                scope,
                ("resolution_seconds", "resolution_business_seconds"),
                figures.resolved(log, scope),
            ),
            promises=_promises(log, scope, window),
            open_now=_open_now(log, scope, window),
            threats=_threats(log, scope, window, limits),
            agents=[
                AgentLoad(str(r[0]), *(int(n) for n in r[1:])) for r in figures.agents(log, scope)
            ],
        )


def _volume(log: CaseLog, scope: figures.Scope, window: Window) -> Volume:
    counts: dict[date, dict[str, int]] = {start: {} for start in window.periods()}
    by_scenario: dict[str, int] = {}
    for period, scenario, n in figures.opened(log, scope, window.by):
        start = date.fromisoformat(period if window.by == "week" else f"{period}-01")
        counts.setdefault(start, {})[str(scenario)] = int(n)
        by_scenario[str(scenario)] = by_scenario.get(str(scenario), 0) + int(n)
    ranked = dict(sorted(by_scenario.items(), key=lambda item: (-item[1], item[0])))
    periods = [PeriodCount(start, c, sum(c.values())) for start, c in sorted(counts.items())]
    return Volume(window.by, periods, ranked, sum(ranked.values()))


def _durations(
    log: CaseLog,
    scope: figures.Scope,
    measures: tuple[figures.Measure, figures.Measure],
    count: int,
) -> Durations:
    """The median and 90th percentile of a clock and a working-time measure."""
    clock = figures.percentiles(log, measures[0], (50, 90), scope)
    business = figures.percentiles(log, measures[1], (50, 90), scope)
    return Durations(count, clock[0], clock[1], business[0], business[1])


def _first_reply(log: CaseLog, scope: figures.Scope) -> FirstReply:
    count, with_target, within = (int(n) for n in figures.first_replies(log, scope))
    bars = {int(r[0]): r for r in figures.reply_histogram(log, scope)}
    edges: list[int | None] = [*figures.REPLY_BUCKETS, None]
    histogram = [
        ReplyBar(edge, *(int(n) for n in bars[i][1:])) if i in bars else ReplyBar(edge, 0, 0, 0)
        for i, edge in enumerate(edges)
    ]
    return FirstReply(
        times=_durations(
            log, scope, ("first_reply_seconds", "first_reply_business_seconds"), count
        ),
        with_target=with_target,
        within_target=within,
        share_within_target=within / with_target if with_target else None,
        histogram=histogram,
    )


def _promises(log: CaseLog, scope: figures.Scope, window: Window) -> Promises:
    due, kept = (int(n) for n in figures.promises(log, scope))
    late = []
    for case_id, scenario, agent, step, due_at, done_at in figures.late_promises(log, scope):
        end = scope.as_of if done_at is None else int(done_at)
        late.append(
            LatePromise(
                str(case_id),
                str(scenario),
                str(agent),
                str(step),
                _local(due_at, window),
                None if done_at is None else _local(done_at, window),
                end - int(due_at),
            )
        )
    return Promises(due, kept, kept / due if due else None, late)


def _open_now(log: CaseLog, scope: figures.Scope, window: Window) -> OpenNow:
    count, late = (int(n) for n in figures.open_cases(log, scope))
    cases = [
        OverdueCase(
            str(case_id),
            str(scenario),
            str(agent),
            None if step is None else str(step),
            _local(due, window),
            scope.as_of - int(due),
        )
        for case_id, scenario, agent, step, due in figures.overdue(log, scope)
    ]
    return OpenNow(count, late, cases)


def _threats(log: CaseLog, scope: figures.Scope, window: Window, limits: ThreatLimits) -> Threats:
    cases = [
        ThreatCase(
            str(case_id),
            str(agent),
            str(status),
            _local(opened, window),
            int(exchanges),
            int(minutes),
            limits.reached(int(exchanges), int(minutes)),
        )
        for case_id, agent, status, opened, exchanges, minutes in figures.threats(log, scope)
    ]
    cases.sort(key=lambda c: (not c.reached_limit, -c.minutes, -c.exchanges, c.opened_at))
    return Threats(
        total=len(cases),
        exchanges=sum(c.exchanges for c in cases),
        minutes=sum(c.minutes for c in cases),
        reached_limit=sum(c.reached_limit for c in cases),
        limits=limits,
        cases=cases,
    )


def _ts(at: datetime) -> int:
    return int(at.timestamp())


def _local(seconds: object, window: Window) -> datetime:
    return datetime.fromtimestamp(int(str(seconds)), UTC).astimezone(window.zone)


def _add_months(first: date, months: int) -> date:
    n = first.year * 12 + first.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)
