"""The case log's tables, as numbered forward migrations recorded in ``claimkit_migrations``.

As in simonw/llm's log, each migration runs once and is recorded by number;
unlike it, all the missing ones run in one transaction on open (PostgreSQL
first takes an advisory lock, so two first opens do not both migrate), and a
log whose number is higher than this claimkit knows is refused. A migration is
never edited once released: a change is a new migration at the end.

Times are whole seconds since 1970-01-01 UTC (BIGINT): both engines subtract,
compare and sort them the same way, so a figure computed in SQL is the same
number on SQLite and PostgreSQL. Durations the reports need (first reply,
resolution, in clock and in working time) are written when they happen, as
Chatwoot's reporting events are, not recomputed from the timeline.
"""

from __future__ import annotations

from typing import NamedTuple

from claimkit.cases.db import Database, MissingTable
from claimkit.errors import InputError


class Migration(NamedTuple):
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "cases and events",
        (
            """CREATE TABLE cases (
                id TEXT PRIMARY KEY,
                scenario TEXT NOT NULL,
                lang TEXT NOT NULL,
                agent TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
                opened_at BIGINT NOT NULL,
                opened_day TEXT NOT NULL,
                opened_week TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                complaint_message_id TEXT,
                complaint_subject TEXT,
                values_json TEXT NOT NULL,
                next_step TEXT,
                next_due BIGINT,
                due_step TEXT,
                first_reply_at BIGINT,
                first_reply_due BIGINT,
                first_reply_seconds BIGINT,
                first_reply_business_seconds BIGINT,
                resolved_at BIGINT,
                resolution_seconds BIGINT,
                resolution_business_seconds BIGINT,
                closed_at BIGINT,
                exchanges INTEGER NOT NULL,
                minutes INTEGER NOT NULL,
                last_seq INTEGER NOT NULL,
                updated_at BIGINT NOT NULL
            )""",
            """CREATE TABLE events (
                case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL,
                at BIGINT NOT NULL,
                recorded_at BIGINT NOT NULL,
                agent TEXT NOT NULL,
                step TEXT,
                note TEXT,
                minutes INTEGER,
                exchanges INTEGER,
                due_at BIGINT,
                seconds BIGINT,
                business_seconds BIGINT,
                message_id TEXT,
                data TEXT NOT NULL,
                PRIMARY KEY (case_id, seq)
            )""",
            # The overdue list: open cases by due time, a few ms over 100,000 cases.
            "CREATE INDEX cases_open_due ON cases (next_due, id) WHERE status = 'open'",
            "CREATE INDEX cases_agent ON cases (agent, status)",
            "CREATE INDEX cases_opened ON cases (opened_at)",
            "CREATE INDEX cases_closed ON cases (closed_at) WHERE status = 'closed'",
            "CREATE INDEX events_kind_at ON events (kind, at)",
        ),
    ),
    Migration(
        2,
        "deadlines and message ids",
        (
            # One row each time a step gets a due time: the promise (or target)
            # and whether and when it was kept, for "promises kept on time".
            # seq is the event that set it; one event may set several steps'.
            """CREATE TABLE deadlines (
                case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                step TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                promise SMALLINT NOT NULL,
                done_at BIGINT,
                done_seq INTEGER,
                ended_at BIGINT,
                PRIMARY KEY (case_id, seq, step)
            )""",
            "CREATE INDEX deadlines_due ON deadlines (due_at)",
            # Threading: which case a reply to one of our mails belongs to.
            "CREATE INDEX events_message ON events (message_id) WHERE message_id IS NOT NULL",
            "CREATE INDEX cases_complaint ON cases (complaint_message_id)"
            " WHERE complaint_message_id IS NOT NULL",
        ),
    ),
    Migration(
        3,
        "indexes that answer claimkit stats",
        (
            # Every figure over the cases opened in a period reads only this index,
            # never the wide rows: 5-10x faster over 100,000 cases (docs/stats.md).
            # It starts with opened_at, so it replaces cases_opened.
            "CREATE INDEX cases_period ON cases (opened_at, scenario, agent, opened_week,"
            " opened_day, first_reply_at, first_reply_due, first_reply_seconds,"
            " first_reply_business_seconds, resolution_seconds, resolution_business_seconds)",
            "DROP INDEX cases_opened",
            "CREATE INDEX cases_scenario ON cases (scenario, opened_at)",
            # Steps per agent: the agent in the index, which replaces events_kind_at.
            "CREATE INDEX events_steps ON events (kind, at, agent)",
            "DROP INDEX events_kind_at",
            "CREATE INDEX deadlines_promises ON deadlines (due_at, done_at, ended_at)"
            " WHERE promise = 1",
        ),
    ),
)

_VERSIONS = """CREATE TABLE IF NOT EXISTS claimkit_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at BIGINT NOT NULL
)"""


def schema_version(db: Database) -> int | None:
    """The log's version, or None for a log with no tables yet."""
    try:
        rows = db.rows("SELECT max(version) FROM claimkit_migrations")
    except MissingTable:
        return None
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def migrate(db: Database, now: int, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Bring the log up to the last migration, all in one transaction; its version."""
    latest = migrations[-1].version
    current = schema_version(db)
    if current == latest:
        return latest
    _refuse_newer(db, current, latest)
    with db.transaction():
        db.lock_for_migration()
        db.run(_VERSIONS)
        current = schema_version(db) or 0  # again, under the lock: another may have migrated
        _refuse_newer(db, current, latest)
        for migration in migrations:
            if migration.version > current:
                for statement in migration.statements:
                    db.run(statement)
                db.run(
                    "INSERT INTO claimkit_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, now),
                )
    return latest


def _refuse_newer(db: Database, current: int | None, latest: int) -> None:
    if current is not None and current > latest:
        raise InputError(
            f"the case log {db.where} was written by a newer claimkit (schema {current}, "
            f"this one knows up to {latest}); upgrade claimkit to use it"
        )
