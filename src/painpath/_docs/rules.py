"""Render ``docs/rules.md`` from the shipped rule files."""

from __future__ import annotations

from collections.abc import Iterable

from .._catalog_types import CAUTION_MEANINGS
from .._conditions import describe
from .._progression import ProgramOutcome
from .._rules import Rule, RuleSet, default_rules
from ..catalog import EXERCISES, ROUTINES
from . import GENERATED_NOTE

__all__ = ["render_rules"]


def render_rules(rules: RuleSet | None = None) -> str:
    """Return the Markdown reference of every rule, grouped by file."""
    rules = rules or default_rules()
    out = [
        GENERATED_NOTE,
        "",
        "# Rules",
        "",
        "Every clinical decision painpath makes is one of these rules. A result's `reasons` cite",
        "the ids of the rules that fired; the level is the highest level of any of them.",
        "",
        "How to read a condition: a test of an answer is false when the question was not asked,",
        "unless it says *was not asked*; `not (…)` is true when the inner test is false, so also",
        "when the question was not asked.",
        "",
    ]
    files: dict[str, list[Rule]] = {}
    for rule in rules.rules:
        files.setdefault(rule.file, []).append(rule)
    out += ["## Contents", ""]
    out += [f"- [{name}](#{_anchor(name)}): {len(group)} rules" for name, group in files.items()]
    out += ["- [Findings](#findings)", "- [Stop rules](#stop-rules)", ""]
    for name, group in files.items():
        out += [f"## {name}", ""]
        for rule in group:
            out += _rule(rule)
    out += ["## Findings", "", "| id | meaning | set by |", "|---|---|---|"]
    for finding in rules.findings.values():
        setters = ", ".join(r.id for r in rules.rules if r.finding == finding.id) or "—"
        out.append(f"| `{finding.id}` | {finding.meaning} | {setters} |")
    out += ["", "## Stop rules", ""]
    for stop in rules.stops.values():
        shown = ", ".join(f"`{e}`" for e in stop.exercises) or "any exercise"
        out += [
            f"### `{stop.id}`",
            "",
            f"- **When:** {stop.when}",
            f"- **Then:** {stop.then}",
            f"- **Shown when the plan has:** {shown}",
            f"- **Source:** {stop.source}",
            "",
        ]
    return "\n".join(out).rstrip() + "\n"


def _anchor(text: str) -> str:
    return "".join(c for c in text.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def _rule(rule: Rule) -> list[str]:
    lines = [f"### {rule.id}: {rule.title}", ""]
    if rule.status != "active":
        lines += [f"*Status: {rule.status}.*", ""]
    lines += [f"**When** {describe(rule.when)}", "", "**Then**", ""]
    lines += [f"- {part}" for part in _outcome(rule)]
    lines += ["", f"**Why.** {rule.rationale}", "", f"**Source.** {rule.source}", ""]
    return lines


def _outcome(rule: Rule) -> Iterable[str]:
    if rule.finding:
        yield f"finding `{rule.finding}`"
    if rule.level:
        yield f"level `{rule.level}`"
    for ref in rule.routines:
        title = ROUTINES[ref.id].title
        yield f"routine `{ref.id}` ({title}), step {ref.step}, stage {ref.program_stage}"
    if rule.exclude:
        names = [f"`{e}`" for e in rule.exclude.exercises]
        names += [f"anything that {CAUTION_MEANINGS[c]} (`{c}`)" for c in rule.exclude.cautions]
        yield f"leave out {', '.join(names)}: {rule.exclude.reason}"
    if rule.withhold_plan:
        yield "no exercise plan"
    if rule.gentle:
        yield "gentle plan: the low end of each dose"
    for note in rule.notes:
        yield f"note on {EXERCISES[note.exercise].name}: {note.text}"
    if rule.keep:
        yield "never dropped for time: " + ", ".join(f"`{e}`" for e in rule.keep)
    if rule.stop_if:
        yield "stop rules: " + ", ".join(f"`{s}`" for s in rule.stop_if)
    for line in rule.advice:
        yield f"advice: {line}"
    if rule.program is not None:
        yield from _program(rule.program)


def _program(program: ProgramOutcome) -> Iterable[str]:
    if program.weeks:
        yield "program: week doses " + ", ".join(
            f"week {n}: {point}" for n, point in enumerate(program.weeks, 1)
        )
    if program.week_one_one_set:
        yield "program: one set in week 1"
    if program.week_one_stage_two_max:
        most = program.week_one_stage_two_max
        yield f"program: at most {most} exercises in a week-1 session of stage 2"
    if program.lock_stage_two:
        yield f"program: with a stage 1, stage 2 starts {program.lock_stage_two}"
    if program.hold_week_one:
        yield f"program: week-1 doses until `{program.hold_week_one}` ({program.reason})"
    if program.from_week:
        names = ", ".join(f"`{e}`" for e in program.exercises)
        yield f"program: {names} join in week {program.from_week} ({program.reason})"
    for wd in program.week_doses:
        low, high = wd.value
        yield f"program: `{wd.exercise}` in week {wd.week}: {wd.field} {low:g} to {high:g}"
