"""Turning the outcomes of the rules that fired into a plan.

The rules decide which routines, exclusions, notes and stop rules apply. This
module only assembles them with the catalog: it orders phases, swaps in the
document's own alternative when equipment is missing, applies the exclusions,
lowers doses when a rule asks for a gentle plan, and fits the time available by
dropping the lowest-priority exercises first. Whatever is left out is named, with
the reason.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType

from ._catalog_types import Dose, Exercise
from ._result import LeftOut, Phase, PlanExercise, StopRule
from ._rules import Rule, RuleSet
from ._steps import NO_SIDES, Sides, fill, first_side
from .catalog import EXERCISES, ROUTINES

__all__ = ["Forbidden", "PlanParts", "build_plan", "stage_labels"]


@dataclass(frozen=True)
class PlanParts:
    """The plan, what was left out of it, and the stop rules that go with it."""

    phases: tuple[Phase, ...]
    left_out: tuple[LeftOut, ...]
    stop_if: tuple[StopRule, ...]


@dataclass(frozen=True)
class Forbidden:
    """What the rules that fired keep out of the plan, by exercise id and by caution.

    Every exclusion is data in the rules (``exclude``); this only gathers them. The
    first rule (in rule order) to forbid an exercise gives the reason shown. The
    plan uses it for every exercise it considers, alternatives included; the
    21-day program applies the same object to every day.
    """

    by_id: Mapping[str, tuple[str, str]]
    by_caution: Mapping[str, tuple[str, str]]

    @classmethod
    def from_rules(cls, fired: Sequence[Rule]) -> Forbidden:
        """Gather the exclusions of the rules that fired."""
        by_id: dict[str, tuple[str, str]] = {}
        by_caution: dict[str, tuple[str, str]] = {}
        for rule in fired:
            if rule.exclude:
                for exercise_id in rule.exclude.exercises:
                    by_id.setdefault(exercise_id, (rule.exclude.reason, rule.id))
                for caution in rule.exclude.cautions:
                    by_caution.setdefault(caution, (rule.exclude.reason, rule.id))
        return cls(MappingProxyType(by_id), MappingProxyType(by_caution))

    def why(self, exercise: Exercise) -> tuple[str, str] | None:
        """Return ``(reason, rule id)`` when ``exercise`` is forbidden, else ``None``."""
        if exercise.id in self.by_id:
            return self.by_id[exercise.id]
        for caution in exercise.cautions:
            if caution in self.by_caution:
                return self.by_caution[caution]
        return None

    def left_out(self, exercise: Exercise) -> LeftOut | None:
        """Return the result's entry naming ``exercise`` and why, when it is forbidden."""
        why = self.why(exercise)
        return None if why is None else LeftOut(exercise.id, exercise.name, why[0], why[1])


@dataclass
class _Draft:
    exercise: Exercise
    dose: Dose
    notes: list[str]
    replaces: str | None = None


def build_plan(
    fired: Sequence[Rule],
    ruleset: RuleSet,
    *,
    equipment: frozenset[str],
    minutes_per_day: int | None,
    sides: Sides = NO_SIDES,
) -> PlanParts:
    """Assemble the plan from the outcomes of the rules that fired."""
    refs: dict[str, tuple[int, int]] = {}
    stage_of: dict[str, str] = {}
    for rule in fired:
        for ref in rule.routines:
            known = refs.get(ref.id)
            refs[ref.id] = min(known, (ref.step, ref.order)) if known else (ref.step, ref.order)
            stage_of.setdefault(ref.id, ref.program_stage)
    withheld = [rule for rule in fired if rule.withhold_plan]
    if withheld:
        rule = withheld[0]
        left = tuple(
            LeftOut(rid, ROUTINES[rid].title, rule.title, rule.id)
            for rid in sorted(refs, key=refs.__getitem__)
        )
        return PlanParts((), left, ())

    forbidden = Forbidden.from_rules(fired)
    excluded = forbidden.why
    notes: dict[str, list[str]] = {}
    keep: set[str] = set()
    gentle_rules = [rule for rule in fired if rule.gentle]
    for rule in fired:
        for note in rule.notes:
            notes.setdefault(note.exercise, []).append(note.text)
        keep.update(rule.keep)
        later = rule.program
        if later is not None and later.from_week is not None:
            for exercise_id in later.exercises:
                notes.setdefault(exercise_id, []).append(
                    f"Not in week 1: it joins in week {later.from_week} ({later.reason})."
                )

    left_out: list[LeftOut] = []

    drafts: list[tuple[str, int, list[_Draft]]] = []
    for rid in sorted(refs, key=lambda r: (*refs[r], r)):
        routine = ROUTINES[rid]
        items: list[_Draft] = []
        for item in routine.items:
            ex = EXERCISES[item.exercise_id]
            dose = item.dose or ex.dose
            why = excluded(ex)
            if why:
                left_out.append(LeftOut(ex.id, ex.name, why[0], why[1]))
                continue
            missing = sorted(set(ex.equipment) - equipment)
            replaces = None
            if missing:
                alt = EXERCISES.get(ex.alternative) if ex.alternative else None
                if alt is None or set(alt.equipment) - equipment or excluded(alt):
                    left_out.append(
                        LeftOut(ex.id, ex.name, f"needs {_things(missing)}, not at hand")
                    )
                    continue
                replaces, ex, dose = ex.id, alt, alt.dose
            if any(d.exercise.id == ex.id for d in items):
                if replaces:
                    original = EXERCISES[replaces]
                    left_out.append(
                        LeftOut(
                            original.id,
                            original.name,
                            f"needs {_things(missing)}, not at hand; its alternative, "
                            f"{ex.name}, is already in this routine",
                        )
                    )
                continue
            extra = list(notes.get(ex.id, ()))
            if replaces:
                extra.insert(
                    0, f"Instead of {EXERCISES[replaces].name}, which needs {_things(missing)}."
                )
            if item.note:
                extra.append(item.note)
            items.append(_Draft(ex, dose, extra, replaces))
        if items:
            drafts.append((rid, refs[rid][0], items))
        else:
            # Name the routine with its exercises' reason when they share one.
            ids = {i.exercise_id for i in routine.items}
            mine = {(e.reason, e.rule_id) for e in left_out if e.id in ids}
            reason, rule_id = (
                mine.pop() if len(mine) == 1 else ("every exercise of it was left out", None)
            )
            left_out.append(LeftOut(rid, routine.title, reason, rule_id))

    gentle = bool(gentle_rules)
    if minutes_per_day is not None:
        _fit_time(drafts, keep, minutes_per_day * 60, gentle, left_out, forbidden)

    steps = sorted({step for _, step, _ in drafts})
    labels = stage_labels([stage_of[rid] for rid, _, _ in drafts])
    has_stage_one = "1" in labels
    phases = []
    for (rid, step, items), label in zip(drafts, labels, strict=True):
        routine = ROUTINES[rid]
        phase_notes = []
        if gentle:
            phase_notes.append("Go gently: use the low end of each dose.")
        if label.startswith("2") and has_stage_one:
            phase_notes.append("Start this the day after your pain has centralized (stage 1).")
        phases.append(
            Phase(
                routine_id=rid,
                title=routine.title,
                step=steps.index(step) + 1,
                frequency=routine.frequency,
                move_on=routine.move_on,
                exercises=tuple(_exercise(d, gentle, sides) for d in items),
                notes=tuple(phase_notes),
                stage=label,
            )
        )
    unique = tuple(dict.fromkeys(left_out))  # an exercise left out of two routines is named once
    return PlanParts(tuple(phases), unique, _stops(fired, ruleset, phases))


def _things(names: Sequence[str]) -> str:
    words = [n.replace("_", " ") for n in names]
    text = " and ".join(words)
    return ("an " if text[0] in "aeiou" else "a ") + text


def _low(dose: Dose) -> Dose:
    def low(pair: tuple[float, float] | None) -> tuple[float, float] | None:
        return None if pair is None else (pair[0], pair[0])

    return replace(
        dose,
        hold_seconds=low(dose.hold_seconds),  # type: ignore[arg-type]
        reps=low(dose.reps),  # type: ignore[arg-type]
        duration_minutes=low(dose.duration_minutes),
        breaths=low(dose.breaths),  # type: ignore[arg-type]
    )


def stage_labels(stages: Sequence[str]) -> list[str]:
    """Label each routine's stage: a stage with several routines has parts 2a, 2b..."""
    counts = {s: stages.count(s) for s in stages}
    seen: dict[str, int] = {}
    labels = []
    for stage in stages:
        n = seen[stage] = seen.get(stage, 0) + 1
        several = counts[stage] > 1 and stage != "knee"
        labels.append(f"{stage}{'abcdefghij'[n - 1]}" if several else stage)
    return labels


def _exercise(draft: _Draft, gentle: bool, sides: Sides) -> PlanExercise:
    return _plan_exercise(
        draft.exercise.id, draft.dose, gentle, tuple(draft.notes), draft.replaces, sides
    )


@functools.lru_cache(maxsize=1024)
def _plan_exercise(
    exercise_id: str,
    dose: Dose,
    gentle: bool,
    notes: tuple[str, ...],
    replaces: str | None,
    sides: Sides,
) -> PlanExercise:
    """Build one plan entry; entries are frozen, so equal ones are shared between plans."""
    dose = _low(dose) if gentle else dose
    ex = EXERCISES[exercise_id]
    return PlanExercise(
        exercise_id=ex.id,
        name=ex.name,
        steps=fill(ex, dose, sides),
        dose=dose,
        dose_text=dose.describe(),
        equipment=ex.equipment,
        notes=notes,
        replaces=replaces,
        first_side=first_side(ex, sides) if dose.per_side else None,
        position=ex.position,
        side=None if dose.per_side else first_side(ex, sides),
    )


def _fit_time(
    drafts: list[tuple[str, int, list[_Draft]]],
    keep: set[str],
    budget: int,
    gentle: bool,
    left_out: list[LeftOut],
    forbidden: Forbidden,
) -> None:
    """Fit each step's daily session into the budget, lowest priority out first.

    Steps follow each other, so each step on its own must fit. First the document's
    shorter alternative replaces a long exercise; then exercises are dropped from the
    end of the step's last routine backwards, keeping each routine's first exercise
    until there is no other choice. Exercises a rule keeps are never dropped, and a
    shorter alternative that a rule forbids is never swapped in.
    """

    def cost(draft: _Draft) -> int:
        return draft.dose.estimated_seconds(low=gentle)

    for step in sorted({s for _, s, _ in drafts}):
        group = [(rid, items) for rid, s, items in drafts if s == step]
        need = sum(cost(d) for _, items in group for d in items)
        if need <= budget:
            continue
        reason = (
            f"time: this part of the plan takes about {round(need / 60)} min a day, "
            f"and {budget // 60} min are available"
        )
        total = need
        for _, items in group:
            for i, d in enumerate(items):
                alt_id = d.exercise.time_alternative
                if total <= budget or not alt_id or d.exercise.id in keep:
                    continue
                if any(other.exercise.id == alt_id for other in items):
                    continue
                alt = EXERCISES[alt_id]
                if forbidden.why(alt) is not None:
                    continue
                left_out.append(
                    LeftOut(d.exercise.id, d.exercise.name, f"{reason}; replaced by {alt.name}")
                )
                shorter = _Draft(
                    alt, alt.dose, [f"The shorter choice instead of {d.exercise.name}."]
                )
                total += cost(shorter) - cost(d)
                items[i] = shorter
        # Drop from the end of the last routine backwards; each routine keeps its first
        # exercise until every routine is down to one, so the plan stays whole.
        for keep_first in (True, False):
            for _, items in reversed(group):
                for d in reversed(list(items)):
                    if total <= budget:
                        break
                    if d.exercise.id in keep or (keep_first and d is items[0]):
                        continue
                    items.remove(d)
                    total -= cost(d)
                    left_out.append(LeftOut(d.exercise.id, d.exercise.name, reason))
    for entry in [e for e in drafts if not e[2]]:
        drafts.remove(entry)
        left_out.append(LeftOut(entry[0], ROUTINES[entry[0]].title, "time: no exercise of it fits"))


def _stops(
    fired: Sequence[Rule], ruleset: RuleSet, phases: Sequence[Phase]
) -> tuple[StopRule, ...]:
    if not phases:
        return ()
    present = {e.exercise_id for p in phases for e in p.exercises}
    out: dict[str, StopRule] = {}
    for rule in fired:
        for sid in rule.stop_if:
            stop = ruleset.stops[sid]
            if sid in out:
                continue
            if not stop.exercises or present.intersection(stop.exercises):
                out[sid] = StopRule(stop.id, stop.when, stop.then, rule.id)
    return tuple(out.values())
