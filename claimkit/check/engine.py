"""check(): a reply and a rule set in, findings out. Pure: no I/O, no printing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimkit.check.rules import Rule, RuleSet
from claimkit.check.text import Prepared, Span


@dataclass(frozen=True)
class Context:
    """What the reply is: the scenario and step it answers, and who reads it."""

    scenario: str | None = None
    step: str | None = None
    audience: str = "customer"  # a reply checked on its own is taken to be to a customer


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    excerpt: str
    suggestion: str | None = None


class _Values(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _finding(rule: Rule, text: Prepared, span: Span, **values: object) -> Finding:
    start, end = text.original_range(span)
    line, column = text.position(start)
    end_line, end_column = text.position(max(end - 1, start))
    excerpt = text.excerpt(span)
    fill = _Values(match=excerpt, max=rule.max, **values)
    suggestion = values.get("suggestion") or rule.suggestion
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column + 1,
        message=rule.message.format_map(fill),
        excerpt=excerpt,
        suggestion=str(suggestion).format_map(fill) if suggestion else None,
    )


def _units(text: Prepared, unit: str) -> list[Span]:
    if unit == "sentence":
        return text.sentences
    if unit == "paragraph":
        return text.paragraphs
    if unit == "message":
        return [Span(0, len(text.agent))] if text.agent.strip() else []
    spans: list[Span] = []
    pos = 0
    for line in text.agent.split("\n"):
        if line.strip():
            spans.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _measure(rule: Rule, body: str) -> int:
    if rule.measure == "chars":
        return len(re.sub(r"\s", "", body))
    if rule.measure == "words":
        return len(body.split())
    if rule.measure == "lines":
        return body.count("\n") + 1
    assert rule.matcher is not None
    return sum(1 for _ in rule.matcher.finditer(body))


def _run(rule: Rule, text: Prepared) -> list[Finding]:
    agent = text.agent
    if rule.kind == "existence":
        assert rule.matcher is not None
        return [
            _finding(rule, text, Span(m.start(), m.end()))
            for m in rule.matcher.finditer(agent)
            if m.end() > m.start()
        ]
    if rule.kind == "substitution":
        assert rule.matcher is not None
        found = []
        for m in rule.matcher.finditer(agent):
            right = rule.swaps.get(m.group()) or rule.swaps.get(m.group().lower(), "")
            found.append(_finding(rule, text, Span(m.start(), m.end()), suggestion=right))
        return found
    if rule.kind == "required":
        assert rule.matcher is not None
        if rule.matcher.search(agent) or not agent.strip():
            return []
        first = text.sentences[0] if text.sentences else Span(0, 0)
        return [_finding(rule, text, first)]
    if rule.kind == "limit":
        found = []
        for span in _units(text, rule.unit):
            amount = _measure(rule, agent[span.start : span.end])
            if amount > rule.max:
                found.append(_finding(rule, text, span, count=amount))
        return found
    # repetition: the pattern in two sentences in a row
    assert rule.matcher is not None
    found, previous = [], False
    for span in text.sentences:
        hit = bool(rule.matcher.search(agent, span.start, span.end))
        if hit and previous:
            found.append(_finding(rule, text, span))
        previous = hit
    return found


def check(text: str | Prepared, rules: RuleSet, context: Context = Context()) -> list[Finding]:
    """The findings of every rule that applies to this reply, in text order."""
    prepared = text if isinstance(text, Prepared) else Prepared(text, rules.lang)
    findings: list[Finding] = []
    for rule in rules.rules:
        if not rule.scope.applies(
            context.scenario, context.step, context.audience, prepared.quoted
        ):
            continue
        if rule.unless is not None and rule.unless.search(prepared.agent):
            continue
        findings += _run(rule, prepared)
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings


def triggers(rule: Rule, text: str, lang: str) -> bool:
    """Whether ``rule`` fires on ``text`` in a context inside its scope (for examples)."""
    scenario, step, audience = rule.scope.sample_context()
    return bool(check(text, RuleSet(lang, (rule,)), Context(scenario, step, audience)))
