"""Rule packs: YAML files of rules, one pack per language, that a team lead can extend.

A pack is read into Rule records (see claimkit.check.rules); what the YAML can say
that the engine does not run as such is compiled here: ``near`` into patterns,
``{date}`` into the language's date expression. Literal ``tokens`` are matched on
the width-folded text (write them as you like); ``patterns`` are regular
expressions matched on that folded text, so write ASCII letters and digits
half-width and kana full-width in them.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
import re
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from claimkit.check.rules import (
    CHECKS,
    KINDS,
    MEASURES,
    SEVERITIES,
    UNITS,
    Rewrite,
    Rule,
    Scope,
    match_starts,
    needles,
)
from claimkit.check.text import fold, lower
from claimkit.content.fields import Fields
from claimkit.errors import ContentError

# Text, not compiled: only parsing a pack (not reading one from the cache) needs it.
_ID = r"^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$"
NEAR_WITHIN = 15  # characters between two words of a ``near`` entry, unless it says


def check_regex(fail: Callable[[str, str], Exception], key: str, source: str) -> None:
    """A clear error for an expression that does not compile (run when a pack is verified)."""
    try:
        re.compile(source)
    except re.error as e:
        raise fail(f"'{key}': bad regular expression {source!r}: {e}", key) from None


def _check_case(fields: Fields, key: str, source: str, ignorecase: bool) -> None:
    # Case-insensitive rules see the text in lower case (see rules.literal_matcher).
    letters = re.sub(r"\\.|\(\?P<[^>]*>|\(\?P=[^)]*\)", "", source)
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
    "near",
    "swap",
    "rewrite",
    "check",
    "unit",
    "measure",
    "max",
    "unless",
    "unless_sentence",
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
    patterns += _near(r, lang, ignorecase)
    plain_tokens = needles(tokens, ignorecase)
    swaps = _swaps(r, ignorecase)
    rewrites = _rewrites(r, ignorecase)
    if kind == "substitution":
        if not (swaps or rewrites):
            raise r.fail("a substitution rule needs 'swap' or 'rewrite'", "kind")
        if plain_tokens or patterns:
            raise r.fail(
                "a substitution rule finds its wrong forms with 'swap' or 'rewrite', "
                "not 'tokens' or 'patterns'",
                "kind",
            )
        plain_tokens = needles(dict(swaps), ignorecase)
    elif swaps or rewrites:
        raise r.fail("'swap' and 'rewrite' belong to a substitution rule", "kind")
    check = ""
    if kind == "date":
        check = r.one_of("check", CHECKS)
        patterns = _date_patterns(r, patterns, lang, weekday=check == "weekday")
        plain_tokens = ()
    elif r.has("check"):
        raise r.fail("'check' belongs to a date rule", "check")
    matches = bool(plain_tokens or patterns or rewrites)
    if kind in ("existence", "required", "repetition") and not matches:
        raise r.fail(f"a {kind} rule needs 'tokens', 'patterns' or 'near'", "kind")
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
    unless_sentence = r.strings("unless_sentence")
    for key, sources in (("unless", unless_patterns), ("unless_sentence", unless_sentence)):
        for p in sources:
            _check_case(r, key, p, ignorecase)
    if unless_sentence and kind not in ("existence", "substitution"):
        raise r.fail("'unless_sentence' belongs to an existence or substitution rule")
    ex = Fields(r.raw("examples") or {}, file, f"rule '{rule_id}' examples", r.line_of("examples"))
    ex.only(["good", "bad", "today"])
    good, bad = ex.strings("good"), ex.strings("bad")
    if not bad:
        raise r.fail("give examples.bad: texts the rule must catch", "examples")
    if not good:
        raise r.fail("give examples.good: texts the rule must leave alone", "examples")
    today = _today(ex, needed=check == "past")
    finders = patterns + [w.pattern for w in rewrites]
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
        rewrites=rewrites,
        unit=unit,
        measure=measure,
        max=maximum,
        unless_patterns=tuple(unless_patterns),
        unless_sentence=tuple(unless_sentence),
        check=check,
        starts=match_starts(finders) if finders else None,
        suggestion=_unfold(r.optional_string("suggestion"), lang),
        good=tuple(good),
        bad=tuple(bad),
        today=today,
        where=r.at("id"),
    )


def _swaps(r: Fields, ignorecase: bool) -> tuple[tuple[str, str], ...]:
    raw = r.raw("swap")
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise r.fail("'swap' must map each wrong form to the right one", "swap")
    found = {fold(k)[0]: v for k, v in raw.items()}
    if ignorecase:
        found = {lower(k): v for k, v in found.items()}
    return tuple(sorted(found.items()))


def _rewrites(r: Fields, ignorecase: bool) -> tuple[Rewrite, ...]:
    """``rewrite``: an expression for the wrong forms and the right form made of its
    named groups, each optionally put through a map (an ending: られた → った)."""
    found: list[Rewrite] = []
    for item, line in r.items("rewrite"):
        w = Fields(item, r.file, f"{r.what} rewrite", line)
        w.only(["pattern", "to", "map"])
        pattern, to = w.string("pattern"), w.string("to")
        _check_case(w, "pattern", pattern, ignorecase)
        try:
            groups = set(re.compile(pattern).groupindex)
        except re.error as e:
            raise w.fail(f"'pattern': bad regular expression {pattern!r}: {e}", "pattern") from None
        used = set(re.findall(r"\{(\w+)\}", to))
        if not used <= groups:
            missing = ", ".join(sorted(used - groups))
            raise w.fail(f"'to' names groups the pattern does not have: {missing}", "to")
        maps: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        raw_map = w.raw("map") or {}
        if not isinstance(raw_map, dict):
            raise w.fail("'map' must map a group's name to a table of its values", "map")
        for name, table in raw_map.items():
            if name not in groups or not isinstance(table, dict):
                raise w.fail(f"'map': {name!r} is not a group of the pattern with a table", "map")
            maps.append((str(name), tuple((str(k), str(v)) for k, v in table.items())))
        found.append(Rewrite(pattern=pattern, to=to, maps=tuple(maps)))
    return tuple(found)


def _near(r: Fields, lang: str, ignorecase: bool) -> list[str]:
    """``near``: words of one list, then within a few characters words of the next
    (in the same sentence), compiled into one pattern per entry."""
    found: list[str] = []
    for item, line in r.items("near"):
        n = Fields(item, r.file, f"{r.what} near", line)
        n.only(["words", "within", "stop"])
        lists = n.raw("words")
        if (
            not isinstance(lists, list)
            or len(lists) < 2
            or not all(
                isinstance(w, list) and w and all(isinstance(x, str) and x for x in w)
                for w in lists
            )
        ):
            raise n.fail(
                "'words' must be two or more lists of words, in the order they come", "words"
            )
        within = n.raw("within")
        if within is None:
            within = NEAR_WITHIN
        if not isinstance(within, int) or isinstance(within, bool) or not 0 <= within <= 80:
            raise n.fail("'within' must be a whole number of characters, at most 80", "within")
        stop = needles(n.strings("stop"), ignorecase)
        found.append(near_pattern([needles(w, ignorecase) for w in lists], within, stop, lang))
    return found


def near_pattern(
    lists: list[tuple[str, ...]], within: int, stop: tuple[str, ...], lang: str
) -> str:
    """The expression for words of each list in turn, at most ``within`` characters
    apart, none of the ``stop`` words nor a sentence end between them."""
    ends = "。!?" if lang == "ja" else ".!?"
    step = f"(?!{_words(stop)})[^{ends}]" if stop else f"[^{ends}]"
    if lang == "en":  # "p.m." and "a.m." do not end the sentence
        step = f"(?:{step}|(?<=[ap])\\.m\\.)"
    gap = f"(?:{step}){{0,{within}}}?"
    return gap.join(_words(w) for w in lists)


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _words(words: tuple[str, ...]) -> str:
    """An alternation of words, longest first, bounded where a word begins or ends with
    an ASCII letter or digit (as tokens are). Words alike share one bound around their
    alternation: a look-behind inside each alternative keeps ``re`` from skipping ahead
    to the words' first letters, and made a search ten times slower."""
    groups: dict[tuple[bool, bool], list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        groups.setdefault((_is_word(w[0]), _is_word(w[-1])), []).append(re.escape(w))
    parts = []
    for (before, after), alike in groups.items():
        part = "(?:" + "|".join(alike) + ")"
        if before:
            part = "(?<![A-Za-z0-9])" + part
        if after:
            part += "(?![A-Za-z0-9])"
        parts.append(part)
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _date_patterns(r: Fields, patterns: list[str], lang: str, weekday: bool) -> list[str]:
    from claimkit.check.dates import MACRO, expand

    if not patterns:
        patterns = [MACRO]
    for p in patterns:
        if p.count(MACRO) != 1:
            raise r.fail(f"each pattern of a date rule holds {MACRO} once: {p!r}", "patterns")
    return [expand(p, lang, weekday) for p in patterns]


def _today(ex: Fields, needed: bool) -> str:
    raw = ex.raw("today")
    if raw is None:
        if needed:
            raise ex.fail("give 'today': the date the examples are checked on (2026-11-23)")
        return ""
    try:
        return (raw if isinstance(raw, date) else date.fromisoformat(str(raw))).isoformat()
    except ValueError:
        raise ex.fail(f"'today' must be a date such as 2026-11-23, not {raw!r}", "today") from None


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
    allow: tuple[str, ...] = ()  # phrases no rule reads: a team's own names and terms


def parse_pack(data: Any, where: str) -> Pack:
    r = Fields(data, where, "rule pack", 1)
    r.only(["lang", "rules", "disable", "allow"])
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
    return Pack(
        lang=lang,
        rules=tuple(rules),
        disable=tuple(r.strings("disable")),
        source=where,
        allow=tuple(r.strings("allow")),
    )
