"""Jinja's side of rendering: the sandbox templates run in, and its errors as claimkit's.

Templates are untrusted content (a team folder may come from anyone), so they
run in Jinja's immutable sandbox with undefined names as errors, and read only
through claimkit.render.lookup, which never leaves a templates folder.

Only claimkit.render.renderer imports this, and only when a template has to be parsed
or run by Jinja: a draft from a compiled template already in the cache (see
claimkit.render.compiler) never loads Jinja at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.nodes import EvalContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from claimkit.errors import ClaimkitError, ContentError, TemplateRenderError
from claimkit.render.lookup import TemplateFiles, TemplateMissing


class ConfinedLoader(jinja2.BaseLoader):
    """Jinja's loader over claimkit's own lookup (see claimkit.render.lookup)."""

    def __init__(self, files: TemplateFiles) -> None:
        self.files = files

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, None]:
        try:
            text, filename = self.files.read(template)
        except TemplateMissing:
            raise jinja2.TemplateNotFound(template) from None
        return text, filename, None  # no reloading: a run reads each file once


class Names(dict[str, Any]):
    """A render's names and values, where a name it lacks is Jinja's ``missing``."""

    __slots__ = ()

    def __missing__(self, key: str) -> Any:
        return missing


class _Context(jinja2.runtime.Context):
    """Jinja's context, answering a template's lookups with one dictionary.

    Jinja looks every name a template reads up through ``resolve_or_missing``,
    a Python method (its ``vars``, then its parent): a dozen calls in a short
    template. A render from a Names of its own (see render_inlined) keeps its
    ``{% set %}`` values in that same dictionary, so the dictionary alone
    answers, and its own lookup is the method.
    """

    def __init__(
        self,
        environment: jinja2.Environment,
        parent: dict[str, Any],
        name: str | None,
        blocks: dict[str, Callable[[jinja2.runtime.Context], Any]],
        globals: Any = None,
    ) -> None:
        if parent.__class__ is not Names:
            super().__init__(environment, parent, name, blocks, globals)
            return
        # What Context.__init__ sets, for a render without blocks (inlined templates have
        # none); Jinja's own checks that they are the same (tests/test_render.py).
        self.parent = self.vars = parent
        self.resolve_or_missing = parent.__getitem__  # type: ignore[method-assign,assignment]
        self.environment = environment
        self.eval_ctx = EvalContext(environment, name)
        self.exported_vars = set()
        self.name = name
        # Read by {% import %}, never changed: a view of globals that never change either.
        self.globals_keys = set() if globals is None else globals.keys()
        self.blocks = {}


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with a plain dict of globals per template.

    Jinja gives each template a ChainMap over the environment's globals, and
    every render (and every include) iterates it in Python to start a context:
    a third of a short template's render time. Globals are set up before any
    template loads and never change, which is all a ChainMap would guard.
    """

    context_class = _Context

    def make_globals(self, d: Any) -> Any:
        return {**self.globals, **(d or {})}


def environment(files: TemplateFiles, filters: Mapping[str, Callable[[Any], Any]]) -> Any:
    """The sandbox of one language's templates."""
    env = _Sandbox(
        loader=ConfinedLoader(files),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(filters)
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (Jinja checks each against its source)."""
    from claimkit import cache

    root = cache.default().root
    if root is None:
        return None
    folder = root / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def load(env: jinja2.Environment, name: str, searched: str) -> jinja2.Template:
    """A template compiled, or a ContentError saying why not (``searched``: the folders)."""
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound as e:
        raise ContentError(f"template '{e.name}' not found (looked in {searched})") from None
    except jinja2.TemplateSyntaxError as e:
        raise ContentError(
            f"template syntax: {e.message}", where=f"{e.filename or name}:{e.lineno}"
        ) from None
    except (ValueError, RecursionError) as e:  # a 5,000-digit number, 3,000 nested ifs
        raise ContentError(
            f"template cannot be compiled: {e}", where=_filename(env, name)
        ) from None


def _filename(env: jinja2.Environment, name: str) -> str:
    try:
        assert isinstance(env.loader, ConfinedLoader)
        return env.loader.files.read(name)[1]
    except (TemplateMissing, ClaimkitError):
        return name


def run(
    template: jinja2.Template, step_template: str, values: Mapping[str, Any], context: Names
) -> tuple[str, Any]:
    """The body and subject a template renders; its errors as claimkit's, with file:line."""
    try:
        try:
            module = template.make_module(context)
        except Exception:
            # Re-raised with the traceback pointing at template lines, not generated code.
            template.environment.handle_exception()
        body = str(module)
        subject = getattr(module, "subject", None)
    except ClaimkitError:  # an included file that is not text says so itself
        raise
    except jinja2.TemplateSyntaxError as e:
        raise ContentError(
            f"template syntax: {e.message}", where=f"{e.filename or step_template}:{e.lineno}"
        ) from None
    except jinja2.TemplateNotFound as e:
        raise ContentError(
            f"template '{e.name}' not found (included from {step_template})"
        ) from None
    except jinja2.UndefinedError as e:
        known = ", ".join(sorted(values))
        raise TemplateRenderError(
            f"{e.message}; the variables are: {known}", where=_where(e, template)
        ) from None
    except jinja2.exceptions.SecurityError as e:
        raise TemplateRenderError(
            f"refused: the template reached for Python internals ({e})",
            where=_where(e, template),
        ) from None
    except Exception as e:  # a filter given the wrong kind of value, and the like
        raise TemplateRenderError(
            f"template failed: {type(e).__name__}: {e}", where=_where(e, template)
        ) from None
    return body, subject


def render_inlined(template: jinja2.Template, context: Names) -> tuple[str, Any] | None:
    """What ``make_module`` gives, the body and the exported subject, without the module;
    None if the template fails.

    A batch renders thousands of times, and the module object, the copy of the
    variables it makes to add the globals, and its exports dict are a fifth of
    a short template's render. ``context`` is the render's own dict, globals
    included, so it can be shared as it is.
    """
    try:
        # template.new_context(context, shared=True) without its two calls on the way
        ctx = _Context(
            template.environment, context, template.name, template.blocks, template.globals
        )
        body = "".join(template.root_render_func(ctx))
    except Exception:
        return None
    subject = ctx.vars.get("subject") if "subject" in ctx.exported_vars else None
    return body, subject


def inline(
    env: jinja2.Environment, name: str, stack: tuple[str, ...], sources: list[tuple[str, str]]
) -> Any:
    """The parsed template with each plain ``{% include "name" %}`` replaced by the
    included template's own parse, in a scope of its own; None where that could
    change what the template writes. ``sources`` collects every file read, by name.

    An include starts a new context at every render, which copies every
    variable: in a batch, more than half of a short template's render time.
    Parsing each file on its own keeps its whitespace exactly as an include
    would have it; the scope keeps its assignments to itself, as an include does.
    Only includes at a template's top level or under an ``if`` are inlined: in a
    loop, macro or block an include does not see what an inlined copy would
    (``loop``, for one).
    """
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    sources.append((name, source))
    tree = env.parse(source, name, filename)
    # Blocks, extends and `self` mean different things inside an include.
    if tree.find(nodes.Extends) or tree.find(nodes.Block):
        return None
    if any(n.name == "self" for n in tree.find_all(nodes.Name)):
        return None

    def one(node: nodes.Include) -> nodes.Node:
        target = node.template
        if not isinstance(target, nodes.Const) or not isinstance(target.value, str):
            return node
        if node.ignore_missing or not node.with_context:
            return node
        if target.value in stack:  # a loop of includes: left to fail as it would
            return node
        included = inline(env, target.value, (*stack, target.value), sources)
        if included is None:
            return node
        return nodes.Scope(included.body, lineno=node.lineno)

    def inline_in(body: list[nodes.Node]) -> list[nodes.Node]:
        for i, node in enumerate(body):
            if isinstance(node, nodes.Include):
                body[i] = one(node)
            elif isinstance(node, nodes.If):
                for branch in (node, *node.elif_):
                    branch.body = inline_in(branch.body)
                node.else_ = inline_in(node.else_)
        return body

    tree.body = inline_in(tree.body)
    tree.set_environment(env)
    return tree


def names_read(env: jinja2.Environment, source: str, name: str, filename: str) -> Any:
    """The names a template reads that it does not set, and the templates it includes."""
    from jinja2 import meta

    ast = env.parse(source, name, filename)
    return meta.find_undeclared_variables(ast), [
        t for t in meta.find_referenced_templates(ast) if t
    ]


def _where(e: BaseException, template: jinja2.Template) -> str:
    """file:line of the deepest template frame in the error (an include's, if there)."""
    filename, line = template.filename or template.name or "template", 0
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return f"{filename}:{line}" if line else filename
