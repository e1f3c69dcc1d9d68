"""Docs that cannot drift from the code."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import REPO, SCENARIOS
from tests.test_cli import COMMANDS

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_names_every_command_and_scenario() -> None:
    for command in COMMANDS:
        assert f"claimkit {command}" in README, command
    for scenario in SCENARIOS:
        assert f"`{scenario}`" in README, scenario


def test_readme_quick_start_is_two_commands() -> None:
    for marker in ("run-command", "test-command"):
        block = re.search(
            rf"<!-- {marker} -->\n```sh\n(.*?)\n```\n<!-- /{marker} -->", README, re.S
        )
        assert block, marker
        assert "\n" not in block.group(1).strip(), f"{marker} must be one command line"
    assert "claimkit draft" in README.split("<!-- /run-command -->")[0]


def test_ci_runs_the_readme_test_command() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "test-command" in script
    extracted = subprocess.run(
        [
            "sed",
            "-n",
            r"/<!-- test-command -->/,/<!-- \/test-command -->/{/^<!--/d;/^```/d;p}",
            str(REPO / "README.md"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert extracted.endswith("pytest")
    assert "pip install -e '.[test]'" in extracted


def test_playbook_docs_cover_every_schema_key() -> None:
    from claimkit.content.playbook import AUDIENCES, CHANNELS, VAR_TYPES

    doc = (REPO / "docs" / "playbooks.md").read_text(encoding="utf-8")
    for word in (*CHANNELS, *AUDIENCES, *VAR_TYPES):
        assert word in doc, word
    for key in (
        "deadline",
        "limit",
        "template",
        "choices",
        "example",
        "default",
        "required",
        "ask",
        "due",
        "limits",
        "counted",
    ):
        assert f"`{key}`" in doc or f"{key}:" in doc, key


def test_readme_lists_every_builtin_rule_as_generated() -> None:
    from claimkit.check.ruledoc import replace_in

    assert replace_in(README) == README, (
        "the rule table is out of date: run python -m claimkit.check.ruledoc --write README.md"
    )
