"""The check as the commands use it: rule sets loaded once per language, context from playbooks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from claimkit.check.engine import Context, Finding, check
from claimkit.check.loading import load_rules
from claimkit.check.rules import RuleSet
from claimkit.content.fields import suggest
from claimkit.content.playbook import Playbook
from claimkit.errors import InputError
from claimkit.output.draft import Draft


class Checker:
    """Checks replies; each language's rules are loaded (and their examples run) once."""

    def __init__(self, rule_dirs: Sequence[Path] = (), disabled: Iterable[str] = ()) -> None:
        self.rule_dirs = list(rule_dirs)
        self.disabled = list(dict.fromkeys(disabled))
        self._sets: dict[str, RuleSet] = {}

    def rules(self, lang: str) -> RuleSet:
        if lang not in self._sets:
            ruleset = load_rules(lang, self.rule_dirs)
            known = ruleset.ids()
            for rule_id in self.disabled:
                if rule_id not in known:
                    raise InputError(
                        f"--disable: unknown rule '{rule_id}'{suggest(rule_id, known)}; "
                        f"the {lang} rules are: {', '.join(known)}"
                    )
            self._sets[lang] = ruleset.without(self.disabled)
        return self._sets[lang]

    def check(self, text: str, lang: str, context: Context) -> list[Finding]:
        return check(text, self.rules(lang), context)

    def check_draft(self, draft: Draft, today: date | None = None) -> list[Finding]:
        """The check of a draft, as the kind of message its step is (``today``: the day
        its dates are read against)."""
        context = Context(draft.scenario, draft.step, draft.audience, today=today)
        return check(draft.body, self.rules(draft.lang), context)


def context_for(playbook: Playbook, step: str | None, today: date | None = None) -> Context:
    """What a reply to ``playbook``'s step (default: its first message) is."""
    found = playbook.step(step)
    return Context(playbook.id, found.id, found.audience, today=today)
