"""The commands around drafting: list, show, validate, init, paths, help and version."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from claimkit import __version__
from claimkit.cli.app import app
from tests.conftest import SCENARIOS, cli, sh, write_playbook


def test_version() -> None:
    run = cli(["--version"])
    assert run.code == 0
    assert run.stdout == f"claimkit {__version__}\n"


def test_no_arguments_shows_help() -> None:
    run = cli([])
    assert "Usage: claimkit" in run.stdout + run.stderr
    assert "draft" in run.stdout + run.stderr


COMMANDS = ["draft", "check", "list", "show", "validate", "init", "paths", "stats", "case"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command: str) -> None:
    run = cli([command, "--help"])
    assert run.code == 0
    assert f"Usage: claimkit {command}" in run.stdout
    assert "Examples:" in run.stdout
    assert re.search(rf"^\s+claimkit {command}\b", run.stdout, re.M), run.stdout


def test_command_list_matches_the_app() -> None:
    from typer.main import get_command

    group = get_command(app)
    assert sorted(group.commands) == sorted(COMMANDS)  # type: ignore[attr-defined]


def test_list_in_a_pipe_is_tab_separated() -> None:
    run = sh(["list", "--lang", "ja"])
    assert run.code == 0
    rows = [line.split("\t") for line in run.stdout.splitlines()]
    ids = [r[0] for r in rows]
    assert "apology" in ids
    assert all(len(r) == 3 for r in rows)
    assert rows[ids.index("apology")][1:] == ["メールで届いた苦情への一次返信", "built-in"]
    assert "\x1b" not in run.stdout


def test_list_json_names_every_builtin_scenario() -> None:
    data = json.loads(cli(["list", "--format", "json", "--lang", "en"]).stdout)
    ids = [d["id"] for d in data]
    for scenario in SCENARIOS:
        assert scenario in ids
    apology = data[ids.index("apology")]
    assert apology["title"] == "First reply to a complaint that came by email"
    assert apology["drafts"] == ["first-reply", "report"]
    assert apology["origin"] == "built-in"


def test_list_shows_team_overrides(team: Path) -> None:
    write_playbook(team, "apology")
    write_playbook(team, "late-delivery")
    data = json.loads(cli(["list", "--format", "json", "--playbooks", str(team)]).stdout)
    by_id = {d["id"]: d for d in data}
    assert by_id["apology"]["origin"] == "team"
    assert by_id["late-delivery"]["origin"] == "team"
    assert by_id["escalation"]["origin"] == "built-in"


def test_env_team_folder_and_user_config_folder(team: Path, config_dir: Path) -> None:
    write_playbook(team, "from-env")
    write_playbook(config_dir, "from-user")  # the config folder holds content too
    data = json.loads(
        cli(["list", "--format", "json"], env={"CLAIMKIT_PLAYBOOKS": str(team)}).stdout
    )
    origins = {d["id"]: d["origin"] for d in data}
    assert origins["from-env"] == "team"
    assert origins["from-user"] == "user"


def test_show_is_a_checklist_with_deadlines_variables_and_notes() -> None:
    run = cli(["show", "apology", "--lang", "ja"])
    assert run.code == 0
    out = run.stdout
    assert out.startswith("apology — メールで届いた苦情への一次返信\n")
    assert "[ ] 1. お詫びの一次返信メールを送る  (first-reply; メール, お客様宛)" in out
    assert "期限: 受信後すぐ（遅くとも当日中）" in out
    assert "文面: claimkit draft apology --step first-reply" in out
    assert "文面なし（手順のみ）" in out  # the call is a task, not a message
    assert "callback_at  お電話する期限の日時 (日時, 必須; 例 翌営業日 15:00)" in out
    assert "注意点" in out and "言い訳" in out


def test_show_json() -> None:
    data = json.loads(cli(["show", "apology", "--format", "json", "--lang", "en"]).stdout)
    assert [s["id"] for s in data["steps"]][:2] == ["first-reply", "report"]
    assert data["steps"][0]["deadline"].startswith("as soon as the mail arrives")
    names = [v["name"] for v in data["variables"]]
    assert "customer_name" in names and "callback_at" in names


def test_init_without_a_terminal_takes_set_values(config_dir: Path) -> None:
    run = cli(
        [
            "init",
            "--no-input",
            "--set",
            "company_name=株式会社テスト",
            "--set",
            "agent_name=佐藤 花子",
            "--set",
            "agent_email=sato@test.example.jp",
            "--set",
            "lang=ja",
        ]
    )
    assert run.code == 0, run.stderr
    assert run.stdout == ""
    # said in the language just chosen
    assert run.stderr == f"claimkit: プロフィールを保存しました: {config_dir / 'profile.yaml'}\n"
    profile = yaml.safe_load((config_dir / "profile.yaml").read_text(encoding="utf-8"))
    assert profile == {
        "company_name": "株式会社テスト",
        "agent_name": "佐藤 花子",
        "agent_email": "sato@test.example.jp",
        "lang": "ja",
    }
    # the profile's language and sender now apply to drafts
    draft = cli(["draft", "apology", "--example", "--no-input"])
    assert "株式会社テスト お客様相談室の佐藤 花子でございます。" in draft.stdout


def test_init_refuses_bad_values(config_dir: Path) -> None:
    run = cli(["init", "--no-input", "--set", "agent_email=nope"])
    assert run.code == 2
    assert "agent_email" in run.stderr
    assert not (config_dir / "profile.yaml").exists()


def test_broken_profile_is_a_clear_error(config_dir: Path) -> None:
    (config_dir / "profile.yaml").write_text("company_name: [\n")
    run = cli(["draft", "apology", "--example", "--no-input"])
    assert run.code == 2
    assert f"{config_dir / 'profile.yaml'}:" in run.stderr and "malformed YAML" in run.stderr


def test_language_precedence(config_dir: Path) -> None:
    def lang(*args: str, env: dict[str, str] | None = None) -> str:
        run = cli(
            ["draft", "apology", "--example", "--no-input", "--format", "json", *args], env=env
        )
        return str(json.loads(run.stdout)["lang"])

    assert lang(env={"LANG": "ja_JP.UTF-8"}) == "ja"
    assert lang(env={"LANG": "C.UTF-8"}) == "en"
    (config_dir / "profile.yaml").write_text("lang: ja\n")
    assert lang(env={"LANG": "C.UTF-8"}) == "ja"
    assert lang(env={"CLAIMKIT_LANG": "en"}) == "en"
    assert lang("--lang", "ja", env={"CLAIMKIT_LANG": "en"}) == "ja"
    bad = cli(["draft", "apology", "--example"], env={"CLAIMKIT_LANG": "fr"})
    assert bad.code == 2 and "CLAIMKIT_LANG" in bad.stderr


def test_paths(config_dir: Path) -> None:
    run = cli(["paths"])
    lines = dict(line.split("\t", 1) for line in run.stdout.splitlines())
    assert lines["config"] == str(config_dir)
    assert lines["profile"] == str(config_dir / "profile.yaml")
    assert Path(lines["built-in"], "playbooks", "apology.yaml").is_file()
    assert cli(["paths", "--profile"]).stdout == f"{config_dir / 'profile.yaml'}\n"


def test_validate_a_good_team_folder(team: Path) -> None:
    write_playbook(team, "late")
    run = cli(["validate", str(team)])
    assert run.code == 0, run.stdout
    assert "1 playbooks, 2 templates checked: all good" in run.stderr
