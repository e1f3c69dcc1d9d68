"""Templates in a Jinja sandbox: compiled once per language, rendered to a Draft.

Templates are untrusted content (a team folder may come from anyone), so they
run in Jinja's immutable sandbox with undefined names as errors, and the loader
never reads a file outside its templates folder, whatever symlinks it meets.
A template sets the mail subject with ``{% set subject %}...{% endset %}``.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from types import CodeType
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2
from jinja2.nodes import EvalContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from claimkit import dates
from claimkit.draft import Draft
from claimkit.errors import ContentError, TemplateRenderError
from claimkit.paths import ContentRoot
from claimkit.playbook import Playbook, Step

if TYPE_CHECKING:
    # Only a batch compiles templates to functions: a single draft does not import it.
    from claimkit import compiled

_MISSING = ""  # the cached mark of an included file that does not exist
BUILTIN_PREFIX = "builtin"  # {% extends "builtin:apology/first-reply.j2" %} reaches past overrides


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses files whose real path leaves its folder."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if not any(
            real.startswith(os.path.join(os.path.realpath(base), "")) for base in self.searchpath
        ):
            raise jinja2.TemplateNotFound(
                template, f"{filename} leads outside its templates folder"
            )
        return source, filename, uptodate


class _Names(dict[str, Any]):
    """A render's names and values, where a name it lacks is Jinja's ``missing``."""

    __slots__ = ()

    def __missing__(self, key: str) -> Any:
        return missing


class _Context(jinja2.runtime.Context):
    """Jinja's context, answering a template's lookups with one dictionary.

    Jinja looks every name a template reads up through ``resolve_or_missing``,
    a Python method (its ``vars``, then its parent): a dozen calls in a short
    template. A render from a _Names of its own (see _render_inlined) keeps its
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
        if parent.__class__ is not _Names:
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


def _filter_date(value: Any) -> str:
    """{{ callback_at|date }}: the day alone, as the letter writes it."""
    if isinstance(value, dates.LetterDateTime):
        return str(value.letter_date())
    return str(value)


def _filter_time(value: Any) -> str:
    """{{ callback_at|time }}: the time of day alone, as the letter writes it."""
    if isinstance(value, dates.LetterDateTime):
        return value.letter_time()
    return str(value)


_FILTERS = {"date": _filter_date, "time": _filter_time}


# Kept as text: re compiles (and caches) each the first time a draft needs it, and
# most drafts need none. "by 3 p.m." or "Sample Co." at the end of a sentence would
# print "p.m.." and "Co..".
_DOUBLE_STOP = r"\b(a\.m|p\.m|Co|Corp|Inc|Ltd|etc|Jr|Sr)\.\.(?=\s|$)"
_TRAILING_SPACE = r"(?m)(?<!^--)[ \t\u3000]+$"


def _tidy(text: str, lang: str) -> str:
    """Trailing spaces off, at most one blank line in a row, one final newline."""
    if lang == "en" and ".." in text:
        text = re.sub(_DOUBLE_STOP, r"\1.", text)
    # "-- " is the signature separator mail programs look for: its space stays.
    if " \n" in text or "\t\n" in text or "\u3000\n" in text or text.rstrip("\n")[-1:].isspace():
        text = re.sub(_TRAILING_SPACE, "", text)
    if "\n\n\n" in text:
        text = re.sub(r"\n{3,}", "\n\n", text)
    body = text.strip("\n")
    return body + "\n" if body else ""


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


class _Inlined(NamedTuple):
    template: jinja2.Template | None
    fast: compiled.Render | None


class _Plan(NamedTuple):
    # The very playbook and step (their ids may be reused once they are gone; a copy
    # of a playbook with other variables has the same steps).
    playbook: Playbook
    step: Step
    name: str
    template: jinja2.Template
    inlined: jinja2.Template | None
    fast: compiled.Render | None  # the inlined template as a plain function (see compiled)
    dated: tuple[str, ...]  # the variables that hold a date
    to_var: str | None
    name_var: str | None


class Renderer:
    """Renders playbook steps from the templates of a list of content roots."""

    def __init__(self, roots: Sequence[ContentRoot], *, inline_includes: bool = False) -> None:
        """``inline_includes``: render from templates with their includes compiled in
        (see _inline); worth its compile time only for a batch."""
        self.roots = list(roots)
        self._envs: dict[str, jinja2.Environment] = {}
        self._names: dict[tuple[str, str], frozenset[str]] = {}
        # Jinja's own lookup builds a globals map on every call; a batch asks thousands of times.
        self._templates: dict[tuple[str, str], jinja2.Template] = {}
        self._shown: dict[tuple[date, str, date], Any] = {}
        self._inline = inline_includes
        self._inlined: dict[tuple[str, str], _Inlined] = {}
        self._plans: dict[tuple[int, str], _Plan] = {}  # by the step's id (a step is unhashable)

    def environment(self, lang: str) -> jinja2.Environment:
        if lang not in self._envs:
            folders = [r.templates / lang for r in self.roots]
            builtin = [r.templates / lang for r in self.roots if r.origin == "built-in"]
            loader = jinja2.ChoiceLoader(
                [
                    ConfinedLoader([str(f) for f in folders]),
                    jinja2.PrefixLoader(
                        {BUILTIN_PREFIX: ConfinedLoader([str(f) for f in builtin])}, delimiter=":"
                    ),
                ]
            )
            env = _Sandbox(
                loader=loader,
                undefined=jinja2.StrictUndefined,
                autoescape=False,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                auto_reload=False,
                bytecode_cache=_bytecode_cache(),
            )
            env.filters.update(_FILTERS)
            self._envs[lang] = env
        return self._envs[lang]

    def template(self, name: str, lang: str) -> jinja2.Template:
        found = self._templates.get((name, lang))
        if found is not None:
            return found
        env = self.environment(lang)
        try:
            found = self._templates[name, lang] = env.get_template(name)
            return found
        except jinja2.TemplateNotFound as e:
            searched = ", ".join(str(r.templates / lang) for r in self.roots)
            missing = e.name if e.name != name else name
            raise ContentError(f"template '{missing}' not found (looked in {searched})") from None
        except jinja2.TemplateSyntaxError as e:
            raise ContentError(
                f"template syntax: {e.message}", where=f"{e.filename or name}:{e.lineno}"
            ) from None
        except (ValueError, RecursionError) as e:  # a 5,000-digit number, 3,000 nested ifs
            raise ContentError(
                f"template cannot be compiled: {e}", where=self._filename(name, lang)
            ) from None

    def _filename(self, name: str, lang: str) -> str:
        try:
            return self._loaded(name, lang)[1] or name
        except jinja2.TemplateNotFound:
            return name

    def _inlined_pair(self, name: str, lang: str) -> _Inlined:
        """The template with what it includes compiled into it, and that as a plain
        function; None for what cannot be done (render() then uses the template itself)."""
        key = (name, lang)
        if key not in self._inlined:
            env = self.environment(lang)
            found = _Inlined(None, None)
            try:
                code, fast = self._inlined_code(env, name, lang)
                if code is not None:
                    template = env.template_class.from_code(env, code, env.make_globals(None))
                    found = _Inlined(template, None)
                    if fast is not None:  # should loading it fail, the template still serves
                        from claimkit import compiled

                        found = found._replace(fast=compiled.load(fast, _FILTERS))
            except Exception:  # the template's own errors are the plain render's to report
                pass
            self._inlined[key] = found
        return self._inlined[key]

    def _inlined_code(
        self, env: jinja2.Environment, name: str, lang: str
    ) -> tuple[CodeType | None, CodeType | None]:
        """The inlined template's code, and its code as a plain function if it has
        one (see compiled), kept in the cache while no file it reads changes: parsing
        them again would cost a batch's start-up Jinja's lexer and compiler."""
        from claimkit import cache, compiled

        store = cache.default()
        mark = cache.digest(
            "inlined",
            cache.made_by(__name__, compiled.__name__),
            sys.implementation.cache_tag,
            jinja2.__version__,
            lang,
            name,
            self._source(name, lang),
        )
        found = store.get("inlined", mark)
        if found is not None:
            kept, fast, read = found
            if all(cache.digest(self._source(other, lang)) == seen for other, seen in read):
                return kept, fast
        sources: list[tuple[str, str]] = []
        tree = _inline(env, name, (name,), sources)
        code: CodeType | None = None
        fast = None
        if tree is not None:
            # before Jinja's compiler changes the tree
            text = compiled.source(tree, _FILTERS, jinja_globals=env.globals)
            fast = compiled.to_code(text) if text is not None else None
            code = env.compile(tree, name, self.template(name, lang).filename)
        read = [(n, cache.digest(text)) for n, text in sources]
        store.put("inlined", mark, (code, fast, read))
        return code, fast

    def _letter(self, value: date, lang: str, today: date) -> Any:
        key = (value, lang, today)
        shown = self._shown.get(key)
        if shown is None:
            if len(self._shown) > 4096:
                self._shown.clear()
            shown = self._shown[key] = dates.for_letter(value, lang, today)
        return shown

    def names_used(self, name: str, lang: str) -> frozenset[str]:
        """The variables a template and the templates it includes read."""
        key = (name, lang)
        if key not in self._names:
            self._names[key] = self._cached_names(name, lang) or self._scan_names(name, lang)
        return self._names[key]

    def _loaded(self, name: str, lang: str) -> tuple[str, str | None]:
        """The template's text and file, from its loader (TemplateNotFound if none)."""
        env = self.environment(lang)
        assert env.loader is not None
        source, filename, _ = env.loader.get_source(env, name)
        return source, filename

    def _source(self, name: str, lang: str) -> str:
        return self._loaded(name, lang)[0]

    def _exists(self, name: str, lang: str) -> bool:
        try:
            self._source(name, lang)
        except jinja2.TemplateNotFound:
            return False
        return True

    def _cached_names(self, name: str, lang: str) -> frozenset[str] | None:
        """A previous run's answer, if neither the template nor what it includes changed."""
        from claimkit import cache

        try:
            found = cache.default().get("names", cache.digest(lang, name, self._source(name, lang)))
            if found is None:
                return None
            names, included = found
            for other, mark in included:
                if mark == _MISSING:
                    if self._exists(other, lang):
                        return None
                elif cache.digest(self._source(other, lang)) != mark:
                    return None
        except (jinja2.TemplateNotFound, ValueError, TypeError):
            return None
        return frozenset(names)

    def _scan_names(self, name: str, lang: str) -> frozenset[str]:
        from jinja2 import meta

        from claimkit import cache

        env = self.environment(lang)
        names: set[str] = set()
        pending, seen = [name], set()
        included: list[tuple[str, str]] = []
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            assert env.loader is not None
            if current != name:
                try:
                    env.loader.get_source(env, current)
                except jinja2.TemplateNotFound:
                    # Perhaps included "ignore missing"; if not, rendering says it is missing.
                    included.append((current, _MISSING))
                    continue
            self.template(current, lang)  # a clear error if it is missing or broken
            source, filename, _ = env.loader.get_source(env, current)
            if current != name:
                included.append((current, cache.digest(source)))
            ast = env.parse(source, current, filename)
            names |= meta.find_undeclared_variables(ast)
            pending += [t for t in meta.find_referenced_templates(ast) if t]
        key = cache.digest(lang, name, self._source(name, lang))
        cache.default().put("names", key, (sorted(names), included))
        return frozenset(names)

    def render(
        self,
        playbook: Playbook,
        step: Step,
        lang: str,
        values: Mapping[str, Any],
        today: date,
    ) -> Draft:
        """The step's message from ``values`` as resolve makes them (a date only under a
        date or datetime variable)."""
        plan = self._plans.get((id(step), lang))
        if plan is None or plan.step is not step or plan.playbook is not playbook:
            plan = self._plans[id(step), lang] = self._plan(playbook, step, lang)
        template = plan.template
        if isinstance(values.get("today"), date):
            today = values["today"]
        rendered = None
        # Each fast way gives None on an error: rendered again below, to report as the
        # templates have it.
        if plan.fast is not None:
            # A compiled template reads no Jinja global (see compiled.source): its names
            # start as a copy of the values, which a dict makes whole, far faster than
            # key by key.
            names = dict(values)
            self._add_names(plan, values, lang, today, names)
            rendered = _render_fast(plan.fast, names)
        if rendered is None and plan.inlined is not None:
            rendered = _render_inlined(plan.inlined, self._context(plan, values, lang, today))
        if rendered is None:
            rendered = self._run(template, step, values, self._context(plan, values, lang, today))
        body = _tidy(rendered[0], lang)
        subject = _one_line(rendered[1])
        # Values are checked for lone surrogates (see variables); a template's own "\ud800"
        # is not. Encoding finds one, and needs no expression compiled.
        if not _encodable(body) or (subject is not None and not _encodable(subject)):
            raise TemplateRenderError(
                "the template wrote a lone surrogate, which no mail can carry",
                where=template.filename or plan.name,
            )
        to = values.get(plan.to_var) if plan.to_var else None
        name = values.get(plan.name_var) if to and plan.name_var else None
        sender = values.get("agent_email")
        # In the fields' order: by keyword, a batch's draft takes twice as long to make.
        return Draft(
            playbook.id,  # scenario
            step.id,
            lang,
            step.channel,
            step.audience,
            body,
            subject,
            str(to) if to else None,  # to
            str(name) if name else None,  # to_name
            str(sender) if sender else None,  # sender
            _sender_name(values, lang),  # sender_name
            values,  # variables
        )

    def _context(self, plan: _Plan, values: Mapping[str, Any], lang: str, today: date) -> _Names:
        """A render's names: the template's globals under the values, as Jinja would add
        them, so an inlined template renders from this very dict (see _render_inlined)."""
        context = _Names(plan.template.globals)
        context.update(values)
        self._add_names(plan, values, lang, today, context)
        return context

    def _add_names(
        self, plan: _Plan, values: Mapping[str, Any], lang: str, today: date, names: dict[str, Any]
    ) -> None:
        """Set the render's own names in ``names``, which holds the values."""
        # Dates print themselves as a letter writes them: {{ callback_at }} needs no filter.
        shown = self._shown.get  # the few dates of a batch, made once
        for key in plan.dated:
            value = values.get(key)
            if isinstance(value, date):
                names[key] = shown((value, lang, today)) or self._letter(value, lang, today)
        names["lang"] = lang
        names["scenario"] = plan.playbook.id
        names["step"] = plan.step.id
        names["today"] = shown((today, lang, today)) or self._letter(today, lang, today)

    def _plan(self, playbook: Playbook, step: Step, lang: str) -> _Plan:
        """What every render of a step shares: worked out once, as a batch renders it often."""
        assert step.template is not None
        template = self.template(step.template, lang)
        to_var = step.to or ("customer_email" if step.audience == "customer" else None)
        inlined = self._inlined_pair(step.template, lang) if self._inline else _Inlined(None, None)
        return _Plan(
            playbook,
            step,
            step.template,
            template,
            inlined.template,
            inlined.fast,
            tuple(v.name for v in playbook.variables if v.type in ("date", "datetime")),
            to_var,
            to_var.removesuffix("_email") + "_name" if to_var else None,
        )

    def _run(
        self,
        template: jinja2.Template,
        step: Step,
        values: Mapping[str, Any],
        context: dict[str, Any],
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
        except jinja2.TemplateSyntaxError as e:
            raise ContentError(
                f"template syntax: {e.message}", where=f"{e.filename or step.template}:{e.lineno}"
            ) from None
        except jinja2.TemplateNotFound as e:
            raise ContentError(
                f"template '{e.name}' not found (included from {step.template})"
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


def _render_fast(render: compiled.Render, names: Mapping[str, Any]) -> tuple[str, Any] | None:
    """The body and subject from a template compiled to a function; None if it fails."""
    try:
        return render(names)
    except Exception:
        return None


def _render_inlined(template: jinja2.Template, context: _Names) -> tuple[str, Any] | None:
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


def _inline(
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
    from jinja2 import nodes

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
        included = _inline(env, target.value, (*stack, target.value), sources)
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


def _encodable(text: str) -> bool:
    """Whether UTF-8 can carry ``text``: a lone surrogate it cannot.

    Where orjson is loaded (a batch writes its JSON Lines with it), orjson finds
    out: it keeps the UTF-8 it makes in the string, so the record written later
    does not encode the body a second time. A single draft does not import it for
    this: the import costs more than the draft.
    """
    orjson = sys.modules.get("orjson")
    try:
        if orjson is not None:
            orjson.dumps(text)
        else:
            text.encode("utf-8")
    except (UnicodeEncodeError, TypeError):  # orjson's error is a TypeError
        return False
    return True


def _one_line(subject: object) -> str | None:
    """A subject block may span lines in the template; the header is one line."""
    if subject is None:
        return None
    text = str(subject)
    if "\n" in text or "\r" in text:
        text = re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", text)
    return text.strip() or None


def _sender_name(values: Mapping[str, Any], lang: str) -> str | None:
    """株式会社サンプル商事 佐藤 花子 / Jordan Lee, Sample Trading Company."""
    company, agent = values.get("company_name"), values.get("agent_name")
    if company and agent:
        return f"{company} {agent}" if lang == "ja" else f"{agent}, {company}"
    return str(company or agent) if company or agent else None


def _where(e: BaseException, template: jinja2.Template) -> str:
    """file:line of the deepest template frame in the error (an include's, if there)."""
    filename, line = template.filename or template.name or "template", 0
    tb = e.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return f"{filename}:{line}" if line else filename
