"""Questions on a terminal: asked on stderr, answered on stdin, checked as they come.

rich is imported only here and only on a terminal: a script never prompts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from claimkit.cli.console import Streams
from claimkit.errors import InputError

if TYPE_CHECKING:
    from claimkit.content.playbook import Variable
    from claimkit.values.resolve import Asker


class Prompter:
    """Questions on stderr, answers from stdin; the checker decides what is valid."""

    def __init__(self, streams: Streams, lang: str) -> None:
        self.streams = streams
        self.lang = lang
        self.console = streams.err_console()

    def _read(self, prompt: Any) -> str:
        self.console.print(prompt, end="")
        self.streams.stderr.flush()
        line = self.streams.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def _hint(self, text: str) -> Any:
        from rich.text import Text

        return Text(text, style="dim")

    def ask(
        self,
        label: str,
        check: Callable[[str], Any],
        *,
        hint: str = "",
        default: str | None = None,
        multiline: bool = False,
        required: bool = True,
    ) -> Any:
        from rich.text import Text

        ja = self.lang == "ja"
        while True:
            prompt = Text(label, style="bold")
            if default:
                prompt.append(f" [{default}]", style="cyan")
            elif not required:
                prompt.append(" （省略可）" if ja else " (optional)", style="dim")
            if hint:
                self.console.print(self._hint(hint))
            if multiline:  # how to finish, on the question itself
                prompt.append(
                    "（空行で入力を終えます）" if ja else " (finish with an empty line)",
                    style="dim",
                )
                prompt.append("\n")
            prompt.append(": " if not multiline else "")
            try:
                answer = self._read(prompt)
                if multiline and answer:
                    lines = [answer]
                    while (more := self._read(Text("… ", style="dim"))) != "":
                        lines.append(more)
                    answer = "\n".join(lines)
            except EOFError:
                raise InputError(f"input ended before '{label}' was answered") from None
            if not answer.strip() and default is not None:
                answer = default
            if not answer.strip() and not required:
                return None
            if not answer.strip():
                self.console.print(
                    Text("入力してください" if ja else "an answer is needed", style="red")
                )
                continue
            try:
                return check(answer)
            except ValueError as e:
                self.console.print(Text(str(e), style="red"))

    def choose(
        self, label: str, options: Sequence[tuple[str, str]], default: str | None = None
    ) -> str:
        """Pick one of ``(value, label)`` by number or by value."""
        from rich.text import Text

        self.console.print(Text(label, style="bold"))
        for i, (value, text) in enumerate(options, 1):
            line = Text(f"  {i:>2}) ", style="cyan")
            line.append(value)
            if text and text != value:
                line.append(f"  {text}", style="dim")
            self.console.print(line)
        values = [v for v, _ in options]

        def check(answer: str) -> str:
            a = answer.strip()
            if a.isdigit() and 1 <= int(a) <= len(options):
                return values[int(a) - 1]
            if a in values:
                return a
            raise ValueError(
                f"1〜{len(options)} の番号で選んでください"
                if self.lang == "ja"
                else f"choose a number from 1 to {len(options)}"
            )

        default_shown = str(values.index(default) + 1) if default in values else None
        result: str = self.ask(
            "番号" if self.lang == "ja" else "Number", check, default=default_shown
        )
        return result


def variable_asker(prompter: Prompter) -> Asker:
    """An Asker (see claimkit.values.resolve) that fits the question to the variable's type,
    and shows its example where the answer lands in the message."""
    from claimkit.values.phrasing import in_context
    from claimkit.values.resolve import plain

    lang = prompter.lang
    ja = lang == "ja"

    def ask(
        var: Variable,
        default: Any,
        check: Callable[[str], Any],
        slot: tuple[str, str] | None = None,
        /,
    ) -> Any:
        label = var.prompt.get(lang)
        if var.type == "choice":
            options = [(c.value, c.label.get(lang)) for c in var.choices]
            # An optional choice may be left out ("-"), unless one of its own choices
            # already says "none": two answers meaning nothing read as a puzzle.
            nothing = "none" if any(c.value == "none" for c in var.choices) else "-"
            if not var.required and nothing == "-":
                options.append(("-", "指定しない" if ja else "none"))
            picked = prompter.choose(label, options, default=default or nothing)
            return None if picked == "-" else check(picked)
        if var.type == "bool":
            shown = "yes" if default else "no"
            return prompter.ask(f"{label} (y/n)", check, default=shown)
        hint_parts = []
        if var.help is not None:
            hint_parts.append(var.help.get(lang))
        example = var.localized(var.example, lang)
        if example is not None:
            # The example in the sentence it lands in: the answer is a whole phrase there.
            shown = str(example) if slot is None else in_context(slot[0], str(example), slot[1])
            hint_parts.append(f"例: {shown}" if ja else f"e.g. {shown}")
        return prompter.ask(
            label,
            check,
            hint="  ".join(str(h) for h in hint_parts),
            default=None if default is None else str(plain(default)),
            multiline=var.type == "multiline",
            required=var.required,
        )

    return ask
