"""A template as plain data, and the render function made of it without Jinja.

Every built-in message uses only text, names, constants, ``if``/``elif``/
``else``, comparisons, ``and``/``or``/``not``, ``a if b else c``, one-argument
filters and a top-level ``{% set subject %}``. claimkit.render.compiler turns a
template like that (its includes inlined) into a *program*: nested lists of
strings, the only thing the cache keeps of it. Here a program becomes a tree of
closures, which is what a draft runs: no Jinja import (a third of a scripted
draft's start-up), no code generated, compiled or executed, so a cache entry
can at worst be refused, never run.

The grammar (lists, so that marshal and JSON keep it as it is)::

    program := [body, subject]           subject: a body, or None
    body    := [node, ...]
    node    := "text"                     literal text
             | ["out", expr]              {{ expr }}, written with str()
             | ["if", [[expr, body], ...], body]   branches, then else
    expr    := ["name", "x"] | ["const", value] | ["not", e] | ["and", e, e]
             | ["or", e, e] | ["cmp", e, [[op, e], ...]] | ["cond", test, e, e]
             | ["filter", "name", e] | ["tuple", [e, ...]]

It evaluates what Jinja evaluates, with the same Python operators, lazily as
Jinja does: a name only an untaken branch reads is never looked up. A name that
is not there raises KeyError; the renderer then lets Jinja render the template,
which writes it or reports the error with its file and line.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

Names = Mapping[str, Any]
Render = Callable[[Names], tuple[str, str | None]]
Filters = Mapping[str, Callable[[Any], Any]]

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lteq": operator.le,
    "gt": operator.gt,
    "gteq": operator.ge,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}
_CONSTANTS = (str, int, float, bool, type(None))


class BadProgram(ValueError):
    """Data that is not a program of this grammar (a stale or damaged cache entry)."""


def build(program: object, filters: Filters) -> Render:
    """The render function of ``program``; BadProgram if it is not one."""
    if not isinstance(program, list) or len(program) != 2:
        raise BadProgram("a program is [body, subject]")
    try:
        body = _body(program[0], filters)
        subject = None if program[1] is None else _body(program[1], filters)
    except RecursionError:
        raise BadProgram("nested too deeply") from None

    def render(names: Names) -> tuple[str, str | None]:
        return body(names), (None if subject is None else subject(names))

    return render


def names_read(program: object) -> frozenset[str]:
    """Every name the program may read, in any branch."""
    found: set[str] = set()

    def walk(item: object) -> None:
        if isinstance(item, list):
            if len(item) == 2 and item[0] == "name" and isinstance(item[1], str):
                found.add(item[1])
            for child in item:
                walk(child)

    walk(program)
    return frozenset(found)


def _body(nodes: object, filters: Filters) -> Callable[[Names], str]:
    if not isinstance(nodes, list):
        raise BadProgram("a body is a list of nodes")
    parts: list[str | Callable[[Names], str]] = []
    for node in nodes:
        part = node if isinstance(node, str) else _node(node, filters)
        if isinstance(part, str) and parts and isinstance(parts[-1], str):
            parts[-1] += part  # adjacent text: one string
        else:
            parts.append(part)
    if not parts:
        return lambda names: ""
    if len(parts) == 1:
        only = parts[0]
        return only if callable(only) else lambda names: only
    return lambda names: "".join([p if p.__class__ is str else p(names) for p in parts])  # type: ignore[operator]


def _node(node: object, filters: Filters) -> Callable[[Names], str]:
    if not isinstance(node, list) or not node:
        raise BadProgram(f"not a node: {node!r:.60}")
    kind = node[0]
    if kind == "out" and len(node) == 2:
        if _is_name(node[1]):
            key = node[1][1]
            return lambda names: str(names[key])
        value = _expr(node[1], filters)
        return lambda names: str(value(names))
    if kind == "if" and len(node) == 3 and isinstance(node[1], list):
        branches = []
        for branch in node[1]:
            if not isinstance(branch, list) or len(branch) != 2:
                raise BadProgram("an if branch is [test, body]")
            branches.append((_expr(branch[0], filters), _body(branch[1], filters)))
        otherwise = _body(node[2], filters)

        def choose(names: Names) -> str:
            for test, body in branches:
                if test(names):
                    return body(names)
            return otherwise(names)

        return choose
    raise BadProgram(f"unknown node {kind!r:.40}")


def _is_name(expr: object) -> bool:
    return (
        isinstance(expr, list) and len(expr) == 2 and expr[0] == "name" and isinstance(expr[1], str)
    )


def _expr(expr: object, filters: Filters) -> Callable[[Names], Any]:
    if not isinstance(expr, list) or not expr:
        raise BadProgram(f"not an expression: {expr!r:.60}")
    kind, args = expr[0], expr[1:]
    if kind == "name" and len(args) == 1 and isinstance(args[0], str):
        key = args[0]
        return lambda names: names[key]
    if kind == "const" and len(args) == 1 and isinstance(args[0], _CONSTANTS):
        value = args[0]
        return lambda names: value
    if kind == "not" and len(args) == 1:
        inner = _expr(args[0], filters)
        return lambda names: not inner(names)
    if kind in ("and", "or") and len(args) == 2:
        left, right = _expr(args[0], filters), _expr(args[1], filters)
        if kind == "and":
            return lambda names: left(names) and right(names)
        return lambda names: left(names) or right(names)
    if kind == "cmp" and len(args) == 2 and isinstance(args[1], list):
        return _compare(_expr(args[0], filters), args[1], filters)
    if kind == "cond" and len(args) == 3:
        test, yes, no = (_expr(a, filters) for a in args)
        return lambda names: yes(names) if test(names) else no(names)
    if kind == "filter" and len(args) == 2 and args[0] in filters:
        function, inner = filters[args[0]], _expr(args[1], filters)
        return lambda names: function(inner(names))
    if kind == "tuple" and len(args) == 1 and isinstance(args[0], list):
        items = [_expr(item, filters) for item in args[0]]
        return lambda names: tuple(item(names) for item in items)
    raise BadProgram(f"unknown expression {kind!r:.40}")


def _compare(
    first: Callable[[Names], Any], ops: list[object], filters: Filters
) -> Callable[[Names], Any]:
    chain = []
    for op in ops:
        if not isinstance(op, list) or len(op) != 2 or op[0] not in COMPARE:
            raise BadProgram("a comparison is [op, expression]")
        chain.append((COMPARE[str(op[0])], _expr(op[1], filters)))

    def compare(names: Names) -> Any:
        # a < b < c as Python (and Jinja's generated code) reads it: (a < b) and (b < c),
        # each operand evaluated once, the result the last test's or the first false one's.
        left = first(names)
        result: Any = True
        for test, operand in chain:
            right = operand(names)
            result = test(left, right)
            if not result:
                return result
            left = right
        return result

    return compare


def slots(program: object) -> dict[str, tuple[str, str]]:
    """Where each name a program prints first lands: the text on its line before it and
    after it (a prompt shows an answer in its sentence; a value that repeats the words
    around it can be caught)."""
    found: dict[str, tuple[str, str]] = {}

    def walk(body: object) -> None:
        if not isinstance(body, list):
            return
        for i, node in enumerate(body):
            if isinstance(node, list) and node[:1] == ["out"] and _is_name(node[1]):
                name = node[1][1]
                if name not in found:
                    found[name] = (_text_before(body, i), _text_after(body, i))
            elif isinstance(node, list) and node[:1] == ["if"] and len(node) == 3:
                for branch in node[1] if isinstance(node[1], list) else []:
                    if isinstance(branch, list) and len(branch) == 2:
                        walk(branch[1])
                walk(node[2])

    if isinstance(program, list) and program:
        walk(program[0])
    return found


def _text_before(body: list[object], i: int) -> str:
    text = ""
    for node in reversed(body[:i]):
        if not isinstance(node, str):
            break
        text = node + text
        if "\n" in text:
            break
    return text.rpartition("\n")[2]


def _text_after(body: list[object], i: int) -> str:
    text = ""
    for node in body[i + 1 :]:
        if not isinstance(node, str):
            break
        text += node
        if "\n" in text:
            break
    return text.partition("\n")[0]
