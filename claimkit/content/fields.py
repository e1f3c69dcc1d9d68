"""Typed access to a YAML mapping, with errors that point at the file and line.

Playbooks, common variables and rule packs are all read through ``Fields``, so a
team lead gets the same kind of message for the same kind of mistake anywhere:
what is wrong, where, and (for a typo) the key or value they probably meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from claimkit.errors import ContentError


class YDict(dict[Any, Any]):
    """A YAML mapping with the line of the mapping and of each key."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YList(list[Any]):
    """A YAML sequence with the line of the sequence and of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default) or default


def suggest(name: str, known: Iterable[str]) -> str:
    import difflib  # only when something is misspelt: it costs every run 2 ms to import

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Fields:
    """One mapping of a YAML file; ``what`` names it in messages ("step 'call'")."""

    def __init__(self, data: Any, file: str, what: str, line: int = 0) -> None:
        self.file = file
        self.what = what
        if not isinstance(data, dict):
            raise ContentError(f"{what} must be a mapping of keys to values", where=self._at(line))
        self.data: dict[Any, Any] = data
        self.line = line_of(data, line)

    def _at(self, line: int) -> str:
        return f"{self.file}:{line}" if line else self.file

    def at(self, key: str | None = None) -> str:
        """file:line of ``key`` (or of the mapping), as precise as the YAML allows."""
        if key is not None and isinstance(self.data, YDict):
            return self._at(self.data.line_of(key))
        return self._at(self.line)

    def line_of(self, key: str) -> int:
        return self.data.line_of(key) if isinstance(self.data, YDict) else self.line

    def fail(self, message: str, key: str | None = None) -> ContentError:
        return ContentError(f"{self.what}: {message}", where=self.at(key))

    def only(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                raise self.fail(
                    f"unknown key '{key}'{suggest(str(key), allowed)}; "
                    f"allowed: {', '.join(allowed)}",
                    str(key),
                )

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def string(self, key: str, *, pattern: re.Pattern[str] | None = None, hint: str = "") -> str:
        if not self.has(key):
            raise self.fail(f"'{key}' is required{hint}")
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{key}' must be a non-empty string", key)
        if pattern and not pattern.match(value):
            raise self.fail(f"'{key}' {value!r} is not valid{hint}", key)
        return value

    def optional_string(self, key: str, **kw: Any) -> str | None:
        return self.string(key, **kw) if self.has(key) else None

    def strings(self, key: str) -> list[str]:
        """A list of non-empty strings; one string stands for a list of one."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f"'{key}' must be a list of strings", key)
        return list(value)

    def one_of(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        if not self.has(key):
            if default is not None:
                return default
            raise self.fail(f"'{key}' is required; one of: {', '.join(options)}")
        value = self.data[key]
        if value not in options:
            raise self.fail(
                f"'{key}' must be one of: {', '.join(options)}, not {value!r}"
                f"{suggest(str(value), options)}",
                key,
            )
        return str(value)

    def boolean(self, key: str, default: bool) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false", key)
        return value

    def items(self, key: str) -> list[tuple[Any, int]]:
        """The items of a list, each with its line."""
        if not self.has(key):
            return []
        value = self.data[key]
        if not isinstance(value, list):
            raise self.fail(f"'{key}' must be a list", key)
        return [
            (item, value.line_of(i) if isinstance(value, YList) else self.line)
            for i, item in enumerate(value)
        ]
