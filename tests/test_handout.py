"""What the person reads: text, Markdown and the printable HTML handout.

Four journeys (tests/journeys/*.json) are run through the ``painpath`` command and
their whole text output compared with tests/golden/*.txt. To accept a deliberate
change, run ``PAINPATH_UPDATE_GOLDEN=1 pytest tests/test_handout.py`` and review the
diff. The handout is opened in headless Chromium, printed to PDF and photographed,
and both are checked as a person would see them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import painpath
from painpath._html import DRAWINGS, render_html
from painpath._render import render_markdown, render_text
from painpath.catalog import EXERCISES, POSITIONS

HERE = Path(__file__).parent
JOURNEYS = sorted((HERE / "journeys").glob("*.json"))
GOLDEN = HERE / "golden"
RULE_ID = re.compile(r"\b[A-Z]{2}-\d{3}\b")


def journey(name: str) -> dict[str, object]:
    return json.loads((HERE / "journeys" / f"{name}.json").read_text(encoding="utf-8"))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "painpath", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


class TestTranscripts:
    @pytest.mark.parametrize("path", JOURNEYS, ids=[p.stem for p in JOURNEYS])
    def test_text_output_is_the_golden_transcript(self, path):
        """The whole text a person reads for this journey is exactly the reviewed one."""
        done = run_cli("--answers", str(path), "--format", "text")
        assert done.returncode == 0, done.stderr
        golden = GOLDEN / f"{path.stem}.txt"
        if os.environ.get("PAINPATH_UPDATE_GOLDEN"):
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(done.stdout, encoding="utf-8")
        assert done.stdout == golden.read_text(encoding="utf-8")

    def test_four_journeys(self):
        """The four journeys of the issue are all there."""
        assert [p.stem for p in JOURNEYS] == [
            "back_and_knee",
            "knee_inside_bmi29",
            "sciatica_herniation",
            "si_pregnancy",
        ]


class TestWhatThePersonReads:
    @pytest.mark.parametrize("path", JOURNEYS, ids=[p.stem for p in JOURNEYS])
    def test_no_rule_id_in_patient_facing_text(self, path):
        """Rule ids stay in the JSON: text, Markdown and the handout never show one."""
        result = painpath.triage(json.loads(path.read_text(encoding="utf-8")))
        assert any(RULE_ID.fullmatch(r.rule_id) for r in result.reasons)
        for text in (render_text(result), render_markdown(result), render_html(result)):
            assert not RULE_ID.search(text)

    def test_the_order_a_person_needs(self):
        """Level first, then why, the stop box, this week, the 21 days at a glance, advice."""
        text = render_text(painpath.triage(journey("sciatica_herniation")))
        marks = ["SELF-CARE", "WHY", "STOP IF", "THIS WEEK", "AT A GLANCE", "ADVICE"]
        places = [text.index(m) for m in marks]
        assert places == sorted(places)

    def test_unasked_red_flags_in_the_words_of_their_level(self):
        """Not asked: "If you have new bladder or bowel trouble, go to an emergency ... now"."""
        text = render_text(painpath.triage({"area": "back", "leg_pain": "none"}), width=200)
        assert "If you have new bladder or bowel trouble, go to an emergency department now." in (
            text
        )
        assert text.index("NOT ASKED") < text.index("THIS WEEK")

    def test_pregnancy_advice_comes_before_the_plan(self):
        """Check with the midwife or doctor: said before the exercises."""
        text = render_text(painpath.triage(journey("si_pregnancy")))
        assert text.index("midwife") < text.index("THIS WEEK")
        assert text.count("midwife") == 1

    def test_stage_labels_not_step_numbers(self):
        """Parts of one stage are "Stage 2a", "Stage 2b"; no "Step 2" repeated."""
        text = render_text(painpath.triage(journey("si_pregnancy")))
        assert "Stage 2a: SI joint self-adjustment" in text
        assert "Stage 2b: Reverse sciatica routine" in text
        assert "Step " not in text

    def test_locked_stage_says_when_it_starts(self):
        """Behind the press-ups, stage 2 is shown with when it starts."""
        text = render_text(painpath.triage(journey("sciatica_herniation")), width=200)
        assert "Starts: the day after your pain has centralized" in text

    def test_knee_only_gets_knee_warning_signs(self):
        """A knee-only person reads the knee's warning signs, not the spinal ones."""
        result = painpath.triage(journey("knee_inside_bmi29"))
        text = " ".join(result.advice)
        assert "hot, red and swollen" in text
        assert "bladder" not in text and "genitals" not in text

    def test_no_plan_promised_without_a_plan(self):
        """Under 18 there is no plan: the advice promises none, and nothing says "below"."""
        result = painpath.triage({"area": "back", "age": 16, "leg_pain": "none"})
        assert result.program == ()
        advice = " ".join(result.advice).lower()
        assert "gentle" not in advice and "program" not in advice and "below" not in advice

    def test_no_plank_mentioned_without_a_plank(self):
        """The advice names no plank: a plan without one must not promise one."""
        for path in JOURNEYS:
            result = painpath.triage(json.loads(path.read_text(encoding="utf-8")))
            assert "plank" not in " ".join(result.advice).lower()

    def test_twenty_one_day_line_only_with_the_twenty_one_day_routines(self):
        """ "Every day for 21 days" comes with the stretching and core routines only."""
        with_routines = painpath.triage({"area": "back", "leg_pain": "none"})
        knee = painpath.triage(journey("knee_inside_bmi29"))
        assert any("21 days" in line for line in with_routines.advice)
        assert not any("21 days" in line for line in knee.advice)

    def test_markdown_has_a_checklist_and_a_glance_table(self):
        """Markdown: "- [ ]" per exercise, and the week-by-week table."""
        md = render_markdown(painpath.triage(journey("back_and_knee")))
        assert "- [ ] **" in md
        assert "| Week | Sessions | Minutes a day | What changes |" in md
        assert md.index("> **Stop if**") < md.index("## This week")


class TestHandoutPage:
    def test_a_drawing_for_every_position(self):
        """Each position the catalog names has its own line drawing."""
        assert set(DRAWINGS) == set(POSITIONS)
        assert {e.position for e in EXERCISES.values()} <= set(DRAWINGS)

    @pytest.mark.parametrize("path", JOURNEYS, ids=[p.stem for p in JOURNEYS])
    def test_self_contained(self, path):
        """No script, stylesheet link, image file, font or address: it works offline."""
        page = render_html(painpath.triage(json.loads(path.read_text(encoding="utf-8"))))
        assert page.startswith("<!DOCTYPE html>")
        for forbidden in ("<script", "<link", "<img", "src=", "url(", "http:", "https:", "@import"):
            assert forbidden not in page.lower(), forbidden

    def test_a_calendar_box_per_day_and_session(self):
        """Each week's calendar has one box per session and day of that week."""
        result = painpath.triage(journey("back_and_knee"))
        page = render_html(result)
        for week in (1, 2, 3):
            section = page.split(f'id="week-{week}"')[1].split('class="week"')[0]
            calendar = section.split("</table>")[0]
            days = [d for d in result.program if d.week == week]
            expected = sum(len(d.sessions) for d in days)
            assert calendar.count('class="box"') == expected

    def test_the_command_writes_html(self, tmp_path):
        """``painpath --answers FILE --format html`` prints the handout page."""
        done = run_cli("--answers", str(JOURNEYS[0]), "--format", "html")
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("<!DOCTYPE html>")

    def test_no_handout_program_when_urgent(self):
        """Urgent: the page has the banner and the advice, and no calendar."""
        page = render_html(painpath.triage({"area": "back", "bladder_or_bowel_change": True}))
        assert 'class="banner emergency"' in page
        assert 'class="week"' not in page


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium(tmp_path: Path, page: Path, *action: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("headless Chromium is needed (Debian: apt-get install chromium)")
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    profile.mkdir()
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *action, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object, list[str], Path]:
    """The back-and-knee handout printed to PDF and photographed by headless Chromium."""
    import pypdfium2 as pdfium

    tmp = tmp_path_factory.mktemp("handout")
    page = tmp / "handout.html"
    result = painpath.triage(journey("back_and_knee"))
    page.write_text(render_html(result), encoding="utf-8")
    pdf, png = tmp / "handout.pdf", tmp / "handout.png"
    chromium(tmp, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    chromium(tmp, page, f"--screenshot={png}", "--window-size=900,1300")
    document = pdfium.PdfDocument(str(pdf))
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    return result, document, texts, png


@pytest.mark.slow
class TestInABrowser:
    """The handout as a person sees it: Chromium prints it and takes its picture."""

    def test_at_least_a_page_per_week(self, rendered):
        """Each week starts on its own page: the front page and at least one per week."""
        _, document, texts, _ = rendered
        assert len(document) >= 4
        starts = [
            next(i for i, t in enumerate(texts) if f"Week {w} (days" in t and "Session" in t)
            for w in (1, 2, 3)
        ]
        assert starts == sorted(starts) and len(set(starts)) == 3
        assert starts[0] >= 1, "week 1 starts after the front page"
        for i in starts:
            assert texts[i].lstrip().startswith(f"Week {texts[i].split('Week ')[1][0]}")

    def test_banner_stop_box_and_calendar_are_in_the_printed_text(self, rendered):
        """The printed pages carry the banner, the stop rules and every calendar day."""
        _, _, texts, _ = rendered
        whole = "\n".join(texts)
        assert texts[0].lstrip().startswith("SELF-CARE")
        stop = next(i for i, t in enumerate(texts) if "Stop if" in t)
        week1 = next(i for i, t in enumerate(texts) if "Week 1 (days" in t and "Session" in t)
        assert stop < week1, "the stop rules come before the exercises"
        for day in range(1, 22):
            assert re.search(rf"Day\s+{day}\b", whole), f"day {day} is not in the calendar"

    def test_pages_are_not_blank(self, rendered):
        """Every printed page has ink on it, and the first one the green banner."""
        from PIL import Image as image_module

        _, document, _, _ = rendered
        for i in range(len(document)):
            grey = document[i].render(scale=0.5).to_pil().convert("L")
            ink = sum(grey.histogram()[:200])
            assert ink > 1000, f"page {i + 1} looks blank"
        first = document[0].render(scale=0.5).to_pil().convert("RGB")
        assert isinstance(first, image_module.Image)
        assert _has_colour(first, (29, 107, 53)), "the self-care banner is not visible"

    def test_the_screenshot_shows_the_banner(self, rendered):
        """The screen picture is not blank and shows the level banner at the top."""
        from PIL import Image

        _, _, _, png = rendered
        with Image.open(png) as picture:
            rgb = picture.convert("RGB")
            colours = rgb.getcolors(maxcolors=1 << 20) or []
            assert len(colours) > 50, "the screenshot has almost no variety: blank?"
            top = rgb.crop((0, 0, rgb.width, 200))
            assert _has_colour(top, (29, 107, 53))


def _has_colour(picture: object, colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    from PIL import Image

    assert isinstance(picture, Image.Image)
    for _, value in picture.getcolors(maxcolors=1 << 22) or []:
        if all(abs(a - b) <= tolerance for a, b in zip(value, colour, strict=True)):
            return True
    return False


class TestLockedStagesOnPaper:
    def test_stage_two_behind_the_press_ups_is_on_the_sheet(self):
        """Locked on every day, stage 2 still gets its exercises at the end, for its day."""
        result = painpath.triage(journey("sciatica_herniation"))
        assert all(d.locked for d in result.program)
        page = render_html(result)
        later = page.split('id="later"')[1]
        for phase in (p for p in result.plan if p.stage.startswith("2")):
            for entry in phase.exercises:
                assert f'id="ex-{entry.exercise_id}"' in later

    def test_no_later_section_when_nothing_waits(self):
        """Nothing locked: no "Later" page."""
        assert 'id="later"' not in render_html(painpath.triage(journey("back_and_knee")))
