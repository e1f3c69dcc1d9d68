"""The check stays linear on hostile input, and a rule pack cannot make it exponential.

The one place a time bound belongs in a test: each bound is many times what a
linear check needs, so it fails only on a quadratic (or worse) blow-up, never on
a slow machine.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from claimkit.check.backtrack import nested_repeat
from claimkit.check.engine import Context, check
from claimkit.check.loading import builtin_pack_path, load_rules, read_pack
from claimkit.check.rules import RuleSet, Scope, expressions, rule_set
from claimkit.errors import ContentError
from tests.conftest import sh

RULES = {lang: load_rules(lang) for lang in ("ja", "en")}


def everywhere(rules: RuleSet) -> RuleSet:
    """Every rule on, whatever the scenario: the worst case for the time a check takes."""
    return rule_set(rules.lang, tuple(r._replace(scope=Scope()) for r in rules.rules))


def seconds(text: str, rules: RuleSet) -> float:
    start = time.perf_counter()
    check(text, everywhere(rules), Context())
    return time.perf_counter() - start


# What took seconds to minutes before (issue 15, point 6), and the shapes around them.
HOSTILE = [
    "X" * 40_000 + "a",
    "X" * 100_000 + "a",
    "{{" * 50_000,
    "{%" * 50_000,
    "." * 100_000 + "a",
    "!" * 100_000 + "a",
    "?." * 50_000 + "a",
    "jan" * 33_000 + "a",
    "will " * 20_000 + "1" * 100,
    "1" * 100_000,
    "[a" * 50_000,
    "<a" * 50_000,
    "a:" * 50_000,
    " " * 100_000 + "a",
    "\n " * 50_000,
    "A" * 100_000 + "\n",
    "。" * 100_000,
    "、" * 100_000,
    "○" * 100_000,
    "あ" * 100_000,
    "1月1日" * 20_000,
    "お" * 100_000,
    "申し訳" * 30_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: f"{t[:6]!r}x{len(t)}")
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_hostile_reply_is_checked_in_linear_time(lang: str, text: str) -> None:
    assert seconds(text, RULES[lang]) < 2.0


def test_every_piece_a_rule_looks_for_repeated_is_checked_in_linear_time() -> None:
    # Each token and pattern start of every built-in rule, and its first bad example,
    # repeated to 20,000 characters and left unfinished: where a backtracking
    # expression would rescan the rest of the text from every place it could start.
    # Each rule with expressions on its own (the hostile texts above run them all
    # together; tokens are plain alternatives, which never backtrack).
    for lang, rules in RULES.items():
        for rule in everywhere(rules).rules:
            if not expressions(rule):
                continue
            alone = rule_set(lang, (rule,))
            for piece in sorted({*(rule.starts or ()), *rule.bad[:1]}):
                text = piece * (20_000 // len(piece) + 1) + "a"
                start = time.perf_counter()
                check(text, alone, Context())
                assert time.perf_counter() - start < 2.0, (lang, rule.id, piece)


def test_a_long_value_in_a_draft_is_checked_in_linear_time() -> None:
    value = "{{" * 15_000
    start = time.perf_counter()
    args = ["draft", "apology", "--lang", "en", "--example", "--no-input"]
    run = sh([*args, "--set", f"customer_point={value}"])
    assert time.perf_counter() - start < 5.0
    assert run.code == 0 and "[placeholder]" not in run.stderr


def _repeats(source: str) -> list[int]:
    """The upper bound of every repeat in an expression."""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    found: list[int] = []

    def walk(items: object) -> None:
        for op, arg in items:  # type: ignore[attr-defined]
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                found.append(arg[1])
                walk(arg[2])
            elif op is c.SUBPATTERN:
                walk(arg[3])
            elif op is c.BRANCH:
                for branch in arg[1]:
                    walk(branch)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(arg[1])

    walk(_parser.parse(source))
    return found


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_built_in_expression_repeats_a_bounded_number_of_times(lang: str) -> None:
    # A bounded repeat keeps each match attempt bounded, so a scan is linear in the text.
    for rule in read_pack(builtin_pack_path(lang)).rules:
        for source in (*rule.patterns, *rule.unless_patterns, *rule.scope.quoted):
            assert all(high <= 200 for high in _repeats(source)), (rule.id, source)
            assert nested_repeat(source) is None, (rule.id, source)


@pytest.mark.parametrize(
    "source",
    ["(a|aa)+$", "(a+)+$", "(?:\\w+\\s?)+$", "(x|x)*y", "(?:ab|a)*c", "(.*,){20}x"],
)
def test_an_expression_that_can_backtrack_exponentially_is_named(source: str) -> None:
    assert nested_repeat(source)


@pytest.mark.parametrize(
    "source",
    [
        "(?:foo|bar)+",
        "a{1,10}b",
        "(?:(?!x|y)[^。]){0,50}?ます",
        "(?:[0-9]{4}年)?[0-9]{1,2}月",
        "(?>a+)+b",
    ],
)
def test_a_linear_expression_passes(source: str) -> None:
    assert nested_repeat(source) is None


EXPONENTIAL_PACK = """\
lang: en
rules:
  - id: team.slow
    kind: existence
    message: A slow rule.
    patterns: ["(a|aa)+$"]
    examples:
      bad: [aaa]
      good: [b]
"""


def test_a_team_pack_with_an_exponential_expression_is_refused_at_load(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "slow.yaml").write_text(EXPONENTIAL_PACK, encoding="utf-8")
    with pytest.raises(ContentError, match=r"team\.slow.*exponential time"):
        load_rules("en", [rules])
    start = time.perf_counter()
    run = sh(["check", "--lang", "en", "--rules", str(rules), "-"], input="a" * 41 + "b\n")
    assert time.perf_counter() - start < 5.0
    assert run.code == 2 and len(run.stderr.strip().splitlines()) == 1
    assert "rule 'team.slow'" in run.stderr and f"{rules / 'slow.yaml'}:" in run.stderr
