"""check(): a reply and a rule set in, findings out. Pure: no I/O, no printing.

A reply is checked paragraph by paragraph, and what the rules find in a
paragraph is remembered by its text: drafts from one template share most of
their paragraphs, so a batch pays for each distinct paragraph once. Every rule
kind is built from per-paragraph facts (matches, sentence measures, sums), so
the remembered results are exact, not approximations. Matches therefore never
span a blank line, which no rule in practice wants to do.

A new paragraph is run through only the rules that can find something in it
(those whose tokens or pattern starts it holds, and the few that need neither:
see rules.Index), which is exact too: the others would find nothing.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from claimkit.check import text as txt
from claimkit.check.rules import (
    Lookup,
    Matcher,
    Rule,
    RuleSet,
    pattern_matcher,
    rewritten,
    rule_set,
)
from claimkit.check.text import Prepared, Span, lower

# Paragraphs remembered per rule set before starting afresh: enough for the shared
# paragraphs of many templates, few enough that a million unique ones keep memory flat.
MEMO_LIMIT = 4096


class Context(NamedTuple):
    """What the reply is: the scenario and step it answers, and who reads it."""

    scenario: str | None = None
    step: str | None = None
    audience: str = "customer"  # a reply checked on its own is taken to be to a customer
    # The day the reply is read against: a promised date before it is past, and a date
    # written without a year is its nearest occurrence. None: neither is judged.
    today: date | None = None


class Finding(NamedTuple):
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


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


Match = tuple[int, int, str | None]  # start, end and, for a substitution, the right form


def find(rule: Rule, m: Matcher, text: str, tokens: bool = True) -> list[Match]:
    """The rule's matches in ``text``, in order and apart (of two that overlap, the
    one that starts first, or is longer, or comes first in the rule, is kept).

    ``tokens=False`` says the caller knows none of the rule's tokens is in the text.
    """
    found: list[Match] = []
    if tokens and m.literal is not None:
        for x in m.literal.finditer(text):
            s, e = x.span()
            # Tokens only stop at ASCII word boundaries (see rules.literal_matcher).
            if _is_word(text[s]) and s > 0 and _is_word(text[s - 1]):
                continue
            if _is_word(text[e - 1]) and e < len(text) and _is_word(text[e]):
                continue
            right = None
            if m.swaps:
                word = x.group()
                right = m.swaps.get(word) or m.swaps.get(word.lower())
            found.append((s, e, right))
    if (m.pattern is not None or m.each) and _may_match(rule, text):
        if m.pattern is not None:
            found += [
                (x.start(), x.end(), None) for x in m.pattern.finditer(text) if x.end() > x.start()
            ]
        for expression, rewrite in m.each:
            for x in expression.finditer(text):
                if x.end() > x.start():
                    found.append((x.start(), x.end(), rewritten(rewrite, x) if rewrite else None))
    if len(found) > 1:
        found.sort(key=lambda f: (f[0], -f[1]))  # stable: the rule's order breaks ties
        kept: list[Match] = []
        end = -1
        for f in found:
            if f[0] >= end:
                kept.append(f)
                end = f[1]
        return kept
    return found


def _searches(rule: Rule, m: Matcher, text: str) -> bool:
    """Whether the rule's expressions match anywhere in ``text`` (one C-level search
    each: the common answer is no)."""
    if not _may_match(rule, text):
        return False
    if m.pattern is not None and m.pattern.search(text) is not None:
        return True
    return any(expression.search(text) is not None for expression, _ in m.each)


def _dates(rule: Rule, m: Matcher, text: str, lang: str) -> list[tuple[int, int, Any]]:
    """The dates a date rule's patterns find: where each is, and what it says."""
    from claimkit.check.dates import read

    found = []
    for expression, _ in m.each:
        for x in expression.finditer(text):
            s, e = x.span("date")
            written = read(text[s:e], lang)
            if written is None or (rule.check == "weekday" and written.weekday < 0):
                continue
            found.append((s, e, written))
    found.sort(key=lambda f: f[0])
    return found


def _may_match(rule: Rule, text: str) -> bool:
    """False when none of the strings every match starts with is in the text: the
    expression need not run (nor be compiled, which costs a draft milliseconds)."""
    starts = rule.starts
    if starts is None:
        return True
    for start in starts:  # noqa: SIM110 -- a loop: any() over a generator costs more than the tests
        if start in text:
            return True
    return False


def _chars(body: str) -> int:
    """Characters that are not blank: what a length limit counts."""
    c = body.count
    return len(body) - c(" ") - c("\t") - c("\n") - c("\u3000")


def _plain_measure(measure: str, body: str) -> int:
    """The characters, words or lines of ``body``."""
    if measure == "chars":
        return _chars(body)
    if measure == "words":
        return len(body.split())
    return sum(1 for line in body.split("\n") if line.strip())


def _measure(rule: Rule, m: Matcher, body: str) -> int:
    if rule.measure in ("chars", "words", "lines"):
        return _plain_measure(rule.measure, body)
    if m.countable:
        count = 0
        for needle in rule.needles:
            count += body.count(needle)
        return count
    return len(find(rule, m, body))


def _present(lookup: Lookup, body: str, tokens: set[int], starting: set[int]) -> None:
    """Add the rules (by index) one of whose tokens, or pattern starts, is in ``body``."""
    firsts, by_first, token_rules, start_rules = lookup
    if not firsts:
        return
    # One C-level pass over the paragraph finds the first characters worth trying; a set
    # of its own characters would cost a string object for each kana or kanji.
    for first in firsts.intersection(body):
        for pair, whole, longer in by_first[first]:
            if pair in body:
                if whole:
                    tokens.update(token_rules.get(pair, ()))
                    starting.update(start_rules.get(pair, ()))
                for found in longer:
                    if found in body:
                        tokens.update(token_rules.get(found, ()))
                        starting.update(start_rules.get(found, ()))


def _lines(text: str) -> list[Span]:
    return txt.split(text, txt._NEWLINE)


class _Paragraph:
    """What the rules find in one paragraph, kept sparse: most rules find nothing.

    Offsets are relative to the paragraph. Sentences are cut only when a rule
    needs them (a limit the whole paragraph is over, a repeated pattern, the
    place to report a missing element): most new paragraphs need none.
    """

    __slots__ = (
        "_sentences",
        "_unless",
        "amounts",
        "asked",
        "done",
        "hits",
        "lang",
        "lowered",
        "satisfied",
        "text",
    )

    def __init__(self, rules: RuleSet, text: str, wanted: frozenset[int]) -> None:
        self.text = text
        self.lang = rules.lang
        self.lowered = lower(text) if rules.state.any_ignorecase else text
        self._sentences: tuple[Span, ...] | None = None
        index = rules.paragraph_index()
        hits: dict[int, Any] = {}  # rule index -> what it found, when it found anything
        amounts = [0] * len(index.message_slots)  # message-wide limits: this paragraph's share
        self._measured_limits(rules, hits, amounts)
        self.hits = hits
        self.amounts = amounts
        self.satisfied: frozenset[int] = frozenset()  # required rules whose words are here
        self.done: frozenset[int] = frozenset()  # the rules run on it so far
        self.asked: dict[int, bool] = {}  # rules of Index.asked, and whether they are satisfied
        self._unless: dict[int, bool] = {}
        self.run(rules, wanted)

    def run(self, rules: RuleSet, wanted: frozenset[int]) -> None:
        """Run the rules of ``wanted`` not run on it yet: a paragraph remembered from one
        kind of reply meets another kind's rules only when such a reply holds it."""
        todo = wanted if not self.done else wanted - self.done
        self.done = wanted if not self.done else self.done | wanted
        text, lowered = self.text, self.lowered
        plain, lowered_lookup, ungated = rules.narrowed(todo)
        index = rules.paragraph_index()
        all_rules = rules.rules
        hits = self.hits
        amounts = self.amounts
        satisfied: list[int] = []
        # One plain "in" per token and per pattern start of the rules is far cheaper than
        # a regex scan per rule, and most paragraphs hold none of most rules' words:
        # only the rules whose strings are here, and the ungated ones, run.
        with_tokens: set[int] = set()
        starting: set[int] = set()
        _present(plain, text, with_tokens, starting)
        _present(lowered_lookup, lowered, with_tokens, starting)
        visit: Iterable[int] = ungated
        if with_tokens or starting:
            visit = sorted(with_tokens.union(starting, visit))
        for i in visit:
            rule = all_rules[i]
            m = rules.matcher(i)
            tokens = i in with_tokens
            body = lowered if rule.ignorecase else text
            kind = rule.kind
            if kind == "limit":  # a count: the others are measured in __init__
                whole = _measure(rule, m, body)
                if rule.unit == "message":
                    amounts[index.message_slots[i]] = whole
                else:
                    found = self._limit(rule, m, body, whole)
                    if found is not None:
                        hits[i] = found
            elif kind == "repetition":
                if not _may_match(rule, body):
                    continue  # else every paragraph would be cut into sentences
                fact = tuple(
                    (s, bool(find(rule, m, body[s.start : s.end]))) for s in self.sentences
                )
                if any(hit for _, hit in fact):
                    hits[i] = fact
            elif kind == "date":
                if _may_match(rule, body):
                    dates = _dates(rule, m, body, self.lang)
                    if dates:
                        hits[i] = tuple(dates)
            # One C-level search settles the common case: nothing here for this rule.
            elif not tokens and not _searches(rule, m, body):
                continue
            elif kind == "required":
                if find(rule, m, body, tokens):
                    satisfied.append(i)
            else:
                found = find(rule, m, body, tokens)
                if found and m.unless_sentence is not None:
                    found = self._unexcused(found, m.unless_sentence, body)
                if found:
                    hits[i] = tuple(found)
        if len(hits) > 1:  # in rule order, as one loop over the rules would have found them
            self.hits = dict(sorted(hits.items()))
        if satisfied:
            self.satisfied = self.satisfied.union(satisfied)

    def _unexcused(self, found: list[Match], excuse: Any, body: str) -> list[Match]:
        """The matches whose sentence holds none of the rule's ``unless_sentence``
        (each sentence searched once, however many matches it holds)."""
        kept = []
        sentences = self.sentences
        i = 0
        excused: bool | None = None
        for match in found:  # in order, as the sentences are
            while i < len(sentences) and sentences[i].end <= match[0]:
                i += 1
                excused = None
            if i == len(sentences) or match[0] < sentences[i].start:
                kept.append(match)  # between sentences: blank space
                continue
            if excused is None:
                s = sentences[i]
                excused = excuse.search(body, s.start, s.end) is not None
            if not excused:
                kept.append(match)
        return kept

    @property
    def sentences(self) -> tuple[Span, ...]:
        if self._sentences is None:
            self._sentences = tuple(txt.sentences(self.text, self.lang, Span(0, len(self.text))))
        return self._sentences

    @property
    def first(self) -> Span:
        """The first sentence: where a missing element is reported."""
        return self.sentences[0] if self.sentences else Span(0, 0)

    def _measured_limits(self, rules: RuleSet, hits: dict[int, Any], amounts: list[int]) -> None:
        """The limits on characters, words and lines, the paragraph measured once for all
        those on one measure."""
        for measure, ignorecase, message, others, lowest in rules.paragraph_index().measured:
            whole = _plain_measure(measure, self.lowered if ignorecase else self.text)
            for slot in message:
                amounts[slot] = whole
            if whole > lowest:  # else no sentence or line can be over a limit either
                for i in others:
                    rule = rules.rules[i]
                    body = self.lowered if rule.ignorecase else self.text
                    found = self._limit(rule, rules.matcher(i), body, whole)
                    if found is not None:
                        hits[i] = found

    def _limit(self, rule: Rule, m: Matcher, body: str, whole: int) -> Any:
        """What a limit on a sentence, a paragraph or a line finds here, given the whole
        paragraph's measure; None when nothing is over it."""
        if whole <= rule.max:
            return None  # no sentence or line can be over it either
        if rule.unit == "paragraph":
            return whole
        return self._over(rule, m, body) or None

    def _over(self, rule: Rule, m: Matcher, body: str) -> tuple[tuple[Span, int], ...]:
        """The sentences or lines over the rule's limit, with their amounts."""
        units = self.sentences if rule.unit == "sentence" else _lines(body)
        over = []
        for s in units:
            amount = _measure(rule, m, body[s.start : s.end])
            if amount > rule.max:
                over.append((s, amount))
        return tuple(over)

    def satisfies(self, i: int, rule: Rule, m: Matcher) -> bool:
        """Whether the required rule's element is here (for a rule of Index.asked)."""
        if i not in self.asked:
            body = self.lowered if rule.ignorecase else self.text
            self.asked[i] = bool(find(rule, m, body))
        return self.asked[i]

    def unless(self, i: int, rule: Rule) -> bool:
        """Whether the rule's ``unless`` patterns occur here (asked once it found something)."""
        if i not in self._unless:
            unless = pattern_matcher(rule.unless_patterns)
            assert unless is not None
            body = self.lowered if rule.ignorecase else self.text
            self._unless[i] = unless.search(body) is not None
        return self._unless[i]


def _remember(rules: RuleSet, para: str, wanted: frozenset[int]) -> _Paragraph:
    """A paragraph not in the memo, analysed and remembered."""
    found = _Paragraph(rules, para, wanted)
    memo = rules.memo
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[para] = found
    return found


def _finding(rule: Rule, text: Prepared, span: Span, **values: object) -> Finding:
    start, end = text.original_range(span)
    line, column = text.position(start)
    end_line, end_column = text.position(max(end - 1, start))
    excerpt = text.excerpt(span)
    fill = _Values(match=excerpt, max=rule.max, **values)
    # A right form found in the text is put in as it is; a rule's own may name {match}.
    suggestion = values.get("suggestion")
    if suggestion is None and rule.suggestion:
        suggestion = rule.suggestion.format_map(fill)
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column + 1,
        message=rule.message.format_map(fill),
        excerpt=excerpt,
        suggestion=str(suggestion) if suggestion else None,
    )


class _Plan(NamedTuple):
    """The rules that apply to one kind of reply, grouped by what check() does with them."""

    wanted: frozenset[int]
    required: tuple[int, ...]
    message_limits: tuple[tuple[int, int], ...]  # with their places in a paragraph's amounts
    repetitions: tuple[int, ...]


def _plan(rules: RuleSet, context: Context, quoted: str) -> _Plan:
    """Remembered per scenario, step and audience; a quoted complaint can turn rules on."""
    key = (context.scenario, context.step, context.audience)
    applicable = rules.state.applicable
    if not quoted and key in applicable:
        return applicable[key]  # type: ignore[no-any-return]
    found = [
        i
        for i, rule in enumerate(rules.rules)
        if rule.scope.applies(context.scenario, context.step, context.audience, quoted)
    ]
    kinds = [(i, rules.rules[i]) for i in found]
    plan = _Plan(
        frozenset(found),
        tuple(i for i, r in kinds if r.kind == "required"),
        tuple(
            (i, rules.paragraph_index().message_slots[i])
            for i, r in kinds
            if r.kind == "limit" and r.unit == "message"
        ),
        tuple(i for i, r in kinds if r.kind == "repetition"),
    )
    if not quoted:
        applicable[key] = plan
    return plan


def check(text: str | Prepared, rules: RuleSet, context: Context | None = None) -> list[Finding]:
    """The findings of every rule that applies to this reply, in text order."""
    if context is None:
        context = Context()
    prepared = text if isinstance(text, Prepared) else Prepared(text, rules.lang, rules.state.allow)
    memo = rules.memo
    plan = _plan(rules, context, prepared.quoted)
    wanted = plan.wanted
    paras: list[tuple[int, _Paragraph]] = []
    # What the message as a whole has (the elements found, the amounts of its limits),
    # gathered in the same pass: most paragraphs are remembered, and this pass is then
    # most of the check.
    satisfied: set[int] = set()
    amounts: list[list[int]] = []
    with_hits: list[tuple[int, _Paragraph]] = []
    for base, body in prepared.paragraph_texts():
        p = memo.get(body)
        if p is None:
            p = _remember(rules, body, wanted)
        elif p.done is not wanted and not wanted <= p.done:
            p.run(rules, wanted)
        paras.append((base, p))
        satisfied |= p.satisfied
        amounts.append(p.amounts)
        if p.hits:
            with_hits.append((base, p))
    if not paras:
        return []
    by_rule: dict[int, list[Finding]] = {}
    for base, p in with_hits:
        for i, fact in p.hits.items():
            if i in wanted:
                rule = rules.rules[i]
                if rule.kind != "repetition":
                    found = _findings(rule, prepared, base, p, fact, context.today)
                    if found:
                        by_rule.setdefault(i, []).extend(found)
    asked = rules.paragraph_index().asked
    for i in plan.required:
        if i not in satisfied and not (i in asked and _somewhere(rules, i, paras)):
            base, p = paras[0]
            first = Span(base + p.first.start, base + p.first.end)
            by_rule[i] = [_finding(rules.rules[i], prepared, first)]
    if plan.message_limits:
        totals = [sum(shares) for shares in zip(*amounts, strict=True)]
        for i, slot in plan.message_limits:
            total = totals[slot]
            rule = rules.rules[i]
            if total > rule.max:
                where = _over_the_limit(rules, i, slot, paras) if rule.measure == "count" else None
                if where is None:
                    base, p = paras[-1]
                    where = Span(paras[0][0], base + len(p.text))
                by_rule[i] = [_finding(rule, prepared, where, count=total)]
    if with_hits:  # else no sentence anywhere is a hit
        for i in plan.repetitions:
            repeated = _repeated(rules.rules[i], prepared, i, paras)
            if repeated:
                by_rule[i] = repeated
    if not by_rule:
        return []
    findings: list[Finding] = []
    for i, found in by_rule.items():
        rule = rules.rules[i]
        if rule.unless_patterns and any(p.unless(i, rule) for _, p in paras):
            continue
        findings += found
    findings.sort(key=lambda f: (f.line, f.column, f.rule))
    return findings


def _findings(
    rule: Rule, text: Prepared, base: int, p: _Paragraph, fact: Any, today: date | None
) -> list[Finding]:
    """The findings of one rule's sparse facts in one paragraph."""
    if rule.kind == "date":
        return _date_findings(rule, text, base, fact, today)
    if rule.kind in ("existence", "substitution"):
        return [
            _finding(
                rule,
                text,
                Span(base + s, base + e),
                **({"suggestion": right} if right is not None else {}),
            )
            for s, e, right in fact
        ]
    if rule.unit == "paragraph":
        return [_finding(rule, text, Span(base, base + len(p.text)), count=fact)]
    return [
        _finding(rule, text, Span(base + s.start, base + s.end), count=amount) for s, amount in fact
    ]


def _somewhere(rules: RuleSet, i: int, paras: list[tuple[int, _Paragraph]]) -> bool:
    """Whether a paragraph has the element the required rule asks for. Those already
    asked answer first: in a batch, a new paragraph is then searched only when none
    of the remembered ones has it."""
    unasked: list[_Paragraph] = []
    for _, p in paras:
        known = p.asked.get(i)
        if known:
            return True
        if known is None:
            unasked.append(p)
    rule, m = rules.rules[i], rules.matcher(i)
    return any(p.satisfies(i, rule, m) for p in unasked)


def _repeated(
    rule: Rule, text: Prepared, i: int, paras: list[tuple[int, _Paragraph]]
) -> list[Finding]:
    found: list[Finding] = []
    previous = False
    for base, p in paras:
        fact = p.hits.get(i)
        if fact is None:  # no sentence of this paragraph is a hit
            previous = False
            continue
        for s, hit in fact:
            if hit and previous:
                found.append(_finding(rule, text, Span(base + s.start, base + s.end)))
            previous = hit
    return found


def _over_the_limit(
    rules: RuleSet, i: int, slot: int, paras: list[tuple[int, _Paragraph]]
) -> Span | None:
    """Where a count over a message-wide limit goes over it: the occurrence after the
    last one allowed (the third apology when two are allowed)."""
    rule, m = rules.rules[i], rules.matcher(i)
    before = 0
    for base, p in paras:
        here = p.amounts[slot]
        if before + here > rule.max:
            body = p.lowered if rule.ignorecase else p.text
            found = find(rule, m, body)
            n = rule.max - before
            if n < len(found):
                s, e, _ = found[n]
                return Span(base + s, base + e)
            return None  # counted otherwise than found: the whole message, as before
        before += here
    return None


def _date_findings(
    rule: Rule, text: Prepared, base: int, fact: Any, today: date | None
) -> list[Finding]:
    """The dates of one paragraph that are wrong for the rule's check."""
    from claimkit.check.dates import on_calendar, spelled, weekday_like, weekday_name

    found = []
    lang = text.lang
    for s, e, written in fact:
        day = on_calendar(written, today)
        if day is None:
            continue
        extra: dict[str, object]
        if rule.check == "weekday":
            if day.weekday() == written.weekday:
                continue
            start, end = text.original_range(Span(base + s, base + e))
            wd_start, wd_end = text.original_range(
                Span(base + s + written.weekday_start, base + s + written.weekday_end)
            )
            source = text.original
            right = weekday_like(day.weekday(), source[wd_start:wd_end], lang)
            extra = {"suggestion": source[start:wd_start] + right + source[wd_end:end]}
        elif today is None or day >= today:
            continue
        else:
            extra = {"today": spelled(today, lang)}
        # Spelled out only here: nearly every date a reply writes is right.
        date_values = {"date": spelled(day, lang), "weekday": weekday_name(day, lang)}
        found.append(_finding(rule, text, Span(base + s, base + e), **date_values, **extra))
    return found


def triggers(rule: Rule, text: str, lang: str) -> bool:
    """Whether ``rule`` fires on ``text`` in a context inside its scope (for examples)."""
    scenario, step, audience = rule.scope.sample_context()
    today = date.fromisoformat(rule.today) if rule.today else None
    context = Context(scenario, step, audience, today)
    return bool(check(text, rule_set(lang, (rule,)), context))
