"""claimkit check --fix: the right form put where a finding has exactly one; --today."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from claimkit.check.checker import Checker
from claimkit.check.engine import Context
from claimkit.check.fixing import fix
from tests.conftest import cli

CHECKER = Checker()
TODAY = date(2026, 11, 23)


def fixed(text: str, lang: str = "ja", today: date = TODAY) -> str:
    return fix(text, CHECKER.check(text, lang, Context(today=today)))


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("ご依頼の件、了解しました。", "ご依頼の件、承知いたしました。"),
        ("了解です。", "承知いたしました。"),
        ("お客様がおっしゃられた点を確かめます。", "お客様がおっしゃった点を確かめます。"),
        ("明日、お伺いさせていただきます。", "明日、伺います。"),
        ("お写真を拝見させていただいております。", "お写真を拝見しております。"),
        ("２０２６年１２月９日（月）に伺います。", "２０２６年１２月９日（水）に伺います。"),
        ("12月9日(月)に伺います。", "12月9日(水)に伺います。"),
    ],
)
def test_fix_puts_in_the_right_form(text: str, right: str) -> None:
    assert fixed(text) == right


def test_fix_in_english_keeps_the_form_of_the_weekday() -> None:
    text = "I will call you by 3 p.m. on Monday, December 9, 2026, or on TUE, DEC. 9."
    assert fixed(text, "en") == (
        "I will call you by 3 p.m. on Wednesday, December 9, 2026, or on WED, DEC. 9."
    )


def test_fix_never_touches_a_quoted_line_nor_what_has_no_single_right_form() -> None:
    text = (
        "> 了解しました。おっしゃられた通りです。\n\n"
        "ご依頼の件、了解しました。\n担当者に電話させます。\n取り急ぎ、ご連絡まで。\n"
    )
    assert fixed(text) == (
        "> 了解しました。おっしゃられた通りです。\n\n"
        "ご依頼の件、承知いたしました。\n担当者に電話させます。\n取り急ぎ、ご連絡まで。\n"
    )


def test_fix_keeps_the_text_as_it_was_around_what_it_changes() -> None:
    text = "山田様\r\n\r\nご覧になられた件、了解です。\r\n"
    assert fixed(text) == "山田様\r\n\r\nご覧になった件、承知いたしました。\r\n"
    assert (
        fixed("") == "" and fixed("ご連絡ありがとうございます。") == "ご連絡ありがとうございます。"
    )


REPLY = (
    "山田様\n\nご依頼の件、了解しました。\n"
    "2026年12月9日（月）15時までにお電話いたします。\n取り急ぎ、ご連絡まで。\n"
)


def test_fix_prints_the_fixed_reply_and_reports_what_is_left(tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(REPLY, encoding="utf-8")
    run = cli(["check", "--fix", "--today", "2026-11-23", str(path)])
    assert run.stdout == REPLY.replace("了解しました", "承知いたしました").replace(
        "（月）", "（水）"
    )
    assert run.code == 1  # 取り急ぎ has no single right form: it is left, and reported
    assert f"{path}:5:1: warning:" in run.stderr and "[register.toriisogi]" in run.stderr
    assert "fixed 2, 1 left, in 1 file" in run.stderr
    assert path.read_text(encoding="utf-8") == REPLY  # --fix alone writes nothing
    piped = cli(["check", "--fix", "--today", "2026-11-23", "-"], input="了解です。\n")
    assert piped.stdout == "承知いたしました。\n" and piped.code == 0


def test_in_place_rewrites_each_file_and_reports_what_is_left(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(REPLY, encoding="utf-8")
    second.write_text("ご連絡ありがとうございます。\n", encoding="utf-8")
    before = second.stat().st_mtime_ns
    run = cli(["check", "--in-place", "--today", "2026-11-23", str(first), str(second)])
    assert first.read_text(encoding="utf-8").startswith("山田様\n\nご依頼の件、承知いたしました。")
    assert second.stat().st_mtime_ns == before  # nothing to fix: not rewritten
    assert run.stdout.startswith(f"{first}:5:1: warning:")
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--fix", "a.txt", "b.txt"], "--fix prints one reply"),
        (["--in-place", "-"], "cannot rewrite stdin"),
        (["--fix", "--format", "json", "a.txt"], "no --format"),
        (["--today", "23/11/2026", "a.txt"], "--today: '23/11/2026' is not a date"),
    ],
)
def test_fix_and_today_refuse_what_they_cannot_do(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("了解です。\n", encoding="utf-8")
    run = cli(["check", *[str(tmp_path / a) if a.endswith(".txt") else a for a in args]])
    assert run.code == 2 and needle in run.stderr, run.stderr


def test_today_decides_what_is_past(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("山田様\n\n11月25日（水）15時までにお電話いたします。\n", encoding="utf-8")
    assert "[date.past]" not in cli(["check", "--today", "2026-11-23", str(path)]).stdout
    late = cli(["check", "--today", "2026-12-01", str(path)])
    assert "r.txt:3:1: error:" in late.stdout and "[date.past]" in late.stdout


def test_a_team_allows_a_phrase_of_its_own_business(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ours.yaml").write_text("lang: ja\nallow: [取り急ぎ便]\n", encoding="utf-8")
    reply = tmp_path / "r.txt"
    reply.write_text(
        "交換品は、取り急ぎ便でお送りします。取り急ぎ、ご連絡まで。\n", encoding="utf-8"
    )
    plain = cli(["check", str(reply)]).stdout
    assert plain.count("[register.toriisogi]") == 2
    allowed = cli(["check", "--rules", str(rules), str(reply)]).stdout
    assert allowed.count("[register.toriisogi]") == 1 and ":1:19:" in allowed
    assert (
        "[register.toriisogi]"
        not in cli(["check", "--disable", "register.toriisogi", str(reply)]).stdout
    )
