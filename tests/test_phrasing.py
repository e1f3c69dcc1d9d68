"""A value reads in its sentence: prompts show it there, and a repeat of the words around it is
a warning ("we now we no longer…")."""

from __future__ import annotations

from pathlib import Path

from claimkit.values.phrasing import echo, in_context
from tests.conftest import cli
from tests.test_terminal import Terminal


def test_a_value_that_repeats_the_words_around_its_slot_is_a_warning() -> None:
    args = ["draft", "thank-you-after-fix", "--lang", "en", "--example", "--no-input"]
    run = cli([*args, "--set", "change_made=we no longer ship a kettle unchecked"])
    assert run.code == 0
    assert "warning: change_made: “we” is written twice in “" in run.stderr
    assert "we now we no longer" in run.stderr
    ja = ["draft", "apology", "--lang", "ja", "--example", "--no-input"]
    run = cli([*ja, "--set", "customer_point=電源が入らなかったとのこと"])
    assert "warning: customer_point: “とのこと” is written twice" in run.stderr
    clean = cli([*ja, "--set", "customer_point=電源が入らなかった"])
    assert "warning" not in clean.stderr


def test_echo_and_context_in_both_languages() -> None:
    assert echo(", we now ", "we no longer ship", ".", "en") == "we"
    assert echo("You told us that ", "the kettle broke", ".", "en") is None
    assert echo("", "壊れていたとのこと", "とのこと、", "ja") == "とのこと"
    assert echo("このたびは、", "このたびはご迷惑を", "の件で", "ja") == "このたびは"
    assert in_context("Thanks. As of ", "December 7", ", we now change. More") == (
        "As of December 7, we now change."
    )
    # a long sentence is cut between words, or in Japanese anywhere
    assert in_context("Thank you for contacting ", "Sample Trading", ".") == (
        "…you for contacting Sample Trading."
    )
    assert in_context("", "the kettle", " that you ordered last week from our shop on") == (
        "the kettle that you ordered last…"
    )
    assert in_context(
        "このたびは弊社のオンラインショップでご注文いただいた", "電気ケトル", "の件"
    ) == ("…たびは弊社のオンラインショップでご注文いただいた電気ケトルの件")


def test_a_prompt_shows_its_example_in_the_sentence_it_lands_in(config_dir: Path) -> None:
    (config_dir / "profile.yaml").write_text(
        "company_name: 株式会社テスト\nagent_name: 佐藤 花子\nlang: ja\n", encoding="utf-8"
    )
    term = Terminal(["draft", "apology"])
    term.expect("お客様のお名前")
    term.send("山田 太郎")
    term.expect("お客様の会社名")
    term.send("")
    term.expect("メールアドレス")
    term.send("")
    term.expect("注文番号")
    term.send("ご注文A-1")
    screen = term.expect("お客様のご指摘")
    assert "朝の支度に使えなかったとのこと、" in screen  # the example, then the words after it
    term.proc.kill()
    term.finish()
