"""Case logs for the tests: a fresh SQLite file, or a fresh schema on a real PostgreSQL.

PostgreSQL tests run when CLAIMKIT_TEST_DATABASE_URL names a server (CI sets
it: postgresql://postgres@127.0.0.1:5432/test) and skip with the reason when it
is unset; CLAIMKIT_TEST_REQUIRE_POSTGRES=1 turns that skip into a failure.
Each test gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from claimkit.cases.due import parse_due
from claimkit.cases.flow import StepSpec
from claimkit.values.business import calendar_from_profile

URL_VARIABLE = "CLAIMKIT_TEST_DATABASE_URL"
TOKYO = ZoneInfo("Asia/Tokyo")
CALENDAR = calendar_from_profile({"timezone": "Asia/Tokyo"})

# The apology playbook's steps with the due: proposed for them (docs/due-proposal.md).
APOLOGY = [
    StepSpec(
        "first-reply", True, "customer", parse_due({"within": "1h", "business_hours": True}, "")
    ),
    StepSpec("report", True, "internal", parse_due({"with": "first-reply"}, "")),
    StepSpec("call", False, "customer", parse_due({"by": "callback_at"}, "")),
    StepSpec(
        "decide", False, "internal", parse_due({"within": "3 working days", "from": "previous"}, "")
    ),
    StepSpec(
        "resolve",
        False,
        "customer",
        parse_due({"within": "2 working days", "from": "previous"}, ""),
    ),
    StepSpec("thank", False, "customer", None),
]


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=TOKYO)  # type: ignore[misc]


def postgres_base_url() -> str:
    url = os.environ.get(URL_VARIABLE, "")
    if not url:
        if os.environ.get("CLAIMKIT_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{URL_VARIABLE} is not set, and CLAIMKIT_TEST_REQUIRE_POSTGRES=1")
        pytest.skip(f"{URL_VARIABLE} is not set (a postgresql:// URL of a server to test on)")
    return url


def with_search_path(url: str, schema: str) -> str:
    options = quote(f"-csearch_path={schema}", safe="")
    return f"{url}{'&' if '?' in url else '?'}options={options}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = postgres_base_url()
    import psycopg

    schema = f"claimkit_test_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(base, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as e:
        if os.environ.get("CLAIMKIT_TEST_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"cannot reach {URL_VARIABLE}: {e}")
        pytest.skip(f"cannot reach the server in {URL_VARIABLE}: {str(e).splitlines()[0]}")
    try:
        yield with_search_path(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def sqlite_path(tmp_path: Path) -> str:
    return str(tmp_path / "cases.db")


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest) -> str:
    """Each test once on a fresh SQLite file and once on a fresh PostgreSQL schema."""
    name = "sqlite_path" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))
