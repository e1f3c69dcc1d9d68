"""Variables from a data file (--data): one case as a YAML or JSON mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from claimkit.errors import InputError
from claimkit.files import MiB, read_text

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
