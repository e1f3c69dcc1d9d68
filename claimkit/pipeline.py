"""Drafting one message: scenario and step chosen, variables resolved, template rendered.

The library entry point for the ``draft`` command and for batches: no I/O here
beyond reading content through the catalog and renderer it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from claimkit.content.catalog import Catalog
from claimkit.content.playbook import Playbook, Step, Variable
from claimkit.errors import InputError
from claimkit.output.draft import Draft
from claimkit.render.renderer import Renderer
from claimkit.values.phrasing import echo, in_context
from claimkit.values.resolve import Asker, Sources, resolve


class Request(NamedTuple):
    scenario: str
    lang: str
    sources: Sources
    today: date
    step: str | None = None
    # The moment of drafting, aware, for the promised times' check; None skips it.
    now: datetime | None = None
    strict_times: bool = False  # a promised time that cannot be kept is an error


class Result(NamedTuple):
    draft: Draft
    unused: tuple[str, ...]  # --set / data names the scenario does not use
    warnings: tuple[str, ...] = ()  # promised times that cannot be kept, and why


def make_draft(
    catalog: Catalog,
    renderer: Renderer,
    request: Request,
    ask: Asker | None = None,
    memo: dict[Any, Any] | None = None,
) -> Result:
    """One draft; ``memo`` lets the drafts of a batch share what they worked out."""
    if memo is None:
        playbook, step, needed = _prepare(catalog, renderer, request)
    else:
        key = ("draft", request.scenario, request.step, request.lang)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _prepare(catalog, renderer, request)
        playbook, step, needed = found
    assert step.template is not None
    slots = renderer.template(step.template, request.lang).slots
    if ask is not None:
        ask = _in_context(ask, slots)
    resolved = resolve(playbook, request.lang, request.sources, request.today, ask, needed, memo)
    # A batch's rows repeat most values: each verdict is worked out once per batch.
    said: dict[Any, str | None] = {} if memo is None else memo.setdefault("said", {})
    if len(said) > 4096:
        said.clear()
    warnings = _promises(playbook, needed, resolved.values, request, said)
    if memo is None:
        # What a person typed for this message; a batch's rows come from an export,
        # and looking at every value of every row would cost a tenth of the batch.
        warnings += _echoes(slots, resolved.values, request.sources, request.lang, said)
    draft = renderer.render(playbook, step, request.lang, resolved.values, request.today)
    return Result(draft=draft, unused=resolved.unused, warnings=warnings)


def _in_context(ask: Asker, slots: dict[str, tuple[str, str]]) -> Asker:
    """The asker, told where in the message each answer lands (a prompt shows it)."""

    def asked(
        var: Variable,
        default: Any,
        check: Callable[[str], Any],
        slot: tuple[str, str] | None = None,
        /,
    ) -> Any:
        return ask(var, default, check, slots.get(var.name))

    return asked


def _echoes(
    slots: dict[str, tuple[str, str]],
    values: dict[str, Any],
    sources: Sources,
    lang: str,
    said: dict[Any, str | None],
) -> tuple[str, ...]:
    """A given value that repeats the words around its slot: "we now we no longer…"."""
    found = []
    for name, (before, after) in slots.items():
        value = values.get(name)
        if not isinstance(value, str) or not value:
            continue
        if name not in sources.overrides and name not in sources.data:
            continue  # a default, an example or the profile: not typed for this message
        key = ("echo", name, value)
        if key not in said:
            words = echo(before, value, after, lang)
            said[key] = None
            if words is not None:
                shown = in_context(before, value, after)
                said[key] = f"{name}: “{words}” is written twice in “{shown}”"
        if said[key] is not None:
            found.append(said[key])
    return tuple(f for f in found if f is not None)


def _promises(
    playbook: Playbook,
    needed: frozenset[str],
    values: dict[str, Any],
    request: Request,
    said: dict[Any, str | None],
) -> tuple[str, ...]:
    """Why each promised time this message writes could not be kept (none, mostly)."""
    promised = [
        v.name for v in playbook.variables if v.promise and v.name in needed and values[v.name]
    ]
    if request.now is None or not promised:
        return ()
    from claimkit.values.business import Calendar
    from claimkit.values.times import unkeepable

    calendar = request.sources.calendar or Calendar(zone=request.now.tzinfo or UTC)
    found = []
    for name in promised:
        key = ("promise", name, values[name], request.lang)
        if key not in said:
            said[key] = unkeepable(values[name], request.now, calendar, request.lang)
        why = said[key]
        if why is not None:
            found.append(f"{name}: {why}")
    if found and request.strict_times:
        raise InputError(f"{'; '.join(found)} (--strict-times)")
    return tuple(found)


def _prepare(
    catalog: Catalog, renderer: Renderer, request: Request
) -> tuple[Playbook, Step, frozenset[str]]:
    """The playbook and step a request names, and the variables the step's message needs."""
    playbook = catalog.load(request.scenario)
    step = playbook.step(request.step)
    if request.lang not in playbook.languages:
        raise InputError(
            f"scenario '{playbook.id}' is written in {', '.join(playbook.languages)} only; "
            f"use --lang {playbook.languages[0]}"
        )
    # Only what this step's message needs is resolved (and asked for), so a variable
    # of another step never blocks a draft. Templates compile before any prompt.
    return playbook, step, _needed(renderer, step, request.lang)


def _needed(renderer: Renderer, step: Step, lang: str) -> frozenset[str]:
    """The variables a step's message needs: its template's, and its To header's."""
    assert step.template is not None
    needed = set(renderer.names_used(step.template, lang)) | {"today", "agent_email"}
    to_var = step.to or ("customer_email" if step.audience == "customer" else None)
    if to_var:
        needed |= {to_var, to_var.removesuffix("_email") + "_name"}
    return frozenset(needed)
