"""Render ``docs/catalog.md``: every routine, the cautions, then every exercise."""

from __future__ import annotations

from .._catalog_cautions import CAUTION_EVIDENCE, EVIDENCED_CAUTIONS, NOT_TAGGED
from .._catalog_types import CAUTION_MEANINGS
from .._steps import NO_SIDES, fill
from ..catalog import EXERCISES, ROUTINES, Exercise, Routine, RoutineItem
from . import GENERATED_NOTE

__all__ = ["render_catalog"]


_SIDE_LABELS = {
    "non_dominant": "the non-dominant side",
    "painful": "the painful side",
    "left": "the left side, as the document describes it",
}


def _exercise_anchor(exercise_id: str) -> str:
    return f"exercise-{exercise_id}"


def _routine_anchor(routine_id: str) -> str:
    return f"routine-{routine_id}"


def _exercise_link(exercise_id: str) -> str:
    exercise = EXERCISES[exercise_id]
    return f"[{exercise.name}](#{_exercise_anchor(exercise_id)})"


def _routine_item_line(index: int, item: RoutineItem) -> str:
    exercise = EXERCISES[item.exercise_id]
    dose = item.dose if item.dose is not None else exercise.dose
    line = f"{index}. {_exercise_link(exercise.id)} (`{exercise.id}`): {dose.describe()}"
    if item.note:
        line += f" ({item.note})"
    return line


def _render_routine(routine: Routine) -> list[str]:
    lines = [
        f'<a id="{_routine_anchor(routine.id)}"></a>',
        "",
        f"### {routine.title} (`{routine.id}`)",
        "",
        routine.purpose,
        "",
        f"- **How often:** {routine.frequency}",
        f"- **Move on:** {routine.move_on}",
        f'- **Source:** "{routine.source}"',
        "",
        "Exercises:",
        "",
    ]
    lines += [_routine_item_line(i, item) for i, item in enumerate(routine.items, start=1)]
    if routine.notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {note}" for note in routine.notes]
    lines.append("")
    return lines


def _render_exercise(exercise: Exercise) -> list[str]:
    if exercise.equipment:
        equipment = ", ".join(f"`{item}`" for item in exercise.equipment)
        if exercise.alternative:
            equipment += f"; without it: {_exercise_link(exercise.alternative)}"
    else:
        equipment = "none"
    cautions = ", ".join(f"`{c}` ({CAUTION_MEANINGS[c]})" for c in exercise.cautions) or "none"
    used_in = [
        f"[{routine.title}](#{_routine_anchor(routine.id)})"
        for routine in ROUTINES.values()
        if any(item.exercise_id == exercise.id for item in routine.items)
    ]
    used_as = [
        f"alternative to {_exercise_link(other.id)}"
        for other in EXERCISES.values()
        if exercise.id in (other.alternative, other.time_alternative)
    ]
    lines = [
        f'<a id="{_exercise_anchor(exercise.id)}"></a>',
        "",
        f"### {exercise.name} (`{exercise.id}`)",
        "",
        exercise.purpose,
        "",
        f"- **Position:** {exercise.position.replace('_', ' ')}",
        f"- **Equipment:** {equipment}",
    ]
    if exercise.time_alternative:
        lines.append(f"- **Short on time:** {_exercise_link(exercise.time_alternative)}")
    lines.append(f"- **Cautions:** {cautions}")
    if exercise.side_first:
        side = _SIDE_LABELS.get(exercise.side_first, exercise.side_first)
        lines.append(f"- **Side first:** {side}")
    lines += [
        f"- **Dose:** {exercise.dose.describe()}",
        f"- **Used in:** {', '.join(used_in + used_as) or 'no routine'}",
        f'- **Source:** "{exercise.source}"',
        "",
    ]
    steps = fill(exercise, exercise.dose, NO_SIDES)
    lines += [f"{i}. {step}" for i, step in enumerate(steps, start=1)]
    if exercise.tips:
        lines += ["", "Tips:", ""]
        lines += [f"- {tip}" for tip in exercise.tips]
    lines.append("")
    return lines


def _render_cautions() -> list[str]:
    """Render the caution vocabulary, with every exercise that carries each caution."""
    lines = [
        "## Cautions",
        "",
        "Each exercise is marked with what may make it unsuitable; a rule that forbids a",
        "caution leaves out every exercise marked with it (see `docs/rules.md`).",
        "",
        "| caution | means: anything that... | exercises |",
        "|---|---|---|",
    ]
    for caution, meaning in CAUTION_MEANINGS.items():
        marked = [e.id for e in EXERCISES.values() if caution in e.cautions]
        names = ", ".join(f"`{e}`" for e in marked) or "none"
        lines.append(f"| `{caution}` | {meaning} | {names} |")
    unmarked = [e.id for e in EXERCISES.values() if not e.cautions]
    lines += ["", "No caution: " + ", ".join(f"`{e}`" for e in unmarked) + ".", ""]
    lines += [
        "### Why each exercise carries its spine, abdomen or knee caution",
        "",
        "Each tag checked against the exercise's own steps; then the close calls left",
        "untagged, and why.",
        "",
    ]
    for caution in EVIDENCED_CAUTIONS:
        lines += [f"`{caution}`:", ""]
        for (exercise_id, tagged), why in CAUTION_EVIDENCE.items():
            if tagged == caution:
                lines.append(f"- {_exercise_link(exercise_id)}: {why}.")
        lines.append("")
    lines += ["Left untagged:", ""]
    for (exercise_id, caution), why in NOT_TAGGED.items():
        lines.append(f"- {_exercise_link(exercise_id)}, not `{caution}`: {why}.")
    lines.append("")
    return lines


def render_catalog() -> str:
    """Render ``docs/catalog.md``: every routine, then every exercise in document order."""
    lines = [
        "# Exercise catalog",
        "",
        GENERATED_NOTE,
        "",
        "Every routine and exercise of the 21-day back pain relief program, with the doses "
        "the source document gives. Steps are written in our own words; each entry names "
        "the document section it comes from.",
        "",
        f"{len(ROUTINES)} routines, {len(EXERCISES)} exercises.",
        "",
        "## Routines",
        "",
    ]
    for routine in ROUTINES.values():
        lines += _render_routine(routine)
    lines += _render_cautions()
    lines += ["## Exercises", ""]
    for exercise in EXERCISES.values():
        lines += _render_exercise(exercise)
    return "\n".join(lines).rstrip("\n") + "\n"
