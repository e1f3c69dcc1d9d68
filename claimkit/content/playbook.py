"""Playbooks: the steps of a scenario and the variables its templates need.

A playbook is a YAML file; this module turns one into typed records and refuses
anything malformed with the file and line, so a team lead learns what to fix
from the message alone. The schema is documented in docs/playbooks.md. The
records are NamedTuples: importing dataclasses (and inspect with it) and
creating a dataclass cost a scripted draft about 10 ms of its start-up.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef, most of a millisecond for this module.
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from claimkit.cases.due import Due, parse_due
from claimkit.content.fields import Fields, suggest
from claimkit.errors import ContentError, UnknownNameError

LANGS = ("ja", "en")
VAR_TYPES = ("text", "multiline", "number", "email", "date", "datetime", "bool", "choice")
CHANNELS = ("email", "phone", "visit", "remote", "review", "record", "meeting")
AUDIENCES = ("customer", "internal", "public")
VAR_AUDIENCES = ("any", "internal")
# How a step's mail stands to a complaint it answers (--reply-to): in the complaint's
# thread (Re: its subject, In-Reply-To, References, its words quoted), or a new one.
THREADS = ("reply", "new")
STEP_KEYS = (
    "id",
    "title",
    "do",
    "channel",
    "audience",
    "deadline",
    "limit",
    "template",
    "to",
    "thread",
    "due",
    "limits",
)
# What the case log counts on a case (claimkit case log / call), for limits and counted values.
COUNTS = ("exchanges", "minutes")
# Names the renderer itself puts into every template's context.
RESERVED = frozenset({"lang", "scenario", "step", "subject"})
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TEMPLATE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\.j2$")


class Text(NamedTuple):
    """A text in each language; a plain string in YAML stands for every language."""

    by_lang: Mapping[str, str]

    def get(self, lang: str) -> str:
        if lang in self.by_lang:
            return self.by_lang[lang]
        return next(iter(self.by_lang.values()))


class Choice(NamedTuple):
    value: str
    label: Text


class Variable(NamedTuple):
    name: str
    type: str
    prompt: Text
    required: bool = True
    default: Any = None  # a raw value, or a Text when it differs by language
    example: Any = None  # same
    choices: tuple[Choice, ...] = ()
    ask: bool = True  # False: never prompted (the profile, --set or --data give it)
    # "internal": an agent's note for the company (an escalation's background, say),
    # which validate keeps out of every message to a customer or the public.
    audience: str = "any"
    # A time the message promises the customer (the call by 15:00): warned about when it
    # is past, outside the business hours or on a closed day (claimkit.values.times).
    promise: bool = False
    when: str | None = None  # asked only when this other variable has a value
    help: Text | None = None
    # In a case, the value is what the log counted (exchanges or minutes), not asked.
    counted: str | None = None
    line: int = 0

    def localized(self, raw: Any, lang: str) -> Any:
        return raw.get(lang) if isinstance(raw, Text) else raw


class Limits(NamedTuple):
    """What the practice allows on a step (the threat call: the decided answer 3 times,
    about 20 minutes), as numbers the case log counts against; ``then`` is the step
    drafted when one is reached (the record for the manager)."""

    exchanges: int | None = None
    minutes: int | None = None
    then: str | None = None
    line: int = 0


class Step(NamedTuple):
    id: str
    title: Text
    do: Text
    channel: str
    audience: str
    deadline: Text | None = None
    limit: Text | None = None
    template: str | None = None
    to: str | None = None  # the variable holding the To address of this step's message
    thread: str = "new"  # "reply": under --reply-to, the mail answers the complaint
    due: Due | None = None  # when it is due, for the case log (beside the human deadline)
    limits: Limits | None = None
    line: int = 0


class Playbook(NamedTuple):
    """A scenario's steps and variables."""

    id: str
    title: Text
    summary: Text
    languages: tuple[str, ...]
    steps: tuple[Step, ...]
    variables: tuple[Variable, ...]  # the playbook's own, common ones merged in by the catalog
    notes: tuple[Text, ...] = ()
    source: Path = Path(".")

    def step(self, step_id: str | None) -> Step:
        """The named step, or with ``None`` the first step that drafts a message."""
        if step_id is None:
            for s in self.steps:
                if s.template:
                    return s
            raise UnknownNameError(f"scenario '{self.id}' has no step that drafts a message")
        for s in self.steps:
            if s.id == step_id:
                if not s.template:
                    drafting = ", ".join(x.id for x in self.steps if x.template)
                    raise UnknownNameError(
                        f"step '{step_id}' of '{self.id}' is done by hand, it has no message; "
                        f"steps with a message: {drafting}"
                    )
                return s
        ids = [s.id for s in self.steps]
        raise UnknownNameError(
            f"scenario '{self.id}' has no step '{step_id}'{suggest(step_id, ids)}; "
            f"its steps: {', '.join(ids)}"
        )

    @property
    def names(self) -> frozenset[str]:
        """The names of all its variables."""
        return frozenset(v.name for v in self.variables)

    def variable(self, name: str) -> Variable | None:
        for v in self.variables:
            if v.name == name:
                return v
        return None

    def with_variables(self, variables: tuple[Variable, ...]) -> "Playbook":
        return self._replace(variables=variables)


class _Node(Fields):
    """Fields, and a text in each language."""

    def text(self, key: str, langs: tuple[str, ...], *, required: bool = True) -> Text | None:
        if not self.has(key):
            if required:
                raise self.fail(f"'{key}' is required (a string, or one per language: ja, en)")
            return None
        return to_text(self.data[key], langs, self.fail_at(key), f"'{key}'")

    def fail_at(self, key: str) -> Any:
        return lambda message: self.fail(message, key)


# YAML's folded style (>-) joins lines with a space, which Japanese does not put
# after 。 or 、: a team lead's wrapped paragraph should not read "報告します。 メール".
_FOLD_SPACE = re.compile(r"(?<=[。、！？）」』])[ ]+(?=\S)")


def _unfold(text: str) -> str:
    return _FOLD_SPACE.sub("", text)


def to_text(value: Any, langs: tuple[str, ...], fail: Any, what: str) -> Text:
    if isinstance(value, str) and value.strip():
        return Text({lang: _unfold(value) for lang in langs})
    if isinstance(value, dict):
        unknown = [k for k in value if k not in LANGS]
        if unknown:
            hint = ""
            if " " in str(unknown[0]):
                # {ja: ..., en: a, b} reads "b" as a key: YAML's flow style splits at commas.
                hint = "; a comma inside { } ends the text there: put the text in quotes"
            raise fail(
                f"{what}: unknown language {unknown[0]!r}; languages are {', '.join(LANGS)}{hint}"
            )
        missing = [lang for lang in langs if not isinstance(value.get(lang), str)]
        if missing:
            raise fail(f"{what} has no text for {', '.join(missing)}")
        return Text({lang: _unfold(str(value[lang])) for lang in langs})
    raise fail(f"{what} must be a string or a mapping of language to string")


def _localized_value(value: Any, langs: tuple[str, ...]) -> Any:
    """A default or example: a mapping of languages is a Text, anything else is raw."""
    if isinstance(value, dict) and value and all(k in LANGS for k in value):
        missing = [lang for lang in langs if lang not in value]
        if not missing:
            return Text({lang: value[lang] for lang in langs})
    return value


def parse_variable(data: Any, file: str, line: int, langs: tuple[str, ...]) -> Variable:
    node = _Node(data, file, "variable", line)
    name = node.string(
        "name", pattern=_NAME, hint=" (lower case letters, digits and _, starting with a letter)"
    )
    node.what = f"variable '{name}'"
    if name in RESERVED:
        raise node.fail(f"'{name}' is a name claimkit sets itself; choose another", "name")
    node.only(
        [
            "name",
            "type",
            "prompt",
            "help",
            "required",
            "default",
            "example",
            "choices",
            "ask",
            "audience",
            "promise",
            "when",
            "counted",
        ]
    )
    kind = node.one_of("type", VAR_TYPES, default="text")
    choices: list[Choice] = []
    for item, item_line in node.items("choices"):
        if isinstance(item, str):
            choices.append(Choice(item, Text({lang: item for lang in langs})))
            continue
        c = _Node(item, file, f"variable '{name}' choice", item_line)
        c.only(["value", "label"])
        value = c.string("value")
        label = c.text("label", langs, required=False) or Text({lang: value for lang in langs})
        choices.append(Choice(value, label))
    if kind == "choice" and not choices:
        raise node.fail("a choice variable needs 'choices'", "type")
    if kind != "choice" and choices:
        raise node.fail("'choices' only fit a variable of type: choice", "choices")
    default = _localized_value(node.raw("default"), langs)
    example = _localized_value(node.raw("example"), langs)
    required = node.boolean("required", default=True)
    if required and default is None and example is None:
        raise node.fail("give an 'example' (used by --example, the docs and the tests)")
    prompt = node.text("prompt", langs)
    assert prompt is not None
    return Variable(
        name=name,
        type=kind,
        prompt=prompt,
        required=required,
        default=default,
        example=example,
        choices=tuple(choices),
        ask=node.boolean("ask", default=True),
        help=node.text("help", langs, required=False),
        audience=node.one_of("audience", VAR_AUDIENCES, default="any"),
        promise=_promise(node, kind),
        when=node.optional_string("when", pattern=_NAME),
        counted=_counted(node, kind),
        line=node.line,
    )


def _promise(node: _Node, kind: str) -> bool:
    promise = node.boolean("promise", default=False)
    if promise and kind not in ("date", "datetime"):
        raise node.fail("'promise: true' fits a date or datetime variable", "promise")
    return promise


def _counted(node: _Node, kind: str) -> str | None:
    if not node.has("counted"):
        return None
    counted = node.one_of("counted", COUNTS)
    if kind not in ("number", "choice"):
        raise node.fail("'counted' fits a number (or choice) variable", "counted")
    return counted


def _limits(node: _Node) -> Limits | None:
    if not node.has("limits"):
        return None
    where = node.line_of("limits")
    limits = _Node(node.raw("limits"), node.file, f"{node.what}: limits", where)
    limits.only(["exchanges", "minutes", "then"])
    counts = {}
    for key in COUNTS:
        value = limits.raw(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000
        ):
            raise limits.fail(f"'{key}' must be a whole number from 1, not {value!r}", key)
        counts[key] = value
    if counts["exchanges"] is None and counts["minutes"] is None:
        raise limits.fail("give exchanges, minutes or both, e.g. {exchanges: 3, minutes: 20}")
    return Limits(
        exchanges=counts["exchanges"],
        minutes=counts["minutes"],
        then=limits.optional_string("then", pattern=_ID, hint=" (a step id)"),
        line=limits.line,
    )


def parse_step(data: Any, file: str, line: int, langs: tuple[str, ...]) -> Step:
    node = _Node(data, file, "step", line)
    step_id = node.string("id", pattern=_ID, hint=" (lower-case words joined by -)")
    node.what = f"step '{step_id}'"
    node.only(STEP_KEYS)
    title = node.text("title", langs)
    do = node.text("do", langs)
    assert title is not None and do is not None
    template = node.optional_string(
        "template", pattern=_TEMPLATE, hint=" (a path under templates/<lang>/ ending in .j2)"
    )
    channel = node.one_of("channel", CHANNELS)
    audience = node.one_of("audience", AUDIENCES, default="customer")
    return Step(
        id=step_id,
        title=title,
        do=do,
        channel=channel,
        audience=audience,
        deadline=node.text("deadline", langs, required=False),
        limit=node.text("limit", langs, required=False),
        template=template,
        to=node.optional_string("to", pattern=_NAME),
        thread=_thread(node, channel, audience, template),
        due=parse_due(node.raw("due"), node.at("due")) if node.has("due") else None,
        limits=_limits(node),
        line=node.line,
    )


def _thread(node: _Node, channel: str, audience: str, template: str | None) -> str:
    """A mail to the customer answers the complaint unless it says ``thread: new``; any
    other message starts its own thread: a report to a manager or a team, a public
    review reply, is no reply to the customer's mail."""
    answers = channel == "email" and audience == "customer"
    if not node.has("thread"):
        return "reply" if answers else "new"
    if channel != "email" or template is None:
        raise node.fail(
            "'thread' is for a step that drafts a mail (channel: email, with a template)", "thread"
        )
    thread = node.one_of("thread", THREADS)
    if thread == "reply" and not answers:
        who = "your team" if audience == "internal" else "the public"
        raise node.fail(
            f"thread: reply is for a mail to the customer; a mail to {who} is no reply to "
            "their complaint and starts its own thread (thread: new, or leave it out)",
            "thread",
        )
    return thread


def parse_variables(
    items: list[tuple[Any, int]], file: str, langs: tuple[str, ...]
) -> list[Variable]:
    out: list[Variable] = []
    seen: set[str] = set()
    for item, line in items:
        var = parse_variable(item, file, line, langs)
        if var.name in seen:
            raise ContentError(f"variable '{var.name}' is declared twice", where=f"{file}:{line}")
        seen.add(var.name)
        out.append(var)
    return out


def parse_playbook(data: Any, file: Path, *, expected_id: str | None = None) -> Playbook:
    where = str(file)
    node = _Node(data, where, "playbook", 1)
    node.only(["id", "title", "summary", "languages", "steps", "variables", "notes"])
    playbook_id = node.string("id", pattern=_ID, hint=" (lower-case words joined by -)")
    if expected_id is not None and playbook_id != expected_id:
        raise node.fail(f"id '{playbook_id}' must match the file name ({expected_id}.yaml)", "id")
    node.what = f"playbook '{playbook_id}'"
    langs_raw = node.raw("languages") or list(LANGS)
    if not isinstance(langs_raw, list) or not langs_raw or any(x not in LANGS for x in langs_raw):
        raise node.fail(f"'languages' must be a list drawn from: {', '.join(LANGS)}", "languages")
    langs = tuple(str(x) for x in langs_raw)
    title = node.text("title", langs)
    summary = node.text("summary", langs)
    assert title is not None and summary is not None
    steps: list[Step] = []
    for item, line in node.items("steps"):
        step = parse_step(item, where, line, langs)
        if any(s.id == step.id for s in steps):
            raise ContentError(f"step '{step.id}' appears twice", where=f"{where}:{line}")
        steps.append(step)
    if not steps:
        raise node.fail("'steps' must list at least one step")
    if not any(s.template for s in steps):
        raise node.fail("at least one step needs a 'template' (the message it drafts)")
    variables = parse_variables(node.items("variables"), where, langs)
    notes = tuple(
        to_text(item, langs, lambda m, ln=line: ContentError(m, where=f"{where}:{ln}"), "a note")
        for item, line in node.items("notes")
    )
    return Playbook(
        id=playbook_id,
        title=title,
        summary=summary,
        languages=langs,
        steps=tuple(steps),
        variables=tuple(variables),
        notes=notes,
        source=file,
    )


class CommonVariables(NamedTuple):
    """Variables every playbook has: the customer's, asked first, and the sender's, last."""

    customer: tuple[Variable, ...] = ()
    sender: tuple[Variable, ...] = ()

    def merged_over(self, lower: "CommonVariables") -> "CommonVariables":
        def merge(high: tuple[Variable, ...], low: tuple[Variable, ...]) -> tuple[Variable, ...]:
            names = {v.name for v in high}
            return tuple(v for v in low if v.name not in names) + high

        return CommonVariables(
            merge(self.customer, lower.customer), merge(self.sender, lower.sender)
        )

    def around(self, playbook: Playbook) -> Playbook:
        """The playbook with common variables around its own; its own win by name."""
        own = {v.name for v in playbook.variables}
        first = tuple(v for v in self.customer if v.name not in own)
        last = tuple(v for v in self.sender if v.name not in own)
        return playbook.with_variables(first + playbook.variables + last)


def parse_common(data: Any, file: Path) -> CommonVariables:
    where = str(file)
    node = _Node(data, where, "common variables", 1)
    node.only(["customer", "sender"])
    return CommonVariables(
        tuple(parse_variables(node.items("customer"), where, LANGS)),
        tuple(parse_variables(node.items("sender"), where, LANGS)),
    )
