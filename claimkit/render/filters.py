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


FILTERS: dict[str, Callable[[Any], Any]] = {"date": _date, "time": _time}
