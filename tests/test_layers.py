"""The shape of the code: stages in one direction, one job a module, a light builder.

briefgen reads top to bottom as the data flows (source -> text -> render -> layout ->
make -> builder -> live -> cli); a stage may import the stages before it, never one
after it. These tests read the imports from the source, so they cost milliseconds.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "src" / "briefgen"
# Foundation modules first, then the stages in pipeline order.
LAYERS = [{"__init__", "cldr", "errors", "events", "files", "inputs"}, {"source"}, {"text"},
          {"render"}, {"layout"}, {"make"}, {"builder"}, {"live"}, {"cli"}]
MAX_LINES = 350
HEAVY = ("pydantic", "jinja2", "weasyprint", "markdown", "nh3", "babel")
# Modules a build with nothing to do imports: none may load a heavy library at import.
LIGHT = ["builder.run", "builder.plan", "builder.manifest", "builder.fingerprint",
         "builder.trust", "builder.schedule",
         "builder.options", "builder.stats",
         "make.task", "make.pool", "source.project", "source.editions", "events", "errors",
         "files", "inputs"]


def modules() -> dict[str, Path]:
    """'builder.run' -> its file, for every module of the package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)
        found[name] = path
    return found


def layer(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, names in enumerate(LAYERS) if top in names)


def imports(module: str, path: Path, top_level_only: bool = False) -> list[str]:
    """The modules ``module`` imports, absolute, briefgen's named without 'briefgen.'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # `if TYPE_CHECKING:` blocks are not run
        nodes = [n for n in nodes if not isinstance(n, ast.If)]
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1] if node.level > 1 else package
                target = ".".join([*base, node.module] if node.module else base)
                found.append(target)
                if node.module is None:  # from . import x
                    found += [f"{target}.{alias.name}".strip(".") for alias in node.names]
            else:
                found.append(node.module or "")
    return [name.removeprefix("briefgen.") if name.startswith("briefgen") else name
            for name in found]


def internal(name: str, known: dict[str, Path]) -> str | None:
    """The briefgen module ``name`` names, if it is one."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def test_every_module_is_in_a_layer() -> None:
    for module in modules():
        if module != "__main__":
            layer(module)


def test_the_import_reader_sees_imports() -> None:
    known = modules()
    assert {"render.templates", "layout.fit", "source.editions"} <= set(
        imports("make.edition", known["make.edition"]))
    assert "builder.index" in imports("builder.run", known["builder.run"])  # in a function
    assert "builder.index" not in imports("builder.run", known["builder.run"],
                                          top_level_only=True)


def test_no_stage_imports_a_later_one() -> None:
    known = modules()
    later = [f"{module} (layer {layer(module)}) imports {target} (layer {layer(target)})"
             for module in known if module != "__main__"
             for name in imports(module, known[module])
             if (target := internal(name, known)) and target != "__main__"
             and layer(target) > layer(module)]
    assert later == []


def test_one_job_a_module() -> None:
    long = {module: lines for module, path in modules().items()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_cheap_path_imports_nothing_heavy() -> None:
    """Following the imports run when the light modules are imported: no heavy library."""
    known = modules()
    seen: set[str] = set()
    todo, heavy = list(LIGHT), []
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in imports(current, known[current], top_level_only=True):
            target = internal(name, known)
            if target:
                # importing a.b.c runs a/__init__ and a/b/__init__ too
                parts = target.split(".")
                todo += [".".join(parts[:i]) for i in range(1, len(parts) + 1)
                         if ".".join(parts[:i]) in known]
            elif name.split(".")[0] in HEAVY:
                heavy.append(f"{current} imports {name}")
    assert heavy == []
