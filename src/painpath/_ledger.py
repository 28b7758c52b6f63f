"""The rules ledger: every rule id, the hash of its logic per version, and its status.

``rules/LEDGER.toml`` is committed beside the rule files (the loader never reads it
as a rule file). For each rule id it records ``status`` (``active`` or ``retired``),
the current ``version``, and ``logic``: the hash of the rule's logic at each version
it has had. The logic is everything that decides an outcome: the condition (as
parsed, so layout and spelling of the TOML do not count) and every outcome field
(finding, level, advice, routines, exclusions, notes, keep, stop rules, flags). The
title, rationale and source are not logic.

:func:`check` reports every offender at once:

- a rule whose logic changed while its ``version`` stayed the same (or went down);
- a retired id used again by an active rule, or a ledgered id that vanished from the
  rules (a rule is retired with ``status = "retired"``, never deleted);
- a rule at version 2 or more with no CHANGELOG line naming it and its version
  (``RF-005 v2`` or ``RF-005 version 2`` on one line);
- a rule missing from the ledger, or a ledger out of date with the rules.

After changing rules, bump the ``version`` of each rule whose logic moved, add the
CHANGELOG line, then rewrite the ledger::

    python -m painpath._ledger --update     # rewrite rules/LEDGER.toml
    python -m painpath._ledger              # check only; exit 1 listing every offender

``--update`` refuses (and writes nothing) while a logic change lacks its version bump
or a retired id is reused: the ledger never launders a silent clinical change.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from ._conditions import All, AnswerTest, Any_, AtLeast, FindingTest, LevelTest, Not
from ._rules import LEDGER_NAME, Rule, default_rules_path, load_rules

__all__ = [
    "LEDGER_NAME",
    "Entry",
    "check",
    "logic_hash",
    "main",
    "read_ledger",
    "render_ledger",
]

#: Rule fields that are not logic: what a rule is called and why, not what it does.
_NOT_LOGIC = frozenset({"id", "title", "rationale", "source", "file", "version", "status"})


@dataclass(frozen=True)
class Entry:
    """One rule id in the ledger."""

    id: str
    status: str
    version: int
    logic: Mapping[int, str]


def _plain(value: Any) -> Any:
    """Turn a rule's parts into canonical JSON-ready data that names no Python class.

    Fields left at their default are omitted, so adding a new optional field to rules
    moves no hash.
    """
    condition = _condition(value)
    if condition is not None:
        return condition
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in fields(value)
            if f.compare and getattr(value, f.name) != f.default
        }
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted((_plain(v) for v in value), key=repr)
    return value


def _condition(value: Any) -> Any:
    """Return the canonical form of a parsed condition, or ``None`` for anything else."""
    if isinstance(value, AnswerTest):
        return {"answer": [value.key, value.op, _plain(value.value)]}
    if isinstance(value, FindingTest):
        return {"finding": value.finding}
    if isinstance(value, LevelTest):
        return {"level": [value.level, value.at_least]}
    if isinstance(value, All | Any_):
        return {"all" if isinstance(value, All) else "any": [_plain(p) for p in value.parts]}
    if isinstance(value, Not):
        return {"not": _plain(value.part)}
    if isinstance(value, AtLeast):
        return {"at_least": [value.count, [_plain(p) for p in value.parts]]}
    return None


def logic_hash(rule: Rule) -> str:
    """Return the hash of what the rule does (its parsed condition and its outcomes)."""
    logic = {
        f.name: _plain(getattr(rule, f.name))
        for f in fields(rule)
        if f.compare and f.name not in _NOT_LOGIC and getattr(rule, f.name) != f.default
    }
    text = json.dumps(logic, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(text.encode("ascii")).hexdigest()[:24]


def read_ledger(path: Path) -> dict[str, Entry]:
    """Read a ledger file; a missing file is an empty ledger."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    entries: dict[str, Entry] = {}
    for rid, item in data.get("rules", {}).items():
        logic = {int(version): str(digest) for version, digest in item.get("logic", {}).items()}
        entries[rid] = Entry(rid, str(item["status"]), int(item["version"]), logic)
    return entries


def check(rules: Sequence[Rule], ledger: Mapping[str, Entry], changelog: str | None) -> list[str]:
    """Return every offence of the rules against the ledger and the CHANGELOG, all at once.

    ``changelog`` is the CHANGELOG text, or ``None`` to skip that check (an installed
    package has no CHANGELOG).
    """
    blocking, stale = _offences(rules, ledger)
    problems = blocking + stale
    if changelog is not None:
        problems.extend(_changelog_offences(rules, changelog))
    return problems


def _offences(rules: Sequence[Rule], ledger: Mapping[str, Entry]) -> tuple[list[str], list[str]]:
    """Return (offences an update must refuse, differences an update fixes)."""
    blocking: list[str] = []
    stale: list[str] = []
    present = {rule.id for rule in rules}
    for rule in rules:
        entry = ledger.get(rule.id)
        digest = logic_hash(rule)
        if entry is None:
            stale.append(f"{rule.id} ({rule.file}): not in the ledger yet; run the update")
            continue
        if entry.status == "retired" and rule.status == "active":
            blocking.append(
                f"{rule.id} ({rule.file}): the id was retired and is used again; "
                "retired ids are never reused: give the rule a new id"
            )
            continue
        if rule.version < entry.version:
            blocking.append(
                f"{rule.id} ({rule.file}): version went down from {entry.version} to {rule.version}"
            )
            continue
        recorded = entry.logic.get(rule.version)
        if recorded is not None and recorded != digest:
            blocking.append(
                f"{rule.id} ({rule.file}): its logic changed but its version is still "
                f"{rule.version}; bump 'version' and say in the CHANGELOG which outcomes moved"
            )
        elif recorded is None or entry.status != rule.status or entry.version != rule.version:
            stale.append(
                f"{rule.id} ({rule.file}): the ledger has version {entry.version} "
                f"({entry.status}), the rule version {rule.version} ({rule.status}); "
                "run the update"
            )
    for rid, entry in sorted(ledger.items()):
        if rid not in present and entry.status == "active":
            blocking.append(
                f"{rid}: in the ledger but gone from the rules; a rule is retired with "
                'status = "retired" in its file, never deleted'
            )
    return blocking, stale


def _changelog_offences(rules: Sequence[Rule], changelog: str) -> list[str]:
    lines = changelog.splitlines()
    out = []
    for rule in rules:
        if rule.version < 2:
            continue
        pattern = re.compile(
            rf"(?<![\w-]){re.escape(rule.id)}(?![\w-]).*\b(?:v|version ){rule.version}\b"
        )
        if not any(pattern.search(line) for line in lines):
            out.append(
                f"{rule.id} ({rule.file}): version {rule.version} has no CHANGELOG line "
                f"(write '{rule.id} v{rule.version}: which outcomes moved')"
            )
    return out


_HEADER = """\
# The rules ledger: each rule id, the hash of its logic at each version, its status.
# Written by `python -m painpath._ledger --update`; checked by tests/test_ledger.py.
#
# After changing a rule's condition or outcomes: bump its `version`, add a CHANGELOG
# line naming it and its version ("RF-005 v2: ..."), then run the update. A rule is
# retired with status = "retired" in its file, never deleted, and its id is never
# reused. The rule loader does not read this file as rules.
"""


def render_ledger(rules: Sequence[Rule], ledger: Mapping[str, Entry]) -> str:
    """Return the ledger text for ``rules``, keeping the history of ``ledger``."""
    entries: dict[str, Entry] = dict(ledger)
    for rule in rules:
        old = ledger.get(rule.id)
        logic = dict(old.logic) if old else {}
        logic[rule.version] = logic_hash(rule)
        entries[rule.id] = Entry(rule.id, rule.status, rule.version, logic)
    chunks = [_HEADER]
    for rid in sorted(entries):
        entry = entries[rid]
        hashes = ", ".join(f'"{v}" = "{d}"' for v, d in sorted(entry.logic.items()))
        chunks.append(
            f'\n[rules."{rid}"]\nstatus = "{entry.status}"\nversion = {entry.version}\n'
            f"logic = {{ {hashes} }}\n"
        )
    return "".join(chunks)


def _write(path: Path, text: str) -> None:
    """Write atomically: a temporary file in the same directory, then rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".ledger-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _all_rules(directory: Path) -> list[Rule]:
    if directory.name == "checkin":  # the journal's check-in rules: own loader, own ledger
        from ._checkin import load_checkin_rules

        return list(load_checkin_rules(directory).rules)
    return list(load_rules(directory).rules)


def main(argv: Iterable[str] | None = None) -> int:
    """Check the ledger (exit 1 listing every offence), or rewrite it with ``--update``."""
    parser = argparse.ArgumentParser(
        prog="python -m painpath._ledger", description="Check or update the rules ledger."
    )
    parser.add_argument("--update", action="store_true", help="rewrite the ledger file")
    parser.add_argument("--rules", type=Path, default=None, help="rules directory")
    parser.add_argument("--changelog", type=Path, default=None, help="CHANGELOG.md to check")
    args = parser.parse_args(None if argv is None else list(argv))
    directory: Path = args.rules or default_rules_path()
    ledger_path = directory / LEDGER_NAME
    changelog_path: Path = args.changelog or directory.parent / "CHANGELOG.md"
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else None
    rules = _all_rules(directory)
    ledger = read_ledger(ledger_path)
    if args.update:
        blocking, _ = _offences(rules, ledger)
        if blocking:
            print("not updated; fix these first:", *blocking, sep="\n  - ", file=sys.stderr)
            return 1
        _write(ledger_path, render_ledger(rules, ledger))
        print(f"wrote {ledger_path} ({len(rules)} rules)")
        reminders = _changelog_offences(rules, changelog) if changelog is not None else []
        if reminders:
            print("still to do:", *reminders, sep="\n  - ", file=sys.stderr)
            return 1
        return 0
    problems = check(rules, ledger, changelog)
    if problems:
        print(f"{len(problems)} ledger problem(s):", *problems, sep="\n  - ", file=sys.stderr)
        return 1
    print(f"ledger current: {len(rules)} rules")
    return 0


if __name__ == "__main__":  # pragma: no cover - the command line
    raise SystemExit(main())
