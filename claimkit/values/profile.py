"""The user's profile: who they are and where they work, so drafts need fewer prompts.

Stored as YAML in the user config folder. Its keys are variable names (the
sender variables of playbooks/_common.yaml, or any other a team wants to fix
for everyone), plus ``lang``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from claimkit.errors import ContentError, OutputError
from claimkit.files import MiB, read_text, write_atomic

MAX_PROFILE_BYTES = 1 * MiB


def load_profile(path: Path) -> dict[str, Any]:
    try:
        if not path.is_file():
            return {}
    except OSError:  # a name too long: there is no profile there
        return {}
    from claimkit.cache import from_yaml

    return from_yaml(
        read_text(path, limit=MAX_PROFILE_BYTES), str(path), lambda d: _profile(d, path)
    )


def _profile(data: Any, path: Path) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ContentError("a profile must be a mapping of names to values", where=str(path))
    return dict(data)


def save_profile(path: Path, values: dict[str, Any]) -> None:
    import yaml

    header = "# claimkit profile: written by 'claimkit init'; edit freely.\n"
    text = yaml.safe_dump(
        {k: v for k, v in values.items() if v not in (None, "")},
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(
            f"cannot create the config folder: {e.strerror or e}", where=str(path.parent)
        ) from None
    write_atomic(path, (header + text).encode("utf-8"), force=True)
