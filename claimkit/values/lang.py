"""Which language a draft is written in when the user did not say."""

from __future__ import annotations

import os
from collections.abc import Mapping

from claimkit.content.playbook import LANGS
from claimkit.errors import InputError


def check_lang(value: str, source: str) -> str:
    lang = value.strip().lower()
    if lang not in LANGS:
        raise InputError(f"{source}: unknown language {value!r}; use one of: {', '.join(LANGS)}")
    return lang


def system_lang(environ: Mapping[str, str] = os.environ) -> str:
    """ja for a Japanese locale, en for anything else (POSIX precedence of the variables)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def choose_lang(
    flag: str | None, profile_lang: str | None, environ: Mapping[str, str] = os.environ
) -> str:
    """--lang, else CLAIMKIT_LANG, else the profile, else the system locale."""
    if flag:
        return check_lang(flag, "--lang")
    if environ.get("CLAIMKIT_LANG"):
        return check_lang(environ["CLAIMKIT_LANG"], "CLAIMKIT_LANG")
    if profile_lang:
        return check_lang(profile_lang, "profile lang")
    return system_lang(environ)
