"""Render ``docs/questionnaire.md`` from the questionnaire's definition."""

from __future__ import annotations

from .._cli import EXIT_CODES
from .._questionnaire import SECTIONS, Question, _word
from . import GENERATED_NOTE

__all__ = ["render_questionnaire"]


def render_questionnaire() -> str:
    """Return ``docs/questionnaire.md``: every question, its answers and when it is asked."""
    lines = [
        "# The questionnaire",
        "",
        GENERATED_NOTE,
        "",
        "`painpath` (or `python -m painpath`) asks these questions in this order, skipping",
        "those that cannot matter for the answers given so far. After every answer the",
        "rules are run on the answers so far: when they say *emergency*, the questionnaire",
        "stops at once and says what to do now.",
        "",
        "Answer with the number of a choice, or `y`/`n`; `?` shows the help; Enter takes",
        "the default where there is one (or skips an optional question). A question that",
        "is skipped is *not asked*: nothing is guessed for it.",
        "",
        "The same definition is exported by `painpath questions --format json` and, as a",
        "FHIR R4 Questionnaire, by `painpath questions --format fhir`.",
        "",
    ]
    for section in SECTIONS:
        lines += [f"## {section.title}", ""]
        for q in section.questions:
            lines += [f"### `{q.key}`", "", q.text, "", f"*Help:* {q.help}", ""]
            lines.append(f"- Answer: {_answer_words(q)}")
            if q.choices:
                for i, c in enumerate(q.choices, 1):
                    lines.append(f"  {i}. {c.label} (`{c.value}`)")
            if q.default is not None:
                shown = q.default if isinstance(q.default, tuple) else (q.default,)
                lines.append("- Enter gives: " + ", ".join(_word(v) for v in shown))
            if q.optional:
                lines.append("- Enter skips it.")
            lines.append(
                "- Asked when: "
                + (" and ".join(w.describe() for w in q.when) if q.when else "always")
            )
            lines.append("")
    lines += [
        "## Running it",
        "",
        "```text",
        "painpath                              ask the questions, show the result",
        "painpath --format markdown            the result as Markdown (or json)",
        "painpath --save answers.json          also keep the answers given",
        "painpath --answers answers.toml       no questions: read the answers (JSON or TOML)",
        "painpath questions --format fhir      export the questionnaire",
        "```",
        "",
        "## Exit status",
        "",
        "| status | meaning |",
        "|---|---|",
        *(f"| {code} | {meaning} |" for code, meaning in EXIT_CODES),
        "",
    ]
    return "\n".join(lines)


def _answer_words(q: Question) -> str:
    return q.spec.type.answer_words(q.spec)
