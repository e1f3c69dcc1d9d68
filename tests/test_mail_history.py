"""The customer's own words: quoted history and signatures left out, their text kept."""

from __future__ import annotations

import pytest

from claimkit.mail.history import own_words
from claimkit.mail.read import read_complaint
from tests.mailbytes import JST, mail

WORDS = "電源が入りません。\n至急ご連絡ください。"


@pytest.mark.parametrize(
    "history",
    [
        # Gmail (Japanese)
        "2026年12月1日(火) 10:00 サポート <support@sample-shoji.example.jp>:\n\n"
        "> ご注文ありがとうございます。\n> 発送は明日です。\n",
        # Gmail (English), its attribution cut over two lines
        "On Tue, Dec 1, 2026 at 10:00 AM Sample Shoji Support <\n"
        "support@sample-shoji.example.jp> wrote:\n\n> Thank you for your order.\n",
        # Thunderbird
        "On 2026/12/01 10:00, Sample Support wrote:\n> ご注文ありがとうございます。\n",
        "2026/12/01 10:00 に サポート さんは書きました:\n> ご注文ありがとうございます。\n",
        # Outlook, English and Japanese
        "-----Original Message-----\nFrom: Support\nSent: Tuesday, December 1, 2026 10:00\n"
        "To: yamada@example.jp\nSubject: Order\n\nThank you for your order.\n",
        "-----元のメッセージ-----\n差出人: サポート\n送信日時: 2026年12月1日 10:00\n"
        "件名: ご注文\n\nご注文ありがとうございます。\n",
        # Outlook's newer reply header, with the rule above it
        "________________________________\n差出人: サポート <support@example.jp>\n"
        "送信日時: 2026年12月1日 10:00\n宛先: yamada@example.jp\n件名: ご注文\n\n本文\n",
        "From: Sample Support <support@example.jp>\nDate: Tuesday, December 1, 2026\n"
        "Subject: Order\n\nThank you.\n",
        # forwards
        "---------- Forwarded message ---------\nFrom: Support\n\nThank you.\n",
        "-------- 転送メッセージ --------\n件名: ご注文\n\nご注文ありがとうございます。\n",
    ],
)
def test_quoted_history_below_the_words_is_left_out(history: str) -> None:
    assert own_words(f"{WORDS}\n\n{history}") == WORDS


@pytest.mark.parametrize(
    "signature",
    [
        "-- \n山田 太郎\n株式会社ミナト物産\n",
        "--\n山田 太郎\n",
        "━━━━━━━━━━━━━━━━\n株式会社ミナト物産 総務部\n山田 太郎\nTEL: 03-1234-5678\n"
        "Mail: yamada@minato.example.co.jp\n━━━━━━━━━━━━━━━━\n",
        "＝＝＝＝＝＝＝＝＝＝\n山田 太郎\n〒100-0001 東京都千代田区\n＝＝＝＝＝＝＝＝＝＝\n",
        "-------------------------\nTaro Yamada\nPhone: +81 3 1234 5678\n",
        "iPhoneから送信\n",
        "Sent from my iPhone\n",
    ],
)
def test_a_signature_below_the_words_is_left_out(signature: str) -> None:
    assert own_words(f"{WORDS}\n\n{signature}") == WORDS


def test_answers_written_between_quoted_lines_are_kept() -> None:
    text = (
        "2026年12月1日(火) 10:00 サポート <support@example.jp>:\n"
        "> ご注文番号を教えてください。\n"
        "A-1024です。\n"
        "> 症状を教えてください。\n"
        "電源が入りません。\n"
    )
    assert own_words(text) == "A-1024です。\n電源が入りません。"


def test_the_customers_own_sentences_are_not_taken_for_history() -> None:
    text = (
        "2026年12月1日に注文した商品について:\n"
        "電源が入りません。\n"
        "--------------\n"
        "上の線は区切りです。電話は夜だけつながります。\n"
        "On second thought, please call me.\n"
    )
    assert own_words(text) == text.strip()


def test_a_rule_far_above_the_end_is_no_signature() -> None:
    lines = ["━━━━━━━━━━", "TEL: 03-1234-5678", *[f"{i}行目の本文です。" for i in range(20)]]
    text = "\n".join(lines)
    assert own_words(text) == text


def test_a_forward_without_a_word_of_their_own_is_kept_whole() -> None:
    text = "-----Original Message-----\nFrom: a\nSent: b\n\n壊れていました。"
    assert own_words(text) == text


def test_a_mail_with_history_and_signature_gives_only_the_customers_words() -> None:
    body = (
        "サンプル商事\nお客様相談室 御中\n\n"
        "昨日お電話した山田です。\n"
        "まだ電源が入りません。今日中にご連絡ください。\n\n"
        "━━━━━━━━━━━━━━━━\n株式会社ミナト物産\n山田 太郎\nTEL: 03-1234-5678\n"
        "━━━━━━━━━━━━━━━━\n\n"
        "2026年12月1日(火) 10:00 サポート <support@sample-shoji.example.jp>:\n"
        "> 山田様\n>\n> お問い合わせありがとうございます。\n"
    )
    c = read_complaint(
        mail("From: yamada@example.jp\nContent-Type: text/plain; charset=utf-8", body.encode()),
        "m.eml",
        tz=JST,
    )
    assert c.text == (
        "サンプル商事\nお客様相談室 御中\n\n"
        "昨日お電話した山田です。\nまだ電源が入りません。今日中にご連絡ください。"
    )
    assert c.body == body
