"""Issue 19's figures as SQL both engines run and answer with the same numbers.

A starting point for ``claimkit stats``, which owns how figures are shown:
each query reads only the case row and the deadlines the log keeps up to date,
so none of them walks the timeline. Times are whole seconds since 1970 UTC,
``?`` parameters as everywhere in the case log.

Percentiles are defined as PostgreSQL's ``percentile_cont`` and numpy's default
(Hyndman and Fan's type 7): over the n sorted values x[0..n-1], with
h = p × (n − 1), the value x[⌊h⌋] + (h − ⌊h⌋) × (x[⌊h⌋+1] − x[⌊h⌋]). SQLite has
neither ``percentile_cont`` nor ``floor``, and PostgreSQL rounds where SQLite
truncates a cast, so ``percentile`` works in integers: p is a whole percent,
⌊h⌋ is an integer division, and the query returns 100 × the value, exact on
both engines; Python divides once. (``percentile_cont`` itself computes in
floating point and can differ from it in the last bits.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
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

# Cases opened per week (the local Monday) and scenario, between two instants.
OPENED_BY_WEEK = """
SELECT opened_week, scenario, count(*) FROM cases
WHERE opened_at >= ? AND opened_at < ?
GROUP BY opened_week, scenario ORDER BY opened_week, scenario"""

# The same per month: the local date's first 7 characters.
OPENED_BY_MONTH = """
SELECT substr(opened_day, 1, 7), scenario, count(*) FROM cases
WHERE opened_at >= ? AND opened_at < ?
GROUP BY substr(opened_day, 1, 7), scenario ORDER BY 1, 2"""

# First replies: how many, and how many by the first-reply step's due time.
FIRST_REPLY_WITHIN_TARGET = """
SELECT count(*), coalesce(sum(CASE WHEN first_reply_at <= first_reply_due THEN 1 ELSE 0 END), 0)
FROM cases WHERE first_reply_at IS NOT NULL AND opened_at >= ? AND opened_at < ?"""

# Promises (due: by, a time someone was told) that came due by the second
# parameter: how many, and how many were kept on time. A promise moved or
# closed before it came due counts for neither.
PROMISES_KEPT = """
SELECT count(*), coalesce(sum(CASE WHEN done_at <= due_at THEN 1 ELSE 0 END), 0)
FROM deadlines
WHERE promise = 1 AND due_at >= ? AND due_at < ?
  AND NOT (done_at IS NULL AND ended_at IS NOT NULL AND ended_at < due_at)"""

# ...and the ones not kept: done late, or not done when they came due.
PROMISES_LATE = """
SELECT case_id, step, due_at, done_at FROM deadlines
WHERE promise = 1 AND due_at >= ? AND due_at < ?
  AND NOT (done_at IS NULL AND ended_at IS NOT NULL AND ended_at < due_at)
  AND (done_at IS NULL OR done_at > due_at)
ORDER BY due_at, case_id"""

# Open cases and the overdue ones at an instant.
OPEN_AND_OVERDUE = """
SELECT count(*), coalesce(sum(CASE WHEN next_due < ? THEN 1 ELSE 0 END), 0)
FROM cases WHERE status = 'open'"""

# Threat cases: how many, their round trips and minutes.
THREATS = """
SELECT count(*), coalesce(sum(exchanges), 0), coalesce(sum(minutes), 0),
       coalesce(max(exchanges), 0), coalesce(max(minutes), 0)
FROM cases WHERE scenario = 'threat' AND opened_at >= ? AND opened_at < ?"""

# Cases per agent who opened them, and the steps each agent did.
CASES_PER_AGENT = """
SELECT agent, count(*), coalesce(sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0)
FROM cases WHERE opened_at >= ? AND opened_at < ? GROUP BY agent ORDER BY agent"""
STEPS_PER_AGENT = """
SELECT agent, count(*) FROM events WHERE kind = 'step_done' AND at >= ? AND at < ?
GROUP BY agent ORDER BY agent"""


def percentile(
    log: CaseLog, measure: Measure, percent: int, *, since: int, until: int
) -> float | None:
    """The ``percent``-th percentile (type 7) of a duration over cases opened in [since, until)."""
    if measure not in MEASURES:
        raise ValueError(f"not a duration of the case log: {measure}")
    if not 0 <= percent <= 100:
        raise ValueError(f"a percentile is from 0 to 100, not {percent}")
    rows = log.db.rows(
        f"""
        WITH ranked AS (
            SELECT {measure} AS x,
                   row_number() OVER (ORDER BY {measure}) - 1 AS i,
                   count(*) OVER () AS n
            FROM cases
            WHERE {measure} IS NOT NULL AND opened_at >= ? AND opened_at < ?
        )
        SELECT max(CASE WHEN i = (? * (n - 1)) / 100 THEN x END) * 100
               + (coalesce(max(CASE WHEN i = (? * (n - 1)) / 100 + 1 THEN x END), 0)
                  - max(CASE WHEN i = (? * (n - 1)) / 100 THEN x END))
                 * ((? * (n - 1)) % 100)
        FROM ranked GROUP BY n""",
        (since, until, percent, percent, percent, percent),
    )
    if not rows or rows[0][0] is None:
        return None
    return int(rows[0][0]) / 100
