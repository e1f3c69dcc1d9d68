"""Rule sets: the built-in pack of a language, then team packs that override by id."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from claimkit.check.engine import triggers
from claimkit.check.rules import Pack, Rule, RuleSet, check_regex, parse_pack
from claimkit.errors import ContentError, InputError
from claimkit.files import MiB, read_text

MAX_PACK_BYTES = 2 * MiB


def builtin_pack_path(lang: str) -> Path:
    return Path(str(files("claimkit") / "rules" / f"{lang}.yaml"))


def read_pack(path: Path, text: str | None = None) -> Pack:
    from claimkit.cache import from_yaml

    if text is None:
        text = read_text(path, limit=MAX_PACK_BYTES)
    return from_yaml(text, str(path), lambda d: parse_pack(d, str(path)))


def pack_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"--rules: {folder} is not a folder")
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def verify(rule: Rule, lang: str) -> None:
    """Compile the rule's expressions and run its examples: each bad one must trigger
    it, no good one may."""

    def fail(message: str, key: str) -> ContentError:
        return ContentError(f"rule '{rule.id}': {message}", where=rule.where)

    for key, sources in (
        ("patterns", rule.patterns),
        ("unless", rule.unless_patterns),
        ("scope.quoted", rule.scope.quoted),
    ):
        for source in sources:
            check_regex(fail, key, source)
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
    for pack in packs:
        if pack.lang != lang:
            continue
        for rule_id in pack.disable:
            rules.pop(rule_id, None)
        for rule in pack.rules:
            rules.pop(rule.id, None)  # an override moves to the end, with its pack
            rules[rule.id] = rule
    return RuleSet(lang, tuple(rules.values()))


def load_rules(lang: str, extra: Sequence[Path] = ()) -> RuleSet:
    """The built-in pack of ``lang`` and the packs in the ``extra`` folders, examples verified.

    The examples run once per content of the packs (and of the engine that runs
    them); later runs find the verdict in the cache.
    """
    from claimkit import cache

    paths = [builtin_pack_path(lang)] + [p for folder in extra for p in pack_files(folder)]
    texts = [read_text(path, limit=MAX_PACK_BYTES) for path in paths]
    ruleset = merge(lang, [read_pack(p, t) for p, t in zip(paths, texts, strict=True)])
    key = cache.digest("verified", lang, _engine_source(), *texts)
    store = cache.default()
    if store.get("verified", key) is None:
        for rule in ruleset.rules:
            verify(rule, lang)
        store.put("verified", key, True)
    return ruleset


def _engine_source() -> bytes:
    """The code that decides what a rule matches: a change to it re-runs the examples."""
    from claimkit.check import engine, rules, text

    return b"".join(Path(m.__file__).read_bytes() for m in (engine, rules, text) if m.__file__)
