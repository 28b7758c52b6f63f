"""Rule files: loading, validation, and the compiled :class:`RuleSet`.

A rules directory holds TOML files. Each file may declare:

- ``[[finding]]``: the finding vocabulary (``id``, ``meaning``);
- ``[[stop]]``: stop rules a plan may carry (``id``, ``when``, ``then``, ``exercises``, ``source``);
- ``[[rule]]``: the clinical rules. Every rule has an ``id`` that is never reused, a
  ``title``, a ``rationale``, a ``source`` and a condition ``when``; and an outcome:
  any of ``finding``, ``level``, ``advice``, and plan outcomes (``routines``,
  ``exclude``, ``withhold_plan``, ``gentle``, ``notes``, ``keep``, ``stop_if``), and
  ``program`` (how the 21-day program builds up: :mod:`painpath._progression`).

Loading checks everything and reports all problems of all files together, each
naming the file and the rule id.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
import sys
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from . import _forksafe
from ._catalog_types import CAUTIONS
from ._conditions import (
    LEVELS,
    MAX_DEPTH,
    Condition,
    ConditionError,
    findings_used,
    level_use,
    parse_condition,
)
from ._engines import DEFAULT_ENGINE, ENGINES, compile_rules
from ._exceptions import RuleProblem, RulesError
from ._forksafe import new_lock
from ._model import Exclusion, ExerciseNote, FindingDef, RoutineRef, Rule, StopDef
from ._progression import parse_program

__all__ = [
    "Exclusion",
    "ExerciseNote",
    "FindingDef",
    "RoutineRef",
    "Rule",
    "RuleSet",
    "StopDef",
    "default_rules",
    "load_rules",
]

#: The rules ledger's file name (see ``_ledger.py``): never read as a rule file.
LEDGER_NAME = "LEDGER.toml"

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_FINDING = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")


_RULE_KEYS = {
    "id",
    "title",
    "rationale",
    "source",
    "when",
    "version",
    "status",
    "finding",
    "level",
    "advice",
    "routines",
    "exclude",
    "withhold_plan",
    "gentle",
    "notes",
    "keep",
    "stop_if",
    "program",
    "before_plan",
}
_FILE_KEYS = {"rule", "stop", "finding", "title", "description"}


class RuleSet:
    """A loaded, validated and compiled set of rules, ready to evaluate answers.

    A rule set owns its engine (``engine_name``: ``"durable"``, the default, or
    ``"python"``) and its caches; nothing else holds it, so it is freed, engine side
    included, once no longer referenced. Rule sets never interfere with each other or
    with other users of durable-rules in the process.
    """

    def __init__(
        self,
        rules: Iterable[Rule],
        stops: Iterable[StopDef],
        findings: Iterable[FindingDef],
        origin: str,
        digest: str = "",
        engine: str = DEFAULT_ENGINE,
    ) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        #: SHA-256 of the rule files (names and bytes) this set was loaded from.
        self.digest = digest
        self.stops: Mapping[str, StopDef] = {s.id: s for s in stops}
        self.findings: Mapping[str, FindingDef] = {f.id: f for f in findings}
        self.origin = origin
        self.by_id: Mapping[str, Rule] = {r.id: r for r in self.rules}
        active = tuple(r for r in self.rules if r.status == "active")
        strata = _strata(list(active), origin)
        #: The stratum of each active rule, by id: negation only looks at lower strata.
        self.strata: Mapping[str, int] = {r.id: s for r, s in zip(active, strata, strict=True)}
        #: The engine's name, as given to :func:`load_rules`.
        self.engine_name = engine
        self._active = active
        self._engine = compile_rules(engine, active, strata, origin)
        # The caches of painpath._triage, owned here so that they go with the rule set.
        self._cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<RuleSet {self.origin!r}: {len(self.rules)} rules, engine {self.engine_name!r}>"

    def fired(self, fact: Mapping[str, Any]) -> tuple[Rule, ...]:
        """Run the rules on an answers fact; return the rules that fired, in rule order."""
        active = self._active
        return tuple(active[i] for i in self._engine.evaluate(fact))

    def fired_ids(self, fact: Mapping[str, Any]) -> tuple[str, ...]:
        """Run the rules on an answers fact; return the ids of the rules that fired."""
        active = self._active
        return tuple(active[i].id for i in self._engine.evaluate(fact))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as where the rules came from and a hash of their files, not the engine.

        The receiving process loads the same files again (the shipped rules: its own
        copy) and refuses them with a :class:`RulesError` if their hash differs.
        """
        shipped = self is _DEFAULTS.get(self.engine_name) or self.origin == str(
            default_rules_path()
        )
        return (_unpickle, (self.origin, self.engine_name, self.digest, shipped))


_RECEIVED: dict[tuple[str, str, str, bool], RuleSet] = {}
_RECEIVED_LOCK = new_lock(sys.modules[__name__], "_RECEIVED_LOCK")


def _unpickle(origin: str, engine: str, digest: str, shipped: bool) -> RuleSet:
    """Rebuild a pickled :class:`RuleSet` (once per process), refusing changed rule files."""
    key = (origin, engine, digest, shipped)
    with _RECEIVED_LOCK:
        found = _RECEIVED.get(key)
        if found is None:
            found = default_rules(engine) if shipped else load_rules(origin, engine=engine)
            if found.digest != digest:
                where = "the rules shipped with painpath" if shipped else origin
                raise RulesError(
                    [
                        RuleProblem(
                            where,
                            None,
                            "the rule files differ from those of the pickled rule set "
                            f"(sha256 {digest[:12]}, here {found.digest[:12]}); "
                            "send the same rules to every process",
                        )
                    ]
                )
            _RECEIVED[key] = found
    return found


def _strata(rules: list[Rule], origin: str) -> list[int]:
    """Order rules so that negation only looks at findings and levels already complete."""
    producers: dict[str, list[int]] = {}
    level_producers = [i for i, r in enumerate(rules) if r.level is not None]
    for i, rule in enumerate(rules):
        if rule.finding:
            producers.setdefault(rule.finding, []).append(i)
    deps: list[list[tuple[int, int]]] = []
    for rule in rules:
        edges: list[tuple[int, int]] = []
        for finding, negated in findings_used(rule.when):
            edges.extend((p, 1 if negated else 0) for p in producers.get(finding, ()))
        used, nonmono = level_use(rule.when)
        if used:
            # Monotone level tests may fire early; any level test waits for the finding rules.
            edges.extend((p, 1 if nonmono else 0) for p in level_producers)
        deps.append(edges)
    strata = [0] * len(rules)
    for _ in range(len(rules) + 1):
        changed = False
        for i, edges in enumerate(deps):
            need = max((strata[p] + bump for p, bump in edges), default=0)
            if need > strata[i]:
                strata[i] = need
                changed = True
        if not changed:
            return strata
    cyclic = sorted(rules[i].id for i, s in enumerate(strata) if s >= len(rules))
    raise RulesError(
        [
            RuleProblem(origin, rid, "depends on its own absence (a cycle through 'not')")
            for rid in cyclic
        ]
    )


# ---------------------------------------------------------------------------------------
# Loading


def load_rules(path: str | Path, *, engine: str = DEFAULT_ENGINE) -> RuleSet:
    """Load, check and compile the rules of a directory (every ``*.toml``) or of one file.

    ``engine`` is ``"durable"`` (durable-rules, the default) or ``"python"`` (the same
    rules as one generated Python function); both fire exactly the same rules. Raises
    :class:`painpath.RulesError` listing every problem found, each naming the file and
    the rule id.
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"load_rules() takes a directory or file path (got {type(path).__name__})")
    if engine not in ENGINES:
        raise ValueError(
            f"engine must be one of {', '.join(map(repr, ENGINES))} (got {_short(engine)})"
        )
    root = Path(path)
    if root.is_dir():
        # The ledger (rules/LEDGER.toml, see _ledger.py) lives beside the rules: not a rule file.
        files = sorted(f for f in root.glob("*.toml") if f.name != LEDGER_NAME)
        if not files:
            raise RulesError(
                [RuleProblem(str(root), None, "no *.toml rule files in this directory")]
            )
    elif root.exists():
        if root.name == LEDGER_NAME:
            raise RulesError(
                [RuleProblem(str(root), None, "this is the rules ledger, not a rule file")]
            )
        files = [root]
    else:
        raise RulesError([RuleProblem(str(root), None, "no such file or directory")])
    digest = hashlib.sha256()
    read = [(f.name, _read(f, digest)) for f in files]
    # Under the loading lock: building imports the catalog and the engine on first use,
    # and a fork must not copy a half-done import (see _forksafe).
    with _forksafe.LOADING:
        return _build(read, str(root), digest.hexdigest(), engine)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_DEFAULTS: dict[str, RuleSet] = {}
_DEFAULT_LOCK = new_lock(sys.modules[__name__], "_DEFAULT_LOCK")


def default_rules(engine: str = DEFAULT_ENGINE) -> RuleSet:
    """Return the rule set that ships with painpath (loaded once per engine, then shared)."""
    found = _DEFAULTS.get(engine)
    if found is None:
        with _DEFAULT_LOCK:
            found = _DEFAULTS.get(engine)
            if found is None:
                with _forksafe.LOADING:
                    found = load_rules(default_rules_path(), engine=engine)
                _DEFAULTS[engine] = found
    return found


def default_rules_path() -> Path:
    """Return the shipped rules directory: inside the wheel, else the checkout's ``rules/``."""
    packaged = Path(str(resources.files("painpath"))) / "rules"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "rules"
    if checkout.is_dir():
        return checkout
    raise RulesError([RuleProblem(str(packaged), None, "the default rules are not installed")])


#: The largest rule file read (the shipped ones are about 10 KB each).
MAX_FILE_BYTES = 1_000_000


def _read(file: Path, digest: Any) -> dict[str, Any] | RuleProblem:
    """Parse one rule file, adding its name and bytes to ``digest``.

    Only a regular file of at most :data:`MAX_FILE_BYTES` in UTF-8 is read: a FIFO or
    device (a symlink to ``/dev/zero``) is refused without blocking, and every failure
    is a :class:`RuleProblem` naming the file, never a raw exception.
    """
    name = file.name
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return RuleProblem(
                    name,
                    None,
                    "not a regular file (a FIFO, device or socket); rules are text files",
                )
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return RuleProblem(name, None, f"cannot be read: {error.strerror or error}")
    if len(raw) > MAX_FILE_BYTES:
        return RuleProblem(
            name, None, f"larger than {MAX_FILE_BYTES:,} bytes; split it into several files"
        )
    digest.update(b"%d:%s%d:" % (len(name), name.encode(), len(raw)) + raw)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return RuleProblem(name, None, "UTF-16 text; save the file as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return RuleProblem(
            name,
            None,
            f"not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "save the file as UTF-8",
        )
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as error:
        return RuleProblem(name, None, f"not valid TOML: {error}")
    except (RecursionError, MemoryError):
        return RuleProblem(
            name, None, f"nested too deeply to read; conditions nest at most {MAX_DEPTH} deep"
        )


def _build(
    files: list[tuple[str, dict[str, Any] | RuleProblem]],
    origin: str,
    digest: str = "",
    engine: str = DEFAULT_ENGINE,
) -> RuleSet:
    from .catalog import EXERCISES, ROUTINES

    problems: list[RuleProblem] = []
    findings: dict[str, FindingDef] = {}
    stops: dict[str, StopDef] = {}
    raw_rules: list[tuple[str, dict[str, Any]]] = []
    for name, data in files:
        if isinstance(data, RuleProblem):
            problems.append(data)
            continue
        for key in sorted(set(data) - _FILE_KEYS):
            problems.append(
                RuleProblem(name, None, f"unknown top-level key {key!r}{_hint(key, _FILE_KEYS)}")
            )
        for item in _tables(data, "finding", name, problems):
            fid, meaning = item.get("id"), item.get("meaning")
            if not isinstance(fid, str) or not _FINDING.match(fid):
                problems.append(RuleProblem(name, str(fid), "a finding id looks like 'group.name'"))
                continue
            if not isinstance(meaning, str) or not meaning.strip():
                problems.append(RuleProblem(name, fid, "a finding needs a 'meaning'"))
            if fid in findings:
                problems.append(
                    RuleProblem(name, fid, f"finding declared twice (also in {findings[fid].file})")
                )
            findings[fid] = FindingDef(fid, str(meaning), name)
        for item in _tables(data, "stop", name, problems):
            stop = _stop(item, name, problems, EXERCISES)
            if stop is None:
                continue
            if stop.id in stops:
                problems.append(
                    RuleProblem(name, stop.id, f"duplicate stop id (also in {stops[stop.id].file})")
                )
            stops[stop.id] = stop
        raw_rules.extend((name, item) for item in _tables(data, "rule", name, problems))

    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for name, item in raw_rules:
        rule = _rule(item, name, problems, findings, stops, EXERCISES, ROUTINES)
        if rule is None:
            continue
        if rule.id in seen:
            problems.append(
                RuleProblem(name, rule.id, f"duplicate rule id (also in {seen[rule.id]})")
            )
            continue
        seen[rule.id] = name
        rules.append(rule)
    if not rules and not problems:
        problems.append(RuleProblem(origin, None, "no rules"))
    if problems:
        raise RulesError(problems)
    return RuleSet(rules, stops.values(), findings.values(), origin, digest, engine)


def _tables(
    data: dict[str, Any], key: str, file: str, problems: list[RuleProblem]
) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(RuleProblem(file, None, f"'{key}' must be an array of tables ([[{key}]])"))
        return []
    return value


def _hint(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _text(
    item: Mapping[str, Any], key: str, file: str, rid: str, problems: list[RuleProblem]
) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(RuleProblem(file, rid, f"'{key}' must be a non-empty string"))
        return ""
    return " ".join(value.split())


def _ids(
    value: object,
    known: Mapping[str, Any] | Iterable[str],
    what: str,
    file: str,
    rid: str,
    problems: list[RuleProblem],
) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(RuleProblem(file, rid, f"{what} must be a list of ids (got {value!r})"))
        return ()
    known_ids = set(known)
    for v in value:
        if v not in known_ids:
            problems.append(RuleProblem(file, rid, f"unknown {what} {v!r}{_hint(v, known_ids)}"))
    return tuple(value)


def _stop(
    item: dict[str, Any], file: str, problems: list[RuleProblem], exercises: Mapping[str, Any]
) -> StopDef | None:
    sid = item.get("id")
    if not isinstance(sid, str) or not _ID.match(sid):
        problems.append(RuleProblem(file, None, f"a stop needs a valid 'id' (got {sid!r})"))
        return None
    for key in sorted(set(item) - {"id", "when", "then", "exercises", "source"}):
        problems.append(RuleProblem(file, sid, f"unknown key {key!r} in a stop"))
    return StopDef(
        sid,
        _text(item, "when", file, sid, problems),
        _text(item, "then", file, sid, problems),
        _ids(item.get("exercises", []), exercises, "exercise", file, sid, problems),
        _text(item, "source", file, sid, problems),
        file,
    )


def _rule(
    item: dict[str, Any],
    file: str,
    problems: list[RuleProblem],
    findings: Mapping[str, FindingDef],
    stops: Mapping[str, StopDef],
    exercises: Mapping[str, Any],
    routines: Mapping[str, Any],
) -> Rule | None:
    rid = item.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        title = item.get("title", "?")
        problems.append(RuleProblem(file, None, f"rule {title!r} needs a valid 'id' (got {rid!r})"))
        return None
    before = len(problems)
    for key in sorted(set(item) - _RULE_KEYS):
        problems.append(RuleProblem(file, rid, f"unknown key {key!r}{_hint(key, _RULE_KEYS)}"))
    title = _text(item, "title", file, rid, problems)
    rationale = _text(item, "rationale", file, rid, problems)
    source = _text(item, "source", file, rid, problems)
    condition: Condition | None = None
    if "when" not in item:
        problems.append(RuleProblem(file, rid, "a rule needs a condition 'when'"))
    else:
        try:
            condition = parse_condition(item["when"])
        except ConditionError as error:
            problems.append(RuleProblem(file, rid, f"malformed condition: {error}"))
    if condition is not None:
        for fid, _negated in sorted(findings_used(condition)):
            if fid not in findings:
                problems.append(
                    RuleProblem(
                        file, rid, f"condition uses unknown finding {fid!r}{_hint(fid, findings)}"
                    )
                )
    version, status, level, advice = rule_fields(item, file, rid, problems)
    finding = item.get("finding")
    if finding is not None and finding not in findings:
        problems.append(
            RuleProblem(file, rid, f"unknown finding {finding!r}{_hint(str(finding), findings)}")
        )
    refs = _routine_refs(item.get("routines", []), routines, file, rid, problems)
    exclusion = _exclusion(item.get("exclude"), exercises, file, rid, problems)
    notes = _notes(item.get("notes", []), exercises, file, rid, problems)
    keep = _ids(item.get("keep", []), exercises, "exercise", file, rid, problems)
    stop_if = _ids(item.get("stop_if", []), stops, "stop", file, rid, problems)
    program = parse_program(item.get("program"), exercises, file, rid, problems)
    flags = {}
    for key in ("withhold_plan", "gentle", "before_plan"):
        flags[key] = item.get(key, False)
        if not isinstance(flags[key], bool):
            problems.append(RuleProblem(file, rid, f"'{key}' must be true or false"))
    outcome = finding or level or advice or refs or exclusion or notes or keep or stop_if or program
    if not outcome and not any(flags.values()):
        problems.append(
            RuleProblem(file, rid, "a rule needs an outcome (finding, level, advice or plan)")
        )
    if len(problems) > before or condition is None:
        return None
    return Rule(
        id=rid,
        title=title,
        rationale=rationale,
        source=source,
        when=condition,
        file=file,
        version=version,
        status=status,
        finding=finding,
        level=level,
        advice=tuple(" ".join(a.split()) for a in advice),
        routines=refs,
        exclude=exclusion,
        withhold_plan=bool(flags["withhold_plan"]),
        gentle=bool(flags["gentle"]),
        notes=notes,
        keep=keep,
        stop_if=stop_if,
        program=program,
        before_plan=bool(flags["before_plan"]),
        raw_when=item["when"],
    )


def rule_fields(
    item: Mapping[str, Any], file: str, rid: str, problems: list[RuleProblem]
) -> tuple[Any, Any, Any, list[str]]:
    """Check the fields every kind of rule shares; return version, status, level, advice.

    Each bad one adds a problem naming the file and rule id (``advice`` is then empty).
    """
    version = item.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(
            RuleProblem(file, rid, f"'version' must be a whole number >= 1 (got {version!r})")
        )
    status = item.get("status", "active")
    if status not in ("active", "retired"):
        problems.append(
            RuleProblem(file, rid, f"'status' must be 'active' or 'retired' (got {status!r})")
        )
    level = item.get("level")
    if level is not None and level not in LEVELS:
        problems.append(
            RuleProblem(file, rid, f"'level' must be one of {', '.join(LEVELS)} (got {level!r})")
        )
    advice = item.get("advice", [])
    if not isinstance(advice, list) or not all(isinstance(a, str) and a.strip() for a in advice):
        problems.append(RuleProblem(file, rid, "'advice' must be a list of non-empty strings"))
        advice = []
    return version, status, level, advice


def _routine_refs(
    value: object, routines: Mapping[str, Any], file: str, rid: str, problems: list[RuleProblem]
) -> tuple[RoutineRef, ...]:
    if not isinstance(value, list):
        problems.append(
            RuleProblem(file, rid, "'routines' must be a list of { id, step, order, stage }")
        )
        return ()
    refs = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) - _REF_KEYS or "id" not in entry:
            problems.append(
                RuleProblem(
                    file, rid, f"a routine entry is {{ id, step, order, stage }} (got {entry!r})"
                )
            )
            continue
        rid_ = entry["id"]
        if rid_ not in routines:
            problems.append(
                RuleProblem(file, rid, f"unknown routine {rid_!r}{_hint(str(rid_), routines)}")
            )
            continue
        step, order = entry.get("step", 1), entry.get("order", 0)
        if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in (step, order)):
            problems.append(
                RuleProblem(file, rid, f"routine {rid_!r}: step and order are whole numbers")
            )
            continue
        stage = entry.get("stage")
        if stage is not None and stage not in _STAGES:
            problems.append(
                RuleProblem(
                    file, rid, f"routine {rid_!r}: stage must be one of {_STAGES} (got {stage!r})"
                )
            )
            continue
        refs.append(RoutineRef(rid_, step, order, stage))
    return tuple(refs)


_REF_KEYS = {"id", "step", "order", "stage"}
_STAGES = ("1", "2", "knee")


def _exclusion(
    value: object, exercises: Mapping[str, Any], file: str, rid: str, problems: list[RuleProblem]
) -> Exclusion | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) - {"exercises", "cautions", "reason"}:
        problems.append(RuleProblem(file, rid, "'exclude' is { exercises, cautions, reason }"))
        return None
    ids = _ids(value.get("exercises", []), exercises, "exercise", file, rid, problems)
    cautions = _ids(value.get("cautions", []), CAUTIONS, "caution", file, rid, problems)
    reason = _text(value, "reason", file, rid, problems)
    if not ids and not cautions:
        problems.append(RuleProblem(file, rid, "'exclude' names no exercise and no caution"))
    return Exclusion(ids, cautions, reason)


def _notes(
    value: object, exercises: Mapping[str, Any], file: str, rid: str, problems: list[RuleProblem]
) -> tuple[ExerciseNote, ...]:
    if not isinstance(value, list):
        problems.append(RuleProblem(file, rid, "'notes' must be a list of { exercise, text }"))
        return ()
    notes = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"exercise", "text"}:
            problems.append(
                RuleProblem(file, rid, f"a note is {{ exercise, text }} (got {entry!r})")
            )
            continue
        (ex,) = _ids([entry["exercise"]], exercises, "exercise", file, rid, problems) or (None,)
        text = entry["text"]
        if not isinstance(text, str) or not text.strip():
            problems.append(RuleProblem(file, rid, "a note needs a non-empty 'text'"))
            continue
        if ex is not None:
            notes.append(ExerciseNote(ex, " ".join(text.split())))
    return tuple(notes)
