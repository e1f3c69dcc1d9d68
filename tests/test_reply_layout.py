"""Mail bodies laid out as mail is (--width, --no-wrap), and the check on what was written."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimkit.mail.wrap import NO_START, display_width, wrap, wrapped_position
from tests.conftest import cli
from tests.mailbytes import mail, word

FORBIDDEN_START = "、。，．）」』】ー" + "ぁぃぅぇぉっゃゅょァィゥェォッャュョ"


def draft(*args: str) -> dict[str, object]:
    run = cli(["draft", *args, "--example", "--no-input", "--format", "json", "--no-check"])
    assert run.code == 0, run.stderr
    data: dict[str, object] = json.loads(run.stdout)
    return data


def width_of(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize(("lang", "limit"), [("ja", 70), ("en", 72)])
def test_a_mail_is_wrapped_at_its_language_s_width(lang: str, limit: int) -> None:
    point = "とても困っています。" * 9 if lang == "ja" else "it did not work at all, " * 9
    data = draft("apology", "--lang", lang, "--set", f"customer_point={point}")
    body, written = str(data["body"]), str(data["body_unwrapped"])
    assert body != written and max(map(width_of, body.splitlines())) <= limit
    assert not any(line and line[0] in FORBIDDEN_START for line in body.splitlines())
    if lang == "ja":  # every character is kept: the lines join back into what was written
        assert body.replace("\n", "") == written.replace("\n", "")
    else:
        assert body.split() == written.split()


def test_width_and_no_wrap() -> None:
    narrow = str(draft("apology", "--lang", "en", "--width", "40")["body"])
    assert max(map(len, narrow.splitlines())) <= 40
    left = draft("apology", "--lang", "en", "--no-wrap")
    assert "body_unwrapped" not in left and max(map(len, str(left["body"]).split("\n"))) > 72
    both = cli(["draft", "apology", "--example", "--no-input", "--no-wrap", "--width", "60"])
    assert both.code == 2 and "give one" in both.stderr
    too_narrow = cli(["draft", "apology", "--example", "--no-input", "--width", "10"])
    assert too_narrow.code == 2 and too_narrow.stdout == ""


def test_only_mail_is_wrapped() -> None:
    # a call script is read on a screen; a review reply is pasted into a web form
    for scenario, step in (("threat", "call-script"), ("review-reply", "public-reply")):
        data = draft(scenario, "--step", step, "--lang", "en")
        assert "body_unwrapped" not in data  # only where wrapping changed the body


def test_text_eml_and_batch_files_are_wrapped_alike(tmp_path: Path) -> None:
    args = ["apology", "--lang", "en", "--example", "--no-input", "--no-check"]
    text = cli(["draft", *args]).stdout
    assert max(map(len, text.splitlines())) <= 72
    eml = cli(["draft", *args, "--format", "eml"]).stdout
    assert text in eml.replace("\r\n", "\n")  # 7bit: the body as it is
    cases = tmp_path / "cases.jsonl"
    cases.write_text("{}\n{}\n", encoding="utf-8")
    run = cli(["draft", *args, "--batch", str(cases), "--out-dir", str(tmp_path / "out")])
    assert run.code == 0, run.stderr
    assert (tmp_path / "out" / "000001-apology-first-reply.txt").read_text() == text
    lines = cli(["draft", *args, "--batch", str(cases), "--width", "50"]).stdout.splitlines()
    record = json.loads(lines[0])
    assert max(map(len, record["body"].splitlines())) <= 50
    assert record["body_unwrapped"] == str(draft("apology", "--lang", "en")["body_unwrapped"])


LETTERS = {"ja": "電源が入らずお困りのことと存じます、。「」（）ーっA-1 >", "en": "kettle broken >"}


@given(
    st.sampled_from(["ja", "en"]),
    st.data(),
    st.integers(min_value=20, max_value=60),
)
def test_every_character_is_found_where_wrapping_put_it(
    lang: str, data: st.DataObject, width: int
) -> None:
    letters = st.text(alphabet=st.sampled_from(LETTERS[lang]), max_size=120)
    text = "\n".join(data.draw(st.lists(letters, max_size=4)))
    wrapped = wrap(text, lang, width).split("\n")
    for n, line in enumerate(text.split("\n"), 1):
        quote = len(line) - len(line.lstrip("> "))
        for column in range(quote + 1, len(line) + 1):
            if line[column - 1] == " " and lang == "en":
                continue  # a space an English line breaks at is dropped (the next test)
            at_line, at_column = wrapped_position(text, lang, width, n, column)
            assert wrapped[at_line - 1][at_column - 1] == line[column - 1]


def test_positions_in_english_skip_the_spaces_a_break_drops() -> None:
    text = "Intro.\n" + "word " * 20 + "end"
    wrapped = wrap(text, "en", 24).split("\n")
    where = text.split("\n")[1].index("end") + 1
    line, column = wrapped_position(text, "en", 24, 2, where)
    assert wrapped[line - 1][column - 1 : column + 2] == "end"
    space = text.split("\n")[1].index(" ", 20) + 1  # a space the wrap dropped
    line, column = wrapped_position(text, "en", 24, 2, space)
    assert column == len(wrapped[line - 1]) + 1


def test_the_check_reads_what_was_written_and_points_at_what_is_printed() -> None:
    point = (
        "しかしながら、"
        + "お届けした電気ケトルの電源が入らず、朝の支度に使えず、" * 2
        + "操作ミスと言われた"
    )
    args = ["draft", "apology", "--lang", "ja", "--example", "--no-input"]
    run = cli([*args, "--set", f"customer_point={point}"])
    assert run.code == 0
    (finding,) = [line for line in run.stderr.splitlines() if "[excuse.contrast]" in line]
    line, column = (int(n) for n in finding.split(":")[1:3])
    printed = run.stdout.splitlines()[line - 1]
    assert printed[column - 1 :].startswith("しかしながら")
    assert max(map(display_width, run.stdout.splitlines())) <= 70


THREAT = (
    "先日の電話で「お客様の操作ミスです」と言われました。\n"
    "きちんと対応していただけないなら、ネットに書き込みます。\n"
)


def threatening(tmp_path: Path) -> Path:
    path = tmp_path / "threat.eml"
    path.write_bytes(
        mail(
            f"""
From: {word("山田 太郎".encode(), "UTF-8")} <yamada@example.jp>
Subject: {word("対応について".encode(), "UTF-8")}
Message-ID: <threat-1@example.jp>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit
""",
            THREAT.encode(),
        )
    )
    return path


def test_quoted_lines_are_never_flagged_but_a_quoted_threat_turns_the_threat_rules_on(
    tmp_path: Path,
) -> None:
    args = ["draft", "apology", "--reply-to", str(threatening(tmp_path)), "--lang", "ja"]
    args += ["--no-input", "--example", "--set", "customer_point=書き込みはご遠慮ください"]
    run = cli(args)
    assert run.code == 0, run.stderr
    printed = run.stdout.splitlines()
    assert "> 先日の電話で「お客様の操作ミスです」と言われました。" in printed
    flagged = [
        int(line.split(":")[1]) for line in run.stderr.splitlines() if line.startswith("draft:")
    ]
    assert flagged and not any(printed[n - 1].startswith(">") for n in flagged)
    assert "[blame.customer]" not in run.stderr  # the customer's words, quoted
    assert "[threat.pressure]" in run.stderr  # the agent's, with a threat quoted
    unquoted = cli([*args, "--no-quote"])
    assert "[threat.pressure]" not in unquoted.stderr and ">" not in unquoted.stdout


def test_no_line_starts_with_a_character_kinsoku_forbids() -> None:
    assert set(FORBIDDEN_START) <= NO_START
