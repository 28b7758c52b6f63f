"""``docs/contract.md``: the answer contract, check-ins and the result, from the code.

Made from ``_contract.KEYS``, ``_checkin.CHECKIN_KEYS``, the result's dataclasses
and the shipped rules' finding vocabulary, so the page cannot drift from what
painpath accepts and returns.
"""

from __future__ import annotations

import dataclasses

from .._contract import AREAS, CONTRACT_VERSION, KEYS, KeySpec, red_flags_for_area
from . import GENERATED_NOTE

__all__ = ["render_contract"]

_GROUPS = (
    ("general", "General"),
    ("red_flag", "Red flags (asked first)"),
    ("back", "Back"),
    ("knee", "Knee"),
    ("preferences", "Preferences"),
)


def _table(specs: list[KeySpec]) -> list[str]:
    lines = ["| key | type | allowed | meaning |", "|---|---|---|---|"]
    for spec in specs:
        meaning = spec.meaning + (". **Required.**" if spec.required else "")
        kind, allowed = spec.type.contract_type, spec.type.markdown(spec)
        lines.append(f"| `{spec.key}` | {kind} | {allowed} | {meaning} |")
    return lines


def render_contract() -> str:
    """Return ``docs/contract.md``."""
    from .._checkin import CHECKIN_KEYS
    from .._result import Level, Result
    from .._rules import default_rules

    lines = [
        GENERATED_NOTE,
        "",
        f"# The answer contract (version {CONTRACT_VERSION})",
        "",
        "`painpath.triage(answers)` takes a mapping with the keys below (or a FHIR",
        "QuestionnaireResponse to `painpath questions --format fhir`, read by",
        "`painpath.answers_from_fhir`). A key left out means *not asked*: nothing is",
        "guessed for it, and a red flag that was not asked is listed in the result as",
        "`unscreened`. An unknown key, a wrong type or a value outside what is allowed is",
        "refused with one `InvalidAnswersError` naming every problem. Strings match",
        'exactly; `true`/`false` are booleans (`"yes"` is not).',
        "",
        "JSON Schemas (draft 2020-12) of the same: [`schema/answers.schema.json`]"
        "(schema/answers.schema.json), [`schema/checkin.schema.json`]"
        "(schema/checkin.schema.json), [`schema/result.schema.json`]"
        "(schema/result.schema.json), also printed by `painpath schema NAME`.",
        "",
    ]
    for group, title in _GROUPS:
        specs = [s for s in KEYS.values() if s.group == group]
        areas = {s.areas for s in specs}
        if len(areas) == 1 and len(next(iter(areas))) < len(AREAS):  # the whole group
            asked = " or ".join(f"`{a}`" for a in AREAS if a in next(iter(areas)))
            title = f"{title} (asked when `area` is {asked})"
        lines += [f"## {title}", "", *_table(specs), ""]
        if group == "red_flag":
            for area in AREAS:
                asked = ", ".join(f"`{k}`" for k in red_flags_for_area(area))
                lines.append(f"- Asked for `area = {area}`: {asked}.")
            lines.append("")
    lines += [
        "## Check-ins",
        "",
        "During the 21-day program a check-in (at most one a day) is a mapping of these",
        "keys, checked like the answers; see [`journal.md`](journal.md).",
        "",
        *_table(list(CHECKIN_KEYS.values())),
        "",
        "## The result",
        "",
        "`triage()` returns a frozen `Result`; `result.to_dict()` (and `--format json`)",
        "holds these fields:",
        "",
        "| field | meaning |",
        "|---|---|",
    ]
    for f in dataclasses.fields(Result):
        lines.append(f"| `{f.name}` | {_RESULT_FIELDS.get(f.name, '')} |")
    lines += ["", "Levels, highest first:", ""]
    for level in sorted(Level, reverse=True):
        lines.append(f"- `{level.value}`: {level.meaning}")
    lines += [
        "",
        "## The clinical logic",
        "",
        "Every level, finding, exclusion and plan comes from a rule in `rules/`, listed",
        "with its rationale and source in [`rules.md`](rules.md). The findings a result",
        "may hold (the shipped rules' vocabulary):",
        "",
        "| finding | meaning |",
        "|---|---|",
    ]
    for fid, finding in sorted(default_rules().findings.items()):
        lines.append(f"| `{fid}` | {finding.meaning} |")
    lines.append("")
    return "\n".join(lines)


_RESULT_FIELDS = {
    "level": "how soon to act: `emergency`, `urgent`, `see_doctor` or `self_care`",
    "findings": "the finding ids the rules concluded (below)",
    "plan": "the ordered phases of the routine; empty for `emergency` and `urgent`",
    "stop_if": "what should make the person stop, and what to do then",
    "advice": "plain-language lines",
    "unscreened": "red-flag keys the area calls for that were not asked",
    "reasons": "every rule that fired: id, title, rationale, source",
    "left_out": "exercises or routines left out of the plan, and why",
    "contract_version": "the answer contract version of this result",
    "program": "the 21 days, day by day; empty for `emergency` and `urgent`",
}
