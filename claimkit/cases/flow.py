"""Which step of a case is next and when it is due, from the playbook's steps as plain data.

The case log takes steps as ``StepSpec`` records rather than playbooks, so it
does not depend on how playbooks are read; the command builds them from the
scenario's playbook (``step.template is not None`` is ``has_message``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from claimkit.cases.due import PREVIOUS, Due, due_time
from claimkit.errors import InputError
from claimkit.values.business import Calendar

CUSTOMER_FACING = ("customer", "public")


class StepSpec(NamedTuple):
    id: str
    has_message: bool = False  # the step drafts a message (it has a template)
    audience: str = "customer"  # customer, internal or public
    due: Due | None = None

    @property
    def replies_to_customer(self) -> bool:
        """Doing this step answers the customer: the first such step is the case's first reply."""
        return self.has_message and self.audience in CUSTOMER_FACING


def find_step(steps: Sequence[StepSpec], step_id: str, scenario: str) -> StepSpec:
    for step in steps:
        if step.id == step_id:
            return step
    names = ", ".join(s.id for s in steps)
    raise InputError(f"no step '{step_id}' in '{scenario}'; its steps are {names}")


def next_step(steps: Sequence[StepSpec], done: Mapping[str, datetime]) -> StepSpec | None:
    """The first step, in the playbook's order, not yet done (or skipped)."""
    for step in steps:
        if step.id not in done:
            return step
    return None


def step_due(
    steps: Sequence[StepSpec],
    step_id: str,
    *,
    received: datetime,
    done: Mapping[str, datetime],
    values: Mapping[str, object],
    calendar: Calendar,
) -> datetime | None:
    """When ``step_id`` is due: its ``due`` with "previous" being when the step before was done.

    ``with: other`` is the other step's due time, followed through a chain of
    ``with``; a loop, or a step that is not there, gives None.
    """
    index = {s.id: i for i, s in enumerate(steps)}
    seen: set[str] = set()
    current = step_id
    while current in index and current not in seen:
        seen.add(current)
        step = steps[index[current]]
        if step.due is None:
            return None
        if step.due.together_with is not None:
            current = step.due.together_with
            continue
        i = index[current]
        previous = done.get(steps[i - 1].id) if i > 0 else None
        return due_time(
            step.due,
            received=received,
            previous_done=previous,
            values=values,
            calendar=calendar,
        )
    return None


def waits_for_previous(steps: Sequence[StepSpec], step_id: str) -> bool:
    """True when the step's due time counts from the step before it (through ``with``).

    Such a due time is known only once that step is done, so the case log plans
    it only for the next step; every other due time (a promised ``callback_at``)
    is tracked from the moment its value is known.
    """
    by_id = {s.id: s for s in steps}
    seen: set[str] = set()
    current = step_id
    while current in by_id and current not in seen:
        seen.add(current)
        due = by_id[current].due
        if due is None:
            return False
        if due.together_with is None:
            return due.within is not None and due.start == PREVIOUS
        current = due.together_with
    return False
