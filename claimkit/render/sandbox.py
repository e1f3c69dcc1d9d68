"""Jinja's side of rendering: the sandbox templates run in, and its errors as claimkit's.

Templates are untrusted content (a team folder may come from anyone), so they
run in Jinja's immutable sandbox with undefined names as errors, and read only
through claimkit.render.lookup, which never leaves a content folder.

Only claimkit.render.renderer imports this, and only when a template has to be
parsed or run by Jinja: a draft from a template already in the cache as a
program (see claimkit.render.program) never loads Jinja at all.
"""

from __future__ import annotations

import contextlib
import re
import signal
import string
import threading
from collections.abc import Callable, Iterator, Mapping
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


# What one template may make and take: a team's template must not be able to fill the
# memory ('a' * 10**10) or hold a draft (or a batch) forever (loops in loops).
MAX_SIZE = 1_000_000  # characters or items one operation may make
MAX_SECONDS = 5  # one render


class TooLarge(Exception):
    """A template went past MAX_SIZE or MAX_SECONDS."""


class _Bounded(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with repeats, powers and widths bounded."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format_widths(value.__self__)
        return wrapped


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            sized = isinstance(seq, (str, list, tuple)) and isinstance(n, int)
            if sized and len(seq) * n > MAX_SIZE:
                raise TooLarge(f"a value of {len(seq) * n:,} items")
    elif operator == "**":
        ints = isinstance(left, int) and isinstance(right, int) and right > 0
        if ints and right * max(abs(left).bit_length(), 1) > 64 * 1024:
            raise TooLarge("a number of more than 65,536 bits")
    elif operator == "%" and isinstance(left, str):
        widths = re.findall(r"%[-#0 +]*(\d*)(?:\.(\d+))?", left)
        if any(int(w or 0) > MAX_SIZE or int(p or 0) > MAX_SIZE for w, p in widths):
            raise TooLarge("a format width over a million")


def _check_format_widths(text: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(text):
        if spec and any(int(n) > MAX_SIZE for n in re.findall(r"\d+", spec)):
            raise TooLarge("a format width over a million")


def _bounded_filter(real: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose numbers are widths (center, indent, format): none over MAX_SIZE."""

    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and real is jinja2.filters.do_format:
            _check_binop("%", value, None)
        for n in (*args, *kwargs.values()):
            if isinstance(n, int) and not isinstance(n, bool) and n > MAX_SIZE:
                raise TooLarge(f"a width of {n:,}")
        return real(value, *args, **kwargs)

    return bounded


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise TooLarge in this thread once ``seconds`` have passed (main thread, POSIX)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TooLarge(f"a render of more than {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def environment(
    files: TemplateFiles, filters: Mapping[str, Callable[[Any], Any]]
) -> jinja2.Environment:
    """The sandbox of one language's templates."""
    env = _Bounded(
        loader=ConfinedLoader(files),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    for name in ("center", "indent", "format", "truncate", "wordwrap"):
        env.filters[name] = _bounded_filter(env.filters[name])
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
            with _time_limit(MAX_SECONDS):
                module = template.make_module(dict(values))
        except Exception:
            # Re-raised with the traceback pointing at template lines, not generated code.
            template.environment.handle_exception()
        body = str(module)
        subject = getattr(module, "subject", None)
    except ClaimkitError:  # an included file that is not text says so itself
        raise
    except TooLarge as e:
        raise TemplateRenderError(
            f"the template makes {e}; a template may make at most {MAX_SIZE:,} characters "
            f"or items in one step and take at most {MAX_SECONDS} seconds",
            where=_where(e, template),
        ) from None
    except MemoryError:
        raise TemplateRenderError(
            "the template needs more memory than there is", where=_where(MemoryError(), template)
        ) from None
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
