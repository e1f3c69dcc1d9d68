"""Simple templates as plain Python functions: how drafts render without Jinja.

Jinja runs a template as a generator over a context object, and a short reply
spends about as long in that machinery as in making its text. Every built-in
message uses only text, names, constants, ``if``, comparisons, ``and``/``or``/
``not``, ``a if b else c``, the ``date`` and ``time`` filters and a
``{% set subject %}`` block. A template like that (with its includes inlined,
see sandbox.inline) compiles here to one function that reads a dict of names
and formats one string. Anything else is not compiled (None), and Jinja renders
the template as usual. The function's code is kept in the cache, and
render.load_compiled runs it, so a draft from it never imports Jinja, nor this
module.

The function evaluates what Jinja evaluates, the same tests, branches and
filters with the same Python operators, only not in the same order, and nothing
it evaluates has a side effect. It needs every name the template reads, even
one only a branch not taken reads: a name that is not there raises KeyError at
once. On any error the caller renders with Jinja, which writes the template
(the name was not needed) or reports the error as it always does. A draft has
every variable its template reads, empty or not.

The generated source holds no text from the template outside string literals
made by ``repr``: names, filters and values are reached through generated
identifiers, so a template cannot put code into it.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from types import CodeType

from jinja2 import nodes

_COMPARE = {
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "lteq": "<=",
    "gt": ">",
    "gteq": ">=",
    "in": "in",
    "notin": "not in",
}


class _Unsupported(Exception):
    """A node this compiler leaves to Jinja."""


def source(
    tree: nodes.Template, filters: Collection[str], jinja_globals: Collection[str]
) -> str | None:
    """Python source defining ``render(names) -> (body, subject)`` that writes what
    ``tree`` writes, or None if the template uses more than this compiler knows.

    ``filters``: the filters the function may call (plain one-argument functions,
    given to ``render.load_compiled`` by the same names). ``jinja_globals``: the sandbox's
    global names; a template that reads one is left to Jinja, so ``names`` need not
    carry them.
    """
    try:
        return _Compiler(filters, jinja_globals).module(tree)
    except _Unsupported:
        return None


def to_code(text: str) -> CodeType:
    """A ``source`` text compiled, as the cache keeps it (compiling costs a batch's start-up
    half a millisecond a template)."""
    return compile(text, "<claimkit compiled template>", "exec")


def _field(code: str) -> str:
    return "{" + code + "}"


# Fields in one f-string at most: Python compiles an f-string in time that grows with the
# square of its fields (a template of 100,000 fields would take half a minute).
_FIELDS = 64


def _fstring(parts: list[str]) -> str:
    # Literal parts are already brace-escaped; fields are {identifier...}, which repr
    # leaves as they are.
    if len(parts) <= _FIELDS:
        return "f" + repr("".join(parts))
    pieces = [_fstring(parts[i : i + _FIELDS]) for i in range(0, len(parts), _FIELDS)]
    return "''.join((" + ", ".join(pieces) + "))"


class _Compiler:
    def __init__(self, filters: Collection[str], jinja_globals: Collection[str]) -> None:
        self.filters = filters
        self.jinja_globals = jinja_globals
        self.locals: dict[str, str] = {}  # a template's name -> the local that holds its value
        self.filter_locals: dict[str, str] = {}
        self.temps = 0

    def module(self, tree: nodes.Template) -> str:
        body: list[str] = []
        text = _fstring(self.text(tree.body, body, "    ", top=True))
        head = ["def render(names, F=FILTERS):"]
        head += [f"    {local} = names[{name!r}]" for name, local in self.locals.items()]
        head += [f"    {local} = F[{name!r}]" for name, local in self.filter_locals.items()]
        head.append("    subject = None")
        return "\n".join([*head, *body, f"    return {text}, subject", ""])

    def temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    def text(self, body: list[nodes.Node], out: list[str], indent: str, top: bool) -> list[str]:
        """The f-string parts of what ``body`` writes; the statements its branches and
        computed values need go to ``out`` first. ``top``: at the template's own level,
        where ``{% set subject %}`` sets the subject (in an include it would not)."""
        parts: list[str] = []
        for node in body:
            if isinstance(node, nodes.Output):
                for child in node.nodes:
                    if isinstance(child, nodes.TemplateData):
                        parts.append(child.data.replace("{", "{{").replace("}", "}}"))
                    elif isinstance(child, nodes.Name):
                        parts.append(_field(self.name(child) + "!s"))
                    else:
                        value = self.temp()
                        out.append(f"{indent}{value} = {self.expr(child)}")
                        parts.append(_field(value + "!s"))
            elif isinstance(node, nodes.If):
                value = self.temp()
                branches = [(node.test, node.body), *((e.test, e.body) for e in node.elif_)]
                for i, (test, branch) in enumerate(branches):
                    out.append(f"{indent}{'elif' if i else 'if'} {self.expr(test)}:")
                    self.assign(value, branch, out, indent + "    ", top)
                out.append(f"{indent}else:")
                self.assign(value, node.else_, out, indent + "    ", top)
                parts.append(_field(value))
            elif isinstance(node, nodes.Scope):  # an inlined include
                parts += self.text(node.body, out, indent, top=False)
            elif (
                isinstance(node, nodes.AssignBlock)
                and top
                and node.filter is None
                and isinstance(node.target, nodes.Name)
                and node.target.name == "subject"
            ):
                self.assign("subject", node.body, out, indent, top=False)
            else:
                raise _Unsupported(type(node).__name__)
        return parts

    def assign(
        self, target: str, body: list[nodes.Node], out: list[str], indent: str, top: bool
    ) -> None:
        parts = self.text(body, out, indent, top)
        out.append(f"{indent}{target} = {_fstring(parts)}")

    def name(self, node: nodes.Name) -> str:
        # The subject may be read only as the template set it, which needs Jinja's scoping.
        if node.ctx != "load" or node.name == "subject" or node.name in self.jinja_globals:
            raise _Unsupported(node.name)
        return self.locals.setdefault(node.name, f"v{len(self.locals)}")

    def expr(self, node: nodes.Node) -> str:
        """A Python expression that evaluates ``node`` as Jinja's generated code does."""
        if isinstance(node, nodes.Name):
            return self.name(node)
        if isinstance(node, nodes.Const):
            value = node.value
            if value is None or isinstance(value, (str, bool, int)):
                return repr(value)
            if isinstance(value, float) and math.isfinite(value):
                return repr(value)
            raise _Unsupported(repr(value))
        if isinstance(node, nodes.Tuple) and node.ctx == "load":
            return "(" + "".join(self.expr(item) + ", " for item in node.items) + ")"
        if isinstance(node, nodes.Not):
            return f"(not {self.expr(node.node)})"
        if isinstance(node, nodes.And):
            return f"({self.expr(node.left)} and {self.expr(node.right)})"
        if isinstance(node, nodes.Or):
            return f"({self.expr(node.left)} or {self.expr(node.right)})"
        if isinstance(node, nodes.Compare):
            if any(op.op not in _COMPARE for op in node.ops):
                raise _Unsupported("comparison")
            ops = [f" {_COMPARE[op.op]} {self.expr(op.expr)}" for op in node.ops]
            return f"({self.expr(node.expr)}{''.join(ops)})"
        if isinstance(node, nodes.CondExpr) and node.expr2 is not None:
            return (
                f"({self.expr(node.expr1)} if {self.expr(node.test)} else {self.expr(node.expr2)})"
            )
        if (
            isinstance(node, nodes.Filter)
            and node.node is not None
            and node.name in self.filters
            and not (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs)
        ):
            local = self.filter_locals.setdefault(node.name, f"f{len(self.filter_locals)}")
            return f"{local}({self.expr(node.node)})"
        raise _Unsupported(type(node).__name__)
