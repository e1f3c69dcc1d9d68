"""A value as it reads in its sentence: shown in place for a prompt, and warned about when it
repeats the words around its slot ("we now we no longer…", "…とのことのとのこと")."""

from __future__ import annotations

import re

# As text for re's functions, which compile each on first use: a draft with no prompt
# and no English value needs neither.
_WORD = r"[A-Za-z0-9']+"
_CLAUSE_END = r"[。．.!?！？:：]\s*"
_CONTEXT = 24  # characters of the sentence shown on each side of a slot


def in_context(before: str, value: str, after: str) -> str:
    """``value`` in the clause it lands in: "…we now {value}."."""
    head = re.split(_CLAUSE_END, before)[-1]
    tail = after
    end = re.search(_CLAUSE_END, after)
    if end:
        tail = after[: end.end()].rstrip()
    if len(head) > _CONTEXT:
        kept = head[-_CONTEXT:]
        space = kept.find(" ")  # English: whole words ("…you for", never "…hank you")
        if head[-_CONTEXT - 1] != " " and 0 <= space < len(kept) - 1:
            kept = kept[space + 1 :]
        head = "…" + kept
    if len(tail) > _CONTEXT:
        kept = tail[:_CONTEXT]
        space = kept.rfind(" ")
        if tail[_CONTEXT] != " " and space > 0:
            kept = kept[:space]
        tail = kept + "…"
    return f"{head}{value}{tail}".strip()


def echo(before: str, value: str, after: str, lang: str) -> str | None:
    """The words ``value`` repeats from right before or after its slot, if any."""
    text = value.strip()
    if not text:
        return None
    if lang == "ja":
        near_before = before.rstrip("、，,。 　")  # the punctuation between is not the words
        near_after = after.lstrip("、，,。 　")
        for n in range(min(len(text), 8), 1, -1):  # two characters or more
            if near_after.startswith(text[-n:]):
                return text[-n:]
            if near_before.endswith(text[:n]):
                return text[:n]
        return None
    words: list[str] = [w.lower() for w in re.findall(_WORD, text)]
    ahead: list[str] = [w.lower() for w in re.findall(_WORD, before)][-2:]
    behind: list[str] = [w.lower() for w in re.findall(_WORD, after)][:1]
    if words and words[0] in ahead:
        return words[0]
    if words and behind and words[-1] == behind[0]:
        return words[-1]
    return None
