"""Wrapping a mail body: Japanese by phrase with 禁則, English at spaces, quotes re-prefixed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimkit.errors import InputError
from claimkit.mail import wrap as wrapping
from claimkit.mail.wrap import NO_END, NO_START, can_break, display_width, wrap

PARAGRAPH = (
    "お届けした電気ケトルの電源が入らず、朝の支度に使えなかったとのこと、"
    "ご不便をおかけしており、誠に申し訳ございません。"
    "2026年11月25日（水）15時までに、担当の佐藤 花子よりお電話を差し上げます。"
)
URL = "https://www.example.com/support/faq/kettle/kt-200/power-does-not-turn-on?from=mail"


def lines_of(text: str, lang: str = "ja", width: int | None = None) -> list[str]:
    return wrap(text, lang, width).split("\n")


def shown(line: str, lang: str = "ja") -> int:
    return display_width(line.rstrip(" \u3000"), lang)


def test_a_japanese_paragraph_is_cut_by_phrase_within_35_characters() -> None:
    lines = lines_of(PARAGRAPH)
    assert "".join(lines) == PARAGRAPH
    assert all(shown(line) <= 70 for line in lines)
    # each line ends where a phrase ends, not in the middle of a word or of 15時
    assert lines == [
        "お届けした電気ケトルの電源が入らず、朝の支度に使えなかったとのこと、",
        "ご不便をおかけしており、誠に申し訳ございません。2026年11月25日（水）",
        "15時までに、担当の佐藤 花子よりお電話を差し上げます。",
    ]


def test_lines_the_text_already_breaks_stay_broken_there() -> None:
    text = "株式会社ミナト物産\n山田 太郎 様\n\n" + PARAGRAPH + "\n\n以上"
    lines = lines_of(text)
    assert lines[:4] == ["株式会社ミナト物産", "山田 太郎 様", "", lines[3]]
    assert lines[-2:] == ["", "以上"]


def test_short_text_comes_back_as_it_was() -> None:
    text = "短い行。\n\nShort line.\n"
    assert wrap(text, "ja") == text
    assert wrap(text, "en") == text


@pytest.mark.parametrize("forbidden", ["、", "。", "）", "」", "』", "】", "ー", "っ", "ャ", "ヶ"])
def test_no_line_starts_with_a_closing_or_small_character(forbidden: str) -> None:
    # the forbidden character falls exactly where the 35th character would end the line
    text = "あ" * 35 + forbidden + "いいいいい"
    lines = lines_of(text)
    assert "".join(lines) == text
    assert all(line[0] not in NO_START for line in lines[1:])


@pytest.mark.parametrize("opening", ["（", "「", "『", "【"])
def test_no_line_ends_with_an_opening_bracket(opening: str) -> None:
    text = "あ" * 34 + opening + "いいいいい" + "う" * 40
    lines = lines_of(text)
    assert "".join(lines) == text
    assert all(line[-1] not in NO_END for line in lines[:-1])


@pytest.mark.parametrize(
    "token",
    [
        URL,
        "yamada.taro.customer-support@mail.example.co.jp",
        "A-1024-2026-11-25-0001",
        "0120-123-456",
        "０３－１２３４－５６７８",
    ],
)
def test_urls_addresses_order_and_phone_numbers_are_never_cut(token: str) -> None:
    text = "お問い合わせの内容につきまして、詳しくは" + token + "をご確認のうえご連絡ください。"
    lines = lines_of(text)
    assert "".join(lines) == text
    assert any(token in line for line in lines)


def test_a_token_longer_than_the_line_stands_alone() -> None:
    lines = lines_of(f"詳しくは {URL}{URL} をご覧ください。")
    assert lines == ["詳しくは ", f"{URL}{URL} ", "をご覧ください。"]


def test_a_particle_stays_with_the_number_before_it() -> None:
    text = "あ" * 28 + "A-1024の件でご連絡をいただき、ありがとうございます。"
    lines = lines_of(text)
    assert not any(line.startswith("の") for line in lines)


def test_doubled_dashes_and_leaders_stay_together() -> None:
    for mark in ("――", "……"):
        text = "あ" * 34 + mark + "いいいい" * 5
        assert mark in "".join(line for line in lines_of(text) if mark[0] in line)


def test_a_phrase_longer_than_the_line_is_cut_between_characters() -> None:
    text = "ア" * 50 + "ー" + "イ" * 30
    lines = lines_of(text)
    assert "".join(lines) == text
    assert all(shown(line) <= 70 for line in lines)
    assert all(line[0] != "ー" for line in lines)


def test_quoted_lines_are_wrapped_with_their_prefix_counted_and_repeated() -> None:
    lines = lines_of("> " + PARAGRAPH)
    assert all(line.startswith("> ") for line in lines)
    assert all(shown(line) <= 70 for line in lines)
    assert "".join(line[2:] for line in lines) == PARAGRAPH
    nested = lines_of(">> " + PARAGRAPH)
    assert all(line.startswith(">> ") for line in nested)
    assert lines_of(">" + PARAGRAPH)[1].startswith("> ")


def test_english_is_wrapped_at_72_columns_between_words() -> None:
    text = (
        "Thank you for writing to us about order A-1024 (the KT-200 electric kettle). "
        f"We are sorry it did not switch on. See {URL} for what to try, or reply to this mail."
    )
    lines = lines_of(text, "en")
    assert all(len(line) <= 72 or line == URL for line in lines)
    assert URL in lines
    assert " ".join(lines) == text
    assert lines_of("> " + text, "en")[1].startswith("> ")


def test_the_width_can_be_chosen_and_a_silly_one_is_refused() -> None:
    assert all(shown(line) <= 40 for line in lines_of(PARAGRAPH, width=40))
    assert max(len(line) for line in lines_of("word " * 40, "en", 30)) <= 30
    with pytest.raises(InputError, match="too narrow"):
        wrap(PARAGRAPH, "ja", 8)


def test_display_width_counts_wide_and_full_width_characters_twice() -> None:
    assert display_width("abc") == 3
    assert display_width("日本語") == 6
    assert display_width("ｱｲｳ") == 3  # half-width kana
    assert display_width("①※") == 4  # ambiguous: full-width in a Japanese font
    assert display_width("①※", "en") == 2
    assert display_width("が") == 2 and display_width("か\u3099") == 2  # combining mark


def test_what_a_line_wraps_to_is_remembered_and_the_same() -> None:
    wrapping.forget()
    cold = wrap(PARAGRAPH, "ja")
    assert wrap(PARAGRAPH, "ja") == cold
    assert wrap(PARAGRAPH.replace("佐藤 花子", "髙橋 一"), "ja") == cold.replace(
        "佐藤 花子", "髙橋 一"
    )


def test_budoux_is_imported_only_when_a_japanese_line_is_cut() -> None:
    code = (
        "import sys\n"
        "from claimkit.mail.wrap import wrap\n"
        "wrap('短い行。\\n' + 'Some English words. ' * 10, 'en')\n"
        "wrap('短い行。', 'ja')\n"
        "print('budoux' in sys.modules)\n"
        f"wrap({PARAGRAPH!r}, 'ja')\n"
        "print('budoux' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


# --- properties ----------------------------------------------------------------------------------

JA_ALPHABET = (
    "あいうかがきのはをにでとすますおります日本語電気注文番号確認申訳"
    "アイウカキケトルーぁっゃャッ、。「」（）『』【】！？・　 ―…"
    "abcXYZ0189-./@:"
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=JA_ALPHABET, max_size=200), st.integers(min_value=20, max_value=80))
@example("あ" * 35 + "、" * 40, 70)
@example("「" * 40 + "あ" * 40, 70)
@example("(" + URL + ")。" + "あ" * 40, 70)
def test_japanese_lines_keep_the_width_and_the_rules_and_lose_nothing(
    text: str, width: int
) -> None:
    lines = lines_of(text, "ja", width)
    assert "".join(lines) == text
    for i, line in enumerate(lines):
        if i:
            assert line and line[0] not in NO_START
        if i < len(lines) - 1:
            assert line[-1] not in NO_END
        if shown(line) > width:
            # only a piece with nowhere to cut may be wider than the line
            assert not any(can_break(line[j - 1], line[j]) for j in range(1, len(line)))


def test_the_break_rules_spelled_out() -> None:
    assert not can_break("a", "b")  # inside an ASCII run
    assert not can_break("4", "の") and not can_break("5", "時")  # belongs to the number
    assert not can_break("あ", "、") and not can_break("「", "あ")
    assert not can_break("―", "―") and can_break("あ", "―")
    assert can_break("。", "A") and can_break(" ", "あ") and can_break("あ", "い")


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.text(alphabet="abcdefghij-./:", min_size=1, max_size=30), max_size=40))
def test_english_lines_keep_every_word_in_order_within_the_width(words: list[str]) -> None:
    text = " ".join(words)
    lines = lines_of(text, "en")
    assert " ".join(lines) == text
    assert all(len(line) <= 72 or " " not in line for line in lines)


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=JA_ALPHABET, max_size=200))
def test_a_remembered_line_wraps_as_a_new_one_does(text: str) -> None:
    warm = wrap(text, "ja")
    wrapping.forget()
    assert wrap(text, "ja") == warm


def test_the_quick_token_test_is_the_token_pattern() -> None:
    token = re.compile(f"[{wrapping._TOKEN_CHARS}]")
    for code in [*range(0x80), *range(0x3000, 0x10000)]:
        ch = chr(code)
        assert wrapping._is_token(ch) == bool(token.fullmatch(ch)), hex(code)
