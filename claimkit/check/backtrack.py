"""Regular expressions that can take exponential time, found before they run.

Python's ``re`` backtracks: a repeat that can split the same text in many ways,
such as ``(a|aa)+$`` or ``(a+)+$``, takes time exponential in the length of the
text it fails on (41 characters took 76 s). A rule pack is refused when one of
its expressions has a repeat whose body holds another repeat, or alternatives
that can begin with the same character (or match nothing): the two shapes that
make those many ways. The test reads the expression's syntax tree, so it is
deterministic; it is stricter than needed (``(?:ab|ac)+`` is refused though it is
harmless after ``re`` factors the ``a`` out, so it passes), never laxer for these
shapes. Lookarounds are left out: ``re`` runs them atomically.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Characters a first-character set is sampled on: enough of each class the rules use
# (ASCII, spaces, full-width forms, kana, kanji) to see two alternatives overlap.
_SAMPLE_BASE = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "\n\t\u3000、。「」（）！？ー〜あいうかきくさしすたちつなにのはまみもやらりるれわをんア"
    + "イウカキクサシスタチツナニハマミャュョラリルレワンー一二三人日月火水木金土年時分様円"
    + "申訳詫御ご無理対応確認電話連絡０１Ａａ①"
)


def nested_repeat(source: str) -> str | None:
    """Why ``source`` may take exponential time, or None when it cannot in that way."""
    from re import _parser  # type: ignore[attr-defined]

    try:
        tree = _parser.parse(source)
    except re.error:
        return None  # reported as a bad expression elsewhere
    sample = _SAMPLE_BASE + "".join(_literals(list(tree)))
    return _walk(list(tree), False, sample)


def _literals(items: list[Any]) -> list[str]:
    from re import _constants as c  # type: ignore[attr-defined]

    found: list[str] = []
    for op, arg in items:
        if op is c.LITERAL or op is c.NOT_LITERAL:
            found.append(chr(arg))
        elif op is c.IN:
            for o, a in arg:
                if o is c.LITERAL:
                    found.append(chr(a))
                elif o is c.RANGE:
                    found += [chr(a[0]), chr(a[1])]
        for body in _bodies(op, arg):
            found += _literals(body)
    return found


def _bodies(op: Any, arg: Any) -> list[list[Any]]:
    """The sub-expressions of one item, lookarounds included."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return [list(arg[2])]
    if op is c.SUBPATTERN:
        return [list(arg[3])]
    if op is c.BRANCH:
        return [list(b) for b in arg[1]]
    if op in (c.ASSERT, c.ASSERT_NOT):
        return [list(arg[1])]
    if op is c.ATOMIC_GROUP:
        return [list(arg)]
    if op is c.GROUPREF_EXISTS:
        return [list(b) for b in arg[1:] if b is not None]
    return []


def _walk(items: list[Any], in_repeat: bool, sample: str) -> str | None:
    from re import _constants as c  # type: ignore[attr-defined]

    for op, arg in items:
        if op in (c.ASSERT, c.ASSERT_NOT):
            # Run atomically, each time on its own: a repeat inside is not nested here.
            found = _walk(list(arg[1]), False, sample)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            _low, high, body = arg
            repeats = high > 1 and op is not c.POSSESSIVE_REPEAT
            if repeats and in_repeat:
                return "a repeat inside a repeat (nested quantifiers)"
            found = _walk(list(body), in_repeat or repeats, sample)
        elif op is c.BRANCH and in_repeat:
            branches = [list(b) for b in arg[1]]
            if _overlap(branches, sample):
                return "alternatives inside a repeat that can match the same text"
            found = None
            for b in branches:
                found = found or _walk(b, True, sample)
        elif op is c.ATOMIC_GROUP:
            found = _walk(list(arg), False, sample)  # never backtracked into
        else:
            found = None
            for body in _bodies(op, arg):
                found = found or _walk(body, in_repeat, sample)
        if found:
            return found
    return None


def _overlap(branches: list[list[Any]], sample: str) -> bool:
    """Whether two alternatives can start the same way (or one can match nothing)."""
    firsts = []
    for branch in branches:
        first = _first(branch, sample)
        if first is None:  # can match the empty string
            return True
        firsts.append(first)
    for i, a in enumerate(firsts):
        for b in firsts[i + 1 :]:
            if a & b:
                return True
    return False


def _first(items: list[Any], sample: str) -> frozenset[str] | None:
    """The sample characters a match of ``items`` can start with; None if it can be empty."""
    from re import _constants as c  # type: ignore[attr-defined]

    found: set[str] = set()
    for op, arg in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _high, body = arg
            inner = _first(list(body), sample)
            if inner is None:
                continue
            found |= inner
            if low == 0:
                continue
            return frozenset(found)
        if op is c.SUBPATTERN or op is c.ATOMIC_GROUP:
            body = list(arg[3]) if op is c.SUBPATTERN else list(arg)
            inner = _first(body, sample)
            if inner is None:
                continue
            return frozenset(found | inner)
        if op is c.BRANCH:
            empty = False
            for b in arg[1]:
                inner = _first(list(b), sample)
                if inner is None:
                    empty = True
                else:
                    found |= inner
            if empty:
                continue
            return frozenset(found)
        return frozenset(found | {ch for ch in sample if _matches(op, arg, ch)})
    return None


def _matches(op: Any, arg: Any, ch: str) -> bool:
    """Whether one character item of the tree matches ``ch`` (unknown items: yes)."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.LITERAL:
        return ch == chr(arg)
    if op is c.NOT_LITERAL:
        return ch != chr(arg)
    if op is c.ANY:
        return ch != "\n"
    if op is c.IN:
        negate = False
        hit = False
        for o, a in arg:
            if o is c.NEGATE:
                negate = True
            elif o is c.LITERAL:
                hit = hit or ch == chr(a)
            elif o is c.RANGE:
                hit = hit or a[0] <= ord(ch) <= a[1]
            elif o is c.CATEGORY:
                hit = hit or _category(a, ch)
            else:
                hit = True
        return hit != negate
    return True


def _category(category: Any, ch: str) -> bool:
    from re import _constants as c  # type: ignore[attr-defined]

    name = str(category).replace("UNI_", "").replace("LOC_", "")
    digit = unicodedata.category(ch) == "Nd"
    word = ch.isalnum() or ch == "_"
    space = ch.isspace()
    table = {
        str(c.CATEGORY_DIGIT): digit,
        str(c.CATEGORY_NOT_DIGIT): not digit,
        str(c.CATEGORY_WORD): word,
        str(c.CATEGORY_NOT_WORD): not word,
        str(c.CATEGORY_SPACE): space,
        str(c.CATEGORY_NOT_SPACE): not space,
    }
    return table.get(name, True)
