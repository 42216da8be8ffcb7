"""The data's way through the code (the guide's layout): planner/workbook -> models -> planner/verify ->
planner/studies -> planner/reports -> planner/cli.  No module imports one further down that way, the reader
never imports Pyomo or HiGHS, and no two modules import each other, however indirectly.  Read from the
source (every import statement, inside functions too), so nothing needs to run."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each layer and its place on the way; a module belongs to the longest prefix that names it.  The typed
# dataset (models.dataset, no Pyomo in it) is what the reader hands the model: it sits with the reader.
LAYERS = {
    "planner.workbook": 0,
    "models.dataset": 0,
    "planner.stopping": 0,  # Ctrl-C and SIGTERM, for every layer that waits
    "models": 1,
    "planner.memory": 2,  # the memory a model will take, checked before it is built
    "planner.verify": 2,
    "planner.indicators": 2,
    "planner.studies": 3,
    "planner.reports": 4,
    "planner.cli": 5,
    "planner.__main__": 5,
}
SOLVER_PACKAGES = ("pyomo", "highspy")


def _layer(module: str) -> tuple[str, int] | None:
    found = [(k, v) for k, v in LAYERS.items() if module == k or module.startswith(k + ".")]
    return max(found, key=lambda kv: len(kv[0])) if found else None


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, text: str | None = None) -> list[tuple[int, str, bool]]:
    """(line, module imported, at module level) of every import in ``path`` (or in ``text``, read as that
    module), relative ones resolved."""
    name = _module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text)
    top = {id(n) for n in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # ``from planner import stopping`` imports the module planner.stopping.
            out += [(node.lineno, f"{module}.{a.name}", id(node) in top) for a in node.names]
            out.append((node.lineno, module, id(node) in top))
    return out


def _sources() -> list[Path]:
    return sorted(p for d in ("planner", "models") for p in (ROOT / d).rglob("*.py"))


def _upstream(path: Path, text: str | None = None) -> list[str]:
    me = _layer(_module_name(path))
    return [f"{path.relative_to(ROOT)}:{line} ({me[0]}) imports {module} ({other[0]})"
            for line, module, _top in _imports(path, text)
            if me and (other := _layer(module)) and other[1] > me[1]]


def test_no_module_imports_upstream():
    assert [w for path in _sources() for w in _upstream(path)] == []


def test_the_check_sees_an_upstream_import():
    """A model that imported a report, and a study that imported the command line, would be named."""
    assert "models/supply.py:1 (models) imports planner.reports.html (planner.reports)" in _upstream(
        ROOT / "models" / "supply.py", "from planner.reports.html import esc\n")
    assert _upstream(ROOT / "planner" / "studies" / "sweep.py", "def f():\n    from planner import cli\n")


def test_the_reader_never_imports_the_solver():
    """Nor does the dataset it builds (and the package that holds it)."""
    reader = [*(ROOT / "planner" / "workbook").rglob("*.py"), ROOT / "models" / "__init__.py",
              ROOT / "models" / "dataset.py"]
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {module}" for path in reader
             for line, module, _top in _imports(path) if module.split(".")[0] in SOLVER_PACKAGES]
    assert wrong == []


def test_no_import_circle_at_module_level():
    """A circle of module-level imports (a imports b imports a) is found by a depth-first search."""
    names = {_module_name(p): p for p in _sources()}
    edges = {name: sorted({m for _line, m, top in _imports(path) if top and m in names and m != name})
             for name, path in names.items()}
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    circles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                circles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for name in sorted(names):
        if name not in state:
            visit(name, [name])
    assert circles == []
