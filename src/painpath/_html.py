"""The printable handout: one self-contained HTML page, nothing fetched from anywhere.

The page says what the text says, in the same order, laid out for paper: the level
banner, the warning signs not asked, what to check first, the stop rules in a box,
then each week on its own printed page with a calendar (a box to tick per day and
session) and every exercise of that week with its steps, dose, side and a line
drawing of its starting position. The drawings are inline SVG, one per position of
the catalog (:data:`painpath.catalog.POSITIONS`). No script, no font, no image file.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ._handout import (
    advice_rest,
    glance,
    sentence,
    short_date,
    show_unscreened,
    side_text,
    stage_label,
    unscreened_lines,
    week_label,
)
from ._result import Level, ProgramDay, ProgramExercise, Result, Session

__all__ = ["DRAWINGS", "render_html"]

_DISCLAIMER = (
    "painpath is decision support, not a diagnosis. If you feel worse, or something new "
    "worries you, contact a doctor; in an emergency call your local emergency number."
)
_UNSCREENED = (
    "These warning signs were not asked about, so this result cannot rule them out. "
    "If any of them applies to you:"
)

_FLOOR = '<line x1="4" y1="64" x2="116" y2="64" class="floor"/>'
#: One line drawing per starting position of the catalog, in a 120 x 70 box.
DRAWINGS: dict[str, str] = {
    "lying_on_back": _FLOOR
    + '<circle cx="14" cy="54" r="6"/>'
    + '<polyline points="20,57 62,57 80,38 96,62"/>'
    + '<polyline points="30,57 48,61"/>',
    "lying_face_down": _FLOOR
    + '<circle cx="14" cy="52" r="6"/>'
    + '<polyline points="20,57 108,61"/>'
    + '<polyline points="28,57 24,62 38,63"/>',
    "lying_on_side": _FLOOR
    + '<circle cx="16" cy="40" r="6"/>'
    + '<polyline points="26,63 24,48 104,61"/>'
    + '<polyline points="24,48 40,44"/>',
    "sitting": _FLOOR
    + '<polyline points="30,64 30,44 58,44 58,64" class="thing"/>'
    + '<polyline points="30,44 30,16" class="thing"/>'
    + '<circle cx="44" cy="12" r="6"/>'
    + '<polyline points="44,18 42,42 70,42 72,64"/>'
    + '<polyline points="44,24 60,34"/>',
    "standing": _FLOOR
    + '<circle cx="60" cy="10" r="6"/>'
    + '<polyline points="60,16 60,38"/>'
    + '<polyline points="52,64 60,38 68,64"/>'
    + '<polyline points="48,34 60,22 72,34"/>',
    "kneeling": _FLOOR
    + '<circle cx="52" cy="10" r="6"/>'
    + '<polyline points="52,16 52,40"/>'
    + '<polyline points="22,64 40,64 52,40 72,42 72,64"/>'
    + '<polyline points="52,24 66,36"/>',
    "hands_and_knees": _FLOOR
    + '<circle cx="94" cy="27" r="6"/>'
    + '<polyline points="42,32 88,32 88,64"/>'
    + '<polyline points="42,32 42,64 16,64"/>',
    "on_foam_roller": _FLOOR
    + '<circle cx="56" cy="56" r="7" class="thing"/>'
    + '<circle cx="14" cy="44" r="6"/>'
    + '<polyline points="20,47 56,49 78,38 94,62"/>'
    + '<polyline points="30,48 44,56"/>',
}

_CSS = """
@page { size: A4; margin: 14mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 11pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111;
  margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; }
h3 { font-size: 12pt; margin: 4mm 0 1mm; }
.banner { color: #fff; padding: 4mm 5mm; border-radius: 2mm; margin-bottom: 4mm;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.banner strong { display: block; font-size: 18pt; letter-spacing: 0.5pt; }
.banner span { font-size: 12pt; }
.emergency { background: #8e0000; }
.urgent { background: #c62828; }
.see_doctor { background: #9a5b00; }
.self_care { background: #1d6b35; }
.warning { border: 2px solid #9a5b00; border-radius: 2mm; padding: 2mm 4mm; margin: 3mm 0; }
.stop { border: 3px solid #c62828; background: #fff3f2; border-radius: 2mm;
  padding: 2mm 5mm; margin: 4mm 0; break-inside: avoid;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.stop h2 { border: 0; color: #c62828; margin-top: 1mm; }
.week { break-before: page; page-break-before: always; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
th, td { border: 1px solid #777; padding: 1.5mm 2mm; vertical-align: middle; }
th { background: #eee; font-weight: bold; -webkit-print-color-adjust: exact;
  print-color-adjust: exact; }
.calendar td.tick { text-align: center; width: 11mm; }
.glance th:nth-child(1) { width: 20%; }
.glance th:nth-child(2) { width: 30%; }
.glance th:nth-child(3) { width: 11%; }
.box { display: inline-block; width: 5mm; height: 5mm; border: 0.6mm solid #222;
  border-radius: 0.8mm; vertical-align: middle; }
.calendar th.day { font-size: 9pt; text-align: center; white-space: nowrap; }
.exercise { display: flex; gap: 4mm; padding: 2mm 0; border-top: 1px solid #ccc;
  break-inside: avoid; }
.exercise svg { flex: none; width: 34mm; height: 20mm; }
.exercise svg * { fill: none; stroke: #222; stroke-width: 2.4; stroke-linecap: round;
  stroke-linejoin: round; }
.exercise svg .floor { stroke: #999; stroke-width: 1.5; }
.exercise svg .thing { stroke: #777; }
.exercise ol { margin: 1mm 0 0; padding-left: 6mm; }
.dose { font-weight: bold; }
.side { color: #1d4f91; font-weight: bold; }
.note, .locked, .later { color: #444; font-style: italic; }
.disclaimer { margin-top: 6mm; font-size: 9pt; color: #444; }
"""


def render_html(result: Result) -> str:
    """Return the printable handout of ``result`` as one self-contained HTML page."""
    level = result.level
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>painpath: {escape(level.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f'<header class="banner {level.value}" id="banner">'
        f"<strong>{escape(level.title)}</strong>"
        f"<span>{escape(level.meaning)}</span></header>",
    ]
    if show_unscreened(result):
        out.append('<section class="warning"><h2>Not asked</h2>')
        out.append(f"<p>{escape(_UNSCREENED)}</p>")
        out.append(_list(unscreened_lines(result)))
        out.append("</section>")
    reasons = _why(result)
    if reasons:
        out.append("<h2>Why</h2>" + _list(reasons))
    if result.first_advice and result.program:
        out.append("<h2>Before you start</h2>" + _list(result.first_advice))
    if result.stop_if and result.program:
        stops = [f"{sentence(s.when)} {sentence(s.then)}" for s in result.stop_if]
        out.append('<section class="stop" id="stop"><h2>Stop if</h2>' + _list(stops))
        out.append("</section>")
    if result.program:
        out.append(_glance(result))
    advice = advice_rest(result) + (() if result.program else result.first_advice)
    if advice:
        out.append("<h2>Advice</h2>" + _list(advice))
    if result.stop_if and not result.program:
        stops = [f"{sentence(s.when)} {sentence(s.then)}" for s in result.stop_if]
        out.append("<h2>Stop if</h2>" + _list(stops))
    for week in (1, 2, 3):
        days = [d for d in result.program if d.week == week]
        if days:
            out.append(_week(days))
    out.append(_waiting(result))
    out.append(f'<p class="disclaimer">{escape(_DISCLAIMER)}</p>')
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _why(result: Result) -> list[str]:
    if result.level < Level.URGENT:
        return [r.title for r in result.reasons if r.finding or r.level]
    return [r.title for r in result.reasons if r.level is not None and r.level >= Level.URGENT]


def _glance(result: Result) -> str:
    rows = [
        "<h2>The 21 days at a glance</h2>",
        '<table class="glance"><tr><th>Week</th><th>Each day</th><th>Minutes a day</th>'
        "<th>What changes</th></tr>",
    ]
    for row in glance(result):
        rows.append(
            f"<tr><td>{escape(row.label)}</td><td>{'<br>'.join(map(escape, row.sessions))}</td>"
            f"<td>about {row.minutes}</td><td>{'<br>'.join(map(escape, row.changes))}</td></tr>"
        )
    rows.append("</table>")
    return "\n".join(rows)


def _week(days: Sequence[ProgramDay]) -> str:
    """One week: its calendar, then its exercises at that week's dose."""
    first = days[0]
    out = [f'<section class="week" id="week-{first.week}">']
    out.append(f"<h2>{escape(week_label(first, days[-1]))}</h2>")
    out.append(
        f"<p>About {first.minutes} min a day, one time through. Tick a box each time you "
        "finish a session.</p>"
    )
    for hold in first.holds:
        out.append(f'<p class="note">{escape(hold[0].upper() + hold[1:])}.</p>')
    keys: list[tuple[str, str, str]] = []
    for day in days:
        for s in day.sessions:
            key = (s.stage, s.routine_id, s.title)
            if key not in keys:
                keys.append(key)
    head = "".join(
        f'<th class="day">Day {d.day}' + (f"<br>{short_date(d.date)}" if d.date else "") + "</th>"
        for d in days
    )
    out.append(f'<table class="calendar"><tr><th>Session</th><th>How often</th>{head}</tr>')
    for stage, routine_id, title in keys:
        cells = []
        when = ""
        for day in days:
            found = [
                s
                for s in day.sessions
                if (s.stage, s.routine_id, s.title) == (stage, routine_id, title)
            ]
            if found:
                when = found[0].when
            box = '<span class="box"></span>' if found else ""
            cells.append(f'<td class="tick">{box}</td>')
        label = f"{stage_label(stage)}: {title}"
        out.append(f"<tr><td>{escape(label)}</td><td>{escape(when)}</td>{''.join(cells)}</tr>")
    out.append("</table>")
    for locked in first.locked:
        out.append(
            f'<p class="locked">{escape(stage_label(locked.stage))}: {escape(locked.title)} '
            f"starts {escape(locked.starts)}.</p>"
        )
    for session in first.sessions:
        out.append(_session(session))
    out.append("</section>")
    return "\n".join(out)


def _waiting(result: Result) -> str:
    """Show the stages locked on every day, so the sheet has them when their day comes."""
    never = {x.routine_id: x for x in result.program[-1].locked} if result.program else {}
    phases = [p for p in result.plan if p.routine_id in never]
    if not phases:
        return ""
    out = ['<section class="week" id="later">', "<h2>Later: when your pain has centralized</h2>"]
    out.append(
        "<p>These wait until your pain has centralized (moved out of the leg toward the middle "
        "of your back). Doses here are the full ranges: start at the low end, and build up "
        "week by week as in the weeks above.</p>"
    )
    for phase in phases:
        out.append(
            f"<h3>{escape(stage_label(phase.stage))}: {escape(phase.title)}</h3>"
            f"<p>{escape(_capital(phase.frequency))}. "
            f"Starts {escape(never[phase.routine_id].starts)}.</p>"
        )
        for entry in phase.exercises:
            out.append(
                _exercise(
                    ProgramExercise(
                        exercise_id=entry.exercise_id,
                        name=entry.name,
                        steps=entry.steps,
                        dose=entry.dose,
                        dose_text=entry.dose_text,
                        first_side=entry.first_side,
                        position=entry.position,
                        notes=entry.notes,
                        side=entry.side,
                    ),
                    knee=False,
                )
            )
    out.append("</section>")
    return "\n".join(out)


def _capital(text: str) -> str:
    """Start a sentence with a capital: "every day" -> "Every day"."""
    return text[:1].upper() + text[1:]


def _session(session: Session) -> str:
    out = [
        f"<h3>{escape(stage_label(session.stage))}: {escape(session.title)}</h3>",
        f"<p>{escape(_capital(session.when))}, about {session.minutes} min.</p>",
    ]
    for ex in session.exercises:
        out.append(_exercise(ex, knee=session.stage == "knee"))
    if session.later:
        later = ", ".join(f"{x.name} ({x.joins})" for x in session.later)
        out.append(f'<p class="later">Joining later: {escape(later)}</p>')
    return "\n".join(out)


def _exercise(ex: ProgramExercise, *, knee: bool) -> str:
    drawing = DRAWINGS[ex.position]
    where = ex.position.replace("_", " ")
    side = side_text(ex, knee=knee)
    side_html = f' <span class="side">{escape(side[0].upper() + side[1:])}.</span>' if side else ""
    steps = "".join(f"<li>{escape(step)}</li>" for step in ex.steps)
    notes = "".join(f'<p class="note">{escape(note)}</p>' for note in ex.notes)
    return (
        f'<div class="exercise" id="ex-{escape(ex.exercise_id)}">'
        f'<svg viewBox="0 0 120 70" role="img" aria-label="{escape(where)}">'
        f"<title>{escape(where)}</title>{drawing}</svg>"
        f'<div><span class="box"></span> <strong>{escape(ex.name)}</strong>: '
        f'<span class="dose">{escape(ex.dose_text)}</span>.{side_html}'
        f"<ol>{steps}</ol>{notes}</div></div>"
    )


def _list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"
