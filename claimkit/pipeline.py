"""Drafting one message: scenario and step chosen, variables resolved, template rendered,
and, answering a complaint mail, made a reply to it.

The library entry point for the ``draft`` command and for batches: no I/O here
beyond reading content through the catalog and renderer it is given.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from claimkit.content.catalog import Catalog
from claimkit.content.playbook import Playbook, Step
from claimkit.errors import InputError
from claimkit.output.draft import Draft
from claimkit.render.renderer import Renderer
from claimkit.values.resolve import Asker, Sources, resolve

if TYPE_CHECKING:
    from claimkit.mail.reply import Reply


class Request(NamedTuple):
    scenario: str
    lang: str
    sources: Sources
    today: date
    step: str | None = None
    reply: Reply | None = None  # the complaint mail the draft answers (claimkit.mail.reply)


class Result(NamedTuple):
    draft: Draft
    unused: tuple[str, ...]  # --set / data names the scenario does not use


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
    sources = request.sources
    reply = request.reply
    if reply is not None:
        sources = sources._replace(mail=reply.values, mail_name=reply.where)
    resolved = resolve(playbook, request.lang, sources, request.today, ask, needed, memo)
    draft = renderer.render(playbook, step, request.lang, resolved.values, request.today)
    if reply is not None:
        from claimkit.mail.reply import answered

        draft = answered(draft, step, reply)
    return Result(draft, resolved.unused)


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
