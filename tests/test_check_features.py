"""What a rule pack can say beyond tokens and patterns: near, rewrite, unless_sentence,
date rules, allow, and where a message-wide count is reported."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from claimkit.check.engine import Context, Finding, check
from claimkit.check.packs import parse_pack
from claimkit.check.rules import RuleSet, rule_set
from claimkit.errors import ContentError


def pack(lang: str, rules: str, allow: str = "") -> RuleSet:
    text = f"lang: {lang}\n{allow}rules:\n{rules}"
    parsed = parse_pack(yaml.safe_load(text), "team.yaml")
    return rule_set(lang, parsed.rules, parsed.allow)


def found(rules: RuleSet, text: str, today: date | None = None) -> list[Finding]:
    return check(text, rules, Context(today=today))


NEAR_JA = """\
  - id: blame.carrier
    kind: existence
    message: 他社のせいにしています（「{match}」）。
    near:
      - words: [[運送会社, 配送業者], [によるもの, に起因]]
        within: 8
        stop: [弊社]
    examples:
      bad: [運送会社側の事情によるものです。]
      good: [運送会社に確認いたします。]
"""


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("遅れは運送会社側の事情によるものです。", "運送会社側の事情によるもの"),
        ("配送業者の都合に起因いたします。", "配送業者の都合に起因"),
        ("運送会社に確認いたします。", None),
        ("運送会社に確認したところ、弊社の手違いによるものでした。", None),  # a stop word between
        ("運送会社に伺いました。事故によるものです。", None),  # another sentence
        ("運送会社からの連絡が遅れたことと天候によるものです。", None),  # too far apart
    ],
)
def test_near_finds_one_word_then_another_close_after_it(text: str, hit: str | None) -> None:
    result = found(pack("ja", NEAR_JA), text)
    assert [f.excerpt for f in result] == ([hit] if hit else [])


NEAR_EN = """\
  - id: blame.courier
    kind: existence
    message: This puts the blame on the courier ("{match}").
    near:
      - words: [[caused by, due to], [courier, carrier]]
        within: 20
    examples:
      bad: [The delay was caused by the courier.]
      good: [I have asked the courier to look into it.]
"""


def test_near_in_english_keeps_word_boundaries_and_crosses_p_m() -> None:
    rules = pack("en", NEAR_EN)
    assert [f.excerpt for f in found(rules, "It was caused by the courier.")] == [
        "caused by the courier"
    ]
    assert not found(rules, "It was caused by the couriers' union.")  # not the word courier
    assert found(rules, "Due to 3 p.m. traffic the Carrier was late.")


REWRITE = """\
  - id: keigo.ossharu
    kind: substitution
    message: 二重敬語です（「{match}」→「{suggestion}」）。
    rewrite:
      - pattern: (?P<verb>おっしゃ|仰)られ(?P<end>ました|ます|た|て|る)
        to: "{verb}{end}"
        map:
          end: {ました: いました, ます: います, た: った, て: って}
    examples:
      bad: [おっしゃられた件]
      good: [おっしゃった件]
"""


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("お客様がおっしゃられた件", "おっしゃった"),
        ("先ほど仰られました内容", "仰いました"),
        ("そうおっしゃられる方", "おっしゃる"),
        ("おっしゃられて", "おっしゃって"),
    ],
)
def test_a_rewrite_suggests_the_right_form_in_the_same_conjugation(text: str, right: str) -> None:
    (finding,) = found(pack("ja", REWRITE), text)
    assert finding.suggestion == right
    assert f"→「{right}」" in finding.message


VAGUE = """\
  - id: timing.vague
    kind: existence
    message: いつなのかが分かりません（「{match}」）。
    tokens: [追って, 改めて]
    unless_sentence: ['[0-9]{1,2}月[0-9]{1,2}日', 明日]
    examples:
      bad: [追ってご連絡いたします。]
      good: [追って、明日15時までにご連絡いたします。]
"""


def test_unless_sentence_spares_a_match_only_in_its_own_sentence() -> None:
    rules = pack("ja", VAGUE)
    text = "改めて11月25日までにご連絡いたします。追ってご報告いたします。"
    assert [(f.excerpt, f.column) for f in found(rules, text)] == [("追って", 22)]


COUNT = """\
  - id: apology.too-many
    kind: limit
    unit: message
    measure: count
    max: 2
    message: お詫びが{count}回あります。
    patterns: ['申し訳(?:ございません|ありません)']
    examples:
      bad: [申し訳ございません。申し訳ございません。申し訳ありません。]
      good: [申し訳ございません。]
"""


def test_a_count_over_a_message_wide_limit_is_reported_where_it_goes_over() -> None:
    text = "申し訳ございません。\n\n確認いたします。申し訳ございません。\n\nまた申し訳ありません。"
    (finding,) = found(pack("ja", COUNT), text)
    assert (finding.line, finding.column, finding.excerpt) == (5, 3, "申し訳ありません")
    assert "3回" in finding.message


DATES = """\
  - id: date.weekday
    kind: date
    check: weekday
    message: 「{match}」の曜日が違います。{date}は{weekday}曜日です。
    examples:
      bad: [2026年12月9日（月）]
      good: [2026年12月9日（水）]
  - id: date.past
    kind: date
    check: past
    message: 「{match}」は{today}より前です。
    patterns: ['{date}(?:(?!ました)[^。]){0,20}?(?:いたします|します)']
    examples:
      today: 2026-11-23
      bad: [11月20日までにお電話いたします。]
      good: [11月20日にご注文いただきました。]
"""


@pytest.mark.parametrize(
    ("text", "today", "right"),
    [
        ("2026年12月9日（月）15時までにお電話", None, "2026年12月9日（水）"),
        ("２０２６年１２月９日（月）に", None, "２０２６年１２月９日（水）"),
        ("12月9日(月曜日)に", date(2026, 12, 4), "12月9日(水曜日)"),
        ("1月5日（火）に", date(2026, 12, 4), "1月5日（火）"),  # next January: a Tuesday, right
        ("2026/12/9（木）", None, "2026/12/9（水）"),
    ],
)
def test_a_wrong_weekday_is_found_and_the_right_one_suggested_in_the_same_form(
    text: str, today: date | None, right: str
) -> None:
    result = [f for f in found(pack("ja", DATES), text, today) if f.rule == "date.weekday"]
    if right in text:
        assert not result
    else:
        (finding,) = result
        assert finding.suggestion == right
        assert finding.column == 1


def test_a_date_without_a_year_needs_a_reference_date() -> None:
    assert not [f for f in found(pack("ja", DATES), "12月9日（月）") if f.rule == "date.weekday"]


def test_a_promised_date_before_today_is_found_only_where_it_is_promised() -> None:
    rules = pack("ja", DATES)
    today = date(2026, 12, 4)
    promised = "11月25日（水）15時までにお電話いたします。"
    assert [f.rule for f in found(rules, promised, today)] == ["date.past"]
    assert not found(rules, promised, date(2026, 11, 23))
    assert not found(rules, promised)  # no reference date: nothing is past
    assert not found(rules, "11月20日にお届けしました。", today)


ALLOW = """\
  - id: tone.exclamation
    kind: existence
    message: 感嘆符です。
    tokens: ["!"]
    examples:
      bad: [ありがとうございます！]
      good: [ありがとうございます。]
"""


def test_an_allowed_phrase_is_read_by_no_rule() -> None:
    rules = pack("ja", ALLOW, allow="allow: [Yahoo!ショッピング]\n")
    text = "Yahoo!ショッピング店をご利用いただき、ありがとうございます！"
    result = found(rules, text)
    assert [(f.excerpt, f.column) for f in result] == [("！", len(text))]


@pytest.mark.parametrize(
    ("rule", "needle"),
    [
        (
            REWRITE.replace('to: "{verb}{end}"', 'to: "{verb}{ending}"'),
            "groups the pattern does not",
        ),
        (
            NEAR_JA.replace("[[運送会社, 配送業者], [によるもの, に起因]]", "[[運送会社]]"),
            "two or more",
        ),
        (DATES.replace("'{date}(?:", "'(?:"), "holds {date} once"),
        (DATES.replace("      today: 2026-11-23\n", ""), "give 'today'"),
        (VAGUE.replace("kind: existence", "kind: required"), "unless_sentence"),
    ],
)
def test_a_malformed_new_key_is_a_content_error(rule: str, needle: str) -> None:
    with pytest.raises(ContentError, match=needle.replace("{", "\\{")):
        pack("ja", rule)


def test_the_packs_in_docs_rules_md_load_and_their_examples_hold() -> None:
    import re
    from pathlib import Path

    from claimkit.check.loading import verify

    doc = (Path(__file__).parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    packs = [b for b in blocks if b.startswith("lang:")]
    packs += ["lang: ja\nrules:\n" + b for b in blocks if b.startswith("  - id: date.past")]
    assert len(packs) == 2
    for text in packs:
        parsed = parse_pack(yaml.safe_load(text), "docs/rules.md")
        for rule in parsed.rules:
            verify(rule, parsed.lang)


def test_a_right_form_with_braces_is_put_in_as_it_is() -> None:
    rules = pack(
        "en",
        """\
  - id: team.braces
    kind: substitution
    message: Write "{suggestion}".
    swap: {"{customer}": "{{ customer }}"}
    examples:
      bad: ["Dear {customer},"]
      good: [Dear Alex,]
""",
    )
    (finding,) = found(rules, "Dear {customer},")
    assert finding.suggestion == "{{ customer }}"
