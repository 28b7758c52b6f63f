"""The generated reference pages in docs/ match the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from painpath import _docgen
from painpath._docgen import DOCS, render_catalog
from painpath.catalog import EXERCISES, ROUTINES

DOCS_DIR = Path(__file__).parents[1] / "docs"


class TestGeneratedDocs:
    def test_catalog_page_is_current(self):
        """docs/catalog.md is exactly what render_catalog() produces."""
        assert (DOCS_DIR / "catalog.md").read_text(encoding="utf-8") == render_catalog()

    @pytest.mark.parametrize("name", sorted(DOCS))
    def test_registered_page_is_current(self, name):
        """Every registered page in docs/ matches its renderer (regenerate with _docgen)."""
        assert (DOCS_DIR / name).read_text(encoding="utf-8") == DOCS[name]()


class TestRenderCatalog:
    def test_every_routine_and_exercise_has_a_section(self):
        """The catalog page has a section per routine and per exercise, named by id."""
        text = render_catalog()
        for routine in ROUTINES.values():
            assert f"### {routine.title} (`{routine.id}`)" in text
        for exercise in EXERCISES.values():
            assert f"### {exercise.name} (`{exercise.id}`)" in text

    def test_exercise_section_shows_dose_alternative_and_source(self):
        """An exercise entry shows its dose, its alternative and the document section."""
        text = render_catalog()
        section = text.split('<a id="exercise-hamstring_strap_stretch"></a>')[1].split("<a id=")[0]
        assert "- **Dose:** hold 20 to 30 seconds, each side" in section
        assert "without it: [Lying hamstring stretch]" in section
        assert '- **Source:** "The Stretching Routine"' in section
        assert "1. " in section

    def test_ends_with_one_newline(self):
        """The page ends with exactly one newline and has no trailing spaces."""
        text = render_catalog()
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert all(line == line.rstrip() for line in text.splitlines())


class TestMain:
    def test_check_reports_stale_and_write_fixes_it(self, tmp_path, capsys):
        """--check exits 1 naming stale pages; a plain run writes them; then --check is 0."""
        assert _docgen.main(["--check", "--docs-dir", str(tmp_path)]) == 1
        assert "catalog.md" in capsys.readouterr().err
        assert _docgen.main(["--docs-dir", str(tmp_path)]) == 0
        assert (tmp_path / "catalog.md").read_text(encoding="utf-8") == render_catalog()
        assert _docgen.main(["--check", "--docs-dir", str(tmp_path)]) == 0
