"""Imports point one way: adapters -> bot -> facts (read from the source with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in sorted(imported_modules(path)):
            if module.split(".")[0] in forbidden:
                out.append(f"{path.relative_to(ROOT)} imports {module}")
    return out


def test_facts_imports_neither_bot_nor_adapters() -> None:
    assert offenders("facts", ("bot", "adapters")) == []


# The one module that wires adapters, bot and store together. The commands get what they need of the
# adapters (the console's escaping and rendering, the chats to serve) from it, as a `bot.cli.ports.Adapters`.
COMPOSITION_ROOT = "bot/cli/app.py"
PLATFORM_APPS = ("adapters.slack.app", "adapters.discord.app")


def test_bot_imports_no_platform_library_and_no_adapter() -> None:
    found = offenders("bot", ("slack_bolt", "slack_sdk", "discord", "adapters"))
    allowed = f"{COMPOSITION_ROOT} imports adapters."
    assert [line for line in found if not line.startswith(allowed)] == []


def test_only_the_composition_root_loads_the_platform_apps() -> None:
    importers = {
        f"{path.relative_to(ROOT)} imports {module}"
        for package in ("facts", "bot", "adapters")
        for path in sorted((ROOT / package).rglob("*.py"))
        for module in imported_modules(path)
        if module in PLATFORM_APPS
    }
    assert importers == {f"{COMPOSITION_ROOT} imports {module}" for module in PLATFORM_APPS}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path, root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (`from pkg import sub` counts as importing sub)."""
    paths = {
        module_name(path, root): path for path in package.rglob("*.py") if "migrations" not in path.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                submodules = {f"{node.module}.{alias.name}" for alias in node.names} & paths.keys()
                targets.update(submodules)
                if len(submodules) < len(node.names):
                    targets.add(node.module)
        graph[name] = {target for target in targets if target in paths and target != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle once, as the modules on it in import order (a depth-first search)."""
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycles.append(trail[trail.index(module) :] + [module])
            return
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return cycles


def test_no_package_has_an_import_circle() -> None:
    for package in ("facts", "bot", "adapters"):
        assert import_cycles(import_graph(ROOT / package, ROOT)) == [], package


def test_no_cli_command_imports_the_composition_root() -> None:
    graph = import_graph(ROOT / "bot" / "cli", ROOT)
    importers = sorted(module for module, targets in graph.items() if "bot.cli.app" in targets)
    # The package's `main` loads the root when called, so that importing one command loads no other.
    assert importers == ["bot.cli"]


def test_only_facts_reads_the_fact_tables() -> None:
    """bot/ and adapters/ reach the facts through FactStore's methods, never the tables themselves."""
    found = [line for package in ("bot", "adapters") for line in offenders(package, ("facts",))]
    assert [line for line in found if line.endswith(" imports facts.schema")] == []


def test_the_check_catches_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import slack_sdk\nfrom discord import Client\nfrom . import sibling\n")
    assert imported_modules(bad) == {"slack_sdk", "discord"}


def test_the_cycle_check_finds_a_circle(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "root.py").write_text("from pkg import first\n")
    (package / "first.py").write_text("def run():\n    from pkg.second import go\n")
    (package / "second.py").write_text("import pkg.root\n")
    (package / "leaf.py").write_text("from pkg import root\n")
    graph = import_graph(package, tmp_path)
    assert graph["pkg.leaf"] == {"pkg.root"}
    assert import_cycles(graph) == [["pkg.first", "pkg.second", "pkg.root", "pkg.first"]]
