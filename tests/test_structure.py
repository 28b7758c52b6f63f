"""The package's structure: no import cycles, errors under one base, vocabularies once.

The import graph counts every import of a painpath module, at module level or inside a
function (a function-level import is still a dependency, only a later one); imports
made for type checkers alone (``if TYPE_CHECKING:``) do not count.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import painpath
from painpath._kinds import KINDS
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


def test_no_import_cycles():
    """No painpath module imports, directly or through others, a module importing it."""
    graph = import_graph()
    assert len(graph) > 30  # the walk found the package
    assert "painpath._docs.rules" in graph["painpath._docgen"]
    assert cycles(graph) == []


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


def test_which_keys_each_area_asks_is_written_once():
    """The questionnaire asks, for each area, exactly the keys the contract gives it.

    ``KeySpec.areas`` is the one place that says it: the questions carry no area
    condition of their own, and the check-in asks its answer keys by the same areas.
    """
    from painpath._checkin import CHECKIN_KEYS, checkin_keys_for_area
    from painpath._contract import AREAS, KEYS
    from painpath._questionnaire import _AS_WRITTEN, QUESTIONS, iter_asked

    assert not [q.key for s in _AS_WRITTEN for q in s.questions for w in q.when if w.key == "area"]
    wanted: dict[str, object] = {}  # answers that let every later question be asked
    for q in QUESTIONS:
        for w in q.when:
            if w.key != "area":
                value = w.values()[0]
                wanted[w.key] = value if w.op != "!=" else not value
    for area in AREAS:
        answers: dict[str, object] = {"area": area}
        asked = ["area"]
        for _section, q in iter_asked(answers):
            asked.append(q.key)
            answers[q.key] = wanted.get(q.key)  # None: nothing later depends on it
        assert asked == [k for k in (q.key for q in QUESTIONS) if area in KEYS[k].areas]
    # The check-in asks the spinal warning signs when the back is involved, the knee's
    # when the knee is, and its own keys always.
    back, knee = checkin_keys_for_area("back"), checkin_keys_for_area("knee")
    assert "saddle_numbness" in back and "saddle_numbness" not in knee
    assert "calf_swelling" in knee and "calf_swelling" not in back
    assert set(back) | set(knee) == set(checkin_keys_for_area("both")) == set(CHECKIN_KEYS)


def test_question_choices_are_numbered_as_their_keys_choices():
    """The prompt numbers a question's choices as its key's kind does: contract order."""
    from painpath._questionnaire import QUESTIONS

    for question in QUESTIONS:
        if question.choices:
            assert tuple(c.value for c in question.choices) == question.spec.choices


#: The names of the answer kinds (``KeySpec.kind``).
KIND_NAMES = frozenset(KINDS)


def _kind_switches(source: str, where: str) -> list[str]:
    """Where a module's source decides by the kind of an answer, as ``where:line what``.

    Found: a comparison of an attribute ``.kind`` with anything but the kinds' own
    table (``spec.kind == "bool"``, ``q.kind not in (...)``); a comparison of a kind's
    name, or a collection of them, with anything named kind or type; a table keyed by
    two or more kind names, or indexed by a ``.kind``; any use of one of the kind
    classes of ``_kinds`` (an ``isinstance`` switch).
    """
    found = []

    def names_kinds(node: ast.expr) -> bool:
        if isinstance(node, ast.Constant):
            return node.value in KIND_NAMES
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return bool(node.elts) and all(names_kinds(e) for e in node.elts)
        return False

    def dot_kind(node: ast.expr) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "kind"

    def kinds_table(node: ast.expr) -> bool:
        return isinstance(node, ast.Name) and node.id == "KINDS"

    kind_classes = {type(kind).__name__ for kind in KINDS.values()}
    for node in ast.walk(ast.parse(source)):
        what = None
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            kindish = [x for x in sides if re.search(r"kind|type", ast.unparse(x), re.I)]
            if (any(dot_kind(x) for x in sides) and not any(kinds_table(x) for x in sides)) or (
                any(names_kinds(x) for x in sides) and kindish
            ):
                what = ast.unparse(node)
        elif isinstance(node, ast.Dict):
            if sum(1 for k in node.keys if k is not None and names_kinds(k)) >= 2:
                what = "a table keyed by kind names"
        elif isinstance(node, ast.Subscript):
            if dot_kind(node.slice) and not kinds_table(node.value):
                what = ast.unparse(node)
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in kind_classes:
                what = f"uses {name}"
        if what:
            found.append(f"{where}:{getattr(node, 'lineno', 0)} {what}")
    return found


def test_the_switch_finder_finds_switches():
    """The finder sees each way of switching on a kind, and not a plain key or variable."""
    sample = (
        "def f(spec, q, kind, key, table):\n"
        "    a = spec.kind == 'bool'\n"
        "    b = q.kind not in ('bool', 'str')\n"
        "    c = {'list': 1, 'date': 2}\n"
        "    d = isinstance(spec.type, _Bool)\n"
        "    e = spec.type.kind_name in ('int', 'float')\n"
        "    f = table[spec.kind]\n"
        "    g = key == 'date'\n"  # a key named like a kind: not a switch
        "    h = kind == 'bad'\n"  # a variable named kind, of another vocabulary
        "    i = KINDS[spec.kind], spec.kind in KINDS\n"  # the kinds' own table
        "    return a, b, c, d, e, f, g, h, i\n"
    )
    lines = sorted(int(f.split(":")[1].split()[0]) for f in _kind_switches(sample, "x"))
    assert lines == [2, 3, 4, 5, 6, 7]


def test_no_switch_on_answer_kinds_outside_their_home():
    """Only painpath._kinds decides by the kind of an answer: every other module asks it."""
    offenders = [
        found
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "_kinds.py"
        for found in _kind_switches(
            path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE))
        )
    ]
    assert offenders == []
