"""Jinja's side of rendering: the sandbox templates run in, and its errors as claimkit's.

Templates are untrusted content (a team folder may come from anyone), so they
run in Jinja's immutable sandbox with undefined names as errors, and read only
through claimkit.render.lookup, which never leaves a content folder.

Only claimkit.render.renderer imports this, and only when a template has to be
parsed or run by Jinja: a draft from a template already in the cache as a
program (see claimkit.render.program) never loads Jinja at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from claimkit.errors import ClaimkitError, ContentError, TemplateRenderError
from claimkit.render.lookup import TemplateFiles, TemplateMissing


class ConfinedLoader(jinja2.BaseLoader):
    """Jinja's loader over claimkit's own lookup, so both read the same file and text."""

    def __init__(self, files: TemplateFiles) -> None:
        self.files = files

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, None]:
        try:
            text, filename = self.files.read(template)
        except TemplateMissing:
            raise jinja2.TemplateNotFound(template) from None
        return text, filename, None  # no reloading: a run reads each file once


def environment(
    files: TemplateFiles, filters: Mapping[str, Callable[[Any], Any]]
) -> jinja2.Environment:
    """The sandbox of one language's templates."""
    env = ImmutableSandboxedEnvironment(
        loader=ConfinedLoader(files),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(filters)
    return env


def parse(env: jinja2.Environment, name: str) -> nodes.Template:
    """A template's syntax tree; TemplateNotFound, or a ContentError for bad syntax."""
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, name)
    try:
        return env.parse(source, name, filename)
    except jinja2.TemplateSyntaxError as e:
        raise ContentError(
            f"template syntax: {e.message}", where=f"{e.filename or filename}:{e.lineno}"
        ) from None
    except (ValueError, RecursionError) as e:  # a 5,000-digit number, 3,000 nested ifs
        raise ContentError(f"template cannot be compiled: {e}", where=filename) from None


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
    except (ValueError, RecursionError, SyntaxError, MemoryError) as e:
        # a 5,000-digit number, 3,000 nested ifs: more than Python's compiler takes
        raise ContentError(
            f"template cannot be compiled: {type(e).__name__}: {e}", where=_filename(env, name)
        ) from None


def _filename(env: jinja2.Environment, name: str) -> str:
    try:
        assert isinstance(env.loader, ConfinedLoader)
        return env.loader.files.read(name)[1]
    except (TemplateMissing, ClaimkitError):
        return name


def run(
    template: jinja2.Template, step_template: str, values: Mapping[str, Any]
) -> tuple[str, str | None]:
    """The body and subject a template renders; its errors as claimkit's, with file:line."""
    try:
        try:
            module = template.make_module(dict(values))
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
    return body, None if subject is None else str(subject)


class Scan(NamedTuple):
    """What a template and the templates it includes read."""

    names: dict[str, tuple[str, int]]  # each name read, and the file and line it is first read
    included: tuple[str, ...]  # the names of the templates it includes, found or not


def scan(env: jinja2.Environment, name: str) -> Scan:
    """The names a template and its includes read but do not set; a missing include is
    listed (it may be included "ignore missing"), a missing template is a ContentError."""
    names: dict[str, tuple[str, int]] = {}
    included: list[str] = []
    pending, seen = [name], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        if current != name:
            included.append(current)
        try:
            tree = parse(env, current)
        except jinja2.TemplateNotFound:
            if current == name:
                raise ContentError(f"template '{name}' not found") from None
            continue
        file = _filename(env, current)
        try:
            # Jinja finds what a template reads by generating its code.
            reads = meta.find_undeclared_variables(tree)
        except (ValueError, RecursionError, SyntaxError, MemoryError) as e:
            raise ContentError(
                f"template cannot be compiled: {type(e).__name__}: {e}", where=file
            ) from None
        for read in sorted(reads):
            line = next((n.lineno for n in tree.find_all(nodes.Name) if n.name == read), 0)
            names.setdefault(read, (file, line))
        pending += [t for t in meta.find_referenced_templates(tree) if t]
    return Scan(names, tuple(included))


def _where(e: BaseException, template: jinja2.Template) -> str:
    """file:line of the deepest template frame in the error (an include's, if there)."""
    filename, line = template.filename or template.name or "template", 0
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return f"{filename}:{line}" if line else filename
