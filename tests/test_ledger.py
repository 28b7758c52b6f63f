"""The rules ledger: no silent clinical change, no reused id, no bump without its CHANGELOG line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import painpath
from painpath import _ledger
from painpath._rules import default_rules_path

ROOT = Path(__file__).resolve().parents[1]


def shipped_rules() -> list[painpath._rules.Rule]:
    return list(painpath.load_rules(default_rules_path()).rules)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of the shipped rules directory, ledger included, with a copy of the CHANGELOG.

    The shipped rules already have versions above 1, so their CHANGELOG lines come along.
    """
    target = tmp_path / "rules"
    shutil.copytree(default_rules_path(), target)
    shutil.copyfile(ROOT / "CHANGELOG.md", tmp_path / "CHANGELOG.md")
    return target


def edit(directory: Path, file: str, old: str, new: str) -> None:
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def offences(directory: Path) -> list[str]:
    rules = list(painpath.load_rules(directory).rules)
    ledger = _ledger.read_ledger(directory / _ledger.LEDGER_NAME)
    changelog = (directory.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    return _ledger.check(rules, ledger, changelog)


class TestShippedLedger:
    def test_the_shipped_ledger_is_current(self):
        """Every shipped rule is in rules/LEDGER.toml with the hash of its logic.

        When this fails: bump each changed rule's version, add its CHANGELOG line, and
        run `python -m painpath._ledger --update`.
        """
        rules = shipped_rules()
        ledger = _ledger.read_ledger(default_rules_path() / _ledger.LEDGER_NAME)
        changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        problems = _ledger.check(rules, ledger, changelog)
        assert not problems, "\n".join(problems)

    def test_the_ledger_is_not_read_as_a_rule_file(self):
        """The shipped directory holds the ledger and still loads; the ledger alone is refused."""
        assert (default_rules_path() / _ledger.LEDGER_NAME).is_file()
        assert painpath.load_rules(default_rules_path()).rules
        with pytest.raises(painpath.RulesError, match="ledger, not a rule file"):
            painpath.load_rules(default_rules_path() / _ledger.LEDGER_NAME)

    def test_check_command_passes_on_the_shipped_rules(self, capsys):
        """`python -m painpath._ledger` exits 0 on the checkout."""
        assert _ledger.main(["--changelog", str(ROOT / "CHANGELOG.md")]) == 0
        assert "ledger current" in capsys.readouterr().out


class TestOffences:
    def test_every_offence_is_reported_at_once(self, rules_copy):
        """A silent logic change, a reused retired id, a bump without CHANGELOG line: all three."""
        # 1. logic changed, version not bumped
        edit(rules_copy, "10_red_flags.toml", "when = { fever = true }", "when = { fever = false }")
        # 2. a retired id used again: retire KN-001 in the ledger, keep the rule active
        ledger = rules_copy / _ledger.LEDGER_NAME
        text = ledger.read_text(encoding="utf-8")
        text = re.sub(r'(\[rules\."KN-001"\]\nstatus = )"active"', r'\1"retired"', text)
        ledger.write_text(text, encoding="utf-8")
        # 3. a bump with its logic recorded, but no CHANGELOG line
        edit(rules_copy, "70_advice.toml", 'id = "AD-006"', 'id = "AD-006"\nversion = 2')
        problems = offences(rules_copy)
        joined = "\n".join(problems)
        assert "its logic changed but its version is still 1" in joined, joined
        assert "KN-001" in joined and "retired and is used again" in joined, joined
        assert "AD-006" in joined and "no CHANGELOG line" in joined, joined
        assert {p.split()[0] for p in problems} == {"RF-005", "KN-001", "AD-006"}, joined

    def test_a_bump_with_its_changelog_line_and_update_is_clean(self, rules_copy, capsys):
        """Change logic, bump the version, write the CHANGELOG line, update: no offence left."""
        edit(rules_copy, "70_advice.toml", 'id = "AD-006"', 'id = "AD-006"\nversion = 2')
        rule = next(r for r in painpath.load_rules(rules_copy).rules if r.id == "AD-006")
        edit(rules_copy, rule.file, '    "Keep moving:', '    "One more line.",\n    "Keep moving:')
        with (rules_copy.parent / "CHANGELOG.md").open("a", encoding="utf-8") as changelog:
            changelog.write("\n- AD-006 v2: one more line of advice.\n")
        argv = ["--rules", str(rules_copy), "--changelog", str(rules_copy.parent / "CHANGELOG.md")]
        assert _ledger.main([*argv, "--update"]) == 0
        assert offences(rules_copy) == []
        entry = _ledger.read_ledger(rules_copy / _ledger.LEDGER_NAME)["AD-006"]
        assert entry.version == 2 and set(entry.logic) == {1, 2}
        assert entry.logic[1] != entry.logic[2]

    def test_update_refuses_a_silent_logic_change(self, rules_copy, capsys):
        """The update writes nothing while a logic change lacks its version bump."""
        ledger = rules_copy / _ledger.LEDGER_NAME
        before = ledger.read_bytes()
        edit(rules_copy, "10_red_flags.toml", "when = { fever = true }", "when = { fever = false }")
        assert _ledger.main(["--rules", str(rules_copy), "--update"]) == 1
        assert "logic changed" in capsys.readouterr().err
        assert ledger.read_bytes() == before

    def test_a_deleted_rule_must_be_retired_instead(self, rules_copy):
        """Removing a rule from its file is refused: it is retired, and its id kept."""
        path = rules_copy / "70_advice.toml"
        text = path.read_text(encoding="utf-8")
        blocks = re.split(r"(?m)^(?=\[\[rule\]\])", text)
        kept = [b for b in blocks if 'id = "AD-006"' not in b]
        assert len(kept) == len(blocks) - 1
        path.write_text("".join(kept), encoding="utf-8")
        assert any("AD-006" in p and "never deleted" in p for p in offences(rules_copy))

    def test_a_new_rule_must_be_ledgered(self, rules_copy):
        """A rule the ledger does not know yet is reported until the update runs."""
        (rules_copy / "90_new.toml").write_text(
            '[[rule]]\nid = "NEW-001"\ntitle = "t"\nrationale = "r"\nsource = "s"\n'
            'advice = ["a"]\nwhen = { fever = true }\n',
            encoding="utf-8",
        )
        assert any("NEW-001" in p and "not in the ledger" in p for p in offences(rules_copy))
        assert _ledger.main(["--rules", str(rules_copy), "--update"]) == 0
        assert offences(rules_copy) == []


class TestHash:
    def test_layout_and_wording_are_not_logic(self, rules_copy):
        """Reformatting a condition or rewording a rationale moves no hash; a new value does."""
        before = {r.id: _ledger.logic_hash(r) for r in painpath.load_rules(rules_copy).rules}
        edit(rules_copy, "10_red_flags.toml", "when = { fever = true }", "when.fever = true")
        edit(rules_copy, "10_red_flags.toml", 'rationale = """', 'rationale = """Reworded. ')
        after = {r.id: _ledger.logic_hash(r) for r in painpath.load_rules(rules_copy).rules}
        assert after == before
