"""Rule packs: YAML files of rules, one pack per language, that a team lead can extend.

Every rule has an id, a severity, a kind, a message that says what to write
instead, the scenarios or steps it applies to, and examples that must and must
not trigger it. The examples run when a pack loads, so a rule that silently
matches nothing is a broken pack, not a quiet one. Kinds:

- ``existence``: words or patterns that should not be there (one finding each);
- ``substitution``: a wrong form and the right one (``swap``);
- ``required``: at least one of the words or patterns must be there;
- ``limit``: a sentence, paragraph, line or message over ``max`` characters,
  words, lines or occurrences (``measure``);
- ``repetition``: the same pattern in consecutive sentences.

Literal ``tokens`` are matched on the width-folded text (write them as you like);
``patterns`` are regular expressions matched on that folded text, so write
ASCII letters and digits half-width and kana full-width in them.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef, most of a millisecond for this module.
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

from claimkit.check.text import fold
from claimkit.content.fields import Fields
from claimkit.errors import ContentError

SEVERITIES = ("error", "warning", "info")
KINDS = ("existence", "substitution", "required", "limit", "repetition")
UNITS = ("sentence", "paragraph", "line", "message")
MEASURES = ("chars", "words", "lines", "count")
# Text, not compiled: only parsing a pack (not reading one from the cache) needs it.
_ID = r"^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$"


def severity_rank(severity: str) -> int:
    """error 3, warning 2, info 1: a finding fails a run when its rank reaches --fail-on's."""
    return len(SEVERITIES) - SEVERITIES.index(severity)


class Scope(NamedTuple):
    """Where a rule applies; empty means everywhere."""

    scenarios: frozenset[str] = frozenset()
    steps: frozenset[str] = frozenset()  # a step id, or scenario/step
    audiences: frozenset[str] = frozenset()
    # Also on when the customer's quoted words match one of these (compiled when a
    # reply quotes anything: a draft never does, and compiling costs every run).
    quoted: tuple[str, ...] = ()

    @property
    def everywhere(self) -> bool:
        return not (self.scenarios or self.steps or self.audiences or self.quoted)

    def applies(self, scenario: str | None, step: str | None, audience: str, quoted: str) -> bool:
        if self.everywhere:
            return True
        filtered = bool(self.scenarios or self.steps or self.audiences)
        if filtered and (
            (not self.scenarios or scenario in self.scenarios)
            and (not self.steps or step in self.steps or f"{scenario}/{step}" in self.steps)
            and (not self.audiences or audience in self.audiences)
        ):
            return True
        if not (self.quoted and quoted):
            return False
        matcher = pattern_matcher(self.quoted)
        return matcher is not None and matcher.search(lower(quoted)) is not None

    def sample_context(self) -> tuple[str | None, str | None, str]:
        """A context inside the scope, for running the rule's examples."""
        steps = sorted(self.steps)
        scenario = min(self.scenarios) if self.scenarios else None
        step = None
        if steps:
            scenario_step = next((s for s in steps if "/" in s), None)
            if scenario_step and not self.scenarios:
                scenario, step = scenario_step.split("/", 1)
            else:
                step = steps[0].split("/")[-1]
        audience = min(self.audiences) if self.audiences else "customer"
        return scenario, step, audience


class _Rule(NamedTuple):
    id: str
    severity: str
    kind: str
    message: str
    scope: Scope = Scope()
    ignorecase: bool = False  # matched on the lowercased text
    needles: tuple[str, ...] = ()  # the tokens (or swap's wrong forms), folded
    patterns: tuple[str, ...] = ()  # regular expressions, as written
    swaps: Mapping[str, str] = MappingProxyType({})  # folded wrong form -> right form
    unit: str = "message"
    measure: str = "chars"
    max: int = 0
    unless_patterns: tuple[str, ...] = ()
    # Literal strings one of which every match of ``patterns`` starts with (None: not
    # known). When none is in a text, the expression need not be compiled or run.
    starts: tuple[str, ...] | None = None
    suggestion: str | None = None
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()
    where: str = ""  # file:line, for messages about the rule itself


class Rule(_Rule):
    """One rule of a pack.

    The fields are a NamedTuple's (a frozen dataclass compiles its methods when its
    class is created, about 2 ms of every draft's start-up); this subclass keeps an
    instance dictionary for what is derived from them, and refuses other attributes.
    """

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Rule is read-only: cannot set {name!r}")

    # Compiled on first use: a draft's check needs only a few of a pack's expressions,
    # and compiling them all would cost every run several milliseconds.
    @cached_property
    def literal(self) -> re.Pattern[str] | None:
        """The tokens as one alternation (see literal_matcher)."""
        return literal_matcher(self.needles)

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        return pattern_matcher(self.patterns)

    @cached_property
    def unless(self) -> re.Pattern[str] | None:
        return pattern_matcher(self.unless_patterns)

    @cached_property
    def gated(self) -> bool:
        """Whether the rule finds, counts and satisfies nothing in a text that holds none of
        its tokens and none of its patterns' ``starts``: true unless its patterns may
        start anywhere or it measures what every text has (characters, words, lines)."""
        if self.patterns and self.starts is None:
            return False
        return self.kind != "limit" or (self.measure == "count" and self.max >= 0)

    @cached_property
    def countable(self) -> bool:
        """Whether str.count gives the same count as the matcher: plain tokens only,
        none starting or ending with an ASCII letter or digit (so no word boundary)."""
        return (
            not self.patterns
            and bool(self.needles)
            and not any(
                (n[0].isascii() and n[0].isalnum()) or (n[-1].isascii() and n[-1].isalnum())
                for n in self.needles
            )
        )


# What the engine precomputes per rule set. Tuples, and one plain class: creating a
# class costs every draft's start-up about 20 µs, a NamedTuple class 90 µs (see Rule).

# The strings the rules look for in one form of a paragraph (as written, or lowercased):
# their first characters; the strings by first character; for each, the rules (by
# index) with it as a token, and those whose patterns' matches start with it.
Lookup = tuple[
    frozenset[str],
    dict[str, tuple[str, ...]],
    dict[str, tuple[int, ...]],
    dict[str, tuple[int, ...]],
]
# The limits on one measure of what every paragraph has (characters, words or lines),
# for which a paragraph is measured once: the measure; whether in the lowercased text;
# where the message-wide limits are in a paragraph's amounts; the other limits (by
# index), on a sentence, a paragraph or a line; and the smallest of those (a paragraph
# within it is within them all).
Measured = tuple[str, bool, tuple[int, ...], tuple[int, ...], int]


class Index:
    """A rule set arranged for the engine to run on a paragraph only the rules that can
    find something in it: those one of whose tokens or pattern starts it holds, and
    the ungated ones (see Rule.gated)."""

    __slots__ = ("asked", "lowered", "measured", "message_slots", "plain", "ungated")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        message_limits = [
            i for i, r in enumerate(rules) if r.kind == "limit" and r.unit == "message"
        ]
        groups: dict[tuple[str, bool], list[int]] = {}
        ungated: list[int] = []
        asked: list[int] = []
        for i, rule in enumerate(rules):
            if rule.kind == "limit" and rule.measure in ("chars", "words", "lines"):
                key = (rule.measure, rule.ignorecase and rule.measure != "chars")
                groups.setdefault(key, []).append(i)
            elif not rule.gated:
                (asked if rule.kind == "required" else ungated).append(i)
        # Ungated required rules: a paragraph is asked for their elements only when no
        # other paragraph of the reply is known to hold them (see engine.check).
        self.asked = frozenset(asked)
        self.plain = _lookup(rules, False, self.asked)
        self.lowered = _lookup(rules, True, self.asked)
        self.measured = tuple(_measured(rules, ids, message_limits) for ids in groups.values())
        self.ungated = tuple(ungated)  # the other rules to run on every paragraph
        # The limits on a whole message (by index), each with its place in a paragraph's amounts.
        self.message_slots = {i: slot for slot, i in enumerate(message_limits)}


def _measured(rules: tuple[Rule, ...], ids: list[int], message_limits: list[int]) -> Measured:
    first = rules[ids[0]]
    others = tuple(i for i in ids if rules[i].unit != "message")
    return (
        first.measure,
        first.ignorecase and first.measure != "chars",  # characters count as written
        tuple(message_limits.index(i) for i in ids if rules[i].unit == "message"),
        others,
        min((rules[i].max for i in others), default=0),
    )


def _lookup(rules: tuple[Rule, ...], ignorecase: bool, asked: frozenset[int]) -> Lookup:
    tokens: dict[str, list[int]] = {}
    starts: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        if rule.ignorecase == ignorecase and i not in asked:
            for n in rule.needles:
                tokens.setdefault(n, []).append(i)
            for n in rule.starts or ():
                starts.setdefault(n, []).append(i)
    by_first: dict[str, list[str]] = {}
    for n in dict.fromkeys([*tokens, *starts]):
        by_first.setdefault(n[0], []).append(n)
    return (
        frozenset(by_first),
        {c: tuple(found) for c, found in by_first.items()},
        {n: tuple(ids) for n, ids in tokens.items()},
        {n: tuple(ids) for n, ids in starts.items()},
    )


class _RuleSet(NamedTuple):
    lang: str
    rules: tuple[Rule, ...]


class RuleSet(_RuleSet):
    """A language's rules in force, and what checking with them has found so far.

    A NamedTuple underneath, as Rule is; compared and hashed as an object, not as a
    tuple, because what it remembers makes each one its own.
    """

    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a RuleSet is read-only: cannot set {name!r}")

    @cached_property
    def memo(self) -> dict[str, Any]:
        """What the rules found in each paragraph text seen so far (see engine.check)."""
        return {}

    @cached_property
    def applicable(self) -> dict[Any, Any]:
        """Which rules apply to a (scenario, step, audience) (see engine.check)."""
        return {}

    @cached_property
    def any_ignorecase(self) -> bool:
        return any(r.ignorecase for r in self.rules)

    @cached_property
    def paragraph_index(self) -> Index:
        """What the engine looks up for every new paragraph (see engine._Paragraph)."""
        return Index(self.rules)

    def ids(self) -> list[str]:
        return [r.id for r in self.rules]

    def without(self, disabled: Iterable[str]) -> "RuleSet":
        off = set(disabled)
        return RuleSet(self.lang, tuple(r for r in self.rules if r.id not in off))


def _compile(parts: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(parts)) if parts else None


def lower(text: str) -> str:
    """Lower case without changing the length, so positions still line up."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def needles(tokens: Iterable[str], ignorecase: bool) -> tuple[str, ...]:
    folded = {fold(t)[0] for t in tokens}
    return tuple(sorted({lower(t) for t in folded} if ignorecase else folded))


def literal_matcher(folded_tokens: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation of the (already folded) tokens, longest first.

    Kept free of groups, look-arounds and flags so ``re`` can scan for its first
    characters quickly: case-insensitive rules run on a lowercased copy of the
    text instead of with IGNORECASE, and the engine checks word boundaries after
    a match, only where a token begins or ends with an ASCII letter or digit.
    ``\\b`` would be wrong for Japanese (kana and kanji are word characters to
    ``re``, so a word inside a sentence would never match) and English needs one
    ("sue" must not match inside "issue").
    """
    return _compile([re.escape(t) for t in sorted(folded_tokens, key=len, reverse=True)])


@lru_cache(maxsize=256)
def _pattern_matcher(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return _compile([f"(?:{p})" for p in patterns])


def pattern_matcher(patterns: Iterable[str]) -> re.Pattern[str] | None:
    return _pattern_matcher(tuple(patterns))


_MAX_STARTS = 64  # more first strings than this, and the plain "in" tests cost more than a search


def match_starts(patterns: Iterable[str]) -> tuple[str, ...] | None:
    """Literal strings one of which every match of any of ``patterns`` starts with.

    Read off the expressions' syntax trees: the leading literals of each
    alternative, through groups, required repeats, small character sets and
    zero-width assertions. None whenever that is not certain (an optional or
    wildcard start, a flag), so a text without any of them cannot match.
    """
    from re import _parser  # type: ignore[attr-defined]

    found: set[str] = set()
    for source in patterns:
        try:
            tree = _parser.parse(source)
        except Exception:  # a bad expression is reported when the pack is verified
            return None
        if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        starts = _starts(list(tree))
        if starts is None:
            return None
        found |= starts
        if len(found) > _MAX_STARTS:
            return None
    if not found:
        return None
    kept: list[str] = []
    for text in sorted(found):  # a string found after a shorter prefix of it adds nothing
        if not any(text.startswith(k) for k in kept):
            kept.append(text)
    return tuple(kept)


def _starts(items: list[Any]) -> set[str] | None:
    from re import _constants as c  # type: ignore[attr-defined]

    if not items:
        return None
    op, arg = items[0]
    if op is c.LITERAL:
        text = chr(arg)
        for op2, arg2 in items[1:]:
            if op2 is not c.LITERAL:
                break
            text += chr(arg2)
        return {text}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return _starts(items[1:])  # zero-width: the match starts with what follows
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, body = arg
        return None if add_flags & re.IGNORECASE else _starts(list(body))
    if op is c.BRANCH:
        found: set[str] = set()
        for branch in arg[1]:
            starts = _starts(list(branch))
            if starts is None:
                return None
            found |= starts
        return found
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, body = arg
        return _starts(list(body)) if low >= 1 else None
    if op is c.IN and all(o is c.LITERAL for o, _ in arg) and len(arg) <= 16:
        return {chr(a) for _, a in arg}
    return None


def check_regex(fail: Callable[[str, str], Exception], key: str, source: str) -> None:
    """A clear error for an expression that does not compile (run when a pack is verified)."""
    try:
        re.compile(source)
    except re.error as e:
        raise fail(f"'{key}': bad regular expression {source!r}: {e}", key) from None


def _check_case(fields: Fields, key: str, source: str, ignorecase: bool) -> None:
    # Case-insensitive rules see the text in lower case (see literal_matcher).
    letters = re.sub(r"\\.", "", source)
    if ignorecase and any(c.isupper() for c in letters):
        raise fields.fail(
            f"'{key}': write the patterns of a case-insensitive rule in lower case: {source!r}",
            key,
        )


RULE_KEYS = (
    "id",
    "severity",
    "kind",
    "message",
    "tokens",
    "patterns",
    "swap",
    "unit",
    "measure",
    "max",
    "unless",
    "suggestion",
    "ignorecase",
    "scope",
    "examples",
)


def parse_rule(data: Any, file: str, line: int, lang: str) -> Rule:
    r = Fields(data, file, "rule", line)
    rule_id = r.string("id")
    if not re.match(_ID, rule_id):
        raise r.fail(f"id {rule_id!r} must be lower-case words joined by . or -", "id")
    r.what = f"rule '{rule_id}'"
    r.only(RULE_KEYS)
    kind = r.one_of("kind", KINDS)
    severity = r.one_of("severity", SEVERITIES, "warning")
    message = r.string("message")
    ignorecase = r.boolean("ignorecase", lang != "ja")
    tokens, patterns = r.strings("tokens"), r.strings("patterns")
    for p in patterns:
        _check_case(r, "patterns", p, ignorecase)
    plain_tokens = needles(tokens, ignorecase)
    swaps: dict[str, str] = {}
    raw_swap = r.raw("swap")
    if raw_swap is not None:
        if not isinstance(raw_swap, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw_swap.items()
        ):
            raise r.fail("'swap' must map each wrong form to the right one", "swap")
        swaps = {fold(k)[0]: v for k, v in raw_swap.items()}
        if ignorecase:
            swaps = {lower(k): v for k, v in swaps.items()}
        patterns = []
        plain_tokens = needles(swaps, ignorecase)
    if kind == "substitution" and not swaps:
        raise r.fail("a substitution rule needs 'swap'", "kind")
    matches = bool(plain_tokens or patterns)
    if kind in ("existence", "required", "repetition") and not matches:
        raise r.fail(f"a {kind} rule needs 'tokens' or 'patterns'", "kind")
    unit, measure, maximum = "message", "chars", 0
    if kind == "limit":
        unit = r.one_of("unit", UNITS, "sentence")
        measure = r.one_of("measure", MEASURES, "chars")
        maximum = r.raw("max")
        if not isinstance(maximum, int) or isinstance(maximum, bool) or maximum < 0:
            raise r.fail("a limit rule needs 'max', a whole number", "max")
        if measure == "count" and not matches:
            raise r.fail("measure: count needs 'tokens' or 'patterns' to count", "measure")
    unless_patterns = r.strings("unless")
    for p in unless_patterns:
        _check_case(r, "unless", p, ignorecase)
    ex = Fields(r.raw("examples") or {}, file, f"rule '{rule_id}' examples", r.line_of("examples"))
    good, bad = ex.strings("good"), ex.strings("bad")
    if not bad:
        raise r.fail("give examples.bad: texts the rule must catch", "examples")
    if not good:
        raise r.fail("give examples.good: texts the rule must leave alone", "examples")
    return Rule(
        id=rule_id,
        severity=severity,
        kind=kind,
        message=_unfold(message, lang),
        scope=_scope(r),
        ignorecase=ignorecase,
        needles=plain_tokens,
        patterns=tuple(patterns),
        swaps=swaps,
        unit=unit,
        measure=measure,
        max=maximum,
        unless_patterns=tuple(unless_patterns),
        starts=match_starts(patterns) if patterns else None,
        suggestion=_unfold(r.optional_string("suggestion"), lang),
        good=tuple(good),
        bad=tuple(bad),
        where=r.at("id"),
    )


def _unfold(text: str | None, lang: str) -> Any:
    """YAML folds a long line with a space, which Japanese does not want between words."""
    if text is None:
        return None
    text = " ".join(text.split())
    if lang == "ja":
        text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)
    return text


def _scope(rule: Fields) -> Scope:
    if not rule.has("scope"):
        return Scope()
    s = Fields(rule.raw("scope"), rule.file, f"{rule.what} scope", rule.line_of("scope"))
    s.only(["scenarios", "steps", "audiences", "quoted"])
    quoted = s.strings("quoted")
    for p in quoted:
        _check_case(s, "quoted", p, ignorecase=True)  # compiled when the pack is verified
    return Scope(
        scenarios=frozenset(s.strings("scenarios")),
        steps=frozenset(s.strings("steps")),
        audiences=frozenset(s.strings("audiences")),
        quoted=tuple(quoted),
    )


class Pack(NamedTuple):
    lang: str
    rules: tuple[Rule, ...]
    disable: tuple[str, ...]
    source: str


def parse_pack(data: Any, where: str) -> Pack:
    r = Fields(data, where, "rule pack", 1)
    r.only(["lang", "rules", "disable"])
    lang = r.one_of("lang", ("ja", "en"))
    rules: list[Rule] = []
    seen: set[str] = set()
    for item, line in r.items("rules"):
        rule = parse_rule(item, where, line, lang)
        if rule.id in seen:
            raise ContentError(
                f"rule '{rule.id}' appears twice in the pack", where=f"{where}:{line}"
            )
        seen.add(rule.id)
        rules.append(rule)
    return Pack(lang, tuple(rules), tuple(r.strings("disable")), where)
