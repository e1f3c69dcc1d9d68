"""Finds playbooks across the content folders; a higher folder overrides a lower one by id.

A playbook's id is its file name, so listing ids and completing them in a shell
needs no YAML parsing; only the playbooks actually used are read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from claimkit.content.fields import suggest
from claimkit.content.playbook import CommonVariables, Playbook, parse_common, parse_playbook
from claimkit.errors import ContentError, UnknownNameError
from claimkit.files import MiB, read_text
from claimkit.paths import ContentRoot, confined

T = TypeVar("T")
COMMON_FILE = "_common.yaml"
SUFFIXES = (".yaml", ".yml")
MAX_PLAYBOOK_BYTES = 1 * MiB


class Entry(NamedTuple):
    id: str
    path: Path
    root: ContentRoot


def _scan(root: ContentRoot) -> dict[str, Path]:
    found: dict[str, Path] = {}
    try:
        names = sorted(p for p in root.playbooks.iterdir() if p.suffix in SUFFIXES)
    except OSError:
        return found
    for path in names:
        if path.name.startswith(("_", ".")):
            continue
        if path.stem in found:
            raise ContentError(
                f"two playbooks named '{path.stem}' ({found[path.stem].name} and {path.name}); "
                "keep one",
                where=str(path),
            )
        found[path.stem] = path
    return found


def load_yaml_file(path: Path, build: Callable[[Any], T]) -> T:
    """``build`` applied to a content file's YAML (through the cache)."""
    from claimkit.cache import from_yaml

    return from_yaml(read_text(path, limit=MAX_PLAYBOOK_BYTES), str(path), build)


class Catalog:
    """The scenarios visible from a list of content roots (highest precedence first)."""

    def __init__(self, roots: Sequence[ContentRoot]) -> None:
        self.roots = list(roots)
        self._entries: dict[str, Entry] | None = None
        self._common: CommonVariables | None = None
        self._loaded: dict[str, Playbook] = {}

    def entries(self) -> dict[str, Entry]:
        if self._entries is None:
            entries: dict[str, Entry] = {}
            for root in reversed(self.roots):
                for pid, path in _scan(root).items():
                    entries[pid] = Entry(pid, path, root)
            self._entries = dict(sorted(entries.items()))
        return self._entries

    def ids(self) -> list[str]:
        return list(self.entries())

    def entry(self, scenario: str) -> Entry:
        entries = self.entries()
        if scenario not in entries:
            raise UnknownNameError(
                f"unknown scenario '{scenario}'{suggest(scenario, entries)}; "
                "see 'claimkit list' for the scenarios"
            )
        return entries[scenario]

    def common(self) -> CommonVariables:
        if self._common is None:
            common = CommonVariables()
            for root in reversed(self.roots):
                path = root.playbooks / COMMON_FILE
                if path.is_file():
                    confined(path, root.path)
                    own = load_yaml_file(path, partial(parse_common, file=path))
                    common = own.merged_over(common)
            self._common = common
        return self._common

    def load(self, scenario: str) -> Playbook:
        if scenario not in self._loaded:
            entry = self.entry(scenario)
            confined(entry.path, entry.root.path)
            own = load_yaml_file(
                entry.path, lambda d: parse_playbook(d, entry.path, expected_id=entry.id)
            )
            self._loaded[scenario] = self.common().around(own)
        return self._loaded[scenario]

    def load_all(self) -> list[Playbook]:
        return [self.load(pid) for pid in self.ids()]
