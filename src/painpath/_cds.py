"""Decisions out: a result as a CDS Hooks 2.0 response (``Result.to_cds_hooks()``).

One card says the level: ``critical`` for emergency, ``warning`` for urgent and
see_doctor, ``info`` for self_care. Its ``summary`` (under 140 characters) says the
level and the main reason; its Markdown ``detail`` says what to do, the red flags
that were not screened (plainly, first), why (every rule that fired, with its id:
cards are read by clinicians), the plan and when to stop. ``source.label`` names
painpath, its version and the rule ids that set the level.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from ._contract import KEYS
from ._levels import Level
from ._version import __version__
from ._warnings import UNSCREENED_PREFIX

if TYPE_CHECKING:
    from ._result import Result

__all__ = ["INDICATOR", "SUMMARY_MAX", "to_cds_hooks"]

#: The card indicator for each level.
INDICATOR: dict[Level, str] = {
    Level.EMERGENCY: "critical",
    Level.URGENT: "warning",
    Level.SEE_DOCTOR: "warning",
    Level.SELF_CARE: "info",
}
#: CDS Hooks: "summary ... SHOULD be under a 140-character limit".
SUMMARY_MAX = 139

#: The level in words ("See a doctor"): its title from the level table.
_LEVEL_WORDS = {level: level.title.capitalize() for level in Level}
_CARD_NAMESPACE = uuid.UUID("5f0b1a52-1c4e-4c57-9d55-3d0c1c0e7a12")


def to_cds_hooks(result: Result) -> dict[str, Any]:
    """Return the CDS Hooks 2.0 response (``{"cards": [...]}``) for one result."""
    deciding = [r for r in result.reasons if r.level is result.level]
    ids = ", ".join(r.rule_id for r in deciding) or "none raised the level"
    card: dict[str, Any] = {
        "uuid": str(uuid.uuid5(_CARD_NAMESPACE, result.to_json(sort_keys=True))),
        "summary": _summary(result, deciding[0].title if deciding else None),
        "indicator": INDICATOR[result.level],
        "detail": _detail(result),
        "source": {
            "label": f"painpath {__version__} (rules: {ids})",
            "topic": {
                "system": "urn:painpath:level",
                "code": result.level.value,
                "display": _LEVEL_WORDS[result.level],
            },
        },
    }
    return {"cards": [card]}


def _summary(result: Result, reason: str | None) -> str:
    head = f"{_LEVEL_WORDS[result.level]}: {result.level.meaning.rstrip('.')}"
    tail = " Red flags not screened." if result.unscreened else ""
    if reason:
        room = SUMMARY_MAX - len(head) - len(tail) - 3
        if room >= 20:
            short = reason if len(reason) <= room else reason[: room - 1].rstrip() + "…"
            head = f"{head} ({short})"
    return (head + "." + tail)[:SUMMARY_MAX]


def _detail(result: Result) -> str:
    lines = [f"**{_LEVEL_WORDS[result.level]}.** {result.level.meaning}", ""]
    if result.unscreened:
        lines += [
            "**Red flags not screened.** These were not asked, so this result cannot "
            "rule them out: ask about them before relying on it.",
            "",
        ]
        lines += [f"- {KEYS[k].meaning if k in KEYS else k} (`{k}`)" for k in result.unscreened]
        lines.append("")
    if result.findings:
        lines += ["**Findings:** " + ", ".join(f"`{f}`" for f in sorted(result.findings)), ""]
    lines += ["**Why** (rules that fired):", ""]
    lines += [
        f"- `{r.rule_id}` {r.title}" + (f" ({r.level.value})" if r.level else "")
        for r in result.reasons
    ]
    lines.append("")
    if result.plan:
        lines += ["**Home routine:**", ""]
        lines += [
            f"{p.step}. {p.title}: {len(p.exercises)} exercises, {p.frequency}" for p in result.plan
        ]
        lines.append("")
    if result.stop_if:
        lines += ["**Stop if:**", ""]
        lines += [f"- {s.when}: {s.then}" for s in result.stop_if]
        lines.append("")
    advice = [a for a in result.advice if not a.startswith(UNSCREENED_PREFIX)]
    if advice:
        lines += ["**Advice given:**", ""]
        lines += [f"- {a}" for a in advice]
        lines.append("")
    lines.append("*painpath is decision support, not a diagnosis.*")
    return "\n".join(lines)
