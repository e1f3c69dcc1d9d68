"""Rule sets: the built-in pack of a language, then team packs that override by id."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from claimkit.check.engine import triggers
from claimkit.check.rules import Pack, Rule, RuleSet, parse_pack
from claimkit.errors import ContentError, InputError
from claimkit.files import MiB, read_text

MAX_PACK_BYTES = 2 * MiB


def builtin_pack_path(lang: str) -> Path:
    return Path(str(files("claimkit") / "rules" / f"{lang}.yaml"))


def read_pack(path: Path) -> Pack:
    from claimkit.yamlfile import parse_yaml

    return parse_pack(parse_yaml(read_text(path, limit=MAX_PACK_BYTES), str(path)), str(path))


def pack_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"--rules: {folder} is not a folder")
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def verify(rule: Rule, lang: str) -> None:
    """Run the rule's examples: each bad one must trigger it, no good one may."""
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
    """The built-in pack of ``lang`` and the packs in the ``extra`` folders, examples verified."""
    packs = [read_pack(builtin_pack_path(lang))]
    for folder in extra:
        packs += [read_pack(p) for p in pack_files(folder)]
    ruleset = merge(lang, packs)
    for rule in ruleset.rules:
        verify(rule, lang)
    return ruleset
