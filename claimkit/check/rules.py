"""Rules: what one rule of a pack says, and what the engine derives from a rule set.

Every rule has an id, a severity, a kind, a message that says what to write
instead, the scenarios or steps it applies to, and examples that must and must
not trigger it (see claimkit.check.packs, which reads them from YAML). Kinds:

- ``existence``: words or patterns that should not be there (one finding each);
- ``substitution``: a wrong form and the right one (``swap``, ``rewrite``);
- ``required``: at least one of the words or patterns must be there;
- ``limit``: a sentence, paragraph, line or message over ``max`` characters,
  words, lines or occurrences (``measure``);
- ``repetition``: the same pattern in consecutive sentences;
- ``date``: a written date whose weekday is wrong, or a promised date already past.

The records are plain NamedTuples. What is derived from them (compiled
expressions, the index of first characters, what checking has remembered) lives
in a rule set's State, built as the engine needs it.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef, most of a millisecond for this module.
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from claimkit.check.text import fold, lower

SEVERITIES = ("error", "warning", "info")
KINDS = ("existence", "substitution", "required", "limit", "repetition", "date")
UNITS = ("sentence", "paragraph", "line", "message")
MEASURES = ("chars", "words", "lines", "count")
CHECKS = ("weekday", "past")  # what a date rule asks of each date


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


class Rewrite(NamedTuple):
    """A wrong form found by an expression, and the right one built from what it matched."""

    pattern: str
    to: str  # {name} is what the group of that name matched, through its map
    maps: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # group: (matched, instead)


class Rule(NamedTuple):
    """One rule of a pack, as written (tokens folded; ``near`` compiled into patterns)."""

    id: str
    severity: str
    kind: str
    message: str
    scope: Scope = Scope()
    ignorecase: bool = False  # matched on the lowercased text
    needles: tuple[str, ...] = ()  # the tokens (or swap's wrong forms), folded
    patterns: tuple[str, ...] = ()  # regular expressions
    swaps: tuple[tuple[str, str], ...] = ()  # folded wrong form, right form
    rewrites: tuple[Rewrite, ...] = ()
    unit: str = "message"
    measure: str = "chars"
    max: int = 0
    unless_patterns: tuple[str, ...] = ()  # anywhere in the reply: no finding at all
    unless_sentence: tuple[str, ...] = ()  # in the sentence of a match: no finding there
    check: str = ""  # a date rule's question (CHECKS)
    # Literal strings one of which every match of ``patterns`` (and ``rewrites``) starts
    # with (None: not known). When none is in a text, no expression need run.
    starts: tuple[str, ...] | None = None
    suggestion: str | None = None
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()
    today: str = ""  # the reference date (ISO) the examples are checked on
    where: str = ""  # file:line, for messages about the rule itself


def expressions(rule: Rule) -> tuple[str, ...]:
    """The expressions that find the rule's matches: its patterns and its rewrites'."""
    if not rule.rewrites:
        return rule.patterns
    return rule.patterns + tuple(r.pattern for r in rule.rewrites)


def gated(rule: Rule) -> bool:
    """Whether the rule finds, counts and satisfies nothing in a text that holds none of
    its tokens and none of its expressions' ``starts``: true unless an expression may
    start anywhere or it measures what every text has (characters, words, lines)."""
    if expressions(rule) and rule.starts is None:
        return False
    return rule.kind != "limit" or (rule.measure == "count" and rule.max >= 0)


def countable(rule: Rule) -> bool:
    """Whether str.count gives the same count as the matcher: plain tokens only,
    none starting or ending with an ASCII letter or digit (so no word boundary)."""
    return (
        not expressions(rule)
        and bool(rule.needles)
        and not any(
            (n[0].isascii() and n[0].isalnum()) or (n[-1].isascii() and n[-1].isalnum())
            for n in rule.needles
        )
    )


class Matcher(NamedTuple):
    """A rule's expressions compiled: built when the engine first runs the rule, as a
    draft's check needs only a few of a pack's expressions and compiling them all
    would cost every run several milliseconds."""

    literal: re.Pattern[str] | None  # the tokens as one alternation (see literal_matcher)
    pattern: re.Pattern[str] | None  # the patterns as one alternation
    swaps: dict[str, str]
    # Each rewrite (or date pattern) on its own: their groups have the same names.
    each: tuple[tuple[re.Pattern[str], Rewrite | None], ...]
    unless_sentence: re.Pattern[str] | None
    countable: bool


def matcher(rule: Rule) -> Matcher:
    each: tuple[tuple[re.Pattern[str], Rewrite | None], ...]
    if rule.kind == "date":
        pattern = None
        each = tuple((re.compile(p), None) for p in rule.patterns)
    else:
        pattern = pattern_matcher(rule.patterns)
        each = tuple((re.compile(r.pattern), r) for r in rule.rewrites)
    return Matcher(
        literal=literal_matcher(rule.needles),
        pattern=pattern,
        swaps=dict(rule.swaps),
        each=each,
        unless_sentence=pattern_matcher(rule.unless_sentence),
        countable=countable(rule),
    )


def rewritten(rewrite: Rewrite, m: "re.Match[str]") -> str:
    """The right form for one match of a rewrite's expression."""
    maps = dict(rewrite.maps)
    values = {}
    for name, value in m.groupdict(default="").items():
        table = maps.get(name)
        values[name] = dict(table).get(value, value) if table else value
    return rewrite.to.format_map(values)


# What the engine precomputes per rule set. Tuples, and one plain class: creating a
# class costs every draft's start-up about 20 µs, a NamedTuple class 90 µs (see Rule).

# The strings the rules look for in one form of a paragraph (as written, or lowercased):
# their first characters; by first character, their first two characters each with the
# strings that start so (one "in" for a pair spares the tests of all its strings when
# the pair is absent); for each string, the rules (by index) with it as a token, and
# those whose expressions' matches hold it.
Lookup = tuple[
    frozenset[str],
    dict[str, tuple[tuple[str, bool, tuple[str, ...]], ...]],  # pair, itself a string, longer
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
    the ungated ones (see gated)."""

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
            elif not gated(rule):
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


# The index narrowed to the rules of one kind of reply: the lookups of their strings,
# as written and lowercased, and those of them to run on every paragraph.
Narrowed = tuple[Lookup, Lookup, tuple[int, ...]]


def narrowed(index: Index, wanted: frozenset[int]) -> Narrowed:
    """Only the rules that apply run on a paragraph: a public reply's or a first reply's
    rules cost an internal report nothing, and fewer strings are looked for."""
    return (
        _only(index.plain, wanted),
        _only(index.lowered, wanted),
        tuple(i for i in index.ungated if i in wanted),
    )


def _only(lookup: Lookup, wanted: frozenset[int]) -> Lookup:
    _firsts, by_first, tokens, starts = lookup
    kept_tokens = {n: k for n, ids in tokens.items() if (k := tuple(i for i in ids if i in wanted))}
    kept_starts = {n: k for n, ids in starts.items() if (k := tuple(i for i in ids if i in wanted))}
    strings = [
        n
        for pairs in by_first.values()
        for pair, whole, longer in pairs
        for n in ((pair, *longer) if whole else longer)
        if n in kept_tokens or n in kept_starts
    ]
    return _arranged(strings, kept_tokens, kept_starts)


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
    return _arranged(
        dict.fromkeys([*tokens, *starts]),
        {n: tuple(ids) for n, ids in tokens.items()},
        {n: tuple(ids) for n, ids in starts.items()},
    )


def _arranged(
    strings: Iterable[str], tokens: dict[str, tuple[int, ...]], starts: dict[str, tuple[int, ...]]
) -> Lookup:
    by_first: dict[str, dict[str, list[str]]] = {}
    for n in strings:
        by_first.setdefault(n[0], {}).setdefault(n[:2], []).append(n)
    return (
        frozenset(by_first),
        {
            c: tuple((k, k in v, tuple(n for n in v if n != k)) for k, v in pairs.items())
            for c, pairs in by_first.items()
        },
        tokens,
        starts,
    )


class State:
    """What a rule set derives and remembers as it checks: the compiled matchers, the
    index, the rules that apply to each kind of reply, and the paragraphs seen."""

    __slots__ = (
        "allow",
        "any_ignorecase",
        "applicable",
        "index",
        "matchers",
        "memo",
        "narrowed",
    )

    def __init__(self, rules: tuple[Rule, ...], allow: tuple[str, ...]) -> None:
        self.matchers: list[Matcher | None] = [None] * len(rules)
        self.index: Index | None = None
        self.narrowed: dict[frozenset[int], Narrowed] = {}  # by the rules that apply
        # What the rules found in each paragraph text seen so far (see engine.check).
        self.memo: dict[str, Any] = {}
        # Which rules apply to a (scenario, step, audience) (see engine.check).
        self.applicable: dict[Any, Any] = {}
        self.any_ignorecase = any(r.ignorecase for r in rules)
        # The phrases a team allows, as one expression on the lowercased text.
        self.allow = literal_matcher(sorted({lower(fold(a)[0]) for a in allow}))


class RuleSet(NamedTuple):
    """A language's rules in force, the phrases allowed, and the set's own State: two
    rule sets loaded apart are unequal, as each remembers what it has checked."""

    lang: str
    rules: tuple[Rule, ...]
    allow: tuple[str, ...]
    state: State

    @property
    def memo(self) -> dict[str, Any]:
        return self.state.memo

    def ids(self) -> list[str]:
        return [r.id for r in self.rules]

    def without(self, disabled: Iterable[str]) -> "RuleSet":
        off = set(disabled)
        return rule_set(self.lang, tuple(r for r in self.rules if r.id not in off), self.allow)

    def matcher(self, i: int) -> Matcher:
        found = self.state.matchers[i]
        if found is None:
            found = self.state.matchers[i] = matcher(self.rules[i])
        return found

    def paragraph_index(self) -> Index:
        """What the engine looks up for every new paragraph (see engine._Paragraph)."""
        index = self.state.index
        if index is None:
            index = self.state.index = Index(self.rules)
        return index

    def narrowed(self, wanted: frozenset[int]) -> Narrowed:
        found = self.state.narrowed.get(wanted)
        if found is None:
            found = self.state.narrowed[wanted] = narrowed(self.paragraph_index(), wanted)
        return found


def rule_set(lang: str, rules: tuple[Rule, ...], allow: Iterable[str] = ()) -> RuleSet:
    """A rule set with nothing remembered yet."""
    allowed = tuple(allow)
    return RuleSet(lang=lang, rules=rules, allow=allowed, state=State(rules, allowed))


def _compile(parts: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(parts)) if parts else None


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


_MAX_STARTS = 64  # more strings than this, and the plain "in" tests cost more than a search


def match_starts(patterns: Iterable[str]) -> tuple[str, ...] | None:
    """Literal strings one of which every match of any of ``patterns`` contains: the
    strings it starts with where those are known, else a literal it must hold further on
    (the "@" of an address, the 様 after a name).

    Read off the expressions' syntax trees, through groups, alternatives, required
    repeats, small character sets and zero-width assertions. None whenever that is not
    certain (an optional or wildcard part, a flag), so a text without any of them
    cannot match: the engine runs an expression only on text that holds one.
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


_SMALL_SET = 16  # a character set of more characters than this is no useful start
_EXTEND = 8  # a literal is lengthened by what follows it into at most this many strings


def _set_chars(items: list[Any]) -> set[str] | None:
    """The characters of a set of literals and ranges, when there are few."""
    from re import _constants as c  # type: ignore[attr-defined]

    chars: set[str] = set()
    for op, arg in items:
        if op is c.LITERAL:
            chars.add(chr(arg))
        elif op is c.RANGE and arg[1] - arg[0] < _SMALL_SET:
            chars.update(chr(code) for code in range(arg[0], arg[1] + 1))
        else:
            return None
    return chars if len(chars) <= _SMALL_SET else None


def _starts(items: list[Any], raw: bool = False) -> set[str] | None:
    """What every match of the sequence ``items`` contains: its leading strings, unless
    they make no filter (see _telling) and a later required item's do. ``raw``: the
    leading strings, filter or not."""
    from re import _constants as c  # type: ignore[attr-defined]

    lead = _leading(items, raw=raw)
    if raw or (lead is not None and _telling(lead)):
        return lead
    best = None
    for k in range(1, len(items)):
        if items[k][0] is c.LITERAL and items[k - 1][0] is c.LITERAL:
            continue  # inside a run of literals: its start was tried
        found = _leading(items[k:], first_only=True)
        if found and _telling(found) and (best is None or len(found) < len(best)):
            best = found
    return best


# Strings nearly every paragraph holds: as a filter they let every rule through, and a
# rule with none better is better run on every paragraph (or, if required, asked last).
_ENGLISH = ["a", "an", "and", "are", "for", "i", "in", "is", "it", "of", "on", "our", "that"]
_ENGLISH += ["the", "this", "to", "we", "you", "your"]
_JAPANESE = [
    "ます",
    "です",
    "ません",
    "ました",
    "いた",
    "でき",
    "した",
    "して",
    "いる",
    "ある",
    "こと",
]
_JAPANESE += ["もの", "ください", *"のにはをがでとてたしもおごかなるい"]
_COMMON = frozenset(_ENGLISH + _JAPANESE)
_MARKS = frozenset("@*_[{<(!?#/❗×○〇●▲△■□")


def _telling(strings: set[str]) -> bool:
    """Whether the strings make a filter: none is blank, a single letter, digit or
    punctuation mark (a few rare marks excepted), a kana particle or a word every
    paragraph has."""
    for s in strings:
        word = s.strip(" \t\n\u3000,.、。")
        if not word or word in _COMMON:
            return False
        if len(word) == 1 and word.isascii() and word not in _MARKS:
            return False
    return True


def _leading(items: list[Any], first_only: bool = False, raw: bool = False) -> set[str] | None:
    """The strings every match of ``items`` starts with (with ``first_only``: the
    strings the first item, if it must match, starts with; zero-width items are not
    skipped then, as what they look at is outside the match)."""
    from re import _constants as c  # type: ignore[attr-defined]

    if not items:
        return None
    op, arg = items[0]
    if op is c.LITERAL:
        text = chr(arg)
        rest = items[1:]
        while rest and rest[0][0] is c.LITERAL:
            text += chr(rest[0][1])
            rest = rest[1:]
        # re factors a common start out of alternatives ("をお読み|をご覧" is を, then a
        # branch): what follows, when it must match, lengthens the strings.
        if rest and rest[0][0] in (c.BRANCH, c.SUBPATTERN, c.IN, c.MAX_REPEAT, c.MIN_REPEAT):
            more = _leading(rest[:1], first_only=True, raw=True)
            if more and len(more) <= _EXTEND:
                return {text + m for m in more}
        return {text}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return None if first_only else _leading(items[1:], raw=raw)  # zero-width
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, body = arg
        return None if add_flags & re.IGNORECASE else _starts(list(body), raw)
    if op is c.BRANCH:
        found: set[str] = set()
        for branch in arg[1]:
            starts = _starts(list(branch), raw)
            if starts is None:
                return None
            found |= starts
        return found
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, body = arg
        return _starts(list(body), raw) if low >= 1 else None
    if op is c.IN:
        return _set_chars(list(arg))
    return None
