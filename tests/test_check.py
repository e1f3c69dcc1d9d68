"""claimkit check: the rules, the engine's handling of Japanese text, the command."""

from __future__ import annotations

import json
import marshal
import re
from pathlib import Path

import pytest

from claimkit.check.engine import Context, check, triggers
from claimkit.check.loading import builtin_pack_path, load_rules, read_pack
from claimkit.check.text import Prepared, detect_lang, paragraphs, sentences
from tests.conftest import cli, sh

RULES = [(lang, rule) for lang in ("ja", "en") for rule in read_pack(builtin_pack_path(lang)).rules]


@pytest.mark.parametrize(("lang", "rule"), RULES, ids=[f"{lang}:{r.id}" for lang, r in RULES])
def test_each_rule_catches_its_bad_examples_and_spares_its_good_ones(
    lang: str, rule: object
) -> None:
    from claimkit.check.rules import Rule

    assert isinstance(rule, Rule)
    for text in rule.bad:
        assert triggers(rule, text, lang), text
    for text in rule.good:
        assert not triggers(rule, text, lang), text


def test_the_issue_s_rules_exist_in_both_languages() -> None:
    ids = {lang: {r.id for r in read_pack(builtin_pack_path(lang)).rules} for lang in ("ja", "en")}
    both = {
        "apology.missing",
        "excuse.contrast",
        "blame.customer",
        "fault.admission",
        "promise.remedy",
        "promise.absolute",
        "threat.pressure",
        "next-step.missing",
        "placeholder",
        "length.sentence",
        "length.message.review",
        "paragraph.long",
        "explanation.technical",
        "jargon",
        "tone.exclamation",
        "tone.repeated-apology",
        "tone.bare-ack",
        "comma.too-many",
    }
    assert both <= ids["ja"] and both <= ids["en"]
    assert {"keigo.double-honorific", "keigo.sasete-itadaku"} <= ids["ja"]


JA = load_rules("ja")
EN = load_rules("en")


def rules_found(text: str, lang: str = "ja", **context: str) -> list[str]:
    return [f.rule for f in check(text, JA if lang == "ja" else EN, Context(**context))]


def test_japanese_words_match_inside_a_sentence() -> None:
    # what \bお控えください\b would never match
    assert "threat.pressure" in rules_found("書き込みはお控えくださいますよう。", scenario="threat")


def test_width_folding_matches_and_positions_stay_in_the_original() -> None:
    text = "山田　様\n\nＳＬＡの件、承知しました！"
    found = check(text, JA)
    by_rule = {f.rule: f for f in found}
    assert by_rule["jargon"].excerpt == "ＳＬＡ"
    assert (by_rule["jargon"].line, by_rule["jargon"].column) == (3, 1)
    assert (by_rule["jargon"].end_line, by_rule["jargon"].end_column) == (3, 4)
    assert by_rule["tone.exclamation"].excerpt == "！"
    assert (by_rule["tone.exclamation"].line, by_rule["tone.exclamation"].column) == (3, 13)


def test_sentences_split_on_punctuation_and_blank_lines_not_on_newlines() -> None:
    text = "このたびは、\nご不便をおかけしており、\n申し訳ございません。\n\n明日お電話します"
    p = Prepared(text, "ja")
    spans = [s for para in paragraphs(p.agent) for s in sentences(p.agent, "ja", para)]
    assert [p.agent[s.start : s.end] for s in spans] == [
        "このたびは、\nご不便をおかけしており、\n申し訳ございません。",
        "明日お電話します",
    ]


def test_quoted_customer_lines_are_never_flagged_but_give_context() -> None:
    quoted = "> 消費生活センターに相談します！操作ミスではありません\n\n"
    reply = quoted + "ご判断はお任せいたします。書き込みはお控えください。"
    found = rules_found(reply)
    assert "tone.exclamation" not in found and "blame.customer" not in found
    assert "threat.pressure" in found  # the quoted threat turns the threat rules on
    assert "threat.pressure" not in rules_found(
        "書き込みはお控えください。"
    )  # no threat, no context


def test_scope_by_scenario_and_step() -> None:
    no_apology = "山田様\n\n明日15時にお電話いたします。"
    assert "apology.missing" in rules_found(no_apology, scenario="apology", step="first-reply")
    assert "apology.missing" not in rules_found(no_apology, scenario="escalation", step="report")
    assert "apology.missing" not in rules_found(no_apology)


def test_internal_reports_need_no_customer_rules() -> None:
    report = "鈴木課長\n\nお客様から苦情を受けました。しかしながら、原因は不明です！"
    internal = rules_found(report, scenario="escalation", step="report", audience="internal")
    assert "excuse.contrast" not in internal and "tone.exclamation" not in internal


def test_detect_lang() -> None:
    assert detect_lang("Dear Alex,\nThanks.") == "en"
    assert detect_lang("Dear 山田様") == "ja"
    assert detect_lang("カタカナだけ") == "ja"


# --- the command -----------------------------------------------------------------------------

LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info): "
    r"(?P<msg>.+) \[(?P<rule>[a-z0-9.-]+)\]$"
)


@pytest.fixture
def bad_reply(tmp_path: Path) -> Path:
    path = tmp_path / "bad.txt"
    path.write_text(
        "山田 太郎 様\n\nしかしながら、お客様の操作ミスと思われます！\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def good_reply(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(
        "山田 太郎 様\n\nご不便をおかけしており、誠に申し訳ございません。\n"
        "11月25日（水）15時までに、お電話を差し上げます。\n",
        encoding="utf-8",
    )
    return path


def test_text_output_is_file_line_col_severity_message_rule(bad_reply: Path) -> None:
    run = cli(["check", str(bad_reply)])
    assert run.code == 1
    lines = run.stdout.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    got = {(m["rule"], m["line"], m["col"], m["sev"]) for m in parsed if m}
    assert ("excuse.contrast", "3", "1", "warning") in got
    assert ("blame.customer", "3", "8", "error") in got
    assert ("tone.exclamation", "3", "22", "warning") in got
    assert all(m["file"] == str(bad_reply) for m in parsed if m)
    assert "「お客様の操作ミス」" in run.stdout  # the offending words are shown
    assert "3 findings (1 error, 2 warnings) in 1 file" in run.stderr
    assert "\x1b" not in run.stdout


def test_clean_reply_exits_0(good_reply: Path) -> None:
    # a promised date is read against --today (by default, the day it runs)
    run = cli(["check", "--scenario", "apology", "--today", "2026-11-23", str(good_reply)])
    assert run.code == 0, run.stdout
    assert run.stdout == ""
    assert "no findings" in run.stderr


def test_fail_on(bad_reply: Path, tmp_path: Path) -> None:
    assert sh(["check", "--fail-on", "error", str(bad_reply)]).code == 1
    info_only = tmp_path / "info.txt"
    info_only.write_text("確認させていただき、ご連絡させていただきます。\n", encoding="utf-8")
    assert sh(["check", str(info_only)]).code == 0
    assert sh(["check", "--fail-on", "info", str(info_only)]).code == 1
    assert sh(["check", "--fail-on", "fatal", str(info_only)]).code == 2


def test_json_for_one_file_and_for_several(bad_reply: Path, good_reply: Path) -> None:
    one = json.loads(cli(["check", "--format", "json", str(bad_reply)]).stdout)
    assert one["lang"] == "ja" and one["scenario"] is None
    finding = one["findings"][0]
    assert set(finding) == {
        "rule",
        "severity",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "excerpt",
        "suggestion",
    }
    several = json.loads(cli(["check", "--format", "json", str(bad_reply), str(good_reply)]).stdout)
    assert isinstance(several, list) and [r["file"] for r in several] == [
        str(bad_reply),
        str(good_reply),
    ]


def test_stdin_and_lang_detection() -> None:
    run = cli(["check", "-"], input="Dear Alex,\n\nUnfortunately this is user error!\n")
    assert run.code == 1
    rules = {LINE.match(x)["rule"] for x in run.stdout.splitlines()}  # type: ignore[index]
    assert {"excuse.contrast", "blame.customer", "tone.exclamation"} <= rules
    assert run.stdout.startswith("<stdin>:3:")


def test_substitution_suggests_the_right_form(tmp_path: Path) -> None:
    path = tmp_path / "keigo.txt"
    path.write_text("お客様がおっしゃられた件、明日お伺いさせていただきます。\n", encoding="utf-8")
    data = json.loads(cli(["check", "--format", "json", str(path)]).stdout)
    keigo = [f for f in data["findings"] if f["rule"] == "keigo.double-honorific"]
    assert [(f["excerpt"], f["suggestion"]) for f in keigo] == [
        ("おっしゃられた", "おっしゃった"),
        ("お伺いさせていただきます", "伺います"),
    ]


def test_disable(bad_reply: Path) -> None:
    run = cli(
        ["check", "--disable", "blame.customer", "--disable", "excuse.contrast", str(bad_reply)]
    )
    assert "blame.customer" not in run.stdout and "excuse.contrast" not in run.stdout
    assert "tone.exclamation" in run.stdout
    unknown = cli(["check", "--disable", "blame.custmer", str(bad_reply)])
    assert unknown.code == 2
    assert (
        "unknown rule 'blame.custmer'" in unknown.stderr
        and "did you mean 'blame.customer'" in unknown.stderr
    )


@pytest.mark.parametrize(("content", "needle"), [(b"\xff\xfe", "not UTF-8"), (b"a\x00b", "binary")])
def test_unreadable_input_exits_2(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    run = cli(["check", str(path)])
    assert run.code == 2 and needle in run.stderr and "Traceback" not in run.stderr
    missing = cli(["check", str(tmp_path / "missing.txt")])
    assert missing.code == 2 and "no such file" in missing.stderr


TEAM_PACK = """\
lang: ja
disable: [tone.exclamation]
rules:
  - id: jargon
    severity: error
    kind: existence
    message: 社内用語です（「{match}」）。
    tokens: [案件番号]
    examples:
      bad: [案件番号をお知らせください。]
      good: [ご注文番号をお知らせください。]
"""


def test_a_team_pack_overrides_and_disables_by_id(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "team.yaml").write_text(TEAM_PACK, encoding="utf-8")
    reply = tmp_path / "r.txt"
    reply.write_text("案件番号を教えてください！エスカレーションします。\n", encoding="utf-8")
    run = cli(["check", "--rules", str(rules), str(reply)])
    assert "社内用語です（「案件番号」）" in run.stdout
    assert "エスカレーション" not in run.stdout  # the built-in jargon list was replaced
    assert "tone.exclamation" not in run.stdout
    # a team content folder's rules/ applies to check and to draft alike
    team = tmp_path / "team"
    (team / "rules").mkdir(parents=True)
    (team / "rules" / "team.yaml").write_text(TEAM_PACK, encoding="utf-8")
    via_team = cli(["check", "--playbooks", str(team), str(reply)])
    assert "社内用語です" in via_team.stdout


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (
            ("bad: [案件番号をお知らせください。]", "bad: [ご注文番号をお知らせください。]"),
            "examples.bad #1 does not trigger it",
        ),
        (
            ("good: [ご注文番号をお知らせください。]", "good: [案件番号です。]"),
            "examples.good #1 triggers it",
        ),
        (("kind: existence", "kind: banned"), "'kind' must be one of"),
        (("tokens: [案件番号]", "patterns: ['案件(番号']"), "bad regular expression"),
        (
            ("tokens: [案件番号]", "tokens: [案件番号]\n    scope: {quoted: ['訴(']}"),
            "'scope.quoted': bad regular expression",
        ),
    ],
)
def test_a_broken_pack_exits_2_naming_the_rule(
    tmp_path: Path, change: tuple[str, str], needle: str
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "team.yaml").write_text(TEAM_PACK.replace(*change), encoding="utf-8")
    run = cli(["check", "--rules", str(rules), "-"], input="こんにちは。\n")
    assert run.code == 2
    assert needle in run.stderr and "jargon" in run.stderr
    assert f"{rules / 'team.yaml'}:" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1


def test_draft_prints_findings_on_stderr_only() -> None:
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--example",
            "--no-input",
            "--set",
            "customer_point=しかしながら、お客様の操作ミスと思われます",
        ]
    )
    assert run.code == 0
    # the position is where the words are in the draft as printed (wrapped at 70 columns)
    at = next(n for n, line in enumerate(run.stdout.splitlines(), 1) if "しかしながら" in line)
    assert f"draft:{at}:1: warning:" in run.stderr and "[excuse.contrast]" in run.stderr
    assert "[blame.customer]" in run.stderr
    assert "[excuse" not in run.stdout
    quiet = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--example",
            "--no-input",
            "--no-check",
            "--set",
            "customer_point=しかしながら",
        ]
    )
    assert quiet.stderr == ""


@pytest.mark.own_cache
def test_a_pack_is_parsed_once_then_read_from_the_cache(
    monkeypatch: pytest.MonkeyPatch, fresh_cache: Path
) -> None:
    from claimkit.check import loading

    parsed: list[str] = []
    real = loading.parse_pack

    def counting(data: object, where: str) -> object:
        parsed.append(where)
        return real(data, where)

    monkeypatch.setattr(loading, "parse_pack", counting)
    first = loading.load_rules("ja")
    again = loading.load_rules("ja")
    assert len(parsed) == 1
    assert again.rules == first.rules
    # an entry left by a claimkit whose rules had other fields is parsed afresh
    for entry in (fresh_cache / "rules").rglob("*"):
        if entry.is_file():  # an entry holds its own key (its file name), then its value
            entry.write_bytes(marshal.dumps((entry.name, ("ja", (("too", "short"),), (), "x"))))
    assert loading.load_rules("ja").ids() == first.ids()
    assert len(parsed) == 2


@pytest.mark.parametrize(
    ("patterns", "starts"),
    [
        (["返金(?:いた)?します", "無償(?:で|にて)?交換"], ("無償", "返金")),
        (["(?<=様)より", "^ご連絡"], ("ご連絡", "より")),
        (["[○◯]{2,}", "xx+"], ("xx", "○", "◯")),
        (["(お詫び|申し訳)", "お詫び申し上げ"], ("お詫び", "申し訳")),
        (["(?:で|に)?交換"], ("交換",)),  # may start with で or に, but always holds 交換
        (["\\d+日"], ("日",)),
        (["[A-Za-z.]{1,64}@[a-z]{1,20}"], ("@",)),
        (["[0-9]{1,2}月[0-9]{1,2}日"], ("月",)),  # fewer than the ten digits it starts with
        (["(?i)sorry"], None),
        (["a*b", "c?"], None),  # c? may match nothing
        (["(?<=\\w)xyz", "(?<![0-9])@"], ("@", "xyz")),  # what a look-around sees is no part
        (["(?:the|a) case"], (" case",)),  # "the" and "a" are in every paragraph: no filter
        (["\\d{2}"], None),
    ],
)
def test_the_strings_a_match_must_hold(patterns: list[str], starts: tuple[str, ...] | None) -> None:
    from claimkit.check.rules import match_starts

    assert match_starts(patterns) == starts


def test_no_text_a_rule_matches_is_skipped_by_its_start_filter() -> None:
    from claimkit.check.engine import _may_match
    from claimkit.check.rules import expressions, pattern_matcher

    for lang in ("ja", "en"):
        for rule in load_rules(lang).rules:
            for source in expressions(rule):
                pattern = pattern_matcher([source])
                assert pattern is not None
                for text in (*rule.bad, *rule.good):
                    body = text.lower() if rule.ignorecase else text
                    if pattern.search(body):
                        assert _may_match(rule, body), (rule.id, text)


def test_a_batch_s_memos_stay_bounded_and_find_what_a_fresh_check_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from claimkit.check import engine
    from claimkit.check import text as txt
    from claimkit.check.rules import rule_set

    monkeypatch.setattr(engine, "MEMO_LIMIT", 8)
    monkeypatch.setattr(txt, "_CHUNK_MEMO_LIMIT", 8)
    monkeypatch.setattr(txt, "_folded_chunks", {})
    monkeypatch.setattr(txt, "_folded_texts", txt._BY_CHARACTER)  # past the first texts
    rules = load_rules("ja")
    context = Context("apology", "first-reply", "customer")
    for i in range(40):
        reply = (
            f"株式会社ミナト物産\n顧客{i:05d} 様\n\n"
            f"しかしながら、ご注文{i % 3}の件（至急）はお客様の操作ミスです！\n\n"
            "明日15時までにお電話いたします。\n"
        )
        fresh = check(reply, rule_set("ja", rules.rules), context)
        assert check(reply, rules, context) == fresh
        assert {"excuse.contrast", "blame.customer", "apology.missing"} <= {f.rule for f in fresh}
        assert len(rules.memo) <= 8 and len(txt._folded_chunks) <= 8
