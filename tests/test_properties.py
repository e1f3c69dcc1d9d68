"""For any input, a result that keeps its promise or a one-line ClaimkitError (exit 2)."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimkit.check.engine import Context, check
from claimkit.check.loading import load_rules
from claimkit.check.rules import RuleSet, rule_set
from claimkit.content.playbook import parse_playbook
from claimkit.content.yamldoc import parse_yaml
from claimkit.errors import ClaimkitError
from claimkit.values.sources import parse_assignments, parse_data
from tests.conftest import MINIMAL_PLAYBOOK

SETTINGS = settings(deadline=None, suppress_health_check=list(HealthCheck))
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(["", "\x00", "\ufeff", "\r\n", "> ", "。", "！", "{{", "{%", "&a [*a]"])
JA = load_rules("ja")
EN = load_rules("en")


def refused(e: ClaimkitError, where: str) -> None:
    """What every refusal of bad input is: one line, naming where, exit status 2."""
    assert "\n" not in str(e).strip()
    assert str(e).startswith(where)
    assert e.exit_status == 2


@SETTINGS
@given(TEXT)
def test_yaml_loader_reads_back_what_it_would_write_or_refuses(text: str) -> None:
    import yaml

    from claimkit.cache import plain

    try:
        data = parse_yaml(text, "x.yaml")
    except ClaimkitError as e:
        refused(e, "x.yaml")
        return
    again = parse_yaml(yaml.safe_dump(plain(data), allow_unicode=True), "y.yaml")
    assert plain(again) == plain(data)


YAML_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(
            ["id", "title", "summary", "steps", "variables", "notes", "languages", "extra"]
        ),
        YAML_VALUES,
    )
)
def test_playbook_loader_on_any_structure(data: dict[str, object]) -> None:
    try:
        playbook = parse_playbook(data, Path("x.yaml"))
    except ClaimkitError as e:
        refused(e, "x.yaml")
        return
    assert playbook.id == data["id"] and playbook.steps  # what it accepts is a playbook


@SETTINGS
@given(st.integers(0, len(MINIMAL_PLAYBOOK)), st.text(max_size=5))
def test_playbook_loader_on_mangled_files(cut: int, junk: str) -> None:
    text = MINIMAL_PLAYBOOK.format(id="late")
    mangled = text[:cut] + junk + text[cut:]
    try:
        playbook = parse_playbook(parse_yaml(mangled, "x.yaml"), Path("x.yaml"))
    except ClaimkitError as e:
        refused(e, "x.yaml")
        return
    assert [s.id for s in playbook.steps] == ["mail"] or junk


@SETTINGS
@given(st.lists(TEXT, max_size=5))
def test_set_parsing(items: list[str]) -> None:
    try:
        parsed = parse_assignments(items)
    except ClaimkitError as e:
        refused(e, "--set")
        return
    for item in items:  # NAME=VALUE, the value as given (it may hold "="), the last one wins
        name, _, value = item.partition("=")
        if parsed.get(name.strip()) != value:
            assert any(
                i.partition("=")[0].strip() == name.strip() for i in items[items.index(item) + 1 :]
            )


@SETTINGS
@given(TEXT, st.sampled_from(["", ".json", ".yaml"]))
def test_data_file_parsing(text: str, suffix: str) -> None:
    try:
        data = parse_data(text, "case", suffix=suffix)
    except ClaimkitError as e:
        refused(e, "case")
        return
    assert isinstance(data, dict) and all(isinstance(k, str) for k in data)


@SETTINGS
@given(
    TEXT,
    st.sampled_from(
        [
            Context(),
            Context("apology", "first-reply"),
            Context("threat", "written-reply"),
            Context("review-reply", "public-reply", "public"),
        ]
    ),
)
def test_check_on_any_text(text: str, context: Context) -> None:
    for rules in (JA, EN):
        for f in check(text, rules, context):
            assert 1 <= f.line <= text.count("\n") + 1
            assert f.column >= 1 and f.end_line >= f.line
            assert f.rule and f.message


@SETTINGS
@given(st.text(alphabet=string.printable + "山田髙﨑　😀ｶﾞ㈱①", max_size=60))
def test_renderer_with_any_value(value: str) -> None:
    from claimkit.content.catalog import Catalog
    from claimkit.paths import builtin_root
    from claimkit.pipeline import Request, make_draft
    from claimkit.render.renderer import Renderer
    from claimkit.values.resolve import Sources

    catalog = Catalog([builtin_root()])
    for name in ("customer_name", "customer_point", "order_ref"):
        request = Request(
            "apology", "ja", Sources(overrides={name: value}, example=True), date(2026, 11, 23)
        )
        try:
            result = make_draft(catalog, Renderer(catalog.roots), request)
        except ClaimkitError:
            continue
        assert result.draft.body.endswith("\n")
        if result.draft.subject:
            assert "\n" not in result.draft.subject and "\r" not in result.draft.subject


@given(st.text(alphabet=" \t\n\u3000\u2028a山。！\r", max_size=40))
def test_paragraphs_and_sentences_are_the_stripped_pieces(text: str) -> None:
    from claimkit.check import text as txt

    for span in txt.paragraphs(text):
        piece = text[span.start : span.end]
        assert piece and piece == piece.strip()
    # Nothing but whitespace and the cuts is lost between the pieces.
    kept = "".join(text[s.start : s.end] for s in txt.paragraphs(text))
    assert "".join(kept.split()) == "".join(text.split())


@SETTINGS
@given(
    TEXT
    | st.text(alphabet="ａＡ０（）：　！？ｶﾞ㈱①\u00a0\u00b2\u2002\u2011\u2024abc山。", max_size=40)
)
def test_folding_by_character_and_by_expression_agree(text: str) -> None:
    from claimkit.check import text as txt

    foldable, table = txt._one_to_one()
    by_expression = foldable.sub(lambda m: table[m.group()], text)
    first, txt._folded_texts = txt._folded_texts, 0  # the first texts go by character
    try:
        assert txt._fold_one_to_one(text) == by_expression
    finally:
        txt._folded_texts = first


# --- the check's fast paths against the plain ways they stand in for ---------------------------

SPLIT_TEXT = st.text(alphabet=" \t\n\u3000\r\u2028a山。！", max_size=40)


@SETTINGS
@given(SPLIT_TEXT)
@example("a\n \nb")
@example("a\n\t\n\nb\n\n\n c \n")
def test_paragraphs_cut_by_str_split_as_by_the_expression(text: str) -> None:
    import re

    from claimkit.check import text as txt

    expected = [(s.start, text[s.start : s.end]) for s in txt.split(text, txt._BLANK_LINES)]
    assert txt.paragraph_texts(text) == expected
    assert txt.paragraphs(text) == txt.split(text, txt._BLANK_LINES)
    if not re.search(r"\n[ \t]+\n", text):  # the fast way holds wherever no such line is
        assert txt._trimmed_pieces(text.split("\n\n")) == expected


FOLD_TEXT = TEXT | st.text(
    alphabet="ａＡ０（）：　！？ｶﾞ㈱①\u00a0\u0301\u3099か山。abc\n \t", max_size=60
)


@SETTINGS
@given(FOLD_TEXT, st.booleans())
@example("株式会社ミナト物産\n山田 様\n\n（ご注文）", True)
@example("ｶﾞ\n\n㈱①\n\nか\u3099", False)
@example("山田様\n \nお世話に\n\t\n\nなります", True)
def test_folding_by_remembered_chunks_is_folding_the_whole_text(text: str, warm: bool) -> None:
    from claimkit.check import text as txt

    first = txt._folded_texts
    try:
        txt._folded_texts = 0  # the first texts are folded whole, by character
        whole = txt.fold(text)
        txt._folded_texts = txt._BY_CHARACTER  # then chunk by chunk, remembered
        if not warm:
            txt._folded_chunks.clear()
        assert txt.fold(text) == whole
        assert txt.fold(text) == whole  # its chunks now remembered
        prepared = txt.Prepared(text, "ja")
        assert prepared.paragraph_texts() == txt.paragraph_texts(prepared.agent)
    finally:
        txt._folded_texts = first


_EVERYWHERE: dict[str, RuleSet] = {}


def _every_rule_everywhere(rules: RuleSet) -> RuleSet:
    """The same rules, with an index that runs each of them on every paragraph, as the
    check did before it chose the rules a paragraph's strings call for; nothing
    remembered (the index, which depends on the rules alone, is built once)."""
    from claimkit.check.rules import _lookup

    if rules.lang not in _EVERYWHERE:
        plain = rule_set(rules.lang, rules.rules)
        index = plain.paragraph_index()
        index.measured = ()
        index.ungated = tuple(range(len(rules.rules)))
        index.asked = frozenset()
        index.plain = _lookup(rules.rules, False, frozenset())
        index.lowered = _lookup(rules.rules, True, frozenset())
        _EVERYWHERE[rules.lang] = plain
    return _fresh(_EVERYWHERE[rules.lang])


def _fresh(rules: RuleSet) -> RuleSet:
    """The same rules with no paragraph or plan remembered. The index and its narrowed
    lookups depend on the rules alone, and building them is most of a small check."""
    fresh = rule_set(rules.lang, rules.rules, rules.allow)
    fresh.state.index = rules.paragraph_index()
    fresh.state.narrowed = rules.state.narrowed
    return fresh


# Pieces of replies that call on the rules: their examples, tokens and pattern starts.
PIECES = sorted(
    {
        piece
        for rules in (JA, EN)
        for rule in rules.rules
        for piece in (*rule.good, *rule.bad, *rule.needles, *(rule.starts or ()))
    }
    | {"\n", "\n\n", "\n \n", "。", ". ", "！", " ", "> ", "山田様", "Dear Alex,", "15時", "x" * 90}
)
CONTEXTS = st.sampled_from(
    [
        Context(),
        Context("apology", "first-reply"),
        Context("threat", "written-reply"),
        Context("review-reply", "public-reply", "public"),
        Context("escalation", "report", "internal"),
    ]
)


@SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.lists(st.text(max_size=8), max_size=4))
def test_a_batch_finds_what_every_rule_on_every_paragraph_finds(
    template: list[str], names: list[str]
) -> None:
    # Replies from one template, differing in a name: the remembered paragraphs and
    # chunks, the rules chosen by a paragraph's strings and the required elements asked
    # for last must all find exactly what running every rule on every paragraph finds.
    for rules in (JA, EN):
        for name in ["", *names]:
            reply = "".join(template).replace("山田", name, 1)
            for context in (Context(), Context("apology", "first-reply")):
                expected = check(reply, _every_rule_everywhere(rules), context)
                assert check(reply, rules, context) == expected


@SETTINGS
@given(TEXT | st.lists(st.sampled_from(PIECES), max_size=12).map("".join), CONTEXTS)
def test_a_remembered_paragraph_finds_what_a_new_one_does(text: str, context: Context) -> None:
    for rules in (JA, EN):
        warm = check(text, rules, context)
        assert check(text, _fresh(rules), context) == warm  # nothing remembered
        assert check(text, _every_rule_everywhere(rules), context) == warm
