"""The package's structure: no import cycles, errors under one base, vocabularies once.

The import graph counts every import of a painpath module, at module level or inside a
function (a function-level import is still a dependency, only a later one); imports
made for type checkers alone (``if TYPE_CHECKING:``) do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import painpath
from painpath._levels import LEVEL_TABLE, LEVELS

PACKAGE = Path(painpath.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The painpath modules a file imports (TYPE_CHECKING blocks left out)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    root = ".".join([*base, node.module] if node.module else base)
                else:
                    root = node.module or ""
                if root.startswith("painpath"):
                    found.add(root)
                    found.update(f"{root}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("painpath"))
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    visit([child])

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in _imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def test_the_checker_finds_a_cycle():
    """The cycle finder itself finds a planted cycle and its members."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


#: Cycles landed by other work (issue 12's lazy conveniences: Result.to_cds_hooks, and
#: triage reading a FHIR QuestionnaireResponse) that are still to be broken. The test
#: fails on any other cycle, and when one of these is gone (then delete it here).
KNOWN_CYCLES = [
    ["painpath._cds", "painpath._result"],
    ["painpath._fhir", "painpath._questionnaire", "painpath._triage"],
]


def test_no_import_cycles():
    """No painpath module imports, directly or through others, a module importing it."""
    graph = import_graph()
    assert len(graph) > 30  # the walk found the package
    assert "painpath._docs.rules" in graph["painpath._docgen"]
    assert sorted(cycles(graph)) == sorted(KNOWN_CYCLES)


def test_batch_input_error_is_a_painpath_error():
    """An unreadable batch input is caught by ``except painpath.PainpathError``."""
    from painpath._batch import BatchInputError

    assert issubclass(BatchInputError, painpath.PainpathError)
    assert issubclass(BatchInputError, ValueError)


def test_level_table_is_the_one_home_of_levels():
    """Level, the rules' level names and the exit statuses all come from one table."""
    assert tuple(level.value for level in painpath.Level) == LEVELS
    for row in LEVEL_TABLE:
        level = painpath.Level(row.value)
        assert (level.rank, level.title, level.meaning, level.exit_code) == (
            row.rank,
            row.title,
            row.meaning,
            row.exit_code,
        )
    assert [r.rank for r in LEVEL_TABLE] == sorted(r.rank for r in LEVEL_TABLE)


def test_question_choices_are_numbered_as_their_keys_choices():
    """The prompt numbers a question's choices as its key's kind does: contract order."""
    from painpath._questionnaire import QUESTIONS

    for question in QUESTIONS:
        if question.choices:
            assert tuple(c.value for c in question.choices) == question.spec.choices


def test_no_switch_on_answer_kinds_outside_their_home():
    """Only painpath._kinds decides by the kind of an answer (no `kind ==` switches)."""
    import re

    switch = re.compile(r"\.kind\s*(==|!=|in\b|not in\b)")
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name not in ("_kinds.py", "_contract.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if switch.search(line)
    ]
    # Switches in code landed by other work on 2026-11-25 (the contract page, the FHIR
    # reader, the questionnaire's FHIR groups), still to move to the kinds. The test
    # fails on any new switch, and when one of these files has none left.
    known = {"_docs/contract.py", "_fhir.py", "_questionnaire.py"}
    assert {o.split(":")[0] for o in offenders} == known
