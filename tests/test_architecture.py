"""The house drawn from the code's imports: which room may point at which.

Every module of the product is parsed (never imported) and its imports, top level and inside
functions alike, are checked against the rules of DESIGN.md:

* the layers below never import the layers above (``shop/core`` is below every app; catalog and
  orders never import the Allegro app; the API client imports neither Django nor the shop);
* inside ``shop/allegro``, views, jobs, tasks and receivers call services, services call
  selectors, mappings and models, and nothing points back up;
* pure modules (mappings, price and parameter rules) import nothing that writes or talks to
  Allegro;
* no module imports another module's private ``_name``;
* no two modules of ``shop`` import each other in a circle at import time.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("shop", "allegro_api", "fake_allegro", "config")

# The role of a module inside a feature folder, from its file or folder name.
ENTRY_POINTS = {"views", "jobs", "tasks", "receivers", "urls", "apps", "admin", "management"}
PURE = {"mapping", "rules", "parameters"}
WRITERS = ("django.db.transaction", "shop.core.bulk", "shop.allegro.common.client")


@dataclass(frozen=True)
class Import:
    target: str  # the module imported (a name imported from a module counts as that module)
    names: tuple[str, ...]
    top_level: bool
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found[module_name(path)] = path
    return found


MODULES = product_modules()


def imports_of(path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(), filename=str(path))
    top = {id(node) for node in tree.body}
    package = module_name(path) if path.name == "__init__.py" else module_name(path.parent)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, (), id(node) in top, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = tuple(alias.name for alias in node.names)
            # ``from package import module`` imports the module itself.
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            for target in submodules:
                yield Import(target, (), id(node) in top, node.lineno)
            rest = tuple(n for n in names if f"{base}.{n}" not in MODULES)
            if rest or not submodules:
                yield Import(base, rest, id(node) in top, node.lineno)


def role(module: str) -> str:
    """The layer of an Allegro module: entry, service, pure, selector, model or common."""
    parts = module.split(".")
    if "models" in parts or "migrations" in parts:
        return "model"
    if ENTRY_POINTS & set(parts):
        return "entry"
    if "services" in parts:
        return "service"
    if PURE & set(parts):
        return "pure"
    if "selectors" in parts:
        return "selector"
    return "other"


def violations() -> Iterator[str]:
    for module, path in sorted(MODULES.items()):
        for imp in imports_of(path):
            where = f"{path.relative_to(ROOT)}:{imp.line} imports {imp.target}"
            target = imp.target
            if (
                module.startswith("shop.core")
                and target.startswith("shop.")
                and not (target.startswith("shop.core"))
            ):
                yield f"{where}: shop/core is below every other app"
            if module.startswith(("shop.catalog", "shop.orders")) and target.startswith(
                "shop.allegro"
            ):
                yield f"{where}: catalog and orders never import the Allegro app"
            if module.startswith("allegro_api") and target.split(".")[0] in {"django", "shop"}:
                yield f"{where}: the API client imports neither Django nor the shop"
            if target.startswith("fake_allegro") and not module.startswith("fake_allegro"):
                yield f"{where}: only tests and benchmarks use the emulator"
            if module.startswith("fake_allegro") and target.startswith("shop"):
                yield f"{where}: the emulator knows nothing of the shop"
            private = [n for n in imp.names if n.startswith("_") and not n.startswith("__")]
            if private and target in MODULES and target != module:
                yield f"{where}: private {', '.join(private)} of another module"
            if module.startswith("shop.allegro") and target.startswith("shop.allegro"):
                mine, theirs = role(module), role(target)
                if mine in {"service", "selector", "pure", "model"} and theirs == "entry":
                    yield f"{where}: a {mine} never reaches up to views, jobs or tasks"
                if mine in {"selector", "pure", "model"} and theirs == "service":
                    yield f"{where}: a {mine} never calls services"
            if (
                role(module) == "pure"
                and module.startswith("shop.")
                and (target.startswith(WRITERS) or role(target) == "service")
            ):
                yield f"{where}: pure code neither writes nor talks to Allegro"


def test_imports_point_one_way() -> None:
    found = list(violations())
    assert not found, "\n".join(found)


def test_no_import_cycles_between_shop_modules() -> None:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        if not module.startswith("shop."):
            continue
        graph[module] = {
            imp.target
            for imp in imports_of(path)
            if imp.top_level and imp.target in MODULES and imp.target.startswith("shop.")
        }
        # Importing a module imports its packages first.
        graph[module] |= {
            ".".join(module.split(".")[:i])
            for i in range(2, module.count(".") + 1)
            if ".".join(module.split(".")[:i]) in MODULES
        } - {module}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                loop = trail[trail.index(nxt) :] if nxt in trail else [nxt]
                # A package's __init__ re-exporting its own submodules is not a circle.
                if not all(m.startswith(loop[0] + ".") or m == loop[0] for m in loop):
                    cycles.append([*loop, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


@pytest.mark.parametrize("feature", ["common", "accounts", "shipping", "offers", "orders", "sync"])
def test_allegro_is_cut_by_feature(feature: str) -> None:
    assert (ROOT / "shop" / "allegro" / feature / "__init__.py").exists()
    loose = sorted(
        p.name
        for p in (ROOT / "shop" / "allegro").glob("*.py")
        if p.stem not in {"__init__", "apps", "urls"}
    )
    assert loose == [], f"modules outside a feature folder: {loose}"
