"""Every error a user can cause: one line on stderr, exit 2, no traceback, nothing written.

Through main() in-process, as the other CLI tests run; a real process where only one
shows it: stdin an empty pipe, bytes in argv, a template deeper than a fresh stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import cli, sh, write_playbook


def assert_one_line_error(run_stderr: str, *needles: str) -> None:
    lines = run_stderr.strip().splitlines()
    assert len(lines) == 1, run_stderr
    assert lines[0].startswith("claimkit: error: "), run_stderr
    assert "Traceback" not in run_stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (
            ["draft", "apolgy", "--no-input"],
            ["unknown scenario 'apolgy'", "did you mean 'apology'"],
        ),
        (["draft", "no-such-scenario", "--no-input"], ["unknown scenario", "claimkit list"]),
        (
            ["draft", "apology", "--step", "frist-reply", "--example", "--no-input"],
            ["no step 'frist-reply'", "did you mean 'first-reply'"],
        ),
        (
            ["draft", "apology", "--step", "call", "--example", "--no-input"],
            ["done by hand", "first-reply"],
        ),
        (["draft", "apology", "--lang", "xx", "--example"], ["'xx' is not one of", "--lang"]),
        (
            ["draft", "apology", "--format", "docx", "--example"],
            ["'docx' is not one of", "'jsonl'; see 'claimkit draft --help'"],  # no ".;"
        ),
        (["draft", "apology", "--example", "--set", "novalue"], ["NAME=VALUE"]),
        (["draft", "--no-input"], ["give a SCENARIO", "apology"]),
        (["show", "apolgy"], ["did you mean 'apology'"]),
        (
            ["draft", "apology", "--example", "--no-input", "--set", "callback_at=someday"],
            ["--set: callback_at", "not a date and time"],
        ),
        (
            [
                "draft",
                "apology",
                "--example",
                "--no-input",
                "--set",
                "customer_email=not-an-address",
            ],
            ["customer_email", "not an email address"],
        ),
        (
            ["draft", "apology", "--example", "--no-input", "--playbooks", "/no/such/dir"],
            ["--playbooks", "/no/such/dir", "not a folder"],
        ),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], needles: list[str]) -> None:
    run = cli(args)
    assert run.code == 2
    assert run.stdout == ""
    assert_one_line_error(run.stderr, *needles)


def test_missing_variables_are_all_named() -> None:
    run = cli(["draft", "apology", "--lang", "ja", "--no-input"])
    assert run.code == 2
    assert_one_line_error(
        run.stderr,
        "customer_name",
        "order_ref",
        "customer_point",
        "callback_at",
        "company_name",
        "agent_name",
    )
    # only what the first reply needs: the manager is asked for by the report step
    assert "manager_name" not in run.stderr


def test_no_input_also_without_a_terminal_never_waits() -> None:
    # stdin is an empty pipe: no prompt, the same clear error
    run = sh(["draft", "apology", "--lang", "en"], input=b"")
    assert run.code == 2
    assert "missing variables" in run.stderr


def test_newline_in_a_header_value_is_refused() -> None:
    run = cli(
        [
            "draft",
            "apology",
            "--example",
            "--no-input",
            "--format",
            "eml",
            "--set",
            "customer_name=山田\nBcc: evil@example.com",
        ]
    )
    assert run.code == 2
    assert run.stdout == ""
    assert_one_line_error(run.stderr, "customer_name", "line break")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\x00\xff\xfe binary", "binary data"),
        (b"customer_name: \xff\xfe\n", "not UTF-8"),
        (b"customer_name: [\n  - {oops\n", "malformed YAML"),
        (b'{"customer_name": "x",\n  oops}', "malformed JSON"),
        (b"- just\n- a list\n", "one case"),
    ],
)
def test_bad_data_files(tmp_path: Path, content: bytes, needle: str) -> None:
    data = tmp_path / "case.dat"
    data.write_bytes(content)
    run = cli(["draft", "apology", "--example", "--no-input", "--data", str(data)])
    assert run.code == 2
    assert_one_line_error(run.stderr, str(data), needle)


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    data = tmp_path / "case.json"
    data.write_text('{\n  "customer_name": "x",\n  oops\n}', encoding="utf-8")
    run = cli(["draft", "apology", "--example", "--no-input", "--data", str(data)])
    assert_one_line_error(run.stderr, f"{data}:3:3", "malformed JSON")


def test_missing_data_file(tmp_path: Path) -> None:
    run = cli(
        ["draft", "apology", "--example", "--no-input", "--data", str(tmp_path / "nope.yaml")]
    )
    assert run.code == 2
    assert_one_line_error(run.stderr, "nope.yaml", "no such file")


def test_unreadable_data_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    data = tmp_path / "secret.yaml"
    data.write_text("customer_name: x\n")
    data.chmod(0)
    run = cli(["draft", "apology", "--example", "--no-input", "--data", str(data)])
    assert run.code == 2
    assert_one_line_error(run.stderr, "secret.yaml", "cannot read")


def test_malformed_playbook_names_file_and_line(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = team / "playbooks" / "broken.yaml"
    broken.write_text("id: broken\nsteps: [\n  - {oops\n", encoding="utf-8")
    monkeypatch.setenv("CLAIMKIT_PLAYBOOKS", str(team))
    run = cli(["draft", "broken", "--no-input", "--example"])
    assert run.code == 2
    assert_one_line_error(run.stderr, f"{broken}:3", "malformed YAML")


def test_existing_out_is_not_clobbered(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    out.write_text("keep")
    run = cli(["draft", "apology", "--example", "--no-input", "--out", str(out)])
    assert run.code == 2
    assert_one_line_error(run.stderr, str(out), "already exists", "--force")
    assert out.read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reply.txt"]  # no temp file left


def test_out_into_a_missing_folder(tmp_path: Path) -> None:
    run = cli(
        ["draft", "apology", "--example", "--no-input", "--out", str(tmp_path / "no" / "r.txt")]
    )
    assert run.code == 2
    assert_one_line_error(run.stderr, "does not exist")


def test_error_in_a_team_template_names_file_and_line(team: Path) -> None:
    write_playbook(
        team, "late", templates={"en": "line one\n{{ customer_name }}\n{{ no_such_var }}\n"}
    )
    run = cli(
        ["draft", "late", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert run.code == 2
    assert_one_line_error(run.stderr, "late/mail.j2:3", "'no_such_var' is undefined")


@pytest.mark.parametrize(
    "text",
    [
        "{{ 0x" + "f" * 5000 + " }}\n",  # past Python's limit on the digits of a number
        "{% if a %}" * 3000 + "x" + "{% endif %}" * 3000,  # past Python's recursion limit
    ],
)
@pytest.mark.parametrize("batch", [False, True])
def test_a_template_python_cannot_compile_is_a_content_error(
    team: Path, text: str, batch: bool
) -> None:
    write_playbook(team, "huge", templates={"en": text})
    args = ["draft", "huge", "--lang", "en", "--no-input", "--playbooks", str(team)]
    if batch:
        run = sh([*args, "--batch", "-"], input='{"customer_name": "a", "order_ref": "b"}\n')
    else:
        run = sh([*args, "--example"])
    assert run.code == 2 and run.stdout == ""
    assert_one_line_error(run.stderr, "huge/mail.j2", "template cannot be compiled")


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"ok \xff\xfe {{ customer_name }}\n", "not UTF-8 text (invalid byte at offset 3)"),
        (b"ok\x00{{ customer_name }}\n", "binary data (a NUL byte at offset 2)"),
        (b"x" * (1024 * 1024 + 1), "larger than the 1 MiB"),
    ],
)
@pytest.mark.parametrize("where", ["mail.j2", "_part.j2"])
@pytest.mark.parametrize("batch", [False, True])
def test_a_template_file_that_is_not_text_is_a_content_error(
    team: Path, data: bytes, needle: str, where: str, batch: bool
) -> None:
    # The draft's own template, or one it includes; once bad, then fixed: nothing kept stale.
    write_playbook(team, "bin", templates={"en": "Hi\n{% include '_part.j2' %}\n"})
    folder = team / "templates" / "en"
    (folder / "_part.j2").write_text("part {{ customer_name }}\n")
    (folder / ("bin/mail.j2" if where == "mail.j2" else where)).write_bytes(data)
    args = ["draft", "bin", "--lang", "en", "--no-input", "--playbooks", str(team)]
    row = '{"customer_name": "Alex", "order_ref": "A-1"}\n'
    run = cli([*args, "--batch", "-"], input=row) if batch else cli([*args, "--example"])
    assert run.code == 2 and run.stdout == ""
    assert_one_line_error(run.stderr, where, needle)
    (folder / "bin/mail.j2").write_text("Hi\n{% include '_part.j2' %}\n")
    (folder / "_part.j2").write_text("part {{ customer_name }}\n")
    fixed = cli([*args, "--batch", "-"], input=row) if batch else cli([*args, "--example"])
    assert fixed.code == 0, fixed.stderr
    assert "part Alex" in fixed.stdout


def test_template_syntax_error_names_file_and_line(team: Path) -> None:
    write_playbook(team, "late", templates={"en": "ok\n{% if %}\n"})
    run = cli(
        ["draft", "late", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    )
    assert run.code == 2
    assert_one_line_error(run.stderr, "late/mail.j2:2", "template syntax")


def test_undecodable_bytes_in_an_argument_are_refused() -> None:
    # argv bytes that are not UTF-8 reach Python as lone surrogates: a clear error, not a crash
    cmd = [sys.executable, "-m", "claimkit", "draft", "apology", "--example", "--no-input"]
    proc = subprocess.run([*cmd, b"--set", b"customer_name=\xff\xfe"], capture_output=True)
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert_one_line_error(proc.stderr.decode(), "--set: customer_name", "not valid UTF-8")


def test_a_lone_surrogate_in_a_batch_row_fails_only_that_row() -> None:
    rows = '{"customer_name": "\\ud800"}\n{"customer_name": "山田"}\n'
    run = cli(["draft", "apology", "--example", "--lang", "ja", "--batch", "-"], input=rows)
    assert run.code == 1
    assert [json.loads(line)["row"] for line in run.stdout.splitlines()] == [2]
    assert "row 1:" in run.stderr and "not valid UTF-8" in run.stderr


@pytest.mark.parametrize("batch", [False, True])
def test_a_template_that_writes_a_lone_surrogate_is_refused(team: Path, batch: bool) -> None:
    write_playbook(team, "odd", templates={"en": '{{ customer_name }} {{ "\\ud800" }}\n'})
    cmd = ["draft", "odd", "--lang", "en", "--example", "--no-input", "--playbooks", str(team)]
    run = cli([*cmd, "--batch", "-"], input="{}\n") if batch else cli(cmd)
    assert run.code == 2
    assert run.stdout == ""
    assert_one_line_error(run.stderr, "odd/mail.j2", "lone surrogate")


def test_internal_errors_are_one_line_and_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    import claimkit.render.renderer

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(claimkit.render.renderer.Renderer, "render", boom)
    run = cli(["draft", "apology", "--example", "--no-input"])
    assert run.code == 70
    assert_one_line_error(run.stderr, "internal error", "simulated bug", "CLAIMKIT_DEBUG")


def test_a_folder_as_data_file(tmp_path: Path) -> None:
    run = cli(["draft", "apology", "--example", "--no-input", "--data", str(tmp_path)])
    assert run.code == 2
    assert "Traceback" not in run.stderr
    assert str(tmp_path) in run.stderr


def test_a_huge_data_file_is_refused_clearly(tmp_path: Path) -> None:
    data = tmp_path / "huge.yaml"
    with open(data, "wb") as f:
        f.write(b"customer_name: x\nnotes: |\n")
        line = b"  " + "長い行".encode() * 200 + b"\n"
        for _ in range(50 * 1024 * 1024 // len(line)):
            f.write(line)
    run = cli(["draft", "apology", "--example", "--no-input", "--data", str(data)])
    assert run.code == 2
    assert_one_line_error(run.stderr, "huge.yaml", "MiB")
