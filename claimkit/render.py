"""Rendering a playbook step's template to a Draft.

A template runs as a plain Python function where claimkit.compiled could make
one of it (every built-in template can): the function's code is kept in the
cache, so a draft whose template has not changed since it was compiled never
imports Jinja, which is a third of a draft's start-up. Any other template, and
any render the function cannot finish, runs in Jinja's sandbox (claimkit.sandbox),
which writes the draft or reports the error with its file and line. Either way
a template's files are read through claimkit.templatefiles, which never leaves a
templates folder. A template sets the mail subject with
``{% set subject %}...{% endset %}``.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from types import CodeType
from typing import TYPE_CHECKING, Any, NamedTuple

from claimkit import dates
from claimkit.draft import Draft
from claimkit.errors import ClaimkitError, ContentError, TemplateRenderError
from claimkit.paths import ContentRoot
from claimkit.playbook import Playbook, Step
from claimkit.templatefiles import TemplateFiles, TemplateMissing

if TYPE_CHECKING:
    import jinja2

    from claimkit.sandbox import Names

Render = Callable[[Mapping[str, Any]], tuple[str, str | None]]

_MISSING = ""  # the cached mark of an included file that does not exist
# The code that makes what the "inlined" cache keeps: a change to any of it (Jinja's
# version is in its __init__) makes it again.
_MAKERS = ("claimkit.render", "claimkit.compiled", "claimkit.sandbox", "jinja2")


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


def _name_parts(value: Any) -> tuple[list[str], bool]:
    """A name's words, and whether it is written family name first (Japanese, Chinese,
    Korean script) rather than last."""
    text = str(value)
    east = any(
        "\u3040" <= c <= "\ud7af" or "\uf900" <= c <= "\uffef" or c >= "\U00020000" for c in text
    )
    return text.replace("\u3000", " ").split(), east


def _filter_surname(value: Any) -> str:
    """{{ customer_name|surname }}: 山田 太郎 -> 山田, Alex Morgan -> Morgan; one word whole."""
    words, east = _name_parts(value)
    if len(words) < 2:
        return " ".join(words)
    return words[0] if east else words[-1]


def _filter_given_name(value: Any) -> str:
    """{{ customer_name|given_name }}: 山田 太郎 -> 太郎, Alex Morgan -> Alex; one word whole."""
    words, east = _name_parts(value)
    if len(words) < 2:
        return " ".join(words)
    return " ".join(words[1:] if east else words[:-1])


_FILTERS = {
    "date": _filter_date,
    "time": _filter_time,
    "surname": _filter_surname,
    "given_name": _filter_given_name,
}


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


def load_compiled(code: CodeType, filters: Mapping[str, Callable[[Any], Any]] = _FILTERS) -> Render:
    """The function that the code of a compiled template defines (see claimkit.compiled)."""
    namespace: dict[str, Any] = {"FILTERS": dict(filters)}
    exec(code, namespace)
    render: Render = namespace["render"]
    return render


class _Plan(NamedTuple):
    # The very playbook and step (their ids may be reused once they are gone; a copy
    # of a playbook with other variables has the same steps).
    playbook: Playbook
    step: Step
    name: str  # the template's
    filename: str  # the template's file, as errors name it
    fast: Render | None  # the template as a plain function, includes and all (see compiled)
    dated: tuple[str, ...]  # the variables that hold a date
    to_var: str | None
    name_var: str | None


class Renderer:
    """Renders playbook steps from the templates of a list of content roots."""

    def __init__(self, roots: Sequence[ContentRoot], *, inline_includes: bool = False) -> None:
        """``inline_includes``: where a template cannot run as a plain function, run it
        in Jinja with its includes compiled in (see sandbox.inline); worth its compile
        time only for a batch."""
        self.roots = list(roots)
        self._files: dict[str, TemplateFiles] = {}
        self._envs: dict[str, jinja2.Environment] = {}
        self._names: dict[tuple[str, str], frozenset[str]] = {}
        # Jinja's own lookup builds a globals map on every call; a batch asks thousands of times.
        self._templates: dict[tuple[str, str], jinja2.Template] = {}
        self._shown: dict[tuple[date, str, date], Any] = {}
        self._inline = inline_includes
        self._codes: dict[tuple[str, str], tuple[CodeType | None, CodeType | None]] = {}
        self._fast: dict[tuple[str, str], Render | None] = {}
        self._inlined: dict[tuple[str, str], jinja2.Template | None] = {}
        self._plans: dict[tuple[int, str], _Plan] = {}  # by the step's id (a step is unhashable)

    def files(self, lang: str) -> TemplateFiles:
        """Where the templates of a language are read from."""
        if lang not in self._files:
            self._files[lang] = TemplateFiles(
                [r.templates / lang for r in self.roots],
                [r.templates / lang for r in self.roots if r.origin == "built-in"],
            )
        return self._files[lang]

    def environment(self, lang: str) -> jinja2.Environment:
        """Jinja's sandbox for a language's templates (imports Jinja)."""
        if lang not in self._envs:
            from claimkit import sandbox

            self._envs[lang] = sandbox.environment(self.files(lang), _FILTERS)
        return self._envs[lang]

    def template(self, name: str, lang: str) -> jinja2.Template:
        """A template compiled by Jinja (ContentError if it is missing or broken)."""
        found = self._templates.get((name, lang))
        if found is None:
            from claimkit import sandbox

            env = self.environment(lang)
            found = self._templates[name, lang] = sandbox.load(env, name, self._searched(lang))
        return found

    def _searched(self, lang: str) -> str:
        return ", ".join(str(r.templates / lang) for r in self.roots)

    def _read(self, name: str, lang: str) -> tuple[str, str]:
        """The template's text and file (ContentError if there is none, or not as text)."""
        try:
            return self.files(lang).read(name)
        except TemplateMissing:
            raise ContentError(
                f"template '{name}' not found (looked in {self._searched(lang)})"
            ) from None

    def _source(self, name: str, lang: str) -> str:
        return self._read(name, lang)[0]

    def _exists(self, name: str, lang: str) -> bool:
        try:
            self.files(lang).read(name)
        except TemplateMissing:
            return False
        return True

    def fast(self, name: str, lang: str) -> Render | None:
        """The template, with what it includes, as a plain function; None if it has none."""
        key = (name, lang)
        if key not in self._fast:
            code = self._compiled(name, lang)[1]
            found = None
            if code is not None:
                with contextlib.suppress(Exception):  # kept code that will not run: Jinja serves
                    found = load_compiled(code)
            self._fast[key] = found
        return self._fast[key]

    def _inlined_template(self, name: str, lang: str) -> jinja2.Template | None:
        """The template with what it includes compiled into it, as Jinja runs it; None
        where that cannot be done (the template itself then runs)."""
        key = (name, lang)
        if key not in self._inlined:
            code = self._compiled(name, lang)[0]
            found = None
            if code is not None:
                env = self.environment(lang)
                # The template's own errors are the plain render's to report.
                with contextlib.suppress(Exception):
                    found = env.template_class.from_code(env, code, env.make_globals(None))
            self._inlined[key] = found
        return self._inlined[key]

    def _compiled(self, name: str, lang: str) -> tuple[CodeType | None, CodeType | None]:
        """The inlined template's code for Jinja, and its code as a plain function."""
        key = (name, lang)
        found = self._codes.get(key)
        if found is None:
            try:
                found = self._compiled_code(name, lang)
            except Exception:  # the template's own errors are the plain render's to report
                found = (None, None)
            self._codes[key] = found
        return found

    def _compiled_code(self, name: str, lang: str) -> tuple[CodeType | None, CodeType | None]:
        """What _compiled gives, kept in the cache while no file it reads changes:
        a hit needs neither Jinja's parser and compiler nor Jinja at all."""
        from claimkit import cache

        store = cache.default()
        mark = cache.digest(
            "inlined",
            cache.made_by(*_MAKERS),
            sys.implementation.cache_tag,
            lang,
            name,
            self._source(name, lang),
        )
        found = store.get("inlined", mark)
        if found is not None:
            kept, fast, read = found
            if all(cache.digest(self._source(other, lang)) == seen for other, seen in read):
                return kept, fast
        from claimkit import compiled, sandbox

        env = self.environment(lang)
        sources: list[tuple[str, str]] = []
        tree = sandbox.inline(env, name, (name,), sources)
        code: CodeType | None = None
        fast = None
        if tree is not None:
            # before Jinja's compiler changes the tree
            python = compiled.source(tree, _FILTERS, jinja_globals=env.globals)
            fast = compiled.to_code(python) if python is not None else None
            code = env.compile(tree, name, self._read(name, lang)[1])
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
        except (ClaimkitError, ValueError, TypeError):  # a scan says what is wrong
            return None
        return frozenset(names)

    def _scan_names(self, name: str, lang: str) -> frozenset[str]:
        from claimkit import cache, sandbox

        env = self.environment(lang)
        names: set[str] = set()
        pending, seen = [name], set()
        included: list[tuple[str, str]] = []
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            if current != name and not self._exists(current, lang):
                # Perhaps included "ignore missing"; if not, rendering says it is missing.
                included.append((current, _MISSING))
                continue
            self.template(current, lang)  # a clear error if it is missing or broken
            source, filename = self._read(current, lang)
            if current != name:
                included.append((current, cache.digest(source)))
            read, includes = sandbox.names_read(env, source, current, filename)
            names |= read
            pending += includes
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
        if isinstance(values.get("today"), date):
            today = values["today"]
        rendered = None
        if plan.fast is not None:
            # A compiled template reads no Jinja global (see compiled.source): its names
            # start as a copy of the values, which a dict makes whole, far faster than
            # key by key.
            names = dict(values)
            self._add_names(plan, values, lang, today, names)
            rendered = _render_fast(plan.fast, names)
        if rendered is None:  # rendered again by Jinja, which reports what failed
            rendered = self._render_jinja(plan, values, lang, today)
        body = _tidy(rendered[0], lang)
        subject = _one_line(rendered[1])
        # Values are checked for lone surrogates (see variables); a template's own "\ud800"
        # is not. Encoding finds one, and needs no expression compiled.
        if not _encodable(body) or (subject is not None and not _encodable(subject)):
            raise TemplateRenderError(
                "the template wrote a lone surrogate, which no mail can carry",
                where=plan.filename,
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

    def _render_jinja(
        self, plan: _Plan, values: Mapping[str, Any], lang: str, today: date
    ) -> tuple[str, Any]:
        """The body and subject as Jinja renders them; its errors as claimkit's."""
        from claimkit import sandbox

        rendered = None
        if self._inline:
            inlined = self._inlined_template(plan.name, lang)
            if inlined is not None:  # None on an error: rendered again below, to report
                rendered = sandbox.render_inlined(inlined, self._context(plan, values, lang, today))
        if rendered is None:
            template = self.template(plan.name, lang)
            context = self._context(plan, values, lang, today)
            rendered = sandbox.run(template, plan.name, values, context)
        return rendered

    def _context(self, plan: _Plan, values: Mapping[str, Any], lang: str, today: date) -> Names:
        """A render's names: the template's globals under the values, as Jinja would add
        them, so an inlined template renders from this very dict (see render_inlined)."""
        from claimkit.sandbox import Names

        context = Names(self.template(plan.name, lang).globals)
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
        filename = self._read(step.template, lang)[1]  # a clear error if there is none
        to_var = step.to or ("customer_email" if step.audience == "customer" else None)
        return _Plan(
            playbook,
            step,
            step.template,
            filename,
            self.fast(step.template, lang),
            tuple(v.name for v in playbook.variables if v.type in ("date", "datetime")),
            to_var,
            to_var.removesuffix("_email") + "_name" if to_var else None,
        )


def _render_fast(render: Render, names: Mapping[str, Any]) -> tuple[str, Any] | None:
    """The body and subject from a template compiled to a function; None if it fails."""
    try:
        return render(names)
    except Exception:
        return None


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
