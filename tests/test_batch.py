"""claimkit draft --batch: many cases, streamed; bad rows reported, good rows drafted."""

from __future__ import annotations

import csv
import email
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from email import policy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from claimkit.errors import ClaimkitError
from tests.conftest import cli, default_sigint, sh

CASE = {
    "customer_name": "山田 太郎",
    "customer_email": "yamada@example.com",
    "order_ref": "ご注文A-1",
    "customer_point": "箱が潰れて届いた",
    "callback_at": "2030-11-25 15:00",  # a Monday afternoon: a promise that can be kept
    "company_name": "株式会社テスト",
    "agent_name": "佐藤 花子",
}


def jsonl(*cases: dict[str, object]) -> str:
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


def test_jsonl_in_jsonl_out_with_row_numbers_and_findings() -> None:
    cases = [dict(CASE, customer_name=f"顧客{i}") for i in range(1, 4)]
    run = cli(["draft", "apology", "--lang", "ja", "--batch", "-"], input=jsonl(*cases))
    assert run.code == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [d["row"] for d in lines] == [1, 2, 3]
    assert lines[1]["body"].startswith("顧客2 様\n")
    assert lines[0]["subject"] == "【お詫び】ご注文A-1について"
    assert lines[0]["scenario"] == "apology" and lines[0]["step"] == "first-reply"
    assert lines[0]["variables"]["callback_at"] == "2030-11-25 15:00"
    assert lines[0]["findings"] == []
    assert "drafted 3 of 3 cases" in run.stderr


def test_a_json_line_carries_the_draft_as_format_json_does(tmp_path: Path) -> None:
    # Lines are written by orjson, --format json by the standard encoder: the same data.
    data = tmp_path / "case.json"
    data.write_text(json.dumps(CASE, ensure_ascii=False), encoding="utf-8")
    args = ["draft", "apology", "--lang", "ja", "--example", "--no-input"]
    one = json.loads(cli([*args, "--data", str(data), "--format", "json"]).stdout)
    run = cli([*args[:-1], "--batch", "-"], input=jsonl(CASE))
    assert run.code == 0, run.stderr
    line = json.loads(run.stdout)
    assert line.pop("row") == 1 and line.pop("findings") == []
    assert line == one
    assert line["variables"]["callback_at"] == "2030-11-25 15:00"


def test_json_line_writes_any_integer() -> None:
    from claimkit.batch.job import encode_line

    assert json.loads(encode_line({"n": 10**30, "m": -(2**63)})) == {"n": 10**30, "m": -(2**63)}
    assert encode_line({"a": "山田"}) == '{"a":"山田"}\n'.encode()


def test_bad_rows_are_reported_and_the_rest_still_draft() -> None:
    rows = jsonl(CASE, {"customer_name": "only a name"}, dict(CASE, scenario="apolgy"))
    rows = rows + "{not json\n" + jsonl(dict(CASE, callback_at="someday"), CASE)
    run = cli(["draft", "apology", "--lang", "ja", "--batch", "-"], input=rows)
    assert run.code == 1
    assert [json.loads(x)["row"] for x in run.stdout.splitlines()] == [1, 6]
    errors = [x for x in run.stderr.splitlines() if x.startswith("claimkit: error: row")]
    assert errors[0].startswith("claimkit: error: row 2: missing variables")
    assert "row 3: unknown scenario 'apolgy'" in errors[1] and "did you mean 'apology'" in errors[1]
    assert errors[2].startswith("claimkit: error: row 4: malformed JSON")
    assert "row 5: callback_at: not a date and time" in errors[3]
    assert "claimkit: error: 4 of 6 cases failed" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ('{"a": }', "malformed JSON at column 7: Expecting value"),
        (
            '{"a": "x",',
            "malformed JSON: the line ends too early"
            " (Expecting property name enclosed in double quotes)",
        ),
        ('{"a": \r', "malformed JSON: the line ends too early (Expecting value)"),
        ("", None),  # a blank line is no row
    ],
)
def test_a_malformed_json_line_says_where_on_that_line(line: str, error: str | None) -> None:
    run = cli(["draft", "apology", "--lang", "ja", "--batch", "-"], input=line + "\n" + jsonl(CASE))
    errors = [x for x in run.stderr.splitlines() if x.startswith("claimkit: error: row 1")]
    if error is None:
        assert run.code == 0 and not errors
    else:
        assert run.code == 1
        assert errors == [f"claimkit: error: row 1: {error}"]


def test_fail_fast_stops_at_the_first_bad_row() -> None:
    run = cli(
        ["draft", "apology", "--lang", "ja", "--batch", "-", "--fail-fast"],
        input=jsonl(CASE, {"customer_name": "x"}, CASE),
    )
    assert run.code == 1
    assert len(run.stdout.splitlines()) == 1
    assert "1 of 2 cases failed (stopped at the first)" in run.stderr


def test_each_case_may_name_its_scenario_step_and_lang() -> None:
    cases = [
        dict(
            CASE,
            step="report",
            manager_name="鈴木課長",
            received_at="2026-11-25 10:20",
            severity="medium",
            urgency="medium",
            impact="朝の支度に使えない",
        ),
        dict(
            CASE,
            scenario="apology",
            lang="en",
            customer_name="Sam Doe",
            order_ref="order A-1",
            customer_point="it broke",
            company_name="Acme",
            agent_name="Kim",
        ),
    ]
    run = cli(["draft", "apology", "--lang", "ja", "--batch", "-"], input=jsonl(*cases))
    assert run.code == 0, run.stderr
    first, second = (json.loads(x) for x in run.stdout.splitlines())
    assert first["step"] == "report" and first["body"].startswith("鈴木課長")
    assert second["lang"] == "en" and second["body"].startswith("Dear Sam Doe,")
    assert "scenario" not in second["variables"] and "lang" not in second["variables"]


def test_scenario_may_come_from_the_rows_only() -> None:
    run = cli(
        ["draft", "--batch", "-", "--lang", "ja"], input=jsonl(dict(CASE, scenario="apology"))
    )
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["scenario"] == "apology"
    none = cli(["draft", "--batch", "-", "--lang", "ja"], input=jsonl(CASE))
    assert none.code == 1 and "no scenario" in none.stderr


def test_csv_with_a_header_row(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(CASE))
    writer.writeheader()
    writer.writerow(CASE)
    # a quoted cell may hold a comma and a line break (a multi-line value)
    writer.writerow(dict(CASE, customer_name="髙橋, 一郎", customer_point="壊れていた"))
    path.write_text(buf.getvalue(), encoding="utf-8-sig")  # Excel's BOM
    run = cli(["draft", "apology", "--lang", "ja", "--batch", str(path)])
    assert run.code == 0, run.stderr
    bodies = [json.loads(x)["body"] for x in run.stdout.splitlines()]
    assert bodies[1].startswith("髙橋, 一郎 様")
    forced = cli(
        ["draft", "apology", "--lang", "ja", "--batch", str(path), "--input-format", "csv"]
    )
    assert forced.stdout == run.stdout


def test_a_newline_in_a_header_value_fails_only_that_row() -> None:
    run = cli(
        ["draft", "apology", "--lang", "ja", "--batch", "-"],
        input=jsonl(dict(CASE, customer_name="山田\nBcc: evil@example.com"), CASE),
    )
    assert run.code == 1
    assert "row 1: customer_name: contains a line break" in run.stderr
    assert [json.loads(x)["row"] for x in run.stdout.splitlines()] == [2]


def test_invalid_utf8_in_the_batch_is_a_clear_error() -> None:
    run = cli(["draft", "apology", "--batch", "-"], input=jsonl(CASE).encode() + b'{"x": "\xff"}\n')
    assert run.code == 2
    assert "line 2 is not UTF-8" in run.stderr and "Traceback" not in run.stderr


def test_out_dir_one_file_per_case(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cases = [dict(CASE, customer_name=f"顧客{i}") for i in range(1, 3)]
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--batch",
            "-",
            "--out-dir",
            str(out),
            "--format",
            "eml",
        ],
        input=jsonl(*cases),
    )
    assert run.code == 0, run.stderr
    assert run.stdout == ""
    names = sorted(p.name for p in out.iterdir())
    assert names == ["000001-apology-first-reply.eml", "000002-apology-first-reply.eml"]
    msg = email.message_from_bytes((out / names[1]).read_bytes(), policy=policy.default)
    assert msg["To"].addresses[0].display_name == "顧客2"
    again = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--batch",
            "-",
            "--out-dir",
            str(out),
            "--format",
            "eml",
        ],
        input=jsonl(*cases),
    )
    assert again.code == 1 and "already exists; use --force" in again.stderr
    forced = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--batch",
            "-",
            "--out-dir",
            str(out),
            "--format",
            "eml",
            "--force",
        ],
        input=jsonl(*cases),
    )
    assert forced.code == 0


@pytest.mark.parametrize(
    "name", ["../{customer_name}.txt", "/tmp/{row}.txt", "..", ".hidden-{row}"]
)
def test_name_template_cannot_leave_the_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    run = cli(
        ["draft", "apology", "--lang", "ja", "--batch", "-", "--out-dir", str(out), "--name", name],
        input=jsonl(CASE),
    )
    assert run.code == 2
    assert "--name" in run.stderr
    assert not any(p.is_file() for p in tmp_path.rglob("*") if p.parent != out)


def test_name_values_are_made_safe(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--batch",
            "-",
            "--out-dir",
            str(out),
            "--name",
            "{customer_name}-{row}.{ext}",
        ],
        input=jsonl(dict(CASE, customer_name="../../etc/passwd 山田")),
    )
    assert run.code == 0, run.stderr
    (only,) = out.iterdir()
    assert only.name == "etc_passwd_山田-000001.txt"
    assert only.read_text(encoding="utf-8").startswith("../../etc/passwd 山田 様")


def test_out_dir_refuses_to_follow_a_symlink(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep")
    (out / "000001-apology-first-reply.txt").symlink_to(precious)
    run = cli(
        ["draft", "apology", "--lang", "ja", "--batch", "-", "--out-dir", str(out)],
        input=jsonl(CASE),
    )
    assert run.code == 1 and "already exists" in run.stderr
    assert precious.read_text() == "keep"


def test_batch_flags_go_together() -> None:
    assert cli(["draft", "apology", "--out-dir", "x", "--example"]).code == 2
    assert cli(["draft", "apology", "--format", "jsonl", "--example"]).code == 2
    text = cli(["draft", "apology", "--batch", "-", "--format", "text"], input=jsonl(CASE))
    assert text.code == 2 and "--out-dir" in text.stderr


@pytest.mark.own_cache
def test_playbooks_load_and_templates_are_made_once_per_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import claimkit.content.catalog
    from claimkit.render.renderer import Renderer
    from tests.conftest import cli

    loads: list[str] = []
    made: list[tuple[str, str]] = []
    real_load = claimkit.content.catalog.load_yaml_file
    real_made = Renderer._made

    def counting_load(path: Path, build: object) -> object:
        loads.append(path.name)
        return real_load(path, build)  # type: ignore[arg-type]

    def counting_made(self: Renderer, name: str, lang: str, text: str) -> object:
        made.append((name, lang))
        return real_made(self, name, lang, text)

    monkeypatch.setattr(claimkit.content.catalog, "load_yaml_file", counting_load)
    monkeypatch.setattr(Renderer, "_made", counting_made)
    args = ["draft", "apology", "--lang", "ja", "--batch", "-", "--no-check", "-j", "1"]
    run = cli(args, input=jsonl(*[CASE] * 50))
    assert run.code == 0
    assert len(run.stdout.splitlines()) == 50
    assert loads.count("apology.yaml") == 1 and loads.count("_common.yaml") == 1
    assert made == [("apology/first-reply.j2", "ja")]
    # the next batch finds the template's program in the cache: nothing is made again
    assert cli(args, input=jsonl(*[CASE] * 5)).code == 0
    assert made == [("apology/first-reply.j2", "ja")]


def claimkit_process(args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
    """claimkit as a real process that Ctrl-C (SIGINT) reaches, as from a terminal."""
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "claimkit", *args], preexec_fn=default_sigint, **kwargs
    )


def wait_for(found: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not found():
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(0.01)


def test_an_interrupted_batch_leaves_only_complete_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["draft", "apology", "--lang", "ja", "--batch", "-", "--out-dir", str(out)]
    proc = claimkit_process(
        [*args, "--format", "eml", "-j", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stderr is not None
    # The first chunk (16 cases) is drafted and written; the next waits for more input.
    proc.stdin.write(jsonl(CASE).encode() * 100)
    proc.stdin.flush()
    wait_for(lambda: out.exists() and len(list(out.iterdir())) >= 16, "16 files")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    err = proc.stderr.read().decode()
    assert "Traceback" not in err
    files = list(out.iterdir())
    assert f"interrupted after {len(files)} cases; the files in" in err
    assert all(not f.name.startswith(".") for f in files), "no temporary file left"
    for f in files:
        msg = email.message_from_bytes(f.read_bytes(), policy=policy.default)
        body = msg.get_body(("plain",))
        assert body is not None and "ご不便をおかけしており" in body.get_content()
    proc.stdin.close()


def test_ctrl_c_while_lines_go_to_a_slow_reader_stops_at_a_line_end(tmp_path: Path) -> None:
    source = tmp_path / "cases.jsonl"
    source.write_text(many(3000), encoding="utf-8")
    args = ["draft", "apology", "--lang", "ja", "--batch", str(source), "-j", "1"]
    # unbuffered: what the test read and what communicate() reads join up exactly
    proc = claimkit_process(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    assert proc.stdout is not None
    first = proc.stdout.read(1000)  # the writer has begun, and soon fills the pipe
    proc.send_signal(signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    out = (first + rest).decode()
    assert proc.returncode == 130, err
    assert out.endswith("\n")  # whole lines only
    lines = out.splitlines()
    assert all(json.loads(line)["row"] == i for i, line in enumerate(lines, 1))
    assert f"interrupted after {len(lines)} cases; the lines on stdout are complete" in err.decode()


def test_a_batch_interrupted_while_writing_counts_only_the_files_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimkit import files

    write = files.write_atomic
    calls = 0

    def interrupted_on_the_third(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt  # Ctrl-C while the third file is being written
        write(*args, **kwargs)

    monkeypatch.setattr(files, "write_atomic", interrupted_on_the_third)
    out = tmp_path / "out"
    args = ["draft", "apology", "--lang", "ja", "--batch", "-", "--out-dir", str(out), "-j", "1"]
    run = cli(args, input=jsonl(*[CASE] * 5))
    assert run.code == 130
    assert "interrupted after 2 cases" in run.stderr
    assert sorted(f.name for f in out.iterdir()) == [
        "000001-apology-first-reply.txt",
        "000002-apology-first-reply.txt",
    ]


def test_progress_only_on_a_terminal() -> None:
    import os
    import pty
    import select
    import subprocess
    import sys

    piped = sh(["draft", "apology", "--lang", "ja", "--batch", "-"], input=jsonl(*[CASE] * 300))
    assert piped.stderr.strip() == "claimkit: drafted 300 of 300 cases"
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimkit", "draft", "apology", "--lang", "ja", "--batch", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=slave,
        env={**os.environ, "TERM": "xterm"},
    )
    assert proc.stdin is not None
    proc.stdin.write(jsonl(*[CASE] * 300).encode())
    proc.stdin.close()
    proc.wait(timeout=60)
    screen = b""
    while select.select([master], [], [], 0.3)[0]:
        chunk = os.read(master, 65536)
        if not chunk:
            break
        screen += chunk
    os.close(slave)
    os.close(master)
    assert b"cases" in screen and b"drafted 300 of 300 cases" in screen


# --- worker processes ---------------------------------------------------------------------------


def many(n: int, bad: dict[int, dict[str, object]] | None = None) -> str:
    """n cases; row r replaced by bad[r] (1-based) where given."""
    rows = [dict(CASE, customer_name=f"顧客{i:04d}") for i in range(1, n + 1)]
    for row, case in (bad or {}).items():
        rows[row - 1] = case
    return jsonl(*rows)


def test_worker_processes_give_what_one_process_gives() -> None:
    cases = many(700, {300: {"customer_name": "名前だけ"}, 650: dict(CASE, callback_at="someday")})
    args = ["draft", "apology", "--lang", "ja", "--batch", "-"]
    one = sh([*args, "--jobs", "1"], input=cases)
    two = sh([*args, "--jobs", "2"], input=cases)
    assert one.code == two.code == 1
    assert one.stdout == two.stdout
    assert len(two.stdout.splitlines()) == 698
    assert json.loads(two.stdout.splitlines()[-1])["body"].startswith("顧客0700 様")
    for run in (one, two):
        assert "row 300: missing variables" in run.stderr
        assert "row 650: callback_at" in run.stderr
        assert "2 of 700 cases failed" in run.stderr
    assert "Traceback" not in two.stderr


def test_fail_fast_with_workers_stops_at_the_first_bad_row() -> None:
    cases = many(900, {600: {"customer_name": "名前だけ"}, 800: {"customer_name": "x"}})
    run = sh(["draft", "apology", "--lang", "ja", "--batch", "-", "-j", "2", "--fail-fast"], cases)
    assert run.code == 1
    assert len(run.stdout.splitlines()) == 599
    assert "row 600:" in run.stderr and "row 800" not in run.stderr
    assert "1 of 600 cases failed (stopped at the first)" in run.stderr


def test_a_broken_template_met_in_a_worker_stops_the_batch_after_the_rows_before_it(
    team: Path,
) -> None:
    from tests.conftest import write_playbook

    write_playbook(team, "broken", templates={"ja": "{{ customer_name.__class__ }}\n"})
    cases = many(700, {500: dict(CASE, scenario="broken")})
    args = ["draft", "apology", "--lang", "ja", "--batch", "-", "--playbooks", str(team)]
    one = sh([*args, "-j", "1"], input=cases)
    two = sh([*args, "-j", "2"], input=cases)
    assert one.code == two.code == 2
    assert one.stdout == two.stdout
    assert len(two.stdout.splitlines()) == 499
    assert "refused" in two.stderr and "Traceback" not in two.stderr


def test_out_dir_with_workers_writes_every_file_once(tmp_path: Path) -> None:
    cases = many(600)
    base = ["draft", "apology", "--lang", "ja", "--batch", "-", "--format", "text"]
    one = sh([*base, "--out-dir", str(tmp_path / "one"), "-j", "1"], input=cases)
    two = sh([*base, "--out-dir", str(tmp_path / "two"), "-j", "2"], input=cases)
    assert one.code == two.code == 0, two.stderr
    names = sorted(p.name for p in (tmp_path / "two").iterdir())
    assert len(names) == 600 and names[0] == "000001-apology-first-reply.txt"
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    again = sh([*base, "--out-dir", str(tmp_path / "two"), "-j", "2"], input=cases)
    assert again.code == 1 and "600 of 600 cases failed" in again.stderr


def test_jobs_go_with_batch_only() -> None:
    run = cli(["draft", "apology", "--example", "--no-input", "--jobs", "2"])
    assert run.code == 2
    assert "--jobs: for --batch FILE only" in run.stderr


def test_ctrl_c_stops_a_batch_and_its_workers_cleanly(tmp_path: Path) -> None:
    source = tmp_path / "cases.jsonl"
    source.write_text(many(30000), encoding="utf-8")
    args = ["draft", "apology", "--lang", "ja", "--batch", str(source), "-j", "2"]
    proc = claimkit_process(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell's job would be
    )
    assert proc.stdout is not None
    proc.stdout.read(100_000)  # past the first chunk: the workers are drafting
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C at a terminal does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted after" in err.decode() and "are complete" in err.decode()
    assert "Traceback" not in err.decode()
    with pytest.raises(ProcessLookupError):  # no worker left behind: all reaped
        os.killpg(proc.pid, 0)


def test_out_is_refused_with_batch(tmp_path: Path) -> None:
    run = cli(
        ["draft", "apology", "--batch", "-", "--out", str(tmp_path / "x.jsonl")], input=jsonl(CASE)
    )
    assert run.code == 2
    assert "--out writes one draft" in run.stderr and "--out-dir" in run.stderr
    assert run.stdout == "" and not (tmp_path / "x.jsonl").exists()


def test_a_character_cut_short_at_the_end_of_the_input_is_reported() -> None:
    # The last line has no newline and stops inside a three-byte character.
    run = cli(["draft", "apology", "--batch", "-"], input=jsonl(CASE).encode() + b'{"x": "\xe3\x81')
    assert run.code == 2
    assert "line 2 is not UTF-8" in run.stderr


WHITESPACE_OR_NOT = st.text(
    alphabet=st.sampled_from(list(" \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u3000\u2028x{é")),
    max_size=8,
)


@settings(deadline=None)
@given(WHITESPACE_OR_NOT, st.binary(max_size=4))
def test_a_line_is_a_row_when_str_strip_leaves_something(text: str, junk: bytes) -> None:
    from claimkit.batch.source import _is_row

    for raw in (text.encode(), text.encode() + junk, junk + text.encode()):
        assert _is_row(raw) == bool(raw.decode("utf-8", "replace").strip()), raw


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


@settings(deadline=None)
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5) | JSON_VALUES, st.text())
def test_a_line_reads_as_the_standard_json_reads_it(data: object, text: str) -> None:
    from claimkit.batch.source import BadRow, Case, Pending, parse

    for line in (json.dumps(data), json.dumps(data, ensure_ascii=False), text):
        raw = line.encode("utf-8", "surrogatepass")
        try:
            expected: object = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            expected = None
        try:
            got = parse(Pending(7, 9, raw))
        except ClaimkitError as e:  # not UTF-8: the batch's end
            assert "line 9 is not UTF-8" in str(e)
            continue
        if isinstance(expected, dict) and "\x00" not in line:
            assert isinstance(got, Case) and got.row == 7
            assert json.dumps(got.values) == json.dumps(expected)  # NaN == NaN, 1 != 1.0
        else:
            assert isinstance(got, BadRow) and got.row == 7 and got.error


@settings(deadline=None)
@given(
    st.lists(
        WHITESPACE_OR_NOT.map(lambda t: t.encode())
        | st.binary(max_size=3)
        | st.sampled_from([b"{", b'{"a": "b"}']),  # JSON objects, all of a chunk at times
        min_size=1,
    )
)
def test_rows_are_counted_as_each_line_would_be(parts: list[bytes]) -> None:
    from claimkit.batch.source import _is_row, _rows

    # as a file's lines come: each ends with a newline, but perhaps the last
    pieces = b"\n".join(parts).split(b"\n")
    lines = [piece + b"\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    assume(lines)  # the reader never has a chunk of no lines
    assert _rows(lines) == sum(map(_is_row, lines)), lines


@pytest.mark.parametrize("bad", [b'{"x": "\xff"}\n', b"{" + b" " * (10 * 1024 * 1024) + b"}\n"])
def test_input_that_turns_unreadable_stops_the_batch_after_the_rows_before_it(bad: bytes) -> None:
    # Line 602 is not UTF-8, or longer than 10 MiB: a blank line counts as a line, not a row.
    lines = many(600).encode().splitlines(keepends=True)
    cases = b"\n".join([b"".join(lines[:300]), b"".join(lines[300:])]) + bad
    args = ["draft", "apology", "--lang", "ja", "--batch", "-"]
    one = sh([*args, "-j", "1"], input=cases)
    two = sh([*args, "-j", "2"], input=cases)
    assert one.code == two.code == 2
    assert one.stdout == two.stdout
    assert [json.loads(x)["row"] for x in two.stdout.splitlines()] == list(range(1, 601))
    assert "line 602" in two.stderr and "Traceback" not in two.stderr
