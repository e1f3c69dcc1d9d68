"""Where values come from, lowest first: default, profile, --data, --set, then prompt/example."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimkit.content.playbook import Choice, Playbook, Text, Variable
from claimkit.errors import InputError
from claimkit.values import resolve as variables
from claimkit.values.resolve import Sources, coerce, resolve
from claimkit.values.sources import parse_assignments
from tests.conftest import cli, write_playbook

TODAY = date(2026, 11, 23)


def var(kind: str = "text", name: str = "v", **kw: object) -> Variable:
    return Variable(name=name, type=kind, prompt=Text({"ja": "v", "en": "v"}), **kw)  # type: ignore[arg-type]


def values(run_stdout: str) -> dict[str, object]:
    data = json.loads(run_stdout)
    assert isinstance(data, dict)
    return data["variables"]  # type: ignore[no-any-return]


PRECEDENCE_PLAYBOOK = """\
id: prec
title: {ja: 優先順位, en: Precedence}
summary: {ja: テスト, en: Test}
steps:
  - id: mail
    title: x
    do: y
    channel: email
    template: prec/mail.j2
variables:
  - name: level
    prompt: x
    default: from-default
"""


@pytest.fixture
def prec(team: Path, config_dir: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    write_playbook(
        team,
        "prec",
        PRECEDENCE_PLAYBOOK,
        templates={
            "ja": "{{ customer_name }} {{ level }}\n",
            "en": "{{ customer_name }} {{ level }}\n",
        },
    )
    data = tmp_path / "case.yaml"
    return team, config_dir / "profile.yaml", data


def draft_level(team: Path, *extra: str) -> str:
    run = cli(
        [
            "draft",
            "prec",
            "--no-input",
            "--example",
            "--format",
            "json",
            "--playbooks",
            str(team),
            *extra,
        ]
    )
    assert run.code == 0, run.stderr
    return str(values(run.stdout)["level"])


def test_precedence_of_sources(prec: tuple[Path, Path, Path]) -> None:
    team, profile, data = prec
    assert draft_level(team) == "from-default"
    profile.write_text("level: from-profile\n", encoding="utf-8")
    assert draft_level(team) == "from-profile"
    data.write_text("level: from-data\n", encoding="utf-8")
    assert draft_level(team, "--data", str(data)) == "from-data"
    assert draft_level(team, "--data", str(data), "--set", "level=from-set") == "from-set"
    # the last --set of a name wins
    assert draft_level(team, "--set", "level=a", "--set", "level=b") == "b"


def test_example_fills_only_what_nothing_else_gives(config_dir: Path) -> None:
    (config_dir / "profile.yaml").write_text(
        "agent_name: 佐藤 花子\ncompany_name: 株式会社テスト\n"
    )
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--no-input",
            "--example",
            "--format",
            "json",
            "--set",
            "order_ref=ご注文B-7",
        ]
    )
    got = values(run.stdout)
    assert got["company_name"] == "株式会社テスト"  # profile beats example
    assert got["order_ref"] == "ご注文B-7"  # --set beats example
    assert got["customer_name"] == "山田 太郎"  # the ja example
    en = values(
        cli(
            ["draft", "apology", "--lang", "en", "--no-input", "--example", "--format", "json"]
        ).stdout
    )
    assert en["customer_name"] == "Alex Morgan"  # examples are per language


def test_profile_fills_the_sender_so_only_the_case_is_needed(config_dir: Path) -> None:
    (config_dir / "profile.yaml").write_text(
        "company_name: 株式会社テスト\nagent_name: 佐藤 花子\ndepartment: サポート窓口\n"
        "agent_email: sato@test.example.jp\n",
        encoding="utf-8",
    )
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "ja",
            "--no-input",
            "--set",
            "customer_name=山田 太郎",
            "--set",
            "order_ref=ご注文A-1",
            "--set",
            "customer_point=箱が潰れていた",
            "--set",
            "callback_at=2026-11-25 15:00",
        ]
    )
    assert run.code == 0, run.stderr
    assert "サポート窓口の佐藤 花子でございます。" in run.stdout
    assert "メール：sato@test.example.jp" in run.stdout


def test_data_file_from_stdin_in_json_and_yaml() -> None:
    case = {"customer_name": "Sam Doe", "order_ref": "order Z-9"}
    for payload in (json.dumps(case), "customer_name: Sam Doe\norder_ref: order Z-9\n"):
        run = cli(
            ["draft", "apology", "--lang", "en", "--example", "--no-input", "--data", "-"],
            input=payload,
        )
        assert run.code == 0, run.stderr
        assert "\nDear Ms. Doe,\n" in run.stdout  # the example title, and the family name
        assert "order Z-9" in run.stdout


def test_data_file_with_bom_and_crlf(tmp_path: Path) -> None:
    data = tmp_path / "case.yaml"
    data.write_bytes("\ufeffcustomer_name: 髙橋 一郎\r\norder_ref: ご注文A-1\r\n".encode())
    run = cli(["draft", "apology", "--lang", "ja", "--example", "--no-input", "--data", str(data)])
    assert run.code == 0, run.stderr
    assert "髙橋 一郎 様" in run.stdout


def test_unknown_names_are_one_warning_not_errors(tmp_path: Path) -> None:
    # One data file often feeds several scenarios: what one of them does not use is a
    # single summary line, not a warning each.
    data = tmp_path / "case.json"
    data.write_text(json.dumps({"customer_name": "Sam", "ticket_id": 42, "crm_url": "x"}))
    run = cli(
        [
            "draft",
            "apology",
            "--lang",
            "en",
            "--example",
            "--no-input",
            "--data",
            str(data),
            "--set",
            "colour=blue",
        ]
    )
    assert run.code == 0
    assert "\nDear Ms. Sam,\n" in run.stdout
    warnings = [line for line in run.stderr.splitlines() if line.startswith("claimkit: warning:")]
    assert warnings == [
        "claimkit: warning: not variables of 'apology', ignored: colour, crm_url, ticket_id"
    ]


def test_a_variable_of_another_step_is_not_a_warning() -> None:
    run = cli(
        ["draft", "apology", "--lang", "en", "--example", "--no-input", "--set", "manager_name=Kim"]
    )
    assert run.code == 0
    assert "warning" not in run.stderr


def test_set_accepts_equals_signs_in_values() -> None:
    assert parse_assignments(["a=b=c", "x="]) == {"a": "b=c", "x": ""}
    with pytest.raises(InputError, match="NAME=VALUE"):
        parse_assignments(["=value"])


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("text", "  山田　太郎  ", "山田　太郎"),
        ("text", 42, "42"),
        ("multiline", "one\r\ntwo", "one\ntwo"),
        ("email", "a.b+c@example.co.jp", "a.b+c@example.co.jp"),
        ("date", "2026/11/25", date(2026, 11, 25)),
        ("date", "today", TODAY),
        ("date", date(2026, 12, 1), date(2026, 12, 1)),
        ("bool", "はい", True),
        ("bool", "no", False),
        ("bool", True, True),
        ("number", "１８", 18),
        ("number", 18, 18),
        ("number", "1,200", 1200),
    ],
)
def test_coerce_accepts(kind: str, raw: object, expected: object) -> None:
    assert coerce(var(kind), raw, "ja", TODAY) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("text", "山田\r\nBcc: x@example.com", "line break"),
        ("text", "a\u2028b", "line break"),
        ("text", "nul\x00byte", "control character"),
        ("multiline", "esc\x1b[31m", "control character"),
        ("email", "yamada@example.com\nBcc: x@example.com", "line break"),
        ("email", "山田@例え.jp", "not an email address"),
        ("date", "someday", "not a date"),
        ("datetime", "2026-11-25", "not a date and time"),
        ("bool", "perhaps", "yes or no"),
        ("number", "about 18", "whole number"),
        ("text", True, "yes/no value"),
        ("text", ["a", "b"], "single value"),
    ],
)
def test_coerce_refuses(kind: str, raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coerce(var(kind), raw, "ja", TODAY)


def test_choice_accepts_value_or_label() -> None:
    v = var("choice", choices=(Choice("visit", Text({"ja": "訪問", "en": "On-site visit"})),))
    assert coerce(v, "VISIT", "en", TODAY) == "visit"
    assert coerce(v, "訪問", "ja", TODAY) == "visit"
    with pytest.raises(ValueError, match="one of: visit"):
        coerce(v, "remote", "en", TODAY)


# --- a batch's memo changes nothing ----------------------------------------------------------

MEMO_PLAYBOOK = Playbook(
    id="memo",
    title=Text({"ja": "t"}),
    summary=Text({"ja": "s"}),
    languages=("ja", "en"),
    steps=(),
    variables=(
        var("text", name="a"),
        var("text", name="b", required=False),
        var("number", name="n", default="18"),
        var("bool", name="yes", required=False),
        var("date", name="d", required=False, example="2026-12-01"),
        var("datetime", name="at", default=Text({"ja": "明日 10時", "en": "tomorrow 10:00"})),
        var("email", name="mail", required=False),
        var(
            "choice",
            name="c",
            required=False,
            choices=(Choice("x", Text({"ja": "エックス", "en": "ex"})),),
        ),
    ),
)
RAW = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from(
        [
            "",
            " ",
            "1",
            "18",
            "１８",
            "yes",
            "no",
            "x",
            "エックス",
            "ex",
            "a@b.example",
            "明日",
            "2026-11-25",
            "2026-11-25 15:00",
            "a\nb",
            "山田",
        ]
    )
    | st.dates(date(2026, 1, 1), date(2027, 1, 1))
    | st.lists(st.integers(), max_size=2)
)
CASES = st.lists(
    st.dictionaries(st.sampled_from(["a", "b", "n", "yes", "d", "at", "mail", "c", "zz"]), RAW),
    min_size=1,
    max_size=6,
)


def _outcome(sources: Sources, lang: str, memo: dict[object, object] | None) -> object:
    try:
        resolved = resolve(MEMO_PLAYBOOK, lang, sources, date(2026, 11, 23), memo=memo)
    except InputError as e:
        return ("error", str(e))
    return [(k, type(v), v) for k, v in resolved.values.items()], resolved.unused


@settings(deadline=None)
@given(
    CASES,
    CASES.map(lambda cases: cases[0]),
    st.sampled_from(["ja", "en"]),
    st.booleans(),
    st.integers(1, 4),
)
def test_a_batch_memo_resolves_every_case_as_a_single_draft_would(
    cases: list[dict[str, object]],
    profile: dict[str, object],
    lang: str,
    example: bool,
    limit: int,
) -> None:
    memo: dict[object, object] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(variables, "MEMO_LIMIT", limit)  # a memo emptied when full, too
        for case in cases * 2:  # the second time round, every value is remembered
            sources = Sources(profile=profile, data=case, data_name="", example=example)
            assert _outcome(sources, lang, memo) == _outcome(sources, lang, None)


@pytest.mark.parametrize("memo", [None, {}])
def test_a_null_is_a_value_not_given(memo: dict[object, object] | None) -> None:
    def a(**sources: object) -> object:
        resolved = resolve(MEMO_PLAYBOOK, "en", Sources(**sources), TODAY, memo=memo)  # type: ignore[arg-type]
        return resolved.values["a"], resolved.values["n"]

    assert a(profile={"a": "P"}, data={"a": None, "n": None}) == ("P", 18)
    assert a(data={"a": "D", "n": None}) == ("D", 18)  # the default
    with pytest.raises(InputError, match="a"):
        a(data={"a": None})


class _Text(str):
    """A str that coerce's shortcut for plain texts does not take."""


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from(" \t\u3000\n\r\x00\x85\u2028\ud800a山ｶ。"), max_size=8))
def test_a_text_is_coerced_the_same_by_the_shortcut(raw: str) -> None:
    def outcome(value: str) -> object:
        try:
            return coerce(var("text"), value, "ja", TODAY)
        except ValueError as e:
            return str(e)

    assert outcome(raw) == outcome(_Text(raw))
