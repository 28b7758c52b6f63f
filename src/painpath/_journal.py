"""The journal: one person's 21-day program over time, in one SQLite file.

``Journal(path=None)`` opens or creates the file (by default in the user's data
directory, from ``platformdirs``). :meth:`Journal.start` triages the starting
answers and records them; :meth:`Journal.checkin` validates one day's check-in,
derives the facts the check-in rules need from the start and the earlier check-ins,
runs the rules (``rules/checkin/``) and records the check-in with its outcome, all
in one transaction.

What this module promises:

- the file is created ``0600`` and a directory it creates ``0700``; SQLite's WAL
  and shared-memory files take the file's mode;
- a check-in is one ``BEGIN IMMEDIATE`` transaction: a killed process leaves the
  journal as it was before or after it, and two processes never both take a date;
- a refused check-in changes nothing;
- the schema carries its version: an older one is migrated step by step in one
  transaction, a newer one is refused with a clear message;
- nothing here decides a clinical question: the facts are plain data, the
  decisions are the check-in rules'.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._answers import Answers, coerce_answers
from ._checkin import (
    EFFECTS,
    CheckinRules,
    default_checkin_rules,
    validate_checkin,
)
from ._exceptions import PainpathError
from ._forksafe import new_rlock
from ._result import Level, Reason, Result, _plain
from ._triage import triage

__all__ = [
    "SCHEMA_VERSION",
    "CheckinOutcome",
    "Journal",
    "JournalDay",
    "JournalEntry",
    "JournalError",
    "ProgramState",
    "default_journal_path",
]

#: The schema this version of painpath writes. Version 1: start and check-ins;
#: version 2 adds each check-in's program day and the time it was recorded.
SCHEMA_VERSION = 2
#: Days of the program.
PROGRAM_DAYS = 21

LOINC_PAIN = "72514-3"
LOINC_PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"

_LEG_STEPS = ("none", "buttock", "above_knee", "below_knee")


class JournalError(PainpathError, RuntimeError):
    """The journal cannot do what was asked.

    Not started yet, started already, a file that is not a painpath journal, or one
    written by a newer painpath.
    """


def default_journal_path() -> Path:
    """Return the default journal file: ``journal.sqlite3`` in the user's data directory."""
    import platformdirs

    return Path(platformdirs.user_data_dir("painpath", appauthor=False)) / "journal.sqlite3"


# ---------------------------------------------------------------------------------------
# What the journal returns


@dataclass(frozen=True)
class ProgramState:
    """Where the program stands on one day, from the check-ins' program outcomes.

    Every field is a program day from which something holds (``None``: never).
    """

    stage2_from: int | None = None
    prone_rest_from: int | None = None
    step_backs: tuple[int, ...] = ()
    hold: tuple[tuple[int, bool], ...] = ()
    high_pain_week_1_ends: int | None = None
    stopped_from: int | None = None

    def weeks_back(self, day: int) -> int:
        """How many weeks' doses the program has stepped back by ``day``."""
        return sum(1 for start in self.step_backs if start <= day)

    def held(self, day: int, held_at_start: bool) -> bool:
        """Whether the doses are held at week 1 on ``day``."""
        state = held_at_start
        for start, value in self.hold:
            if start <= day:
                state = value
        return state

    def apply(self, effects: Sequence[str], day: int) -> ProgramState:
        """Return the state after a check-in on ``day`` with these outcomes (from ``day + 1``)."""
        nxt = day + 1
        state = self
        if "stage_2" in effects and state.stage2_from is None:
            state = _replace(state, stage2_from=nxt)
        if "prone_rest" in effects and state.prone_rest_from is None:
            state = _replace(state, prone_rest_from=nxt)
        if "step_back" in effects:
            state = _replace(state, step_backs=(*state.step_backs, nxt))
        if "lift_hold" in effects:
            state = _replace(state, hold=(*state.hold, (nxt, False)))
        if "hold_week_1" in effects:  # a new reason to hold wins over a clearance the same day
            state = _replace(state, hold=(*state.hold, (nxt, True)))
        if "end_high_pain_week_1" in effects and state.high_pain_week_1_ends is None:
            state = _replace(state, high_pain_week_1_ends=nxt)
        if "stop" in effects and state.stopped_from is None:
            state = _replace(state, stopped_from=nxt)
        return state

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready plain data."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data


def _replace(state: ProgramState, **changes: Any) -> ProgramState:
    from dataclasses import replace

    return replace(state, **changes)


@dataclass(frozen=True)
class CheckinOutcome:
    """What one check-in decided.

    ``level`` is the highest level of any check-in rule that fired; ``reasons`` cite
    them; ``changes`` says in words what happens to the program from the next day on;
    ``program`` is the program from the next day on (empty when it stopped).
    """

    date: str
    day: int
    level: Level
    reasons: tuple[Reason, ...]
    advice: tuple[str, ...]
    changes: tuple[str, ...]
    state: ProgramState
    program: tuple[Any, ...] = ()
    stopped: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the outcome as JSON-ready plain data."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data

    def to_json(self, **kwargs: Any) -> str:
        """Return :meth:`to_dict` as a JSON string; keyword arguments go to ``json.dumps``."""
        return json.dumps(self.to_dict(), **kwargs)


@dataclass(frozen=True)
class JournalDay:
    """What to do on one day: the program's day, or nothing once the program stopped.

    ``finished``: the day is after day 21 (``program_day`` is then day 21's).
    """

    date: str
    day: int
    level: Level
    stopped: bool
    finished: bool
    program_day: Any = None

    @property
    def sessions(self) -> tuple[Any, ...]:
        """The day's sessions (none when the program stopped or has no days)."""
        return tuple(getattr(self.program_day, "sessions", ()))

    def to_dict(self) -> dict[str, Any]:
        """Return the day as JSON-ready plain data."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data


@dataclass(frozen=True)
class JournalEntry:
    """One line of the journal's history: the start, or one check-in with its outcome."""

    kind: str  # "start" or "checkin"
    date: str
    day: int
    answers: Mapping[str, Any]
    level: Level
    reasons: tuple[Reason, ...]
    advice: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    recorded_at: str = ""
    findings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as JSON-ready plain data."""
        data = _plain(self)
        assert isinstance(data, dict)
        return data


# ---------------------------------------------------------------------------------------
# Storage

_V1 = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)",
    """CREATE TABLE start (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        start_date TEXT NOT NULL,
        answers TEXT NOT NULL,
        result TEXT NOT NULL,
        painpath_version TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE checkin (
        date TEXT PRIMARY KEY,
        answers TEXT NOT NULL,
        outcome TEXT NOT NULL
    )""",
)

#: Migrations from each version to the next, each run in the same transaction.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 1 -> 2: each check-in keeps its program day and when it was recorded.
    1: (
        "ALTER TABLE checkin ADD COLUMN day INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE checkin ADD COLUMN recorded_at TEXT NOT NULL DEFAULT ''",
        """UPDATE checkin SET day = CAST(
               julianday(date) - julianday((SELECT start_date FROM start WHERE id = 1)) AS INTEGER
           ) + 1""",
    ),
}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("painpath")
    except PackageNotFoundError:  # pragma: no cover - only from a bare checkout
        return "0+unknown"


def _create_private(path: Path) -> None:
    """Create the journal file (0600) and any missing directory (0700)."""
    missing = []
    parent = path.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700)
        os.chmod(directory, 0o700)  # the umask may have narrowed mkdir's mode, never widened
    fd = os.open(path, os.O_CREAT | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o600)
    os.close(fd)


class Journal:
    """One person's program over time, in one SQLite file.

    ``path``: the file (created if missing); by default ``journal.sqlite3`` in the
    user's data directory. ``clock``: returns today's date (the real one by default);
    tests and simulations pass their own. ``rules``: the check-in rules (the shipped
    ones by default).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Callable[[], dt.date] | None = None,
        checkin_rules: CheckinRules | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else default_journal_path()
        self._clock = clock or dt.date.today
        self._rules = checkin_rules
        self._connection: sqlite3.Connection | None = None
        # One connection, one operation at a time; a forked child gets it back unlocked.
        self._lock = new_rlock(self, "_lock")
        self._open()

    def __repr__(self) -> str:
        return f"<Journal {str(self.path)!r}>"

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (the journal object cannot be used afterwards)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # --- opening ---------------------------------------------------------------------

    def _open(self) -> None:
        if self.path.exists() and self.path.is_dir():
            raise JournalError(f"{self.path} is a directory, not a journal file")
        try:
            if not self.path.exists():
                _create_private(self.path)
            elif stat.S_IMODE(self.path.stat().st_mode) & 0o077:
                os.chmod(self.path, 0o600)
            connection = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as error:
            raise JournalError(f"cannot open the journal {self.path}: {error}") from error
        self._connection = connection
        try:
            connection.execute("PRAGMA busy_timeout = 30000")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":  # pragma: no cover - a file system without shared memory
                raise JournalError(f"the journal {self.path} cannot use WAL mode (got {mode})")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            self.close()
            raise JournalError(
                f"{self.path} is not a painpath journal (or is damaged): {error}"
            ) from error
        except JournalError:
            self.close()
            raise

    def _migrate(self) -> None:
        with self._write() as db:
            tables = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:
                for statement in _V1:
                    db.execute(statement)
                db.execute("INSERT INTO schema_version VALUES (1, ?)", (_now(),))
                version = 1
            elif "schema_version" not in tables:
                raise JournalError(
                    f"{self.path} is an SQLite file but not a painpath journal "
                    "(it has no schema_version table)"
                )
            else:
                row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
                version = int(row[0] or 0)
            if version > SCHEMA_VERSION:
                raise JournalError(
                    f"the journal {self.path} was written by a newer painpath (schema version "
                    f"{version}; this painpath {_version()} reads up to {SCHEMA_VERSION}). "
                    "Upgrade painpath to open it; nothing was changed."
                )
            if version < 1:
                raise JournalError(f"the journal {self.path} has no valid schema version")
            while version < SCHEMA_VERSION:
                for statement in _MIGRATIONS[version]:
                    db.execute(statement)
                version += 1
                db.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))

    @property
    def schema_version(self) -> int:
        """The schema version of the open file."""
        with self._read() as db:
            row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0])

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            raise JournalError("the journal is closed")
        return self._connection

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: ``BEGIN IMMEDIATE`` takes the lock before any read."""
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._db()
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("ROLLBACK")

    # --- the program -----------------------------------------------------------------

    def start(
        self, answers: Mapping[str, Any] | Answers, start_date: str | dt.date | None = None
    ) -> Result:
        """Triage the starting answers and begin the program; day 1 is ``start_date``.

        ``start_date`` defaults to today (the journal's clock). Raises
        :class:`InvalidAnswersError` for bad answers and :class:`JournalError` when
        the journal has been started already.
        """
        checked = coerce_answers(answers)
        given = checked.asked()
        if start_date is not None:
            day_one = _as_date(start_date, "start_date")
        elif given.get("start_date"):
            day_one = _as_date(given["start_date"], "start_date")
        else:
            day_one = self._clock()
        if given.get("start_date") not in (None, day_one.isoformat()):
            raise JournalError(
                f"start_date {day_one} differs from the answers' start_date "
                f"{given['start_date']}; give one of them"
            )
        given["start_date"] = day_one.isoformat()  # the program's days are dated from it
        checked = coerce_answers(given)
        result = triage(checked)
        record = {
            "level": result.level.value,
            "findings": sorted(result.findings),
            "reasons": [_plain(r) for r in result.reasons],
            "advice": list(result.advice),
        }
        with self._write() as db:
            if db.execute("SELECT 1 FROM start").fetchone():
                raise JournalError(
                    f"the journal {self.path} has already been started; use another journal "
                    "file, or forget this one first"
                )
            db.execute(
                "INSERT INTO start VALUES (1, ?, ?, ?, ?, ?)",
                (
                    day_one.isoformat(),
                    json.dumps(checked.asked()),
                    json.dumps(record),
                    _version(),
                    _now(),
                ),
            )
        return result

    def started(self) -> bool:
        """Whether the program has been started."""
        with self._read() as db:
            return db.execute("SELECT 1 FROM start").fetchone() is not None

    def _start(self, db: sqlite3.Connection) -> _Start:
        row = db.execute("SELECT start_date, answers, result, created_at FROM start").fetchone()
        if row is None:
            raise JournalError(
                f"the journal {self.path} has not been started: start it with your answers first"
            )
        return _Start(
            date=dt.date.fromisoformat(row[0]),
            answers=json.loads(row[1]),
            result=json.loads(row[2]),
            created_at=row[3],
        )

    def _checkins(self, db: sqlite3.Connection) -> list[_Checkin]:
        rows = db.execute(
            "SELECT date, day, answers, outcome, recorded_at FROM checkin ORDER BY date"
        ).fetchall()
        return [
            _Checkin(
                dt.date.fromisoformat(r[0]), int(r[1]), json.loads(r[2]), json.loads(r[3]), r[4]
            )
            for r in rows
        ]

    def state(self, date: str | dt.date | None = None) -> ProgramState:
        """Return the program's state after every check-in so far."""
        with self._read() as db:
            return _replay(self._checkins(db))

    def today(self, date: str | dt.date | None = None) -> JournalDay:
        """Say what to do on ``date`` (today by default): that day of the program.

        After day 21 the program's last day stands. ``level`` is what the journal says
        on that day (the latest check-in up to it, else the start).
        """
        when = _as_date(date, "date") if date is not None else self._clock()
        with self._read() as db:
            start = self._start(db)
            checkins = [c for c in self._checkins(db) if c.date <= when]
        if when < start.date:
            raise JournalError(f"{when} is before the program started ({start.date})")
        day = (when - start.date).days + 1
        state = _replay(checkins)
        level = Level(checkins[-1].outcome["level"]) if checkins else Level(start.result["level"])
        stopped = state.stopped_from is not None and day >= state.stopped_from
        program = () if stopped else _program(start, state, from_day=min(day, PROGRAM_DAYS))
        return JournalDay(
            date=when.isoformat(),
            day=day,
            level=level,
            stopped=stopped,
            finished=day > PROGRAM_DAYS,
            program_day=program[0] if program else None,
        )

    def checkin(self, checkin: Mapping[str, Any]) -> CheckinOutcome:
        """Record one day's check-in and return what the check-in rules decided.

        Raises :class:`InvalidAnswersError` naming every problem (nothing is recorded),
        and :class:`JournalError` when the journal has not been started.
        """
        with self._write() as db:
            when, given, outcome, stored = self._judge(db, checkin)
            db.execute(
                "INSERT INTO checkin (date, answers, outcome, day, recorded_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (when.isoformat(), json.dumps(given), json.dumps(stored), outcome.day, _now()),
            )
        return outcome

    def preview(self, checkin: Mapping[str, Any]) -> CheckinOutcome:
        """Judge a check-in as :meth:`checkin` would, without recording it.

        The interactive check-in uses this after each warning-sign answer, to stop
        asking at once when the rules say emergency.
        """
        with self._read() as db:
            return self._judge(db, checkin)[2]

    def _judge(
        self, db: sqlite3.Connection, checkin: Mapping[str, Any]
    ) -> tuple[dt.date, dict[str, Any], CheckinOutcome, dict[str, Any]]:
        rules = self._rules or default_checkin_rules()
        start = self._start(db)
        recorded = self._checkins(db)
        when, given = validate_checkin(
            checkin, start=start.date, today=self._clock(), taken=[c.date for c in recorded]
        )
        # A late check-in for a missed day is judged with the check-ins before it.
        earlier = [c for c in recorded if c.date < when]
        fact = derive_fact(start, earlier, when, given)
        fired = rules.fired(fact)
        outcome = _outcome(start, earlier, when, fact["day"], fired, rules)
        stored = {
            "level": outcome.level.value,
            "rules": [r.rule_id for r in outcome.reasons],
            "reasons": [_plain(r) for r in outcome.reasons],
            "advice": list(outcome.advice),
            "effects": [e for e in EFFECTS if any(e in rules.effects[r.id] for r in fired)],
        }
        return when, given, outcome, stored

    def history(self) -> tuple[JournalEntry, ...]:
        """Return the start and every check-in, in date order, each with what was decided."""
        with self._read() as db:
            start = self._start(db)
            checkins = self._checkins(db)
        entries = [
            JournalEntry(
                kind="start",
                date=start.date.isoformat(),
                day=1,
                answers=start.answers,
                level=Level(start.result["level"]),
                reasons=tuple(_reason(r) for r in start.result["reasons"]),
                advice=tuple(start.result["advice"]),
                recorded_at=start.created_at,
                findings=tuple(start.result["findings"]),
            )
        ]
        entries += [
            JournalEntry(
                kind="checkin",
                date=c.date.isoformat(),
                day=c.day,
                answers=c.answers,
                level=Level(c.outcome["level"]),
                reasons=tuple(_reason(r) for r in c.outcome["reasons"]),
                advice=tuple(c.outcome["advice"]),
                effects=tuple(c.outcome["effects"]),
                recorded_at=c.recorded_at,
            )
            for c in checkins
        ]
        return tuple(entries)

    def progress(self) -> dict[str, Any]:
        """Return pain and sessions day by day, with the day stage 2 began (plain data).

        The data of ``painpath progress``; ``painpath._chart.render_svg`` draws it.
        """
        from ._chart import progress_data

        return progress_data(self.history())

    def export(self) -> dict[str, Any]:
        """Everything in the journal as JSON-ready plain data, with a FHIR R4 Bundle.

        ``fhir`` is a ``collection`` Bundle of one Observation per reported pain score
        (LOINC 72514-3, ``effectiveDateTime`` the day it was reported).
        """
        entries = self.history()
        return {
            "painpath_version": _version(),
            "schema_version": SCHEMA_VERSION,
            "start": entries[0].to_dict(),
            "checkins": [e.to_dict() for e in entries[1:]],
            "fhir": fhir_bundle(entries),
        }

    def forget(self) -> None:
        """Delete the journal file (and SQLite's side files); the object is closed."""
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            target = Path(f"{self.path}{suffix}")
            with contextlib.suppress(FileNotFoundError):
                target.unlink()


@dataclass(frozen=True)
class _Start:
    date: dt.date
    answers: dict[str, Any]
    result: dict[str, Any]
    created_at: str


@dataclass(frozen=True)
class _Checkin:
    date: dt.date
    day: int
    answers: dict[str, Any]
    outcome: dict[str, Any]
    recorded_at: str


def _as_date(value: object, name: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise JournalError(f"{name!r} must be an ISO date YYYY-MM-DD (got {value!r})")


def _reason(data: Mapping[str, Any]) -> Reason:
    level = data.get("level")
    return Reason(
        rule_id=data["rule_id"],
        title=data["title"],
        rationale=data["rationale"],
        source=data["source"],
        finding=data.get("finding"),
        level=Level(level) if level else None,
    )


def _replay(checkins: Sequence[_Checkin]) -> ProgramState:
    state = ProgramState()
    for c in checkins:
        state = state.apply(c.outcome["effects"], c.day)
    return state


# ---------------------------------------------------------------------------------------
# Facts and outcomes


def derive_fact(
    start: _Start, earlier: Sequence[_Checkin], when: dt.date, given: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the plain-data fact the check-in rules judge (``_checkin.FACT_KEYS``)."""
    fact: dict[str, Any] = {k: v for k, v in given.items() if k != "note"}
    for key, value in start.answers.items():
        if not isinstance(value, list):
            fact[f"start_{key}"] = value
    day = (when - start.date).days + 1
    last = earlier[-1].date if earlier else start.date - dt.timedelta(days=1)
    fact["day"] = day
    fact["days_missed"] = max(0, (when - last).days - 1)
    fact["start_level"] = start.result["level"]
    findings = set(start.result["findings"])
    fact["start_sciatica"] = "pattern.sciatica" in findings
    fact["start_high_pain"] = "factor.high_pain" in findings
    reported = [c.answers for c in earlier]
    baseline = start.answers.get("pain_score")
    if baseline is None:
        baseline = next((a["pain_score"] for a in reported if "pain_score" in a), None)
    if baseline is None:
        baseline = given.get("pain_score")
    if baseline is not None:
        if "pain_score" in given:
            fact["pain_above_start"] = given["pain_score"] - baseline
        previous = next((a["pain_score"] for a in reversed(reported) if "pain_score" in a), None)
        if previous is not None:
            fact["previous_pain_above_start"] = previous - baseline
    previous_after = next(
        (a["pain_after_exercise"] for a in reversed(reported) if "pain_after_exercise" in a), None
    )
    if previous_after is not None:
        fact["previous_pain_after_exercise"] = previous_after
    leg_start = start.answers.get("leg_pain")
    if leg_start is None:
        leg_start = next((a["leg_pain"] for a in reported if "leg_pain" in a), None)
    if leg_start is not None and "leg_pain" in given:
        fact["leg_pain_further_down"] = _LEG_STEPS.index(given["leg_pain"]) - _LEG_STEPS.index(
            leg_start
        )
    fact["earlier_checkins_from_day_21"] = sum(1 for c in earlier if c.day >= PROGRAM_DAYS)
    open_advice = start.result["level"] == Level.SEE_DOCTOR.value
    for c in earlier:
        if c.answers.get("doctor_cleared") is True:
            open_advice = False
        if c.outcome["level"] == Level.SEE_DOCTOR.value:
            open_advice = True
    fact["doctor_advice_open"] = open_advice
    fact["program_stopped"] = any("stop" in c.outcome["effects"] for c in earlier)
    days = _program(start, _replay(earlier), from_day=min(day, PROGRAM_DAYS))
    fact["stage_2_waiting"] = bool(
        days and any(locked.stage.startswith("2") for locked in days[0].locked)
    )
    return fact


def _outcome(
    start: _Start,
    earlier: Sequence[_Checkin],
    when: dt.date,
    day: int,
    fired: Sequence[Any],
    rules: CheckinRules,
) -> CheckinOutcome:
    level = max((Level(r.level) for r in fired if r.level), default=Level.SELF_CARE)
    ordered = sorted(fired, key=lambda r: -Level(r.level).rank if r.level else 1)
    reasons = tuple(
        Reason(
            rule_id=r.id,
            title=r.title,
            rationale=r.rationale,
            source=r.source,
            level=Level(r.level) if r.level else None,
        )
        for r in ordered
    )
    advice: dict[str, None] = {level.meaning if level > Level.SELF_CARE else "": None}
    for rule in ordered:
        advice.update(dict.fromkeys(rule.advice))
    advice.pop("", None)
    effects = [e for e in EFFECTS if any(e in rules.effects[r.id] for r in fired)]
    before = _replay(earlier)
    state = before.apply(effects, day)
    # Say what changes: an outcome that holds already (stage 2 begun, stopped) is not news.
    news = [e for e in effects if e not in _ONCE or before.apply([e], day) != before]
    stopped = state.stopped_from is not None
    program = () if stopped else _program(start, state, from_day=day + 1)
    return CheckinOutcome(
        date=when.isoformat(),
        day=day,
        level=level,
        reasons=reasons,
        advice=tuple(advice),
        changes=tuple(EFFECTS[e] for e in news),
        state=state,
        program=program,
        stopped=stopped,
    )


_ONCE = frozenset({"stage_2", "prone_rest", "stop", "end_high_pain_week_1"})


def _program(start: _Start, state: ProgramState, *, from_day: int) -> tuple[Any, ...]:
    """Return the program's days from ``from_day`` to day 21, as the state says.

    The layout is :func:`painpath._program.build_program`'s; the check-ins only say
    from which day what holds. After ``peripheralized`` the days come from the triage
    of the starting answers with that press-up response, so the triage rules decide
    the prone rest and what is left out.
    """
    from ._program import ProgramState as Layout
    from ._program import build_program

    layout = Layout(
        stage_two_from=state.stage2_from,
        lifted=_lifted(state),
        setbacks=state.step_backs,
        held=_held(state),
    )
    days = build_program(triage(start.answers), start.answers, state=layout)
    if state.prone_rest_from is not None:
        answers = {**start.answers, "press_up_response": "peripheralized"}
        prone = build_program(triage(answers), answers, state=layout)
        days = tuple(d for d in days if d.day < state.prone_rest_from) + tuple(
            d for d in prone if d.day >= state.prone_rest_from
        )
    return tuple(d for d in days if d.day >= from_day)


def _lifted(state: ProgramState) -> dict[str, int]:
    lifted = {}
    clear = next((day for day, held in state.hold if not held), None)
    if clear is not None:
        lifted["doctor_cleared"] = clear
    if state.high_pain_week_1_ends is not None:
        lifted["pain_below_7"] = state.high_pain_week_1_ends
    return lifted


def _held(state: ProgramState) -> tuple[tuple[int, int | None], ...]:
    """Return the spans of days a check-in held at week-1 doses: (first, lifted or None)."""
    spans: list[tuple[int, int | None]] = []
    begin: int | None = None
    for day, held in state.hold:
        if held and begin is None:
            begin = day
        elif not held and begin is not None:
            spans.append((begin, day))
            begin = None
    if begin is not None:
        spans.append((begin, None))
    return tuple(spans)


# ---------------------------------------------------------------------------------------
# FHIR


def fhir_bundle(entries: Sequence[JournalEntry]) -> dict[str, Any]:
    """Return a FHIR R4 ``collection`` Bundle: one Observation per reported pain score."""
    resources = []
    for index, entry in enumerate(entries):
        score = entry.answers.get("pain_score")
        if score is None:
            continue
        resources.append(
            {
                "fullUrl": f"urn:uuid:{_uuid(entry.date, index)}",
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/"
                                    "observation-category",
                                    "code": "survey",
                                    "display": "Survey",
                                }
                            ]
                        }
                    ],
                    "code": {
                        "coding": [
                            {
                                "system": "http://loinc.org",
                                "code": LOINC_PAIN,
                                "display": LOINC_PAIN_DISPLAY,
                            }
                        ],
                        "text": "Pain score (0-10)",
                    },
                    "effectiveDateTime": entry.date,
                    "valueInteger": score,
                    "note": [
                        {"text": f"painpath journal, {entry.kind} on program day {entry.day}"}
                    ],
                },
            }
        )
    return {"resourceType": "Bundle", "type": "collection", "entry": resources}


def _uuid(date: str, index: int) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"painpath-journal:{index}:{date}"))
