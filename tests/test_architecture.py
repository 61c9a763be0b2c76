"""The package layout of docs/architecture.md, checked on the source: no import cycles, each
subpackage imports only from the layers below it, grammars and text tools import neither
spaCy nor torch, and no module grows past 500 lines.

Every import counts, also those inside functions (made lazily to keep start-up fast): a lazy
import still ties the two modules together. Imports under ``if TYPE_CHECKING:`` do not.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "pipeline"

# Lowest first. A module may import its own subpackage and the layers below; the subpackages
# that share a layer are independent of each other.
LAYERS: list[tuple[str, ...]] = [
    ("pipeline.settings",),
    ("pipeline.text",),
    ("pipeline.grammar",),
    ("pipeline.models",),
    ("pipeline.stages",),
    ("pipeline.language",),
    ("pipeline.evaluation", "pipeline.corpus", "pipeline.packaging"),
    ("pipeline.training",),
    ("pipeline.cli",),
    ("pipeline.__main__", "pipeline"),
]
# Subpackages usable on strings alone, without the heavy frameworks.
FRAMEWORK_FREE = {
    "pipeline.settings": ("spacy", "thinc", "torch", "hanlp"),
    "pipeline.text": ("spacy", "thinc", "torch", "hanlp"),
    "pipeline.grammar": ("spacy", "thinc", "torch", "hanlp"),
    "pipeline.models": ("spacy", "thinc"),
}
MAX_MODULE_LINES = 500


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_names(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """Every module name an import statement of ``tree`` names (``from a import b`` names both
    ``a`` and ``a.b``: b may be a module), TYPE_CHECKING blocks left out."""
    names: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return names


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules of the same package that it imports."""
    files = {module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        names = imported_names(ast.parse(path.read_text(encoding="utf-8")), module, path.name == "__init__.py")
        graph[module] = {name for name in names if name in files and name != module}
    return graph


def third_party_imports(root: Path) -> dict[str, set[str]]:
    """Module → the top-level names of the outside packages it imports."""
    out: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        module = module_name(path, root)
        names = imported_names(ast.parse(path.read_text(encoding="utf-8")), module, path.name == "__init__.py")
        out[module] = {name.split(".")[0] for name in names if name and not name.startswith(root.name)}
    return out


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
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
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def layer_of(module: str) -> tuple[int, str]:
    """(layer index, subpackage) of a module: the longest LAYERS prefix that contains it."""
    best: tuple[int, str] | None = None
    for level, group in enumerate(LAYERS):
        for prefix in group:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[1])):
                best = (level, prefix)
    if best is None:
        raise AssertionError(f"{module} is in no layer of docs/architecture.md: add it to LAYERS")
    return best


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(graph.items()):
        level, package = layer_of(module)
        for target in sorted(targets):
            target_level, target_package = layer_of(target)
            if target_package != package and target_level >= level:
                found.append(f"{module} imports {target} ({target_package} is not below {package})")
    return found


GRAPH = import_graph(PACKAGE_ROOT)


def test_the_package_has_no_import_cycle():
    assert find_cycles(GRAPH) == []


def test_each_subpackage_imports_only_from_the_layers_below():
    assert layer_violations(GRAPH) == []


@pytest.mark.parametrize("package", sorted(FRAMEWORK_FREE))
def test_low_layers_import_no_framework(package):
    banned = set(FRAMEWORK_FREE[package])
    offenders = {module: sorted(names & banned) for module, names in third_party_imports(PACKAGE_ROOT).items()
                 if (module == package or module.startswith(package + ".")) and names & banned}
    assert offenders == {}


def test_no_module_is_over_500_lines():
    long = {str(path.relative_to(PACKAGE_ROOT.parent)): n for path in PACKAGE_ROOT.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


# -- the checks themselves, on small trees: they must catch what they are meant to catch


def write_tree(root: Path, modules: dict[str, str]) -> Path:
    for name, source in modules.items():
        path = root.joinpath(*name.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    for folder in [p for p in root.rglob("*") if p.is_dir()]:
        (folder / "__init__.py").touch()
    return root / "pipeline"


def test_a_cycle_through_a_lazy_import_is_found(tmp_path):
    package = write_tree(tmp_path, {
        "pipeline.stages.recognize": "from pipeline.grammar.names import trim_name\n",
        "pipeline.grammar.names": "def trim_name():\n    from pipeline.stages import recognize\n",
        "pipeline.grammar.numerals": "from . import names\n",
    })
    graph = import_graph(package)
    assert graph["pipeline.grammar.numerals"] == {"pipeline.grammar", "pipeline.grammar.names"}
    assert find_cycles(graph) == [["pipeline.grammar.names", "pipeline.stages.recognize"]]
    assert layer_violations(graph) == [
        "pipeline.grammar.names imports pipeline.stages (pipeline.stages is not below pipeline.grammar)",
        "pipeline.grammar.names imports pipeline.stages.recognize (pipeline.stages is not below pipeline.grammar)"]


def test_type_checking_imports_and_siblings():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pipeline.cli import main\n")
    assert imported_names(tree, "pipeline.grammar.names", False) == {"typing", "typing.TYPE_CHECKING"}
    assert layer_violations({"pipeline.corpus.runner": {"pipeline.evaluation.scoring"}}) == [
        "pipeline.corpus.runner imports pipeline.evaluation.scoring (pipeline.evaluation is not below pipeline.corpus)"]
