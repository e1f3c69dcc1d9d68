"""Hostile or broken input, replayed: each holds with a one-line error (exit 2), bounded
time and memory, nothing leaked, nothing cut short while reported as done."""

from __future__ import annotations

import email
import json
import os
import resource
import stat
import subprocess
import sys
import time
from email import policy
from pathlib import Path

import pytest

from claimkit.cli.console import visible
from tests.conftest import cli

TEAM_PLAYBOOK = """\
id: x
title: X
summary: X
languages: [en]
steps:
  - id: s
    title: S
    do: D
    channel: email
    template: x/s.j2
    {to}
variables:
  - name: customer_email
    prompt: mail
    example: a@example.com
  {extra}
"""


def team(folder: Path, template: str, to: str = "", extra: str = "") -> Path:
    (folder / "playbooks").mkdir(parents=True)
    (folder / "templates" / "en" / "x").mkdir(parents=True)
    (folder / "playbooks" / "x.yaml").write_text(TEAM_PLAYBOOK.format(to=to, extra=extra))
    (folder / "templates" / "en" / "x" / "s.j2").write_text(template)
    return folder


def one_line_error(run: object, code: int = 2) -> None:
    assert run.code == code, run
    err = run.stderr
    assert "Traceback" not in err and "internal error" not in err, err
    assert err.startswith("claimkit: error: "), err


# --- 1: a team folder reads nothing outside the content folders ----------------------------------


def test_a_symlinked_language_folder_reads_no_file_of_the_user(tmp_path: Path) -> None:
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "id_rsa").write_text("SECRET-KEY-MATERIAL")
    leak = team(tmp_path / "leak", "")
    (leak / "templates" / "en" / "x" / "s.j2").unlink()
    (leak / "templates" / "en" / "x").rmdir()
    (leak / "templates" / "en").rmdir()
    (leak / "templates" / "en").symlink_to(Path("..") / "..")
    (leak / "templates" / "evil").mkdir()
    (leak / "templates" / "evil" / "s.j2").write_text(
        '{% include "secret/id_rsa" ignore missing %}x'
    )
    playbook = leak / "playbooks" / "x.yaml"
    playbook.write_text(playbook.read_text().replace("x/s.j2", "leak/evil/s.j2"))
    run = cli(["draft", "x", "--playbooks", str(leak), "--lang", "en", "--example", "--no-input"])
    assert "SECRET-KEY" not in run.stdout + run.stderr
    one_line_error(run)
    checked = cli(["validate", str(leak)])
    assert checked.code == 1 and "SECRET-KEY" not in checked.stdout + checked.stderr


def test_a_playbook_symlinked_to_a_file_elsewhere_leaks_nothing_of_it(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("API_KEY=supersecret\nDB_PASSWORD=x\n")
    folder = tmp_path / "team" / "playbooks"
    folder.mkdir(parents=True)
    (folder / "leak.yaml").symlink_to(tmp_path / ".env")
    for args in (["draft", "leak", "--example", "--no-input"], ["list"]):
        run = cli([*args, "--playbooks", str(tmp_path / "team")])
        one_line_error(run)
        assert "outside the folder" in run.stderr
        assert "API_KEY" not in run.stderr and "supersecret" not in run.stderr


# --- 3: a full disk is an error that says how much went out --------------------------------------


def test_a_full_stdout_is_an_error_for_one_draft_and_for_a_batch() -> None:
    with open("/dev/full", "wb") as full:
        for args, stdin in (
            (["draft", "apology", "--lang", "en", "--example", "--no-input"], b""),
            (["draft", "apology", "--lang", "en", "--example", "--batch", "-"], b"{}\n" * 50),
        ):
            proc = subprocess.run(
                [sys.executable, "-m", "claimkit", *args],
                input=stdin,
                stdout=full,
                stderr=subprocess.PIPE,
                timeout=60,
            )
            err = proc.stderr.decode()
            assert proc.returncode == 2, err
            assert "stdout: cannot write: No space left on device" in err
            assert "Traceback" not in err and "drafted 50 of 50" not in err


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_a_batch_on_a_full_disk_counts_only_whole_lines(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)])
    if mounted.returncode != 0:
        pytest.skip("no tmpfs here")
    try:
        cases = "".join(json.dumps({"customer_name": f"Case {i}"}) + "\n" for i in range(200))
        out = small / "x.jsonl"
        with open(out, "wb") as sink:
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "claimkit",
                    "draft",
                    "apology",
                    "--lang",
                    "en",
                    "--example",
                    "--batch",
                    "-",
                ],
                input=cases.encode(),
                stdout=sink,
                stderr=subprocess.PIPE,
                timeout=60,
            )
        err = proc.stderr.decode()
        lines = out.read_bytes().decode().splitlines(keepends=True)
        assert proc.returncode == 2 and "No space left on device" in err
        assert lines and all(line.endswith("\n") for line in lines)  # the cut line taken back
        assert f"{len(lines)} lines went out, each whole" in err
        assert [json.loads(line)["row"] for line in lines] == list(range(1, len(lines) + 1))
    finally:
        subprocess.run(["umount", str(small)])


# --- 4 and 10: one address is one address --------------------------------------------------------


def test_a_plain_text_to_variable_never_adds_a_recipient(tmp_path: Path) -> None:
    folder = team(
        tmp_path / "t",
        "Hello.\n",
        to="to: team_contact",
        extra="- name: team_contact\n    prompt: who\n    example: a@example.com",
    )
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"team_contact": "a@x.example, evil@y.example"}) + "\n")
    for charset in ("utf-8", "iso-2022-jp"):
        out = tmp_path / f"out-{charset}"
        run = cli(
            [
                "draft",
                "x",
                "-P",
                str(folder),
                "--lang",
                "en",
                "--example",
                "--batch",
                str(rows),
                "--out-dir",
                str(out),
                "--format",
                "eml",
                "--charset",
                charset,
            ]
        )
        assert run.code == 1, run.stderr
        assert "row 1: team_contact: 'a@x.example, evil@y.example' is not an email" in run.stderr
        assert not any(out.iterdir()) if out.exists() else True
    checked = cli(["validate", str(folder)])
    assert checked.code == 1
    assert "variable 'team_contact' is the To of step 's', so its type must be email" in (
        checked.stdout
    )


@pytest.mark.parametrize(
    "address", ["a..b@c.example", ".a@c.example", "a.@c.example", ".@a.aa", "x" * 5000 + "@a.com"]
)
def test_an_address_a_mail_library_refuses_is_refused_first(address: str, tmp_path: Path) -> None:
    args = ["draft", "apology", "--lang", "en", "--example", "--no-input", "--format", "eml"]
    one_line_error(cli([*args, "--set", f"customer_email={address}"]))
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"customer_email": address}) + "\n" + json.dumps({"customer_name": "B"}) + "\n"
    )
    batch = ["draft", "apology", "--lang", "en", "--example", "--batch", str(rows)]
    run = cli([*batch, "--out-dir", str(tmp_path / "o"), "--format", "eml"])
    assert run.code == 1 and "row 1: " in run.stderr  # that row fails, the next is drafted
    assert len(list((tmp_path / "o").iterdir())) == 1
    init = cli(["init", "--no-input", "--set", f"agent_email={address}"])
    one_line_error(init)


# --- 5 and 10: paths and folders that cannot be used ---------------------------------------------


@pytest.mark.parametrize("flag", ["--data", "--out", "--batch", "--out-dir"])
def test_an_over_long_path_is_a_one_line_error(flag: str) -> None:
    args = ["draft", "apology", "--lang", "en", "--example", "--no-input", flag, "a" * 300]
    if flag == "--out-dir":
        args += ["--batch", "-"]
    one_line_error(cli(args, input="{}\n"))


def test_unusable_config_and_team_folders_are_one_line_errors(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for name, value in (
        ("CLAIMKIT_PLAYBOOKS", str(a_file / "x")),
        ("CLAIMKIT_PLAYBOOKS", "a" * 300),
    ):
        run = cli(["list"], env={name: value})
        one_line_error(run)
    run = cli(
        ["init", "--no-input", "--set", "agent_name=X"], env={"CLAIMKIT_CONFIG_DIR": str(a_file)}
    )
    one_line_error(run)
    assert "cannot" in run.stderr


# --- 6: time linear in the input -----------------------------------------------------------------


def test_a_value_of_100_000_spaces_drafts_at_once() -> None:
    start = time.monotonic()
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "en",
            "--example",
            "--no-input",
            "--no-check",
            "--set",
            "customer_point=a" + " " * 100000 + "b",
        ]
    )
    assert run.code == 0
    assert time.monotonic() - start < 5  # a regular expression here once took a minute


# --- 8: two rows never write one file ------------------------------------------------------------


def test_rows_whose_names_collide_each_keep_their_file(tmp_path: Path) -> None:
    rows = "".join(
        json.dumps({"customer_name": n}) + "\n"
        for n in ("Yamada/Taro", "Yamada_Taro", "Yamada Taro")
    )
    out = tmp_path / "col"
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "en",
            "--example",
            "--batch",
            "-",
            "--out-dir",
            str(out),
            "--name",
            "{customer_name}.txt",
            "--force",
            "-j",
            "1",
        ],
        input=rows,
    )
    assert run.code == 0, run.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["Yamada_Taro-000002.txt", "Yamada_Taro-000003.txt", "Yamada_Taro.txt"]
    heads = {(out / f).read_text().splitlines()[0] for f in files}  # the address block's name
    assert heads == {"Ms. Yamada/Taro", "Ms. Yamada_Taro", "Ms. Yamada Taro"}


def test_a_name_of_100_kanji_is_shortened_to_what_a_file_system_takes(tmp_path: Path) -> None:
    out = tmp_path / "o"
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--example",
            "--batch",
            "-",
            "--out-dir",
            str(out),
            "--name",
            "{customer_name}.txt",
        ],
        input=json.dumps({"customer_name": "山" * 100}) + "\n",
    )
    assert run.code == 0, run.stderr
    (name,) = [p.name for p in out.iterdir()]
    assert name.endswith(".txt") and len(name.encode()) <= 200


# --- 9: input without a newline ------------------------------------------------------------------


def test_input_with_no_newline_is_refused_in_bounded_memory() -> None:
    def cap() -> None:  # the run's memory: 1.5 GB, where it once took 3.7 GB in 8 s
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    proc = subprocess.run(
        [sys.executable, "-m", "claimkit", "draft", "apology", "--example", "--batch", "/dev/zero"],
        capture_output=True,
        preexec_fn=cap,
        timeout=60,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "line 1 is longer than 10 MiB" in err and "Traceback" not in err


# --- 10: templates Python cannot compile, subjects with every kind of line break -----------------


@pytest.mark.parametrize("depth", [99, 250])
def test_deeply_nested_ifs_draft_or_say_why(depth: int, tmp_path: Path) -> None:
    folder = team(tmp_path / "t", "{% if true %}" * depth + "deep" + "{% endif %}" * depth)
    run = cli(["draft", "x", "-P", str(folder), "--lang", "en", "--example", "--no-input"])
    assert run.code in (0, 2)
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    if run.code == 0:
        assert run.stdout == "deep\n"


@pytest.mark.parametrize("brk", ["\u2028", "\x85", "\x0b", "\x0c", "\x1c"])
def test_a_subject_block_over_any_kind_of_line_break_is_one_line(brk: str, tmp_path: Path) -> None:
    folder = team(tmp_path / "t", "{% set subject %}one" + brk + "two{% endset %}x\n")
    args = ["draft", "x", "-P", str(folder), "--lang", "en", "--example", "--no-input"]
    run = cli([*args, "--format", "eml"])
    assert run.code == 0, run.stderr
    msg = email.message_from_bytes(run.stdout_bytes, policy=policy.default)
    assert msg["Subject"] == "one two"


# --- 11: nothing from a file drives the terminal -------------------------------------------------


def test_escapes_in_a_row_or_a_data_file_reach_stderr_spelt_out(tmp_path: Path) -> None:
    evil = "\x1b]0;PWNED\x07\x1b[2J"
    row = json.dumps({"scenario": "apolog" + evil}) + "\n"
    run = cli(["draft", "apology", "--lang", "en", "--example", "--batch", "-"], input=row)
    assert run.code == 1 and "\x1b" not in run.stderr and "\\x1b]0;PWNED" in run.stderr
    data = tmp_path / "case.json"
    data.write_text(json.dumps({"key" + evil: "x"}))
    run = cli(["draft", "apology", "--lang", "en", "--example", "--no-input", "--data", str(data)])
    assert run.code == 0 and "\x1b" not in run.stderr and "\\x1b" in run.stderr
    reply = tmp_path / "reply.txt"
    reply.write_text("Dear Sam,\n\nXXX\x1b[2J please\n")
    run = cli(["check", "--lang", "en", str(reply)])
    assert "\x1b" not in run.stdout


def test_visible_spells_out_every_control_character() -> None:
    assert visible("a\x1b[2Jb\x07c\x9bd") == "a\\x1b[2Jb\\x07c\\x9bd"
    assert visible("line\nnext\ttab", keep="\n\t") == "line\nnext\ttab"
    assert visible("日本語 text") == "日本語 text"


# --- 12: a template cannot take the memory or the time -------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "{{ 'a' * 10**10 }}",
        "{{ [1]*10**9 }}",
        "{{ '%0999999999d' % 1 }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ 'a'|center(999999999) }}",
        "{{ 2**1000000 }}",
    ],
)
def test_a_template_that_would_fill_the_memory_is_a_content_error(
    template: str, tmp_path: Path
) -> None:
    folder = team(tmp_path / "t", template)
    start = time.monotonic()
    run = cli(["draft", "x", "-P", str(folder), "--lang", "en", "--example", "--no-input"])
    one_line_error(run)
    assert "x/s.j2:1: the template makes" in run.stderr
    assert time.monotonic() - start < 5


def test_a_template_that_would_run_for_ever_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimkit.render import sandbox

    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.5)  # the bound, not its size, is tested
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x"
    folder = team(tmp_path / "t", loops)
    start = time.monotonic()
    run = cli(["draft", "x", "-P", str(folder), "--lang", "en", "--example", "--no-input"])
    one_line_error(run)
    assert "more than 0.5 seconds" in run.stderr and time.monotonic() - start < 10


# --- 13, 15, 16: what is written -----------------------------------------------------------------


def test_no_line_of_a_mail_is_over_998_bytes() -> None:
    for charset, lang, value in (
        ("utf-8", "en", "word " * 400),
        ("iso-2022-jp", "ja", "あ" * 600),
        ("utf-8", "ja", "あ" * 600),
    ):
        run = cli(
            [
                "draft",
                "apology",
                "--lang",
                lang,
                "--example",
                "--no-input",
                "--format",
                "eml",
                "--charset",
                charset,
                "--no-check",
                "--no-wrap",  # the line as long as the value made it
                "--set",
                f"customer_point={value}",
            ]
        )
        assert run.code == 0, run.stderr
        assert max(map(len, run.stdout_bytes.split(b"\n"))) <= 998
        msg = email.message_from_bytes(run.stdout_bytes, policy=policy.default)
        assert value.strip() in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    out.write_text("old")
    out.chmod(0o600)
    args = ["draft", "apology", "--lang", "en", "--example", "--no-input", "--out", str(out)]
    assert cli([*args, "--force"]).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and "Dear Ms. Morgan," in out.read_text()


def test_out_streams_into_a_device_without_replacing_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    args = ["draft", "apology", "--lang", "en", "--example", "--no-input", "--out", str(fifo)]
    assert cli([*args, "--force"]).code == 0
    got, _ = reader.communicate(timeout=30)
    assert "Dear Ms. Morgan," in got.decode() and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    run = cli(["draft", "apology", "--example", "--no-input", "--out", "/dev/null", "--force"])
    assert run.code == 0 and stat.S_ISCHR(os.lstat("/dev/null").st_mode)
