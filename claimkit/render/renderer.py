"""Rendering a playbook step's template to a Draft: one path, one fallback.

A template that claimkit.render.compiler can turn into a program (every
built-in one) runs as that program; any other runs in Jinja's sandbox
(claimkit.render.sandbox). A program that cannot finish a render (a name it
needs is not there) hands the render to Jinja, which writes the draft or
reports the error with its file and line. A template's program and the names
it reads are kept in the cache while no file it was made from changes, so a
draft from a cached program never imports Jinja, a third of a scripted draft's
start-up. Either way a template's files are read through
claimkit.render.lookup, which never leaves its content folder. A template sets
the mail subject with ``{% set subject %}...{% endset %}``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from claimkit.errors import ContentError, InputError, TemplateRenderError
from claimkit.output.draft import Draft
from claimkit.paths import ContentRoot
from claimkit.render.filters import FILTERS
from claimkit.render.lookup import TemplateFiles, TemplateMissing
from claimkit.render.program import BadProgram, Render, build, slots
from claimkit.values import dates
from claimkit.values.resolve import address

if TYPE_CHECKING:
    import jinja2

    from claimkit.content.playbook import Playbook, Step
    from claimkit.render.sandbox import Scan


class Template(NamedTuple):
    """What rendering needs of one template in one language."""

    name: str
    filename: str
    program: Render | None  # None: Jinja runs it
    names: frozenset[str]  # what it and its includes read
    slots: dict[str, tuple[str, str]]  # a printed name: the text around it on its line


class Renderer:
    """Renders playbook steps from the templates of a list of content roots."""

    def __init__(self, roots: Sequence[ContentRoot]) -> None:
        self.roots = list(roots)
        self._files: dict[str, TemplateFiles] = {}
        self._envs: dict[str, jinja2.Environment] = {}
        self._templates: dict[tuple[str, str], Template] = {}
        self._jinja: dict[tuple[str, str], jinja2.Template] = {}
        # A batch prints the same few dates thousands of times, each made once.
        self._letters: dict[tuple[date, str, date], date] = {}

    def files(self, lang: str) -> TemplateFiles:
        """Where the templates of a language are read from."""
        if lang not in self._files:
            self._files[lang] = TemplateFiles.of(self.roots, lang)
        return self._files[lang]

    def environment(self, lang: str) -> jinja2.Environment:
        """Jinja's sandbox for a language's templates (imports Jinja)."""
        if lang not in self._envs:
            from claimkit.render import sandbox

            self._envs[lang] = sandbox.environment(self.files(lang), FILTERS)
        return self._envs[lang]

    def scan(self, name: str, lang: str) -> Scan:
        """The names a template and its includes read, each with where it is first read."""
        from claimkit.render import sandbox

        return sandbox.scan(self.environment(lang), name)

    def exists(self, name: str, lang: str) -> bool:
        """Whether a template of that name is there (ContentError if it is not text)."""
        try:
            self.files(lang).read(name)
        except TemplateMissing:
            return False
        return True

    def names_used(self, name: str, lang: str) -> frozenset[str]:
        return self.template(name, lang).names

    def template(self, name: str, lang: str) -> Template:
        """The template ready to render: from the cache, or made (ContentError if it is
        missing or broken)."""
        found = self._templates.get((name, lang))
        if found is None:
            text, filename = self._read(name, lang)
            program, names = self._cached(name, lang, text) or self._made(name, lang, text)
            found = self._templates[name, lang] = Template(
                name=name,
                filename=filename,
                program=None if program is None else build(program, FILTERS),
                names=names,
                slots={} if program is None else slots(program),
            )
        return found

    def _read(self, name: str, lang: str) -> tuple[str, str]:
        """The template's text and file (ContentError if there is none, or not as text)."""
        try:
            return self.files(lang).read(name)
        except TemplateMissing:
            searched = ", ".join(str(r.templates / lang) for r in self.roots)
            raise ContentError(f"template '{name}' not found (looked in {searched})") from None

    def _cached(
        self, name: str, lang: str, text: str
    ) -> tuple[list[object] | None, frozenset[str]] | None:
        """A previous run's program and names, if no file they were made from changed."""
        from claimkit import cache

        found = cache.default().get("template", cache.key("template", lang, name, text))
        try:
            program, names, included = found
            for other, seen in included:
                if seen != self._fingerprint(other, lang):
                    return None
            if program is not None:
                build(program, FILTERS)  # refuses what is not a program
            return program, frozenset(names)
        except (TypeError, ValueError, BadProgram):  # nothing kept, or not in this shape
            return None

    def _fingerprint(self, name: str, lang: str) -> str:
        """An included file's digest, or "" for one that is not there."""
        from claimkit import cache

        try:
            return cache.digest(self.files(lang).read(name)[0])
        except TemplateMissing:
            return ""

    def _made(self, name: str, lang: str, text: str) -> tuple[list[object] | None, frozenset[str]]:
        """The program (None if Jinja must run the template) and the names it reads,
        made with Jinja's parser and kept in the cache."""
        from claimkit import cache
        from claimkit.render import compiler, sandbox

        env = self.environment(lang)
        scan = sandbox.scan(env, name)
        program = compiler.program(
            name, lambda n: sandbox.parse(env, n), FILTERS, jinja_globals=env.globals
        )
        included = [[other, self._fingerprint(other, lang)] for other in scan.included]
        names = sorted(scan.names)
        key = cache.key("template", lang, name, text)
        cache.default().put("template", key, [program, names, included])
        return program, frozenset(names)

    def jinja_template(self, name: str, lang: str) -> jinja2.Template:
        """The template compiled by Jinja (ContentError if it is missing or broken)."""
        found = self._jinja.get((name, lang))
        if found is None:
            from claimkit.render import sandbox

            searched = ", ".join(str(r.templates / lang) for r in self.roots)
            found = sandbox.load(self.environment(lang), name, searched)
            self._jinja[name, lang] = found
        return found

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
        assert step.template is not None
        template = self.template(step.template, lang)
        if isinstance(values.get("today"), date):
            today = values["today"]
        names = self._names(values, playbook.id, step.id, lang, today)
        rendered = None
        if template.program is not None:
            try:
                rendered = template.program(names)
            except Exception:
                rendered = None
        if rendered is None:
            from claimkit.render import sandbox

            rendered = sandbox.run(self.jinja_template(step.template, lang), step.template, names)
        body = tidy(rendered[0], lang)
        subject = one_line(rendered[1], template.filename)
        if _SURROGATE.search(body):
            # Values are checked for lone surrogates (see values.resolve); a template's own
            # "\ud800" is not, and no mail can carry it.
            raise TemplateRenderError(
                "the template wrote a lone surrogate, which no mail can carry",
                where=template.filename,
            )
        to_var = step.to or ("customer_email" if step.audience == "customer" else None)
        to = _one_address(to_var, values.get(to_var)) if to_var else None
        to_name = values.get(to_var.removesuffix("_email") + "_name") if to and to_var else None
        sender = _one_address("agent_email", values.get("agent_email"))
        return Draft(
            scenario=playbook.id,
            step=step.id,
            lang=lang,
            channel=step.channel,
            audience=step.audience,
            body=body,
            subject=subject,
            to=to,
            to_name=str(to_name) if to_name else None,
            sender=sender,
            sender_name=_sender_name(values, lang),
            variables=values,
        )

    def _names(
        self, values: Mapping[str, Any], scenario: str, step: str, lang: str, today: date
    ) -> dict[str, Any]:
        """A render's names: the values, dates as a letter writes them, and the render's own."""
        names = dict(values)
        for key, value in values.items():
            if isinstance(value, date):  # {{ callback_at }} needs no filter
                names[key] = self._letter(value, lang, today)
        names["lang"] = lang
        names["scenario"] = scenario
        names["step"] = step
        names["today"] = self._letter(today, lang, today)
        return names

    def _letter(self, value: date, lang: str, today: date) -> date:
        key = (value, lang, today)
        shown = self._letters.get(key)
        if shown is None:
            if len(self._letters) >= 4096:
                self._letters.clear()
            shown = self._letters[key] = dates.for_letter(value, lang, today)
        return shown


_SURROGATE = re.compile("[\ud800-\udfff]")
# "by 3 p.m." or "Sample Co." at the end of a sentence would print "p.m.." and "Co..".
# As text, compiled by re.sub on first use: only an English draft with ".." needs it.
_DOUBLE_STOP = r"\b(a\.m|p\.m|Co|Corp|Inc|Ltd|etc|Jr|Sr)\.\.(?=[\s\"'”’)\]]|$)"
_SPACES = " \t\u3000"


def tidy(text: str, lang: str) -> str:
    """Trailing spaces off, at most one blank line in a row, one final newline.

    Line by line, in time linear in the text whatever a value holds (an expression
    anchored at line ends took minutes on a run of 100,000 spaces); most drafts need
    none of it, which a few plain searches tell.
    """
    if lang == "en" and ".." in text:
        text = re.sub(_DOUBLE_STOP, r"\1.", text)
    if not (
        " \n" in text
        or "\t\n" in text
        or "\u3000\n" in text
        or "\n\n\n" in text
        or text[-1:] in _SPACES
        or text.rstrip("\n")[-1:] in _SPACES
        or text.lstrip("\n")[:1].isspace()
    ):
        body = text.strip("\n")
        return body + "\n" if body else ""
    lines: list[str] = []
    blank = False
    for line in text.split("\n"):
        # "-- " is the signature separator mail programs look for: its space stays.
        kept = line if line == "-- " else line.rstrip(_SPACES)
        if not kept:
            if blank or not lines:
                continue
            blank = True
        else:
            blank = False
        lines.append(kept)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(subject: str | None, where: str) -> str | None:
    """A subject block may span lines in the template; the header is one line.

    Every kind of line break a mail reader knows (str.splitlines': VT, FF, FS, NEL,
    U+2028...) joins with a space; another control character stops the draft.
    """
    if subject is None:
        return None
    text = " ".join(part.strip() for part in subject.splitlines()).strip()
    bad = _CONTROL.search(text)
    if bad:
        raise TemplateRenderError(
            f"the subject holds a control character (U+{ord(bad.group()):04X}); "
            "remove it from the template",
            where=where,
        )
    return text or None


def _one_address(name: str, value: object) -> str | None:
    """A header's address: exactly one, whatever type its variable was declared with
    (a team's plain-text variable holding "a@x, b@y" must not add a recipient)."""
    if not value:
        return None
    try:
        return address(str(value))
    except ValueError as e:
        raise InputError(f"{name}: {str(value)[:80]!r} {e}") from None


def _sender_name(values: Mapping[str, Any], lang: str) -> str | None:
    """株式会社サンプル商事 佐藤 花子 / Jordan Lee, Sample Trading Company."""
    company, agent = values.get("company_name"), values.get("agent_name")
    if company and agent:
        return f"{company} {agent}" if lang == "ja" else f"{agent}, {company}"
    return str(company or agent) if company or agent else None
