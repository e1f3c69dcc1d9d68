"""The customer's own words: their mail without the history it quotes or their signature.

What is left out, where it can be told apart (and nothing else):

- Everything from the first header of a quoted or forwarded message on:
  ``-----Original Message-----``, ``-----元のメッセージ-----``, ``---------- Forwarded
  message ---------``, ``Begin forwarded message:``, and Outlook's block of
  ``From:``/``差出人:`` followed within three lines by ``Sent:``/``Date:``/``送信日時:``
  (with the line of underscores above it, if any).
- Everything from a signature separator on: a line that is ``-- `` (or ``--``, as
  clients that strip trailing spaces leave it).
- Lines quoted with ``>``, wherever they are (an answer written between quoted
  lines keeps the answer), and the attribution line before a quote:
  ``On ... wrote:`` (Gmail cuts it over two lines), ``2026年12月1日(火) 10:00 山田 <...>:``,
  ``2026/12/01 10:00, ... wrote:``, ``... さんは書きました:``. Such a line counts only
  when what follows it (after blank lines) is quoted or nothing: a sentence of the
  customer's that happens to start with a date and end with a colon stays.
- A trailing signature framed by a rule (``━━━━``, ``-----``, ``＝＝＝``, ``■□■□``...)
  when what follows the rule is at most twelve lines and holds contact details
  (a phone number, a mail address, a URL, 〒), and the lines phones add (``Sent from my iPhone``,
  ``iPhoneから送信``).

If nothing is left (a forward without a word of their own), the whole text is the
customer's: the complaint is what they forwarded.
"""

from __future__ import annotations

import re

_HISTORY = re.compile(
    r"\s*(?:-{2,}\s*(?:original message|元のメッセージ|オリジナル\s*メッセージ|forwarded message"
    r"|転送(?:された)?メッセージ|転送メール)\s*-{2,}"
    r"|begin forwarded message\s*:|転送されたメッセージ\s*[:：])\s*",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"\s*\**(?:from|差出人|送信者)\**\s*[:：]", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"\s*\**(?:sent|date|送信日時|日時|日付)\**\s*[:：]", re.IGNORECASE)
_UNDERSCORES = re.compile(r"\s*_{8,}\s*")
_SIGNATURE = re.compile(r"-- ?")
_QUOTED = re.compile(r"\s{0,3}>")
_ATTRIBUTION = re.compile(
    r"\s*(?:on\s.{0,300}\bwrote\s*:"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日.{0,300}[:：]"
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}.{0,300}(?:wrote\s*:|[:：])"
    r"|.{0,300}(?:は|が)書きました\s*[:：]?"
    r"|.{0,300}\bwrote\s*:)\s*",
    re.IGNORECASE,
)
_ON = re.compile(r"\s*on\s", re.IGNORECASE)
_RULE = re.compile(r"\s*(?:[-=_*~#＝－ー─━—―■□◆◇●○☆★※・+]\s*){6,}")
# Contact details, not words about them: "電話は夜だけ" in a complaint is no signature.
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|https?://|www\.|〒"
    r"|\d{2,5}[-‐－ー(（)）]\d{1,4}[-‐－ー)）]\d{3,4}|\+\d{1,3}[ -]?\d"
)
_PHONE_FOOTER = re.compile(
    r"\s*(?:sent from my \S.*|sent from (?:mail|outlook) for \S.*|get outlook for \S.*"
    r"|(?:iphone|ipad|android|outlook|xperia|galaxy|aquos)\S*\s*(?:から送信|より送信).*)",
    re.IGNORECASE,
)
_SIGNATURE_LINES = 12
_SIGNATURE_SEARCH = 15


def own_words(text: str) -> str:
    """``text`` (with ``\\n`` line ends) without quoted history and signature (see the module)."""
    lines = text.split("\n")
    lines = lines[: _history_start(lines)]
    lines = [line for line in _unquoted(lines) if not _PHONE_FOOTER.fullmatch(line)]
    lines = lines[: _ruled_signature(lines)]
    words = _tidy(lines)
    return words or _tidy(text.split("\n"))


def _history_start(lines: list[str]) -> int:
    for i, line in enumerate(lines):
        if _HISTORY.fullmatch(line):
            return i
        if i and _SIGNATURE.fullmatch(line):
            return i
        if _OUTLOOK_FROM.match(line) and any(
            _OUTLOOK_SENT.match(after) for after in lines[i + 1 : i + 4]
        ):
            above = i - 1
            while above >= 0 and not lines[above].strip():
                above -= 1
            return above if above >= 0 and _UNDERSCORES.fullmatch(lines[above]) else i
    return len(lines)


def _unquoted(lines: list[str]) -> list[str]:
    keep: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _QUOTED.match(line):
            i += 1
            continue
        span = _attribution(lines, i)
        if span and _quote_or_nothing_after(lines, i + span):
            i += span
            continue
        keep.append(line)
        i += 1
    return keep


def _attribution(lines: list[str], i: int) -> int:
    """How many lines the attribution starting at ``i`` takes: 0, 1, or 2 (Gmail cut it)."""
    if _ATTRIBUTION.fullmatch(lines[i]):
        return 1
    if (
        i + 1 < len(lines)
        and _ON.match(lines[i])
        and _ATTRIBUTION.fullmatch(lines[i] + " " + lines[i + 1])
    ):
        return 2
    return 0


def _quote_or_nothing_after(lines: list[str], i: int) -> bool:
    for line in lines[i:]:
        if line.strip():
            return bool(_QUOTED.match(line))
    return True


def _ruled_signature(lines: list[str]) -> int:
    """Where a trailing signature framed by a rule starts, or the end."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for i in filled[-_SIGNATURE_SEARCH:]:
        if not _RULE.fullmatch(lines[i]):
            continue
        rest = [lines[j] for j in filled if j > i]
        if len(rest) <= _SIGNATURE_LINES and any(_CONTACT.search(line) for line in rest):
            return i
    return len(lines)


def _tidy(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
