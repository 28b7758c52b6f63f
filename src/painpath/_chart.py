"""Progress charts of the journal: a compact terminal chart and an SVG chart.

Both draw the same data (:func:`progress_data`): the pain score (0-10) day by day,
the sessions done as bars, the day stage 2 started and every check-in that said to
see a doctor (or stopped the program). Only the standard library is used: the SVG
is plain XML text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ._result import Level

__all__ = ["progress_data", "render_svg", "render_terminal"]

_DOCTOR = (Level.SEE_DOCTOR.value, Level.URGENT.value, Level.EMERGENCY.value)


def progress_data(entries: Sequence[Any]) -> dict[str, Any]:
    """Return the chart's data from a journal's history (start first, then check-ins)."""
    start, checkins = entries[0], entries[1:]
    days = []
    stage2_day = None
    for entry in checkins:
        effects = set(entry.effects)
        if "stage_2" in effects and stage2_day is None:
            stage2_day = entry.day + 1
        days.append(
            {
                "day": entry.day,
                "date": entry.date,
                "pain": entry.answers.get("pain_score"),
                "sessions": entry.answers.get("sessions_done"),
                "level": entry.level.value,
                "see_doctor": entry.level.value in _DOCTOR,
                "stopped": "stop" in effects,
            }
        )
    return {
        "start_date": start.date,
        "start_pain": start.answers.get("pain_score"),
        "start_level": start.level.value,
        "stage2_day": stage2_day,
        "days": days,
    }


# --- terminal --------------------------------------------------------------------------


def _cell_width(count: int, width: int) -> int:
    for cell in (3, 2):
        if count * cell + 5 <= width:
            return cell
    return 1


def render_terminal(data: dict[str, Any], *, color: bool = False, width: int = 80) -> str:
    """Return a pain chart of at most ``width`` columns (80 at most), ending with a newline.

    Rows are pain 10 to 0, one column group per check-in day; below, the sessions
    done, then the marks: ``^`` stage 2 began, ``!`` see a doctor, ``X`` stopped.
    """
    width = min(width, 80)
    days = list(data["days"])
    if not days:
        return "No check-ins yet: check in to see your progress.\n"
    cell = _cell_width(len(days), width)
    fit = max(1, (width - 5) // cell)
    if len(days) > fit:
        days = days[-fit:]

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    start_pain = data.get("start_pain")
    lines = [f"Pain (0-10) by day, from {data['start_date']}"]
    for level in range(10, -1, -1):
        row = f"{level:>3} |"
        for item in days:
            if item["pain"] == level:
                mark = paint("o".center(cell), "1;36")
            elif start_pain == level:
                mark = "-" * cell
            else:
                mark = " " * cell
            row += mark
        lines.append(row)
    lines.append("    +" + "-" * (cell * len(days)))
    label = "day "
    for item in days:
        label += str(item["day"]).rjust(cell)[-cell:]
    lines.append(label)
    sessions = "ses "
    for item in days:
        count = item["sessions"]
        shown = "." if count is None else (str(count) if count < 10 else "+")
        sessions += shown.rjust(cell)
    lines.append(sessions)
    marks = "    "
    for item in days:
        if item["stopped"]:
            mark = paint("X", "1;31")
        elif item["see_doctor"]:
            mark = paint("!", "1;31")
        elif data.get("stage2_day") == item["day"]:
            mark = paint("^", "1;32")
        else:
            mark = " "
        marks += " " * (cell - 1) + mark
    lines.append(marks.rstrip())
    legend = "o pain  - start  ses: sessions  ^ stage 2 began  ! see a doctor"
    if any(item["stopped"] for item in days):
        legend += "  X stopped"
    lines.append(legend if len(legend) <= width else legend[: width - 1])
    return "\n".join(line.rstrip() for line in lines) + "\n"


# --- SVG -------------------------------------------------------------------------------

_W, _H = 720, 380
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 56, 40, 64


def render_svg(data: dict[str, Any]) -> str:
    """Return an SVG chart: pain line 0-10 over the days, sessions as bars, marks."""
    days: list[dict[str, Any]] = list(data["days"])
    last = max([21, *(d["day"] for d in days)])
    plot_w = _W - _LEFT - _RIGHT
    plot_h = _H - _TOP - _BOTTOM
    max_sessions = max([1, *(d["sessions"] or 0 for d in days)])

    def x(day: float) -> float:
        return float(_LEFT + (day - 0.5) * plot_w / last)

    def y(pain: float) -> float:
        return float(_TOP + plot_h - pain * plot_h / 10)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}" role="img" aria-labelledby="title desc" '
        'font-family="sans-serif" font-size="12">',
        '<title id="title">Pain and sessions over the program</title>',
        '<desc id="desc">Pain score 0 to 10 for each check-in from '
        f"{escape(str(data['start_date']))}, sessions done as bars, the day stage 2 began "
        "and any advice to see a doctor.</desc>",
        f'<rect x="0" y="0" width="{_W}" height="{_H}" fill="white"/>',
    ]
    # sessions: bars against the right axis
    bar_w = max(2.0, plot_w / last * 0.6)
    out.append('<g class="sessions" fill="#9ecae1">')
    for d in days:
        if d["sessions"]:
            height = d["sessions"] * plot_h / max_sessions
            out.append(
                f'<rect class="session" x="{x(d["day"]) - bar_w / 2:.1f}" '
                f'y="{_TOP + plot_h - height:.1f}" width="{bar_w:.1f}" height="{height:.1f}">'
                f"<title>day {d['day']}: {d['sessions']} sessions</title></rect>"
            )
    out.append("</g>")
    # axes and grid
    out.append('<g class="axes" stroke="#444" fill="none">')
    out.append(f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}"/>')
    out.append(
        f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_LEFT + plot_w}" y2="{_TOP + plot_h}"/>'
    )
    out.append("</g>")
    out.append('<g class="labels" fill="#222">')
    for pain in range(0, 11, 2):
        out.append(f'<text x="{_LEFT - 8}" y="{y(pain) + 4:.1f}" text-anchor="end">{pain}</text>')
    for day in range(1, last + 1):
        if day == 1 or day % 5 == 0 or day == last:
            out.append(
                f'<text x="{x(day):.1f}" y="{_TOP + plot_h + 16}" text-anchor="middle">{day}</text>'
            )
    out.append(
        f'<text x="{_LEFT + plot_w / 2}" y="{_H - 24}" text-anchor="middle">'
        "day of the program</text>"
    )
    out.append(
        f'<text x="16" y="{_TOP + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 16 {_TOP + plot_h / 2})">pain (0-10)</text>'
    )
    out.append(
        f'<text x="{_W - 16}" y="{_TOP + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(90 {_W - 16} {_TOP + plot_h / 2})">sessions (bars, up to '
        f"{max_sessions})</text>"
    )
    out.append(
        f'<text x="{_LEFT}" y="22" font-size="15" font-weight="bold">'
        "Pain and sessions over the program</text>"
    )
    out.append("</g>")
    if data.get("start_pain") is not None:
        sy = y(data["start_pain"])
        out.append(
            f'<line class="start-pain" x1="{_LEFT}" y1="{sy:.1f}" x2="{_LEFT + plot_w}" '
            f'y2="{sy:.1f}" stroke="#888" stroke-dasharray="4 4"/>'
        )
    stage2 = data.get("stage2_day")
    if stage2 is not None:
        sx = x(stage2) - plot_w / last / 2
        out.append(
            f'<g class="stage2"><line x1="{sx:.1f}" y1="{_TOP}" x2="{sx:.1f}" '
            f'y2="{_TOP + plot_h}" stroke="#2ca02c" stroke-width="2" stroke-dasharray="6 3"/>'
            f'<text x="{sx + 4:.1f}" y="{_TOP + 12}" fill="#2ca02c">stage 2 from day {stage2}'
            "</text></g>"
        )
    points = [(x(d["day"]), y(d["pain"]), d) for d in days if d["pain"] is not None]
    if points:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
        out.append(
            f'<polyline class="pain" points={quoteattr(path)} fill="none" stroke="#1f77b4" '
            'stroke-width="2"/>'
        )
        out.append('<g class="pain-points" fill="#1f77b4">')
        for px, py, d in points:
            out.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5"><title>day {d["day"]} '
                f"({escape(d['date'])}): pain {d['pain']}</title></circle>"
            )
        out.append("</g>")
    for d in days:
        if d["see_doctor"] or d["stopped"]:
            mx = x(d["day"])
            words = "program stopped" if d["stopped"] else "see a doctor"
            out.append(
                f'<g class="{"stopped" if d["stopped"] else "see-doctor"}">'
                f'<line x1="{mx:.1f}" y1="{_TOP}" x2="{mx:.1f}" y2="{_TOP + plot_h}" '
                'stroke="#d62728" stroke-width="1" stroke-opacity="0.5"/>'
                f'<path d="M{mx - 6:.1f},{_TOP - 2} L{mx + 6:.1f},{_TOP - 2} '
                f'L{mx:.1f},{_TOP + 8}Z" fill="#d62728"/>'
                f"<title>day {d['day']}: {words}</title></g>"
            )
    legend_y = _H - 8
    out.append(
        f'<g class="legend" font-size="11"><circle cx="{_LEFT}" cy="{legend_y - 4}" r="3.5" '
        f'fill="#1f77b4"/><text x="{_LEFT + 8}" y="{legend_y}">pain</text>'
        f'<rect x="{_LEFT + 48}" y="{legend_y - 9}" width="8" height="10" fill="#9ecae1"/>'
        f'<text x="{_LEFT + 60}" y="{legend_y}">sessions</text>'
        f'<line x1="{_LEFT + 120}" y1="{legend_y - 4}" x2="{_LEFT + 140}" y2="{legend_y - 4}" '
        f'stroke="#888" stroke-dasharray="4 4"/><text x="{_LEFT + 144}" y="{legend_y}">pain at '
        f'the start</text><path d="M{_LEFT + 240},{legend_y - 9} L{_LEFT + 252},{legend_y - 9} '
        f'L{_LEFT + 246},{legend_y}Z" fill="#d62728"/><text x="{_LEFT + 256}" y="{legend_y}">'
        "see a doctor</text></g>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"
