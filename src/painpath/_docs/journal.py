"""Render ``docs/journal.md`` from the journal's code and its check-in rules."""

from __future__ import annotations

from .._checkin import CHECKIN_KEYS, DERIVED_KEYS, EFFECTS, NOTE_LIMIT, default_checkin_rules
from .._conditions import describe
from . import GENERATED_NOTE

__all__ = ["render_journal"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_journal() -> str:
    """Return the Markdown page on the journal: API, check-in keys, facts, rules, CLI."""
    from .._journal import LOINC_PAIN, LOINC_PAIN_DISPLAY, SCHEMA_VERSION
    from .._journal_cli import _HELP, COMMANDS

    rules = default_checkin_rules()
    out = [
        GENERATED_NOTE,
        "",
        "# The journal",
        "",
        "The journal keeps one person's 21-day program over time: the answers it started",
        "from, and a short check-in each day. Each check-in is judged by the check-in rules",
        "(`rules/checkin/`) with the starting answers and the earlier check-ins: the program",
        "moves on, steps back, holds, or stops, and the person is told when to see a doctor.",
        "",
        "```python",
        "import painpath",
        "",
        'journal = painpath.Journal()  # or Journal("my-journal.sqlite3")',
        'result = journal.start(answers, start_date="2026-12-01")',
        'outcome = journal.checkin({"date": "2026-12-03", "pain_score": 4, "sessions_done": 3})',
        "outcome.level, outcome.reasons, outcome.changes, outcome.program",
        'journal.today("2026-12-04")  # what to do that day',
        "journal.history()  # the start and every check-in",
        "journal.progress()  # pain and sessions by day, for a chart",
        "journal.export()  # plain data and a FHIR R4 Bundle",
        "journal.forget()  # delete the file",
        "```",
        "",
        "## The file",
        "",
        "- One SQLite file, by default `journal.sqlite3` in the user's data directory",
        "  (`platformdirs`); `Journal(path)` or `--journal PATH` chooses another.",
        "- Readable by its owner only: the file is created `0600` (SQLite's `-wal` and `-shm`",
        "  files take its mode), and any directory the journal creates `0700`.",
        "- WAL mode; a check-in is one `BEGIN IMMEDIATE` transaction. A process killed in the",
        "  middle leaves the journal as it was before or after, never between; two processes",
        "  checking in at once are both recorded, and one date is taken once.",
        "- A bad check-in is refused whole, with one error naming every key, and changes",
        "  nothing.",
        f"- The schema carries its version (this painpath writes version {SCHEMA_VERSION}). An",
        "  older journal is migrated step by step in one transaction; one from a newer",
        "  painpath is refused with a clear message and left untouched.",
        "- Nothing leaves the machine: `export` writes only where it is told to.",
        "",
        "## Check-in keys",
        "",
        "A check-in is a mapping of these keys. Only `date` is required. A date is an ISO",
        "date, not before the start, not in the future, one check-in per date (a missed day",
        "may be filled in later; it is judged with the check-ins before it). A warning sign",
        "of another area is accepted, never refused.",
        "",
        "| key | allowed | meaning |",
        "|---|---|---|",
    ]
    for key, spec in CHECKIN_KEYS.items():
        if key == "date":
            allowed = "ISO date `YYYY-MM-DD`"
        elif key == "note":
            allowed = f"text, at most {NOTE_LIMIT} characters"
        else:
            allowed = spec.allowed()
        out.append(f"| `{key}` | {_cell(allowed)} | {_cell(spec.meaning)} |")
    out += [
        "",
        "The `note` is kept in the journal and never read by the rules.",
        "",
        "## What the rules see",
        "",
        "The journal turns a check-in into one fact of plain data: today's answers (not",
        "`date`, not `note`), every starting answer as `start_<key>` (for example",
        "`start_pain_score`), and these numbers derived from the start and the earlier",
        "check-ins. The journal only counts and compares; the rules decide.",
        "",
        "| fact | allowed | meaning |",
        "|---|---|---|",
    ]
    for key, spec in DERIVED_KEYS.items():
        out.append(f"| `{key}` | {_cell(spec.allowed())} | {_cell(spec.meaning)} |")
    out += [
        "",
        "## What a check-in can do to the program",
        "",
        "Each takes effect from the day after the check-in.",
        "",
        "| outcome | meaning |",
        "|---|---|",
    ]
    out += [f"| `{name}` | {_cell(meaning)} |" for name, meaning in EFFECTS.items()]
    out += [
        "",
        "The level of an outcome is the highest level of any rule that fired (`self_care`",
        "when none set one). When a clearance and a new reason to see a doctor come at the",
        "same check-in, the new reason wins.",
        "",
        "## The check-in rules",
        "",
    ]
    for rule in rules.rules:
        out += [f"### {rule.id}: {rule.title}", ""]
        facts = []
        if rule.level:
            facts.append(f"level `{rule.level}`")
        effects = rules.effects.get(rule.id, ())
        if effects:
            facts.append("program " + ", ".join(f"`{e}`" for e in effects))
        if facts:
            out += ["- **Outcome:** " + "; ".join(facts)]
        out += [f"- **When:** {describe(rule.when)}"]
        for line in rule.advice:
            out.append(f"- **Advice:** {line}")
        out += [f"- **Why:** {rule.rationale}", f"- **Source:** {rule.source}", ""]
    out += [
        "## FHIR",
        "",
        '`export()["fhir"]` is a FHIR R4 `collection` Bundle with one Observation per',
        f"reported pain score: LOINC `{LOINC_PAIN}` ({LOINC_PAIN_DISPLAY}), `valueInteger`,",
        "and `effectiveDateTime` the day it was reported. It names no patient.",
        "",
        "## Command line",
        "",
        "Every command takes `--journal PATH` and `--format`. `start`, `today` and `checkin`",
        "exit with the level's status, as a triage does: 0 self_care, 10 see_doctor,",
        "20 urgent, 30 emergency; 2 for bad input.",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    out += [f"| `painpath {name}` | {_cell(_HELP[name])} |" for name in COMMANDS]
    out += [
        "",
        "`painpath checkin` asks the warning signs of the person's area first, every time,",
        "and stops at once when an answer is an emergency; then the pain, the sessions done,",
        "how the pain behaved after exercising, and for the back what the press-ups did and",
        "how far down the leg the pain goes. While a doctor is advised it also asks whether",
        "a doctor has cleared the exercises.",
        "",
    ]
    return "\n".join(out)
