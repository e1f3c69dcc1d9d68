"""What importing the case log's modules costs: no database driver until a log is opened."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize(
    ("statement", "absent"),
    [
        # The calendar and due times may serve plain drafts (issue 16): no database at all.
        (
            "import claimkit.values.business, claimkit.cases.due, claimkit.cases.flow",
            {"sqlite3", "psycopg"},
        ),
        ("import claimkit.values.holidays", {"sqlite3", "psycopg", "zoneinfo"}),
        # The store brings sqlite3 only when a log is opened, psycopg only for a URL.
        ("import claimkit.cases.store", {"sqlite3", "psycopg"}),
    ],
)
def test_imports_stay_light(statement: str, absent: set[str]) -> None:
    assert loaded_after(statement) & absent == set()


def test_a_sqlite_log_never_imports_psycopg(tmp_path: object) -> None:
    loaded = loaded_after(
        f"from claimkit.cases.store import open_log; open_log({str(tmp_path) + '/c.db'!r}).close()"
    )
    assert "sqlite3" in loaded and "psycopg" not in loaded
