"""The start-up budget: what a script's run must not import (the timings live in bench/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import cli

PROBE = """
import atexit, json, os, sys
atexit.register(lambda: open(os.environ["MODULES_OUT"], "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["claimkit", *json.loads(os.environ["ARGS"])]
from claimkit.cli import main
main()
"""


def modules_after(
    args: list[str], tmp_path: Path, extra_env: dict[str, str] | None = None
) -> tuple[set[str], str]:
    out = tmp_path / "modules.json"
    env = {**os.environ, "MODULES_OUT": str(out), "ARGS": json.dumps(args), **(extra_env or {})}
    run = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return set(json.loads(out.read_text())), run.stdout


def top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.mark.own_cache
def test_a_draft_into_a_pipe_imports_neither_rich_nor_pydantic_nor_typer(tmp_path: Path) -> None:
    args = ["draft", "apology", "--lang", "ja", "--example", "--no-input"]
    cold, out = modules_after(args, tmp_path)
    assert "ご不便をおかけしており" in out
    assert not {"rich", "pydantic", "pydantic_core"} & top(cold)
    warm, _ = modules_after(args, tmp_path)
    # the second run finds its YAML in the cache: no YAML parser at all
    assert not {"rich", "pydantic", "pydantic_core", "yaml"} & top(warm)
    assert "importlib.metadata" not in warm
    # the built-in content's folder is remembered: importlib.resources would bring zipfile
    assert not {"zipfile", "importlib.resources"} & warm
    # the scripted draft is read by claimkit.cli.options' quick parser: typer is a third of it
    assert "typer" not in top(cold) | top(warm)
    # a draft opens no case log: neither database driver is imported (issue 18)
    assert not {"sqlite3", "_sqlite3", "psycopg"} & top(cold | warm)
    # the template runs as the program the first run made and cached: no Jinja
    assert "claimkit.render.compiler" in cold and "jinja2" in top(cold)
    assert not {"jinja2", "markupsafe"} & top(warm)
    assert not {"claimkit.render.compiler", "claimkit.render.sandbox"} & warm


def test_a_draft_that_writes_no_file_imports_no_tempfile(tmp_path: Path) -> None:
    # tempfile brings shutil and random: only a run that writes a file (--out, a cache
    # entry) needs it, so the second, warm run, into a pipe, goes without
    args = ["draft", "apology", "--lang", "ja", "--example", "--no-input"]
    env = {"CLAIMKIT_CACHE_DIR": "", "XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}
    cold, _ = modules_after(args, tmp_path, env)
    warm, out = modules_after(args, tmp_path, env)
    assert "ご不便をおかけしており" in out
    assert "tempfile" in cold and (tmp_path / "xdg-cache" / "claimkit" / "yaml").is_dir()
    assert not {"tempfile", "shutil", "random", "platformdirs"} & top(warm)


def test_the_user_folders_follow_the_xdg_base_directories(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CLAIMKIT_CONFIG_DIR")
    monkeypatch.delenv("CLAIMKIT_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # not absolute: the spec ignores it

    lines = dict(line.split("\t", 1) for line in cli(["paths"]).stdout.splitlines())
    assert lines["config"] == str(tmp_path / "conf" / "claimkit")
    assert lines["profile"] == str(tmp_path / "conf" / "claimkit" / "profile.yaml")
    assert lines["cases"] == str(tmp_path / "data" / "claimkit" / "cases.db")
    assert lines["cache"] == str(tmp_path / "home" / ".cache" / "claimkit")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name)
    lines = dict(line.split("\t", 1) for line in cli(["paths"]).stdout.splitlines())
    assert lines["config"] == str(tmp_path / "home" / ".config" / "claimkit")
    assert lines["cases"] == str(tmp_path / "home" / ".local" / "share" / "claimkit" / "cases.db")
    monkeypatch.setenv("CLAIMKIT_NO_CACHE", "1")
    assert "cache\toff (CLAIMKIT_NO_CACHE)\n" in cli(["paths"]).stdout


def test_help_needs_no_rich_jinja_or_yaml(tmp_path: Path) -> None:
    modules, out = modules_after(["--help"], tmp_path)
    assert "Usage: claimkit" in out
    assert not {"rich", "jinja2", "yaml", "pydantic"} & top(modules)


def test_shell_completion_needs_no_jinja_yaml_or_rich(tmp_path: Path) -> None:
    env = {
        "_CLAIMKIT_COMPLETE": "complete_bash",
        "COMP_WORDS": "claimkit draft ap",
        "COMP_CWORD": "2",
    }
    out = tmp_path / "modules.json"
    probe = PROBE.replace("main()", "try:\n    main()\nexcept SystemExit:\n    pass")
    full = {**os.environ, "MODULES_OUT": str(out), "ARGS": "[]", **env}
    run = subprocess.run(
        [sys.executable, "-c", probe], env=full, capture_output=True, text=True, timeout=60
    )
    assert "apology" in run.stdout.split()
    modules = set(json.loads(out.read_text()))
    assert not {"rich", "jinja2", "yaml", "pydantic"} & top(modules)


@pytest.mark.parametrize("command", [["list", "--format", "json"], ["show", "apology"]])
def test_reports_into_a_pipe_do_not_draw_with_rich(command: list[str], tmp_path: Path) -> None:
    modules, _ = modules_after(command, tmp_path)
    assert "rich" not in top(modules)


def test_the_remembered_content_folder_is_never_trusted_blindly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimkit import cache, paths

    monkeypatch.setenv("CLAIMKIT_CACHE_DIR", str(tmp_path / "cache"))
    cache.reset()
    try:
        truth = paths._look_up()
        assert paths._remembered() == truth  # looked up, then remembered
        assert paths._remembered() == truth  # found in the cache
        (entry,) = [p for p in (tmp_path / "cache" / "paths").rglob("*") if p.is_file()]
        # a remembered folder that is gone (a removed install) is looked up again
        cache.default().put("paths", entry.name, (str(tmp_path / "gone"), str(tmp_path)))
        assert paths._remembered() == truth
    finally:
        cache.reset()


def test_records_are_read_only_though_not_dataclasses() -> None:
    from claimkit.check.loading import load_rules
    from claimkit.content.catalog import Catalog
    from claimkit.paths import builtin_root

    playbook = Catalog([builtin_root()]).load("apology")
    rules = load_rules("ja")
    records = [playbook, playbook.steps[0], playbook.variables[0], rules, rules.rules[0]]
    for record in records:
        with pytest.raises(AttributeError):
            record.id = "changed"  # type: ignore[misc,union-attr]
        with pytest.raises(AttributeError):
            record.anything = 1  # type: ignore[union-attr]
    assert playbook.names == {v.name for v in playbook.variables}
    # a rule set's memo is its own: rule sets compare as objects
    assert rules != load_rules("ja") and rules == rules and hash(rules) == hash(rules)


@pytest.mark.parametrize(
    ("args", "collecting"),
    [
        (["draft", "apology", "--lang", "ja", "--example", "--no-input"], False),
        # batches run long and make garbage with every case: the collector stays on
        (["draft", "apology", "--lang", "ja", "--example", "--batch", "-", "-j", "1"], True),
    ],
)
def test_the_cyclic_collector_is_off_for_one_draft_only(
    args: list[str], collecting: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import claimkit.cli.draft

    seen: list[bool] = []
    real = claimkit.cli.draft.run

    def run(**options: object) -> int:
        seen.append(gc.isenabled())
        return real(**options)

    monkeypatch.setattr(claimkit.cli.draft, "run", run)
    assert cli(args, input="{}\n").code == 0
    assert seen == [collecting]
    assert gc.isenabled()  # and back on once main() returns: a library caller keeps its collector


def test_a_batch_into_a_pipe_needs_neither_typer_nor_rich(tmp_path: Path) -> None:
    source = tmp_path / "cases.jsonl"
    source.write_text(json.dumps({"customer_name": "山田 太郎"}) + "\n", encoding="utf-8")
    args = ["draft", "apology", "--lang", "ja", "--example", "--batch", str(source), "-j", "1"]
    for _ in range(2):  # cold, then warm
        modules, out = modules_after(args, tmp_path)
        assert "山田 太郎 様\n" in json.loads(out)["body"]
        # the batch's command line is read by claimkit.cli.options' quick parser too
        assert not {"typer", "rich", "pydantic"} & top(modules)


def test_a_draft_pays_for_mail_modules_only_when_it_uses_them(tmp_path: Path) -> None:
    from claimkit.mail.wrap import display_width

    # every line of this draft fits in 70 columns: nothing to wrap, no BudouX
    fits = ["draft", "apology", "--lang", "ja", "--example", "--no-input", "--set", "order_ref=A-1"]
    modules_after(fits, tmp_path)  # the cold run fills the cache
    modules, out = modules_after(fits, tmp_path)
    assert max(map(display_width, out.splitlines())) <= 70
    assert not {"email", "budoux", "html"} & top(modules)
    assert "claimkit.mail.read" not in modules
    # a value that makes a line too long: BudouX finds where to break it
    point = "customer_point=" + "お届けした電気ケトルの電源が入らず、朝の支度に使えなかった" * 2
    modules, out = modules_after([*fits, "--set", point], tmp_path)
    assert max(map(display_width, out.splitlines())) <= 70
    assert "budoux" in top(modules) and "email" not in top(modules)  # (BudouX brings html)
    # answering a mail: the standard library's email reads it
    complaint = tmp_path / "complaint.eml"
    complaint.write_bytes(b"From: a@example.jp\nSubject: x\n\nbroken\n")
    modules, out = modules_after([*fits, "--reply-to", str(complaint)], tmp_path)
    assert "email" in top(modules) and "> broken" in out and "html" not in top(modules)


def test_case_next_into_a_pipe_imports_sqlite3_only(tmp_path: Path) -> None:
    database = str(tmp_path / "cases.db")
    opened = cli(["case", "open", "apology", "--example", "--lang", "ja", "--database", database])
    case_id = opened.stdout.strip()
    for _ in range(2):  # cold, then warm
        modules, out = modules_after(["case", "next", case_id, "--database", database], tmp_path)
        assert "ご不便をおかけしており" in out
        # read with the quick parser, like a draft; the log opened with the standard library
        assert "sqlite3" in top(modules)
        assert not {"psycopg", "typer", "rich", "pydantic"} & top(modules)
