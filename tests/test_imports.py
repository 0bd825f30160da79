"""The project's import graph, read with ``ast``: no cycles, no streamlit under core/, pages imported only by app.py,
and ``ui/`` modules keep to their role (pure logic imports neither streamlit nor plotly; figures import no streamlit).

Every ``import`` counts, including those inside functions: a lazy import still makes a loop, it only hides it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "ui", "pages", "bench")

# ui/ by role (docs/architecture.md, "ui/ by role"): every ui module is in exactly one of these.
UI_PURE = {"ui", "ui.state", "ui.search_state", "ui.sweep_state", "ui.labels", "ui.palette", "ui.config_fields", "ui.text", "ui.text.en", "ui.text.ko",
           "ui.lesson_plan", "ui.lesson_text"}
UI_PURE_PACKAGES = ("ui.text.en.", "ui.text.ko.")  # the catalogues' section modules: text only
UI_FIGURES = {"ui.figures", "ui.search_figures", "ui.sweep_figures", "ui.mechanism_figures", "ui.lesson_figures"}
UI_PIECES = {"ui.services", "ui.mechanism_page", "ui.router", "ui.lesson_page", "ui.widgets", "ui.run_page", "ui.compare_page", "ui.results_page",
             "ui.search_page", "ui.sweep_page", "ui.studies"}


def project_files(repo: Path = REPO) -> dict[str, Path]:
    """Module name -> file, for app.py and every .py file under the project's packages."""
    files = {"app": repo / "app.py"}
    for package in PACKAGES:
        for path in sorted((repo / package).rglob("*.py")):
            parts = path.relative_to(repo).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            files[name] = path
    return files


def imported_names(path: Path, module: str) -> set[str]:
    """Every module name ``path`` imports, anywhere in the file (relative imports resolved against ``module``)."""
    is_package = path.name == "__init__.py"
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")
                base = parts if is_package else parts[:-1]
                base = base[:len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names.add(prefix)
            names.update(f"{prefix}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return names


def import_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (a name that is not a module, e.g. a function, is dropped)."""
    return {module: {name for name in imported_names(path, module) if name in files and name != module}
            for module, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan), each as a closed path."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(path_through(graph, set(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def path_through(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A closed import path inside ``component``: start at its first module and walk back to it."""
    start = min(component)
    previous, queue = {start: None}, [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & component):
            if target == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, node, start]
            if target not in previous:
                previous[target] = node
                queue.append(target)
    return sorted(component)


def role_of(module: str) -> str | None:
    if module in UI_PURE or module.startswith(UI_PURE_PACKAGES):
        return "pure"
    if module in UI_FIGURES:
        return "figures"
    if module in UI_PIECES:
        return "pieces"
    return None


FILES = project_files()
GRAPH = import_graph(FILES)


def test_no_import_cycles():
    found = cycles(GRAPH)
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_core_never_imports_streamlit():
    bad = sorted(m for m, p in FILES.items() if m.split(".")[0] == "core"
                 and any(n.split(".")[0] == "streamlit" for n in imported_names(p, m)))
    assert not bad, f"core modules importing streamlit: {bad}"


def test_only_app_imports_pages():
    bad = sorted(f"{m} imports {n}" for m, targets in GRAPH.items() for n in targets
                 if n.split(".")[0] == "pages" and m != "app")
    assert not bad, "\n".join(bad)


def test_every_ui_module_has_one_role():
    ui = {m for m in FILES if m.split(".")[0] == "ui"}
    assert {m for m in ui if role_of(m) is None} == set(), "name the role of new ui modules in this test and the docs"


@pytest.mark.parametrize("role, banned", [("pure", ("streamlit", "plotly")), ("figures", ("streamlit",))])
def test_ui_modules_keep_to_their_role(role, banned):
    bad = sorted(f"{m} imports {n}" for m, p in FILES.items() if role_of(m) == role
                 for n in imported_names(p, m) if n.split(".")[0] in banned)
    assert not bad, "\n".join(bad)


def test_pure_modules_import_no_pieces():
    """Pure logic and figures sit below the page pieces: they may not reach up into a streamlit module."""
    bad = sorted(f"{m} imports {n}" for m, targets in GRAPH.items() if role_of(m) in ("pure", "figures")
                 for n in targets if role_of(n) == "pieces")
    assert not bad, "\n".join(bad)


def test_the_checks_find_what_they_look_for(tmp_path):
    """The graph sees lazy imports and relative imports, and a loop made of them is reported as a cycle."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("")
    (tmp_path / "core" / "a.py").write_text("from .b import thing\n")
    (tmp_path / "core" / "b.py").write_text("def thing():\n    from core import a\n    import streamlit\n")
    (tmp_path / "app.py").write_text("")
    files = project_files(tmp_path)
    graph = import_graph(files)
    assert graph["core.a"] == {"core.b"} and graph["core.b"] == {"core", "core.a"}
    assert cycles(graph) == [["core.a", "core.b", "core.a"]]
