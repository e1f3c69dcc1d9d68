"""Jinja's parse of a simple template, turned into a program (see claimkit.render.program).

Runs only when a template is not in the cache yet: it needs Jinja's parser. A
template's includes are compiled into its program, each parsed on its own so
its whitespace is exactly what an include writes. Anything outside the grammar
(a loop, a macro, an attribute, a filter the program does not have, a name
that is a Jinja global, a subject read back or set anywhere but at the top)
makes the template a Jinja one: ``program()`` returns None.

Template text reaches a program only as string data, never as code: a program
is interpreted by closures (program.build), not generated as Python source.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection

import jinja2
from jinja2 import nodes

from claimkit.render.program import COMPARE

Parse = Callable[[str], nodes.Template]
"""Parses the template of a name (its includes are asked for by name too)."""


class _Unsupported(Exception):
    """A construct the program grammar leaves to Jinja."""


def program(
    name: str, parse: Parse, filters: Collection[str], jinja_globals: Collection[str]
) -> list[object] | None:
    """The program of template ``name``, or None if Jinja must run it."""
    compiler = _Compiler(parse, filters, jinja_globals)
    try:
        return compiler.template(name)
    except (_Unsupported, jinja2.TemplateNotFound, RecursionError):
        return None  # Jinja runs it, and says what is wrong with it if anything is


class _Compiler:
    def __init__(self, parse: Parse, filters: Collection[str], jinja_globals: Collection[str]):
        self.parse = parse
        self.filters = filters
        self.jinja_globals = jinja_globals

    def template(self, name: str) -> list[object]:
        tree = self.parse(name)
        subject: list[object] | None = None
        body: list[object] = []
        for node in tree.body:
            if _sets_subject(node):
                if subject is not None:  # Jinja evaluates each one set: its errors too
                    raise _Unsupported("a subject set twice")
                assert isinstance(node, nodes.AssignBlock)
                subject = self.body(node.body, (name,))
            else:
                body += self.body([node], (name,))
        return [body, subject]

    def body(self, items: list[nodes.Node], stack: tuple[str, ...]) -> list[object]:
        """The nodes of a template body; ``stack``: the templates being included, to
        leave a loop of includes to Jinja."""
        out: list[object] = []
        for node in items:
            if isinstance(node, nodes.Output):
                for child in node.nodes:
                    if isinstance(child, nodes.TemplateData):
                        out.append(_text(child.data))
                    else:
                        out.append(["out", self.expr(child)])
            elif isinstance(node, nodes.If):
                branches = [[self.expr(node.test), self.body(node.body, stack)]]
                branches += [[self.expr(e.test), self.body(e.body, stack)] for e in node.elif_]
                out.append(["if", branches, self.body(node.else_, stack)])
            elif isinstance(node, nodes.Include):
                out += self.include(node, stack)
            else:
                raise _Unsupported(type(node).__name__)
        return out

    def include(self, node: nodes.Include, stack: tuple[str, ...]) -> list[object]:
        target = node.template
        if not isinstance(target, nodes.Const) or not isinstance(target.value, str):
            raise _Unsupported("a computed include")
        if node.ignore_missing or not node.with_context or target.value in stack:
            raise _Unsupported("include")
        tree = self.parse(target.value)
        # Blocks, extends and `self` mean other things inside an include; its own
        # {% set %} stays in the include, which only Jinja's scoping gets right.
        return self.body(tree.body, (*stack, target.value))

    def name(self, node: nodes.Name) -> list[object]:
        # The subject may be read only as the template set it, which needs Jinja's scoping.
        if node.ctx != "load" or node.name == "subject" or node.name in self.jinja_globals:
            raise _Unsupported(node.name)
        return ["name", node.name]

    def expr(self, node: nodes.Node) -> list[object]:
        if isinstance(node, nodes.Name):
            return self.name(node)
        if isinstance(node, nodes.Const):
            value = node.value
            if isinstance(value, str):
                return ["const", _text(value)]
            if value is None or isinstance(value, (bool, int)):
                return ["const", value]
            if isinstance(value, float) and math.isfinite(value):
                return ["const", value]
            raise _Unsupported(repr(value))
        if isinstance(node, nodes.Tuple) and node.ctx == "load":
            return ["tuple", [self.expr(item) for item in node.items]]
        if isinstance(node, nodes.Not):
            return ["not", self.expr(node.node)]
        if isinstance(node, nodes.And):
            return ["and", self.expr(node.left), self.expr(node.right)]
        if isinstance(node, nodes.Or):
            return ["or", self.expr(node.left), self.expr(node.right)]
        if isinstance(node, nodes.Compare):
            if any(op.op not in COMPARE for op in node.ops):
                raise _Unsupported("comparison")
            return ["cmp", self.expr(node.expr), [[op.op, self.expr(op.expr)] for op in node.ops]]
        if isinstance(node, nodes.CondExpr) and node.expr2 is not None:
            return ["cond", self.expr(node.test), self.expr(node.expr1), self.expr(node.expr2)]
        if (
            isinstance(node, nodes.Filter)
            and node.node is not None
            and node.name in self.filters
            and not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)
        ):
            return ["filter", node.name, self.expr(node.node)]
        raise _Unsupported(type(node).__name__)


def _text(text: str) -> str:
    """Text a program may hold: a lone surrogate (a string escape can make one) no mail
    can carry, and Jinja's render reports it."""
    if any("\ud800" <= c <= "\udfff" for c in text):
        raise _Unsupported("a lone surrogate")
    return text


def _sets_subject(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.AssignBlock)
        and node.filter is None
        and isinstance(node.target, nodes.Name)
        and node.target.name == "subject"
    )
