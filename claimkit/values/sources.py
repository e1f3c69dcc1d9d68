"""The values a user gives: a data file (--data, one case as YAML or JSON) and --set."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from claimkit.errors import InputError
from claimkit.files import MiB, read_text
from claimkit.values.resolve import Sources

MAX_DATA_BYTES = 10 * MiB


def parse_data(text: str, where: str, *, suffix: str = "") -> dict[str, Any]:
    """JSON when the file says so (by name or by its first character), YAML otherwise."""
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip().startswith("{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(
                f"malformed JSON: {e.msg}", where=f"{where}:{e.lineno}:{e.colno}"
            ) from None
        except RecursionError:
            raise InputError("malformed JSON: nested too deeply", where=where) from None
    else:
        from claimkit.content.yamldoc import parse_yaml

        data = parse_yaml(text, where, error=InputError)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            "a data file holds one case: a mapping of variable names to values", where=where
        )
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        raise InputError(f"variable names must be text, not {bad[0]!r}", where=where)
    return dict(data)


def read_data(path: Path) -> dict[str, Any]:
    where = "<stdin>" if str(path) == "-" else str(path)
    return parse_data(read_text(path, limit=MAX_DATA_BYTES), where, suffix=path.suffix.lower())


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``--set NAME=VALUE`` items; the value may itself contain ``=``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InputError(
                f"--set {item!r}: write it as NAME=VALUE, e.g. --set customer_name=山田太郎"
            )
        out[name] = value
    return out


def sources_from(
    profile: Mapping[str, Any],
    profile_path: Path,
    data: str | None,
    assignments: Sequence[str],
    example: bool,
) -> Sources:
    """The layers of values a draft starts from: the profile, --data and --set; and the
    business calendar where the profile sets one (else weekdays 9-18, Japan's holidays)."""
    calendar = None
    if CALENDAR_KEYS.intersection(profile):
        from claimkit.values.business import calendar_from_profile

        calendar = calendar_from_profile(profile, where=str(profile_path))
    return Sources(
        profile=profile,
        profile_name=str(profile_path),
        data=read_data(Path(data)) if data is not None else {},
        data_name=data if data is not None else "--data",
        overrides=parse_assignments(list(assignments)),
        example=example,
        calendar=calendar,
    )


# The profile keys of claimkit.values.business: only a profile that has one pays for it.
CALENDAR_KEYS = frozenset({"timezone", "work_hours", "work_days", "holidays", "closed_days"})
