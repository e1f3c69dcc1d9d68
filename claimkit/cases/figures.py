"""Issue 19's figures as SQL both engines run and answer with the same numbers.

``claimkit.stats`` turns these rows into the report's records and owns how
they are shown. Each query reads the case rows and the deadlines the log keeps
up to date, and the events only for the steps each agent did, always through an
index; none walks a case's timeline: the durations were written when they
happened. Times are whole seconds since 1970 UTC, ``?`` parameters as
everywhere in the case log.

A ``Scope`` says which cases count: those opened in ``[since, until)``, of one
scenario or one agent when given; "now" is ``as_of``. Figures about the state
of the log (open, overdue) count every open case, whenever it was opened, as
``claimkit case list --overdue --as-of`` does.

Percentiles are defined as PostgreSQL's ``percentile_cont`` and numpy's default
(Hyndman and Fan's type 7): over the n sorted values x[0..n-1], with
h = p × (n − 1), the value x[⌊h⌋] + (h − ⌊h⌋) × (x[⌊h⌋+1] − x[⌊h⌋]). SQLite has
neither ``percentile_cont`` nor ``floor``, and PostgreSQL rounds where SQLite
truncates a cast, so ``percentiles`` works in integers: p is a whole percent,
⌊h⌋ is an integer division, and the query returns 100 × the value, exact on
both engines; Python divides once. (``percentile_cont`` itself computes in
floating point and can differ from it in the last bits.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from claimkit.cases.db import Row
    from claimkit.cases.store import CaseLog

Measure = Literal[
    "first_reply_seconds",
    "first_reply_business_seconds",
    "resolution_seconds",
    "resolution_business_seconds",
]
MEASURES: tuple[Measure, ...] = (
    "first_reply_seconds",
    "first_reply_business_seconds",
    "resolution_seconds",
    "resolution_business_seconds",
)
By = Literal["week", "month"]

# Upper bounds of the first-reply histogram's bars, in seconds of working time;
# the last bar holds everything longer. 8 hours is about one working day.
REPLY_BUCKETS: tuple[int, ...] = (900, 1800, 3600, 7200, 14400, 28800)


class Scope(NamedTuple):
    since: int  # the first instant counted
    until: int  # the first instant not counted
    as_of: int  # "now": due before it is overdue; promises count once due before it
    scenario: str | None = None
    agent: str | None = None

    def cases(self, alias: str = "") -> tuple[str, list[object]]:
        """``AND ...`` for the scenario and agent, on the cases table (``alias.``)."""
        sql, params = "", list[object]()
        if self.scenario is not None:
            sql += f" AND {alias}scenario = ?"
            params.append(self.scenario)
        if self.agent is not None:
            sql += f" AND {alias}agent = ?"
            params.append(self.agent)
        return sql, params


def _opened(scope: Scope) -> tuple[str, list[object]]:
    """Cases opened in the scope's period, of its scenario and agent."""
    more, params = scope.cases()
    return f"opened_at >= ? AND opened_at < ?{more}", [scope.since, scope.until, *params]


def opened(log: CaseLog, scope: Scope, by: By = "week") -> list[Row]:
    """``(period, scenario, count)``: a week is its local Monday, a month ``YYYY-MM``.

    Only periods with cases come back; the caller lays out the empty ones.
    """
    period = "opened_week" if by == "week" else "substr(opened_day, 1, 7)"
    where, params = _opened(scope)
    return log.db.rows(
        f"SELECT {period}, scenario, count(*) FROM cases WHERE {where} GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )


def first_replies(log: CaseLog, scope: Scope) -> Row:
    """``(replied, with a target, within it)`` over cases opened in the period."""
    where, params = _opened(scope)
    return log.db.rows(
        "SELECT count(*),"
        " coalesce(sum(CASE WHEN first_reply_due IS NOT NULL THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN first_reply_at <= first_reply_due THEN 1 ELSE 0 END), 0) "
        f"FROM cases WHERE first_reply_at IS NOT NULL AND {where}",
        params,
    )[0]


def reply_histogram(log: CaseLog, scope: Scope) -> list[Row]:
    """``(bar, within target, late, no target)``: the bar is an index into REPLY_BUCKETS
    (``len(REPLY_BUCKETS)`` for longer), over the working time to the first reply."""
    where, params = _opened(scope)
    bars = " ".join(
        f"WHEN first_reply_business_seconds <= {edge} THEN {i}"
        for i, edge in enumerate(REPLY_BUCKETS)
    )
    return log.db.rows(
        f"SELECT CASE {bars} ELSE {len(REPLY_BUCKETS)} END AS bar,"
        " coalesce(sum(CASE WHEN first_reply_at <= first_reply_due THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN first_reply_at > first_reply_due THEN 1 ELSE 0 END), 0),"
        " coalesce(sum(CASE WHEN first_reply_due IS NULL THEN 1 ELSE 0 END), 0) "
        f"FROM cases WHERE first_reply_business_seconds IS NOT NULL AND {where} "
        "GROUP BY 1 ORDER BY 1",
        params,
    )


def resolved(log: CaseLog, scope: Scope) -> int:
    where, params = _opened(scope)
    rows = log.db.rows(
        f"SELECT count(*) FROM cases WHERE resolution_seconds IS NOT NULL AND {where}", params
    )
    return int(rows[0][0])


def percentiles(
    log: CaseLog, measure: Measure, percents: Sequence[int], scope: Scope
) -> list[float | None]:
    """The ``percents``-th percentiles (type 7) of a duration over cases opened in the period.

    One sort numbers the values (``row_number``) and returns only x[⌊h⌋] and x[⌊h⌋+1]
    of each percent; the interpolation is done in integers. None where no case has
    the duration.
    """
    if measure not in MEASURES:
        raise ValueError(f"not a duration of the case log: {measure}")
    for p in percents:
        if not (isinstance(p, int) and 0 <= p <= 100):
            raise ValueError(f"a percentile is a whole number from 0 to 100, not {p!r}")
    where, params = _opened(scope)
    n = int(log.db.rows(f"SELECT count({measure}) FROM cases WHERE {where}", params)[0][0])
    if not n:
        return [None] * len(percents)
    floors = [divmod(p * (n - 1), 100) for p in percents]
    wanted = sorted({i for floor, _ in floors for i in (floor, min(floor + 1, n - 1))})
    rows = log.db.rows(
        f"SELECT i, x FROM (SELECT {measure} AS x, row_number() OVER (ORDER BY {measure}) - 1 AS i"
        f" FROM cases WHERE {measure} IS NOT NULL AND {where}) AS ranked"
        f" WHERE i IN ({', '.join('?' * len(wanted))})",
        [*params, *wanted],
    )
    x = {int(i): int(v) for i, v in rows}
    # 100 × the value = 100 × x[⌊h⌋] + (x[⌊h⌋+1] − x[⌊h⌋]) × (p(n − 1) mod 100), exact.
    return [
        (100 * x[floor] + (x[min(floor + 1, n - 1)] - x[floor]) * fraction) / 100
        for floor, fraction in floors
    ]


def _promises(scope: Scope) -> tuple[str, list[object]]:
    """Promises (``due: by``, a time someone was told) that came due in the period before
    ``as_of``. A promise moved, or closed with its case, before it came due counts for none.

    The cases table is joined only to filter by scenario or agent: the join is most
    of the query's time over a year of a team's promises.
    """
    more, params = scope.cases("c.")
    join = " JOIN cases c ON c.id = d.case_id" if more else ""
    return (
        f"FROM deadlines d{join} "
        "WHERE d.promise = 1 AND d.due_at >= ? AND d.due_at < ? "
        "AND NOT (d.done_at IS NULL AND d.ended_at IS NOT NULL AND d.ended_at < d.due_at)"
        f"{more}",
        [scope.since, min(scope.until, scope.as_of), *params],
    )


def promises(log: CaseLog, scope: Scope) -> Row:
    """``(came due, kept on time)``."""
    body, params = _promises(scope)
    return log.db.rows(
        "SELECT count(*), coalesce(sum(CASE WHEN d.done_at <= d.due_at THEN 1 ELSE 0 END), 0) "
        + body,
        params,
    )[0]


def late_promises(log: CaseLog, scope: Scope) -> list[Row]:
    """``(case, scenario, agent, step, due, done or None)``: done late, or not done by ``as_of``
    (a promise done after ``as_of`` counts as not done then)."""
    body, params = _promises(scope)
    return log.db.rows(
        "SELECT late.case_id, c.scenario, c.agent, late.step, late.due_at, late.done FROM ("
        " SELECT d.case_id, d.step, d.due_at, CASE WHEN d.done_at <= ? THEN d.done_at END AS done"
        f" {body} AND (d.done_at IS NULL OR d.done_at > d.due_at)"
        ") AS late JOIN cases c ON c.id = late.case_id "
        "ORDER BY late.due_at, late.case_id, late.step",
        [scope.as_of, *params],
    )


def open_cases(log: CaseLog, scope: Scope) -> Row:
    """``(open, overdue at as_of)``, whenever they were opened."""
    more, params = scope.cases()
    # Literal 'open', so both engines use the partial index on open cases.
    return log.db.rows(
        "SELECT count(*), coalesce(sum(CASE WHEN next_due < ? THEN 1 ELSE 0 END), 0) "
        f"FROM cases WHERE status = 'open'{more}",
        [scope.as_of, *params],
    )[0]


def overdue(log: CaseLog, scope: Scope) -> list[Row]:
    """``(case, scenario, agent, step, due)`` of the cases overdue at ``as_of``, longest first:
    the list ``claimkit case list --overdue`` shows."""
    more, params = scope.cases()
    return log.db.rows(
        "SELECT id, scenario, agent, due_step, next_due FROM cases "
        f"WHERE status = 'open' AND next_due < ?{more} ORDER BY next_due, id",
        [scope.as_of, *params],
    )


def threats(log: CaseLog, scope: Scope) -> list[Row]:
    """``(case, agent, status, opened, exchanges, minutes)`` of the threat cases opened in the
    period (the ``threat`` scenario), oldest first."""
    where, params = _opened(scope)
    return log.db.rows(
        "SELECT id, agent, status, opened_at, exchanges, minutes FROM cases "
        f"WHERE scenario = 'threat' AND {where} ORDER BY opened_at, id",
        params,
    )


def agents(log: CaseLog, scope: Scope) -> list[Row]:
    """``(agent, opened in the period, open now, overdue now, steps done in the period)``.

    Cases count for the agent who opened them; steps for the agent who did them,
    on anyone's case. Three grouped queries, each answered from an index, merged
    here: a handful of rows, where one UNION ALL grouped every case and step again.
    """
    more, params = scope.cases()
    counts: dict[str, list[int]] = {}
    opened = log.db.rows(
        f"SELECT agent, count(*) FROM cases WHERE opened_at >= ? AND opened_at < ?{more} "
        "GROUP BY agent",
        [scope.since, scope.until, *params],
    )
    for agent, n in opened:
        counts.setdefault(str(agent), [0, 0, 0, 0])[0] = int(n)
    still_open = log.db.rows(
        "SELECT agent, count(*), coalesce(sum(CASE WHEN next_due < ? THEN 1 ELSE 0 END), 0) "
        f"FROM cases WHERE status = 'open'{more} GROUP BY agent",
        [scope.as_of, *params],
    )
    for agent, n, late in still_open:
        counts.setdefault(str(agent), [0, 0, 0, 0])[1:3] = [int(n), int(late)]
    steps, step_params, join = "", list[object](), ""
    if scope.scenario is not None:
        steps += " AND c.scenario = ?"
        step_params.append(scope.scenario)
        join = " JOIN cases c ON c.id = e.case_id"
    if scope.agent is not None:
        steps += " AND e.agent = ?"
        step_params.append(scope.agent)
    done = log.db.rows(
        f"SELECT e.agent, count(*) FROM events e{join} "
        f"WHERE e.kind = 'step_done' AND e.at >= ? AND e.at < ?{steps} GROUP BY e.agent",
        [scope.since, scope.until, *step_params],
    )
    for agent, n in done:
        counts.setdefault(str(agent), [0, 0, 0, 0])[3] = int(n)
    return [(agent, *numbers) for agent, numbers in sorted(counts.items())]
