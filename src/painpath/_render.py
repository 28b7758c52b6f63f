"""Show a :class:`~painpath.Result` to a person: text, Markdown or JSON.

Text is wrapped to a width (80 columns by default) and coloured only when asked;
:func:`use_color` decides that from the stream, ``NO_COLOR``, ``FORCE_COLOR`` and
``TERM``. JSON is exactly
``json.dumps(result.to_dict())``.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Mapping
from typing import IO, Literal

from ._contract import KEYS
from ._handout import (
    advice_rest,
    exercise_line,
    glance,
    locked_names,
    sentence,
    show_unscreened,
    side_text,
    stage_label,
    this_week,
    unscreened_lines,
    week_label,
)
from ._levels import row
from ._result import Level, Phase, ProgramExercise, Reason, Result

__all__ = ["FORMATS", "render", "render_json", "render_markdown", "render_text", "use_color"]

Format = Literal["text", "json", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("text", "json", "markdown", "html")

_BOLD = "1"
_DISCLAIMER = (
    "painpath is decision support, not a diagnosis. If you feel worse, or something "
    "new worries you, contact a doctor; in an emergency call your local emergency number."
)
_UNSCREENED = (
    "These warning signs were not asked about, so this result cannot rule them out. "
    "If any of them applies to you:"
)


def use_color(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Say whether to colour output.

    ``NO_COLOR`` (set and not empty) turns colour off; otherwise ``FORCE_COLOR``
    (set and not empty) turns it on, even into a pipe; otherwise colour is used
    on a terminal only, and not on a ``TERM=dumb`` one. Empty values count as
    unset, as https://no-color.org and https://force-color.org say.
    """
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render(result: Result, fmt: Format = "text", *, color: bool = False, width: int = 80) -> str:
    """Return the result in one of :data:`FORMATS`, ending with a newline."""
    if fmt == "json":
        return render_json(result)
    if fmt == "markdown":
        return render_markdown(result)
    if fmt == "html":
        from ._html import render_html

        return render_html(result)
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
    """Return the result as plain text wrapped to ``width`` columns, optionally coloured.

    The order is the person's: the level and what to do first; the warning signs not
    asked, in the words of the level they would set; why; what to check before
    starting; the stop rules in a box; this week's sessions as a checklist; the 21 days
    at a glance; what was left out; the rest of the advice.
    """
    out = _Text(width, color)
    rule = "=" * width
    style = row(result.level.value).style
    out.lines.append(out.style(rule, style))
    head = f"{result.level.title}: {result.level.meaning}"
    for line in textwrap.wrap(head, width - 4):
        out.lines.append(out.style(f"  {line}".ljust(width), style) if color else f"  {line}")
    out.lines.append(out.style(rule, style))

    if show_unscreened(result):
        out.heading("Not asked")
        out.para(_UNSCREENED)
        for line in unscreened_lines(result):
            out.item("- ", line)
    if result.reasons:
        out.heading("Why")
        for reason in _why(result):
            out.item("- ", reason.title)
    if result.first_advice and result.program:
        out.heading("Before you start")
        for line in result.first_advice:
            out.item("- ", line)
    if result.stop_if and result.program:
        _stop_box(out, result)
    week = this_week(result)
    if week is not None:
        first, last = week
        out.heading(f"This week: {week_label(first, last)}")
        out.para(
            f"Every day this week, about {first.minutes} min one time through. Tick each "
            "exercise as you do it."
        )
        for hold in first.holds:
            out.item("Note: ", hold[0].upper() + hold[1:] + ".")
        for session in first.sessions:
            out.blank()
            title = f"{stage_label(session.stage)}: {session.title}"
            out.para(out.style(title, _BOLD))
            out.item("How often: ", f"{session.when} (about {session.minutes} min)", "  ")
            for ex in session.exercises:
                out.blank()
                out.item("[ ] ", exercise_line(ex, knee=session.stage == "knee"), "  ")
                body = "      "
                for i, step in enumerate(ex.steps, 1):
                    out.item(f"{i}. ", step, body)
                for note in ex.notes:
                    out.item("Note: ", note, body)
            if session.later:
                out.blank()
                later = ", ".join(f"{x.name} ({x.joins})" for x in session.later)
                out.item("Joining later: ", later, "  ")
        for locked in first.locked:
            out.blank()
            out.para(out.style(f"{stage_label(locked.stage)}: {locked.title}", _BOLD))
            out.item("Starts: ", locked.starts, "  ")
            names = locked_names(result, locked)
            if names:
                out.item("Exercises: ", ", ".join(names) + ".", "  ")
        out.heading("The 21 days at a glance")
        for week_row in glance(result):
            out.para(out.style(week_row.label, _BOLD) + f": about {week_row.minutes} min a day")
            out.item("  ", "; ".join(week_row.sessions), "  ")
            for line in week_row.changes:
                out.item("- ", line, "  ")
            out.blank()
    if result.plan and not result.program:
        _plan_text(out, result)
    if _show_left_out(result):
        out.heading("Left out")
        for left in result.left_out:
            out.item("- ", f"{left.name}: {left.reason}")
    if result.stop_if and not result.program:
        out.heading("Stop if")
        for stop in result.stop_if:
            out.item("- ", f"{sentence(stop.when)} {sentence(stop.then)}")
    advice = advice_rest(result) + (() if result.program else result.first_advice)
    if advice:
        out.heading("Advice")
        for line in advice:
            out.item("- ", line)
    out.blank()
    out.para(_DISCLAIMER)
    return "\n".join(out.lines) + "\n"


def _phase_label(phase: Phase) -> str:
    return stage_label(phase.stage) if phase.stage else f"Step {phase.step}"


def _plan_text(out: _Text, result: Result) -> None:
    """Show the plan as one list, for a result that carries no day-by-day program."""
    out.heading("Your plan")
    for phase in result.plan:
        out.blank()
        out.para(out.style(f"{_phase_label(phase)}: {phase.title}", _BOLD))
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


def _stop_box(out: _Text, result: Result) -> None:
    """Draw the stop rules in a box, so they stand out before the exercises."""
    inner = out.width - 4
    out.blank()
    title = "-- STOP IF "
    out.lines.append(out.style("+" + title + "-" * (out.width - 2 - len(title)) + "+", _BOLD))
    for stop in result.stop_if:
        text = f"{sentence(stop.when)} {sentence(stop.then)}"
        for line in textwrap.wrap(text, inner - 2, break_on_hyphens=False):
            out.lines.append(f"| {line.ljust(inner)} |")
    out.lines.append(out.style("+" + "-" * (out.width - 2) + "+", _BOLD))


def render_markdown(result: Result) -> str:
    """Return the result as a Markdown document, in the same order as the text."""
    lines = [f"# {result.level.title}: {result.level.meaning}", ""]
    if show_unscreened(result):
        lines += ["## Not asked", "", _UNSCREENED, ""]
        lines += [f"- {line}" for line in unscreened_lines(result)]
        lines.append("")
    if result.reasons:
        lines += ["## Why", ""]
        lines += [f"- {r.title}" for r in _why(result)]
        lines.append("")
    if result.first_advice and result.program:
        lines += ["## Before you start", ""]
        lines += [f"- {line}" for line in result.first_advice]
        lines.append("")
    if result.stop_if and result.program:
        lines += ["> **Stop if**", ">"]
        lines += [f"> - {sentence(s.when)} {sentence(s.then)}" for s in result.stop_if]
        lines.append("")
    week = this_week(result)
    if week is not None:
        first, last = week
        lines += [f"## This week: {week_label(first, last)}", ""]
        lines += [f"Every day this week, about {first.minutes} min one time through.", ""]
        lines += [f"*Note:* {h[0].upper() + h[1:]}." for h in first.holds]
        if first.holds:
            lines.append("")
        for session in first.sessions:
            lines += [f"### {stage_label(session.stage)}: {session.title}", ""]
            lines += [f"*How often:* {session.when} (about {session.minutes} min)", ""]
            for ex in session.exercises:
                lines.append(f"- [ ] **{ex.name}**: {_rest_of_line(ex, session.stage)}")
                lines += [f"    {i}. {step}" for i, step in enumerate(ex.steps, 1)]
                lines += [f"\n    *Note:* {note}" for note in ex.notes]
            if session.later:
                later = ", ".join(f"{x.name} ({x.joins})" for x in session.later)
                lines += ["", f"*Joining later:* {later}"]
            lines.append("")
        for locked in first.locked:
            lines += [f"### {stage_label(locked.stage)}: {locked.title}", ""]
            lines += [f"*Starts:* {locked.starts}", ""]
            names = locked_names(result, locked)
            if names:
                lines += [f"*Exercises:* {', '.join(names)}.", ""]
        lines += ["## The 21 days at a glance", ""]
        lines += ["| Week | Sessions | Minutes a day | What changes |", "|---|---|---|---|"]
        for week_row in glance(result):
            sessions = "<br>".join(week_row.sessions)
            changes = "<br>".join(week_row.changes)
            lines.append(
                f"| {week_row.label} | {sessions} | about {week_row.minutes} | {changes} |"
            )
        lines.append("")
    if result.plan and not result.program:
        lines += ["## Your plan", ""]
        for phase in result.plan:
            lines += [f"### {_phase_label(phase)}: {phase.title}", ""]
            lines += [f"- How often: {phase.frequency}", f"- Next: {phase.move_on}"]
            lines += [f"- Note: {note}" for note in phase.notes]
            lines.append("")
            for n, entry in enumerate(phase.exercises, 1):
                lines += [f"#### {n}. {entry.name}", "", f"*Dose:* {entry.dose_text}", ""]
                lines += [f"{i}. {step}" for i, step in enumerate(entry.steps, 1)]
                lines += [f"\n*Note:* {note}" for note in entry.notes]
                lines.append("")
    if _show_left_out(result):
        lines += ["## Left out", ""]
        lines += [f"- **{left.name}**: {left.reason}" for left in result.left_out]
        lines.append("")
    if result.stop_if and not result.program:
        lines += ["## Stop if", ""]
        lines += [f"- {sentence(s.when)} {sentence(s.then)}" for s in result.stop_if]
        lines.append("")
    advice = advice_rest(result) + (() if result.program else result.first_advice)
    if advice:
        lines += ["## Advice", ""]
        lines += [f"- {line}" for line in advice]
        lines.append("")
    lines += [f"*{_DISCLAIMER}*", ""]
    return "\n".join(lines)


def _rest_of_line(ex: ProgramExercise, stage: str) -> str:
    side = side_text(ex, knee=stage == "knee")
    return ex.dose_text + (f" - {side}" if side else "")


def _show_left_out(result: Result) -> bool:
    """Show "Left out", except when a doctor is needed today or now: then no plan is the point."""
    return bool(result.left_out) and result.level < Level.URGENT


def _why(result: Result) -> tuple[Reason, ...]:
    """Return the reasons to show: when a doctor is needed today or now, the red flags only.

    The JSON output keeps every reason; a person in that situation needs the cause first.
    """
    if result.level < Level.URGENT:
        # What was found and the level; the plan, program and advice rules stay in the JSON.
        found = tuple(r for r in result.reasons if r.finding or r.level)
        return found or result.reasons
    return tuple(r for r in result.reasons if r.level is not None and r.level >= Level.URGENT)


def _unscreened_words(key: str) -> str:
    spec = KEYS.get(key)
    return sentence(spec.meaning) if spec else key
