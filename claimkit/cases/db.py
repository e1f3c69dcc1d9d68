"""The two engines behind the case log, SQLite and PostgreSQL, as one small interface.

The SQL is written once, with ``?`` placeholders, in what both engines run;
``Postgres`` turns the placeholders into psycopg's ``%s`` here and nowhere else.
Each engine's errors become ``InputError`` lines that name the log (a URL with
its password shown as ``***``), or the internal ``DuplicateKey``/``MissingTable``
the store acts on. sqlite3 and psycopg are imported only when a log is opened.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from claimkit.errors import InputError

if TYPE_CHECKING:
    import sqlite3

    import psycopg

# Seconds a writer waits for another one (SQLite's busy timeout, PostgreSQL's
# lock_timeout) before it gives up with "locked": a recording command holds the
# lock for milliseconds, so this much waiting means something is stuck.
BUSY_SECONDS = 10
CONNECT_SECONDS = 5
_STATEMENT_BUSY = 0.05
# pg_advisory_xact_lock key that serialises first opens: "claimkit" as digits.
MIGRATION_LOCK = 0x636C61696D6B6974

Params = Sequence[object]
Row = tuple[Any, ...]  # the engine decides each column's Python type; the store converts
Dialect = Literal["sqlite", "postgresql"]

NETWORK_FILESYSTEMS = frozenset(
    {
        *("nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs"),
        *("lustre", "gpfs", "ncpfs", "davfs", "fuse.sshfs", "fuse.glusterfs", "fuse.rclone"),
        *("fuse.s3fs", "fuse.davfs2", "fuse.cephfs"),
    }
)


class DuplicateKey(Exception):
    """A unique constraint refused a row (a case id already taken)."""


class MissingTable(Exception):
    """The table asked for is not there: a new, empty log."""


class Database:
    dialect: Dialect
    where: str  # the path or the URL with its password hidden, for messages

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        raise NotImplementedError

    def run(self, sql: str, params: Params = ()) -> int:
        """Run a statement; the number of rows it changed."""
        raise NotImplementedError

    def transaction(self, *, write: bool = True) -> AbstractContextManager[None]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        raise NotImplementedError

    def lock_for_migration(self) -> None:
        """Inside a write transaction: keep other first opens out until it ends."""

    def close(self) -> None:
        raise NotImplementedError


def connect(target: str | os.PathLike[str]) -> Database:
    """An open database for a path (SQLite) or a ``postgresql://`` URL."""
    text = os.fspath(target)
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in ("postgresql", "postgres"):
        return Postgres(text)
    if scheme == "sqlite":
        return Sqlite(Path(text.split("://", 1)[1] or "."))
    if scheme:
        raise InputError(
            f"unsupported database URL {redact(text)}; "
            "give a file path (SQLite) or a postgresql://user@host/database URL"
        )
    return Sqlite(Path(text))


def redact(url: str) -> str:
    """The URL with any password (in the user part or the query) shown as ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r":[^:@/]*@", ":***@", url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = parts.query
    if "password" in query.lower():
        query = urlencode(
            [
                (k, "***" if k.lower() == "password" else v)
                for k, v in parse_qsl(query, keep_blank_values=True)
            ],
            safe="*",
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


# -- SQLite ---------------------------------------------------------------------


class Sqlite(Database):
    dialect: Dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.where = str(path)
        self._errors = sqlite3
        if str(path) != ":memory:":
            share = network_filesystem(path)
            if share:
                raise InputError(
                    f"{path} is on a network share ({share}); SQLite's locking is not safe "
                    "there and the log could be corrupted: keep it on a local disk, or give "
                    "the team a PostgreSQL URL"
                )
            if not path.parent.is_dir():
                raise InputError(f"cannot open the case log {path}: its folder does not exist")
            if not path.exists():
                _create_private(path)
        try:
            # isolation_level=None: transactions are ours (BEGIN IMMEDIATE), not the module's.
            # A short busy timeout for single statements; writers wait in _begin_immediate.
            self._conn = sqlite3.connect(
                str(path), timeout=_STATEMENT_BUSY, isolation_level=None, check_same_thread=False
            )
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as e:
            raise self._error(e) from None
        # WAL lets readers work while one agent writes; a no-op once the file is WAL.
        self._retrying("PRAGMA journal_mode = WAL")

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            return self._conn.execute(sql, tuple(params)).fetchall()
        except self._errors.Error as e:
            raise self._error(e) from None

    def run(self, sql: str, params: Params = ()) -> int:
        try:
            return self._conn.execute(sql, tuple(params)).rowcount
        except self._errors.Error as e:
            raise self._error(e) from None

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[None]:
        # IMMEDIATE takes the write lock at once, so two writers queue at BEGIN
        # instead of one failing at its first write.
        if write:
            self._retrying("BEGIN IMMEDIATE")
        else:
            self.run("BEGIN")
        try:
            yield
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        self.run("COMMIT")

    def _retrying(self, sql: str) -> None:
        """``sql`` (BEGIN IMMEDIATE), retried every millisecond or two for BUSY_SECONDS.

        SQLite's own busy handler sleeps longer and longer (up to 100 ms a try)
        without knowing when the lock is freed; with 8 writers on one file that
        made 800 short transactions take 2-3 s instead of 0.5 s.
        """
        deadline = time.monotonic() + BUSY_SECONDS
        pause = 0.0005
        while True:
            try:
                self._conn.execute(sql)
                return
            except self._errors.Error as e:
                if "locked" not in str(e) or time.monotonic() >= deadline:
                    raise self._error(e) from None
            time.sleep(pause * (0.5 + random.random()))
            pause = min(pause * 1.5, 0.005)

    def secure_delete(self) -> None:
        """Deleted rows are overwritten, not left in free pages (purging personal data)."""
        self.run("PRAGMA secure_delete = ON")

    def checkpoint(self) -> None:
        self.run("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self._conn.close()

    def _error(self, e: sqlite3.Error) -> Exception:
        text = str(e)
        if isinstance(e, self._errors.IntegrityError) and "UNIQUE" in text:
            return DuplicateKey(text)
        if "no such table" in text:
            return MissingTable(text)
        if "locked" in text or "busy" in text:
            return InputError(
                f"the case log {self.where} is locked by another claimkit "
                f"(waited {BUSY_SECONDS} s); try again"
            )
        if "not a database" in text:
            return InputError(f"{self.where} is not a claimkit case log (not an SQLite database)")
        if isinstance(e, self._errors.OperationalError | self._errors.DatabaseError):
            return InputError(f"cannot use the case log {self.where}: {text}")
        return e


def _create_private(path: Path) -> None:
    # The log holds customers' names and words: readable by its owner only.
    # SQLite gives its -wal and -shm files the same permissions.
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as e:
        raise InputError(f"cannot create the case log {path}: {e.strerror or e}") from None


def network_filesystem(path: Path, mounts: str | None = None) -> str | None:
    """The type of the network file system ``path`` is on, or None (local, or not Linux)."""
    if mounts is None:
        if not sys.platform.startswith("linux"):
            return None
        try:
            with open("/proc/self/mounts", encoding="utf-8", errors="replace") as f:
                mounts = f.read()
        except OSError:
            return None
    where = os.path.realpath(path.parent if not path.exists() else path)
    best, kind = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind if kind in NETWORK_FILESYSTEMS else None


# -- PostgreSQL -----------------------------------------------------------------


class Postgres(Database):
    dialect: Dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.where = redact(url)
        self._password = urlsplit(url).password or ""
        try:
            import psycopg
        except ImportError:
            raise InputError(
                f"{self.where} is a PostgreSQL log, and psycopg is not installed; "
                "install claimkit[postgres]"
            ) from None
        self._pg = psycopg
        self._sql: dict[str, str] = {}
        try:
            # autocommit: transactions are explicit (conn.transaction()), as in SQLite.
            self._conn: psycopg.Connection[Row] = psycopg.connect(
                url,
                autocommit=True,
                connect_timeout=CONNECT_SECONDS,
                application_name="claimkit",
            )
            self._conn.execute(f"SET lock_timeout = '{BUSY_SECONDS}s'")
            self._conn.execute("SET TIME ZONE 'UTC'")
        except psycopg.ProgrammingError as e:
            raise InputError(
                f"{self.where} is not a usable PostgreSQL URL: {self._line(e)}"
            ) from None
        except psycopg.Error as e:
            raise InputError(
                f"cannot reach the case log at {self.where}: {self._line(e)}"
            ) from None

    def _convert(self, sql: str) -> str:
        converted = self._sql.get(sql)
        if converted is None:
            converted = self._sql[sql] = sql.replace("%", "%%").replace("?", "%s")
        return converted

    def rows(self, sql: str, params: Params = ()) -> list[Row]:
        try:
            cur = self._conn.execute(self._convert(sql), tuple(params))
            return cur.fetchall() if cur.description else []
        except self._pg.Error as e:
            raise self._error(e) from None

    def run(self, sql: str, params: Params = ()) -> int:
        try:
            return self._conn.execute(self._convert(sql), tuple(params)).rowcount
        except self._pg.Error as e:
            raise self._error(e) from None

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[None]:
        try:
            with self._conn.transaction():
                if not write:
                    # One snapshot for every query of a read (a case and its events agree).
                    self._conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield
        except self._pg.Error as e:
            # An error in COMMIT, or one raised inside and not yet mapped.
            raise self._error(e) from None

    def lock_for_migration(self) -> None:
        self.run("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))

    def close(self) -> None:
        self._conn.close()

    def _line(self, e: Exception) -> str:
        text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return text.replace(self._password, "***") if self._password else text

    def _error(self, e: psycopg.Error) -> Exception:
        errors = self._pg.errors
        if isinstance(e, errors.UniqueViolation):
            return DuplicateKey(str(e))
        if isinstance(e, errors.UndefinedTable):
            return MissingTable(str(e))
        if isinstance(e, errors.LockNotAvailable):
            return InputError(
                f"the case log at {self.where} is locked by another claimkit "
                f"(waited {BUSY_SECONDS} s); try again"
            )
        if isinstance(e, self._pg.OperationalError):
            return InputError(f"lost the case log at {self.where}: {self._line(e)}")
        return e
