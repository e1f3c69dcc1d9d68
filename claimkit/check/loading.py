"""Rule sets: the built-in pack of a language, then team packs that override by id."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimkit.check.engine import triggers
from claimkit.check.packs import Pack, check_regex, parse_pack
from claimkit.check.rules import Rewrite, Rule, RuleSet, Scope, rule_set
from claimkit.errors import ContentError, InputError
from claimkit.files import MiB, read_text

MAX_PACK_BYTES = 2 * MiB


def builtin_pack_path(lang: str) -> Path:
    from claimkit.paths import builtin_rules

    return builtin_rules(lang)


def read_pack(path: Path, text: str | None = None) -> Pack:
    """A rule pack; its parsed rules are cached, so a draft's check skips the parsing."""
    from claimkit import cache

    if text is None:
        text = read_text(path, limit=MAX_PACK_BYTES)
    store = cache.default()
    key = cache.key("rules", "pack", str(path), text)
    found = store.get("rules", key)
    if found is not None:
        try:
            return _unpacked(found)
        except (TypeError, ValueError):
            pass  # kept by a claimkit whose Rule had other fields: parse again
    pack = cache.from_yaml(text, str(path), lambda d: parse_pack(d, str(path)))
    store.put("rules", key, _packed(pack))
    return pack


def _packed(pack: Pack) -> tuple[Any, ...]:
    """A Pack as plain data marshal can keep (Rule fields in order, records as tuples)."""
    names = Rule._fields
    rules = tuple(
        tuple(
            tuple(r.scope)
            if n == "scope"
            else tuple(tuple(w) for w in r.rewrites)
            if n == "rewrites"
            else getattr(r, n)
            for n in names
        )
        for r in pack.rules
    )
    return (pack.lang, rules, pack.disable, pack.source, pack.allow)


def _unpacked(data: Any) -> Pack:
    lang, rules, disable, source, allow = data
    names = Rule._fields
    built = []
    for values in rules:
        if len(values) != len(names):
            raise ValueError("a Rule of another shape")
        kwargs = dict(zip(names, values, strict=True))
        kwargs["scope"] = Scope(*kwargs["scope"])
        kwargs["rewrites"] = tuple(Rewrite(*w) for w in kwargs["rewrites"])
        built.append(Rule(**kwargs))
    return Pack(lang, tuple(built), tuple(disable), source, tuple(allow))


def pack_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"--rules: {folder} is not a folder")
    from claimkit.paths import confined

    found = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [confined(p, folder) for p in found]


def verify(rule: Rule, lang: str) -> None:
    """Compile the rule's expressions and run its examples: each bad one must trigger
    it, no good one may. An expression that can backtrack exponentially is refused
    here, where it is deterministic, rather than timed when it runs."""
    from claimkit.check.backtrack import nested_repeat

    def fail(message: str, key: str) -> ContentError:
        return ContentError(f"rule '{rule.id}': {message}", where=rule.where)

    for key, sources in (
        ("patterns", rule.patterns),
        ("unless", rule.unless_patterns),
        ("scope.quoted", rule.scope.quoted),
    ):
        for source in sources:
            check_regex(fail, key, source)
            risk = nested_repeat(source)
            if risk:
                raise fail(
                    f"'{key}': {source!r} can take exponential time ({risk}); "
                    "write it with bounded repeats such as {0,20} and alternatives that "
                    "start differently",
                    key,
                )
    for i, text in enumerate(rule.bad, 1):
        if not triggers(rule, text, lang):
            raise ContentError(
                f"rule '{rule.id}': examples.bad #{i} does not trigger it; "
                "fix the rule or the example",
                where=rule.where,
            )
    for i, text in enumerate(rule.good, 1):
        if triggers(rule, text, lang):
            raise ContentError(
                f"rule '{rule.id}': examples.good #{i} triggers it; fix the rule or the example",
                where=rule.where,
            )


def merge(lang: str, packs: Sequence[Pack]) -> RuleSet:
    """Packs in order of precedence, lowest first: a later rule replaces one of the same id."""
    rules: dict[str, Rule] = {}
    allow: list[str] = []
    for pack in packs:
        if pack.lang != lang:
            continue
        for rule_id in pack.disable:
            rules.pop(rule_id, None)
        for rule in pack.rules:
            rules.pop(rule.id, None)  # an override moves to the end, with its pack
            rules[rule.id] = rule
        allow += pack.allow
    return rule_set(lang, tuple(rules.values()), allow)


def load_rules(lang: str, extra: Sequence[Path] = ()) -> RuleSet:
    """The built-in pack of ``lang`` and the packs in the ``extra`` folders, examples verified.

    The examples run once per content of the packs (and of the engine that runs
    them); later runs find the verdict in the cache.
    """
    from claimkit import cache

    paths = [builtin_pack_path(lang)] + [p for folder in extra for p in pack_files(folder)]
    texts = [read_text(path, limit=MAX_PACK_BYTES) for path in paths]
    ruleset = merge(lang, [read_pack(p, t) for p, t in zip(paths, texts, strict=True)])
    key = cache.key("rules", "verified", lang, *texts)
    store = cache.default()
    if store.get("rules", key) is None:
        for rule in ruleset.rules:
            verify(rule, lang)
        store.put("rules", key, True)
    return ruleset
