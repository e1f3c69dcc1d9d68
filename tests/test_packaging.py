"""A plain `pip install .` carries the built-in content and finds it from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # hatchling is a test dependency, so the build needs no network.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("claimkit-*.whl")
    return found


def test_wheel_ships_playbooks_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    playbooks = sorted(p.name for p in (REPO / "playbooks").glob("*.yaml"))
    for name in playbooks:
        assert f"claimkit/_builtin/playbooks/{name}" in names
    templates = [
        p.relative_to(REPO / "templates").as_posix() for p in (REPO / "templates").rglob("*.j2")
    ]
    assert templates
    for name in templates:
        assert f"claimkit/_builtin/templates/{name}" in names
    assert not any(n.startswith(("tests/", "playbooks/", "templates/")) for n in names)


def test_installed_wheel_drafts_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "CLAIMKIT_CONFIG_DIR": str(tmp_path / "cfg")}
    code = "from claimkit.paths import builtin_root; print(builtin_root().path)"
    where = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where) == site / "claimkit" / "_builtin"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "claimkit",
            "draft",
            "apology",
            "--lang",
            "ja",
            "--example",
            "--no-input",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "ご不便をおかけしており" in run.stdout
