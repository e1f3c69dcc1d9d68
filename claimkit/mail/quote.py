"""The customer's words quoted below a reply, after a line saying who wrote them and when."""

from __future__ import annotations

from claimkit.mail.read import Complaint
from claimkit.values.dates import WEEKDAYS_JA

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Honorifics a Japanese name may already carry: another 様 after them would be doubled.
_HONORIFICS = ("様", "さま", "殿", "御中", "各位")


def attribution(complaint: Complaint, lang: str) -> str:
    """The line above the quoted words, in the reply's language.

    ``2026年12月4日(金) 9:12 山田 太郎 様:`` or
    ``On Fri, Dec 4, 2026 at 9:12 AM, Taro Yamada wrote:``.
    The name is the display name, else the address; the date is left out when the
    mail had none. Month and day names are written out here, never by the locale.
    """
    who = complaint.name or complaint.address
    when = complaint.received
    if lang == "ja":
        if not who.endswith(_HONORIFICS):
            who += " 様"
        if when is None:
            return f"{who}:"
        day = f"{when.year}年{when.month}月{when.day}日({WEEKDAYS_JA[when.weekday()]})"
        return f"{day} {when.hour}:{when.minute:02d} {who}:"
    if when is None:
        return f"{who} wrote:"
    hour = when.hour % 12 or 12
    day = f"{_WEEKDAYS_EN[when.weekday()]}, {_MONTHS_EN[when.month - 1]} {when.day}, {when.year}"
    return f"On {day} at {hour}:{when.minute:02d} {'AM' if when.hour < 12 else 'PM'}, {who} wrote:"


def quoted_below(body: str, quoted: str) -> str:
    """A reply with the quoted words below it and its signature, as Japanese business
    mail and Outlook put them."""
    return body + "\n" + quoted + "\n"


def quote(text: str) -> str:
    """Every line of ``text`` quoted: ``> `` before it, ``>`` alone on a blank line."""
    return "\n".join(
        (">" + line) if line.startswith(">") else ("> " + line) if line.strip() else ">"
        for line in text.split("\n")
    )


def quoted_reply(complaint: Complaint, lang: str) -> str:
    """The attribution line and the customer's own words quoted: what goes below a reply."""
    return attribution(complaint, lang) + "\n" + quote(complaint.text)
