"""Show a :class:`~painpath.Result` to a person: text, Markdown or JSON.

Text is wrapped to a width (80 columns by default) and coloured only when asked;
:func:`use_color` decides that from the stream and ``NO_COLOR``. JSON is exactly
``json.dumps(result.to_dict())``.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Mapping
from typing import IO, Literal

from ._contract import KEYS
from ._levels import row
from ._result import UNSCREENED_PREFIX, Level, Reason, Result

__all__ = ["FORMATS", "render", "render_json", "render_markdown", "render_text", "use_color"]

Format = Literal["text", "json", "markdown"]
FORMATS: tuple[Format, ...] = ("text", "json", "markdown")

_BOLD = "1"
_DISCLAIMER = (
    "painpath is decision support, not a diagnosis. If you feel worse, or something "
    "new worries you, contact a doctor; in an emergency call your local emergency number."
)
_UNSCREENED = (
    "These warning signs were not asked about, so this result cannot rule them out. "
    "If any of them applies to you, tell a doctor:"
)


def use_color(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Say whether to colour output: only on a terminal, and never with ``NO_COLOR`` set."""
    env = os.environ if environ is None else environ
    if "NO_COLOR" in env:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render(result: Result, fmt: Format = "text", *, color: bool = False, width: int = 80) -> str:
    """Return the result in one of :data:`FORMATS`, ending with a newline."""
    if fmt == "json":
        return render_json(result)
    if fmt == "markdown":
        return render_markdown(result)
    return render_text(result, color=color, width=width)


def render_json(result: Result) -> str:
    """Return ``json.dumps(result.to_dict())`` and a newline."""
    return json.dumps(result.to_dict()) + "\n"


class _Text:
    """Collects wrapped lines, styling them when colour is on."""

    def __init__(self, width: int, color: bool) -> None:
        self.width = width
        self.color = color
        self.lines: list[str] = []

    def style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def para(self, text: str, indent: str = "", hang: str | None = None) -> None:
        """Add wrapped text; ``hang`` indents lines after the first (default ``indent``)."""
        self.lines += textwrap.wrap(
            text,
            self.width,
            initial_indent=indent,
            subsequent_indent=indent if hang is None else hang,
            break_on_hyphens=False,
        ) or [indent.rstrip()]

    def item(self, marker: str, text: str, indent: str = "") -> None:
        """Add a list item whose wrapped lines line up after the marker."""
        self.para(text, indent + marker, indent + " " * len(marker))

    def heading(self, text: str) -> None:
        self.blank()
        self.lines.append(self.style(text.upper(), _BOLD))
        self.lines.append("")


def render_text(result: Result, *, color: bool = False, width: int = 80) -> str:
    """Return the result as plain text wrapped to ``width`` columns, optionally coloured."""
    out = _Text(width, color)
    rule = "=" * width
    style = row(result.level.value).style
    out.lines.append(out.style(rule, style))
    head = f"{result.level.title}: {result.level.meaning}"
    for line in textwrap.wrap(head, width - 4):
        out.lines.append(out.style(f"  {line}".ljust(width), style) if color else f"  {line}")
    out.lines.append(out.style(rule, style))

    if result.reasons:
        out.heading("Why")
        for reason in _why(result):
            out.item("- ", reason.title)
    if result.plan:
        out.heading("Your plan")
        for phase in result.plan:
            out.blank()
            out.para(out.style(f"Step {phase.step}: {phase.title}", _BOLD))
            out.item("How often: ", phase.frequency, "  ")
            out.item("Next: ", phase.move_on, "  ")
            for note in phase.notes:
                out.item("Note: ", note, "  ")
            for n, ex in enumerate(phase.exercises, 1):
                out.blank()
                marker = f"{n}) "
                body = "  " + " " * len(marker)
                out.item(marker, out.style(ex.name, _BOLD), "  ")
                out.item("Dose: ", ex.dose_text, body)
                for i, step in enumerate(ex.steps, 1):
                    out.item(f"{i}. ", step, body)
                for note in ex.notes:
                    out.item("Note: ", note, body)
    if _show_left_out(result):
        out.heading("Left out")
        for left in result.left_out:
            out.item("- ", f"{left.name}: {left.reason}")
    if result.stop_if:
        out.heading("Stop if")
        for stop in result.stop_if:
            out.item("- ", f"{_sentence(stop.when)} {_sentence(stop.then)}")
    advice = _advice(result)
    if advice:
        out.heading("Advice")
        for line in advice:
            out.item("- ", line)
    if _show_unscreened(result):
        out.heading("Not asked")
        out.para(_UNSCREENED)
        for key in result.unscreened:
            out.item("- ", _unscreened_words(key))
    out.blank()
    out.para(_DISCLAIMER)
    return "\n".join(out.lines) + "\n"


def render_markdown(result: Result) -> str:
    """Return the result as a Markdown document."""
    lines = [f"# {result.level.title}: {result.level.meaning}", ""]
    if result.reasons:
        lines += ["## Why", ""]
        lines += [f"- {r.title} (`{r.rule_id}`)" for r in _why(result)]
        lines.append("")
    if result.plan:
        lines += ["## Your plan", ""]
        for phase in result.plan:
            lines += [f"### Step {phase.step}: {phase.title}", ""]
            lines += [f"- How often: {phase.frequency}", f"- Next: {phase.move_on}"]
            lines += [f"- Note: {note}" for note in phase.notes]
            lines.append("")
            for n, ex in enumerate(phase.exercises, 1):
                lines += [f"#### {n}. {ex.name}", "", f"*Dose:* {ex.dose_text}", ""]
                lines += [f"{i}. {step}" for i, step in enumerate(ex.steps, 1)]
                lines += [f"\n*Note:* {note}" for note in ex.notes]
                lines.append("")
    if _show_left_out(result):
        lines += ["## Left out", ""]
        lines += [f"- **{left.name}**: {left.reason}" for left in result.left_out]
        lines.append("")
    if result.stop_if:
        lines += ["## Stop if", ""]
        lines += [f"- {_sentence(s.when)} {_sentence(s.then)}" for s in result.stop_if]
        lines.append("")
    advice = _advice(result)
    if advice:
        lines += ["## Advice", ""]
        lines += [f"- {line}" for line in advice]
        lines.append("")
    if _show_unscreened(result):
        lines += ["## Not asked", "", _UNSCREENED, ""]
        lines += [f"- {_unscreened_words(key)}" for key in result.unscreened]
        lines.append("")
    lines += [f"*{_DISCLAIMER}*", ""]
    return "\n".join(lines)


def _show_left_out(result: Result) -> bool:
    """Show "Left out", except when a doctor is needed today or now: then no plan is the point."""
    return bool(result.left_out) and result.level < Level.URGENT


def _show_unscreened(result: Result) -> bool:
    """Show the "Not asked" section, except at emergency, where it would only delay."""
    return bool(result.unscreened) and result.level is not Level.EMERGENCY


def _advice(result: Result) -> tuple[str, ...]:
    """Return the advice, less the "not screened" line: "Not asked" says it in full."""
    return tuple(line for line in result.advice if not line.startswith(UNSCREENED_PREFIX))


def _why(result: Result) -> tuple[Reason, ...]:
    """Return the reasons to show: when a doctor is needed today or now, the red flags only.

    The JSON output keeps every reason; a person in that situation needs the cause first.
    """
    if result.level < Level.URGENT:
        return result.reasons
    return tuple(r for r in result.reasons if r.level is not None and r.level >= Level.URGENT)


def _unscreened_words(key: str) -> str:
    spec = KEYS.get(key)
    return _sentence(spec.meaning) if spec else key


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?:" else text + "."
