"""The filters a template may use, the same for a program and for Jinja."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from claimkit.values import dates


def _date(value: Any) -> str:
    """{{ callback_at|date }}: the day alone, as the letter writes it."""
    if isinstance(value, dates.LetterDateTime):
        return str(value.letter_date())
    return str(value)


def _time(value: Any) -> str:
    """{{ callback_at|time }}: the time of day alone, as the letter writes it."""
    if isinstance(value, dates.LetterDateTime):
        return value.letter_time()
    return str(value)


def _name_parts(value: Any) -> tuple[list[str], bool]:
    """A name's words, and whether it is written family name first (Japanese, Chinese,
    Korean script) rather than last."""
    text = str(value)
    east = any(
        "\u3040" <= c <= "\ud7af" or "\uf900" <= c <= "\uffef" or c >= "\U00020000" for c in text
    )
    return text.replace("\u3000", " ").split(), east


def _surname(value: Any) -> str:
    """{{ customer_name|surname }}: 山田 太郎 -> 山田, Alex Morgan -> Morgan; one word whole."""
    words, east = _name_parts(value)
    if len(words) < 2:
        return " ".join(words)
    return words[0] if east else words[-1]


def _given_name(value: Any) -> str:
    """{{ customer_name|given_name }}: 山田 太郎 -> 太郎, Alex Morgan -> Alex; one word whole."""
    words, east = _name_parts(value)
    if len(words) < 2:
        return " ".join(words)
    return " ".join(words[1:] if east else words[:-1])


FILTERS: dict[str, Callable[[Any], Any]] = {
    "date": _date,
    "time": _time,
    "surname": _surname,
    "given_name": _given_name,
}
